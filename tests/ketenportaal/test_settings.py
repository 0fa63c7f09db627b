"""Production settings: `check --deploy` is clean, and every setting is documented."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def documented_variables() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def production_env() -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is for the browser tests only; a deployment must not set it.
    dropped = {"DEBUG", "HTTPS", "STATIC_MANIFEST", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="ketenportaal.example.nl",
        STATIC_MANIFEST="1",
        WHITENOISE_USE_FINDERS="0",
    )
    return env


def test_check_deploy_passes_with_production_settings_and_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_fail_with_debug_on():
    """The check above can fail: the same run with DEBUG=1 reports a deploy warning."""
    env = {**production_env(), "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_settings_refuse_to_start_without_a_secret_key_unless_debug():
    env = {**production_env(), "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ketenportaal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_every_environment_variable_read_in_settings_is_documented_in_env_example():
    source = (ROOT / "ketenportaal" / "settings.py").read_text()
    read = set(re.findall(r"os\.environ\.get\(\s*\"([A-Z0-9_]+)\"", source))
    read |= set(re.findall(r"env_(?:bool|list)\(\s*\"([A-Z0-9_]+)\"", source))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CELERY_BROKER_URL"} <= read
    missing = read - documented_variables().keys()
    assert not missing, f"not in .env.example: {sorted(missing)}"


def test_every_documented_variable_is_explained_by_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for index, line in enumerate(lines):
        if line and not line.startswith("#"):
            # The comment may sit above a small group of related variables.
            above = [item for item in lines[max(0, index - 3) : index] if item.startswith("#")]
            assert above or line.startswith("LOG_LEVEL"), f"{line} has no comment"


def test_language_is_dutch_by_default_with_english_available(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _name in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"


def test_without_database_and_broker_the_demo_uses_sqlite_and_runs_tasks_in_process():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="ketenportaal.settings")
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"], result.stderr


def test_debug_is_off_unless_set():
    env = {k: v for k, v in production_env().items() if k != "DEBUG"}
    code = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "ketenportaal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_redis_redelivers_a_task_only_after_the_longest_one_could_have_run():
    """visibility_timeout is set explicitly (Redis redelivers a task a dead worker took) and is
    longer than a validation's hard time limit, so a running validation is never delivered twice;
    beat re-sends what a lost message or a killed worker left waiting."""
    from celery import current_app
    from django.conf import settings

    current_app.loader.import_default_modules()
    timeout = current_app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] == 3600
    validation = current_app.tasks["dashboards.uploads.tasks.validate_upload_task"]
    assert validation.acks_late and timeout > validation.time_limit
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "dashboards.uploads.tasks.requeue_stuck_uploads",
        "dashboards.rebuild.tasks.requeue_waiting_rebuilds",
        "dashboards.uploads.tasks.scan_waiting_uploads",
        "governance.accounts.tasks.purge_expired_task",
        "dashboards.health.tasks.heartbeat",
    } <= scheduled
