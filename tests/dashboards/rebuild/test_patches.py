"""Subtotals over any subset of dimensions, and the patch after an approval: only the touched
series-years recomputed, with figures identical to a full rebuild's (a property test)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.db.models.expressions import RawSQL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.models import (
    Frequency,
    Indicator,
    IndicatorBuild,
    Rebuild,
    RebuildStatus,
    SeriesYear,
)
from dashboards.rebuild import digests as rebuild_digests
from dashboards.rebuild import patching as rebuild_patching
from dashboards.rebuild.build import rebuild_dashboards
from dashboards.rebuild.series import current_points, points
from dashboards.rebuild.storage import rows_named_by
from tests.dashboards.factories import approved_upload
from tests.factories import org

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")

DIMENSIONS = {
    "nationality": ["SY", "ER", "AF"],
    "route": ["air", "land"],
    "type": ["first", "next"],
}


def D(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def make_indicator(code: str, aggregation: str) -> Indicator:
    return Indicator.objects.create(
        code=code,
        label=code,
        owner=org("IND"),
        unit="persons",
        frequency=Frequency.MONTH,
        aggregation=aggregation,
        dimensions=DIMENSIONS,
    )


@pytest.fixture
def cube(db):
    return {
        aggregation: make_indicator(f"cube_{aggregation}", aggregation)
        for aggregation in ("sum", "last", "mean")
    }


def key(nationality: str, route: str, kind: str) -> str:
    return f"nationality={nationality};route={route};type={kind}"


def values(code: str, frequency: str, selection: str = "", organisation: str | None = None):
    indicator = Indicator.objects.get(code=code)
    return {
        p.period: p.value
        for p in points(
            viewer=None,
            indicator=indicator,
            frequency=frequency,
            key=selection,
            organisation_id=org(organisation).pk if organisation else None,
        )
    }


def test_every_subset_of_the_dimensions_has_its_subtotal(cube):
    approved_upload(
        "IND",
        {
            ("cube_sum", "2024-01", key("SY", "air", "first")): 10,
            ("cube_sum", "2024-01", key("SY", "land", "next")): 5,
            ("cube_sum", "2024-01", key("ER", "air", "first")): 7,
            ("cube_sum", "2024-02", key("SY", "air", "first")): 1,
        },
    )
    rebuild_dashboards()
    # "Asylum applications from Syria, all routes and types".
    assert values("cube_sum", Frequency.MONTH, "nationality=SY") == {
        "2024-01": D(15),
        "2024-02": D(1),
    }
    assert values("cube_sum", Frequency.QUARTER, "nationality=SY;type=first") == {"2024-Q1": D(11)}
    assert values("cube_sum", Frequency.MONTH, "route=air") == {"2024-01": D(17), "2024-02": D(1)}
    assert values("cube_sum", Frequency.MONTH, "route=air;type=first") == {
        "2024-01": D(17),
        "2024-02": D(1),
    }
    assert values("cube_sum", Frequency.YEAR, "") == {"2024": D(23)}
    assert values("cube_sum", Frequency.MONTH, key("SY", "land", "next")) == {"2024-01": D(5)}
    assert values("cube_sum", Frequency.MONTH, "nationality=AF") == {}


def test_a_stock_subtotal_adds_the_values_and_takes_the_last_period(cube):
    approved_upload(
        "IND",
        {
            ("cube_last", "2024-01", key("SY", "air", "first")): 10,
            ("cube_last", "2024-03", key("SY", "air", "first")): 12,
            ("cube_last", "2024-02", key("SY", "land", "first")): 4,
            ("cube_last", "2024-03", key("SY", "land", "first")): 6,
        },
    )
    rebuild_dashboards()
    # Per month summed over the routes, then the quarter's last month.
    assert values("cube_last", Frequency.QUARTER, "nationality=SY") == {"2024-Q1": D(18)}
    assert values("cube_last", Frequency.MONTH, "type=first") == {
        "2024-01": D(10),
        "2024-02": D(4),
        "2024-03": D(18),
    }


def test_a_mean_subtotal_averages_the_values_of_each_period(cube):
    approved_upload(
        "IND",
        {
            ("cube_mean", "2024-01", key("SY", "air", "first")): 10,
            ("cube_mean", "2024-01", key("SY", "land", "first")): 20,
            ("cube_mean", "2024-01", key("ER", "land", "first")): 60,
            ("cube_mean", "2024-02", key("SY", "air", "first")): 30,
        },
    )
    rebuild_dashboards()
    assert values("cube_mean", Frequency.MONTH, "nationality=SY") == {
        "2024-01": D(15),
        "2024-02": D(30),
    }
    assert values("cube_mean", Frequency.MONTH, "") == {"2024-01": D(30), "2024-02": D(30)}
    assert values("cube_mean", Frequency.QUARTER, "route=land") == {"2024-Q1": D(40)}


def visible() -> list[tuple]:
    """Every figure a reader sees, across all indicators."""
    columns = ["indicator_id", "organisation_id", "frequency", "period", "dimension_key",
               "value", "months", "complete", "first_upload_id"]  # fmt: skip
    return list(current_points().order_by(*columns).values_list(*columns))


@pytest.fixture(params=["index", "scan"])
def chain_reading(request, monkeypatch):
    """Both ways a patch reads the organisations' rows under the chain's keys: through the index
    (few keys) and in one scan of the partition (many, `patching._scan_whole_partition`)."""
    monkeypatch.setattr(
        rebuild_patching, "INDEX_ROW_COST", 0 if request.param == "index" else 10**9
    )
    chosen = []
    real = rebuild_patching._scan_whole_partition
    monkeypatch.setattr(
        rebuild_patching,
        "_scan_whole_partition",
        lambda *args: chosen.append("scan" if real(*args) else "index") or chosen[-1] == "scan",
    )
    return request.param, chosen


def test_a_one_cell_correction_patches_only_its_series_years_and_the_rows_above(
    cube, chain_reading
):
    approved_upload(
        "IND",
        {
            ("cube_sum", period, key(n, r, t)): 1
            for period in ("2023-12", "2024-01")
            for n in DIMENSIONS["nationality"]
            for r in DIMENSIONS["route"]
            for t in DIMENSIONS["type"]
        },
    )
    approved_upload("COA", {("cube_sum", "2024-01", key("SY", "air", "first")): 3})
    full = rebuild_dashboards()
    correction = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 9})
    patch = rebuild_dashboards(upload_ids=[correction.pk])
    assert patch.status == RebuildStatus.SUCCEEDED
    written = SeriesYear.objects.filter(written_by=patch.version)
    # The cell's own key and its seven subtotals, for IND and for the chain, in 2024 only.
    assert written.filter(organisation=org("IND")).count() == 8
    assert written.filter(organisation__isnull=True).count() == 8
    assert set(written.values_list("year", flat=True)) == {2024}
    assert set(written.values_list("rebuild_id", flat=True)) == {full.pk}
    assert not Rebuild.objects.filter(pk=patch.pk, rows=0).exists()
    pointer = IndicatorBuild.objects.get(indicator=cube["sum"])
    assert (pointer.rebuild_id, pointer.base_id) == (patch.pk, full.pk)
    assert values("cube_sum", Frequency.MONTH, "nationality=SY") == {
        "2023-12": D(4),
        "2024-01": D(15),
    }
    assert values("cube_sum", Frequency.MONTH, "nationality=SY", "IND")["2024-01"] == D(12)
    patched = visible()
    way, chosen = chain_reading
    assert chosen == [way]
    rebuild_dashboards()
    assert visible() == patched


def test_a_patch_that_fails_changes_nothing_readers_see_and_is_taken_back(
    transactional_db, monkeypatch
):
    cube = {"sum": make_indicator("cube_sum", "sum")}
    approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 1})
    rebuild_dashboards()
    before = visible()
    correction = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 5})
    real = rebuild_patching.patch_chain

    def fail_on_the_chain(cursor, version, base, indicator_ids, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rebuild_patching, "patch_chain", fail_on_the_chain)
    with pytest.raises(RuntimeError):
        rebuild_dashboards(upload_ids=[correction.pk])
    failed = Rebuild.objects.latest("pk")
    assert failed.status == RebuildStatus.FAILED
    # Its organisation rows were written and the old ones marked, but no reader sees either.
    assert SeriesYear.objects.filter(written_by=failed.version).exists()
    assert visible() == before
    monkeypatch.setattr(rebuild_patching, "patch_chain", real)
    again = rebuild_dashboards(upload_ids=[correction.pk])
    assert not SeriesYear.objects.filter(written_by=failed.version).exists()
    assert not SeriesYear.objects.filter(replaced_by=failed.version).exists()
    assert values("cube_sum", Frequency.MONTH, "nationality=SY") == {"2024-01": D(5)}
    assert IndicatorBuild.objects.get(indicator=cube["sum"]).rebuild_id == again.pk


def test_readers_of_the_previous_build_see_its_rows_while_a_patch_runs(cube, monkeypatch):
    approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 1})
    rebuild_dashboards()
    before = visible()
    seen = []
    real = rebuild_patching.patch_chain

    def read_between(cursor, version, base, indicator_ids, **kwargs):
        figures = real(cursor, version, base, indicator_ids, **kwargs)
        seen.append(visible())  # everything is written; the pointers have not flipped
        return figures

    monkeypatch.setattr(rebuild_patching, "patch_chain", read_between)
    correction = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 5})
    rebuild_dashboards(upload_ids=[correction.pk])
    assert seen == [before]
    assert visible() != before


def test_an_approval_for_an_indicator_never_built_builds_it_whole(cube):
    rebuild_dashboards(indicator_ids=[cube["last"].pk])
    upload = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 4})
    patch = rebuild_dashboards(upload_ids=[upload.pk])
    pointer = IndicatorBuild.objects.get(indicator=cube["sum"])
    assert (pointer.rebuild_id, pointer.base_id) == (patch.pk, patch.pk)
    assert values("cube_sum", Frequency.MONTH) == {"2024-01": D(4)}


# ---------------------------------------------------------------- the property

CODES = ["cube_sum", "cube_last", "cube_mean", "asylum_pending", "asylum_applications"]
PERIODS = ["2023-11", "2023-12", "2024-01", "2024-02", "2024-Q2", "2022"]


@st.composite
def cells(draw):
    code = draw(st.sampled_from(CODES))
    if code.startswith("cube"):
        dimension = key(*(draw(st.sampled_from(v)) for v in DIMENSIONS.values()))
    elif code == "asylum_applications":
        dimension = "application_type=" + draw(st.sampled_from(["first", "follow_up"]))
    else:
        dimension = ""
    period = draw(st.sampled_from(PERIODS))
    return (code, period, dimension)


uploads = st.tuples(
    st.sampled_from(["IND", "COA"]),
    st.dictionaries(cells(), st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=st.lists(uploads, min_size=1, max_size=3), later=st.lists(uploads, max_size=4))
def test_patches_after_random_approvals_give_the_figures_of_a_full_rebuild(cube, first, later):
    with transaction.atomic():
        for organisation, figures in first:
            approved_upload(organisation, figures)
        rebuild_dashboards()
        for organisation, figures in later:
            upload = approved_upload(organisation, figures)
            assert rebuild_dashboards(upload_ids=[upload.pk]).status == RebuildStatus.SUCCEEDED
        patched, patched_digests = visible(), digests()
        assert patched_digests == digests_of_rows()  # kept up to date by the patches
        rebuild_dashboards()
        assert visible() == patched
        assert digests() == patched_digests  # the same figures: the same digests
        transaction.set_rollback(True)


def digests() -> dict[str, Decimal | None]:
    return dict(IndicatorBuild.objects.values_list("indicator__code", "digest"))


def digests_of_rows() -> dict[str, Decimal]:
    """Each pointer's digest worked out from the rows it names."""
    found = {}
    for indicator_id, code, base, version in IndicatorBuild.objects.values_list(
        "indicator_id", "indicator__code", "base_id", "rebuild__version"
    ):
        rows = SeriesYear.objects.filter(rows_named_by([(indicator_id, base, version)]))
        row_hash = RawSQL(rebuild_digests.row_hash(), [])  # noqa: S611 (our own SQL)
        total = rows.aggregate(d=Sum(row_hash))["d"]
        found[code] = total or Decimal(0)
    return found


def test_a_changed_figure_changes_the_digest_and_the_patch_keeps_it_that_of_its_rows(cube):
    approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 5})
    rebuild_dashboards()
    first = digests()["cube_sum"]
    assert first is not None and first == digests_of_rows()["cube_sum"]
    changed = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 6})
    rebuild_dashboards(upload_ids=[changed.pk])
    assert digests()["cube_sum"] != first
    assert digests() == digests_of_rows()
    # The same value again, but from another upload (which the rows name): another digest.
    back = approved_upload("IND", {("cube_sum", "2024-01", key("SY", "air", "first")): 5})
    rebuild_dashboards(upload_ids=[back.pk])
    assert digests()["cube_sum"] not in (first, None)
    assert digests() == digests_of_rows()
