"""The Prognose page: the rounds side by side with the realisation, the scenarios of one round,
and the scorecard per round and year."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.pages.forecast import round_label
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload, forecast_rounds, forecast_scenarios

URL = "/dashboards/prognose/"


@pytest.fixture
def forecast_page(db, client, viewer):
    forecast_rounds()
    rebuild_dashboards()
    client.force_login(viewer)
    return client.get(URL).content.decode()


def text(html: str) -> str:
    """What a reader sees: the page without its tags and without the charts' data (a script
    of JSON, whose points carry their lineage addresses)."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_rounds_are_shown_side_by_side_with_the_realisation(forecast_page):
    page = forecast_page
    rounds_table = page[page.index("Prognoserondes") : page.index("Scenario&#x27;s van")]
    for round_ in ("2024-06", "2025-06", "2026-06"):
        assert f'<th scope="col" class="num">{round_label(round_)}</th>' in rounds_table
    assert "Gerealiseerd: Asielaanvragen" in rounds_table
    # 2025: the expected scenarios of 2024-06 and 2025-06 beside the 36000 realised.
    row = text(rounds_table[rounds_table.index('<th scope="row">2025') :])
    assert row.strip().startswith("2025 25000 40000 – geen cijfer 36000 ja")


def test_labels_not_codes_and_the_incomplete_year_is_marked(forecast_page):
    page = forecast_page
    assert "MPP" in page and "2024-06" not in text(page)
    assert '<th scope="row">2026 <span class="incomplete">onvolledig</span></th>' in page


def test_the_scorecard_scores_every_round_and_year(forecast_page):
    card = text(forecast_page[forecast_page.index('id="scorecard-heading"') :])
    assert (
        f"{round_label('2024-06')} 2025 20000 25000 30000 36000 nee, buiten de bandbreedte -30,6 %"
        in card
    )
    assert (
        f"{round_label('2025-06')} 2025 30000 40000 45000 36000 ja, binnen de bandbreedte 11,1 %"
        in card
    )
    assert (
        f"{round_label('2026-06')} 2026 onvolledig 33000 37000 44000 7500 jaar nog niet compleet "
        "nog niet te beoordelen"
    ) in card


def test_the_scenarios_of_the_round_chosen_are_shown(db, client, viewer):
    forecast_rounds()
    rebuild_dashboards()
    client.force_login(viewer)
    page = client.get(URL + "?ronde=2025-06").content.decode()
    assert f"Scenario&#x27;s van {round_label('2025-06')}" in page
    latest = client.get(URL).content.decode()
    assert f"Scenario&#x27;s van {round_label('2026-06')}" in latest


def test_the_page_runs_the_same_queries_for_three_rounds_and_twelve(db, client, viewer):
    client.force_login(viewer)
    forecast_rounds()
    rebuild_dashboards()
    client.get("/dashboards/uitvoering/")  # the session's first request records the login

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL + "?van=2020").status_code == 200
        return len(queries)

    few = count()
    for year in range(2015, 2024):
        approved_upload("JENV", forecast_scenarios(str(year + 1), 1, 2, 3), round_=f"{year}-06")
    rebuild_dashboards()
    assert count() == few


def test_figures_sent_before_rounds_existed_stay_a_series_of_their_own(db, client, viewer):
    approved_upload("JENV", forecast_scenarios("2025", 1, 2, 3))  # no round: sent before 0017
    approved_upload("JENV", forecast_scenarios("2025", 4, 5, 6), round_="2025-06")
    rebuild_dashboards()
    client.force_login(viewer)
    card = text(client.get(URL).content.decode())
    assert f"{round_label('')} 2025 onvolledig 1 2 3" in card
    assert f"{round_label('2025-06')} 2025 onvolledig 4 5 6" in card
    body = client.get(
        "/api/v1/series/?indicator=forecast_asylum_inflow&frequency=year&scenario=low"
    ).json()
    assert (body["round"], body["points"][0]["value"]) == ("2025-06", 4)
