"""The one delivery rule: delivered when all months (or the quarter figure) were in approved
uploads, due on the indicator's own deadline, judged from the uploads' history."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.models import Indicator, Upload, UploadStatus
from dashboards.uploads import deliveries
from ketenportaal.periods import Period
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

Q3 = Period.parse("2026-Q3")  # ends 30 September; due 30 October with the default 30 days


def sent_on(upload: Upload, day: datetime.date) -> Upload:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=moment)
    return upload


def months(*names: str, value: int = 5) -> dict:
    return {("asylum_pending", f"2026-{m}", ""): value for m in names}


def delivery(today: datetime.date, code: str = "asylum_pending", quarter: Period = Q3):
    indicator = Indicator.objects.select_related("owner").get(code=code)
    [found] = deliveries.deliveries(indicators=[indicator], quarters=[quarter], today=today)
    return found


def test_a_running_quarter_is_not_due():
    assert delivery(datetime.date(2026, 9, 15)).status == deliveries.NOT_DUE


def test_an_ended_quarter_is_not_due_until_its_term_has_passed():
    assert delivery(datetime.date(2026, 10, 30)).status == deliveries.NOT_DUE
    assert delivery(datetime.date(2026, 10, 31)).status == deliveries.MISSING


def test_all_months_by_the_deadline_is_on_time_on_the_day_the_last_one_came():
    sent_on(approved_upload("IND", months("07", "08")), datetime.date(2026, 10, 5))
    sent_on(approved_upload("IND", months("09")), datetime.date(2026, 10, 20))
    found = delivery(datetime.date(2026, 12, 1))
    assert (found.status, found.first_delivered_on) == (
        deliveries.ON_TIME,
        datetime.date(2026, 10, 20),
    )
    assert found.complete and found.cells == 3


def test_the_last_month_after_the_deadline_makes_the_quarter_late():
    sent_on(approved_upload("IND", months("07", "08")), datetime.date(2026, 10, 5))
    sent_on(approved_upload("IND", months("09")), datetime.date(2026, 11, 2))
    assert delivery(datetime.date(2026, 12, 1)).status == deliveries.LATE


def test_two_months_of_three_is_not_a_delivery():
    sent_on(approved_upload("IND", months("07", "08")), datetime.date(2026, 10, 5))
    found = delivery(datetime.date(2026, 12, 1))
    assert (found.status, found.complete, found.first_delivered_on) == (
        deliveries.MISSING,
        False,
        None,
    )


def test_a_later_correction_does_not_make_an_on_time_delivery_late():
    sent_on(approved_upload("IND", months("07", "08", "09")), datetime.date(2026, 10, 10))
    sent_on(approved_upload("IND", months("08", value=6)), datetime.date(2026, 11, 20))
    found = delivery(datetime.date(2026, 12, 1))
    assert (found.status, found.first_delivered_on) == (
        deliveries.ON_TIME,
        datetime.date(2026, 10, 10),
    )


def test_a_quarter_figure_delivers_the_quarter():
    upload = approved_upload("IND", {("asylum_lead_time", "2026-Q3", ""): 120})
    sent_on(upload, datetime.date(2026, 10, 29))
    assert delivery(datetime.date(2026, 12, 1), "asylum_lead_time").status == deliveries.ON_TIME


def test_the_indicators_own_deadline_is_the_one_that_counts():
    Indicator.objects.filter(code="asylum_pending").update(delivery_deadline_days=60)
    sent_on(approved_upload("IND", months("07", "08", "09")), datetime.date(2026, 11, 20))
    found = delivery(datetime.date(2026, 12, 1))
    assert found.due_on == datetime.date(2026, 11, 29)
    assert found.status == deliveries.ON_TIME


def test_figures_that_were_never_approved_deliver_nothing():
    for status in (UploadStatus.VALID, UploadStatus.REJECTED):
        upload = approved_upload("IND", months("07", "08", "09"), status=status)
        sent_on(upload, datetime.date(2026, 10, 5))
    assert delivery(datetime.date(2026, 12, 1)).status == deliveries.MISSING


def test_any_dimension_value_counts_for_its_month():
    figures = {
        ("asylum_applications", f"2026-{m}", "application_type=first"): 3 for m in ("07", "08")
    } | {("asylum_applications", "2026-09", "application_type=follow_up"): 1}
    sent_on(approved_upload("IND", figures), datetime.date(2026, 10, 1))
    found = delivery(datetime.date(2026, 12, 1), "asylum_applications")
    assert found.status == deliveries.ON_TIME


def test_deliveries_take_the_same_queries_for_one_indicator_or_all_of_them():
    approved_upload("IND", months("07", "08", "09"))
    quarters = [Q3.previous(), Q3]
    one = list(Indicator.objects.filter(code="asylum_pending").select_related("owner"))
    every = deliveries.indicators_owned_by(o for o in {i.owner for i in Indicator.objects.all()})
    quarterly = [i for i in every if i.frequency in deliveries.QUARTERLY]
    with CaptureQueriesContext(connection) as few:
        deliveries.deliveries(indicators=one, quarters=quarters, with_warnings=True)
    with CaptureQueriesContext(connection) as many:
        found = deliveries.deliveries(indicators=every, quarters=quarters, with_warnings=True)
    assert len(found) == 2 * len(quarterly) > 2  # Q2 and Q3 end no year
    assert len(many.captured_queries) == len(few.captured_queries) == 3


def test_forecasts_and_yearly_indicators_are_judged_per_year_not_per_quarter():
    forecast_indicator = Indicator.objects.get(code="forecast_asylum_inflow")
    assert deliveries.periods_due(forecast_indicator, [Q3.previous(), Q3]) == []
    q4 = Period.parse("2025-Q4")
    assert deliveries.periods_due(forecast_indicator, [q4]) == [Period.parse("2025")]


def test_the_last_period_due_is_a_quarter_or_for_a_yearly_indicator_a_year():
    monthly = Indicator.objects.get(code="asylum_applications")
    yearly = Indicator.objects.get(code="forecast_asylum_inflow")
    today = datetime.date(2026, 12, 2)
    # 2026-Q3 ended on 30 September; its term (30 days by default) has passed.
    assert deliveries.last_due(monthly, today) == Period.parse("2026-Q3")
    assert deliveries.last_due(monthly, datetime.date(2026, 10, 20)) == Period.parse("2026-Q2")
    assert deliveries.last_due(yearly, today) == Period.parse("2025")
    assert deliveries.last_due(yearly, datetime.date(2026, 1, 10)) == Period.parse("2024")


# ---------------------------------------------------------------- every owner, JENV too


def forecast(year: str, value: int = 40000) -> dict:
    return {("forecast_asylum_inflow", year, "scenario=expected"): value}


def test_jenvs_forecast_is_judged_per_year_in_the_years_last_quarter():
    jenv = Indicator.objects.get(code="forecast_asylum_inflow").owner
    owned = deliveries.indicators_owned_by([jenv])
    assert [i.code for i in owned] == ["forecast_asylum_inflow"]
    sent_on(approved_upload("JENV", forecast("2025")), datetime.date(2025, 3, 1))
    quarters = Period.year_of(2025).parts("quarter")
    [found] = deliveries.deliveries(
        indicators=owned, quarters=quarters, today=datetime.date(2026, 12, 1)
    )
    assert (found.period.canonical, found.in_quarter.canonical) == ("2025", "2025-Q4")
    assert (found.status, found.due_on, found.complete) == (
        deliveries.ON_TIME,
        datetime.date(2026, 1, 30),
        True,
    )
    [running] = deliveries.deliveries(
        indicators=owned,
        quarters=Period.year_of(2026).parts("quarter"),
        today=datetime.date(2026, 12, 1),
    )
    assert running.status == deliveries.NOT_DUE


def test_the_delivery_page_puts_a_yearly_indicator_in_the_years_last_quarter():
    jenv = Indicator.objects.get(code="forecast_asylum_inflow").owner
    quarters, table = deliveries.delivery_overview(jenv, today=datetime.date(2026, 12, 1))
    [(_indicator, cells)] = table
    assert [q.canonical for q, c in zip(quarters, cells, strict=True) if c is not None] == [
        "2025-Q4",
        "2026-Q4",
    ]
