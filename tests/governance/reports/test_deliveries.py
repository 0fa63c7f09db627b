"""The report's deliveries: the one delivery rule, on the report's date, with the uploads
approved by then."""

import datetime

import pytest
from django.utils import timezone

from dashboards.models import Upload
from governance.reports.deliveries import delivery_section
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def pending(months: tuple[str, ...], sent: datetime.date, approved: datetime.date) -> Upload:
    upload = approved_upload("IND", {("asylum_pending", f"2026-{m}", ""): 5 for m in months})
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=at(sent), decided_at=at(approved))
    return upload


def ind(section: dict) -> dict:
    return next(o for o in section["organisations"] if o["code"] == "IND")


def statuses(section: dict, organisation: dict) -> dict[str, int]:
    return {
        s["status"]: n for s, n in zip(section["statuses"], organisation["counts"], strict=True)
    }


def test_the_section_judges_the_last_two_quarters_on_the_report_date():
    pending(
        ("07", "08", "09"), sent=datetime.date(2026, 10, 10), approved=datetime.date(2026, 10, 12)
    )
    pending(
        ("04", "05", "06"), sent=datetime.date(2026, 10, 15), approved=datetime.date(2026, 10, 16)
    )
    section = delivery_section(datetime.date(2026, 11, 20), at(datetime.date(2026, 11, 20)))
    assert section["quarters"] == ["2026-Q2", "2026-Q3"]
    problems = {(p["indicator"], p["period"]): p for p in ind(section)["problems"]}
    late = problems[("Openstaande asielaanvragen", "2026-Q2")]
    assert (late["status"], late["first_delivered_on"]) == ("late", "2026-10-15")
    assert ("Openstaande asielaanvragen", "2026-Q3") not in problems  # on time
    counted = statuses(section, ind(section))
    assert counted["on_time"] == 1 and counted["late"] == 1
    # Every organisation that owns an indicator is judged (COA, DT&V and Politie sent nothing).
    assert {"COA", "DTV", "POL"} <= {o["code"] for o in section["organisations"]}


def test_uploads_approved_after_the_report_moment_do_not_count():
    pending(
        ("07", "08", "09"), sent=datetime.date(2026, 10, 10), approved=datetime.date(2026, 11, 25)
    )
    section = delivery_section(datetime.date(2026, 11, 20), at(datetime.date(2026, 11, 20)))
    problems = {(p["indicator"], p["period"]): p for p in ind(section)["problems"]}
    missing = problems[("Openstaande asielaanvragen", "2026-Q3")]
    assert (missing["status"], missing["first_delivered_on"]) == ("missing", None)
    # Judged today, the same upload was on time: the report keeps what was true on its date.
    today = delivery_section(datetime.date(2026, 11, 30), at(datetime.date(2026, 11, 30)))
    assert ("Openstaande asielaanvragen", "2026-Q3") not in {
        (p["indicator"], p["period"]) for p in ind(today)["problems"]
    }
