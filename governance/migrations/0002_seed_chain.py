"""Seeds the chain partners and the review's structure as Kamerbrief 19 637, nr. 2764 gives it."""

from django.db import migrations

ORGANISATIONS = [
    ("IND", "Immigratie- en Naturalisatiedienst", "Immigration and Naturalisation Service", True),
    ("COA", "Centraal Orgaan opvang asielzoekers", "Central Agency for the Reception of Asylum Seekers", True),
    ("DTV", "Dienst Terugkeer en Vertrek", "Repatriation and Departure Service", True),
    ("POL", "Politie / AVIM", "Police / AVIM", True),
    ("JENV", "DG Migratie / Regie Migratieketen", "DG Migration / Migration Chain Directorate", False),
]

THEMES = [
    (
        1,
        "Bewuster werken vanuit de ketengedachte",
        "Working more consciously from the chain perspective",
        "Het verleggen van de focus op (de resultaten van) de eigen organisatie naar de focus op "
        "(de resultaten van) de keten, zonder de focus op de eigen taak uit het oog te verliezen.",
    ),
    (
        2,
        "Verbeteren van de governance en sturing",
        "Improving governance and steering",
        "Het in lijn brengen van de sturing op en binnen de keten met de sturing op de individuele "
        "opdrachten van de ketenpartners.",
    ),
    (
        3,
        "Optimaliseren van de keteninformatievoorziening",
        "Optimising the chain's information provision",
        "Investeren in de beschikbaarheid van eenduidige stuur- en verantwoordingsinformatie op en "
        "van de keten en het beter uitwisselen van informatie die medewerkers nodig hebben.",
    ),
    (
        4,
        "Bekostiging die past bij de dynamiek van de asielketen",
        "Funding that fits the dynamics of the asylum chain",
        "Het laten aansluiten van de financiering van de ketenpartners passend bij de benodigde "
        "stabiliteit én flexibiliteit.",
    ),
]

# (number, Dutch title, English title, theme numbers)
PERSPECTIVES = [
    (1, "Definieer een ketendoelstelling en vertaal deze door naar opdrachten voor de keten en ketenpartners",
     "Define a chain objective and translate it into assignments for the chain and its partners", [1]),
    (2, "Verbeter de governance van de keten", "Improve the governance of the chain", [2]),
    (3, "Implementeer over de gehele breedte van de keten een sluitende PDCA-cyclus",
     "Implement a closed PDCA cycle across the whole chain", [2, 3]),
    (4, "Sluit de bekostiging aan op de benodigde flexibiliteit van de organisaties",
     "Align funding with the flexibility the organisations need", [4]),
    (5, "Versterk de ketencultuur", "Strengthen the chain culture", [1]),
    (6, "Investeer in de driehoek", "Invest in the steering triangle", [2]),
    (7, "Benader de doorontwikkeling van informatie-uitwisseling (in het primair proces) meer vanuit het ketenperspectief",
     "Develop information exchange (in the primary process) more from the chain perspective", [3]),
    (8, "Evalueer verantwoordelijkheden en processen aan de hand van de ketendoelstelling",
     "Evaluate responsibilities and processes against the chain objective", [1]),
    (9, "Herzie de aansturing van de Politie en de positie van de AVIM binnen de politie",
     "Review the steering of the Police and the position of AVIM within the police", [2]),
]


def seed(apps, schema_editor):
    Organisation = apps.get_model("governance", "Organisation")
    Theme = apps.get_model("governance", "Theme")
    ActionPerspective = apps.get_model("governance", "ActionPerspective")
    for code, name, name_en, partner in ORGANISATIONS:
        Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "is_chain_partner": partner}
        )
    themes = {}
    for number, title, title_en, aim in THEMES:
        themes[number], _ = Theme.objects.update_or_create(
            number=number, defaults={"title": title, "title_en": title_en, "aim": aim}
        )
    for number, title, title_en, theme_numbers in PERSPECTIVES:
        perspective, _ = ActionPerspective.objects.update_or_create(
            number=number, defaults={"title": title, "title_en": title_en}
        )
        perspective.themes.set([themes[n] for n in theme_numbers])


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
