"""The write paths of board packs (views, tasks and any API call these)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dashboards.models import Release
from governance.accounts import roles
from governance.models import BoardPack, Meeting, ReportStatus
from ketenportaal.tasks import send_on_commit

from . import content as pack_content
from . import files as pack_files

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

#: A pack still "running" after this long lost its worker; the task may claim it again.
STALE_AFTER = datetime.timedelta(minutes=15)
FILE_KINDS = ("html", "pdf")
GENERATE_TASK = "governance.packs.tasks.generate_board_pack"


class PackFileCorrupted(Exception):
    """A stored pack file no longer matches the SHA-256 recorded when it was made."""


@transaction.atomic
def request_board_pack(*, meeting: Meeting, by: User, release: Release | None = None) -> BoardPack:
    """Queue a new version of the meeting's pack (regie only), citing `release` (its key figures
    taken from it) when given. A pack already queued or running for the meeting is returned
    instead of a second one; the task is sent after the commit."""
    roles.require_regie(by)
    Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = meeting.packs.pending().first()
    if pending is not None:
        return pending
    pack = BoardPack.objects.create(
        meeting=meeting, requested_by=by, step=_("In de wachtrij"), release=release
    )
    send_on_commit(GENERATE_TASK, pack.pk)
    return pack


def _progress(pack_id: int, percent: int, step: str) -> None:
    # An UPDATE of its own (autocommit), so the page polling this pack sees it at once.
    BoardPack.objects.filter(pk=pack_id).update(percent=percent, step=step)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def generate_board_pack(*, pack_id: int) -> BoardPack | None:
    """Make the pack's content and files and store them with their SHA-256.

    Idempotent: the pack is claimed with a conditional UPDATE (queued → running, or a stale
    run), so a second delivery of the task does nothing; a succeeded pack never changes. A
    failure is recorded on the pack (status failed, with the error), not raised.
    """
    now = timezone.now()
    claimed = (
        BoardPack.objects.filter(pk=pack_id)
        .filter(
            Q(status=ReportStatus.QUEUED)
            | Q(status=ReportStatus.RUNNING, started_at__lt=now - STALE_AFTER)
        )
        .update(status=ReportStatus.RUNNING, started_at=now, percent=5, step=_("Gestart"))
    )
    pack = BoardPack.objects.select_related("meeting__board", "release").filter(pk=pack_id).first()
    if not claimed or pack is None:
        return pack
    try:
        with translation.override("nl"):
            _progress(pack_id, 15, _("Gegevens verzamelen"))
            data = pack_content.build_pack_data(pack.meeting, now=now, release=pack.release)
            _progress(pack_id, 45, _("HTML maken"))
            html = pack_files.render_html(data).encode("utf-8")
            _progress(pack_id, 60, _("PDF maken"))
            pdf = pack_files.render_pdf(html.decode("utf-8"))
        _progress(pack_id, 95, _("Opslaan"))
        stem = f"vergaderstukken-{pack.meeting.board.code}-{pack.meeting.date:%Y-%m-%d}-{pack.pk}"
        with transaction.atomic():
            pack = BoardPack.objects.select_for_update().get(pk=pack_id)
            pack.data = data
            for kind, body in (("html", html), ("pdf", pdf)):
                getattr(pack, f"{kind}_file").save(f"{stem}.{kind}", ContentFile(body), save=False)
                setattr(pack, f"{kind}_sha256", _sha256(body))
            pack.status = ReportStatus.SUCCEEDED
            pack.percent = 100
            pack.step = _("Gereed")
            pack.finished_at = timezone.now()
            pack.save()
    except Exception as exc:
        logger.exception("Board pack %s failed", pack_id)
        BoardPack.objects.filter(pk=pack_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}",
            finished_at=timezone.now(),
        )
        pack.refresh_from_db()
    return pack


def read_pack_file(*, pack: BoardPack, kind: str) -> bytes:
    """The stored file, checked against its recorded SHA-256 (PackFileCorrupted otherwise)."""
    if kind not in FILE_KINDS or pack.status != ReportStatus.SUCCEEDED:
        raise FileNotFoundError(kind)
    field = getattr(pack, f"{kind}_file")
    with field.open("rb") as stored:
        body = stored.read()
    if _sha256(body) != getattr(pack, f"{kind}_sha256"):
        raise PackFileCorrupted(f"{field.name} does not match its SHA-256")
    return body
