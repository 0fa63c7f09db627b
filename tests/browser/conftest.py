"""Browser fixtures: Debian's chromium through Playwright, a logged-in context, axe, and a real
Celery worker for the pages that wait for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings as django_settings

from tests import services
from tests.factories import verified_device
from tests.workers import real_celery_worker

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium: Playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def login(live_server, context):
    """Log a user in to the browser context through a real session cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    def _login(user) -> None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device = verified_device(user)
        if device is not None:  # a complete login, second factor included
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )

    return _login


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core with the WCAG 2.1 A and AA rules; fail with the violations listed."""

    def _check(page) -> None:
        results = axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
            },
        )
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return _check


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[str]:
    """A real Celery worker on Redis for this test's database (see `tests.workers`)."""
    with real_celery_worker() as worker:
        yield worker.queue


@pytest.fixture(scope="session")
def oidc_provider(live_server) -> Iterator[services.OIDCProvider]:
    """A local OpenID provider (node's oidc-provider, tests.services) for the SSO tests."""
    with services.running_oidc_provider(live_server.url) as provider:
        yield provider


@pytest.fixture(scope="session", autouse=True)
def _url_conf_loaded():
    """Import every view module before the first page load: on a busy machine importing them
    (pandas, plotly, weasyprint, …) inside the live server's first request can outlast
    Playwright's 30 s navigation timeout."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URL confs and their views)
