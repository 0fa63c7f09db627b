"""docker-compose.yml, checked statically (no Docker engine runs here)."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> str:
    command = service["command"]
    return " ".join(command) if isinstance(command, list) else command


def documented() -> set[str]:
    return {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }


def test_compose_has_postgres_redis_web_workers_and_beat(compose):
    assert {"postgres", "redis", "web", "worker", "worker-large", "beat"} <= set(
        compose["services"]
    )
    assert compose["services"]["postgres"]["image"] == "postgres:15"
    assert compose["services"]["redis"]["image"] == "redis:7"


def test_web_runs_the_wsgi_application_on_gunicorn(compose):
    command = command_of(compose["services"]["web"])
    match = re.search(r"gunicorn (\S+):(\w+)", command)
    assert match, command
    module = importlib.import_module(match.group(1))
    assert callable(getattr(module, match.group(2)))
    assert "migrate" in command


@pytest.mark.parametrize(
    ("service", "kind"), [("worker", "worker"), ("worker-large", "worker"), ("beat", "beat")]
)
def test_celery_services_use_the_project_celery_app(compose, service, kind):
    command = command_of(compose["services"][service])
    assert re.search(rf"celery -A (\S+) {kind}\b", command), command
    app_module = re.search(r"-A (\S+)", command).group(1)
    celery_app = importlib.import_module(f"{app_module}.celery").app
    assert celery_app.main == "ketenportaal"


def test_worker_reads_the_queue_the_web_app_sends_to(compose, settings):
    command = command_of(compose["services"]["worker"])
    assert "${CELERY_QUEUE:-" + settings.CELERY_TASK_DEFAULT_QUEUE + "}" in command


def test_the_nightly_rebuild_that_beat_schedules_is_a_dotted_task_name(settings):
    from ketenportaal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)*\.tasks\.[a-z_]+", entry["task"])
        assert entry["task"] in app.tasks  # a task the worker knows


def test_app_services_take_their_settings_from_env_and_point_at_the_compose_services(compose):
    for name in ("web", "worker", "beat"):
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        env = service["environment"]
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert set(service["depends_on"]) == {"postgres", "redis"}
        assert all(d["condition"] == "service_healthy" for d in service["depends_on"].values())


def test_every_variable_the_compose_file_sets_or_interpolates_is_documented(compose):
    text = (ROOT / "docker-compose.yml").read_text()
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    set_for_apps = set(compose["services"]["web"]["environment"])
    missing = (interpolated | set_for_apps) - documented()
    assert not missing, f"not in .env.example: {sorted(missing)}"


def test_stateful_and_app_services_have_healthchecks(compose):
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_the_web_check_asks_readyz_and_beat_checks_its_heartbeat(compose, settings):
    from django.core.management import get_commands

    web = " ".join(compose["services"]["web"]["healthcheck"]["test"])
    assert "ketenportaal.healthcheck" in web and web.endswith("/readyz")
    # Asked over plain http from inside the container: exempt from the HTTPS redirect.
    assert any(re.fullmatch(pattern, "readyz") for pattern in settings.SECURE_REDIRECT_EXEMPT)
    beat = compose["services"]["beat"]["healthcheck"]["test"]
    assert beat[-3:] == ["manage.py", "check_heartbeat", "beat"]
    assert get_commands()["check_heartbeat"] == "dashboards"


def test_dockerfile_uses_python_312_and_the_lock_file():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.1[2-9]", dockerfile, re.MULTILINE)
    assert "requirements.lock" in dockerfile
    assert "collectstatic" in dockerfile


def test_large_uploads_have_a_worker_of_their_own(compose):
    app = compose["x-app"]["environment"]
    queue = app["CELERY_LARGE_UPLOADS_QUEUE"]
    assert "ketenportaal-large" in queue
    command = command_of(compose["services"]["worker-large"])
    assert f"-Q {queue}" in command
    assert queue not in command_of(compose["services"]["worker"])
