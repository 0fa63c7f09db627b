"""Container health check of the web app (docker-compose): `python -m ketenportaal.healthcheck URL`
asks one of the portal's health endpoints; exit status 0 healthy, 1 not. (Beat's check is the
command `check_heartbeat`.)

The request carries the first of ALLOWED_HOSTS as its Host (the portal refuses other names) and
goes to a path exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
"""

from __future__ import annotations

import os
import sys
import urllib.request


def check_url(url: str) -> bool:
    host = (os.environ.get("ALLOWED_HOSTS") or "localhost").split(",")[0].strip()
    request = urllib.request.Request(url, headers={"Host": host})  # noqa: S310 (our own URL)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str]) -> int:
    if len(argv) == 1:
        return 0 if check_url(argv[0]) else 1
    print("usage: python -m ketenportaal.healthcheck URL", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
