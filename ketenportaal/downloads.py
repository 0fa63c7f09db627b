"""`Content-Disposition` for downloads (RFC 6266): a safe ASCII `filename` for every browser and
the name as sent, percent-encoded, in `filename*` (RFC 5987), so no name a partner chose can
break out of the header or the browser's save dialog."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_fallback(name: str, default: str = "download") -> str:
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = _UNSAFE.sub("-", base).strip("-.") or default
    return base[:150]


def attachment(name: str) -> str:
    """The header value for downloading a file called `name`."""
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip() or "download"
    return f"attachment; filename=\"{ascii_fallback(cleaned)}\"; filename*=UTF-8''{quote(cleaned, safe='')}"
