"""Demo actions and about 60 milestones, dated relative to today so every list has content."""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from actions.models import Action, Milestone, MilestoneReplan, MilestoneStatus, ProgressUpdate
from governance.models import Organisation, Recommendation

from .dating import born, changed

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
        born(action, start)
        n = 3 + (index % 2) + (1 if index % 5 == 0 else 0)
        for step in range(n):
            count += 1
            milestone, reported_on = _milestone(action, step, n, today, rng, index)
            if step == n - 2 and index % 3 == 0:
                _replanned(milestone, author, weeks=1 + index % 5)
            if author and milestone.status != MilestoneStatus.PLANNED:
                ProgressUpdate.objects.create(
                    milestone=milestone,
                    author=author,
                    date=reported_on,
                    text=f"Stand van zaken: {milestone.title.lower()} ({milestone.get_status_display().lower()}).",
                    new_status=milestone.status,
                    percent_complete=milestone.percent_complete,
                )
    return count


def _milestone(
    action: Action, step: int, n: int, today: datetime.date, rng: random.Random, index: int
) -> tuple[Milestone, datetime.date]:
    """A milestone with its history, and the day its last progress was reported."""
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
    completed_on = (
        due - datetime.timedelta(days=rng.randint(0, 20))
        if status == MilestoneStatus.DONE
        else None
    )
    percent = rng.choice([20, 40, 60, 80]) if status == MilestoneStatus.IN_PROGRESS else 0
    # Planned when its action started; then, as its history records: started, and done or
    # cancelled, each on its own day (so a report for an earlier date sees it as it was then).
    created = min(action.start, today)
    milestone = Milestone.objects.create(
        action=action, title=title, due_date=due, baseline_due_date=due
    )
    born(milestone, created)
    yesterday = today - datetime.timedelta(days=1)
    started = max(created, min(due - datetime.timedelta(days=90), yesterday))
    reported_on = created
    if status in (MilestoneStatus.IN_PROGRESS, MilestoneStatus.DONE):
        reported_on = started
        changed(
            milestone,
            started,
            status=MilestoneStatus.IN_PROGRESS,
            percent_complete=percent or 50,
            at_risk=at_risk,
            risk_reason="Afhankelijk van besluitvorming in het Topberaad." if at_risk else "",
        )
    if status == MilestoneStatus.DONE and completed_on is not None:
        finished = max(started, min(completed_on, yesterday))
        reported_on = finished
        changed(milestone, finished, status=status, completed_on=finished, percent_complete=100)
    elif status == MilestoneStatus.CANCELLED:
        reported_on = max(created, min(due, yesterday))
        changed(milestone, reported_on, status=status)
    return milestone, reported_on


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
