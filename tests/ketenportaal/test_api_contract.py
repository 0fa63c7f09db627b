"""Contract tests: schemathesis generates requests from /api/schema/ and sends them to the Django
WSGI app (in-process, on the test database) with a regie API token. No answer may be a server
error, and every answer must match the schema (status, content type, body)."""

from collections import defaultdict

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from governance.accounts import tokens
from governance.models import ProgressReport, ReportingMoment
from governance.reports import services as reports
from tests.factories import MilestoneFactory, ProgressUpdateFactory, org

EXAMPLES = 10
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def api_schema(db, regie, settings):
    """The schema as served, with a small chain so that list and detail answers have content."""
    from ketenportaal.wsgi import application

    settings.AXES_ENABLED = False
    cache.clear()
    for owner in ("IND", "COA"):
        milestone = MilestoneFactory(action__owner=org(owner))
        ProgressUpdateFactory(milestone=milestone)
    MilestoneFactory(overdue=True)
    moment = ReportingMoment.objects.create(date="2026-06-30", title="Brief", created_by=regie)
    reports.generate_progress_report(
        report_id=ProgressReport.objects.create(moment=moment, requested_by=regie).pk
    )
    # As Django's test client does: a request's end must not close the test's DB connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        cache.clear()


def test_api_answers_match_the_schema_and_never_fail(api_schema, regie):
    """Every operation of the schema, a bounded number of generated examples each (positive and
    negative data). schemathesis' pytest plugin does not run on pytest 9 yet, so the operations
    are driven through hypothesis here; the failures of all operations are reported together."""
    failures: dict[str, str] = {}
    statuses: dict[str, list[int]] = defaultdict(list)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:
        strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | (
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
        )

        @given(case=strategy)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            cache.clear()  # the login throttle would otherwise answer 429 to later examples
            # A fresh token each time: one of the operations revokes the token it is called with.
            # Each example in a savepoint that is rolled back: examples stay independent, and a
            # database error in one cannot abort the transaction for the next.
            with transaction.atomic():
                _instance, token = tokens.create_api_token(user=regie)
                response = case.call(headers={"Authorization": f"Token {token}"})
                transaction.set_rollback(True)
            statuses[case.operation.label].append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        # Collected, so that one failing operation does not hide the others.
        except (Exception, BaseExceptionGroup) as exc:
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]
    assert not failures, "\n\n".join(f"{label}\n{error}" for label, error in failures.items())
    # The examples reached the views: every list answered 200 at least once.
    # (Not those that need a query parameter, such as the series' indicator: random text is a 400.)
    needs_query = {
        op.label
        for op in operations
        if any(p.get("required") for p in op.definition.raw.get("parameters", []))
    }
    lists = [
        label
        for label in statuses
        if label.startswith("GET") and "{" not in label and label not in needs_query
    ]
    assert lists
    # The examples run as regie; the audit trail is the functional administrator's only.
    admin_only = {"GET /api/v1/audit-events/"}
    never_ok = {
        label: statuses[label]
        for label in lists
        if 200 not in statuses[label] and label not in admin_only
    }
    assert not never_ok, never_ok


def test_schema_is_valid_openapi_3_and_covers_the_contract(client):
    document = client.get("/api/schema/?format=json").json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for resource in (
        "organisations",
        "themes",
        "perspectives",
        "recommendations",
        "actions",
        "milestones",
        "progress-updates",
    ):
        assert f"/api/v1/{resource}/" in paths
    assert "tokenAuth" in document["components"]["securitySchemes"]
