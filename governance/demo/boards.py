"""Demo content for the boards: meetings, decisions in every lifecycle state with their follow-up,
impact assessments, and this year's assignments with measurable targets. Dated relative to today.

Everything goes through the services, as a regie user would do it in the portal.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from dashboards.models import Indicator
from governance.boards import assessments
from governance.boards import services as decisions
from governance.models import (
    ActionPerspective,
    AssessmentKind,
    AssessmentOutcome,
    Assignment,
    Board,
    ChainGoal,
    DecisionStatus,
    Direction,
    ImpactAssessment,
    Meeting,
    Organisation,
    PartnerImpact,
    Recommendation,
    Signal,
    SignalKind,
    Target,
)
from governance.steering import services as steering
from governance.steering import signals as loop

from .dating import born, dated

# board, days from today, title, agenda, minutes
MEETINGS = [
    ("TB", -75, "Topberaad september", ["Kwartaalcijfers Q2", "Ketenbrede stuurinformatie"], True),
    ("TB", -45, "Topberaad oktober", ["Opvangcapaciteit", "Reservecapaciteit COA"], True),
    ("TB", -15, "Topberaad november", ["Vertrek en terugkeer", "Voortgang doorlichting"], True),
    ("TB", 12, "Topberaad december", ["Kwartaalcijfers Q3", "Prestatieafspraken AVIM"], False),
    ("TB", 40, "Topberaad januari", ["Ketenplan volgend jaar"], False),
    ("SD", -10, "Driehoek COA", ["Bijstelling jaaropdracht COA"], True),
    ("SD", 30, "Driehoek IND", ["Begroting en productieafspraken IND"], False),
    ("DBA", -20, "Deelberaad Asiel en Opvang", ["Planning gehoren"], True),
    ("DBA", 5, "Deelberaad Asiel en Opvang", ["Doorstroom vergunninghouders"], False),
    ("DBI", -30, "Deelberaad Ketensturing en Informatie", ["Definities doorlooptijd"], True),
]

# meeting index, agenda index, title, text, needs driehoek, target status, perspectives, recommendations,
# follow-ups (owner, title, function, days after decision), assessment (kind, outcome, impacts)
DECISIONS = [
    (
        0,
        1,
        "Ketenbrede kwartaalcijfers via het Ketenportaal",
        "Alle ketenpartners leveren hun kwartaalcijfers vanaf het volgende kwartaal aan via het "
        "Ketenportaal. Regie Migratieketen valideert en publiceert één set gevalideerde stuurinformatie.",
        False,
        DecisionStatus.IMPLEMENTED,
        [3],
        ["A3.1"],
        [
            (
                "IND",
                "Kwartaalcijfers IND via de API aanleveren",
                "Manager Informatievoorziening IND",
                60,
            ),
            ("POL", "Registratiecijfers AVIM aanleveren", "Informatiemanager AVIM", 50),
        ],
        (
            AssessmentKind.IMPACT_ANALYSIS,
            AssessmentOutcome.FEASIBLE,
            [
                ("IND", "2.0", 3, 120000),
                ("COA", "1.0", 2, 60000),
                ("DTV", "0.5", 2, 30000),
                ("POL", "1.5", 4, 90000),
            ],
        ),
    ),
    (
        1,
        0,
        "Tijdelijke uitbreiding opvangcapaciteit COA",
        "Het COA breidt de opvangcapaciteit tijdelijk uit met 5.000 plaatsen. De jaaropdracht en de "
        "begroting van het COA worden hierop aangepast.",
        True,
        DecisionStatus.IMPLEMENTED,
        [4],
        ["A4.2"],
        [("COA", "Noodopvanglocaties openen", "Directeur Opvang COA", 30)],
        (
            AssessmentKind.EXECUTION_TEST,
            AssessmentOutcome.CONDITIONAL,
            [("COA", "140.0", 4, 85000000), ("IND", "10.0", 2, 900000)],
        ),
    ),
    (
        1,
        1,
        "Verkenning reservecapaciteit en lagere bezettingsgraad",
        "Het COA werkt twee varianten uit voor structurele reservecapaciteit. De keuze raakt de "
        "langetermijnstrategie en wordt in de driehoek vastgesteld.",
        True,
        DecisionStatus.ADOPTED,
        [4],
        ["A4.1", "A4.2"],
        [("COA", "Varianten reservecapaciteit uitwerken", "Beleidsadviseur COA", 90)],
        (AssessmentKind.EXECUTION_TEST, AssessmentOutcome.PENDING, [("COA", "25.0", 9, 12000000)]),
    ),
    (
        2,
        0,
        "Vertrekgesprekken eerder in de procedure",
        "DT&V voert het eerste vertrekgesprek binnen twee weken na een afwijzing in eerste aanleg.",
        False,
        DecisionStatus.ADOPTED,
        [8],
        ["A8.1"],
        [
            ("DTV", "Werkproces vertrekgesprekken aanpassen", "Teamleider DT&V", 10),
            ("IND", "Signaal afwijzing doorzetten naar DT&V", "Procesmanager IND", 45),
        ],
        None,
    ),
    (
        5,
        0,
        "Jaaropdracht COA bijgesteld",
        "De driehoek bevestigt de bijstelling van de jaaropdracht en de begroting van het COA voor "
        "de tijdelijke uitbreiding van de opvangcapaciteit.",
        True,
        DecisionStatus.CONFIRMED,
        [6],
        ["A6.2"],
        [],
        None,
    ),
    (
        7,
        0,
        "Planning gehoren afgestemd op opvangcapaciteit",
        "De IND plant gehoren per aanmeldcentrum in overleg met het COA, zodat de doorstroom uit "
        "de centrale opvang niet stokt.",
        False,
        DecisionStatus.IMPLEMENTED,
        [1],
        ["A1.2"],
        [],
        None,
    ),
    (
        9,
        0,
        "Eén definitie van de doorlooptijd asielaanvraag",
        "De doorlooptijd loopt van aanvraag tot beschikking in eerste aanleg, in kalenderdagen.",
        False,
        DecisionStatus.ADOPTED,
        [3],
        ["A3.2"],
        [
            (
                "IND",
                "Definitie doorlooptijd toepassen in de aanlevering",
                "Manager Informatievoorziening IND",
                40,
            )
        ],
        None,
    ),
    (
        3,
        1,
        "Bijstelling prestatieafspraken AVIM",
        "Voorstel: de prestatieafspraken met de politie voor de vreemdelingentaken worden in lijn "
        "gebracht met de opdrachten van de andere ketenpartners.",
        True,
        DecisionStatus.PROPOSED,
        [9],
        ["A9.1", "A9.2"],
        [],
        None,
    ),
    (
        2,
        1,
        "Centrale intake op één locatie",
        "Voorstel om de intake van alle ketenpartners op één locatie te concentreren.",
        False,
        DecisionStatus.WITHDRAWN,
        [2],
        ["A2.2"],
        [],
        None,
    ),
]

# organisation, title, text, targets: (indicator, period, value, direction, tolerance)
ASSIGNMENTS = [
    (
        "IND",
        "Snel en zorgvuldig beslissen",
        "De IND beslist snel en zorgvuldig op asielaanvragen en houdt de voorraad beheersbaar.",
        [
            ("asylum_decisions", "Y", 30000, Direction.AT_LEAST, 5),
            ("asylum_lead_time", "Y", 180, Direction.AT_MOST, 5),
            ("asylum_pending", "Y", 20000, Direction.AT_MOST, 10),
        ],
    ),
    (
        "COA",
        "Passende en flexibele opvang",
        "Het COA vangt asielzoekers passend op en laat vergunninghouders snel doorstromen.",
        [
            ("reception_occupancy", "Y", 65000, Direction.AT_MOST, 5),
            ("reception_status_holders", "Y", 15000, Direction.AT_MOST, 10),
        ],
    ),
    (
        "DTV",
        "Snel vertrek zonder verblijfsrecht",
        "DT&V bevordert het vertrek van vreemdelingen zonder recht op verblijf.",
        [("departures", "Y", 12000, Direction.AT_LEAST, 10)],
    ),
    (
        "POL",
        "Identificatie en registratie",
        "De AVIM identificeert en registreert vreemdelingen tijdig en volledig.",
        [("registrations", "Y", 30000, Direction.AT_LEAST, 10)],
    ),
]


def build(*, by, today: datetime.date | None = None) -> dict[str, int]:
    """Create the demo's meetings, decisions, follow-up, assessments, assignments and targets,
    then compute the signals. Returns counts for the command's summary."""
    today = today or timezone.localdate()
    boards = {b.code: b for b in Board.objects.all()}
    organisations = {o.code: o for o in Organisation.objects.all()}
    perspectives = {p.number: p for p in ActionPerspective.objects.all()}
    recommendations = {r.code: r for r in Recommendation.objects.all()}

    meetings = []
    for code, days, title, agenda, held in MEETINGS:
        date = today + datetime.timedelta(days=days)
        meeting = decisions.save_meeting(
            meeting=Meeting(
                board=boards[code],
                date=date,
                title=f"{title} {date.year}",
                location="Den Haag, Turfmarkt 147",
                minutes=(
                    "Opening, vaststelling agenda en verslag. Bespreking van de agendapunten; "
                    "besluiten zijn vastgelegd in de besluitenlijst."
                )
                if held
                else "",
            ),
            by=by,
        )
        items = [decisions.add_agenda_item(meeting=meeting, by=by, title=t) for t in agenda]
        meetings.append((meeting, items))

    count = 0
    for (
        m_index,
        a_index,
        title,
        text,
        driehoek,
        status,
        p_numbers,
        r_codes,
        follow_ups,
        assessment,
    ) in DECISIONS:
        meeting, items = meetings[m_index]
        decision = decisions.record_decision(
            board=meeting.board,
            by=by,
            title=title,
            text=text,
            date=meeting.date,
            meeting=meeting,
            agenda_item=items[a_index],
            needs_triangle=driehoek,
            perspectives=[perspectives[n] for n in p_numbers],
            recommendations=[recommendations[c] for c in r_codes if c in recommendations],
        )
        if meeting.date <= today:
            born(decision, meeting.date)  # recorded at the meeting, not when the demo loaded
        count += 1
        if assessment:
            kind, outcome, impacts = assessment
            record = assessments.save_assessment(
                assessment=ImpactAssessment(
                    decision=decision,
                    kind=kind,
                    requested_on=meeting.date - datetime.timedelta(days=30),
                    due_date=meeting.date - datetime.timedelta(days=5),
                    outcome=outcome,
                    summary=""
                    if outcome == AssessmentOutcome.PENDING
                    else "De ketenpartners kunnen het voorstel uitvoeren binnen de genoemde termijnen.",
                ),
                by=by,
            )
            for org, fte, months, cost in impacts:
                assessments.save_partner_impact(
                    impact=PartnerImpact(
                        assessment=record,
                        organisation=organisations[org],
                        capacity_fte=Decimal(fte),
                        lead_time_months=months,
                        cost_eur=Decimal(cost),
                        explanation="Inschatting van de eigen organisatie.",
                    ),
                    by=by,
                )
        for org, action_title, function, days in follow_ups:
            follow_up = decisions.add_follow_up(
                decision=decision,
                by=by,
                title=action_title,
                owner=organisations[org],
                responsible_function=function,
                start=decision.date,
                due_date=decision.date + datetime.timedelta(days=days),
            )
            if decision.date <= today:
                born(follow_up.action, decision.date)
                born(follow_up, decision.date)
        path = {
            DecisionStatus.PROPOSED: [],
            DecisionStatus.ADOPTED: [DecisionStatus.ADOPTED],
            DecisionStatus.CONFIRMED: [DecisionStatus.ADOPTED, DecisionStatus.CONFIRMED],
            DecisionStatus.IMPLEMENTED: [DecisionStatus.ADOPTED]
            + ([DecisionStatus.CONFIRMED] if driehoek else [])
            + [DecisionStatus.IMPLEMENTED],
            DecisionStatus.WITHDRAWN: [DecisionStatus.WITHDRAWN],
        }[status]
        for step in path:
            on = max(meeting.date, today - datetime.timedelta(days=5))
            decisions.change_decision_status(decision=decision, to=step, by=by, on=on)
            if on <= today:
                dated(decision, on)

    goal = ChainGoal.objects.current(today)
    indicators = {i.code: i for i in Indicator.objects.all()}
    targets = 0
    for org, title, text, goals in ASSIGNMENTS:
        assignment = steering.save_assignment(
            assignment=Assignment(
                organisation=organisations[org], year=today.year, goal=goal, title=title, text=text
            ),
            by=by,
        )
        for code, _period, value, direction, tolerance in goals:
            steering.save_target(
                target=Target(
                    assignment=assignment,
                    indicator=indicators[code],
                    period=str(today.year),
                    target_value=Decimal(value),
                    direction=direction,
                    tolerance_percent=Decimal(tolerance),
                ),
                by=by,
            )
            targets += 1
    run = loop.compute_signals(today=today)
    # The secretary has already put one signal on the next Topberaad: a late follow-up milestone.
    late = (
        Signal.objects.open()
        .filter(kind=SignalKind.MILESTONE_OVERDUE, milestone__action__decision__isnull=False)
        .order_by("pk")
        .first()
    )
    if late is not None and steering.next_meeting(today) is not None:
        steering.put_signal_on_agenda(signal=late, by=by, today=today)
    return {
        "meetings": len(meetings),
        "decisions": count,
        "targets": targets,
        "signals": run.opened,
    }
