"""Releases (issue 12): freezing the figures, reading them later exactly as they were, what has
been corrected since, and what the rebuild keeps (and does not keep) for a release."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.models import (
    Frequency,
    Indicator,
    Rebuild,
    RebuildStatus,
    ReleaseBuild,
    SeriesYear,
)
from dashboards.rebuild.build import rebuild_dashboards
from dashboards.rebuild.series import points
from dashboards.releases.services import FiguresNotBuilt, corrections, create_release
from tests.dashboards.factories import approved_upload

pytestmark = pytest.mark.django_db

FIRST = {
    ("asylum_applications", f"2024-{m:02d}", "application_type=first"): 100 * m for m in (1, 2, 3)
} | {("reception_occupancy", f"2024-{m:02d}", ""): 10 * m for m in (1, 2, 3)}


def quarter(code: str, release=None, key: str = "") -> dict[str, Decimal]:
    indicator = Indicator.objects.get(code=code)
    return {
        p.period: p.value
        for p in points(
            indicator=indicator,
            frequency=Frequency.QUARTER,
            key=key,
            release=release,
            viewer=None,
        )
    }


def settle() -> None:
    """Let the minute pass after which no page reads the rows a patch replaced."""
    Rebuild.objects.update(finished_at=timezone.now() - datetime.timedelta(hours=1))


@pytest.fixture
def frozen(regie):
    approved_upload("IND", FIRST)
    rebuild_dashboards()
    return create_release(name="Kwartaal 2024-Q1", by=regie)


def correct_february(value: int = 250):
    upload = approved_upload(
        "IND", {("asylum_applications", "2024-02", "application_type=first"): value}
    )
    rebuild_dashboards(upload_ids=[upload.pk])
    return upload


def test_a_release_holds_one_pointer_per_built_indicator_and_copies_no_figure(frozen):
    built = Indicator.objects.filter(pk__in=ReleaseBuild.objects.values("indicator_id")).count()
    assert frozen.builds.count() == built >= 2
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}


def test_a_later_correction_changes_the_current_figures_but_not_the_release(frozen):
    correct_february()
    assert quarter("asylum_applications") == {"2024-Q1": Decimal("650.0000")}
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}
    assert quarter("asylum_applications", frozen, "application_type=first") == {
        "2024-Q1": Decimal("600.0000")
    }


def test_the_release_survives_the_pruning_of_replaced_rows(frozen):
    correct_february()
    settle()
    correct_february(260)  # a second patch prunes the rows the first replaced
    settle()
    rebuild_dashboards(indicator_ids=[Indicator.objects.get(code="reception_occupancy").pk])
    assert quarter("asylum_applications") == {"2024-Q1": Decimal("660.0000")}
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}
    # Only what the release reads stays replaced: the first patch's own rows went.
    indicator = Indicator.objects.get(code="asylum_applications")
    kept = SeriesYear.objects.filter(indicator=indicator, replaced_by__isnull=False)
    pointer = frozen.builds.get(indicator=indicator)
    assert kept.exists()
    assert all(row.written_by <= pointer.version < row.replaced_by for row in kept)


def test_a_full_rebuild_with_nothing_changed_moves_the_release_onto_its_rows(frozen):
    old_base = frozen.builds.get(indicator__code="asylum_applications").base_id
    full = rebuild_dashboards()
    assert set(frozen.builds.values_list("base_id", flat=True)) == {full.pk}
    assert not SeriesYear.objects.filter(rebuild_id=old_base).exists()
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}


def test_a_full_rebuild_compares_the_digests_not_the_rows(frozen):
    """Every pointer has a digest, so moving the release reads no rows of either build."""
    assert all(digest is not None for digest in frozen.builds.values_list("digest", flat=True))
    with CaptureQueriesContext(connection) as queries:
        full = rebuild_dashboards()
    assert not [q["sql"] for q in queries.captured_queries if "EXCEPT" in q["sql"]]
    assert set(frozen.builds.values_list("base_id", flat=True)) == {full.pk}


def test_a_release_without_digests_is_compared_row_by_row_and_takes_the_new_digest(frozen):
    frozen.builds.update(digest=None)  # frozen before digests existed
    full = rebuild_dashboards()
    assert set(frozen.builds.values_list("base_id", flat=True)) == {full.pk}
    assert all(digest is not None for digest in frozen.builds.values_list("digest", flat=True))
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}


def test_a_full_rebuild_after_a_correction_keeps_only_the_corrected_indicators_old_rows(frozen):
    correct_february()
    old_base = frozen.builds.get(indicator__code="asylum_applications").base_id
    full = rebuild_dashboards()
    pointers = dict(frozen.builds.values_list("indicator__code", "base_id"))
    assert pointers["asylum_applications"] == old_base
    assert pointers["reception_occupancy"] == full.pk
    left = set(
        SeriesYear.objects.filter(rebuild_id=old_base).values_list("indicator__code", flat=True)
    )
    assert left == {"asylum_applications"}
    assert quarter("asylum_applications", frozen) == {"2024-Q1": Decimal("600.0000")}
    assert quarter("reception_occupancy", frozen) == {"2024-Q1": Decimal("30.0000")}


def test_corrections_list_old_and_new_value_and_the_correcting_upload(frozen):
    assert corrections(frozen) == []
    upload = correct_february()
    approved_upload("IND", {("asylum_applications", "2024-04", "application_type=first"): 5})
    (correction,) = corrections(frozen)
    assert correction.indicator.code == "asylum_applications"
    assert correction.organisation.code == "IND"
    assert (correction.period, correction.dimension_key) == ("2024-02", "application_type=first")
    assert (correction.old, correction.new) == (200, 250)
    assert correction.upload_id == upload.pk


def test_a_correction_back_to_the_released_value_is_no_correction(frozen):
    correct_february(250)
    correct_february(200)
    assert corrections(frozen) == []


def test_only_regie_freezes_figures(ind_partner, viewer):
    for user in (ind_partner, viewer):
        with pytest.raises(PermissionDenied):
            create_release(name="Kwartaal", by=user)


def test_a_name_is_required_and_unique(frozen, regie):
    with pytest.raises(ValidationError):
        create_release(name="  ", by=regie)
    with pytest.raises(ValidationError):
        create_release(name="kwartaal 2024-q1", by=regie)


def test_figures_approved_but_not_built_refuse_a_release(regie):
    rebuild_dashboards()
    approved_upload("IND", FIRST)
    with pytest.raises(FiguresNotBuilt):
        create_release(name="Te vroeg", by=regie)
    Rebuild.objects.record(indicator_ids=[1])
    assert Rebuild.objects.filter(status=RebuildStatus.QUEUED).exists()
    with pytest.raises(FiguresNotBuilt):
        create_release(name="Te vroeg", by=regie)
