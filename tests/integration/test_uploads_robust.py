"""The upload pipeline under faults, with real workers on Redis: a large file on its own queue,
a killed worker, a soft time limit, a broker that does not answer. An upload may be delayed,
it is never stranded."""

from __future__ import annotations

import datetime
import os
import signal
import uuid
from contextlib import contextmanager

import pytest
from django.utils import timezone

from dashboards.models import Indicator, Upload, UploadStatus
from dashboards.uploads import services
from governance.models import Organisation
from ketenportaal.celery import app
from tests.dashboards.factories import IND_Q1, csv_file
from tests.workers import Worker, real_celery_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wide_indicator(seeded):
    """An indicator of IND with a dimension of 1000 values: room for large files of distinct
    cells (the seeded catalogue holds a few thousand cells per organisation at most)."""
    Indicator.objects.create(
        code="test_wide",
        label="Brede testindicator",
        owner=Organisation.objects.get(code="IND"),
        unit="persons",
        frequency="month",
        aggregation="sum",
        dimensions={"nationality": [f"n{n:03d}" for n in range(1000)]},
    )


def big_csv(rows: int) -> str:
    """`rows` distinct cells of the wide indicator, months from January 1990 on."""
    lines = ["indicator,period,value,nationality"]
    for n in range(rows):
        month = n // 1000
        lines.append(
            f"test_wide,{1990 + month // 12}-{month % 12 + 1:02d},{n % 997},n{n % 1000:03d}"
        )
    return "\n".join(lines) + "\n"


#: A validation on a machine that several test runs share: generous, the wait is on state.
VALIDATION_SECONDS = 300


def status_of(upload: Upload) -> str:
    upload.refresh_from_db()
    return upload.status


def wait_for_status(upload: Upload, status: str, *workers: Worker) -> None:
    wait_for(
        lambda: status_of(upload) == status,
        seconds=VALIDATION_SECONDS,
        what=f"upload {upload.pk} to become {status!r} (it is {status_of(upload)!r})",
        processes=workers,
    )


@contextmanager
def broker_down():
    """The web side's broker does not answer (as with Redis stopped): a port nobody listens on,
    with fresh connection pools on the way in and out."""
    working = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url = working
        app._pool = None
        app.amqp._producer_pool = None


def submit(user, text: str, organisation: str) -> Upload:
    org = Organisation.objects.get(code=organisation)
    return services.submit_upload(organisation=org, by=user, file=csv_file(text))


def test_a_large_file_on_its_own_queue_does_not_hold_up_a_small_one(
    wide_indicator, ind_partner, coa_partner, settings
):
    large_queue = f"test-large-{uuid.uuid4().hex[:6]}"
    settings.CELERY_LARGE_UPLOADS_QUEUE = large_queue
    settings.UPLOAD_LARGE_BYTES = 10_000
    with real_celery_worker() as worker:  # the default queue's worker only
        large = submit(ind_partner, big_csv(2000), "IND")
        small = submit(coa_partner, "indicator,period,value\nreception_capacity,2024-01,9\n", "COA")
        wait_for_status(small, UploadStatus.VALID, worker)
        assert status_of(large) == UploadStatus.RECEIVED  # waits on its own queue
        with real_celery_worker(queues=[large_queue], default=False) as large_worker:
            wait_for_status(large, UploadStatus.VALID, large_worker)


def test_a_killed_worker_delays_an_upload_but_never_strands_it(wide_indicator, ind_partner):
    with real_celery_worker() as worker:
        upload = submit(ind_partner, big_csv(300_000), "IND")
        wait_for_status(upload, UploadStatus.VALIDATING, worker)
        os.kill(worker.process.pid, signal.SIGKILL)  # as the OOM killer would
        worker.process.wait(30)
    assert status_of(upload) == UploadStatus.VALIDATING
    # The same file cannot be delivered again while it is being checked …
    with pytest.raises(services.DuplicateUpload):
        submit(ind_partner, big_csv(300_000), "IND")
    # … and once its claim is stale, the requeue that beat runs has it checked again.
    Upload.objects.filter(pk=upload.pk).update(
        validation_started_at=timezone.now() - datetime.timedelta(minutes=31)
    )
    with real_celery_worker() as worker:
        assert services.requeue_stuck_uploads() == [upload.pk]
        wait_for_status(upload, UploadStatus.VALID, worker)


def test_a_validation_past_its_soft_time_limit_is_refused_as_too_slow(wide_indicator, ind_partner):
    """The limit is the worker's (its environment), not the sender's: the test process keeps
    the default of 900 s, so only the worker's limit of one second can stop this validation."""
    with real_celery_worker(pool="prefork", env={"UPLOAD_VALIDATION_SOFT_SECONDS": "1"}) as worker:
        upload = submit(ind_partner, big_csv(400_000), "IND")
        wait_for_status(upload, UploadStatus.INVALID, worker)
    assert list(upload.issues.values_list("code", flat=True)) == ["too_slow"]
    assert "1 seconde" in upload.issues.get().message
    assert not upload.observations.exists()


def test_an_upload_sent_while_the_broker_is_down_is_validated_when_it_returns(seeded, ind_partner):
    with real_celery_worker() as worker:
        with broker_down():
            upload = submit(ind_partner, IND_Q1, "IND")  # stored; sending failed quietly
        assert status_of(upload) == UploadStatus.RECEIVED
        Upload.objects.filter(pk=upload.pk).update(
            uploaded_at=timezone.now() - datetime.timedelta(minutes=11)
        )
        assert services.requeue_stuck_uploads() == [upload.pk]
        wait_for_status(upload, UploadStatus.VALID, worker)
