"""The Celery app. Workers: `celery -A ketenportaal worker`; the schedule: `celery -A ketenportaal beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")

app = Celery("ketenportaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
