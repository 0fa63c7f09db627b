"""submit, validate, approve, reject: what each guarantees, on PostgreSQL."""

from __future__ import annotations

import time

import pytest

from dashboards.models import Observation, UploadStatus
from dashboards.uploads import services
from governance.models import Organisation
from tests.dashboards.factories import IND_Q1, csv_file

pytestmark = pytest.mark.django_db


@pytest.mark.integration
def test_a_real_celery_worker_validates_an_upload(seeded, celery_worker_process, ind_partner):
    org = Organisation.objects.get(code="IND")
    upload = services.submit_upload(organisation=org, by=ind_partner, file=csv_file(IND_Q1))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        upload.refresh_from_db()
        if upload.is_finished:
            break
        time.sleep(0.2)
    assert upload.status == UploadStatus.VALID
    assert Observation.objects.filter(upload=upload).count() == 4
