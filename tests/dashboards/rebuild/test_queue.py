"""Rebuild requests are merged while a rebuild waits: a burst costs one rebuild, not one each."""

from __future__ import annotations

import pytest

from dashboards.models import Indicator, Rebuild, RebuildScope, RebuildStatus, RebuildTrigger
from dashboards.rebuild import queue
from dashboards.rebuild.build import rebuild_dashboards

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """The rebuild tasks sent (not run), by rebuild id."""
    ids: list[int] = []
    monkeypatch.setattr(queue, "send_on_commit", lambda name, pk: ids.append(pk))
    return ids


def ids(*codes: str) -> list[int]:
    return sorted(Indicator.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_full_rebuilds_requested_while_one_waits_are_one_rebuild(sent):
    first = queue.queue_rebuild(trigger=RebuildTrigger.API)
    for _ in range(5):
        assert queue.queue_rebuild(trigger=RebuildTrigger.PORTAL).pk == first.pk
    assert Rebuild.objects.count() == 1
    assert sent == [first.pk]


def test_incremental_requests_while_one_waits_join_it(sent):
    first = queue.queue_incremental_rebuild(ids("asylum_pending"))
    second = queue.queue_incremental_rebuild(ids("departures", "asylum_pending"))
    assert second.pk == first.pk
    first.refresh_from_db()
    assert first.indicator_ids == ids("asylum_pending", "departures")
    assert sent == [first.pk]


def test_a_waiting_full_rebuild_covers_an_incremental_request(sent):
    full = queue.queue_rebuild(trigger=RebuildTrigger.SCHEDULE)
    assert queue.queue_incremental_rebuild(ids("asylum_pending")).pk == full.pk
    assert Rebuild.objects.get().scope == RebuildScope.FULL


def test_a_request_after_the_rebuild_started_queues_a_new_one(sent):
    first = queue.queue_rebuild(trigger=RebuildTrigger.API)
    Rebuild.objects.filter(pk=first.pk).update(status=RebuildStatus.RUNNING)
    second = queue.queue_rebuild(trigger=RebuildTrigger.API)
    assert second.pk != first.pk
    assert sent == [first.pk, second.pk]


def test_the_rebuild_covers_what_was_merged_into_it_before_it_started(sent):
    first = queue.queue_incremental_rebuild(ids("asylum_pending"))
    queue.queue_incremental_rebuild(ids("departures"))
    done = rebuild_dashboards(rebuild_id=first.pk)
    assert done.status == RebuildStatus.SUCCEEDED
    assert done.indicator_ids == ids("asylum_pending", "departures")
