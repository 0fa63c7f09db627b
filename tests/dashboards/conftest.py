import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_dashboard_cache():
    """Rendered dashboards are cached per build; every test starts without them."""
    cache.clear()
    yield
    cache.clear()
