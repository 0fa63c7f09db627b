"""A real Celery worker process for the tests that need one (integration and browser tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings as django_settings
from django.db import connection

from tests import log_secrets

ROOT = Path(__file__).resolve().parent.parent
#: A worker's or beat's start (Django, pandas, the app's tasks) takes over a minute on a busy
#: two-core machine shared by several test runs; waits are on state, with room to spare.
STARTUP_SECONDS = 300


@dataclass
class Process:
    """A Celery process of a test. Its output goes to a file, never to an unread pipe: a process
    that logs more than a pipe holds (64 KB: a beat that sends a task every second, a worker's
    JSON lines) would block on its next line and look hung."""

    process: subprocess.Popen
    output: IO[bytes] = field(repr=False)

    def log(self, last: int | None = 4000) -> str:
        """The last `last` characters the process wrote (for failure messages; None: all)."""
        self.output.flush()
        self.output.seek(0)
        text = self.output.read().decode(errors="replace")
        return text[-last:] if last else text

    def stop_and_check_its_logs(self) -> None:
        """Stop the process, then fail if its output holds a secret of this run."""
        _stop(self.process)
        leaked = log_secrets.leaked_in(self.log(last=None))
        assert not leaked, f"Secrets in the output of {self.process.args[5]}: {leaked}"


@dataclass
class Worker(Process):
    queue: str = ""


def wait_for(
    predicate: Callable[[], Any],
    *,
    seconds: float,
    what: str,
    processes: tuple[Process, ...] = (),
) -> Any:
    """Poll `predicate` until it returns something truthy, and return that. After `seconds` (or
    once one of `processes` has died) fail with a message naming `what` was awaited and what the
    processes wrote. Waits on state, never on a fixed time."""
    deadline = time.monotonic() + seconds
    while True:
        found = predicate()
        if found:
            return found
        dead = [p for p in processes if p.process.poll() is not None]
        if dead or time.monotonic() > deadline:
            reason = "a process died" if dead else f"not within {seconds:.0f} s"
            logs = "\n".join(f"--- output of {p.process.args[5]}:\n{p.log()}" for p in processes)
            raise AssertionError(f"Waited for {what}: {reason}.\n{logs}")
        time.sleep(0.25)


def celery_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a Celery process against this test's database and media."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(django_settings.STORAGES["default"]["OPTIONS"]["location"]),
        **(env or {}),
    }


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


@contextmanager
def real_celery_beat(*, queue: str, schedule_dir: Path, env: dict[str, str] | None = None):
    """A real Celery beat sending to `queue` (a worker's), its schedule in `schedule_dir`.
    Yields the beat (`Process`); stopped on the way out."""
    with tempfile.TemporaryFile() as output:
        beat = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "ketenportaal", "beat", "-l", "warning",
                "--schedule", str(schedule_dir / "beat-schedule"),
                "--pidfile", str(schedule_dir / "beat.pid"),
            ],
            cwd=ROOT,
            env=celery_environment({"CELERY_QUEUE": queue, **(env or {})}),
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        handle = Process(process=beat, output=output)
        try:
            yield handle
            handle.stop_and_check_its_logs()
        finally:
            if beat.poll() is None:
                _stop(beat)


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
    environment = celery_environment({"CELERY_QUEUE": queues[0], **(env or {})})
    with tempfile.TemporaryFile() as output:
        worker = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "ketenportaal", "worker", "-P", pool,
                *(["--concurrency", "1"] if pool != "solo" else []),
                "-Q", ",".join(queues), "-n", name,
                "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        handle = Worker(process=worker, output=output, queue=queues[0])
        previous = (app.conf.task_always_eager, app.conf.task_default_queue)
        app.conf.task_always_eager = False
        if default:
            app.conf.task_default_queue = queues[0]
        try:
            wait_for(
                lambda: app.control.ping(destination=[name], timeout=0.5),
                seconds=STARTUP_SECONDS,
                what=f"the Celery worker {name} to answer a ping",
                processes=(handle,),
            )
            yield handle
            handle.stop_and_check_its_logs()
        finally:
            app.conf.task_always_eager, app.conf.task_default_queue = previous
            if worker.poll() is None:
                _stop(worker)
