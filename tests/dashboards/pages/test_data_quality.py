"""Datakwaliteit, tested without the client: timeliness and completeness from the one rule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.models import Upload
from dashboards.pages import data_quality
from dashboards.uploads import deliveries
from tests.dashboards.factories import approved_upload
from tests.factories import org

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)  # 2026-Q4 runs; 2026-Q3 was due on 30 October


def sent_on(upload, day):
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Upload.objects.filter(pk=upload.pk).update(uploaded_at=when)


def charts_of(**filters):
    result = data_quality.figures(today=TODAY, **filters)
    return {chart.slug: chart for chart in result["charts"]}


def test_a_quarter_is_on_time_per_indicator_not_because_one_indicator_was():
    months = ("07", "08", "09")
    sent_on(
        approved_upload("IND", {("asylum_pending", f"2026-{m}", ""): 1 for m in months}),
        datetime.date(2026, 10, 10),
    )
    timeliness = charts_of(chosen=org("IND"))["tijdigheid"]
    [q3] = [row for row in timeliness.rows if row[1] == "2026-Q3"]
    on_time, late, missing = q3[2:5]
    assert on_time == 1  # asylum_pending
    assert late == 0
    assert missing == 3  # applications, decisions and lead time were due too


def test_the_running_quarter_is_marked_and_counted_as_not_due():
    timeliness = charts_of(chosen=org("COA"))["tijdigheid"]
    [q4] = [row for row in timeliness.rows if row[1].startswith("2026-Q4")]
    assert q4[1] == "2026-Q4 (lopend)"
    assert q4[2:5] == [0, 0, 0]
    assert q4[5] == 3  # COA's three indicators, not due yet


def test_completeness_counts_the_current_figures_per_organisation():
    approved_upload("COA", {("reception_capacity", f"2026-{m}", ""): 9 for m in ("07", "08", "09")})
    completeness = charts_of()["volledigheid"]
    rows = {(row[0], row[1]): row[2:] for row in completeness.rows}
    assert rows[("COA", "2026-Q3")] == [1, 3, 33]
    assert rows[("IND", "2026-Q3")][0] == 0
    assert "2026-Q3" in completeness.summary


def test_every_organisation_that_owns_an_indicator_is_shown_jenv_included():
    organisations = {row[0] for row in charts_of()["tijdigheid"].rows}
    assert organisations == {"COA", "DTV", "IND", "JENV", "POL"}


def test_jenvs_forecast_counts_in_the_last_quarter_of_its_year():
    sent_on(
        approved_upload("JENV", {("forecast_asylum_inflow", "2025", "scenario=expected"): 4}),
        datetime.date(2025, 2, 1),
    )
    rows = {(row[0], row[1]): row[2:] for row in charts_of()["tijdigheid"].rows}
    assert rows[("JENV", "2025-Q4")] == [1, 0, 0, 0]  # on time, late, missing, not due
    assert ("JENV", "2025-Q3") not in rows
    assert rows[("JENV", "2026-Q4 (lopend)")] == [0, 0, 0, 1]


def test_datakwaliteit_the_delivery_page_and_the_api_tell_one_story(ind_partner):
    sent_on(
        approved_upload(
            "IND", {("asylum_pending", f"2026-{m}", ""): 1 for m in ("07", "08", "09")}
        ),
        datetime.date(2026, 11, 5),
    )
    _quarters, table = deliveries.delivery_overview(org("IND"), today=TODAY)
    page = {(i.code, c.period.canonical): c.status for i, cells in table for c in cells if c}
    assert page[("asylum_pending", "2026-Q3")] == deliveries.LATE
    [q3] = [row for row in charts_of(chosen=org("IND"))["tijdigheid"].rows if row[1] == "2026-Q3"]
    statuses = [s for (code, q), s in page.items() if q == "2026-Q3"]
    assert q3[2:6] == [statuses.count(s) for s in ("on_time", "late", "missing", "not_due")]
    client = APIClient()
    client.force_authenticate(ind_partner)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *a: TODAY)
        rows = client.get("/api/v1/deliveries/?organisation=IND").json()
    assert {(r["indicator"], r["period"]): r["status"] for r in rows} == page


def test_the_headline_and_the_chart_tell_the_same_story():
    timeliness = charts_of()["tijdigheid"]
    due = sum(row[2] + row[3] + row[4] for row in timeliness.rows)
    assert f"Van de {due} aanleveringen" in timeliness.summary
    traces = timeliness.figure["data"]
    assert sum(sum(trace["y"]) for trace in traces) == due
