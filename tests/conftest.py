"""Shared fixtures: users per role, a logged-in browser, axe, and a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from governance.models import Role
from tests.factories import make_user, reseed_reference_data

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


# ---------------------------------------------------------------- users


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


# ---------------------------------------------------------------- browser


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

    def _login(user) -> None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
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


# ---------------------------------------------------------------- Celery


@pytest.fixture
def celery_worker_process(transactional_db) -> Iterator[str]:
    """A real Celery worker process on Redis, against this test's database.

    Tasks sent while this fixture is active are not run eagerly: they go through Redis to the
    worker, which sees committed data (hence transactional_db). Yields the queue name.
    """
    from ketenportaal.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queue,
        "MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ketenportaal",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if replies:
                break
            if worker.poll() is not None:
                raise RuntimeError(
                    worker.stdout.read().decode() if worker.stdout else "worker died"
                )
        else:
            raise RuntimeError("The Celery worker did not answer within 60 s")
        yield queue
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
