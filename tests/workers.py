"""A real Celery worker process for the tests that need one (integration and browser tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 180


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen


@contextmanager
def real_celery_worker(
    *,
    queues: list[str] | None = None,
    pool: str = "solo",
    env: dict[str, str] | None = None,
    default: bool = True,
) -> Iterator[Worker]:
    """A real Celery worker process on Redis, against this test's database.

    Tasks sent while this is active are not run eagerly: they go through Redis to the worker,
    which sees committed data (hence transactional_db). The worker reads `queues` (default: a new
    queue of its own, which becomes the queue tasks are sent to unless `default` is false).
    Yields the worker (its first queue and its process). Other sessions may share Redis: the
    worker is pinged by its name.
    """
    from ketenportaal.celery import app

    queues = queues or [f"test-{uuid.uuid4().hex[:8]}"]
    name = f"{queues[0]}-{uuid.uuid4().hex[:4]}@localhost"
    db = connection.settings_dict
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_QUEUE": queues[0],
        "MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
        **(env or {}),
    }
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "ketenportaal", "worker", "-P", pool,
            *(["--concurrency", "1"] if pool != "solo" else []),
            "-Q", ",".join(queues), "-n", name,
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    if default:
        app.conf.task_default_queue = queues[0]
    try:
        # A worker's start (Django, pandas, the app's tasks) takes over a minute on a busy
        # two-core machine.
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if app.control.ping(destination=[name], timeout=0.5):
                break
            if worker.poll() is not None:
                raise RuntimeError(
                    worker.stdout.read().decode() if worker.stdout else "worker died"
                )
        else:
            raise RuntimeError(f"The Celery worker did not answer within {STARTUP_SECONDS} s")
        yield Worker(queue=queues[0], process=worker)
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
