"""Shared fixtures: users per role and the seeded reference data. Browser fixtures are in
`tests/browser/conftest.py`, the real Celery worker in `tests/integration/conftest.py`."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from governance.models import Role

from . import log_secrets
from .factories import make_user, reseed_reference_data, verified_device

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# ---------------------------------------------------------------- secrets in the logs


@pytest.fixture(scope="session", autouse=True)
def _no_secret_in_the_logs_of_the_run():
    """The whole run's logs are searched for every password, token and session key it handled
    (tests.log_secrets); one found fails the run at its end."""
    with log_secrets.recording_secrets(), log_secrets.logs_of_the_run() as output:
        yield
    leaked = log_secrets.leaked_in(output.getvalue())
    if leaked:
        pytest.fail(f"Secrets of this test run are in its logs: {leaked}", pytrace=False)


# ---------------------------------------------------------------- users


@pytest.fixture(autouse=True)
def _forced_logins_are_verified(monkeypatch):
    """`client.force_login(user)` logs in with the second factor: the session names the user's
    verified device, as after django-otp's own login (issue 15)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device = verified_device(user)
        if device is not None:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def regie(db):
    return make_user(Role.REGIE, "JENV", username="regie-test")


@pytest.fixture
def ind_partner(db):
    return make_user(Role.PARTNER, "IND", username="ind-test")


@pytest.fixture
def coa_partner(db):
    return make_user(Role.PARTNER, "COA", username="coa-test")


@pytest.fixture
def viewer(db):
    return make_user(Role.VIEWER, "JENV", username="viewer-test")


@pytest.fixture
def no_suppression(settings):
    """Small-number suppression off (threshold 1): for tests whose figures are small only for
    convenience; suppression itself is tested in tests/dashboards/suppression/."""
    settings.SUPPRESSION_THRESHOLD = 1


@pytest.fixture
def regie_client(client, regie):
    client.force_login(regie)
    return client


# ---------------------------------------------------------------- seeded data


@pytest.fixture
def seeded(transactional_db):
    """The data migrations' reference data, restored after a transactional test flushed it.

    `serialized_rollback` cannot do this for browser tests: under Playwright's sync API the
    test runs in another context, whose database connection lacks the serialized contents.
    """
    reseed_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Every transactional test (live server, real worker) starts with the seeded reference
    data, whatever test flushed the database before it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        reseed_reference_data()


# ---------------------------------------------------------------- isolation


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _empty_dashboard_cache():
    """Rendered dashboards are cached per build; every test starts without them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _dutch_by_default():
    """Every test starts in the portal's default language: a request in English activates it
    for the thread (LocaleMiddleware), and a later test must not inherit that."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
