"""The .ics file of an event (RFC 5545): text escaped, lines folded at 75 octets and ended with
CRLF, times in UTC or with the zone's TZID and its VTIMEZONE."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from cityzero.community.ics import CalendarEvent, calendar_file
from tests.community.factories import NEXT_MAY, add, make_event, make_group, person

STAMP = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)


def event(**changes) -> CalendarEvent:
    values = {
        "uid": "event-7@cityzero.example",
        "title": "Heat planning; tenders, concessions",
        "description": "Bring your heat map.\nAnd a laptop: we write the tender together, "
        "line by line, until everything is in place.",
        "starts_at": datetime(2026, 5, 12, 12, 0, tzinfo=UTC),
        "ends_at": datetime(2026, 5, 12, 14, 0, tzinfo=UTC),
        "time_zone": "UTC",
        "location": "Rathaus, Markt 1, Aachen",
        "url": "https://cityzero.example/events/7/",
        "sequence": 2,
        "cancelled": False,
        "stamp": STAMP,
    }
    values.update(changes)
    return CalendarEvent(**values)


def test_a_utc_event_is_written_exactly_so():
    # Written out by hand: ";" and "," escaped, the newline as \n, the description folded after
    # 75 octets ("DESCRIPTION:" 12 + 20 + 2 + 41) with the next line starting with a space.
    assert calendar_file(event()).decode() == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//CityZero//Community events//EN\r\n"
        "METHOD:PUBLISH\r\n"
        "BEGIN:VEVENT\r\n"
        "SUMMARY:Heat planning\\; tenders\\, concessions\r\n"
        "DTSTART:20260512T120000Z\r\n"
        "DTEND:20260512T140000Z\r\n"
        "DTSTAMP:20260501T083000Z\r\n"
        "UID:event-7@cityzero.example\r\n"
        "SEQUENCE:2\r\n"
        "DESCRIPTION:Bring your heat map.\\nAnd a laptop: we write the tender togeth\r\n"
        " er\\, line by line\\, until everything is in place.\r\n"
        "LOCATION:Rathaus\\, Markt 1\\, Aachen\r\n"
        "STATUS:CONFIRMED\r\n"
        "URL:https://cityzero.example/events/7/\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )


def test_an_event_in_a_zone_carries_its_tzid_and_the_zones_rules():
    text = calendar_file(event(time_zone="Europe/Brussels")).decode()
    # 12:00 UTC in May is 14:00 on Brussels' summer time.
    assert "DTSTART;TZID=Europe/Brussels:20260512T140000\r\n" in text
    assert "DTEND;TZID=Europe/Brussels:20260512T160000\r\n" in text
    timezone_part = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "TZID:Europe/Brussels\r\n" in timezone_part
    assert "TZOFFSETTO:+0200\r\n" in timezone_part and "TZOFFSETTO:+0100\r\n" in timezone_part
    assert "RDATE:20260329T030000" in timezone_part or "DTSTART:20260329T030000" in timezone_part


def test_long_text_with_accents_is_folded_between_characters():
    title = "Visite d’étude à València : réseaux de chaleur, coopératives énergétiques " * 3
    data = calendar_file(event(title=title, description=""))
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no line ends inside a character
    unfolded = data.replace(b"\r\n ", b"").decode()
    assert "SUMMARY:" + title.replace(",", "\\,") + "\r\n" in unfolded


def test_a_cancelled_event_says_so():
    assert "STATUS:CANCELLED\r\n" in calendar_file(event(cancelled=True)).decode()


@pytest.mark.django_db
def test_the_download_is_a_calendar_file_for_those_who_may_see_the_event(client):
    group = make_group("Heat planning")
    member = add(group)
    found = make_event(group, title="Heat workshop")
    url = reverse("community:event_calendar", args=[found.pk])
    client.force_login(member)
    response = client.get(url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="event-{found.pk}.ics"'
    text = response.content.decode()
    assert f"UID:event-{found.pk}@testserver\r\n" in text
    assert f"DTSTART;TZID=Europe/Brussels:{NEXT_MAY.year}0512T140000\r\n" in text
    assert "SUMMARY:Heat workshop\r\n" in text


@pytest.mark.django_db
def test_a_private_groups_event_file_is_not_for_outsiders(client):
    group = make_group("Board", "private")
    found = make_event(group)
    client.force_login(person())
    assert client.get(reverse("community:event_calendar", args=[found.pk])).status_code == 403
