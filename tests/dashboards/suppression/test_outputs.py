"""Small-number suppression across every output: the series API, the pages and their CSV/XLSX
downloads, lineage (API and page) and the report's key figures. The recovery test plays a
reader of another organisation who collects everything the portal shows and subtracts."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from dashboards.catalogue.labels import VALUE_LABELS
from dashboards.consistency.checks import as_seen_by, evaluate_all, latest_outside
from dashboards.models import ConsistencyRule
from dashboards.pages import chain
from dashboards.pages.base import indicators_by_code
from dashboards.rebuild.build import rebuild_dashboards
from governance.reports.content import key_figures
from tests.dashboards.factories import approved_upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db

VALUES = ["first", "follow_up", "family_reunification"]
KEYS = ["", *(f"application_type={v}" for v in VALUES)]
ORGANISATIONS = [None, "IND", "COA"]
MONTHS = [f"2024-{m:02d}" for m in range(1, 7)]
QUARTERS = ["2024-Q1", "2024-Q2"]
FREQUENCIES = {"month": MONTHS, "quarter": QUARTERS, "year": ["2024"]}
#: IND's months per application type; COA delivers two figures of January.
IND = {
    "first": [100, 120, 130, 40, 40, 40],
    "follow_up": [3, 10, 12, 1, 1, 1],
    "family_reunification": [8, 9, 20, 2, 2, 2],
}
COA = {("2024-01", "first"): 50, ("2024-01", "follow_up"): 6}


@pytest.fixture
def built(db):
    approved_upload(
        "IND",
        {
            ("asylum_applications", month, f"application_type={value}"): figures[i]
            for value, figures in IND.items()
            for i, month in enumerate(MONTHS)
        },
    )
    approved_upload(
        "COA",
        {("asylum_applications", m, f"application_type={v}"): n for (m, v), n in COA.items()},
    )
    rebuild_dashboards()


def series_url(frequency: str, organisation: str | None, key: str) -> str:
    url = f"/api/v1/series/?indicator=asylum_applications&frequency={frequency}"
    if organisation:
        url += f"&organisation={organisation}"
    if key:
        url += "&" + key
    return url


def all_series(client) -> dict[tuple, dict]:
    """(organisation, frequency, key, period) → the API's point, for every filter."""
    found = {}
    for frequency, organisation, key in itertools.product(FREQUENCIES, ORGANISATIONS, KEYS):
        response = client.get(series_url(frequency, organisation, key))
        assert response.status_code == 200
        for point in response.json()["points"]:
            found[(organisation, frequency, key, point["period"])] = point
    return found


def truth(client) -> dict[tuple, Decimal]:
    client.force_login(make_user("regie", "JENV"))
    return {f: Decimal(str(p["value"])) for f, p in all_series(client).items()}


def small(figures: dict[tuple, Decimal]) -> dict[tuple, Decimal]:
    return {f: v for f, v in figures.items() if f[2] and 1 <= v < 5}


# ------------------------------------------------------------------ who sees what


def test_a_reader_of_another_organisation_gets_small_breakdowns_suppressed(built, client):
    client.force_login(make_user("partner", "COA"))
    point = client.get(series_url("month", "IND", "application_type=follow_up")).json()["points"]
    assert point[0] == {"period": "2024-01", "value": None, "complete": True, "suppressed": True}
    # The total over all application types is never suppressed.
    total = client.get(series_url("month", "IND", "")).json()["points"][0]
    assert total == {"period": "2024-01", "value": 111, "complete": True}


@pytest.mark.parametrize(("role", "organisation"), [("regie", "JENV"), ("partner", "IND"),
                                                    ("admin", "JENV")])  # fmt: skip
def test_regie_the_administrator_and_the_owner_see_every_figure(built, client, role, organisation):
    client.force_login(make_user(role, organisation))
    points = client.get(series_url("month", "IND", "application_type=follow_up")).json()["points"]
    assert [p["value"] for p in points] == IND["follow_up"]
    assert all("suppressed" not in p for p in points)


def test_figures_of_a_unit_that_counts_no_persons_are_never_suppressed(db, client):
    approved_upload("COA", {("reception_capacity", "2024-01", ""): 3})
    approved_upload("IND", {("asylum_lead_time", "2024-Q1", ""): 2})
    rebuild_dashboards()
    client.force_login(make_user("viewer", "JENV"))
    for code, frequency in (("reception_capacity", "month"), ("asylum_lead_time", "quarter")):
        url = f"/api/v1/series/?indicator={code}&frequency={frequency}"
        assert [p["value"] for p in client.get(url).json()["points"]] in ([3], [2])


def test_the_chain_page_marks_a_suppressed_figure_and_explains_it(built, client):
    client.force_login(make_user("viewer", "JENV"))
    page = client.get("/dashboards/").content.decode()
    assert "&lt; 5" in page
    assert "Kleine aantallen (1–4) zijn afgeschermd" in page
    client.force_login(make_user("regie", "JENV"))
    page = client.get("/dashboards/").content.decode()
    assert "&lt; 5" not in page and "Kleine aantallen" not in page


def test_a_headline_over_suppressed_parts_gives_the_whole_not_the_visible_parts(built):
    result = chain.figures(indicators_by_code(chain.CHAIN), viewer=make_user("viewer", "JENV"))
    charts = {c.slug: c for c in result["charts"]}
    # 2024-Q2, the last complete quarter, has two parts suppressed: its headline is the whole.
    assert "129" in charts["aanvragen"].summary


def test_an_export_has_an_empty_cell_and_names_the_suppressed_column(built, client):
    client.force_login(make_user("viewer", "JENV"))
    lines = client.get("/dashboards/?csv=aanvragen").content.decode().splitlines()
    header = lines[0].split(";")
    assert header[-1] == "Afgeschermd (kleine aantallen)"
    q2 = dict(zip(header, lines[2].split(";"), strict=True))
    flagged = q2["Afgeschermd (kleine aantallen)"].split(", ")
    # The small ones, and with them what secondary suppression chose.
    assert {"Opvolgende aanvraag", "Nareis"} <= set(flagged)
    assert all(q2[column] == "" for column in flagged)


def test_the_lineage_page_hides_a_suppressed_cell(built, client):
    client.force_login(make_user("partner", "COA"))
    url = "/dashboards/herkomst/?indicator=asylum_applications&frequency=quarter&period=2024-Q2"
    page = client.get(url).content.decode()
    assert "&lt; 5" in page and "Kleine aantallen (1–4) zijn afgeschermd" in page
    client.force_login(make_user("partner", "IND"))
    assert "&lt; 5" not in client.get(url).content.decode()


def test_the_report_key_figures_are_totals_that_are_never_suppressed(built):
    figures = {f["indicator"]: f for f in key_figures(datetime.date(2024, 7, 15), None,
                                                        timezone.now())}  # fmt: skip
    assert figures["asylum_applications"]["value"] == 3 + 6 + 40 * 3  # 2024-Q2, all types


# ------------------------------------------------------------------ recovering a figure


def harvest(client) -> tuple[dict[tuple, Decimal], set[tuple]]:
    """Everything the logged-in reader is shown: known figures, and those marked suppressed."""
    known: dict[tuple, Decimal] = {}
    marked: set[tuple] = set()
    for figure, point in all_series(client).items():
        if point.get("suppressed"):
            assert point["value"] is None
            marked.add(figure)
        else:
            known[figure] = Decimal(str(point["value"]))
    label_key = {str(VALUE_LABELS[v]): f"application_type={v}" for v in VALUES}
    for organisation, value in itertools.product(ORGANISATIONS, ["", *VALUES]):
        query = f"organisation={organisation or ''}&application_type={value}"
        lines = client.get(f"/dashboards/?{query}&csv=aanvragen").content.decode().splitlines()
        header = lines[0].split(";")
        workbook = client.get(f"/dashboards/?{query}&xlsx=aanvragen").content
        sheet = list(
            openpyxl.load_workbook(io.BytesIO(workbook)).active.iter_rows(values_only=True)
        )
        assert [str(c) for c in sheet[0]] == header
        for line, cells in zip(lines[1:], sheet[1:], strict=True):
            row = line.split(";")
            for column, cell, xlsx in zip(header, row, cells, strict=True):
                if column in label_key:
                    figure = (organisation, "quarter", label_key[column], row[0])
                    assert (cell == "") == (xlsx is None)
                    if cell:
                        known[figure] = Decimal(cell)
        for quarter in QUARTERS:
            flows = client.get(f"/dashboards/?{query}&kwartaal={quarter}&csv=stromen")
            for source, _target, amount, *_rest in list(
                csv.reader(io.StringIO(flows.content.decode()), delimiter=";")
            )[1:]:
                if source in label_key and amount and amount != "< 5":
                    known[(organisation, "quarter", label_key[source], quarter)] = Decimal(amount)
    for frequency, organisation, key in itertools.product(FREQUENCIES, ORGANISATIONS, KEYS):
        for period in FREQUENCIES[frequency]:
            url = (series_url(frequency, organisation, key).replace("/series/", "/series/lineage/")
                   + f"&period={period}")  # fmt: skip
            for cell in client.get(url).json()["cells"]:
                figure = (cell["organisation"], "month",
                          f"application_type={cell['dimensions']['application_type']}",
                          cell["period"])  # fmt: skip
                if cell["value"] is not None:
                    known[figure] = Decimal(str(cell["value"]))
                for old in cell["superseded"]:
                    assert old["value"] is None or old["value"] >= 5
    for figure in key_figures(datetime.date(2024, 12, 31), None, timezone.now()):
        if figure["indicator"] == "asylum_applications":
            known[(None, "quarter", "", figure["period"])] = Decimal(str(figure["value"]))
    return known, marked


def equations(existing: set[tuple]) -> list[tuple[tuple, list[tuple]]]:
    """(total, parts) of every sum a reader can form; a figure not built is a known zero."""
    found = []
    for organisation, (frequency, periods) in itertools.product(ORGANISATIONS, FREQUENCIES.items()):
        for period in periods:
            found.append(((organisation, frequency, "", period),
                          [(organisation, frequency, k, period) for k in KEYS[1:]]))  # fmt: skip
            for key in KEYS:
                found.append(((None, frequency, key, period),
                              [(o, frequency, key, period) for o in ORGANISATIONS[1:]]))  # fmt: skip
    for organisation, key in itertools.product(ORGANISATIONS, KEYS):
        for q, quarter in enumerate(QUARTERS):
            found.append(((organisation, "quarter", key, quarter),
                          [(organisation, "month", key, m) for m in MONTHS[q * 3 : q * 3 + 3]]))  # fmt: skip
        found.append(((organisation, "year", key, "2024"),
                      [(organisation, "quarter", key, q) for q in QUARTERS]))  # fmt: skip
    return [(t, [p for p in parts if p in existing]) for t, parts in found if t in existing]


def recover(known: dict[tuple, Decimal], existing: set[tuple]) -> dict[tuple, Decimal]:
    """Solve every equation with one unknown, again and again, as far as it goes."""
    known = dict(known)
    system = equations(existing)
    progress = True
    while progress:
        progress = False
        for total, parts in system:
            unknown = [f for f in [total, *parts] if f not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            sum_parts = sum((known[p] for p in parts if p != missing), Decimal(0))
            known[missing] = known[total] - sum_parts if missing != total else sum_parts
            progress = True
    return known


@pytest.mark.parametrize(("role", "organisation"), [("partner", "COA"), ("viewer", "JENV")])
def test_no_suppressed_figure_can_be_recovered_from_everything_a_reader_sees(
    built, client, role, organisation
):
    figures = truth(client)
    secrets = small(figures)
    assert len(secrets) >= 8  # the data holds small numbers at every level
    client.force_login(make_user(role, organisation))
    known, marked = harvest(client)
    assert set(secrets) <= marked
    for figure, value in known.items():
        assert figures[figure] == value, figure  # what is shown is true…
    recovered = recover(known, set(figures))
    assert not set(secrets) & set(recovered)  # …and no small figure can be worked out


def test_without_secondary_suppression_the_same_reader_would_recover_them(built, client):
    """The attack is real: with only the small figures themselves hidden it succeeds."""
    figures = truth(client)
    secrets = small(figures)
    naive = {f: v for f, v in figures.items() if f not in secrets}
    assert set(secrets) & set(recover(naive, set(figures)))


def test_a_consistency_finding_on_a_suppressed_figure_shows_neither_figures_nor_ratio(
    built, client
):
    approved_upload("POL", {("registrations", m, ""): 150 for m in MONTHS})
    rebuild_dashboards()
    rule = ConsistencyRule.objects.select_related("left", "right").get(
        left__code="registrations", right_key="application_type=first"
    )
    found = evaluate_all([rule])
    viewer = make_user("viewer", "JENV")
    hidden = {(f.period, f.suppressed, f.ratio) for f in as_seen_by(found, viewer)[rule.pk]}
    shown = {(f.period, f.suppressed, f.ratio is not None) for f in found[rule.pk]}
    # IND's first applications of 2024-Q2 are hidden by secondary suppression (see the export
    # test): the reader sees the verdict only; regie (no suppression for regie) sees the ratio.
    assert ("2024-Q2", True, None) in hidden
    assert ("2024-Q2", False, True) in shown
    assert as_seen_by(found, make_user("regie", "JENV")) == found
    # Signals are read by everyone: a signal of that finding would carry no ratio either.
    assert all(f.ratio is None for f in latest_outside([rule]) if f.period == "2024-Q2")
    client.force_login(viewer)
    for url in ("/dashboards/datakwaliteit/", "/dashboards/consistentie/"):
        page = client.get(url).content.decode()
        assert "Kleine aantallen (1–4) zijn afgeschermd" in page, url


def test_signals_leave_the_figures_out_of_any_finding_on_a_breakdown_and_keep_them_on_totals(db):
    """Signals do not work out what a build hides (a pass over an indicator's breakdowns after
    every approval): a finding that compares a breakdown a reader might not see carries the
    verdict only; totals are never hidden, so their findings keep figures and ratio."""
    from dashboards.consistency.checks import _may_be_hidden

    breakdown = ConsistencyRule.objects.select_related("left", "right").get(
        left__code="registrations", right_key="application_type=first"
    )
    assert _may_be_hidden(breakdown)
    totals = ConsistencyRule(left=breakdown.left, right=breakdown.right, left_key="", right_key="")
    assert not _may_be_hidden(totals)
    places = ConsistencyRule.objects.select_related("left", "right").get(
        left__code="reception_occupancy"
    )
    assert not _may_be_hidden(places)
