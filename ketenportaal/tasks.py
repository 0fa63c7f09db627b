"""Sending Celery tasks by name, once the transaction that asks for them commits.

A service sends the task of a package above its own by name (`"dashboards.rebuild.tasks.…"`),
so that packages depend in one direction: the package that defines a task may import the one
that sends it, never the reverse. The worker (and the in-process demo) knows every task by name
from the Celery app's autodiscovery (`ketenportaal.celery`).

Without a broker (the one-machine demo) tasks run in this process. So that no request waits for
them (a rebuild takes seconds), they then run after the response, one at a time, in a background
thread (`TASKS_IN_BACKGROUND`, on by default without a broker); the tests run them inline.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)

_pending: queue.SimpleQueue[tuple[str, tuple, dict, dict]] = queue.SimpleQueue()
_runner_lock = threading.Lock()
_runner: threading.Thread | None = None


def _task(name: str):
    if name not in current_app.tasks:
        # A web process imports the task modules on first use (a worker does at start).
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def send(name: str, *args: Any, queue: str | None = None, **kwargs: Any) -> None:
    """Send task `name` now: to the broker (on `queue`, or the default one), or, in-process,
    to the background runner or inline (like `.delay`)."""
    task = _task(name)
    # Time limits are the worker's own, from its settings in the task's definition: the message
    # carries none. Otherwise the sender's limits travel in the message and win, so a web
    # process with other settings would set how long the worker may run (the soft time limit of
    # a validation was the web's, not the worker's).
    options: dict[str, Any] = {"time_limit": None, "soft_time_limit": None}
    if queue:
        options["queue"] = queue
    if current_app.conf.task_always_eager and settings.TASKS_IN_BACKGROUND:
        _pending.put((name, args, kwargs, options))
        _ensure_runner()
        return
    task.apply_async(args, kwargs, **options)


def send_on_commit(name: str, *args: Any, queue: str | None = None, **kwargs: Any) -> None:
    """Send task `name` after the current transaction commits (at once outside one).

    Robust: the write has committed by then, so a broker that is down must not turn it into an
    error page. The failure is logged; beat sends what was lost again (the uploads' and the
    rebuilds' requeue tasks: `requeue_stuck_uploads`, `requeue_waiting_rebuilds`).
    """

    def send_soft() -> None:
        try:
            send(name, *args, queue=queue, **kwargs)
        except Exception:
            if current_app.conf.task_always_eager:
                raise  # in-process: the task itself failed, not the broker
            logger.exception("Could not send task %s (broker unavailable?)", name)

    transaction.on_commit(send_soft)


def _ensure_runner() -> None:
    global _runner
    with _runner_lock:
        if _runner is None or not _runner.is_alive():
            # Not a daemon: a management command that sent a task waits for it before it exits.
            _runner = threading.Thread(target=_run_pending, name="in-process-tasks")
            _runner.start()


def _run_pending() -> None:
    """Run the queued tasks one at a time, like a single worker, until none is left."""
    global _runner
    while True:
        try:
            name, args, kwargs, _options = _pending.get(timeout=1)
        except queue.Empty:
            with _runner_lock:
                if _pending.empty():
                    _runner = None
                    connections.close_all()
                    return
            continue
        close_old_connections()
        try:
            _task(name).apply(args=args, kwargs=kwargs, throw=True)
        except Exception:
            logger.exception("In-process task %s failed", name)
        finally:
            connections.close_all()


def wait_for_background_tasks(timeout: float = 60) -> bool:
    """Wait until the background runner is idle (tests and the demo's commands). True when it is."""
    runner = _runner
    if runner is not None:
        runner.join(timeout)
        return not runner.is_alive()
    return True
