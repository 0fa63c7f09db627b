"""Demo actions and about 60 milestones, dated relative to today so every list has content."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import Action, Milestone, MilestoneReplan, MilestoneStatus, ProgressUpdate
from governance.models import Organisation, Recommendation

ACTIONS = [
    # (recommendation codes, owner, title, responsible function, start year)
    (
        ["A1.1"],
        "JENV",
        "Ketendoel opstellen met de ketenpartners",
        "Directeur Regie Migratieketen",
        2021,
    ),
    (["A1.2"], "IND", "Jaaropdracht IND meetbaar maken", "Hoofd Bedrijfsvoering IND", 2022),
    (["A1.2"], "COA", "Jaaropdracht COA meetbaar maken", "Directeur Bedrijfsvoering COA", 2022),
    (["A2.1", "A2.2"], "JENV", "Gremiastructuur herijken", "Secretaris Topberaad", 2021),
    (
        ["A3.1"],
        "IND",
        "Kwartaalcijfers IND aanleveren via het portaal",
        "Manager Informatievoorziening IND",
        2022,
    ),
    (
        ["A3.1"],
        "COA",
        "Kwartaalcijfers COA aanleveren via het portaal",
        "Manager Informatie COA",
        2022,
    ),
    (["A3.1", "A3.2"], "DTV", "Vertrekcijfers harmoniseren", "Hoofd Informatie DT&V", 2022),
    (["A3.3"], "COA", "Jaarlijkse ketenevaluatie inrichten", "Beleidsadviseur COA", 2023),
    (
        ["A4.1"],
        "JENV",
        "Bekostigingsmodel flexibele schil",
        "Financieel adviseur DG Migratie",
        2022,
    ),
    (["A4.2"], "COA", "Verkenning reservecapaciteit opvang", "Directeur Opvang COA", 2023),
    (["A5.1"], "IND", "Ketenleiderschapsprogramma", "Directeur HRM IND", 2021),
    (["A5.2"], "DTV", "Werkbezoekenprogramma keten", "Teamleider DT&V", 2023),
    (
        ["A6.1", "A6.2"],
        "JENV",
        "Driehoeksoverleg professionaliseren",
        "Plaatsvervangend DG Migratie",
        2021,
    ),
    (["A7.1"], "IND", "Vreemdelingendossier ketenbreed ontsluiten", "CIO IND", 2022),
    (
        ["A7.2"],
        "POL",
        "AVIM aansluiten op keteninformatie",
        "Portefeuillehouder Vreemdelingenzaken Politie",
        2023,
    ),
    (["A8.1", "IND-8.2"], "IND", "Processen toetsen aan het ketendoel", "Procesmanager IND", 2023),
    (["A9.1", "A9.2"], "POL", "Prestatieafspraken AVIM herzien", "Hoofd AVIM", 2022),
]

MILESTONE_TITLES = [
    "Plan van aanpak vastgesteld",
    "Nulmeting uitgevoerd",
    "Concept besproken in deelberaad",
    "Besluit in Topberaad",
    "Pilot afgerond",
    "Evaluatie opgeleverd",
    "Implementatie afgerond",
]


def build(today: datetime.date | None = None) -> int:
    """Create actions with milestones and progress updates; returns the number of milestones."""
    today = today or timezone.localdate()
    rng = random.Random(2764)  # the letter's number: the same demo every time
    organisations = {o.code: o for o in Organisation.objects.all()}
    recommendations = {r.code: r for r in Recommendation.objects.all()}
    author = get_user_model().objects.filter(membership__role="regie").first()
    count = 0
    for index, (codes, owner, title, function, year) in enumerate(ACTIONS):
        start = datetime.date(year, rng.choice([1, 3, 6, 9]), 1)
        action = Action.objects.create(
            title=title,
            owner=organisations[owner],
            responsible_function=function,
            start=start,
            end=max(
                start + datetime.timedelta(days=rng.randint(400, 1200)),
                today + datetime.timedelta(days=60),
            ),
        )
        action.recommendations.set([recommendations[c] for c in codes])
        n = 3 + (index % 2) + (1 if index % 5 == 0 else 0)
        for step in range(n):
            count += 1
            milestone = _milestone(action, step, n, today, rng, index)
            # Planned when its action started, so the "no update for N weeks" list has content.
            milestone.history.update(
                history_date=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
            )
            if step == n - 2 and index % 3 == 0:
                _replanned(milestone, author, weeks=1 + index % 5)
            if author and milestone.status != MilestoneStatus.PLANNED:
                ProgressUpdate.objects.create(
                    milestone=milestone,
                    author=author,
                    date=min(milestone.completed_on or today, today),
                    text=f"Stand van zaken: {milestone.title.lower()} ({milestone.get_status_display().lower()}).",
                    new_status=milestone.status,
                    percent_complete=milestone.percent_complete,
                )
    return count


def _milestone(
    action: Action, step: int, n: int, today: datetime.date, rng: random.Random, index: int
) -> Milestone:
    title = MILESTONE_TITLES[step % len(MILESTONE_TITLES)]
    if step < n - 2:  # the early steps: in the past, mostly done
        due = action.start + datetime.timedelta(days=120 * (step + 1) + rng.randint(0, 60))
        due = min(due, today - datetime.timedelta(days=rng.randint(40, 400)))
        status = (
            MilestoneStatus.DONE
            if rng.random() < 0.85
            else rng.choice([MilestoneStatus.IN_PROGRESS, MilestoneStatus.CANCELLED])
        )
    elif step == n - 2:  # around now: some overdue, some due soon
        due = today + datetime.timedelta(days=rng.choice([-45, -12, -3, 4, 9, 16, 25, 28]))
        status = rng.choice(
            [MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS, MilestoneStatus.IN_PROGRESS]
        )
    else:  # the last step: in the future
        due = today + datetime.timedelta(days=rng.randint(20, 400))
        status = MilestoneStatus.PLANNED
    at_risk = status == MilestoneStatus.IN_PROGRESS and index % 4 == 1
    return Milestone.objects.create(
        action=action,
        title=title,
        due_date=due,
        baseline_due_date=due,
        status=status,
        completed_on=due - datetime.timedelta(days=rng.randint(0, 20))
        if status == MilestoneStatus.DONE
        else None,
        percent_complete=100
        if status == MilestoneStatus.DONE
        else (rng.choice([20, 40, 60, 80]) if status == MilestoneStatus.IN_PROGRESS else 0),
        at_risk=at_risk,
        risk_reason="Afhankelijk van besluitvorming in het Topberaad." if at_risk else "",
    )


def _replanned(milestone: Milestone, author, weeks: int) -> None:
    """The milestone was first planned `weeks` weeks earlier and moved once, with a reason, so
    that slippage shows in the demo's lists."""
    baseline = milestone.due_date - datetime.timedelta(weeks=weeks)
    MilestoneReplan.objects.create(
        milestone=milestone,
        previous_due_date=baseline,
        new_due_date=milestone.due_date,
        reason="Afhankelijk van de levering van het nieuwe registratiesysteem.",
        by=author,
    )
    Milestone.objects.filter(pk=milestone.pk).update(baseline_due_date=baseline, replan_count=1)
