"""submit, validate, approve, reject: what each guarantees, on PostgreSQL."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dashboards.models import CurrentCell, Indicator, Observation, Upload, UploadIssue, UploadStatus
from dashboards.uploads import approval, review, services, storage
from governance.models import Organisation, Role
from tests.dashboards.factories import IND_Q1, csv_file, submit
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_submit_keeps_the_original_file_with_its_sha256(ind_partner):
    upload = submit(ind_partner, IND_Q1, validate=False)
    assert upload.status == UploadStatus.RECEIVED
    assert upload.sha256 == hashlib.sha256(IND_Q1.encode()).hexdigest()
    with upload.file.open("rb") as handle:
        assert handle.read() == IND_Q1.encode()
    assert upload.file_name == "cijfers.csv"
    assert upload.size == len(IND_Q1.encode())


def test_the_same_file_twice_is_recognised_and_nothing_new_is_stored(ind_partner):
    first = submit(ind_partner, IND_Q1)
    with pytest.raises(services.DuplicateUpload) as caught:
        submit(ind_partner, IND_Q1, name="nogmaals.csv")
    assert caught.value.earlier == first
    assert f"#{first.pk}" in str(caught.value)
    assert Upload.objects.count() == 1


def test_another_organisation_may_send_the_same_bytes(ind_partner, regie):
    submit(ind_partner, "indicator,period,value\nasylum_pending,2024-01,1\n")
    other = submit(regie, "indicator,period,value\nasylum_pending,2024-01,1\n", organisation="COA")
    assert other.status == UploadStatus.INVALID  # COA does not own asylum_pending


def test_a_partner_cannot_upload_for_another_organisation(ind_partner):
    with pytest.raises(PermissionDenied):
        services.submit_upload(
            organisation=Organisation.objects.get(code="COA"), by=ind_partner, file=csv_file(IND_Q1)
        )
    assert not Upload.objects.exists()


def test_a_viewer_cannot_upload(viewer):
    with pytest.raises(PermissionDenied):
        services.submit_upload(
            organisation=Organisation.objects.get(code="JENV"), by=viewer, file=csv_file(IND_Q1)
        )


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(ind_partner, settings):
    settings.UPLOAD_MAX_BYTES = 50
    with pytest.raises(ValidationError):
        submit(ind_partner, IND_Q1)
    assert not Upload.objects.exists()


def test_a_valid_upload_stores_its_observations_and_nothing_becomes_current(ind_partner):
    upload = submit(ind_partner, IND_Q1)
    assert upload.status == UploadStatus.VALID
    assert (upload.rows, upload.rows_read, upload.error_count) == (4, 4, 0)
    assert upload.validation_started_at and upload.validation_finished_at
    assert Observation.objects.filter(upload=upload).count() == 4
    assert not CurrentCell.objects.exists()
    observation = Observation.objects.get(upload=upload, period="2024-02")
    assert observation.dimensions == {"application_type": "first"}
    assert observation.row == 3
    assert observation.organisation.code == "IND"


def test_an_invalid_upload_stores_its_report_and_no_observation(ind_partner):
    upload = submit(ind_partner, IND_Q1 + "asylum_pending,2024-04,veel,\n")
    assert upload.status == UploadStatus.INVALID
    assert upload.error_count == 1
    issue = UploadIssue.objects.get(upload=upload)
    assert (issue.row, issue.column, issue.code) == (6, "value", "not_a_number")
    assert not Observation.objects.filter(upload=upload).exists()


def test_an_unreadable_file_is_invalid_with_one_clear_issue(ind_partner):
    upload = submit(ind_partner, "", name="leeg.csv")
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["empty_file"]


def test_validation_is_idempotent(ind_partner):
    upload = submit(ind_partner, IND_Q1)
    again = services.validate_upload(upload_id=upload.pk)
    assert again.status == UploadStatus.VALID
    assert Observation.objects.filter(upload=upload).count() == 4
    assert UploadIssue.objects.filter(upload=upload).count() == upload.issues.count()


def test_a_validation_abandoned_by_a_dead_worker_is_taken_over(ind_partner):
    upload = submit(ind_partner, IND_Q1, validate=False)
    long_ago = upload.uploaded_at - services.STALE_VALIDATION * 2
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.VALIDATING, validation_started_at=long_ago
    )
    assert services.validate_upload(upload_id=upload.pk).status == UploadStatus.VALID


def test_a_running_validation_is_not_started_twice(ind_partner):
    upload = submit(ind_partner, IND_Q1, validate=False)
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.VALIDATING, validation_started_at=upload.uploaded_at
    )
    from django.utils import timezone

    Upload.objects.filter(pk=upload.pk).update(validation_started_at=timezone.now())
    assert services.validate_upload(upload_id=upload.pk).status == UploadStatus.VALIDATING
    assert not Observation.objects.filter(upload=upload).exists()


def test_approval_makes_the_cells_current(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    approved = approval.approve_upload(upload=upload, by=regie)
    assert approved.status == UploadStatus.APPROVED
    assert approved.decided_by == regie
    assert CurrentCell.objects.filter(observation__upload=upload).count() == 4


def test_a_double_click_approves_once(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    approval.approve_upload(upload=upload, by=regie)
    with pytest.raises(approval.UploadNotPending):
        approval.approve_upload(upload=upload, by=regie)
    assert CurrentCell.objects.count() == 4


def test_a_partner_cannot_approve(ind_partner):
    upload = submit(ind_partner, IND_Q1)
    with pytest.raises(PermissionDenied):
        approval.approve_upload(upload=upload, by=ind_partner)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.VALID


def test_an_invalid_upload_cannot_be_approved(ind_partner, regie):
    upload = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-01,x\n")
    with pytest.raises(approval.UploadNotPending):
        approval.approve_upload(upload=upload, by=regie)
    assert not CurrentCell.objects.exists()


def test_a_correction_supersedes_some_cells_and_the_old_values_stay_in_the_cell_history(
    ind_partner, regie
):
    first = approval.approve_upload(upload=submit(ind_partner, IND_Q1), by=regie)
    correction = submit(
        ind_partner,
        "indicator,period,value,application_type\n"
        "asylum_applications,2024-02,115,first\n"
        "asylum_applications,2024-04,130,first\n",
    )
    assert list(correction.issues.values_list("code", flat=True)) == ["correction"]
    assert review.diffs([correction.pk])[correction.pk] == review.Diff(
        new=1, changed=1, unchanged=0
    )
    approval.approve_upload(upload=correction, by=regie)

    current = {
        c.period: c.observation.value
        for c in CurrentCell.objects.filter(indicator__code="asylum_applications").select_related(
            "observation"
        )
    }
    assert current == {"2024-01": 100, "2024-02": 115, "2024-03": 120, "2024-04": 130}
    history = review.cell_history(
        indicator=Indicator.objects.get(code="asylum_applications"),
        organisation=Organisation.objects.get(code="IND"),
        period="2024-02",
        dimension_key="application_type=first",
    )
    assert [(o.value, o.upload_id) for o in history] == [(110, first.pk), (115, correction.pk)]
    assert Observation.objects.filter(upload=first).count() == 4  # nothing deleted


def test_approval_rechecks_overlap_with_figures_approved_since_validation(ind_partner, regie):
    months = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-01,1\n")
    quarter = submit(ind_partner, "indicator,period,value\nasylum_pending,2024-Q1,1\n")
    assert quarter.status == UploadStatus.VALID  # nothing approved yet when it was checked
    approval.approve_upload(upload=months, by=regie)
    with pytest.raises(ValidationError):
        approval.approve_upload(upload=quarter, by=regie)
    quarter.refresh_from_db()
    assert quarter.status == UploadStatus.VALID
    assert CurrentCell.objects.count() == 1


def test_rejection_needs_a_reason_and_keeps_the_figures_out(ind_partner, regie):
    upload = submit(ind_partner, IND_Q1)
    with pytest.raises(ValidationError):
        approval.reject_upload(upload=upload, by=regie, reason="  ")
    rejected = approval.reject_upload(
        upload=upload, by=regie, reason="Maart ontbreekt bij follow_up."
    )
    assert rejected.status == UploadStatus.REJECTED
    assert rejected.rejection_reason == "Maart ontbreekt bij follow_up."
    assert not CurrentCell.objects.exists()
    with pytest.raises(approval.UploadNotPending):
        approval.approve_upload(upload=upload, by=regie)


def test_approval_queues_the_rebuild_hook_after_commit(
    ind_partner, regie, monkeypatch, django_capture_on_commit_callbacks
):
    seen = []
    monkeypatch.setattr(
        approval, "queue_incremental_rebuild", lambda ids, upload_id: seen.append(sorted(ids))
    )
    upload = submit(ind_partner, IND_Q1)
    with django_capture_on_commit_callbacks(execute=True):
        approval.approve_upload(upload=upload, by=regie)
    ids = sorted(
        Indicator.objects.filter(code__in=["asylum_applications", "asylum_pending"]).values_list(
            "pk", flat=True
        )
    )
    assert seen == [ids]


def test_observations_are_stored_with_one_copy_not_a_query_per_row(
    ind_partner, django_assert_max_num_queries
):
    rows = "".join(
        f"asylum_pending,{year}-{month:02d},{year * month}\n"
        for year in range(2000, 2024)
        for month in range(1, 13)
    )
    upload = submit(ind_partner, "indicator,period,value\n" + rows, validate=False)
    with django_assert_max_num_queries(15):
        services.validate_upload(upload_id=upload.pk)
    assert Observation.objects.filter(upload=upload).count() == 24 * 12


def test_the_database_refuses_to_change_or_delete_an_observation_or_delete_an_upload(ind_partner):
    from django.db import DatabaseError, connection, transaction

    upload = submit(ind_partner, IND_Q1)
    for sql in (
        "UPDATE dashboards_observation SET value = 0 WHERE upload_id = %s",
        "DELETE FROM dashboards_observation WHERE upload_id = %s",
        "DELETE FROM dashboards_upload WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [upload.pk])
    assert Observation.objects.filter(upload=upload).count() == 4


def test_a_failure_while_storing_marks_the_upload_invalid_and_the_file_may_be_sent_again(
    ind_partner, monkeypatch
):
    upload = submit(ind_partner, IND_Q1, validate=False)
    real_copy = storage.copy_frame

    def broken_copy(model, columns, frame):
        if model is Observation:
            raise RuntimeError("disk full")
        real_copy(model, columns, frame)

    monkeypatch.setattr(storage, "copy_frame", broken_copy)
    failed = services.validate_upload(upload_id=upload.pk)
    assert failed.status == UploadStatus.INVALID
    assert list(failed.issues.values_list("code", flat=True)) == ["internal_error"]
    assert not Observation.objects.filter(upload=upload).exists()
    monkeypatch.setattr(storage, "copy_frame", real_copy)
    again = submit(ind_partner, IND_Q1)
    assert again.status == UploadStatus.VALID


def test_the_uploaders_language_is_recorded_for_the_report(ind_partner):
    from django.utils import translation

    with translation.override("en"):
        upload = submit(
            ind_partner, "indicator,period,value\nasylum_pending,2024-01,x\n", validate=False
        )
    assert upload.language == "en"
    services.validate_upload(upload_id=upload.pk)
    assert Upload.objects.get(pk=upload.pk).language == "en"


def test_warnings_computed_while_storing_are_in_both_languages(ind_partner, regie):
    from django.utils import translation

    approval.approve_upload(upload=submit(ind_partner, IND_Q1), by=regie)
    correction = "indicator,period,value,application_type\nasylum_applications,2024-02,115,first\n"
    with translation.override("en"):
        upload = submit(ind_partner, correction, validate=False)
    validated = services.validate_upload(upload_id=upload.pk)  # outside the override
    assert validated.status == UploadStatus.VALID
    assert validated.warning_count == 1
    [(dutch, english)] = validated.issues.values_list("message", "message_en")
    assert english.startswith("Corrects the approved value"), english
    assert dutch.startswith("Corrigeert de goedgekeurde waarde"), dutch


def _age(upload, *, received: int | None = None, claimed: int | None = None):
    now = timezone.now()
    if received is not None:
        Upload.objects.filter(pk=upload.pk).update(
            uploaded_at=now - datetime.timedelta(minutes=received)
        )
    if claimed is not None:
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.VALIDATING,
            validation_started_at=now - datetime.timedelta(minutes=claimed),
        )


def test_an_upload_left_received_is_validated_by_the_requeue(ind_partner):
    lost = submit(ind_partner, IND_Q1, validate=False)
    fresh = submit(ind_partner, IND_Q1.replace("5000", "5001"), validate=False)
    _age(lost, received=11)
    assert services.requeue_stuck_uploads() == [lost.pk]
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == (UploadStatus.VALID, UploadStatus.RECEIVED)


def test_a_validation_claimed_by_a_dead_worker_is_taken_over_by_the_requeue(ind_partner):
    dead = submit(ind_partner, IND_Q1, validate=False)
    busy = submit(ind_partner, IND_Q1.replace("5000", "5001"), validate=False)
    _age(dead, claimed=31)
    _age(busy, claimed=5)
    assert services.requeue_stuck_uploads() == [dead.pk]
    dead.refresh_from_db()
    busy.refresh_from_db()
    assert (dead.status, busy.status) == (UploadStatus.VALID, UploadStatus.VALIDATING)


def test_a_stuck_upload_does_not_block_sending_the_same_file_again(ind_partner):
    stuck = submit(ind_partner, IND_Q1, validate=False)
    _age(stuck, claimed=5)
    with pytest.raises(services.DuplicateUpload):
        submit(ind_partner, IND_Q1, validate=False)
    _age(stuck, claimed=31)
    again = submit(ind_partner, IND_Q1)
    assert again.status == UploadStatus.VALID


def test_large_files_are_validated_on_their_own_queue(ind_partner, settings, monkeypatch):
    settings.CELERY_LARGE_UPLOADS_QUEUE = "groot"
    settings.UPLOAD_LARGE_BYTES = 50
    sent = []
    monkeypatch.setattr(
        services, "send_on_commit", lambda name, pk, queue=None: sent.append((pk, queue))
    )
    small = submit(
        ind_partner, "indicator,period,value\nasylum_pending,2024-01,1\n", validate=False
    )
    large = submit(ind_partner, IND_Q1, validate=False)
    assert sent == [(small.pk, None), (large.pk, "groot")]


def test_a_validation_stopped_by_its_soft_time_limit_is_refused_as_too_slow(
    ind_partner, monkeypatch
):
    from celery.exceptions import SoftTimeLimitExceeded

    from dashboards.uploads import ingest

    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(ingest, "read_table", slow)
    upload = submit(ind_partner, IND_Q1)
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["too_slow"]
    assert "duurde langer dan 15 minuten" in upload.issues.get().message


# ---------------------------------------------------------------- four eyes, sending again

COA_FILE = "indicator,period,value\nreception_occupancy,2024-01,100\n"


def test_regie_cannot_approve_what_it_sent_on_a_partners_behalf(regie):
    upload = submit(regie, COA_FILE, organisation="COA")
    assert upload.status == UploadStatus.VALID
    with pytest.raises(approval.OwnUpload) as caught:
        approval.approve_upload(upload=upload, by=regie)
    assert "zelf ingestuurd" in str(caught.value)
    upload.refresh_from_db()
    assert (upload.status, upload.decided_by, upload.decided_at) == (UploadStatus.VALID, None, None)
    assert not CurrentCell.objects.exists()


def test_another_regie_member_approves_what_a_colleague_sent(regie):
    colleague = make_user(Role.REGIE, "JENV", username="regie-collega")
    upload = submit(regie, COA_FILE, organisation="COA")
    approved = approval.approve_upload(upload=upload, by=colleague)
    assert (approved.status, approved.decided_by) == (UploadStatus.APPROVED, colleague)


def test_a_rejected_file_may_be_sent_again(ind_partner, regie):
    first = submit(ind_partner, IND_Q1)
    approval.reject_upload(upload=first, by=regie, reason="Maart klopt niet")
    again = submit(ind_partner, IND_Q1)
    assert again.pk != first.pk and again.status == UploadStatus.VALID


def test_an_invalid_file_may_be_sent_again_once_the_catalogue_knows_what_it_lacked(ind_partner):
    text = "indicator,period,value\nasylum_transfers,2024-01,3\n"
    first = submit(ind_partner, text)
    assert first.status == UploadStatus.INVALID
    Indicator.objects.create(
        code="asylum_transfers",
        label="Overdrachten",
        owner=Organisation.objects.get(code="IND"),
        unit="persons",
        frequency="month",
        aggregation="sum",
    )
    again = submit(ind_partner, text)
    assert again.pk != first.pk and again.status == UploadStatus.VALID


@pytest.mark.parametrize("status", [UploadStatus.RECEIVED, UploadStatus.APPROVED])
def test_a_pending_or_approved_file_is_still_a_duplicate(ind_partner, status):
    first = submit(ind_partner, IND_Q1)
    Upload.objects.filter(pk=first.pk).update(status=status)
    with pytest.raises(services.DuplicateUpload):
        submit(ind_partner, IND_Q1)


def test_a_validation_stopped_while_storing_is_refused_as_too_slow_with_nothing_stored(
    ind_partner, monkeypatch, settings
):
    from celery.exceptions import SoftTimeLimitExceeded

    from dashboards.uploads import storage

    settings.UPLOAD_VALIDATION_SOFT_SECONDS = 1
    real_copy = storage.copy_frame

    def slow_copy(model, columns, frame):
        if model is Observation:
            raise SoftTimeLimitExceeded()
        real_copy(model, columns, frame)

    monkeypatch.setattr(storage, "copy_frame", slow_copy)
    upload = submit(ind_partner, IND_Q1)
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["too_slow"]
    assert "duurde langer dan 1 seconde " in upload.issues.get().message
    assert not Observation.objects.filter(upload=upload).exists()


def test_a_driver_error_past_the_soft_time_limit_is_refused_as_too_slow(
    ind_partner, monkeypatch, settings
):
    """The limit's signal can interrupt the database driver, which raises its own error instead
    of Celery's: past the limit, that error is the limit too, and nothing is stored."""
    from django.db import OperationalError

    from dashboards.uploads import storage

    settings.UPLOAD_VALIDATION_SOFT_SECONDS = 0  # every moment is past the limit
    real_copy = storage.copy_frame

    def interrupted_copy(model, columns, frame):
        if model is Observation:
            raise OperationalError("canceling statement due to user request")
        real_copy(model, columns, frame)

    monkeypatch.setattr(storage, "copy_frame", interrupted_copy)
    upload = submit(ind_partner, IND_Q1)
    assert upload.status == UploadStatus.INVALID
    assert list(upload.issues.values_list("code", flat=True)) == ["too_slow"]
    assert not Observation.objects.filter(upload=upload).exists()
