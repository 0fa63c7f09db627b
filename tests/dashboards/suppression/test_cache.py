"""What suppression hides is worked out once per build and kept: a second reader of the same
build, with another filter, reads it back instead of the indicator's breakdowns; a new build
(an approval's patch) is worked out again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import Indicator
from dashboards.rebuild import series
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
