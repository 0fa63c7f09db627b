"""Dutch and English labels for the seeded catalogue's dimensions and values (issue 11 item 4),
and the realisation of the MPP forecast (its total is compared with asylum applications)."""

from django.db import migrations

LABELS = {
    "asylum_applications": {
        "application_type": (
            "Soort aanvraag", "Application type",
            {
                "first": ("Eerste aanvraag", "First application"),
                "follow_up": ("Opvolgende aanvraag", "Subsequent application"),
                "family_reunification": ("Nareis", "Family reunification"),
            },
        ),
    },
    "asylum_decisions": {
        "outcome": (
            "Uitkomst", "Outcome",
            {
                "granted": ("Ingewilligd", "Granted"),
                "rejected": ("Afgewezen", "Rejected"),
                "other": ("Overig", "Other"),
            },
        ),
    },
    "departures": {
        "departure_type": (
            "Soort vertrek", "Departure type",
            {
                "independent": ("Zelfstandig", "Independent"),
                "forced": ("Gedwongen", "Forced"),
                "unsupervised": ("Met onbekende bestemming", "To an unknown destination"),
            },
        ),
    },
    "return_intake": {
        "source": (
            "Herkomst", "Origin",
            {
                "ind": ("IND", "IND"),
                "police": ("Politie", "Police"),
                "kmar": ("KMar", "KMar"),
                "other": ("Overig", "Other"),
            },
        ),
    },
    "forecast_asylum_inflow": {
        "scenario": (
            "Scenario", "Scenario",
            {
                "low": ("Laag", "Low"),
                "expected": ("Verwacht", "Expected"),
                "high": ("Hoog", "High"),
            },
        ),
    },
}


def labels_of(dimensions):
    return {
        name: {
            "label_nl": nl,
            "label_en": en,
            "values": {code: {"label_nl": v_nl, "label_en": v_en} for code, (v_nl, v_en) in values.items()},
        }
        for name, (nl, en, values) in dimensions.items()
    }


def seed(apps, schema_editor):
    Indicator = apps.get_model("dashboards", "Indicator")
    for code, dimensions in LABELS.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None or indicator.dimension_labels:
            continue  # removed, or already labelled by hand
        indicator.dimension_labels = labels_of(dimensions)
        indicator.save(update_fields=["dimension_labels"])
    forecast = Indicator.objects.filter(code="forecast_asylum_inflow", realised_by=None).first()
    realisation = Indicator.objects.filter(code="asylum_applications").first()
    if forecast is not None and realisation is not None:
        forecast.realised_by = realisation
        forecast.save(update_fields=["realised_by"])


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0013_indicator_labels_and_realisation")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
