import datetime

import pytest
from django.utils import timezone

from governance.models import ProgressReport, ReportingMoment, ReportStatus
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def moment(regie):
    return ReportingMoment.objects.create(date=TODAY, title="Voortgangsbrief", created_by=regie)


def test_regie_adds_a_moment(regie_client):
    response = regie_client.post("/rapportages/", {"title": "Brief Q3", "date": "2026-09-30"})
    moment = ReportingMoment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/rapportages/{moment.pk}/"
    assert moment.title == "Brief Q3"


def test_a_moment_without_a_date_gets_a_dutch_message_and_nothing_is_saved(regie_client):
    response = regie_client.post("/rapportages/", {"title": "Brief", "date": ""})
    assert response.status_code == 422
    assert "Geef een peildatum." in response.content.decode()
    assert not ReportingMoment.objects.exists()


def test_a_partner_cannot_add_a_moment(client, ind_partner):
    client.force_login(ind_partner)
    response = client.post("/rapportages/", {"title": "Brief", "date": "2026-09-30"})
    assert response.status_code == 403
    assert not ReportingMoment.objects.exists()


def test_viewer_sees_moments_but_no_form_or_generate_button(client, viewer, moment):
    client.force_login(viewer)
    listing = client.get("/rapportages/").content.decode()
    assert "Voortgangsbrief" in listing
    assert "Nieuw verantwoordingsmoment" not in listing
    detail = client.get(f"/rapportages/{moment.pk}/").content.decode()
    assert "Rapportage maken" not in detail
    assert client.post(f"/rapportages/{moment.pk}/genereren/").status_code == 403


def test_generate_shows_the_report_with_downloads(
    regie_client, moment, django_capture_on_commit_callbacks
):
    MilestoneFactory(
        title="Te laat opgeleverd",
        due_date=TODAY - datetime.timedelta(days=4),
        status="in_progress",
    )
    with django_capture_on_commit_callbacks(execute=True):
        regie_client.post(f"/rapportages/{moment.pk}/genereren/")
    response = regie_client.get(f"/rapportages/{moment.pk}/")
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.SUCCEEDED
    page = response.content.decode()
    assert "Te laat opgeleverd" in page
    assert f"/rapportages/versies/{report.pk}/pdf/" in page
    assert f"/rapportages/versies/{report.pk}/xlsx/" in page


def test_a_pending_report_polls_its_progress_through_a_real_link(regie_client, regie, moment):
    ProgressReport.objects.create(
        moment=moment,
        requested_by=regie,
        status=ReportStatus.RUNNING,
        percent=40,
        step="HTML maken",
    )
    response = regie_client.get(f"/rapportages/{moment.pk}/", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="report">')
    assert 'value="40"' in page
    assert 'hx-trigger="every 1s"' in page
    assert f'href="/rapportages/{moment.pk}/"' in page


def test_download_of_an_unfinished_report_is_not_found(regie_client, regie, moment):
    report = ProgressReport.objects.create(moment=moment, requested_by=regie)
    assert regie_client.get(f"/rapportages/versies/{report.pk}/pdf/").status_code == 404
    assert regie_client.get(f"/rapportages/versies/{report.pk}/exe/").status_code == 404


def test_moments_list_downloads_as_csv(regie_client, moment):
    response = regie_client.get("/rapportages/?format=csv")
    assert response.content.decode("utf-8-sig").splitlines()[1].startswith(TODAY.isoformat())


@pytest.mark.parametrize("versions", [1, 6])
def test_moment_page_query_count_does_not_grow_with_versions(
    regie_client, regie, moment, django_assert_max_num_queries, versions
):
    for version in range(1, versions + 1):
        ProgressReport.objects.create(
            moment=moment, requested_by=regie, status=ReportStatus.FAILED, version=version
        )
    # +1 since issue 15: django-otp reads the session's verified device.
    with django_assert_max_num_queries(13):
        assert regie_client.get(f"/rapportages/{moment.pk}/").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_moment_list_query_count_does_not_grow(
    regie_client, regie, django_assert_max_num_queries, count
):
    for n in range(count):
        moment = ReportingMoment.objects.create(
            date=TODAY - datetime.timedelta(days=n), title=f"M{n}", created_by=regie
        )
        ProgressReport.objects.create(moment=moment, requested_by=regie, status=ReportStatus.FAILED)
    # +1 since issue 15: django-otp reads the session's verified device.
    with django_assert_max_num_queries(11):
        assert regie_client.get("/rapportages/").status_code == 200
