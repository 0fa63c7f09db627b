"""A notification's words come from its stored facts, in the reader's language."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from governance.models import Notification, NotificationKind
from governance.notifications import texts


def due_in(days: int) -> Notification:
    due = timezone.localdate() + datetime.timedelta(days=days)
    return Notification(
        kind=NotificationKind.MILESTONE_DUE,
        params={
            "milestone": "Nulmeting uitgevoerd",
            "action": "Doorlooptijden meten",
            "owner": "IND",
            "recommendations": ["R-2.1", "R-2.3"],
            "due_date": due.isoformat(),
        },
    )


def test_the_days_until_the_deadline_are_counted_with_the_right_plural():
    with translation.override("nl"):
        assert (
            texts.title(due_in(1))
            == "Mijlpaal “Nulmeting uitgevoerd” heeft over 1 dag zijn deadline"
        )
        assert "over 5 dagen" in texts.title(due_in(5))
        assert texts.title(due_in(0)).endswith("heeft vandaag zijn deadline")


def test_the_details_name_the_action_and_its_recommendations_in_english_too():
    with translation.override("en"):
        assert texts.title(due_in(3)) == "Milestone “Nulmeting uitgevoerd” is due in 3 days"
        lines = texts.details(due_in(3))
    assert lines[0] == "Action: Doorlooptijden meten (IND)"
    assert lines[1] == "Recommendation: R-2.1, R-2.3"


def test_a_rejection_gives_its_reason():
    notification = Notification(
        kind=NotificationKind.UPLOAD_REJECTED,
        params={
            "file_name": "q3.csv",
            "organisation": "IND",
            "reason": "Maart ontbreekt",
            "decided_on": "2026-11-30",
        },
    )
    with translation.override("nl"):
        assert texts.title(notification) == "Aanlevering q3.csv is afgewezen"
        assert texts.details(notification) == [
            "Beoordeeld op 30 november 2026.",
            "Reden: Maart ontbreekt",
        ]
