"""The Celery app. Workers: `celery -A ketenportaal worker`; the schedule: `celery -A ketenportaal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")

#: The packages whose `tasks` module defines Celery tasks (each task is named by its module path).
TASK_PACKAGES = [
    "dashboards.uploads",
    "dashboards.rebuild",
    "governance.steering",
    "governance.reports",
]

app = Celery("ketenportaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(TASK_PACKAGES)
