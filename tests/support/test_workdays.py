"""Working-day arithmetic, checked against dates counted on a calendar by hand."""

from datetime import date

import pytest

from cityzero.support.workdays import add_working_days, is_working_day, working_days_between

# March 2025: Fri 14, Sat 15, Sun 16, Mon 17 … Fri 21, Mon 24 … Fri 28, Mon 31.


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2025, 3, 14), 10, date(2025, 3, 28)),  # Friday: two calendar weeks
        (date(2025, 3, 15), 10, date(2025, 3, 28)),  # Saturday: counting starts on Monday
        (date(2025, 3, 16), 10, date(2025, 3, 28)),  # Sunday: the same
        (date(2025, 3, 17), 10, date(2025, 3, 31)),  # Monday → the Monday two weeks on
        (date(2025, 3, 19), 3, date(2025, 3, 24)),  # Wed → Thu, Fri, Mon
        (date(2025, 3, 21), 1, date(2025, 3, 24)),  # Friday + 1 → Monday
        (date(2025, 3, 14), 0, date(2025, 3, 14)),
        (date(2024, 12, 27), 5, date(2025, 1, 3)),  # across the year's end
    ],
)
def test_add_working_days_skips_weekends(start, days, due):
    assert add_working_days(start, days) == due


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="forwards"):
        add_working_days(date(2025, 3, 14), -1)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2025, 3, 14), date(2025, 3, 28), 10),
        (date(2025, 3, 14), date(2025, 3, 17), 1),  # Fri → Mon: the weekend does not count
        (date(2025, 3, 15), date(2025, 3, 16), 0),  # Sat → Sun
        (date(2025, 3, 20), date(2025, 3, 20), 0),
        (date(2025, 3, 28), date(2025, 3, 24), -4),  # due on Monday, today Friday: 4 late
        (date(2025, 3, 3), date(2025, 3, 31), 20),  # four whole weeks
    ],
)
def test_working_days_between_counts_after_start_up_to_end(start, end, days):
    assert working_days_between(start, end) == days


@pytest.mark.parametrize("day", range(14, 21))
def test_working_days_between_inverts_add_working_days(day):
    start = date(2025, 3, day)
    for days in range(0, 25):
        due = add_working_days(start, days)
        assert working_days_between(start, due) == days


def test_weekends_are_not_working_days():
    assert [is_working_day(date(2025, 3, d)) for d in range(14, 18)] == [True, False, False, True]
