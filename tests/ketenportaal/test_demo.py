"""`make demo`'s path on its embedded SQLite database: migrate, load the demo, rebuild, and every
role's first pages answer. The rest of the suite runs on PostgreSQL; raw SQL that only works there
(a timestamp from SQLite is text) would otherwise break the README's first command unseen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGES = """
from django.contrib.auth.models import User
from django.test import Client
failures = []
for username, urls in {
    "viewer": ["/", "/dashboards/", "/dashboards/datakwaliteit/", "/dashboards/consistentie/",
               "/besluiten/", "/dashboards/herkomst/?indicator=asylum_applications&frequency=year&period=2024"],
    "ind": ["/", "/aanleveringen/", "/aanleveringen/tijdigheid/", "/dashboards/organisatie/"],
}.items():
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    for url in urls:
        status = client.get(url).status_code
        if status != 200:
            failures.append(f"{username} {url}: {status}")
print("FAILURES", failures)
# The rebuild counts the figures it wrote (its statements one by one, each counted once).
from dashboards.models import ProgressPoint, Rebuild, SeriesPoint
built = Rebuild.objects.last_succeeded()
counted = SeriesPoint.objects.filter(rebuild_id=built.pk).count()
counted += ProgressPoint.objects.filter(rebuild_id=built.pk).count()
print("FIGURES", built.rows == counted, built.rows, counted)
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def test_the_demo_builds_and_serves_on_sqlite(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER", "CACHE_URL"}
    }
    env.update(
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="ketenportaal.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        TASKS_IN_BACKGROUND="0",
    )
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"], ["rebuild_dashboards"]):
        result = run(["manage.py", *command], env)
        assert result.returncode == 0, f"{command}: {result.stderr[-3000:]}"
    assert "succeeded" in result.stdout
    result = run(["manage.py", "demo_logins"], env)
    assert "password for all" in result.stdout, result.stderr[-2000:]
    result = run(["manage.py", "shell", "--no-imports", "-c", PAGES], env)
    assert "FAILURES []" in result.stdout, result.stdout[-2000:] + result.stderr[-3000:]
    assert "FIGURES True" in result.stdout, result.stdout[-2000:]
