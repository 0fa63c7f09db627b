"""(f) of bench/dashboards.py: the bytes a release costs (issue 12), imported after django.setup().

A release stores a pointer per indicator; the rebuild keeps the rows releases read and no more.
What a release costs is measured as the bytes of its own rows (Release, ReleaseBuild) plus the
bytes of the SeriesYear rows kept only because a release reads them (rows no current pointer
can see), each row counted by pg_column_size; after each step the rows patches replaced are
settled and pruned, as a minute later the rebuild would. Scenarios:

- a release right after another, nothing changed (and after a full rebuild, the nightly one,
  with nothing changed: the releases move onto its rows, `retention.share_rebuilt`);
- a release after a one-cell correction has been approved and patched in since it.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from dashboards.models import Rebuild, Release
from dashboards.rebuild import build, retention
from dashboards.releases.services import create_release, stored_bytes
from governance.models import Membership, Organisation, Role

#: SeriesYear rows no current pointer can see: after settling, those kept for releases only.
KEPT_FOR_RELEASES = """
    SELECT COALESCE(SUM(pg_column_size(s.*)), 0), COUNT(*) FROM dashboards_seriesyear s
    WHERE NOT EXISTS (
        SELECT 1 FROM dashboards_indicatorbuild p JOIN dashboards_rebuild r ON r.id = p.rebuild_id
        WHERE p.indicator_id = s.indicator_id AND p.base_id = s.rebuild_id
          AND s.written_by <= r.version AND (s.replaced_by IS NULL OR s.replaced_by > r.version))
"""
RELEASE_ROWS = """
    SELECT (SELECT COALESCE(SUM(pg_column_size(r.*)), 0) FROM dashboards_release r)
         + (SELECT COALESCE(SUM(pg_column_size(b.*)), 0) FROM dashboards_releasebuild b)
"""
#: Every partition of SeriesYear (the parent itself holds nothing), indexes included.
ALL_ROWS = """
    SELECT COALESCE(SUM(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits
    WHERE inhparent = 'dashboards_seriesyear'::regclass
"""


def _one(statement: str):
    with connection.cursor() as cursor:
        cursor.execute(statement)
        return cursor.fetchone()


def _settle() -> None:
    """As a minute later: no page reads the rows a patch replaced; prune them (and unread
    builds) the way the next rebuild does."""
    Rebuild.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=1))
    build._prune_unused()


def cost() -> tuple[int, int, int]:
    """(bytes of releases and of the rows kept for them, of those rows alone, rows kept)."""
    _settle()
    kept_bytes, kept_rows = _one(KEPT_FOR_RELEASES)
    return int(_one(RELEASE_ROWS)[0]) + int(kept_bytes), int(kept_bytes), int(kept_rows)


def measure_releases(
    *,
    full: float,
    rebuild: Callable[[], Rebuild],
    approve: Callable[[], int],
    patch: Callable[[int], Rebuild],
) -> None:
    """Print the release lines; `rebuild` runs a full rebuild, `approve` approves a one-cell
    correction (its upload id), `patch` patches that upload in (the part timed); `full` is the
    full rebuild's time without releases."""
    user, _created = get_user_model().objects.get_or_create(username="bench-regie")
    Membership.objects.update_or_create(
        user=user,
        defaults={"organisation": Organisation.objects.get(code="JENV"), "role": Role.REGIE},
    )
    Release.objects.filter(name__startswith="bench ").delete()
    stamp = int(time.time())
    before, _kept, _rows = cost()
    first = create_release(name=f"bench {stamp} a", by=user)
    after_first, _kept, _rows = cost()
    print(f"(f) first release: {stored_bytes(first):,} bytes of pointers "
          f"({first.builds.count()} indicators); {after_first - before:,} bytes in all")  # fmt: skip
    spent: list[float] = []
    share = retention.share_rebuilt

    def timed_share(*args, **kwargs) -> int:
        started = time.perf_counter()
        try:
            return share(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    build.retention.share_rebuilt = timed_share  # type: ignore[method-assign]
    try:
        rebuild()
    finally:
        build.retention.share_rebuilt = share  # type: ignore[method-assign]
    after_full, kept_bytes, kept = cost()
    print(f"(f) full rebuild, nothing changed: moving the release onto its rows took "
          f"{sum(spent):.2f} s ({100 * sum(spent) / full:.2f} % of the full rebuild); kept for "
          f"releases afterwards: {kept_bytes:,} bytes, {kept:,} series-year rows")  # fmt: skip
    second = create_release(name=f"bench {stamp} b", by=user)
    after_second, _kept, _rows = cost()
    print(f"bytes per release (no change since the previous): {after_second - after_full:,}")
    upload_id = approve()
    started = time.perf_counter()
    patch(upload_id)
    patched = time.perf_counter() - started
    after_correction, _kept, kept = cost()
    print(f"(f) one-cell correction patched in with releases: {patched:.2f} s; kept for the "
          f"releases: {kept:,} series-year rows")  # fmt: skip
    print(
        "bytes per release after a one-cell correction: "
        f"{stored_bytes(second) + after_correction - after_second:,}"
    )
    print(f"    (for scale: SeriesYear holds {int(_one(ALL_ROWS)[0]):,} bytes, indexes included)")
