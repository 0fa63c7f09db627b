"""Impact assessments of proposals: the uitvoeringstoets and impactanalyse regie records
beforehand, each partner's stated impact, and the invoeringstoets one year after a proposal
takes effect (scheduled when a decision is implemented: services.change_decision_status)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actions import services as action_services
from actions.models import Action, Milestone
from governance.accounts import roles
from governance.models import (
    AssessmentKind,
    Decision,
    DecisionStatus,
    ImpactAssessment,
    Organisation,
    PartnerImpact,
)
from ketenportaal.history import save_with_history

if TYPE_CHECKING:
    from django.contrib.auth.models import User

#: Who keeps the evaluation one year after a proposal takes effect.
IMPLEMENTATION_TEST_OWNER = "JENV"


def _one_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def schedule_implementation_test(*, decision: Decision, by: User) -> ImpactAssessment | None:
    """Schedule the invoeringstoets of an implemented proposal: an assessment and a milestone one
    year after the effective date (the cabinet's rule for larger changes, as the letter says).

    Applies to proposals assessed beforehand (uitvoeringstoets or impactanalyse) or needing the
    driehoek; idempotent: a decision gets at most one invoeringstoets.
    """
    if decision.status != DecisionStatus.IMPLEMENTED or decision.effective_date is None:
        return None
    assessments = decision.assessments.all()
    if assessments.filter(kind=AssessmentKind.IMPLEMENTATION_TEST).exists():
        return None
    assessed = assessments.filter(
        kind__in=[AssessmentKind.EXECUTION_TEST, AssessmentKind.IMPACT_ANALYSIS]
    ).exists()
    if not (assessed or decision.needs_triangle):
        return None
    due = _one_year_after(decision.effective_date)
    action = action_services.save_action(
        action=Action(
            title=_("Invoeringstoets %(number)s") % {"number": decision.number},
            description=_(
                "Evaluatie van '%(title)s' een jaar na inwerkingtreding, inclusief de beoogde effecten."
            )
            % {"title": decision.title},
            owner=Organisation.objects.get(code=IMPLEMENTATION_TEST_OWNER),
            responsible_function=_("Directie Regie Migratieketen"),
            start=decision.effective_date,
            end=due,
            decision=decision,
        ),
        by=by,
        recommendations=list(decision.recommendations.all()),
    )
    milestone = action_services.save_milestone(
        milestone=Milestone(
            action=action,
            title=_("Invoeringstoets %(number)s opgeleverd") % {"number": decision.number},
            due_date=due,
        ),
        by=by,
    )
    assessment = ImpactAssessment(
        decision=decision,
        kind=AssessmentKind.IMPLEMENTATION_TEST,
        requested_on=decision.effective_date,
        due_date=due,
        milestone=milestone,
    )
    save_with_history(
        assessment, gettext_lazy("Automatisch ingepland bij uitvoering van het besluit")
    )
    return assessment


@transaction.atomic
def save_assessment(*, assessment: ImpactAssessment, by: User) -> ImpactAssessment:
    """Record or update an impact assessment of a proposal (regie only)."""
    roles.require_maintainer(by)
    save_with_history(assessment)
    return assessment


@transaction.atomic
def save_partner_impact(*, impact: PartnerImpact, by: User) -> PartnerImpact:
    """Record or update one partner's stated impact of a proposal (regie only)."""
    roles.require_maintainer(by)
    save_with_history(impact)
    return impact
