"""Implementation monitoring: how a city stands against its endorsed contract.

* Emissions: each inventory year against the contract's pathway, a straight line per sector from
  the baseline in the base year to the emissions the target allows in the target year (the same
  line the contract's pathway chart draws). Above the line is off track, by that many tCO2e.
* Indicators: a value against the line through the indicator's baseline and its 2025/2027/2030
  targets, in the direction the targets go (up for "homes on district heat", down for "cars").
* Reporting: calendar periods of 3, 6 or 12 months; the actions still open report once per
  period, within a grace time after it ends.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from cityzero.ghg.contract import TONNE_TOLERANCE, ContractSector

REPORTING_MONTHS = (3, 6, 12)
#: Days after a period's end to report on it.
GRACE_DAYS = 30
#: Days before a report is due that editors are reminded.
REMIND_DAYS_BEFORE = 14


# --- emissions against the pathway -------------------------------------------------------------


def on_path(base_year: int, baseline: float, target_year: int, allowed: float, year: int) -> float:
    """The emissions the pathway allows in ``year``: ``baseline`` in the base year, falling in a
    straight line to ``allowed`` in the target year, and ``allowed`` from then on."""
    if year < base_year:
        raise ValueError(f"{year} is before the base year {base_year}")
    if target_year < base_year:
        raise ValueError(f"the target year {target_year} is before the base year {base_year}")
    if year >= target_year:
        return allowed
    share = (year - base_year) / (target_year - base_year)
    return baseline * (1 - share) + allowed * share


@dataclass(frozen=True, slots=True)
class SectorStanding:
    sector: ContractSector | None  # None = all five sectors together
    actual: float
    expected: float  # what the pathway allows this year

    @property
    def distance(self) -> float:
        """tCO2e above the pathway (negative: below it, ahead of the plan)."""
        return self.actual - self.expected

    @property
    def margin(self) -> float:
        """tCO2e above or below the pathway, whichever it is."""
        return abs(self.distance)

    @property
    def on_track(self) -> bool:
        return self.distance <= TONNE_TOLERANCE


@dataclass(frozen=True, slots=True)
class YearStanding:
    year: int
    sectors: tuple[SectorStanding, ...]  # in ContractSector order, then the total

    @property
    def total(self) -> SectorStanding:
        return self.sectors[-1]

    @property
    def off_track(self) -> tuple[SectorStanding, ...]:
        return tuple(s for s in self.sectors[:-1] if not s.on_track)


def _tonnes(values: Mapping[ContractSector, float], what: str, *, net: bool = False) -> None:
    """``net``: a sector may be a net sink (AFOLU removals make an inventory's AFOLU negative)."""
    for sector, value in values.items():
        if not math.isfinite(value):
            raise ValueError(f"{what} for {sector} must be a number of tCO2e, not {value}")
        if value < 0 and not net:
            raise ValueError(f"{what} for {sector} must be zero or more tCO2e, not {value}")


def standing(
    *,
    base_year: int,
    target_year: int,
    baseline: Mapping[ContractSector, float],
    allowed: Mapping[ContractSector, float],
    year: int,
    actual: Mapping[ContractSector, float],
) -> YearStanding:
    """Each sector's (and the total's) emissions in ``year`` against the pathway.

    ``allowed`` is what each sector may still emit in the target year (the target table's
    residual, row 6). The total is judged on its own: sectors ahead of the plan make up for
    those behind it in the total, and the off-track sectors are still named.
    """
    _tonnes(baseline, "The baseline")
    _tonnes(allowed, "The allowed emissions")
    _tonnes(actual, "The emissions", net=True)  # a net sink is below any path
    sectors = [
        SectorStanding(
            sector=sector,
            actual=actual.get(sector, 0.0),
            expected=on_path(
                base_year,
                baseline.get(sector, 0.0),
                target_year,
                allowed.get(sector, 0.0),
                year,
            ),
        )
        for sector in ContractSector
    ]
    total = SectorStanding(
        sector=None,
        actual=math.fsum(s.actual for s in sectors),
        expected=math.fsum(s.expected for s in sectors),
    )
    return YearStanding(year=year, sectors=(*sectors, total))


# --- indicators against their targets -------------------------------------------------------


def target_path(points: Mapping[int, float]) -> dict[int, float]:
    """Every year from the first known value to the last, on straight lines between them."""
    known = sorted(points.items())
    path: dict[int, float] = {}
    for (year, value), (next_year, next_value) in itertools.pairwise(known):
        for between in range(year, next_year):
            path[between] = value + (next_value - value) * (between - year) / (next_year - year)
    if known:
        path[known[-1][0]] = known[-1][1]
    return path


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"


def direction_of(points: Mapping[int, float]) -> Direction | None:
    """Up or down, from the earliest known value to the latest; None when they are the same."""
    if len(points) < 2:
        return None
    first, last = points[min(points)], points[max(points)]
    if last == first:
        return None
    return Direction.UP if last > first else Direction.DOWN


@dataclass(frozen=True, slots=True)
class IndicatorStanding:
    year: int
    value: float
    expected: float
    direction: Direction

    @property
    def distance(self) -> float:
        """How far the value is behind the target path, in the indicator's unit (0 or less: on
        track or ahead)."""
        behind = self.expected - self.value
        return behind if self.direction == Direction.UP else -behind

    @property
    def on_track(self) -> bool:
        return self.distance <= 1e-9 * max(1.0, abs(self.expected))


def indicator_standing(
    points: Mapping[int, float], year: int, value: float
) -> IndicatorStanding | None:
    """``value`` measured in ``year`` against the target path through ``points`` (the baseline
    and the targets by year). None when the targets set no direction or ``year`` is before the
    first of them; after the last, the last target holds."""
    direction = direction_of(points)
    if direction is None or year < min(points):
        return None
    path = target_path(points)
    expected = path[min(year, max(points))]
    return IndicatorStanding(year=year, value=value, expected=expected, direction=direction)


# --- money -------------------------------------------------------------------------------------


def over_budget(spend: float | None, budget: float | None) -> bool:
    """Spending to date beyond the action's total cost in the contract (flagged, not refused:
    costs do overrun)."""
    return spend is not None and budget is not None and spend > budget + 0.005


# --- reporting periods ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime.date
    end: datetime.date  # the period's last day

    @property
    def due(self) -> datetime.date:
        return self.end + datetime.timedelta(days=GRACE_DAYS)


def _check_months(months: int) -> None:
    if months not in REPORTING_MONTHS:
        raise ValueError(f"a reporting period is 3, 6 or 12 months, not {months}")


def period_containing(day: datetime.date, months: int) -> Period:
    """The calendar quarter, half year or year that ``day`` falls in."""
    _check_months(months)
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    following = first_month + months
    next_start = (
        datetime.date(day.year + 1, 1, 1)
        if following > 12
        else datetime.date(day.year, following, 1)
    )
    return Period(start, next_start - datetime.timedelta(days=1))


def period_before(period: Period, months: int) -> Period:
    return period_containing(period.start - datetime.timedelta(days=1), months)


class ReportingState(StrEnum):
    UPCOMING = "upcoming"  # the period under report has not ended yet
    DUE = "due"  # it has ended; reports are due by ``due``
    OVERDUE = "overdue"  # ``due`` has passed with actions unreported
    DONE = "done"  # every open action has reported on it (the next period is then upcoming)


@dataclass(frozen=True, slots=True)
class Reporting:
    period: Period
    state: ReportingState
    missing: tuple[str, ...]  # keys of the open actions without a report for the period

    @property
    def due(self) -> datetime.date:
        return self.period.due


def _missing(last_reports: Mapping[str, datetime.date | None], period: Period) -> tuple[str, ...]:
    return tuple(
        sorted(key for key, last in last_reports.items() if last is None or last < period.start)
    )


def reporting(
    today: datetime.date,
    *,
    months: int,
    since: datetime.date,
    last_reports: Mapping[str, datetime.date | None],
) -> Reporting:
    """Where a city stands with its reporting.

    ``since``: when monitoring began (the contract's endorsement); periods that ended before it
    owe nothing. ``last_reports``: for each action still open (not completed or cancelled), the
    date of its latest report, or None. A report dated in a period or after it counts for it.
    """
    current = period_containing(today, months)
    previous = period_before(current, months)
    if previous.end >= since:
        missing = _missing(last_reports, previous)
        if missing:
            state = ReportingState.OVERDUE if today > previous.due else ReportingState.DUE
            return Reporting(previous, state, missing)
    missing = _missing(last_reports, current)
    return Reporting(current, ReportingState.UPCOMING if missing else ReportingState.DONE, missing)


def remind_on(report: Reporting, today: datetime.date) -> str | None:
    """Which reminder editors should have by ``today``: "due" (soon), "late", or None."""
    if report.state == ReportingState.OVERDUE:
        return "late"
    if report.state == ReportingState.DUE and today >= report.due - datetime.timedelta(
        days=REMIND_DAYS_BEFORE
    ):
        return "due"
    return None


def count_by(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """{group: {value: count}} from (group, value) pairs, e.g. (field of action, status)."""
    counts: dict[str, dict[str, int]] = {}
    for group, value in pairs:
        inner = counts.setdefault(group, {})
        inner[value] = inner.get(value, 0) + 1
    return counts
