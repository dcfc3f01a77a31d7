"""Event times: wall-clock times in an IANA time zone turned into instants, honestly.

Plain ``zoneinfo`` (no Django). A wall-clock time that the clocks skip when they go forward does
not exist and is refused; one that happens twice when they go back is the first of the two.
"""

import re
from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

# The zones people pick from: the regions' canonical names, not aliases such as "US/Pacific".
_REGION = re.compile(
    r"^(Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z_/-]+$"
)


class NonexistentTime(ValueError):
    """The clocks skip this wall-clock time in this zone (the change to summer time)."""


class UnknownZone(ValueError):
    pass


@cache
def zone_names() -> tuple[str, ...]:
    return ("UTC", *sorted(name for name in available_timezones() if _REGION.match(name)))


def zone(name: str) -> ZoneInfo:
    if name not in zone_names():
        raise UnknownZone(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UnknownZone(name) from None


def instant(day: date, clock: time, zone_name: str) -> datetime:
    """The UTC instant of a wall-clock time in a zone."""
    tz = zone(zone_name)
    local = datetime.combine(day, clock.replace(tzinfo=None, fold=0), tzinfo=tz)
    as_utc = local.astimezone(UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentTime(f"{day} {clock} does not exist in {zone_name}")
    return as_utc


def wall_clock(moment: datetime, zone_name: str) -> datetime:
    """An instant as the clocks of the zone show it (aware, in that zone)."""
    return moment.astimezone(zone(zone_name))


def utc_offset(moment: datetime, zone_name: str) -> str:
    """The zone's offset from UTC at that instant, as "UTC+02:00"."""
    offset = wall_clock(moment, zone_name).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
