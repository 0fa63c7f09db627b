"""Seeds the indicator catalogue of DESIGN.md."""

from django.db import migrations

CATALOGUE = [
    # code, label nl, label en, owner, unit, frequency, aggregation, dimensions, is_count, forecast
    ("asylum_applications", "Asielaanvragen", "Asylum applications", "IND", "persons", "month", "sum",
     {"application_type": ["first", "follow_up", "family_reunification"]}, True, False),
    ("asylum_decisions", "Beslissingen in eerste aanleg", "First-instance decisions", "IND", "decisions", "month", "sum",
     {"outcome": ["granted", "rejected", "other"]}, True, False),
    ("asylum_pending", "Openstaande asielaanvragen", "Pending asylum applications", "IND", "applications", "month", "last",
     {}, True, False),
    ("asylum_lead_time", "Gemiddelde doorlooptijd asielaanvraag", "Average lead time of an asylum application", "IND",
     "days", "quarter", "mean", {}, False, False),
    ("reception_occupancy", "Bezetting opvang", "Reception occupancy", "COA", "persons", "month", "last", {}, True, False),
    ("reception_capacity", "Opvangcapaciteit", "Reception capacity", "COA", "places", "month", "last", {}, True, False),
    ("reception_status_holders", "Vergunninghouders in de opvang", "Status holders in reception", "COA", "persons",
     "month", "last", {}, True, False),
    ("departures", "Vertrek", "Departures", "DTV", "persons", "month", "sum",
     {"departure_type": ["independent", "forced", "unsupervised"]}, True, False),
    ("return_intake", "Instroom DT&V", "Intake DT&V", "DTV", "persons", "month", "sum",
     {"source": ["ind", "police", "kmar", "other"]}, True, False),
    ("registrations", "Registraties vreemdelingen", "Registrations of foreign nationals", "POL", "persons", "month",
     "sum", {}, True, False),
    ("forecast_asylum_inflow", "MPP-prognose asielinstroom", "MPP forecast of asylum inflow", "JENV", "persons",
     "year", "sum", {"scenario": ["low", "expected", "high"]}, True, True),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("dashboards", "Indicator")
    Organisation = apps.get_model("governance", "Organisation")
    owners = {o.code: o for o in Organisation.objects.all()}
    for code, label, label_en, owner, unit, frequency, aggregation, dimensions, is_count, forecast in CATALOGUE:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label, "label_en": label_en, "owner": owners[owner], "unit": unit,
                "frequency": frequency, "aggregation": aggregation, "dimensions": dimensions,
                "is_count": is_count, "is_forecast": forecast,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial"), ("governance", "0002_seed_chain")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
