"""The demo delivers every indicator through the real upload services."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Max, Min

from dashboards.models import CurrentCell, Indicator, Upload, UploadIssue, UploadStatus
from governance.accounts.services import save_portal_user
from governance.demo import figures as demo
from governance.models import Organisation, Role

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 28)


def test_the_demo_delivers_every_indicator_from_2019_to_the_last_complete_quarter():
    save_portal_user(
        username="regie", organisation=Organisation.objects.get(code="JENV"), role=Role.REGIE
    )
    demo.build(today=TODAY)
    spans = {
        row["indicator__code"]: (row["first"], row["last"])
        for row in CurrentCell.objects.values("indicator__code").annotate(
            first=Min("period"), last=Max("period"), n=Count("id")
        )
    }
    for indicator in Indicator.objects.active():
        first, last = spans[indicator.code]
        assert first.startswith("2019"), indicator.code
        if indicator.frequency == "month":
            assert last == "2026-09", indicator.code
        elif indicator.frequency == "quarter":
            assert last == "2026-Q3", indicator.code
    statuses = dict(Upload.objects.values_list("status").annotate(n=Count("id")))
    assert statuses[UploadStatus.VALID] == 1 and statuses[UploadStatus.INVALID] == 1
    assert (
        UploadIssue.objects.filter(code="correction", upload__status=UploadStatus.APPROVED).count()
        == 1
    )
    assert UploadIssue.objects.filter(
        code="change_vs_previous", upload__status=UploadStatus.APPROVED
    ).exists()


def test_the_demo_sends_forecast_rounds_that_the_prognose_page_can_score():
    from dashboards.forecasts.accuracy import scorecard
    from dashboards.rebuild.build import rebuild_dashboards

    save_portal_user(
        username="regie", organisation=Organisation.objects.get(code="JENV"), role=Role.REGIE
    )
    demo.build(today=TODAY)
    rounds = set(
        CurrentCell.objects.filter(indicator__code="forecast_asylum_inflow").values_list(
            "round", flat=True
        )
    )
    assert len(rounds) >= 2 and "" not in rounds
    assert "2026-06" in rounds  # the latest round, published before TODAY
    rebuild_dashboards()
    card = scorecard(Indicator.objects.get(code="forecast_asylum_inflow"))
    scored = [s for s in card.scores if s.realisation is not None]
    assert {s.round for s in scored} >= {"2024-06", "2025-06"}
    assert all(s.error_pct is not None and s.within_range is not None for s in scored)
