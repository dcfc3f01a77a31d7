"""Wall-clock times in IANA zones, across the changes to and from summer time (hand-checked)."""

from datetime import UTC, date, datetime, time

import pytest

from cityzero.community import eventtime


def test_a_summer_time_in_brussels_is_two_hours_ahead_of_utc():
    moment = eventtime.instant(date(2026, 5, 12), time(14, 0), "Europe/Brussels")
    assert moment == datetime(2026, 5, 12, 12, 0, tzinfo=UTC)
    assert eventtime.utc_offset(moment, "Europe/Brussels") == "UTC+02:00"


def test_a_winter_time_in_brussels_is_one_hour_ahead():
    moment = eventtime.instant(date(2026, 1, 15), time(9, 30), "Europe/Brussels")
    assert moment == datetime(2026, 1, 15, 8, 30, tzinfo=UTC)
    assert eventtime.utc_offset(moment, "Europe/Brussels") == "UTC+01:00"


def test_a_time_west_of_greenwich_has_a_negative_offset():
    moment = eventtime.instant(date(2026, 1, 15), time(9, 0), "America/St_Johns")
    assert moment == datetime(2026, 1, 15, 12, 30, tzinfo=UTC)
    assert eventtime.utc_offset(moment, "America/St_Johns") == "UTC−03:30"


def test_the_hour_the_clocks_skip_does_not_exist():
    # 29 March 2026: clocks in Brussels go from 02:00 straight to 03:00.
    with pytest.raises(eventtime.NonexistentTime):
        eventtime.instant(date(2026, 3, 29), time(2, 30), "Europe/Brussels")


def test_the_hour_the_clocks_repeat_is_the_first_of_the_two():
    # 25 October 2026: 02:30 happens at 00:30 UTC (summer time) and again at 01:30 UTC.
    moment = eventtime.instant(date(2026, 10, 25), time(2, 30), "Europe/Brussels")
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_instant_is_shown_on_the_clocks_of_another_zone():
    moment = datetime(2026, 5, 12, 12, 0, tzinfo=UTC)
    shown = eventtime.wall_clock(moment, "Asia/Tokyo")
    assert (shown.hour, shown.minute, str(shown.tzinfo)) == (21, 0, "Asia/Tokyo")


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "US/Pacific", "", "../etc/passwd", "CET"])
def test_unknown_and_alias_zones_are_refused(name):
    with pytest.raises(eventtime.UnknownZone):
        eventtime.instant(date(2026, 5, 12), time(14, 0), name)


def test_the_zones_offered_are_canonical_and_start_with_utc():
    names = eventtime.zone_names()
    assert names[0] == "UTC"
    assert {"Europe/Brussels", "Europe/Madrid", "Asia/Tokyo"} <= set(names)
    assert "US/Pacific" not in names and "Etc/GMT+1" not in names
