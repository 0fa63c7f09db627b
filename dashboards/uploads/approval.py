"""The write paths that decide about a valid upload: approve (four eyes, the current cells,
an incremental rebuild) and reject. Views, the API, the admin and the demo call these."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboards.models import Observation, Upload, UploadStatus
from governance.accounts import audit, roles
from governance.models import AuditAction, Organisation
from ketenportaal.tasks import send_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: The task an approval sends (by name: the rebuild is a package above the uploads).
REBUILD_TASK = "dashboards.rebuild.tasks.rebuild_after_approval"


class UploadNotPending(Exception):
    """The upload is not (or no longer) waiting for a decision: someone decided already."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        super().__init__(
            _("Deze aanlevering wacht niet op een beoordeling (status: %(status)s).")
            % {"status": upload.get_status_display()}
        )


class OwnUpload(PermissionDenied):
    """Four eyes: whoever sent an upload (`regie` on a partner's behalf too) cannot approve it."""

    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        super().__init__(
            _(
                "U heeft aanlevering #%(id)s zelf ingestuurd en mag haar daarom niet goedkeuren "
                "(vier ogen). Een andere medewerker van Regie Migratieketen moet haar beoordelen; "
                "er is niets veranderd."
            )
            % {"id": upload.pk}
        )


def sent_by(upload: Upload, user: User) -> bool:
    """Whether `user` sent this upload (and so may not approve it)."""
    return upload.uploaded_by_id == user.pk


# ---------------------------------------------------------------- decide


@transaction.atomic
def approve_upload(*, upload: Upload, by: User) -> Upload:
    """Make a valid upload's figures the current ones for every cell it covers.

    Guarantees: `regie` only (PermissionDenied); never by the person who sent it (OwnUpload:
    four eyes, nothing changes); approval is claimed with a conditional
    UPDATE ... WHERE status = 'valid', so a double click approves once (UploadNotPending the
    second time); approvals of one organisation are serialised; if the upload would now
    overlap approved figures (a quarter and its months both current) nothing changes
    (ValidationError); the CurrentCell rows of the covered cells are replaced in one
    set-based statement, while every earlier observation stays stored as the cell's history.
    """
    roles.require_regie(by)
    if sent_by(upload, by):
        raise OwnUpload(upload)
    Organisation.objects.select_for_update().get(pk=upload.organisation_id)
    claimed = Upload.objects.filter(pk=upload.pk, status=UploadStatus.VALID).update(
        status=UploadStatus.APPROVED, decided_by=by, decided_at=timezone.now()
    )
    if not claimed:
        raise UploadNotPending(Upload.objects.get(pk=upload.pk))
    overlaps = overlapping_current_cells(upload_id=upload.pk)
    if overlaps:
        raise ValidationError(
            _(
                "Goedkeuren kan niet: %(count)s cel(len) overlappen met goedgekeurde cijfers "
                "van een andere periodesoort (bijvoorbeeld %(example)s); de cijfers zouden dubbel "
                "tellen."
            )
            % {"count": len(overlaps), "example": overlaps[0]}
        )
    _replace_current_cells(upload_id=upload.pk)
    indicator_ids = list(
        Observation.objects.filter(upload_id=upload.pk)
        .values_list("indicator_id", flat=True)
        .distinct()
        .order_by()
    )
    # Recorded in this transaction; its task is sent once the approval commits.
    queue_incremental_rebuild(indicator_ids, upload_id=upload.pk)
    upload.refresh_from_db()
    audit.record(
        action=AuditAction.UPLOAD_APPROVED, actor=by, obj=upload, organisation=upload.organisation
    )
    return upload


def overlapping_current_cells(*, upload_id: int, limit: int = 20) -> list[str]:
    """Cells of the upload that overlap a current cell of another period type (one query)."""
    sql = """
        SELECT o.period, co.period
        FROM dashboards_observation o
        JOIN dashboards_currentcell c
          ON c.indicator_id = o.indicator_id AND c.organisation_id = o.organisation_id
         AND c.dimension_key = o.dimension_key AND c.round = o.round
        JOIN dashboards_observation co ON co.id = c.observation_id
        WHERE o.upload_id = %s AND co.period_type <> o.period_type
          AND co.period_start <= o.period_end AND o.period_start <= co.period_end
        ORDER BY o.period_start, co.period_start
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [upload_id, limit])
        return [f"{mine} ↔ {theirs}" for mine, theirs in cursor.fetchall()]


def _replace_current_cells(*, upload_id: int) -> None:
    # One statement for all cells: insert the new pointers, or move existing ones.
    sql = """
        INSERT INTO dashboards_currentcell
            (indicator_id, organisation_id, period, dimension_key, round, observation_id)
        SELECT indicator_id, organisation_id, period, dimension_key, round, id
        FROM dashboards_observation WHERE upload_id = %s
        ON CONFLICT (indicator_id, organisation_id, period, dimension_key, round)
        DO UPDATE SET observation_id = excluded.observation_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [upload_id])


@transaction.atomic
def reject_upload(*, upload: Upload, by: User, reason: str) -> Upload:
    """Refuse a valid upload with a reason the partner sees; its figures never become current.

    Guarantees: `regie` only (PermissionDenied); a reason is required (ValidationError);
    claimed with a conditional UPDATE like approval (UploadNotPending when already decided).
    """
    roles.require_regie(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Geef een reden voor de afwijzing; de partner ziet die.")}
        )
    claimed = Upload.objects.filter(pk=upload.pk, status=UploadStatus.VALID).update(
        status=UploadStatus.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        rejection_reason=reason,
    )
    if not claimed:
        raise UploadNotPending(Upload.objects.get(pk=upload.pk))
    upload.refresh_from_db()
    audit.record(
        action=AuditAction.UPLOAD_REJECTED, actor=by, obj=upload, organisation=upload.organisation
    )
    return upload


#: Set by `rebuilds_deferred()`: approvals then queue no rebuild of their own.
_rebuilds_deferred: ContextVar[bool] = ContextVar("rebuilds_deferred", default=False)


@contextmanager
def rebuilds_deferred() -> Iterator[None]:
    """Approve many uploads without a rebuild per approval (the demo loader); the caller runs
    one full rebuild afterwards."""
    token = _rebuilds_deferred.set(True)
    try:
        yield
    finally:
        _rebuilds_deferred.reset(token)


def queue_incremental_rebuild(indicator_ids: list[int], *, upload_id: int) -> None:
    """Queue the dashboard rebuild of what the approved upload touched (`dashboards.rebuild`:
    only the series-years its cells lie in, of these indicators).

    Called inside the approval's transaction: the rebuild's task is sent on commit, so approved
    figures reach the dashboards within seconds; the nightly full rebuild still runs.
    """
    if indicator_ids and not _rebuilds_deferred.get():
        send_on_commit(REBUILD_TASK, list(indicator_ids), upload_ids=[upload_id])
