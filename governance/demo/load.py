"""Load the whole demo chain into an empty database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from dashboards.uploads.approval import rebuilds_deferred
from governance.accounts.services import save_portal_user
from governance.models import Organisation, Role

from . import actions, boards, duiding, figures, reports, structure


@dataclass
class Loaded:
    recommendations: int
    milestones: int
    uploads: int
    meetings: int
    decisions: int
    targets: int
    signals: int
    moments: int


@transaction.atomic
def load_demo() -> Loaded:
    """The review's structure, actions and milestones, two years of figures, boards with their
    meetings and decisions, targets, signals and reporting moments; dated relative to today."""
    jenv = Organisation.objects.get(code="JENV")
    # The demo's author of progress reports; demo_logins gives it a password.
    regie, _created, _token = save_portal_user(username="regie", organisation=jenv, role=Role.REGIE)
    recommendations = structure.build()
    milestones = actions.build()
    # Figures before boards: the boards' demo computes signals from them.
    # One full rebuild afterwards (make demo runs rebuild_dashboards), not one per approval.
    with rebuilds_deferred():
        uploads = figures.build()
    duiding.build(by=regie)
    made = boards.build(by=regie)
    moments = reports.build(by=regie)
    return Loaded(
        recommendations=len(recommendations),
        milestones=milestones,
        uploads=uploads,
        meetings=made["meetings"],
        decisions=made["decisions"],
        targets=made["targets"],
        signals=made["signals"],
        moments=moments,
    )
