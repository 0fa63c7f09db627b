"""The write paths for uploads: submit, validate, approve, reject.

Views, the API, the demo and the Celery task all call these; nothing else writes an Upload,
an UploadIssue, an Observation or a CurrentCell. Observations are only ever inserted.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dashboards.models import Observation, PendingScan, Upload, UploadStatus
from governance.accounts import audit, roles
from governance.models import AuditAction, Organisation
from ketenportaal.tasks import send, send_on_commit

from . import ingest, limits, scanning, storage, validation
from .tables import megabytes

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files import File

logger = logging.getLogger(__name__)

#: A validation claimed longer ago than this is taken to have died with its worker (acks_late
#: redelivers the task; `requeue_stuck_uploads` sends it again) and may be claimed again.
STALE_VALIDATION = datetime.timedelta(minutes=settings.UPLOAD_STALE_MINUTES)
#: The tasks these services send (by name: the rebuild is a package above the uploads).
VALIDATE_TASK = "dashboards.uploads.tasks.validate_upload_task"
REBUILD_TASK = "dashboards.rebuild.tasks.rebuild_after_approval"
PROGRESS_EVERY_ROWS = 100_000


class DuplicateUpload(Exception):
    """This organisation sent exactly this file before; nothing new was stored."""

    def __init__(self, earlier: Upload) -> None:
        self.earlier = earlier
        super().__init__(
            _(
                "Dit bestand is al eerder aangeleverd: aanlevering #%(id)s van %(date)s "
                "(%(status)s). Er is niets nieuws opgeslagen."
            )
            % {
                "id": earlier.pk,
                "date": timezone.localtime(earlier.uploaded_at).strftime("%d-%m-%Y %H:%M"),
                "status": earlier.get_status_display(),
            }
        )


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


#: Uploads that count as "sent before": pending, valid or approved. A rejected or invalid file may
#: be sent again (the catalogue may since have gained what it lacked).
DUPLICATE_STATUSES = (
    UploadStatus.RECEIVED,
    UploadStatus.VALIDATING,
    UploadStatus.VALID,
    UploadStatus.APPROVED,
)


# ---------------------------------------------------------------- submit


def submit_upload(*, organisation: Organisation, by: User, file: File) -> Upload:
    """Store the original file privately and queue its validation.

    Guarantees: only `regie` or a partner of `organisation` succeeds (PermissionDenied); a file
    over UPLOAD_MAX_BYTES is refused before it is stored (ValidationError); with CLAMAV_SOCKET
    set, an infected file is quarantined and refused (scanning.InfectedUpload) and, while the
    scanner is unreachable, the upload is stored but waits for the scan instead of being
    validated (PendingScan); the same bytes sent again by the same organisation are recognised
    by sha256 and refused (DuplicateUpload) while the earlier one is pending, valid or approved
    (`DUPLICATE_STATUSES`; a rejected or invalid file may be sent again) and neither failed on
    our side nor is stuck (`Upload.objects.stuck`); the original is kept unchanged; validation is queued only
    once the upload is committed, large files on their own queue (`validation_queue`); the
    submission is audited.
    """
    if not roles.can_report_for(by, organisation):
        raise PermissionDenied(_("U mag alleen cijfers van uw eigen organisatie aanleveren."))
    size = file.size or 0
    if size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("Het bestand is te groot (%(size)s MB); de grens is %(limit)s MB.")
            % {"size": megabytes(size), "limit": megabytes(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )
    # Scanned before the upload's transaction: a quarantined file stays quarantined.
    scanned = scanning.scan_before_storing(organisation=organisation, by=by, file=file)
    return _store_upload(organisation=organisation, by=by, file=file, scanned=scanned)


@transaction.atomic
def _store_upload(*, organisation: Organisation, by: User, file: File, scanned: bool) -> Upload:
    size = file.size or 0
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()

    # One submission per organisation at a time, so two identical files cannot both slip past
    # the duplicate check.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    earlier = (
        Upload.objects.filter(
            organisation=organisation, sha256=sha256, status__in=DUPLICATE_STATUSES
        )
        .exclude(issues__code="internal_error")
        .exclude(pk__in=Upload.objects.stuck(timezone.now()).values("pk"))
        .order_by("uploaded_at")
        .first()
    )
    if earlier is not None:
        raise DuplicateUpload(earlier)

    file_name = os.path.basename(file.name or "upload")[:255]
    upload = Upload(
        organisation=organisation,
        uploaded_by=by,
        file_name=file_name,
        size=size,
        sha256=sha256,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    file.seek(0)
    upload.file.save(f"{sha256[:12]}-{get_valid_filename(file_name)}", file, save=False)
    upload.save()
    audit.record(
        action=AuditAction.UPLOAD_SUBMITTED, actor=by, obj=upload, organisation=organisation
    )
    if not scanned:
        PendingScan.objects.create(upload=upload)
        return upload
    send_on_commit(VALIDATE_TASK, upload.pk, queue=validation_queue(size))
    return upload


def validation_queue(size: int) -> str | None:
    """The queue a file's validation goes to: large files to their own queue (and worker), so
    that one organisation's large file cannot hold up another's two lines (None: the default)."""
    if size > settings.UPLOAD_LARGE_BYTES and settings.CELERY_LARGE_UPLOADS_QUEUE:
        return settings.CELERY_LARGE_UPLOADS_QUEUE
    return None


def requeue_stuck_uploads(*, now: datetime.datetime | None = None) -> list[int]:
    """Send the validation of every upload that waits too long again: still `received` after
    UPLOAD_REQUEUE_MINUTES (its message was lost: a broker outage, a killed worker), or
    `validating` with a claim older than STALE_VALIDATION (its worker died). Safe to run at any
    time: the validation claims an upload once (`validate_upload`). Returns the upload ids."""
    now = now or timezone.now()
    waiting = Upload.objects.stuck(now).order_by("pk").values_list("pk", "size")
    ids = []
    for pk, size in waiting:
        send(VALIDATE_TASK, pk, queue=validation_queue(size))
        ids.append(pk)
    if ids:
        logger.warning("Sent the validation of uploads %s again", ids)
    return ids


# ---------------------------------------------------------------- validate


def validate_upload(*, upload_id: int) -> Upload:
    """Read and check an upload, then store its report and (when valid) its observations.

    Idempotent: the upload is claimed with a conditional UPDATE (received → validating), so a
    second run of the task does nothing; a claim older than STALE_VALIDATION (a worker that
    died) may be taken over. The outcome (issues, observations, status valid or invalid) is
    written in one transaction: an upload is never half stored. `rows_read` is updated while
    reading so the page can show progress. Every error rule runs before anything is stored; the
    warnings of a valid upload are computed while its observations are stored (logged as part
    of storing).
    """
    now = timezone.now()
    if PendingScan.objects.filter(upload_id=upload_id).exists():
        return Upload.objects.select_related("organisation").get(pk=upload_id)
    claimed = Upload.objects.filter(pk=upload_id, status=UploadStatus.RECEIVED).update(
        status=UploadStatus.VALIDATING, validation_started_at=now, rows_read=0
    )
    if not claimed:
        claimed = Upload.objects.filter(
            pk=upload_id,
            status=UploadStatus.VALIDATING,
            validation_started_at__lt=now - STALE_VALIDATION,
        ).update(validation_started_at=now, rows_read=0)
    upload = Upload.objects.select_related("organisation").get(pk=upload_id)
    if not claimed:
        return upload

    started = time.perf_counter()
    with translation.override(upload.language or settings.LANGUAGE_CODE):
        failed = validation.single_issue(
            "internal_error",
            _(
                "De controle is door een fout in het portaal niet afgerond. Lever het "
                "bestand opnieuw aan; Regie Migratieketen is op de hoogte."
            ),
        )
        too_slow = _too_slow()
        try:
            result = _check(upload)
        except SoftTimeLimitExceeded:
            logger.warning("Validation of upload %s took too long", upload_id)
            result = too_slow
        except Exception:
            logger.exception("Validation of upload %s failed", upload_id)
            result = failed
    checked = time.perf_counter()
    try:
        upload = storage.store_result(upload_id, result)
    except SoftTimeLimitExceeded:
        # The limit is on the whole validation, storing included (its transaction is rolled
        # back): the file is refused as too slow, whichever step was running.
        logger.warning("Validation of upload %s took too long while storing", upload_id)
        upload = storage.store_result(upload_id, too_slow)
    except Exception:
        # Never leave an upload "validating" for ever: record the failure (the file stays
        # stored, and the same file may be sent again).
        logger.exception("Storing the validation of upload %s failed", upload_id)
        upload = storage.store_result(upload_id, failed)
    logger.info(
        "Upload %s: %s rows, %s; read and checked in %.1f s, stored in %.1f s",
        upload_id,
        result.rows,
        upload.status,
        checked - started,
        time.perf_counter() - checked,
    )
    return upload


def _too_slow() -> validation.Result:
    """The refusal of a validation stopped by its soft time limit (UPLOAD_VALIDATION_SOFT_SECONDS)."""
    return validation.single_issue(
        "too_slow",
        _(
            "De controle van dit bestand duurde langer dan %(limit)s en is afgebroken. Splits "
            "het bestand in kleinere delen en lever die aan."
        )
        % {"limit": limits.duration_text(settings.UPLOAD_VALIDATION_SOFT_SECONDS)},
    )


def _check(upload: Upload) -> validation.Result:
    with upload.file.open("rb") as handle:
        data = handle.read()
    Upload.objects.filter(pk=upload.pk).update(rows_expected=max(data.count(b"\n"), 1))

    def progress(rows: int) -> None:
        Upload.objects.filter(pk=upload.pk).update(rows_read=rows)

    try:
        table = ingest.read_table(
            data,
            upload.file_name,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_rows=settings.UPLOAD_MAX_ROWS,
            max_columns=settings.UPLOAD_MAX_COLUMNS,
            max_cells=settings.UPLOAD_MAX_CELLS,
            on_progress=progress,
        )
    except ingest.IngestError as exc:
        return validation.single_issue(exc.code, exc.message, row=exc.row, column=exc.column)
    catalogue = storage.indicator_specs()
    codes = (
        {str(c).lower() for c in table.frame["indicator"].unique()}
        if "indicator" in table.frame
        else set()
    )
    context = validation.Context(
        organisation=upload.organisation.code,
        catalogue=catalogue,
        today=timezone.localdate(),
        current=storage.current_cells_frame(
            organisation=upload.organisation,
            indicator_ids=[catalogue[c].id for c in codes if c in catalogue],
        ),
    )
    return validation.validate(table, context, defer_warnings=True)


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
         AND c.dimension_key = o.dimension_key
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
            (indicator_id, organisation_id, period, dimension_key, observation_id)
        SELECT indicator_id, organisation_id, period, dimension_key, id
        FROM dashboards_observation WHERE upload_id = %s
        ON CONFLICT (indicator_id, organisation_id, period, dimension_key)
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
