"""Working-day arithmetic for response-time targets: plain dates, no Django.

Monday to Friday are working days; weekends are not. Public holidays differ between countries
and are not counted out: a target of ten working days is two calendar weeks.
"""

from datetime import date, timedelta

SATURDAY = 5


def is_working_day(day: date) -> bool:
    return day.weekday() < SATURDAY


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("Count working days forwards only.")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    whole_weeks, rest = divmod((end - start).days, 7)
    counted = whole_weeks * 5
    for offset in range(1, rest + 1):
        if is_working_day(start + timedelta(days=offset)):
            counted += 1
    return counted
