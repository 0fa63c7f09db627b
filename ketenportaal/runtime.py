"""What a long-running process of the portal (a web server's worker, a Celery worker) does once
it has loaded everything it needs."""

from __future__ import annotations

import gc


def settle(*, views: bool = False) -> None:
    """Take what was loaded at start-up out of the garbage collector's walks; with `views`,
    a web server's, load every view first (the URLconf), as its first request would.

    Django, the apps, pandas and their modules are some 140,000 objects that live as long as
    the process. Every full collection walked all of them again: a pause of 140 to 230 ms on
    the 2-core test machine, at whatever moment the collector chose, in the middle of a
    request or of a correction's patch (bench/dashboards.py). Frozen (`gc.freeze`), they are
    left out; what the process creates afterwards is collected as before. Garbage is
    collected first, so none of it is kept for good. Python's documentation recommends the
    same before a server forks its workers: they then share those pages instead of copying
    them.
    """
    if views:
        from django.urls import get_resolver

        get_resolver().url_patterns  # noqa: B018 (imports the URLconf and with it the views)
    gc.collect()
    gc.freeze()
