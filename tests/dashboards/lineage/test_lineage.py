"""Lineage (issue 12): the current cells behind a figure, their uploads and what they superseded."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from dashboards.lineage.cells import lineage, total
from dashboards.models import Indicator, Upload
from governance.models import Organisation
from ketenportaal.periods import Period
from tests.dashboards.factories import approved_upload

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_suppression")]

Q1 = Period.parse("2024-Q1")


def approve_at(upload: Upload, day: int) -> Upload:
    Upload.objects.filter(pk=upload.pk).update(
        decided_at=timezone.make_aware(datetime.datetime(2024, 5, day, 12))
    )
    upload.refresh_from_db()
    return upload


@pytest.fixture
def corrected():
    """IND's first-application months of 2024-Q1, with February corrected by a second upload;
    COA's occupancy (a stock) for the same months."""
    first = approve_at(
        approved_upload(
            "IND",
            {
                ("asylum_applications", f"2024-{m:02d}", "application_type=first"): 100 * m
                for m in (1, 2, 3)
            }
            | {("asylum_applications", "2024-01", "application_type=follow_up"): 7},
        ),
        1,
    )
    second = approve_at(
        approved_upload("IND", {("asylum_applications", "2024-02", "application_type=first"): 250}),
        9,
    )
    approve_at(
        approved_upload(
            "COA", {("reception_occupancy", f"2024-{m:02d}", ""): m for m in (1, 2, 3)}
        ),
        2,
    )
    return first, second


def test_a_quarter_figure_is_made_of_its_months_with_the_value_each_superseded(corrected):
    first, second = corrected
    indicator = Indicator.objects.get(code="asylum_applications")
    cells = lineage(indicator=indicator, period=Q1, selection={"application_type": "first"})
    assert [(c.period, c.value, c.upload_id) for c in cells] == [
        ("2024-01", 100, first.pk),
        ("2024-02", 250, second.pk),
        ("2024-03", 300, first.pk),
    ]
    february = cells[1]
    assert [(old.value, old.upload_id) for old in february.superseded] == [(200, first.pk)]
    assert cells[0].superseded == []
    assert total(cells) == 650
    # All application types: the follow-up cell is part of the chain total too.
    assert total(lineage(indicator=indicator, period=Q1)) == 657


def test_a_stock_counts_only_its_latest_month(corrected):
    occupancy = Indicator.objects.get(code="reception_occupancy")
    cells = lineage(indicator=occupancy, period=Q1)
    assert [(c.period, c.counted) for c in cells] == [
        ("2024-01", False),
        ("2024-02", False),
        ("2024-03", True),
    ]


def test_the_api_answers_as_the_contract_says_and_hides_no_figure_but_the_files(
    corrected, ind_partner, coa_partner
):
    first, second = corrected
    api = APIClient()
    api.force_authenticate(coa_partner)
    answer = api.get(
        "/api/v1/series/lineage/",
        {
            "indicator": "asylum_applications",
            "frequency": "quarter",
            "period": "2024-Q1",
            "application_type": "first",
        },
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["period"] == "2024-Q1"
    february = body["cells"][1]
    assert february["organisation"] == "IND"
    assert february["dimensions"] == {"application_type": "first"}
    assert february["value"] == 250
    assert february["upload"] == second.pk
    assert february["superseded"][0]["value"] == 200
    assert february["superseded"][0]["upload"] == first.pk
    assert {"submitted_at", "approved_at"} <= set(february)
    # The figure's lineage is open to COA; IND's upload itself is not.
    assert api.get(f"/api/v1/uploads/{second.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"indicator": "nope", "frequency": "quarter", "period": "2024-Q1"}, "indicator"),
        (
            {"indicator": "asylum_applications", "frequency": "quarter", "period": "2024-03"},
            "period",
        ),
        ({"indicator": "asylum_applications", "frequency": "quarter"}, "period"),
        (
            {
                "indicator": "asylum_applications",
                "frequency": "quarter",
                "period": "2024-Q1",
                "colour": "red",
            },
            "colour",
        ),
    ],
)
def test_a_bad_question_gets_a_json_message(params, field, viewer):
    api = APIClient()
    api.force_authenticate(viewer)
    answer = api.get("/api/v1/series/lineage/", params)
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_the_page_lists_the_cells_links_only_the_uploads_the_user_may_open(
    corrected, client, coa_partner, ind_partner
):
    _first, second = corrected
    url = "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-Q1"
    client.force_login(coa_partner)
    page = client.get(url).content.decode()
    assert "Herkomst van een cijfer" in page
    assert f"#{second.pk}" in page
    assert f'href="/aanleveringen/{second.pk}/"' not in page
    client.force_login(ind_partner)
    page = client.get(url).content.decode()
    assert f'href="/aanleveringen/{second.pk}/"' in page


def test_the_page_says_what_is_wrong_with_the_question(client, viewer):
    client.force_login(viewer)
    answer = client.get(
        "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-13"
    )
    assert answer.status_code == 400
    assert "Geef een periode van de gekozen frequentie" in answer.content.decode()


def test_the_page_costs_the_same_queries_for_few_and_many_cells(client, viewer):
    def many(n: int) -> None:
        approved_upload(
            "IND",
            {
                ("asylum_applications", f"2024-{m:02d}", f"application_type={t}"): m + n
                for m in (1, 2, 3)
                for t in ("first", "follow_up", "family_reunification")
            },
        )

    client.force_login(viewer)
    url = "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-Q1"
    many(0)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 6):
        Organisation.objects.create(code=f"X{n}", name=f"X{n}")
        many(n)
    with CaptureQueriesContext(connection) as lots:
        client.get(url)
    assert len(lots) == len(few)


def test_the_page_is_in_english_when_chosen(corrected, client, viewer):
    client.force_login(viewer)
    client.cookies["django_language"] = "en"
    page = client.get(
        "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-Q1",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Where a figure comes from" in page
    assert "Earlier values" in page
    assert "Herkomst van een cijfer" not in page


# ------------------------------------------------------------- the lineage of a release's figure


@pytest.fixture
def released(regie):
    """IND's first applications of 2024-Q1 frozen in a release, then February corrected."""
    from dashboards.rebuild.build import rebuild_dashboards
    from dashboards.releases.services import create_release

    first = approved_upload(
        "IND",
        {
            ("asylum_applications", f"2024-{m:02d}", "application_type=first"): 100 * m
            for m in (1, 2, 3)
        },
    )
    rebuild_dashboards()
    release = create_release(name="Kwartaal 2024-Q1", by=regie)
    second = approved_upload(
        "IND", {("asylum_applications", "2024-02", "application_type=first"): 250}
    )
    rebuild_dashboards(upload_ids=[second.pk])
    return release, first, second


def test_a_release_figure_is_made_of_the_cells_of_its_moment_each_with_its_correction(released):
    from dashboards.rebuild.series import points

    release, first, second = released
    indicator = Indicator.objects.get(code="asylum_applications")
    frozen = lineage(indicator=indicator, period=Q1, release=release)
    assert [(c.period, c.value, c.upload_id) for c in frozen] == [
        ("2024-01", 100, first.pk),
        ("2024-02", 200, first.pk),
        ("2024-03", 300, first.pk),
    ]
    assert [(c.corrected.value, c.corrected.upload_id) if c.corrected else None
            for c in frozen] == [None, (250, second.pk), None]  # fmt: skip
    # The lineage adds up to the figure the release shows, and today's to today's figure.
    figure = {p.period: p.value for p in points(indicator=indicator, frequency="quarter",
                                                viewer=None, release=release)}  # fmt: skip
    assert total(frozen) == figure["2024-Q1"] == 600
    today = lineage(indicator=indicator, period=Q1)
    assert total(today) == 650
    assert [(old.value, old.upload_id) for old in today[1].superseded] == [(200, first.pk)]
    assert all(cell.corrected is None for cell in today)


def test_the_api_gives_a_release_figure_its_cells_and_their_corrections(released, viewer):
    release, first, second = released
    api = APIClient()
    api.force_authenticate(viewer)
    base = "/api/v1/series/lineage/?indicator=asylum_applications&frequency=quarter&period=2024-Q1"
    answer = api.get(f"{base}&release={release.pk}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["release"] == release.pk
    february = body["cells"][1]
    assert (february["value"], february["upload"]) == (200, first.pk)
    assert (february["corrected"]["value"], february["corrected"]["upload"]) == (250, second.pk)
    assert body["cells"][0]["corrected"] is None
    now = api.get(base).json()
    assert now["release"] is None and "corrected" not in now["cells"][1]
    assert now["cells"][1]["value"] == 250
    unknown = api.get(f"{base}&release=999999")
    assert unknown.status_code == 400
    assert "Onbekende release" in unknown.json()["errors"]["release"][0]


def test_a_dashboard_shown_as_a_release_opens_the_lineage_of_the_frozen_figures(
    released, client, viewer
):
    import re

    from django.urls import reverse

    release, _first, second = released
    client.force_login(viewer)
    frozen = client.get(reverse("dashboards:chain"), {"release": release.pk}).content.decode()
    links = re.findall(r'href="(/dashboards/herkomst/\?[^"]+)"', frozen)
    assert links and all(f"release={release.pk}" in link.replace("&amp;", "&") for link in links)
    current = client.get(reverse("dashboards:chain")).content.decode()
    now_links = re.findall(r'href="(/dashboards/herkomst/\?[^"]+)"', current)
    assert now_links and not any("release=" in link for link in now_links)

    link = next(
        link.replace("&amp;", "&")
        for link in links
        if "asylum_applications" in link and "period=2024-Q1" in link
    )
    page = client.get(link).content.decode()
    assert "Release: Kwartaal 2024-Q1, vastgesteld op" in page
    assert "1 cel is sindsdien gecorrigeerd" in page
    assert "Gecorrigeerd sinds de release" in page
    assert f'250 <span class="meta">(#{second.pk},' in page
    assert 'Som van de cellen</dt><dd class="num">600<' in page
    assert reverse("dashboards:release", args=[release.pk]) in page
    assert "Herkomst van het actuele cijfer" in page


def test_the_lineage_of_a_release_figure_is_in_english_when_chosen(released, client, viewer):
    release, _first, _second = released
    client.force_login(viewer)
    client.cookies["django_language"] = "en"
    page = client.get(
        "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-Q1"
        f"&release={release.pk}",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "This figure was made of 3 cells" in page
    assert "1 cell has been corrected since" in page
    assert "Corrected since the release" in page and "Lineage of the current figure" in page
    assert "gecorrigeerd" not in page and "Herkomst" not in page
