"""Cold dashboards read through their indexes (issue 14): on a seeded PostgreSQL database, the plan
of every query a dashboard page sends to the built figures uses an index, never a full read."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.rebuild.build import rebuild_dashboards
from governance.models import Role
from tests.factories import MilestoneFactory, make_user

PAGES = [
    "/dashboards/",
    "/dashboards/?application_type=first&van=2020",
    "/dashboards/prognose/",
    "/dashboards/organisatie/?organisation=IND&frequentie=month",
    "/dashboards/uitvoering/",
    "/dashboards/uitvoering/?organisation=IND",
    "/dashboards/datakwaliteit/",
]
#: The table of the built figures that grows with them: SeriesYear (its partitions). The burn-up
#: (ProgressPoint) holds one build's few rows per group and day; the planner may read it whole.
BUILT = ("dashboards_seriesyear",)


@pytest.fixture
def seeded(db):
    """Monthly figures of 300 organisations over six years for the catalogue's monthly
    indicators (every dimension value), 30 milestones, built once and analysed."""
    user = make_user(Role.PARTNER, "IND", username="seeder")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO governance_organisation (code, name, name_en, is_chain_partner)
            SELECT 'S' || n, 'Seed ' || n, '', true FROM generate_series(1, 300) n
            """
        )
        cursor.execute(
            """
            INSERT INTO dashboards_upload (organisation_id, uploaded_by_id, uploaded_at, file,
                file_name, size, sha256, status, rows, rows_read, rejection_reason, error_count,
                warning_count, language)
            SELECT o.id, %s, now(), 'seed.csv', 'seed.csv', 1, '', 'approved', 0, 0, '', 0, 0,
                   'nl'
            FROM governance_organisation o
            """,
            [user.pk],
        )
        cursor.execute(
            """
            INSERT INTO dashboards_observation (upload_id, indicator_id, organisation_id, period,
                period_type, period_start, period_end, dimension_key, value, row)
            SELECT u.id, i.id, u.organisation_id, to_char(m, 'YYYY-MM'), 'month', m::date,
                   (m + interval '1 month' - interval '1 day')::date,
                   CASE WHEN d.key IS NULL THEN '' ELSE d.name || '=' || d.key END,
                   (hashtext(i.id || '-' || u.id || '-' || m) & 255), 1
            FROM dashboards_upload u
            CROSS JOIN dashboards_indicator i
            LEFT JOIN LATERAL (
                SELECT e.key AS name, v.value #>> '{}' AS key
                FROM jsonb_each(i.dimensions) e, jsonb_array_elements(e.value) v
            ) d ON true
            CROSS JOIN generate_series('2019-01-01'::timestamp, '2024-12-01', '1 month') m
            WHERE i.frequency = 'month' AND NOT i.is_forecast
            """
        )
        cursor.execute(
            """
            INSERT INTO dashboards_currentcell (indicator_id, organisation_id, period,
                dimension_key, observation_id)
            SELECT indicator_id, organisation_id, period, dimension_key, id
            FROM dashboards_observation
            """
        )
    for _n in range(30):
        MilestoneFactory()
    rebuild_dashboards()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def relations(plan: dict) -> list[tuple[str, str]]:
    """(node type, relation) of every scan in a JSON plan."""
    found = []
    if "Relation Name" in plan:
        found.append((plan["Node Type"], plan["Relation Name"]))
    for child in plan.get("Plans", []):
        found += relations(child)
    return found


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.usefixtures("no_suppression")
def test_every_query_of_a_cold_dashboard_on_the_built_figures_uses_an_index(
    seeded, client, viewer, path
):
    """Without small-number suppression: its read (dashboards.rebuild.series.suppressed_figures)
    takes whole years of the breakdowns of every organisation, which the planner rightly reads
    in full when they are most of a partition, as here."""
    client.force_login(viewer)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    checked = 0
    for query in queries.captured_queries:
        sql = query["sql"]
        if "dashboards_seriespoint" not in sql and "dashboards_seriesyear" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            (plan,) = _json(cursor.fetchone()[0])
        scans = [s for s in relations(plan["Plan"]) if s[1].startswith(BUILT)]
        assert scans, sql
        assert all(kind != "Seq Scan" for kind, _relation in scans), (scans, sql)
        checked += 1
    if not path.startswith(("/dashboards/uitvoering", "/dashboards/datakwaliteit")):
        assert checked, "the page read no built figures"
