"""Sending Celery tasks by name, once the transaction that asks for them commits.

A service sends the task of a package above its own by name (`"dashboards.rebuild.tasks.run"`),
so that packages depend in one direction: the package that defines a task may import the one that
sends it, never the reverse. The worker (and the in-process demo) knows every task by name from
the Celery app's autodiscovery (`ketenportaal.celery`).
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def send(name: str, *args: Any, **kwargs: Any) -> None:
    """Send task `name` now (eagerly in-process when tasks run eagerly, like `.delay`)."""
    if name not in current_app.tasks:
        # A web process imports the task modules on first use (a worker does at start).
        current_app.loader.import_default_modules()
    current_app.tasks[name].delay(*args, **kwargs)


def send_on_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """Send task `name` after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(name, *args, **kwargs))
