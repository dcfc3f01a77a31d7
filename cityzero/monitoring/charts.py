"""The progress page's charts, the same on the page and in the annual report: actions by status and
by field of action, each indicator against its target path, and emissions against the pathway.
Each has a table beside it on the page."""

import math

from django.utils.translation import gettext as _

from cityzero.core.charts import bar_chart_svg, line_chart_svg
from cityzero.ghg import progress
from cityzero.monitoring.selectors import CityMonitoring, IndicatorProgress


def status_chart(monitoring: CityMonitoring) -> str:
    rows = [(label, float(n)) for _status, label, n in monitoring.by_status() if n]
    return bar_chart_svg(
        rows, title=_("Actions by status (number of actions)"), chart_id="status-chart-title"
    )


def field_chart(monitoring: CityMonitoring) -> str:
    rows = [(field, float(sum(counts.values()))) for field, counts in monitoring.by_field()]
    return bar_chart_svg(
        rows,
        title=_("Actions by field of action (number of actions)"),
        chart_id="field-chart-title",
    )


def decimals_for(values: list[float]) -> int:
    """Enough decimals to tell small values apart: none from 100 on, up to three below 1."""
    largest = max((abs(v) for v in values), default=0.0)
    if largest >= 100 or largest == 0:
        return 0
    return min(3, max(0, 2 - math.floor(math.log10(largest))))


def indicator_series(item: IndicatorProgress) -> list[tuple[int, dict[str, float]]]:
    """(year, {"actual": latest value that year, "target": the target path}), oldest first."""
    by_year: dict[int, dict[str, float]] = {}
    for year, value in progress.target_path(item.targets).items():
        by_year.setdefault(year, {})["target"] = value
    for year, value in item.yearly().items():
        by_year.setdefault(year, {})["actual"] = value
    return sorted(by_year.items())


def indicator_chart(item: IndicatorProgress, *, chart_id: str) -> str:
    points = indicator_series(item)
    unit = item.indicator.unit
    values = [value for _year, found in points for value in found.values()]
    return line_chart_svg(
        points,
        [("actual", _("Measured")), ("target", _("Target path"))],
        title=_("%(indicator)s (%(unit)s): measured against the target path")
        % {"indicator": item.indicator.name, "unit": unit},
        chart_id=chart_id,
        unit=unit,
        decimals=decimals_for(values),
    )


def emissions_series(monitoring: CityMonitoring) -> list[tuple[int, dict[str, float]]]:
    """(year, {"pathway": allowed total, "actual": inventory total}), from the base year to the
    target year and any inventory year after it."""
    pathway = monitoring.pathway
    if pathway is None:
        return []
    by_year: dict[int, dict[str, float]] = {
        year: {"pathway": value} for year, value in pathway.line().items()
    }
    by_year[pathway.base_year]["actual"] = math.fsum(pathway.baseline.values())
    for standing in monitoring.emissions:
        by_year.setdefault(standing.year, {})["actual"] = standing.total.actual
    return sorted(by_year.items())


def emissions_chart(monitoring: CityMonitoring) -> str:
    return line_chart_svg(
        emissions_series(monitoring),
        [("pathway", _("Pathway of the contract")), ("actual", _("GHG inventories"))],
        title=_("Emissions against the pathway (t CO2e)"),
        chart_id="emissions-chart-title",
    )
