"""Implementation monitoring's arithmetic, with hand-computed figures.

The contract of ``tests/monitoring/conftest.py``: baseline 2022 buildings 202,000, transport
100,000, waste 10,000 t CO2e (312,000); the 2030 target allows 40,400 + 20,000 + 2,000 = 62,400.
2024 is a quarter of the way: the path allows 161,600 + 80,000 + 8,000 = 249,600.
"""

import datetime
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityzero.ghg.contract import ContractSector
from cityzero.ghg.progress import (
    GRACE_DAYS,
    Direction,
    Period,
    ReportingState,
    count_by,
    direction_of,
    indicator_standing,
    on_path,
    over_budget,
    period_before,
    period_containing,
    remind_on,
    reporting,
    standing,
    target_path,
)

B, T, W, P, A = (
    ContractSector.BUILDINGS,
    ContractSector.TRANSPORT,
    ContractSector.WASTE,
    ContractSector.IPPU,
    ContractSector.AFOLU,
)
BASELINE = {B: 202_000.0, T: 100_000.0, W: 10_000.0}
ALLOWED = {B: 40_400.0, T: 20_000.0, W: 2_000.0}
ACTUAL_2024 = {B: 141_400.0, T: 90_000.0, W: 8_000.0}
day = datetime.date


def standing_2024(actual=ACTUAL_2024, baseline=BASELINE, allowed=ALLOWED):
    return standing(base_year=2022, target_year=2030, baseline=baseline, allowed=allowed,
                    year=2024, actual=actual)  # fmt: skip


# --- on_path -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2022, 312_000),  # the base year: the baseline
        (2024, 249_600),  # 312,000 − 249,600 × 2/8
        (2026, 187_200),  # halfway: (312,000 + 62,400) / 2
        (2029, 93_600),  # 312,000 − 249,600 × 7/8
        (2030, 62_400),  # the target year: what the target allows
        (2035, 62_400),  # after it, the allowed emissions hold
    ],
)
def test_on_path_is_a_straight_line_from_the_baseline_to_the_allowed(year, expected):
    assert on_path(2022, 312_000, 2030, 62_400, year) == pytest.approx(expected)


def test_on_path_refuses_a_year_before_the_base_year():
    with pytest.raises(ValueError, match="2021 is before the base year 2022"):
        on_path(2022, 312_000, 2030, 62_400, 2021)


def test_on_path_refuses_a_target_before_the_base_year():
    with pytest.raises(ValueError, match="target year 2020"):
        on_path(2022, 312_000, 2020, 62_400, 2025)


def test_on_path_with_the_target_in_the_base_year_allows_the_target_at_once():
    assert on_path(2022, 312_000, 2022, 62_400, 2022) == 62_400


# --- standing ----------------------------------------------------------------------------------


def test_standing_2024_per_sector_against_the_path():
    result = standing_2024()
    rows = {s.sector: s for s in result.sectors}
    assert result.year == 2024
    assert [s.sector for s in result.sectors] == [B, T, W, P, A, None]
    assert rows[B].expected == pytest.approx(161_600)
    assert rows[B].distance == pytest.approx(-20_200)
    assert rows[B].on_track
    assert rows[T].expected == pytest.approx(80_000)
    assert rows[T].distance == pytest.approx(10_000)
    assert not rows[T].on_track
    assert rows[W].expected == pytest.approx(8_000)
    assert rows[W].distance == pytest.approx(0, abs=1e-9)
    assert rows[W].on_track  # on the line is on track
    assert (rows[P].actual, rows[P].expected, rows[A].actual, rows[A].expected) == (0, 0, 0, 0)


def test_standing_total_is_judged_on_its_own_and_off_track_sectors_are_still_named():
    result = standing_2024()
    assert result.total.sector is None
    assert result.total.actual == pytest.approx(239_400)
    assert result.total.expected == pytest.approx(249_600)
    assert result.total.distance == pytest.approx(-10_200)
    assert result.total.on_track
    assert [s.sector for s in result.off_track] == [T]


def test_standing_a_tonne_above_the_line_is_off_track():
    result = standing_2024(actual={**ACTUAL_2024, W: 8_001.0})
    assert [s.sector for s in result.off_track] == [T, W]


@pytest.mark.parametrize("which", ["baseline", "allowed"])
def test_standing_refuses_a_negative_baseline_or_allowance(which):
    figures = {"baseline": BASELINE, "allowed": ALLOWED, "actual": ACTUAL_2024}
    figures[which] = {**figures[which], T: -1.0}
    with pytest.raises(ValueError, match="must be zero or more tCO2e"):
        standing_2024(**figures)


@pytest.mark.parametrize("which", ["baseline", "allowed", "actual"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_standing_refuses_tonnes_that_are_not_numbers(which, bad):
    figures = {"baseline": BASELINE, "allowed": ALLOWED, "actual": ACTUAL_2024}
    figures[which] = {**figures[which], T: bad}
    with pytest.raises(ValueError, match="must be a number of tCO2e"):
        standing_2024(**figures)


def test_a_net_sink_in_a_later_year_is_below_the_path():
    # AFOLU removals reported directly may make an inventory's AFOLU negative: -5,000 t.
    result = standing_2024(actual={**ACTUAL_2024, A: -5_000.0})
    rows = {s.sector: s for s in result.sectors}
    assert rows[A].distance == -5_000
    assert rows[A].on_track
    assert result.total.actual == pytest.approx(234_400)
    assert result.total.distance == pytest.approx(-15_200)


# --- indicator targets -------------------------------------------------------------------------


def test_target_path_interpolates_between_the_given_years():
    path = target_path({2022: 100, 2025: 400, 2030: 900})
    assert sorted(path) == list(range(2022, 2031))
    assert path[2022] == 100
    assert path[2023] == pytest.approx(200)
    assert path[2024] == pytest.approx(300)
    assert path[2025] == 400
    assert path[2027] == pytest.approx(600)  # 400 + 500 × 2/5
    assert path[2030] == 900


def test_target_path_of_one_point_or_none():
    assert target_path({2030: 5.0}) == {2030: 5.0}
    assert target_path({}) == {}


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ({2022: 1200, 2030: 9000}, Direction.UP),
        ({2022: 45_000, 2025: 50_000, 2030: 20_000}, Direction.DOWN),  # first to last
        ({2022: 10, 2030: 10}, None),
        ({2030: 10}, None),
        ({}, None),
    ],
)
def test_direction_of_goes_from_the_earliest_value_to_the_latest(points, expected):
    assert direction_of(points) == expected


HOMES = {2022: 1_000.0, 2025: 4_000.0, 2030: 9_000.0}  # rising: homes on district heat
CARS = {2022: 50_000.0, 2030: 30_000.0}  # falling: 2,500 fewer a year


def test_indicator_rising_behind_the_path_is_off_track():
    result = indicator_standing(HOMES, 2024, 2_500.0)  # the path: 3,000
    assert result is not None
    assert result.direction == Direction.UP
    assert result.expected == pytest.approx(3_000)
    assert result.distance == pytest.approx(500)
    assert not result.on_track


def test_indicator_rising_ahead_of_the_path_is_on_track():
    result = indicator_standing(HOMES, 2027, 7_000.0)  # the path: 6,000
    assert result is not None
    assert result.distance == pytest.approx(-1_000)
    assert result.on_track


def test_indicator_falling_above_the_path_is_off_track():
    result = indicator_standing(CARS, 2026, 41_000.0)  # the path: 40,000
    assert result is not None
    assert result.direction == Direction.DOWN
    assert result.expected == pytest.approx(40_000)
    assert result.distance == pytest.approx(1_000)
    assert not result.on_track


def test_indicator_falling_below_the_path_is_on_track():
    result = indicator_standing(CARS, 2026, 39_000.0)
    assert result is not None
    assert result.distance == pytest.approx(-1_000)
    assert result.on_track


def test_indicator_exactly_on_the_path_is_on_track():
    result = indicator_standing(CARS, 2026, 40_000.0)
    assert result is not None and result.on_track


def test_indicator_before_the_first_target_has_no_standing():
    assert indicator_standing(HOMES, 2021, 900.0) is None


def test_indicator_after_the_last_target_is_held_to_the_last_target():
    result = indicator_standing(HOMES, 2033, 8_500.0)
    assert result is not None
    assert result.year == 2033
    assert result.expected == 9_000
    assert not result.on_track


def test_indicator_with_flat_or_missing_targets_has_no_standing():
    assert indicator_standing({2022: 10.0, 2030: 10.0}, 2025, 12.0) is None
    assert indicator_standing({2030: 10.0}, 2030, 12.0) is None
    assert indicator_standing({}, 2030, 12.0) is None


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spend", "budget", "expected"),
    [
        (402_000_000.00, 402_000_000.00, False),  # spending the whole budget is not over it
        (402_000_000.01, 402_000_000.00, True),  # a cent more is
        (100.0, 200.0, False),
        (0.0, 0.0, False),
        (0.01, 0.0, True),
        (None, 200.0, False),  # no spend reported
        (300.0, None, False),  # no cost in the contract
        (None, None, False),
    ],
)
def test_over_budget(spend, budget, expected):
    assert over_budget(spend, budget) is expected


# --- periods -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "months", "start", "end"),
    [
        (day(2025, 1, 1), 3, day(2025, 1, 1), day(2025, 3, 31)),
        (day(2025, 3, 31), 3, day(2025, 1, 1), day(2025, 3, 31)),
        (day(2025, 4, 1), 3, day(2025, 4, 1), day(2025, 6, 30)),
        (day(2025, 8, 15), 3, day(2025, 7, 1), day(2025, 9, 30)),
        (day(2025, 12, 31), 3, day(2025, 10, 1), day(2025, 12, 31)),
        (day(2024, 2, 29), 3, day(2024, 1, 1), day(2024, 3, 31)),
        (day(2025, 1, 1), 6, day(2025, 1, 1), day(2025, 6, 30)),
        (day(2025, 6, 30), 6, day(2025, 1, 1), day(2025, 6, 30)),
        (day(2025, 7, 1), 6, day(2025, 7, 1), day(2025, 12, 31)),
        (day(2025, 12, 31), 6, day(2025, 7, 1), day(2025, 12, 31)),
        (day(2024, 2, 29), 6, day(2024, 1, 1), day(2024, 6, 30)),
        (day(2025, 1, 1), 12, day(2025, 1, 1), day(2025, 12, 31)),
        (day(2025, 12, 31), 12, day(2025, 1, 1), day(2025, 12, 31)),
        (day(2024, 2, 29), 12, day(2024, 1, 1), day(2024, 12, 31)),
    ],
)
def test_period_containing(when, months, start, end):
    assert period_containing(when, months) == Period(start, end)


@pytest.mark.parametrize("months", [0, 1, 2, 4, 24, -6])
def test_period_containing_refuses_other_lengths(months):
    with pytest.raises(ValueError, match="3, 6 or 12 months"):
        period_containing(day(2025, 5, 1), months)


@pytest.mark.parametrize(
    ("period", "months", "expected"),
    [
        (Period(day(2025, 1, 1), day(2025, 3, 31)), 3, Period(day(2024, 10, 1), day(2024, 12, 31))),
        (Period(day(2025, 4, 1), day(2025, 6, 30)), 3, Period(day(2025, 1, 1), day(2025, 3, 31))),
        (Period(day(2025, 7, 1), day(2025, 12, 31)), 6, Period(day(2025, 1, 1), day(2025, 6, 30))),
        (Period(day(2025, 1, 1), day(2025, 6, 30)), 6, Period(day(2024, 7, 1), day(2024, 12, 31))),
        (Period(day(2025, 1, 1), day(2025, 12, 31)), 12, Period(day(2024, 1, 1), day(2024, 12, 31))),
    ],
)  # fmt: skip
def test_period_before(period, months, expected):
    assert period_before(period, months) == expected


def test_a_period_is_due_thirty_days_after_it_ends():
    assert GRACE_DAYS == 30
    assert Period(day(2025, 1, 1), day(2025, 6, 30)).due == day(2025, 7, 30)
    assert Period(day(2025, 7, 1), day(2025, 12, 31)).due == day(2026, 1, 30)


# --- reporting ---------------------------------------------------------------------------------

ENDORSED = day(2025, 5, 10)  # mid-way through the first half of 2025
H1 = Period(day(2025, 1, 1), day(2025, 6, 30))
H2 = Period(day(2025, 7, 1), day(2025, 12, 31))


def report_state(today, last_reports, *, since=ENDORSED, months=6):
    return reporting(today, months=months, since=since, last_reports=last_reports)


def test_endorsed_mid_period_the_current_period_is_upcoming():
    result = report_state(day(2025, 5, 10), {"heat": None, "zone": None})
    assert result.period == H1
    assert result.state == ReportingState.UPCOMING
    assert result.missing == ("heat", "zone")
    assert result.due == day(2025, 7, 30)


def test_periods_that_ended_before_the_endorsement_owe_nothing():
    result = report_state(day(2025, 7, 15), {"heat": None}, since=day(2025, 7, 1))
    assert (result.period, result.state) == (H2, ReportingState.UPCOMING)


def test_after_the_period_ends_the_missing_reports_are_due():
    result = report_state(day(2025, 7, 15), {"heat": None, "zone": day(2025, 6, 1)})
    assert result.period == H1
    assert result.state == ReportingState.DUE
    assert result.missing == ("heat",)
    assert result.due == day(2025, 7, 30)


def test_reports_are_due_up_to_and_including_the_due_date_then_overdue():
    assert report_state(day(2025, 7, 30), {"heat": None}).state == ReportingState.DUE
    result = report_state(day(2025, 7, 31), {"heat": None})
    assert (result.period, result.state, result.missing) == (H1, ReportingState.OVERDUE, ("heat",))


def test_a_report_from_before_the_period_does_not_count_for_it():
    result = report_state(day(2025, 8, 2), {"heat": day(2024, 12, 31)})
    assert (result.period, result.state) == (H1, ReportingState.OVERDUE)


def test_a_report_dated_in_the_period_counts_and_the_next_period_is_upcoming():
    result = report_state(day(2025, 7, 15), {"heat": day(2025, 6, 30)})
    assert (result.period, result.state, result.missing) == (H2, ReportingState.UPCOMING, ("heat",))


def test_a_report_dated_after_the_period_counts_for_it_too():
    result = report_state(day(2025, 7, 15), {"heat": day(2025, 7, 2)})
    assert (result.period, result.state, result.missing) == (H2, ReportingState.DONE, ())


def test_without_open_actions_reporting_is_done():
    result = report_state(day(2025, 9, 1), {})
    assert (result.period, result.state, result.missing) == (H2, ReportingState.DONE, ())


def test_quarterly_reporting_looks_at_the_quarter_before():
    q3, q4 = Period(day(2025, 7, 1), day(2025, 9, 30)), Period(day(2025, 10, 1), day(2025, 12, 31))
    late = report_state(day(2025, 10, 5), {"heat": day(2025, 6, 15)}, months=3)
    assert (late.period, late.state, late.due) == (q3, ReportingState.DUE, day(2025, 10, 30))
    done = report_state(day(2025, 10, 5), {"heat": day(2025, 8, 1)}, months=3)
    assert (done.period, done.state) == (q4, ReportingState.UPCOMING)


def test_yearly_reporting_is_due_by_the_end_of_january():
    year_2025 = Period(day(2025, 1, 1), day(2025, 12, 31))
    result = report_state(day(2026, 1, 20), {"heat": None}, months=12)
    assert (result.period, result.state, result.due) == (
        year_2025,
        ReportingState.DUE,
        day(2026, 1, 30),
    )
    result = report_state(day(2026, 1, 20), {"heat": day(2025, 3, 1)}, months=12)
    assert (result.period, result.state) == (
        Period(day(2026, 1, 1), day(2026, 12, 31)),
        ReportingState.UPCOMING,
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (day(2025, 7, 1), None),  # due, but the due date is 29 days away
        (day(2025, 7, 15), None),  # 15 days away
        (day(2025, 7, 16), "due"),  # 14 days before the due date
        (day(2025, 7, 30), "due"),  # the due date itself
        (day(2025, 7, 31), "late"),
        (day(2025, 12, 1), "late"),
    ],
)
def test_remind_on(today, expected):
    assert remind_on(report_state(today, {"heat": None}), today) == expected


def test_no_reminder_while_upcoming_or_done():
    upcoming = report_state(day(2025, 6, 29), {"heat": None})
    done = report_state(day(2025, 7, 20), {"heat": day(2025, 7, 1)})
    assert upcoming.state == ReportingState.UPCOMING and done.state == ReportingState.DONE
    assert remind_on(upcoming, day(2025, 6, 29)) is None
    assert remind_on(done, day(2025, 7, 20)) is None


def test_count_by_groups_and_counts():
    pairs = [("Energy", "delayed"), ("Mobility", "in_progress"), ("Energy", "delayed"),
             ("Energy", "")]  # fmt: skip
    assert count_by(pairs) == {"Energy": {"delayed": 2, "": 1}, "Mobility": {"in_progress": 1}}


# --- properties --------------------------------------------------------------------------------

tonnes = st.floats(min_value=0, max_value=1e9, allow_nan=False)
years = st.integers(min_value=2000, max_value=2060)


@given(baseline=tonnes, allowed=tonnes, base_year=years, span=st.integers(0, 40),
       steps=st.lists(st.integers(0, 60), min_size=2, max_size=6))  # fmt: skip
def test_on_path_is_monotone_from_the_baseline_to_the_allowed(
    baseline, allowed, base_year, span, steps
):
    target_year = base_year + span
    low, high = min(baseline, allowed), max(baseline, allowed)
    tolerance = 1e-9 * max(1.0, high)
    values = [on_path(base_year, baseline, target_year, allowed, base_year + s)
              for s in sorted(steps)]  # fmt: skip
    for value in values:
        assert low - tolerance <= value <= high + tolerance
    for earlier, later in itertools.pairwise(values):
        if allowed <= baseline:
            assert later <= earlier + tolerance
        else:
            assert later >= earlier - tolerance
    assert on_path(base_year, baseline, target_year, allowed, target_year) == allowed
    if span:
        assert on_path(base_year, baseline, target_year, allowed, base_year) == baseline


sector_tonnes = st.dictionaries(st.sampled_from(list(ContractSector)), tonnes)


@given(baseline=sector_tonnes, allowed=sector_tonnes, actual=sector_tonnes,
       year=st.integers(2022, 2040))  # fmt: skip
def test_standing_total_distance_is_the_sum_of_the_sector_distances(
    baseline, allowed, actual, year
):
    result = standing(base_year=2022, target_year=2030, baseline=baseline, allowed=allowed,
                      year=year, actual=actual)  # fmt: skip
    parts = math.fsum(s.distance for s in result.sectors[:-1])
    scale = max([1.0, *baseline.values(), *allowed.values(), *actual.values()])
    assert result.total.distance == pytest.approx(parts, abs=1e-9 * scale)
    assert result.total.actual == pytest.approx(math.fsum(actual.values()))


days = st.dates(min_value=day(1990, 1, 1), max_value=day(2200, 12, 31))


@given(when=days, months=st.sampled_from([3, 6, 12]))
def test_period_containing_contains_the_day(when, months):
    period = period_containing(when, months)
    assert period.start <= when <= period.end
    assert period.start.day == 1 and (period.start.month - 1) % months == 0
    following = period_containing(period.end + datetime.timedelta(days=1), months)
    assert following.start == period.end + datetime.timedelta(days=1)
    assert period_before(following, months) == period


@given(year=st.integers(1990, 2200), months=st.sampled_from([3, 6, 12]))
def test_periods_tile_the_year_without_gaps(year, months):
    periods = []
    start = day(year, 1, 1)
    while start.year == year:
        periods.append(period_containing(start, months))
        start = periods[-1].end + datetime.timedelta(days=1)
    assert len(periods) == 12 // months
    assert periods[0].start == day(year, 1, 1)
    assert periods[-1].end == day(year, 12, 31)
    days_covered = sum((p.end - p.start).days + 1 for p in periods)
    assert days_covered == (day(year + 1, 1, 1) - day(year, 1, 1)).days


@given(st.dictionaries(st.integers(2000, 2060), st.floats(-1e9, 1e9, allow_nan=False),
                       min_size=1, max_size=6))  # fmt: skip
def test_target_path_passes_through_every_given_point(points):
    path = target_path(points)
    assert sorted(path) == list(range(min(points), max(points) + 1))
    for year, value in points.items():
        assert path[year] == value
