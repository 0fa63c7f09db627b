"""Seeds three plausible chain consistency rules (issue 12); regie changes them in the portal."""

from decimal import Decimal

from django.db import migrations

RULES = [
    {
        "name": "Bezetting binnen de capaciteit",
        "name_en": "Occupancy within capacity",
        "explanation": "Het aantal personen in de opvang van het COA hoort aan het eind van het kwartaal niet boven het aantal opvangplaatsen te liggen. Ligt het erboven, dan is er noodopvang buiten de capaciteit of klopt een van beide cijfers niet.",
        "explanation_en": "The number of persons in COA reception should not exceed the number of reception places at the end of the quarter. If it does, there is emergency reception beyond capacity or one of the figures is wrong.",
        "left": "reception_occupancy", "left_key": "", "right": "reception_capacity", "right_key": "",
        "lag_min": 0, "lag_max": 0, "low": None, "high": Decimal("1.0"),
    },
    {
        "name": "Instroom DT&V volgt de afwijzingen van de IND",
        "name_en": "DT&V intake follows IND's rejections",
        "explanation": "Wie een afwijzing van de IND krijgt, komt een tot twee kwartalen later bij DT&V in beeld. De instroom bij DT&V vanuit de IND hoort daarom in verhouding te staan tot de afwijzingen van één en twee kwartalen eerder.",
        "explanation_en": "People whose application IND rejects reach DT&V one or two quarters later, so DT&V's intake from IND should be in proportion to the rejections of one and two quarters before.",
        "left": "return_intake", "left_key": "source=ind", "right": "asylum_decisions", "right_key": "outcome=rejected",
        "lag_min": 1, "lag_max": 2, "low": Decimal("0.3"), "high": Decimal("1.2"),
    },
    {
        "name": "Registraties en eerste aanvragen bewegen samen",
        "name_en": "Registrations and first applications move together",
        "explanation": "Vrijwel iedere eerste asielaanvraag begint met een registratie door Politie/AVIM in hetzelfde kwartaal. Loopt de verhouding sterk uiteen, dan mist er een aanlevering of verschillen de definities.",
        "explanation_en": "Nearly every first asylum application starts with a registration by Politie/AVIM in the same quarter. If the ratio drifts far apart, a delivery is missing or the definitions differ.",
        "left": "registrations", "left_key": "", "right": "asylum_applications", "right_key": "application_type=first",
        "lag_min": 0, "lag_max": 0, "low": Decimal("0.8"), "high": Decimal("1.6"),
    },
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("dashboards", "Indicator")
    Rule = apps.get_model("dashboards", "ConsistencyRule")
    indicators = {i.code: i for i in Indicator.objects.all()}
    for fields in RULES:
        fields = dict(fields)
        left, right = indicators.get(fields.pop("left")), indicators.get(fields.pop("right"))
        if left is None or right is None:
            continue
        Rule.objects.get_or_create(name=fields["name"], defaults={**fields, "left": left, "right": right})


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0011_consistency_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
