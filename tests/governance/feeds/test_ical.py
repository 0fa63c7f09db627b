"""iCalendar text (RFC 5545): TEXT escaping, folding at 75 octets, CRLF, all-day events."""

from __future__ import annotations

import datetime

from governance.feeds import ical

STAMP = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=datetime.UTC)


def unfold(text: str) -> list[str]:
    """Undo folding (§3.1): a line break followed by a space continues the line."""
    return text.replace("\r\n ", "").split("\r\n")


def test_text_values_escape_backslash_semicolon_comma_and_newlines():
    assert ical.escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_long_lines_fold_at_75_octets_and_unfold_to_the_original():
    line = "DESCRIPTION:" + "Uitvoeringstoets ketenbreed, " * 12
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert all(part.startswith(" ") for part in folded.split("\r\n")[1:])
    assert folded.replace("\r\n ", "") == line


def test_folding_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "é€" * 60
    folded = ical.fold(line)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")  # each line is valid UTF-8 on its own
        assert len(part.encode()) <= 75
    assert folded.replace("\r\n ", "") == line


def test_a_calendar_has_crlf_lines_and_an_all_day_event():
    event = ical.Event(
        uid="milestone-7@portaal.example.nl",
        day=datetime.date(2026, 12, 31),
        summary="Deadline mijlpaal: Nulmeting; fase 1, deel 2",
        description="Actie: X\nEigenaar: IND",
        url="https://portaal.example.nl/mijlpalen/7/",
        sequence=2,
    )
    text = ical.calendar("Ketenportaal", [event], stamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[:3] == ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{ical.PRODID}"]
    for expected in (
        "UID:milestone-7@portaal.example.nl",
        "DTSTAMP:20261201T223000Z",
        "DTSTART;VALUE=DATE:20261231",
        "DTEND;VALUE=DATE:20270101",
        "SEQUENCE:2",
        "SUMMARY:Deadline mijlpaal: Nulmeting\\; fase 1\\, deel 2",
        "DESCRIPTION:Actie: X\\nEigenaar: IND",
        "URL:https://portaal.example.nl/mijlpalen/7/",
        "STATUS:CONFIRMED",
    ):
        assert expected in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1


def test_a_cancelled_event_says_so():
    event = ical.Event(uid="x@y", day=datetime.date(2026, 1, 1), summary="s", cancelled=True)
    assert "STATUS:CANCELLED" in unfold(ical.calendar("c", [event], stamp=STAMP))
