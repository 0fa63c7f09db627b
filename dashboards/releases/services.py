"""Releases (issue 12): regie freezes the figures at a moment as a named release, and what has
been corrected since.

What a release stores, and why it copies no figure: the rebuild already writes versioned
`SeriesYear` rows that readers find through one pointer per indicator (`IndicatorBuild`: a base
build's partition, read at a version). A release is the set of those pointers at its moment
(`ReleaseBuild`, one row per indicator, about 70 bytes each) plus the moment (`Release.frozen_at`).
Every reader of figures takes an optional release (`dashboards.rebuild.series`), so the pages,
the series API (`&release=ID`), reports and board packs show the frozen figures through the same
code as the current ones. The rebuild's pruning keeps what release pointers can see
(`dashboards.rebuild.retention`): after a one-cell correction only the few series-year rows it
replaced stay; after a full rebuild whose figures equal the release's, the release moves onto
the new build and the old rows go. bench/dashboards.py measures the bytes per release.

The cells of a release: the approved observations current at `frozen_at`, i.e. per cell the one
of the latest upload approved by then (observations are never changed, and an approval records
when: `Upload.decided_at`). A release is only made when every approval is in the built figures
(no rebuild waiting or running, none approved after the last rebuild started), so its figures are
exactly those cells aggregated. The corrections since a release (`corrections`) are the current
cells of uploads approved after it whose value differs from the cell's value at the moment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dashboards.models import (
    Indicator,
    IndicatorBuild,
    Rebuild,
    RebuildStatus,
    Release,
    ReleaseBuild,
    Upload,
    UploadStatus,
)
from governance.accounts import audit, roles
from governance.models import AuditAction, Organisation

if TYPE_CHECKING:
    from django.contrib.auth.models import User

NAME_MAX = Release._meta.get_field("name").max_length or 100
#: A page lists at most this many corrections; the API pages through them all.
PAGE_LIMIT = 500


class FiguresNotBuilt(ValidationError):
    """Approved figures are not in the dashboards yet: a release now would not hold them."""


def _require_built() -> None:
    if Rebuild.objects.filter(status__in=[RebuildStatus.QUEUED, RebuildStatus.RUNNING]).exists():
        raise FiguresNotBuilt(
            _(
                "Er wacht of loopt nog een herberekening van de dashboards. Stel de release vast "
                "als die klaar is, zodat zij alle goedgekeurde cijfers bevat."
            )
        )
    last_start = Rebuild.objects.succeeded().aggregate(last=Max("started_at"))["last"]
    last_approval = Upload.objects.filter(status=UploadStatus.APPROVED).aggregate(
        last=Max("decided_at")
    )["last"]
    if last_approval and (last_start is None or last_approval > last_start):
        raise FiguresNotBuilt(
            _(
                "De laatst goedgekeurde cijfers zijn nog niet in de dashboards verwerkt. Start "
                "een herberekening en stel de release daarna vast."
            )
        )


@transaction.atomic
def create_release(*, name: str, by: User) -> Release:
    """Freeze the current figures of every indicator under `name`.

    Guarantees: `regie` only (PermissionDenied); a name is required and unique
    (ValidationError, nothing stored); refused while approved figures are not built yet
    (`FiguresNotBuilt`); the release holds the pointer of every built indicator as readers see
    it now (one consistent read: pointers flip in one transaction) and copies no figure; audited.
    """
    roles.require_regie(by)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(
            {"name": _("Geef de release een naam, bijvoorbeeld Kwartaal 2026-Q3.")}
        )
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": _("Een naam is ten hoogste %(max)s tekens.") % {"max": NAME_MAX}}
        )
    if Release.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Er is al een release met deze naam.")})
    _require_built()
    release = Release.objects.create(name=name, frozen_at=timezone.now(), created_by=by)
    ReleaseBuild.objects.bulk_create(
        ReleaseBuild(
            release=release,
            indicator_id=indicator_id,
            rebuild_id=rebuild_id,
            base_id=base_id,
            version=version or 0,
            digest=digest,
        )
        for indicator_id, rebuild_id, base_id, version, digest in IndicatorBuild.objects.values_list(
            "indicator_id", "rebuild_id", "base_id", "rebuild__version", "digest"
        )
    )
    audit.record(action=AuditAction.WRITE, actor=by, obj=release, detail={"release": name})
    return release


# ---------------------------------------------------------------- corrections since


@dataclass(frozen=True)
class Correction:
    """A cell whose current value differs from its value in the release."""

    indicator: Indicator
    organisation: Organisation
    period: str
    dimension_key: str
    old: Decimal
    new: Decimal
    upload_id: int
    approved_at: datetime.datetime | None


#: Current cells of uploads approved after the moment, each with its value at the moment: the
#: observation of the latest upload approved by then (through the unique cell index). A
#: forecast's later round is a cell of its own, so never a correction of an earlier round.
CORRECTIONS_SQL = """
    SELECT * FROM (
        SELECT c.indicator_id, c.organisation_id, c.period, c.dimension_key, cur.value AS new,
               cur.upload_id, up.decided_at,
               (SELECT o.value FROM dashboards_observation o
                JOIN dashboards_upload u ON u.id = o.upload_id
                WHERE o.organisation_id = cur.organisation_id
                  AND o.period_start = cur.period_start AND o.indicator_id = cur.indicator_id
                  AND o.dimension_key = cur.dimension_key AND o.period_type = cur.period_type
                  AND o.round = cur.round AND u.status = 'approved' AND u.decided_at <= %s
                ORDER BY u.decided_at DESC, u.id DESC LIMIT 1) AS old
        FROM dashboards_upload up
        JOIN dashboards_observation cur ON cur.upload_id = up.id
        JOIN dashboards_currentcell c ON c.observation_id = cur.id
        WHERE up.status = 'approved' AND up.decided_at > %s
    ) changed
    WHERE old IS NOT NULL AND old <> new
    ORDER BY decided_at, upload_id, indicator_id, organisation_id, period, dimension_key
"""


def corrections(release: Release, *, limit: int | None = None) -> list[Correction]:
    """The cells corrected since the release (old → new, by which upload), in the order the
    corrections were approved. A cell first delivered after the release is new, not a
    correction, and is not listed. Three queries, whatever the number of cells."""
    query = CORRECTIONS_SQL
    moment = connection.ops.adapt_datetimefield_value(release.frozen_at)  # SQLite: its text
    params: list = [moment, moment]
    if limit is not None:
        query += " LIMIT %s"
        params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    indicators = Indicator.objects.in_bulk({row[0] for row in rows})
    organisations = Organisation.objects.in_bulk({row[1] for row in rows})
    return [
        Correction(
            indicator=indicators[indicator_id],
            organisation=organisations[organisation_id],
            period=period,
            dimension_key=key,
            old=Decimal(old),
            new=Decimal(new),
            upload_id=upload_id,
            # SQLite (the demo) answers a raw query's timestamps as text.
            approved_at=parse_datetime(decided_at) if isinstance(decided_at, str) else decided_at,
        )
        for indicator_id, organisation_id, period, key, new, upload_id, decided_at, old in rows
    ]


def stored_bytes(release: Release) -> int:
    """What the release itself stores: its row and its pointer rows (the rows of figures it
    keeps alive are measured by bench/dashboards.py)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT pg_column_size(r.*) FROM dashboards_release r WHERE r.id = %s)"
            " + COALESCE((SELECT SUM(pg_column_size(b.*)) FROM dashboards_releasebuild b"
            " WHERE b.release_id = %s), 0)",
            [release.pk, release.pk],
        )
        return int(cursor.fetchone()[0] or 0)
