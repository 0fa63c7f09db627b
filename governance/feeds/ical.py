"""iCalendar (RFC 5545) text for a feed of all-day events: escaping, folding, CRLF lines.

Pure functions, no database: `calendar(name, events)` gives the whole `text/calendar` body.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Ketenportaal//Planning//NL"
#: RFC 5545 §3.1: lines are at most 75 octets, not counting the line break.
MAX_OCTETS = 75


@dataclass(frozen=True)
class Event:
    """An all-day event (a deadline or a meeting day)."""

    uid: str
    day: datetime.date
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    cancelled: bool = False
    sequence: int = 0


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon and comma escaped, line breaks as `\\n`."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded (§3.1): at most 75 octets per line, continuation lines start
    with a space, and a UTF-8 character is never split."""
    parts: list[str] = []
    current, size, limit = "", 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, MAX_OCTETS - 1  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _date(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _stamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, stamp: datetime.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;VALUE=DATE:{_date(event.day)}",
        f"DTEND;VALUE=DATE:{_date(event.day + datetime.timedelta(days=1))}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.summary)}",
        "TRANSP:TRANSPARENT",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")  # a URI value: not TEXT-escaped
    lines.append("END:VEVENT")
    return lines


def calendar(name: str, events: Iterable[Event], *, stamp: datetime.datetime) -> str:
    """The whole calendar, CRLF line ends, every line folded."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
