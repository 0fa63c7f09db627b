"""Malware scanning of uploaded files by clamd, when `CLAMAV_SOCKET` is set (issue 15).

Every file is scanned before it becomes an upload. An infected file is refused with a clear
message and kept in quarantine (QuarantinedFile) for the administrator: it never becomes an
upload and is never validated. When clamd cannot be reached the file is stored as an upload that
waits (PendingScan; its status stays `received`, and page and API say why): it is not validated
unscanned, and the beat task `scan_waiting_uploads` scans it once clamd answers again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from dashboards.models import PendingScan, QuarantinedFile, Upload, UploadIssue, UploadStatus
from governance.accounts import audit
from governance.models import AuditAction, AuditOutcome, Organisation
from ketenportaal import malware
from ketenportaal.tasks import send_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files import File

logger = logging.getLogger(__name__)


class InfectedUpload(ValidationError):
    """clamd found malware in the file: refused, quarantined, not stored as an upload."""

    def __init__(self, signature: str) -> None:
        self.signature = signature
        super().__init__(
            _(
                "Het bestand is geweigerd: de virusscanner vond er malware in (%(signature)s). "
                "Het is niet opgeslagen als aanlevering en apart gezet voor de functioneel "
                "beheerder. Controleer uw computer en lever een schoon bestand aan."
            )
            % {"signature": signature},
            code="infected",
        )


def waiting_message() -> str:
    return _(
        "Dit bestand wacht op de virusscan: de scanner is nu niet bereikbaar. De controle "
        "begint zodra het bestand is gescand; u hoeft niets opnieuw aan te leveren."
    )


def _chunks(file: File) -> Iterable[bytes]:
    file.seek(0)
    yield from file.chunks()


def scan_before_storing(*, organisation: Organisation, by: User, file: File) -> bool:
    """Scan a new file. Returns True when it is clean or scanning is off, False when clamd is
    unreachable (the upload must wait). An infected file is quarantined, audited, and refused
    with InfectedUpload. Runs outside the upload's transaction, so the quarantine stays."""
    if not malware.enabled():
        return True
    try:
        verdict = malware.scan_chunks(_chunks(file))
    except malware.ScannerUnavailable as exc:
        logger.warning("Malware scanner unreachable; the upload waits: %s", exc)
        return False
    if verdict.infected:
        quarantine(organisation=organisation, by=by, file=file, signature=verdict.signature)
        raise InfectedUpload(verdict.signature)
    return True


@transaction.atomic
def quarantine(
    *,
    organisation: Organisation,
    by: User,
    file: File,
    signature: str,
    upload_id_was: int | None = None,
) -> QuarantinedFile:
    """Keep an infected file apart (private storage, `quarantine/`) and audit it."""
    digest = hashlib.sha256()
    size = 0
    for chunk in _chunks(file):
        digest.update(chunk)
        size += len(chunk)
    name = os.path.basename(file.name or "upload")[:255]
    kept = QuarantinedFile(
        organisation=organisation,
        uploaded_by=by,
        file_name=name,
        size=size,
        sha256=digest.hexdigest(),
        signature=signature[:200],
        upload_id_was=upload_id_was,
    )
    file.seek(0)
    kept.file.save(f"{kept.sha256[:12]}-{get_valid_filename(name)}.quarantine", file, save=False)
    kept.save()
    audit.record(
        action=AuditAction.UPLOAD_INFECTED,
        actor=by,
        obj=kept,
        organisation=organisation,
        outcome=AuditOutcome.DENIED,
        detail={"signature": signature[:200], "sha256": kept.sha256},
    )
    logger.error("Infected file quarantined", extra={"quarantined_id": kept.pk})
    return kept


def scan_waiting_uploads() -> dict[str, int]:
    """Scan the uploads that wait for clamd. Clean: the wait ends and validation is queued.
    Infected: the file moves to quarantine, the upload becomes `invalid` with that reason.
    Unreachable: they keep waiting. Idempotent: each upload is claimed under a row lock."""
    counts = {"clean": 0, "infected": 0, "waiting": 0}
    if not malware.enabled():
        return counts
    for pending_id in PendingScan.objects.order_by("since").values_list("pk", flat=True):
        outcome = _scan_waiting(pending_id)
        if outcome:
            counts[outcome] += 1
        if outcome == "waiting":
            break  # clamd is down: the rest would wait too
    return counts


@transaction.atomic
def _scan_waiting(pending_id: int) -> str | None:
    pending = (
        PendingScan.objects.select_for_update(skip_locked=True)
        .select_related("upload__organisation", "upload__uploaded_by")
        .filter(pk=pending_id)
        .first()
    )
    if pending is None:
        return None
    upload = pending.upload
    try:
        with upload.file.open("rb") as handle:
            verdict = malware.scan_chunks(iter(lambda: handle.read(65536), b""))
    except malware.ScannerUnavailable as exc:
        PendingScan.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=str(exc)[:200]
        )
        return "waiting"
    pending.delete()
    if not verdict.infected:
        # By name: the tasks module imports the services, which import this module.
        send_on_commit("dashboards.uploads.tasks.validate_upload_task", upload.pk)
        return "clean"
    with upload.file.open("rb") as handle:
        content = ContentFile(handle.read(), name=upload.file_name)
    quarantine(
        organisation=upload.organisation,
        by=upload.uploaded_by,
        file=content,
        signature=verdict.signature,
        upload_id_was=upload.pk,
    )
    upload.file.delete(save=False)
    UploadIssue.objects.create(
        upload=upload,
        row=None,
        column="",
        severity="error",
        code="infected",
        **_in_both_languages(lambda: str(InfectedUpload(verdict.signature).messages[0])),
    )
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.INVALID,
        file="",
        error_count=1,
        validation_finished_at=timezone.now(),
    )
    return "infected"


def _in_both_languages(message) -> dict[str, str]:
    """`message()` rendered as `UploadIssue.message` (Dutch) and `message_en` (English)."""
    rendered = {}
    for language, field in (("nl", "message"), ("en", "message_en")):
        with translation.override(language):
            rendered[field] = message()
    return rendered
