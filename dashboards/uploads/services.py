"""The write paths for uploads: submit and validate (approving and rejecting: `approval`).

Views, the API, the demo and the Celery task all call these; nothing else writes an Upload,
an UploadIssue, an Observation or a CurrentCell. Observations are only ever inserted.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import time
from typing import TYPE_CHECKING

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.models import PendingScan, Upload, UploadStatus
from governance.accounts import audit, roles
from governance.models import AuditAction, Organisation
from ketenportaal.tasks import send, send_on_commit

from . import ingest, limits, scanning, storage, validation
from .tables import megabytes
from .texts import text

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files import File

logger = logging.getLogger(__name__)

#: A validation claimed longer ago than this is taken to have died with its worker (acks_late
#: redelivers the task; `requeue_stuck_uploads` sends it again) and may be claimed again.
STALE_VALIDATION = datetime.timedelta(minutes=settings.UPLOAD_STALE_MINUTES)
#: The tasks these services send (by name: the rebuild is a package above the uploads).
VALIDATE_TASK = "dashboards.uploads.tasks.validate_upload_task"
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
            gettext_lazy(
                "De controle is door een fout in het portaal niet afgerond. Lever het "
                "bestand opnieuw aan; Regie Migratieketen is op de hoogte."
            ),
        )
        too_slow = _too_slow()
        try:
            result = _check(upload)
        except Exception as exc:
            if _out_of_time(exc, started):
                logger.warning("Validation of upload %s took too long", upload_id)
                result = too_slow
            else:
                logger.exception("Validation of upload %s failed", upload_id)
                result = failed
    checked = time.perf_counter()
    try:
        upload = storage.store_result(upload_id, result)
    except Exception as exc:
        # The limit is on the whole validation, storing included (its transaction is rolled
        # back): the file is refused as too slow, whichever step was running. Any other error
        # is recorded as such, so an upload is never left "validating" for ever (the file
        # stays stored, and the same file may be sent again).
        if _out_of_time(exc, started):
            logger.warning("Validation of upload %s took too long while storing", upload_id)
            outcome = too_slow
        else:
            logger.exception("Storing the validation of upload %s failed", upload_id)
            outcome = failed
        _drop_broken_connection()
        upload = storage.store_result(upload_id, outcome)
    logger.info(
        "Upload %s: %s rows, %s; read and checked in %.1f s, stored in %.1f s",
        upload_id,
        result.rows,
        upload.status,
        checked - started,
        time.perf_counter() - checked,
    )
    return upload


def _out_of_time(exc: BaseException, started: float) -> bool:
    """Whether an error is the soft time limit: Celery's SoftTimeLimitExceeded, itself or as
    the cause of another error (a database driver interrupted by the limit's signal raises its
    own), or any error once the validation has run past its limit."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, SoftTimeLimitExceeded):
            return True
        seen = seen.__cause__ or seen.__context__
    return time.perf_counter() - started >= settings.UPLOAD_VALIDATION_SOFT_SECONDS


def _drop_broken_connection() -> None:
    """A query interrupted half-way can leave the connection unusable: close it, so that
    recording the outcome opens a fresh one."""
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def _too_slow() -> validation.Result:
    """The refusal of a validation stopped by its soft time limit (UPLOAD_VALIDATION_SOFT_SECONDS)."""
    return validation.single_issue(
        "too_slow",
        text(
            gettext_lazy(
                "De controle van dit bestand duurde langer dan %(limit)s en is afgebroken. "
                "Splits het bestand in kleinere delen en lever die aan."
            ),
            limit=lazy(limits.duration_text, str)(settings.UPLOAD_VALIDATION_SOFT_SECONDS),
        ),
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
