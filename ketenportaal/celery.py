"""The Celery app. Workers: `celery -A ketenportaal worker`; the schedule: `celery -A ketenportaal beat`."""

import logging
import os

from celery import Celery, signals

from ketenportaal import logs, runtime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")

#: The packages whose `tasks` module defines Celery tasks (each task is named by its module path).
TASK_PACKAGES = [
    "dashboards.uploads",
    "dashboards.rebuild",
    "governance.steering",
    "governance.reports",
    "governance.accounts",
    "dashboards.health",
    "governance.packs",
    "governance.notifications",
]

app = Celery("ketenportaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(TASK_PACKAGES)


# Heartbeats (issue 15): the worker when it starts (and on every `heartbeat` task), beat each
# time it sends a task. Sent by name and written through dashboards.health.status once Django is set up.
_IS_BEAT = False


@signals.beat_init.connect
def _beat_started(sender=None, **kwargs) -> None:
    global _IS_BEAT
    _IS_BEAT = True
    _heartbeat("beat")


@signals.after_task_publish.connect
def _beat_sent(sender=None, **kwargs) -> None:
    if _IS_BEAT:
        _heartbeat("beat")


@signals.worker_ready.connect
def _worker_ready(sender=None, **kwargs) -> None:
    _heartbeat("worker")


# Each process that runs tasks, once it has loaded them: a prefork pool's children after the
# fork, or the worker itself with a solo or threads pool.
@signals.worker_process_init.connect
@signals.worker_ready.connect
def _settle(sender=None, **kwargs) -> None:
    runtime.settle()


def _heartbeat(name: str) -> None:
    from dashboards.health.status import record_heartbeat

    try:
        record_heartbeat(name)
    except Exception:  # a heartbeat must never stop beat or the worker
        logging.getLogger(__name__).exception("Could not record the %s heartbeat", name)


# Logs of tasks carry the request id of the request that sent them (ketenportaal.logs).
signals.before_task_publish.connect(logs.add_request_id_header)
signals.task_prerun.connect(logs.bind_task_context)
signals.task_postrun.connect(logs.clear_task_context)
