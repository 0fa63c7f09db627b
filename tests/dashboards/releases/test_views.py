"""The release pages and the dashboards with `?release=`."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.models import Release
from dashboards.rebuild.build import rebuild_dashboards
from dashboards.releases.services import create_release
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

FEBRUARY = ("asylum_applications", "2024-02", "application_type=first")


@pytest.fixture
def corrected(regie):
    approved_upload("IND", {FEBRUARY: 200})
    rebuild_dashboards()
    release = create_release(name="Kwartaal 2024-Q1", by=regie)
    upload = approved_upload("IND", {FEBRUARY: 250})
    rebuild_dashboards(upload_ids=[upload.pk])
    return release, upload


def test_regie_freezes_the_figures_on_the_page(regie_client):
    rebuild_dashboards()
    answer = regie_client.post(reverse("dashboards:releases"), {"name": "Kwartaal 2026-Q3"})
    release = Release.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("dashboards:release", args=[release.pk])


def test_a_viewer_sees_the_list_without_the_form_and_cannot_post(client, viewer, corrected):
    client.force_login(viewer)
    page = client.get(reverse("dashboards:releases"))
    assert page.status_code == 200
    assert "Kwartaal 2024-Q1" in page.content.decode()
    assert 'name="name"' not in page.content.decode()
    assert client.post(reverse("dashboards:releases"), {"name": "x"}).status_code == 403


def test_the_release_page_lists_corrections_with_labels(
    client, viewer, corrected, django_assert_max_num_queries
):
    release, upload = corrected
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("dashboards:release", args=[release.pk]))
    text = page.content.decode()
    assert "Release: Kwartaal 2024-Q1, vastgesteld op" in text
    assert "Asielaanvragen" in text and "Immigratie- en Naturalisatiedienst" in text
    assert "Eerste aanvraag" in text and "application_type" not in text
    assert f"aanlevering #{upload.pk}" in text
    assert ">200<" in text and "250<" in text


def test_ketenbeeld_with_a_release_shows_the_frozen_figure_and_says_so(client, viewer, corrected):
    release, _upload = corrected
    client.force_login(viewer)
    frozen = client.get(reverse("dashboards:chain"), {"release": release.pk}).content.decode()
    current = client.get(reverse("dashboards:chain")).content.decode()
    assert "Release: Kwartaal 2024-Q1, vastgesteld op" in frozen
    assert "Release: Kwartaal" not in current
    assert ">200<" in frozen and ">250<" in current


def test_a_dashboard_with_a_release_costs_no_more_queries_than_without(
    client, viewer, corrected, django_assert_max_num_queries
):
    release, _upload = corrected
    client.force_login(viewer)
    with CaptureQueriesContext(connection) as current:
        client.get(reverse("dashboards:chain"), {"van": "2024"})
    with django_assert_max_num_queries(len(current.captured_queries) + 1):
        client.get(reverse("dashboards:chain"), {"van": "2024", "release": release.pk})
