"""An event as an iCalendar file (RFC 5545), written by the ``icalendar`` library: it escapes
text values, folds lines at 75 octets, ends them with CRLF, and writes the VTIMEZONE that a
DTSTART with a TZID needs. Times in UTC are written as UTC (``…Z``), without a VTIMEZONE."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from cityzero.community.eventtime import wall_clock

PRODID = "-//CityZero//Community events//EN"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    description: str
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    time_zone: str  # IANA name; "UTC" writes UTC times
    location: str
    url: str
    sequence: int
    cancelled: bool
    stamp: datetime  # when the file is written (DTSTAMP)


def _when(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(UTC) if zone_name == "UTC" else wall_clock(moment, zone_name)


def calendar_file(event: CalendarEvent) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = icalendar.Event()
    item.add("uid", event.uid)
    item.add("dtstamp", event.stamp.astimezone(UTC))
    item.add("dtstart", _when(event.starts_at, event.time_zone))
    item.add("dtend", _when(event.ends_at, event.time_zone))
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    if event.location:
        item.add("location", event.location)
    if event.url:
        item.add("url", event.url)
    item.add("sequence", event.sequence)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    calendar.add_component(item)
    if event.time_zone != "UTC":
        # Only the rules around the event: a small, still complete VTIMEZONE.
        first = date(event.starts_at.year - 1, 1, 1)
        last = date(event.ends_at.year + 1, 12, 31) + timedelta(days=1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()
