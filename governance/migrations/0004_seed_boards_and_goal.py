"""Seeds the boards ("gremia") and the 2021 chain goal as Kamerbrief 19 637, nr. 2764 describes them."""

import datetime

from django.db import migrations

GOAL_2021 = (
    "Ervoor zorgdragen dat asielzoekers snel en zorgvuldig worden geïdentificeerd en geregistreerd, "
    "worden opgevangen en begeleid en snel duidelijkheid krijgen over de uitkomst van hun procedure: "
    "verblijf of terugkeer. Alert zijn op signalen die wijzen op bedreiging van de nationale "
    "veiligheid. Snelle terugkeer van asielzoekers bevorderen die geen recht op verblijf hebben en "
    "bijdragen aan een snelle integratie van asielzoekers die wel recht op verblijf hebben."
)

# code, name, kind, order, chair, frequency, tasks, responsibilities, decides_on
BOARDS = [
    (
        "SD",
        "Ambtelijke sturingsdriehoek",
        "driehoek",
        1,
        "(p)SG van Justitie en Veiligheid",
        "Per kwartaal per ketenpartner",
        "Aansturing van de individuele uitvoeringsorganisaties volgens het sturingsmodel van 2017: "
        "eigenaar, opdrachtgever en opdrachtnemer stemmen opdracht, middelen en uitvoering af.",
        "De eigenaar bewaakt continuïteit en bedrijfsvoering, de opdrachtgever de opdracht en de "
        "middelen, de opdrachtnemer de uitvoering. De driehoek blijft leidend voor de aansturing van "
        "de individuele organisaties.",
        "Bijstelling van de opdracht, de begroting en de langetermijnstrategie van een ketenpartner; "
        "formele bevestiging van voorstellen uit het Topberaad die deze raken.",
    ),
    (
        "TB",
        "Topberaad Migratieketen",
        "topberaad",
        2,
        "DG Migratie",
        "Maandelijks",
        "Afstemming en sturing op de keten als geheel: bewaken van het ketendoel, bespreken van de "
        "ketenbrede stuurinformatie en de signalen daaruit (Plan-Do-Check-Act), opvolging van de "
        "doorlichting van de asielketen.",
        "Stelt ketenbrede werkafspraken, prioriteiten en het ketenplan vast. Legt voorstellen die "
        "de opdracht, de begroting of de langetermijnstrategie raken ter bevestiging voor aan de "
        "ambtelijke sturingsdriehoek. Laat nieuwe opdrachten vooraf toetsen op uitvoerbaarheid.",
        "Ketenbrede werkafspraken en prioriteiten, het ketenplan, bijsturing op signalen uit de "
        "kwartaalcijfers en de uitvoering van aanbevelingen.",
    ),
    (
        "DBA",
        "Deelberaad Asiel en Opvang",
        "deelberaad",
        3,
        "Directeur Regie Migratieketen",
        "Tweewekelijks",
        "Operationele afstemming van instroom, behandelcapaciteit van de IND en opvangcapaciteit van "
        "het COA; voorbereiden van voorstellen voor het Topberaad.",
        "Signaleert knelpunten tussen asielprocedure en opvang en lost ze binnen de bestaande "
        "opdrachten op; legt wat daarbuiten valt voor aan het Topberaad.",
        "Operationele maatregelen binnen de opdrachten van IND en COA, zoals de planning van "
        "gehoren en de spreiding over opvanglocaties.",
    ),
    (
        "DBV",
        "Deelberaad Vertrek en Terugkeer",
        "deelberaad",
        4,
        "Directeur DT&V",
        "Maandelijks",
        "Afstemming van het vertrekproces tussen IND, COA, DT&V en Politie/AVIM; voorbereiden van "
        "voorstellen voor het Topberaad.",
        "Bewaakt de doorstroom van afgewezen asielzoekers naar vertrek en de overdracht tussen de "
        "ketenpartners.",
        "Werkafspraken over overdracht van dossiers, vertrekgesprekken en inzet van de AVIM binnen "
        "de geldende opdrachten.",
    ),
    (
        "DBI",
        "Deelberaad Ketensturing en Informatie",
        "deelberaad",
        5,
        "Directeur Regie Migratieketen",
        "Maandelijks",
        "Inrichting van de ketenbrede stuurinformatie: indicatoren, definities, aanlevering en "
        "validatie van de kwartaalcijfers; voorbereiden van de PDCA-bespreking in het Topberaad.",
        "Zorgt dat alle ketenpartners en JenV over dezelfde gevalideerde stuurinformatie beschikken.",
        "De indicatorencatalogus, datadefinities en aanleverafspraken.",
    ),
]

# board, organisation, role, represented by, mandate
MEMBERS = [
    (
        "SD",
        "JENV",
        "owner",
        "(p)SG van Justitie en Veiligheid",
        "Besluit als eigenaar over begroting, bedrijfsvoering en continuïteit van de organisatie.",
    ),
    (
        "SD",
        "JENV",
        "commissioner",
        "DG Migratie",
        "Verleent en wijzigt de opdracht en besluit over de middelen binnen het begrotingskader.",
    ),
    (
        "SD",
        "IND",
        "contractor",
        "Hoofddirecteur IND",
        "Voert de opdracht uit en brengt de uitvoeringsconsequenties van voorstellen in.",
    ),
    (
        "SD",
        "COA",
        "contractor",
        "Bestuursvoorzitter COA",
        "Voert de opdracht uit en brengt de uitvoeringsconsequenties van voorstellen in.",
    ),
    (
        "SD",
        "DTV",
        "contractor",
        "Directeur DT&V",
        "Voert de opdracht uit en brengt de uitvoeringsconsequenties van voorstellen in.",
    ),
    (
        "TB",
        "JENV",
        "chair",
        "DG Migratie",
        "Voorzitter en opdrachtgever van de ketenpartners; legt opdracht- en begrotingsvragen voor aan de driehoek.",
    ),
    (
        "TB",
        "JENV",
        "secretary",
        "Directie Regie Migratieketen",
        "Bereidt de vergaderingen voor, legt besluiten vast en bewaakt de opvolging; geen stem.",
    ),
    (
        "TB",
        "IND",
        "member",
        "Hoofddirecteur IND",
        "Besluit namens de IND binnen de verleende opdracht.",
    ),
    (
        "TB",
        "COA",
        "member",
        "Bestuursvoorzitter COA",
        "Besluit namens het COA binnen de verleende opdracht.",
    ),
    ("TB", "DTV", "member", "Directeur DT&V", "Besluit namens DT&V binnen de verleende opdracht."),
    (
        "TB",
        "POL",
        "member",
        "Portefeuillehouder Vreemdelingenzaken Politie",
        "Besluit namens de politie over de vreemdelingentaken van de AVIM.",
    ),
    (
        "DBA",
        "JENV",
        "chair",
        "Directeur Regie Migratieketen",
        "Voorzitter; agendeert voorstellen voor het Topberaad.",
    ),
    (
        "DBA",
        "IND",
        "member",
        "Directeur Asiel IND",
        "Besluit over de inzet van de behandelcapaciteit van de IND.",
    ),
    (
        "DBA",
        "COA",
        "member",
        "Directeur Opvang COA",
        "Besluit over de inzet van de opvangcapaciteit van het COA.",
    ),
    ("DBV", "DTV", "chair", "Directeur DT&V", "Voorzitter; besluit over de inzet van DT&V."),
    (
        "DBV",
        "IND",
        "member",
        "Directeur Asiel IND",
        "Besluit over de overdracht van afgewezen dossiers.",
    ),
    (
        "DBV",
        "COA",
        "member",
        "Directeur Opvang COA",
        "Besluit over terugkeerbegeleiding in de opvang.",
    ),
    (
        "DBV",
        "POL",
        "member",
        "Hoofd AVIM",
        "Besluit over de inzet van de AVIM bij toezicht en vertrek.",
    ),
    (
        "DBV",
        "JENV",
        "advisor",
        "Directie Regie Migratieketen",
        "Adviseert; bewaakt de aansluiting op het ketendoel.",
    ),
    (
        "DBI",
        "JENV",
        "chair",
        "Directeur Regie Migratieketen",
        "Voorzitter; beheert de indicatorencatalogus.",
    ),
    (
        "DBI",
        "IND",
        "member",
        "Manager Informatievoorziening IND",
        "Besluit over de aanlevering van IND-cijfers.",
    ),
    (
        "DBI",
        "COA",
        "member",
        "Manager Informatie COA",
        "Besluit over de aanlevering van COA-cijfers.",
    ),
    (
        "DBI",
        "DTV",
        "member",
        "Hoofd Informatie DT&V",
        "Besluit over de aanlevering van DT&V-cijfers.",
    ),
    (
        "DBI",
        "POL",
        "member",
        "Informatiemanager AVIM",
        "Besluit over de aanlevering van politiecijfers.",
    ),
]

# source, target, kind, note
RELATIONS = [
    ("DBA", "TB", "part_of", ""),
    ("DBA", "TB", "reports_to", "Legt voorstellen buiten de bestaande opdrachten voor."),
    ("DBV", "TB", "part_of", ""),
    ("DBV", "TB", "reports_to", "Legt voorstellen buiten de bestaande opdrachten voor."),
    ("DBI", "TB", "part_of", ""),
    ("DBI", "TB", "reports_to", "Bereidt de PDCA-bespreking van de kwartaalcijfers voor."),
    (
        "TB",
        "SD",
        "reports_to",
        "Voorstellen die opdracht, begroting of langetermijnstrategie raken, worden in de driehoek bevestigd.",
    ),
]


def seed(apps, schema_editor):
    Organisation = apps.get_model("governance", "Organisation")
    Board = apps.get_model("governance", "Board")
    BoardMember = apps.get_model("governance", "BoardMember")
    BoardRelation = apps.get_model("governance", "BoardRelation")
    ChainGoal = apps.get_model("governance", "ChainGoal")
    organisations = {o.code: o for o in Organisation.objects.all()}
    boards = {}
    for code, name, kind, order, chair, frequency, tasks, responsibilities, decides_on in BOARDS:
        boards[code], _ = Board.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "order": order,
                "chair": chair,
                "frequency": frequency,
                "tasks": tasks,
                "responsibilities": responsibilities,
                "decides_on": decides_on,
            },
        )
    for board, organisation, role, represented_by, mandate in MEMBERS:
        BoardMember.objects.update_or_create(
            board=boards[board],
            organisation=organisations[organisation],
            role=role,
            defaults={"represented_by": represented_by, "mandate": mandate},
        )
    for source, target, kind, note in RELATIONS:
        BoardRelation.objects.update_or_create(
            source=boards[source], target=boards[target], kind=kind, defaults={"note": note}
        )
    ChainGoal.objects.update_or_create(
        valid_from=datetime.date(2021, 7, 12),
        defaults={"text": GOAL_2021, "source": "Kamerstuk 19 637, nr. 2764 (12 juli 2021)"},
    )


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_boards_decisions_steering")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
