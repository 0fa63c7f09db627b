"""What suppression hides is worked out once per build and kept: a second reader of the same
build, with another filter, reads it back instead of the indicator's breakdowns; a new build
(an approval's patch) is worked out again."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import Indicator
from dashboards.rebuild import hidden, series
from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import approved_upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def figures(first: int, follow_up: int) -> dict:
    return {
        ("asylum_applications", "2024-01", "application_type=first"): first,
        ("asylum_applications", "2024-01", "application_type=follow_up"): follow_up,
        # The smallest other value, hidden beside it so the total cannot give it away.
        ("asylum_applications", "2024-01", "application_type=family_reunification"): 50,
    }


def read(viewer, key: str) -> tuple[list[series.Point], int]:
    indicator = Indicator.objects.get(code="asylum_applications")
    with CaptureQueriesContext(connection) as queries:
        points = series.points(indicator=indicator, frequency="month", viewer=viewer, key=key)
    return points, len(queries)


def test_the_hidden_figures_of_a_build_are_read_once_and_a_new_build_reads_them_again():
    coa = make_user("partner", "COA", username="coa-cache")
    pol = make_user("partner", "POL", username="pol-cache")
    approved_upload("IND", figures(100, 3))
    rebuild_dashboards()
    [small], first = read(coa, "application_type=follow_up")
    assert small.suppressed and small.value is None
    # Another reader, another filter, the same build: the hidden set comes from the cache.
    [large], again = read(pol, "application_type=first")
    assert not large.suppressed and large.value == 100
    [small_again], _queries = read(pol, "application_type=follow_up")
    assert small_again.suppressed
    assert again == first - 1  # the breakdowns are not read again
    # A correction makes the figure large enough: the new build is judged anew.
    approved_upload("IND", {("asylum_applications", "2024-01", "application_type=follow_up"): 30})
    rebuild_dashboards()
    [corrected], _queries = read(coa, "application_type=follow_up")
    assert not corrected.suppressed and corrected.value == 30


def no_working_out(*args, **kwargs):
    raise AssertionError("a reader worked out what suppression hides")


def test_after_a_rebuild_its_task_works_out_what_is_hidden_so_no_reader_does(
    django_capture_on_commit_callbacks, monkeypatch
):
    coa = make_user("partner", "COA", username="coa-warm")
    approved_upload("IND", figures(100, 3))
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_dashboards()
    monkeypatch.setattr(hidden, "work_out", no_working_out)
    [small], _queries = read(coa, "application_type=follow_up")
    assert small.suppressed and small.value is None
    [large], _queries = read(coa, "application_type=first")
    assert not large.suppressed and large.value == 100


def test_after_a_patch_only_the_years_it_touched_are_worked_out_again(
    django_capture_on_commit_callbacks, monkeypatch
):
    coa = make_user("partner", "COA", username="coa-patch")
    indicator = Indicator.objects.get(code="asylum_applications")
    approved_upload(
        "IND",
        {
            **figures(100, 3),
            ("asylum_applications", "2023-01", "application_type=first"): 90,
            ("asylum_applications", "2023-01", "application_type=follow_up"): 2,
            ("asylum_applications", "2023-01", "application_type=family_reunification"): 40,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_dashboards()
    (before,) = series._pointer_rows([indicator], None)
    correction = approved_upload(
        "IND", {("asylum_applications", "2024-01", "application_type=follow_up"): 30}
    )
    rebuild_dashboards(upload_ids=[correction.pk])
    (after,) = series._pointer_rows([indicator], None)
    assert after != before
    touched = hidden.touched_years([correction.pk])
    assert touched == {indicator.pk: {2024}}
    worked_out = hidden.work_out_after([after], previous={indicator.pk: before}, touched=touched)
    assert worked_out == 1  # 2024; 2023 was carried over
    with monkeypatch.context() as patched:
        patched.setattr(hidden, "work_out", no_working_out)
        points, _queries = read(coa, "application_type=follow_up")
    by_period = {p.period: p for p in points}
    assert by_period["2023-01"].suppressed and by_period["2023-01"].value is None
    assert not by_period["2024-01"].suppressed and by_period["2024-01"].value == 30
    # Had the cache lost the earlier version, its years would be worked out again too.
    cache.clear()
    assert hidden.work_out_after([after], previous={indicator.pk: before}, touched=touched) == 2
