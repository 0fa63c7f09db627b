"""The dashboard rebuild: hand-computed aggregates, atomicity, one-at-a-time, idempotence."""

from __future__ import annotations

import datetime
from decimal import Decimal

import psycopg2
import pytest
from django.db import connection

from actions.models import MilestoneStatus
from dashboards.models import (
    Frequency,
    Indicator,
    IndicatorBuild,
    ProgressKind,
    ProgressPoint,
    Rebuild,
    RebuildScope,
    RebuildStatus,
    SeriesPoint,
    SeriesYear,
    UploadStatus,
)
from dashboards.rebuild import build as rebuild_module
from dashboards.rebuild import sql as rebuild_sql
from dashboards.rebuild.build import RebuildInProgress, rebuild_dashboards
from dashboards.rebuild.series import points
from tests.dashboards.factories import approved_upload
from tests.factories import MilestoneFactory, org

# Small figures for convenience; suppression is tested in tests/dashboards/suppression/.
pytestmark = pytest.mark.usefixtures("no_suppression")


def series(code: str, frequency: str, key: str = "", organisation: str | None = None):
    indicator = Indicator.objects.get(code=code)
    organisation_id = org(organisation).pk if organisation else None
    return {
        p.period: (p.value, p.complete)
        for p in points(
            indicator=indicator,
            frequency=frequency,
            key=key,
            organisation_id=organisation_id,
            viewer=None,
        )
    }


def D(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.0001"))


@pytest.fixture
def figures(db):
    approved_upload(
        "IND",
        {
            ("asylum_applications", "2024-01", "application_type=first"): 10,
            ("asylum_applications", "2024-02", "application_type=first"): 20,
            ("asylum_applications", "2024-03", "application_type=first"): 30,
            ("asylum_applications", "2024-01", "application_type=follow_up"): 1,
            ("asylum_applications", "2024-02", "application_type=follow_up"): 2,
            ("asylum_pending", "2024-01", ""): 100,
            ("asylum_pending", "2024-02", ""): 120,
            ("asylum_pending", "2024-03", ""): 90,
            ("asylum_pending", "2024-04", ""): 80,
            ("asylum_lead_time", "2024-Q1", ""): 100,
            ("asylum_lead_time", "2024-Q2", ""): 200,
            ("asylum_lead_time", "2024-Q3", ""): 150,
        },
    )
    approved_upload(
        "POL",
        {
            ("registrations", "2023", ""): 1200,
            ("registrations", "2024-Q1", ""): 300,
            ("registrations", "2024-04", ""): 100,
            ("registrations", "2024-05", ""): 100,
            ("registrations", "2024-06", ""): 110,
        },
    )


def test_sum_adds_the_months_of_a_quarter_per_dimension_value(figures):
    rebuild_dashboards()
    assert series("asylum_applications", Frequency.QUARTER, "application_type=first") == {
        "2024-Q1": (D(60), True)
    }


def test_a_quarter_with_a_missing_month_is_incomplete(figures):
    rebuild_dashboards()
    assert series("asylum_applications", Frequency.QUARTER, "application_type=follow_up") == {
        "2024-Q1": (D(3), False)
    }


def test_the_total_over_a_dimension_sums_its_values_per_period(figures):
    rebuild_dashboards()
    assert series("asylum_applications", Frequency.MONTH) == {
        "2024-01": (D(11), True),
        "2024-02": (D(22), True),
        "2024-03": (D(30), True),
    }
    assert series("asylum_applications", Frequency.QUARTER) == {"2024-Q1": (D(63), True)}
    assert series("asylum_applications", Frequency.YEAR) == {"2024": (D(63), False)}


def test_last_takes_the_latest_month_present(figures):
    rebuild_dashboards()
    assert series("asylum_pending", Frequency.QUARTER) == {
        "2024-Q1": (D(90), True),
        "2024-Q2": (D(80), False),
    }
    assert series("asylum_pending", Frequency.YEAR) == {"2024": (D(80), False)}


def test_mean_averages_the_quarters_of_a_year(figures):
    rebuild_dashboards()
    assert series("asylum_lead_time", Frequency.YEAR) == {"2024": (D(150), False)}
    assert series("asylum_lead_time", Frequency.QUARTER)["2024-Q2"] == (D(200), True)
    assert series("asylum_lead_time", Frequency.MONTH) == {}


def test_a_figure_coarser_than_the_indicator_counts_only_for_its_own_and_coarser_periods(figures):
    rebuild_dashboards()
    assert series("registrations", Frequency.YEAR) == {
        "2023": (D(1200), True),
        "2024": (D(610), False),
    }
    assert series("registrations", Frequency.QUARTER) == {
        "2024-Q1": (D(300), True),
        "2024-Q2": (D(310), True),
    }
    assert set(series("registrations", Frequency.MONTH)) == {"2024-04", "2024-05", "2024-06"}


def test_an_organisation_filter_gives_only_that_organisations_figures(figures):
    approved_upload("COA", {("registrations", "2024-04", ""): 5})
    rebuild_dashboards()
    assert series("registrations", Frequency.MONTH)["2024-04"] == (D(105), True)
    assert series("registrations", Frequency.MONTH, organisation="COA") == {"2024-04": (D(5), True)}


def test_unapproved_figures_never_reach_the_dashboards(figures):
    approved_upload("POL", {("registrations", "2024-07", ""): 999}, status=UploadStatus.VALID)
    rebuild_dashboards()
    assert "2024-07" not in series("registrations", Frequency.MONTH)


def test_a_correction_supersedes_the_earlier_figure(figures):
    approved_upload("IND", {("asylum_pending", "2024-03", ""): 95})
    rebuild_dashboards()
    assert series("asylum_pending", Frequency.QUARTER)["2024-Q1"] == (D(95), True)


def snapshot(rebuild: Rebuild) -> list[tuple]:
    columns = ["indicator_id", "organisation_id", "frequency", "period", "period_start",
               "dimension_key", "value", "months", "complete", "first_upload_id"]  # fmt: skip
    return list(
        SeriesPoint.objects.filter(rebuild_id=rebuild.pk).order_by(*columns).values_list(*columns)
    )


def test_the_same_figures_rebuilt_twice_give_identical_tables(figures):
    first = snapshot(rebuild_dashboards())
    second_rebuild = rebuild_dashboards()
    assert snapshot(second_rebuild) == first
    assert (
        len(first)
        == second_rebuild.rows - ProgressPoint.objects.filter(rebuild_id=second_rebuild.pk).count()
    )


def test_a_successful_rebuild_is_logged_with_rows_and_duration(figures, regie):
    rebuild = rebuild_dashboards(triggered_by=regie)
    assert rebuild.status == RebuildStatus.SUCCEEDED
    assert rebuild.rows > 0 and rebuild.duration is not None
    assert rebuild.started_at <= rebuild.finished_at
    assert rebuild.triggered_by == regie


def test_a_rebuild_that_fails_part_way_leaves_the_previous_build_served(
    transactional_db, figures, monkeypatch
):
    good = rebuild_dashboards()
    approved_upload("IND", {("asylum_pending", "2024-03", ""): 95})
    real = rebuild_sql.insert_chain

    def fail_on_the_chain(cursor, rebuild_id, version, indicator_ids, averaged, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(rebuild_sql, "insert_chain", fail_on_the_chain)
    with pytest.raises(RuntimeError):
        rebuild_dashboards()
    failed = Rebuild.objects.latest("pk")
    assert failed.status == RebuildStatus.FAILED
    assert "disk full" in failed.error
    assert set(IndicatorBuild.objects.values_list("rebuild_id", flat=True)) == {good.pk}
    assert series("asylum_pending", Frequency.QUARTER)["2024-Q1"] == (D(90), True)

    # The failed rebuild had loaded its own table (not attached, so nobody saw it).
    assert build_table_exists(failed)

    monkeypatch.setattr(rebuild_sql, "insert_chain", real)
    rebuild_dashboards()
    assert series("asylum_pending", Frequency.QUARTER)["2024-Q1"] == (D(95), True)
    assert not SeriesYear.objects.filter(rebuild_id=failed.pk).exists()
    assert not build_table_exists(failed)


def build_table_exists(rebuild: Rebuild) -> bool:
    """Whether the rebuild's own table (attached as a partition or not) is there."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{SeriesYear._meta.db_table}_{rebuild.pk}"])
        return cursor.fetchone()[0] is not None


def test_each_build_is_a_partition_and_one_nobody_reads_is_dropped_whole(figures):
    first = rebuild_dashboards()
    assert build_table_exists(first)
    second = rebuild_dashboards()
    assert not build_table_exists(first) and build_table_exists(second)
    assert set(SeriesYear.objects.values_list("rebuild_id", flat=True)) == {second.pk}
    assert Rebuild.objects.get(pk=first.pk).pruned


def test_a_year_of_a_series_is_one_row_and_the_view_unfolds_it(figures):
    rebuild = rebuild_dashboards()
    indicator = Indicator.objects.get(code="asylum_pending")
    row = SeriesYear.objects.get(
        rebuild_id=rebuild.pk, indicator=indicator, organisation=org("IND"), year=2024
    )
    assert (row.m01, row.m04, row.m05, row.q1, row.q1_months, row.q2_months) == (
        D(100), D(80), None, D(90), 3, 1,
    )  # fmt: skip
    assert row.q1_upload == row.q2_upload == row.y_upload is not None
    unfolded = SeriesPoint.objects.filter(
        rebuild_id=rebuild.pk, indicator=indicator, organisation=org("IND")
    )
    assert sorted(unfolded.values_list("period", flat=True)) == [
        "2024", "2024-01", "2024-02", "2024-03", "2024-04", "2024-Q1", "2024-Q2",
    ]  # fmt: skip
    month = unfolded.get(period="2024-04")
    assert (month.months, month.complete, month.first_upload_id) == (1, True, None)
    quarter = unfolded.get(period="2024-Q2")
    assert (quarter.value, quarter.months, quarter.complete) == (D(80), 1, False)
    assert quarter.first_upload_id == row.q2_upload


def test_last_prefers_december_then_the_fourth_quarter_then_the_year_figure(db):
    approved_upload(
        "IND",
        {
            ("asylum_pending", "2023", ""): 500,
            ("asylum_pending", "2023-Q4", ""): 400,
            ("asylum_pending", "2023-11", ""): 300,
            ("asylum_pending", "2022", ""): 500,
            ("asylum_pending", "2022-10", ""): 250,
        },
    )
    rebuild_dashboards()
    years = series("asylum_pending", Frequency.YEAR)
    # 2023: the Q4 figure (ends 31 Dec, starts 1 Oct) beats the year's (starts 1 Jan) and November.
    assert years["2023"] == (D(400), False)
    # 2022: the year figure ends on 31 Dec, later than October's.
    assert years["2022"] == (D(500), False)
    assert series("asylum_pending", Frequency.QUARTER)["2023-Q4"] == (D(400), False)


def test_a_rebuild_killed_part_way_is_recorded_failed_by_the_next(figures):
    killed = Rebuild.objects.create(status=RebuildStatus.RUNNING)
    rebuild_dashboards()
    killed.refresh_from_db()
    assert killed.status == RebuildStatus.FAILED
    assert "Afgebroken" in killed.error


def test_a_second_rebuild_is_refused_while_one_runs(figures):
    db = connection.settings_dict
    other = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [rebuild_module.ADVISORY_LOCK_KEY])
        queued = Rebuild.objects.create()
        with pytest.raises(RebuildInProgress):
            rebuild_dashboards(rebuild_id=queued.pk)
        queued.refresh_from_db()
        assert queued.status == RebuildStatus.QUEUED
        assert not SeriesPoint.objects.filter(rebuild_id=queued.pk).exists()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [rebuild_module.ADVISORY_LOCK_KEY])
    finally:
        other.close()
    assert rebuild_dashboards(rebuild_id=queued.pk).status == RebuildStatus.SUCCEEDED


def test_a_finished_rebuild_is_not_run_again(figures):
    done = rebuild_dashboards()
    again = rebuild_dashboards(rebuild_id=done.pk)
    assert again.pk == done.pk
    assert Rebuild.objects.count() == 1


def test_an_incremental_rebuild_recomputes_only_the_touched_indicators(figures):
    full = rebuild_dashboards()
    pending = Indicator.objects.get(code="asylum_pending")
    approved_upload(
        "IND", {("asylum_pending", "2024-03", ""): 95, ("asylum_lead_time", "2024-Q4", ""): 1}
    )
    partial = rebuild_dashboards(indicator_ids=[pending.pk])
    assert partial.scope == RebuildScope.INCREMENTAL
    assert IndicatorBuild.objects.get(indicator=pending).rebuild_id == partial.pk
    assert IndicatorBuild.objects.get(indicator__code="asylum_lead_time").rebuild_id == full.pk
    assert series("asylum_pending", Frequency.QUARTER)["2024-Q1"] == (D(95), True)
    assert "2024-Q4" not in series("asylum_lead_time", Frequency.QUARTER)
    assert set(
        SeriesPoint.objects.filter(indicator=pending).values_list("rebuild_id", flat=True)
    ) == {partial.pk}


def test_burn_up_counts_done_and_due_milestones_per_day(db):
    today = datetime.date.today()
    MilestoneFactory(
        due_date=today - datetime.timedelta(days=10),
        status=MilestoneStatus.DONE,
        completed_on=today - datetime.timedelta(days=12),
        percent_complete=100,
    )
    MilestoneFactory(due_date=today - datetime.timedelta(days=5))
    MilestoneFactory(due_date=today + datetime.timedelta(days=5))
    MilestoneFactory(due_date=today, status=MilestoneStatus.CANCELLED)
    rebuild = rebuild_dashboards()
    chain = {
        p.day: (p.total, p.due, p.done)
        for p in ProgressPoint.objects.filter(rebuild_id=rebuild.pk, kind=ProgressKind.CHAIN)
    }
    assert chain[today - datetime.timedelta(days=12)] == (3, 0, 1)
    assert chain[today - datetime.timedelta(days=10)] == (3, 1, 1)
    assert chain[today] == (3, 2, 1)
    assert chain[today + datetime.timedelta(days=5)] == (3, 3, 1)
    ind = org("IND")
    assert ProgressPoint.objects.filter(
        rebuild_id=rebuild.pk, kind=ProgressKind.ORGANISATION, group_id=ind.pk
    ).exists()
    assert ProgressPoint.objects.filter(rebuild_id=rebuild.pk, kind=ProgressKind.THEME).exists()


def test_the_chain_adds_the_organisations_stocks_and_averages_their_means(figures):
    approved_upload(
        "COA",
        {("asylum_pending", "2024-03", ""): 10, ("asylum_lead_time", "2024-Q1", ""): 50},
    )
    rebuild_dashboards()
    assert series("asylum_pending", Frequency.QUARTER)["2024-Q1"] == (D(100), False)
    assert series("asylum_pending", Frequency.QUARTER, organisation="IND")["2024-Q1"] == (
        D(90),
        True,
    )
    assert series("asylum_lead_time", Frequency.QUARTER)["2024-Q1"] == (D(75), True)
