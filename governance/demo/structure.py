"""Demo content for the review's structure: recommendations under each perspective."""

from __future__ import annotations

import datetime

from django.utils import timezone

from governance.models import (
    ActionPerspective,
    Organisation,
    Phase,
    Recommendation,
    RecommendationStatus,
    SourceReport,
)

from .dating import born, changed

# (perspective, code, owner, phase, status, text)
RECOMMENDATIONS = [
    (
        1,
        "A1.1",
        "JENV",
        Phase.ACUTE,
        RecommendationStatus.IMPLEMENTED,
        "Formuleer samen met de ketenpartners een nieuw ketendoel dat aansluit bij de maatschappelijke opgave.",
    ),
    (
        1,
        "A1.2",
        "JENV",
        Phase.FURTHER,
        RecommendationStatus.IN_PROGRESS,
        "Vertaal het ketendoel naar meetbare jaaropdrachten per ketenpartner.",
    ),
    (
        2,
        "A2.1",
        "JENV",
        Phase.ACUTE,
        RecommendationStatus.IN_PROGRESS,
        "Leg per gremium taken, verantwoordelijkheden, mandaat en onderlinge samenhang vast.",
    ),
    (
        2,
        "A2.2",
        "JENV",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Stroomlijn de overleggen in de asielketen zodat duidelijk is waar welk besluit wordt genomen.",
    ),
    (
        3,
        "A3.1",
        "JENV",
        Phase.ACUTE,
        RecommendationStatus.IN_PROGRESS,
        "Richt één set gevalideerde ketenbrede stuurinformatie in die alle partners delen.",
    ),
    (
        3,
        "A3.2",
        "IND",
        Phase.FURTHER,
        RecommendationStatus.IN_PROGRESS,
        "Koppel de kwartaalrapportages van de ketenpartners aan de doelen uit de opdrachten.",
    ),
    (
        3,
        "A3.3",
        "COA",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Evalueer jaarlijks de effecten van bijsturing in het Topberaad (Check en Act).",
    ),
    (
        4,
        "A4.1",
        "JENV",
        Phase.FURTHER,
        RecommendationStatus.IN_PROGRESS,
        "Werk bekostigingsvarianten uit die aansluiten bij het tempo van op- en afschalen.",
    ),
    (
        4,
        "A4.2",
        "COA",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Onderzoek reservecapaciteit en een lagere bezettingsgraad in de opvang.",
    ),
    (
        5,
        "A5.1",
        "IND",
        Phase.ACUTE,
        RecommendationStatus.IN_PROGRESS,
        "Investeer in gezamenlijke leiderschaps- en uitwisselingsprogramma's in de keten.",
    ),
    (
        5,
        "A5.2",
        "DTV",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Organiseer ketenbrede werkbezoeken en intervisie voor uitvoerende medewerkers.",
    ),
    (
        6,
        "A6.1",
        "JENV",
        Phase.ACUTE,
        RecommendationStatus.IMPLEMENTED,
        "Versterk de rolvastheid van eigenaar, opdrachtgever en opdrachtnemer in de driehoek.",
    ),
    (
        6,
        "A6.2",
        "JENV",
        Phase.FURTHER,
        RecommendationStatus.IN_PROGRESS,
        "Stel bijstelling van opdracht, begroting en langetermijnstrategie formeel vast in de driehoek.",
    ),
    (
        7,
        "A7.1",
        "IND",
        Phase.ACUTE,
        RecommendationStatus.IN_PROGRESS,
        "Maak actuele gegevens over de vreemdeling beschikbaar voor alle medewerkers in de keten.",
    ),
    (
        7,
        "A7.2",
        "POL",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Versnel de aansluiting van de AVIM op de ketenbrede informatievoorziening.",
    ),
    (
        8,
        "A8.1",
        "JENV",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Toets processen, taken en verantwoordelijkheden aan het nieuwe ketendoel.",
    ),
    (
        8,
        "IND-8.2",
        "IND",
        Phase.FURTHER,
        RecommendationStatus.IN_PROGRESS,
        "Richt de werkvoorraadsturing van de IND in op de ketendoelstelling.",
    ),
    (
        9,
        "A9.1",
        "POL",
        Phase.ACUTE,
        RecommendationStatus.IN_PROGRESS,
        "Breng de opdracht voor de AVIM in lijn met die van de andere ketenpartners.",
    ),
    (
        9,
        "A9.2",
        "POL",
        Phase.FURTHER,
        RecommendationStatus.OPEN,
        "Stel de prestatieafspraken met de politie voor vreemdelingentaken bij.",
    ),
]


#: The letter that published the review: every recommendation exists from then on, open.
LETTER_DATE = datetime.date(2021, 7, 12)
#: When a recommendation reached its status (relative to the letter), for the history.
STATUS_AFTER_DAYS = {
    RecommendationStatus.IN_PROGRESS: 120,
    RecommendationStatus.IMPLEMENTED: 700,
    RecommendationStatus.NOT_ADOPTED: 60,
}


def build(today: datetime.date | None = None) -> list[Recommendation]:
    """The recommendations, open from the letter's date and reaching their status later (their
    history says when)."""
    today = today or timezone.localdate()
    organisations = {o.code: o for o in Organisation.objects.all()}
    perspectives = {p.number: p for p in ActionPerspective.objects.all()}
    created = []
    for index, (number, code, owner, phase, status, text) in enumerate(RECOMMENDATIONS):
        recommendation, _ = Recommendation.objects.update_or_create(
            code=code,
            defaults={
                "perspective": perspectives[number],
                "owner": organisations[owner],
                "phase": phase,
                "status": RecommendationStatus.OPEN,
                "text": text,
                "source": SourceReport.IND_REVIEW
                if code.startswith("IND")
                else SourceReport.CHAIN_REVIEW,
            },
        )
        born(recommendation, LETTER_DATE)
        if status != RecommendationStatus.OPEN:
            reached = LETTER_DATE + datetime.timedelta(days=STATUS_AFTER_DAYS[status] + 15 * index)
            changed(recommendation, min(reached, today - datetime.timedelta(days=7)), status=status)
        created.append(recommendation)
    return created
