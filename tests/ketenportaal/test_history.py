"""The readable change history (ketenportaal.history): names instead of ids, local times in the
table format, reasons in the reader's language."""

import datetime

import pytest
from django.utils import timezone, translation

from actions.services import save_action, save_milestone
from ketenportaal.history import history_rows
from tests.factories import ActionFactory, MilestoneFactory, RecommendationFactory, make_user, org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    """Field labels in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def changes_of(obj) -> dict[str, tuple[str, str]]:
    [latest, *_] = history_rows(obj)
    return {change.label: (change.old, change.new) for change in latest.changes}


def test_a_changed_owner_shows_the_organisations_name_not_its_id():
    regie = make_user("regie", username="history-regie")
    action = ActionFactory(owner=org("IND"))
    action.owner = org("COA")
    save_action(action=action, by=regie)
    old, new = changes_of(action)["eigenaar"]
    assert (old, new) == (str(org("IND")), str(org("COA")))
    assert str(org("COA").pk) != new


def test_changed_recommendations_show_their_codes_not_ids():
    regie = make_user("regie", username="history-regie2")
    first = RecommendationFactory(code="H1.1")
    second = RecommendationFactory(code="H1.2")
    action = ActionFactory(recommendations=[first])
    save_action(action=action, by=regie, recommendations=[first, second])
    [latest, *_] = history_rows(action)
    shown = " ".join(c.new for c in latest.changes)
    assert str(first) in shown and str(second) in shown
    assert str(second.pk) not in shown.replace(str(second), "")


def test_a_moved_due_date_shows_in_the_table_format():
    regie = make_user("regie", username="history-regie3")
    milestone = MilestoneFactory(due_date=datetime.date(2026, 12, 1))
    milestone.due_date = datetime.date(2027, 1, 5)
    save_milestone(milestone=milestone, by=regie, replan_reason="Levering vertraagd.")
    with translation.override("nl"):
        assert changes_of(milestone)["deadline"] == ("01-12-2026", "05-01-2027")


def test_a_changed_timestamp_shows_local_time_without_microseconds(settings):
    regie = make_user("regie", username="history-regie4")
    milestone = MilestoneFactory()
    milestone.status = "done"
    save_milestone(milestone=milestone, by=regie)
    # completed_on is a date; the history's own moment is a local datetime
    [latest, *_] = history_rows(milestone)
    assert timezone.is_aware(latest.when)
    rendered = {c.new for c in latest.changes}
    assert not any("+00:00" in text or "." in text.split(" ")[-1] for text in rendered)


def test_a_stored_dutch_reason_reads_in_english_for_an_english_reader():
    milestone = MilestoneFactory()
    milestone._change_reason = "Besluit voorgesteld"
    milestone.save()
    with translation.override("en"):
        [latest, *_] = history_rows(milestone)
    assert latest.reason == "Decision proposed"


def test_a_reason_with_values_is_stored_in_dutch_and_read_in_english_with_its_values():
    from actions.services import REPLANNED

    milestone = MilestoneFactory()
    with translation.override("en"):  # its author reads the portal in English
        milestone._change_reason = REPLANNED(reason="Ter Apel vol: later")
    milestone.save()
    assert milestone.history.first().history_change_reason == "Herplanning: Ter Apel vol: later"
    with translation.override("en"):
        assert history_rows(milestone)[0].reason == "Re-planned: Ter Apel vol: later"
    with translation.override("nl"):
        assert history_rows(milestone)[0].reason == "Herplanning: Ter Apel vol: later"


def test_a_progress_report_of_an_english_author_is_kept_with_a_dutch_reason():
    from actions.services import record_progress

    milestone = MilestoneFactory()
    partner = make_user("partner", milestone.action.owner.code, username="history-partner-en")
    with translation.override("en"):
        record_progress(milestone=milestone, by=partner, text="On track.", percent_complete=40)
    assert milestone.history.first().history_change_reason == "Voortgangsrapportage"
    with translation.override("en"):
        assert history_rows(milestone)[0].reason == "Progress update"
