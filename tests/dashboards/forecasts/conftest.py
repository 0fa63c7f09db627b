"""The forecast rounds of `tests.dashboards.factories.forecast_rounds`, built."""

from __future__ import annotations

import pytest

from dashboards.rebuild.build import rebuild_dashboards
from tests.dashboards.factories import forecast_rounds


@pytest.fixture
def rounds(db):
    forecast_rounds()
    return rebuild_dashboards()
