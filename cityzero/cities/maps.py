"""Inline SVG charts of the mission: a map of Europe with the cities and the label-round timeline.

Pure functions without database access. The country outlines and the projection parameters come
from ``data/europe_map.json`` (built by ``scripts/build_reference_data.py``).
"""

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cityzero.cities.models import MissionStatus

MAP_FILE = Path(__file__).resolve().parent / "data" / "europe_map.json"

BACKGROUND = "#ffffff"
COUNTRY_FILL = "#ebebe8"
COUNTRY_BORDER = "#a6a6a0"
TEXT_COLOUR = "#1a1a1a"
# Each at least 3:1 against the background and the country fill (WCAG 1.4.11).
STATUS_COLOURS = {
    MissionStatus.LABELLED: "#1b7f3b",
    MissionStatus.SELECTED: "#1f5fa8",
    MissionStatus.APPLICANT: "#b35c00",
    MissionStatus.NONE: "#6b6b6b",
}
CITY_RADIUS = 5
LEGEND_HEIGHT = 36


@dataclass(frozen=True)
class MapPoint:
    name: str
    url: str
    status: str  # a MissionStatus value
    longitude: float
    latitude: float


@dataclass(frozen=True)
class RoundBar:
    label: str
    count: int


@cache
def europe_map() -> dict[str, Any]:
    """The committed map file: source, projection parameters, view box and country paths."""
    data: dict[str, Any] = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    return data


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """View-box coordinates of a point (spherical Lambert azimuthal equal-area, as in the file)."""
    params = europe_map()["projection"]
    lam = math.radians(longitude - params["center_longitude"])
    phi, phi0 = math.radians(latitude), math.radians(params["center_latitude"])
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / (1 + cos_c))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return params["x_offset"] + params["scale"] * x, params["y_offset"] - params["scale"] * y


def status_label(status: str) -> str:
    return str(MissionStatus(status).label)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


@cache
def _countries_markup() -> str:
    paths = "".join(f'<path d="{country["d"]}"/>' for country in europe_map()["countries"])
    return (
        f'<g class="map-countries" aria-hidden="true" fill="{COUNTRY_FILL}" stroke="{COUNTRY_BORDER}" '
        f'stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">{paths}</g>'
    )


def _city_markup(point: MapPoint) -> str:
    x, y = project(point.longitude, point.latitude)
    name = escape(
        _("%(city)s — %(status)s") % {"city": point.name, "status": status_label(point.status)}
    )
    return (
        f'<a href="{escape(point.url)}" class="map-city map-city--{escape(point.status)}" aria-label="{name}">'
        f"<title>{name}</title>"
        f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{CITY_RADIUS}" '
        f'fill="{STATUS_COLOURS[MissionStatus(point.status)]}" stroke="{BACKGROUND}" stroke-width="1"/></a>'
    )


def _legend_markup(statuses: Sequence[MissionStatus], top: float) -> str:
    items = []
    for index, status in enumerate(statuses):
        x = 20 + index * 240
        items.append(
            f'<circle cx="{x}" cy="{_number(top + 18)}" r="{CITY_RADIUS + 1}" fill="{STATUS_COLOURS[status]}"/>'
            f'<text x="{x + 12}" y="{_number(top + 23)}">{escape(status_label(status))}</text>'
        )
    return (
        f'<g class="map-legend" font-size="15" fill="{TEXT_COLOUR}">'
        f"<title>{escape(_('Legend'))}</title>{''.join(items)}</g>"
    )


def _map_description(points: Sequence[MapPoint]) -> str:
    counts = [
        _("%(count)s: %(status)s")
        % {"count": sum(p.status == s for p in points), "status": s.label}
        for s in STATUS_COLOURS
        if any(p.status == s for p in points)
    ]
    summary = ngettext(
        "Map of Europe with %(count)s city, coloured by mission status.",
        "Map of Europe with %(count)s cities, coloured by mission status.",
        len(points),
    ) % {"count": len(points)}
    return " ".join([summary, *counts])


def europe_map_svg(points: Sequence[MapPoint]) -> str:
    """An accessible inline SVG map of Europe; every city is a link coloured by mission status."""
    x, y, width, height = europe_map()["view_box"]
    statuses = [status for status in STATUS_COLOURS if any(p.status == status for p in points)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="europe-map" role="group" '
        f'viewBox="{_number(x)} {_number(y)} {_number(width)} {_number(height + LEGEND_HEIGHT)}" '
        f'aria-labelledby="europe-map-title europe-map-desc">'
        f'<title id="europe-map-title">{escape(_("Mission cities in Europe"))}</title>'
        f'<desc id="europe-map-desc">{escape(_map_description(points))}</desc>'
        f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" '
        f'height="{_number(height + LEGEND_HEIGHT)}" fill="{BACKGROUND}"/>'
        f"{_countries_markup()}"
        f'<g class="map-cities">{"".join(_city_markup(point) for point in points)}</g>'
        f"{_legend_markup(statuses, y + height)}</svg>"
    )


# --- Label timeline --------------------------------------------------------------------------------

CHART_WIDTH, CHART_HEIGHT = 640, 340
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, 620, 64, 290
BAR_COLOUR = STATUS_COLOURS[MissionStatus.LABELLED]
LINE_COLOUR = STATUS_COLOURS[MissionStatus.SELECTED]
AXIS_COLOUR = "#595959"


def _tick_step(maximum: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, … that gives at most six steps up to ``maximum``."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if maximum <= 6 * factor * magnitude:
                return factor * magnitude
        magnitude *= 10


def _y_axis(top_value: int, step: int, scale: float) -> str:
    ticks = []
    for value in range(0, top_value + 1, step):
        y = _number(PLOT_BOTTOM - value * scale)
        ticks.append(
            f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{y}" y2="{y}" stroke="#d9d9d9"/>'
            f'<text x="{PLOT_LEFT - 8}" y="{y}" dy="0.35em" text-anchor="end">{value}</text>'
        )
    title = escape(_("Cities"))
    return (
        f'<g class="chart-axis">{"".join(ticks)}'
        f'<text x="{PLOT_LEFT - 8}" y="{PLOT_TOP - 20}" text-anchor="end">{title}</text>'
        f'<line x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" '
        f'stroke="{AXIS_COLOUR}"/></g>'
    )


def _bars(rounds: Sequence[RoundBar], band: float, scale: float) -> str:
    bars = []
    for index, bar in enumerate(rounds):
        centre = PLOT_LEFT + band * (index + 0.5)
        height = bar.count * scale
        bars.append(
            f'<rect x="{_number(centre - band * 0.3)}" y="{_number(PLOT_BOTTOM - height)}" '
            f'width="{_number(band * 0.6)}" height="{_number(height)}" fill="{BAR_COLOUR}"/>'
            f'<text x="{_number(centre)}" y="{PLOT_BOTTOM + 20}" text-anchor="middle">'
            f"{escape(bar.label)}</text>"
        )
    return f'<g class="chart-bars">{"".join(bars)}</g>'


def _bar_counts(rounds: Sequence[RoundBar], band: float, scale: float) -> str:
    """The count above each bar, with a halo so that it stays legible where the line crosses it."""
    counts = "".join(
        f'<text x="{_number(PLOT_LEFT + band * (index + 0.5))}" '
        f'y="{_number(PLOT_BOTTOM - bar.count * scale - 6)}">{bar.count}</text>'
        for index, bar in enumerate(rounds)
    )
    return (
        f'<g class="chart-counts" text-anchor="middle" stroke="{BACKGROUND}" stroke-width="3" '
        f'paint-order="stroke">{counts}</g>'
    )


def _cumulative_line(rounds: Sequence[RoundBar], band: float, scale: float) -> str:
    points, total = [], 0
    for index, bar in enumerate(rounds):
        total += bar.count
        points.append((PLOT_LEFT + band * (index + 0.5), PLOT_BOTTOM - total * scale))
    if not points:
        return ""
    coordinates = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
    markers = "".join(f'<circle cx="{_number(x)}" cy="{_number(y)}" r="3.5"/>' for x, y in points)
    last_x, last_y = points[-1]
    return (
        f'<g class="chart-cumulative" fill="{LINE_COLOUR}">'
        f'<polyline points="{coordinates}" fill="none" stroke="{LINE_COLOUR}" stroke-width="2"/>'
        f'{markers}<text x="{_number(last_x)}" y="{_number(last_y - 10)}" text-anchor="middle">'
        f"{total}</text></g>"
    )


def _chart_legend() -> str:
    awarded, cumulative = escape(_("Labels awarded in the round")), escape(_("Cumulative total"))
    return (
        f'<g class="chart-legend">'
        f'<rect x="{PLOT_LEFT}" y="10" width="14" height="14" fill="{BAR_COLOUR}"/>'
        f'<text x="{PLOT_LEFT + 20}" y="22">{awarded}</text>'
        f'<line x1="{PLOT_LEFT + 280}" x2="{PLOT_LEFT + 304}" y1="17" y2="17" '
        f'stroke="{LINE_COLOUR}" stroke-width="2"/>'
        f'<text x="{PLOT_LEFT + 312}" y="22">{cumulative}</text></g>'
    )


def _timeline_description(rounds: Sequence[RoundBar]) -> str:
    total = sum(bar.count for bar in rounds)
    summary = ngettext(
        "%(count)s Mission Label awarded in total.",
        "%(count)s Mission Labels awarded in total.",
        total,
    ) % {"count": total}
    return " ".join([*(f"{bar.label}: {bar.count}." for bar in rounds), summary])


def label_timeline_svg(rounds: Sequence[RoundBar]) -> str:
    """An accessible SVG bar chart of labels per round with the cumulative total as a line."""
    total = sum(bar.count for bar in rounds)
    step = _tick_step(max(total, 1))
    top_value = math.ceil(max(total, 1) / step) * step
    scale = (PLOT_BOTTOM - PLOT_TOP) / top_value
    band = (PLOT_RIGHT - PLOT_LEFT) / max(len(rounds), 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="label-timeline" role="img" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'aria-labelledby="label-timeline-title label-timeline-desc" font-size="13" fill="{TEXT_COLOUR}">'
        f'<title id="label-timeline-title">{escape(_("Mission Labels awarded per round"))}</title>'
        f'<desc id="label-timeline-desc">{escape(_timeline_description(rounds))}</desc>'
        f"{_chart_legend()}{_y_axis(top_value, step, scale)}{_bars(rounds, band, scale)}"
        f"{_cumulative_line(rounds, band, scale)}{_bar_counts(rounds, band, scale)}"
        f'<text x="{(PLOT_LEFT + PLOT_RIGHT) // 2}" y="{CHART_HEIGHT - 10}" text-anchor="middle">'
        f"{escape(_('Label round'))}</text></svg>"
    )
