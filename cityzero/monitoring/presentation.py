"""What the progress page and the annual report show, built once for both from a
:class:`~cityzero.monitoring.selectors.CityMonitoring`: tables, charts and the reporting state in
words."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityzero.contracts.models import Action, Indicator
from cityzero.ghg import progress
from cityzero.monitoring import charts
from cityzero.monitoring.models import ImplementationStatus
from cityzero.monitoring.selectors import (
    TARGET_YEARS,
    CityMonitoring,
    IndicatorProgress,
    standing_rows,
)


@dataclass(frozen=True)
class FieldRow:
    field: str
    counts: list[int]  # in the order of ``status_columns``
    total: int


@dataclass(frozen=True)
class IndicatorRow:
    item: IndicatorProgress
    targets: list[tuple[int, float | None]]  # 2025, 2027, 2030
    chart: str
    chart_id: str
    series: list[tuple[int, dict[str, float]]]  # the chart's figures, for its table


@dataclass(frozen=True)
class EmissionsTable:
    standing: progress.YearStanding
    rows: list[tuple[str, progress.SectorStanding]]


def status_columns() -> list[tuple[str, str]]:
    return [*ImplementationStatus.choices, ("", _("No report yet"))]


def field_rows(monitoring: CityMonitoring) -> list[FieldRow]:
    columns = [value for value, _label in status_columns()]
    return [
        FieldRow(field, [counts.get(value, 0) for value in columns], sum(counts.values()))
        for field, counts in monitoring.by_field()
    ]


def indicator_targets(indicator: Indicator) -> list[tuple[int, float | None]]:
    """The 2025, 2027 and 2030 targets, None where not set."""
    return [
        (year, None if (value := getattr(indicator, f"target_{year}")) is None else float(value))
        for year in TARGET_YEARS
    ]


def indicator_rows(monitoring: CityMonitoring) -> list[IndicatorRow]:
    rows = []
    for number, item in enumerate(monitoring.indicators, start=1):
        chart_id = f"indicator-chart-{number}"
        targets = indicator_targets(item.indicator)
        chart = charts.indicator_chart(item, chart_id=chart_id)
        rows.append(IndicatorRow(item, targets, chart, chart_id, charts.indicator_series(item)))
    return rows


def emission_tables(monitoring: CityMonitoring) -> list[EmissionsTable]:
    """Newest year first."""
    return [EmissionsTable(s, standing_rows(s)) for s in reversed(monitoring.emissions)]


def _day(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


def reporting_text(reporting: progress.Reporting, today: datetime.date) -> str:
    """Where the city stands with its reports, in a sentence."""
    words = {
        "start": _day(reporting.period.start),
        "end": _day(reporting.period.end),
        "due": _day(reporting.due),
        "n": len(reporting.missing),
    }
    state = reporting.state
    if state == progress.ReportingState.OVERDUE:
        late = (today - reporting.due).days
        return ngettext(
            "Overdue: the reports for %(start)s to %(end)s were due on %(due)s, %(days)s day ago.",
            "Overdue: the reports for %(start)s to %(end)s were due on %(due)s, %(days)s days ago.",
            late,
        ) % (words | {"days": late})
    if state == progress.ReportingState.DUE:
        return (
            _("The period %(start)s to %(end)s has ended: its reports are due by %(due)s.") % words
        )
    if state == progress.ReportingState.DONE:
        return _("Every open action has reported for %(start)s to %(end)s.") % words
    return (
        _("Current period: %(start)s to %(end)s. Its reports are due by %(due)s, after it ends.")
        % words
    )


def missing_actions(monitoring: CityMonitoring) -> list[Action]:
    """The open actions without a report for the period under report, in the contract's order."""
    if monitoring.reporting is None:
        return []
    missing = set(monitoring.reporting.missing)
    return [item.action for item in monitoring.actions if str(item.action.key) in missing]


def report_years(monitoring: CityMonitoring, today: datetime.date) -> list[int]:
    """The years an annual report can be made for, newest first."""
    return list(range(today.year, monitoring.endorsed_on.year - 1, -1))


def progress_context(
    monitoring: CityMonitoring, today: datetime.date | None = None
) -> dict[str, Any]:
    """Everything the page and the annual report draw from the monitoring."""
    today = today or timezone.localdate()
    return {
        "monitoring": monitoring,
        "city": monitoring.city,
        "iteration": monitoring.iteration,
        "status_rows": [row for row in monitoring.by_status() if row[2]],
        "status_columns": status_columns(),
        "field_rows": field_rows(monitoring),
        "status_chart": charts.status_chart(monitoring),
        "field_chart": charts.field_chart(monitoring),
        "indicator_rows": indicator_rows(monitoring),
        "emission_tables": emission_tables(monitoring),
        "emissions_chart": charts.emissions_chart(monitoring),
        "emissions_series": charts.emissions_series(monitoring),
        "target_years": TARGET_YEARS,
        "reporting_text": (
            reporting_text(monitoring.reporting, today) if monitoring.reporting else ""
        ),
        "missing_actions": missing_actions(monitoring),
        "overdue": bool(
            monitoring.reporting and monitoring.reporting.state == progress.ReportingState.OVERDUE
        ),
        "report_years": report_years(monitoring, today),
    }
