"""Charts as inline SVG (same on the page and in PDFs): no JavaScript, no external resources.

The generic pieces every app draws with: the accessible SVG opener, round axes, the palette, a
horizontal bar chart and a line chart over the years. Labels are escaped here; titles come
translated from the caller. Each chart's ``chart_id`` names its ``<title>`` and must be unique on
the page.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

TEXT_COLOUR = "#1a1a1a"
MUTED_TEXT_COLOUR = "#4a4a4a"
GRID_COLOUR = "#d0d0d0"
BAR_COLOUR = "#1f5fa8"
SINK_COLOUR = "#1b7f3b"
ALERT_COLOUR = "#a50f15"
# Each at least 4.5:1 against white, so they also serve as text and line colours.
PALETTE = ("#1f5fa8", "#b35806", "#1b7f3b", "#7b3294", "#a50f15", "#01665e", "#8c510a", "#3f3f3f")
# Paired with PALETTE in line charts so colour is never the only cue.
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 4 2 4 2 4")

ROW_HEIGHT = 34
LABEL_WIDTH = 210
BAR_WIDTH = 360
WIDTH = LABEL_WIDTH + BAR_WIDTH + 120
NEGATIVE_VALUE_ROOM = 80  # left of the bars, for the values of negative bars

LINE_WIDTH = 720
LINE_LEFT = 80
LINE_RIGHT = 20
LINE_TOP = 20
LINE_PLOT_HEIGHT = 220
LINE_INSET = 20  # keeps the first and last markers off the axes
LINE_LEGEND_COLUMNS = 3


def svg_open(width: int, height: float, chart_id: str, title: str) -> str:
    """The root element, labelled by its ``<title>`` for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.1f}" role="img" '
        f'aria-labelledby="{chart_id}"><title id="{chart_id}">{escape(title)}</title>'
    )


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 × 10ⁿ that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value * (1 - 1e-12):
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always ends at 10


@dataclass(frozen=True, slots=True)
class Axis:
    """A value axis from ``low`` to ``high`` with a gridline every ``step``, 0 among them."""

    low: float
    high: float
    step: float

    @classmethod
    def spanning(cls, largest: float, smallest: float = 0.0) -> "Axis":
        """The larger side ends at a :func:`nice_ceiling` cut into 4 or 5 round steps; the
        other side goes as many of those steps as it needs."""
        span = nice_ceiling(max(largest, -smallest))
        leading = round(span / 10.0 ** math.floor(math.log10(span)), 1)
        step = span / {1.0: 5, 2.0: 4, 2.5: 5, 5.0: 5}.get(leading, 5)

        def steps(extent: float) -> int:
            return math.ceil(extent / step - 1e-9) if extent > 0 else 0

        if largest >= -smallest:
            return cls(-steps(-smallest) * step, span, step)
        return cls(-span, steps(largest) * step, step)

    def ticks(self) -> list[float]:
        first, last = round(self.low / self.step), round(self.high / self.step)
        return [index * self.step for index in range(first, last + 1)]

    def label(self, value: float) -> str:
        decimals = max(0, -math.floor(math.log10(self.step)))
        return f"{value:,.{decimals}f}"


def value_gridlines(
    axis: Axis, y_at: Callable[[float], float], *, left: int, right: int, css_class: str
) -> str:
    """A horizontal gridline per tick, its value left of the plot."""
    return "".join(
        f'<line class="{css_class}" x1="{left}" y1="{y_at(value):.1f}" '
        f'x2="{right}" y2="{y_at(value):.1f}" stroke="{GRID_COLOUR}"/>'
        f'<text x="{left - 8}" y="{y_at(value) + 4:.1f}" text-anchor="end" font-size="12" '
        f'fill="{TEXT_COLOUR}">{axis.label(value)}</text>'
        for value in axis.ticks()
    )


def bar_chart_svg(rows: list[tuple[str, float]], *, title: str, chart_id: str) -> str:
    """``rows``: (label, value), one horizontal bar each, drawn in the order given.

    Negative values (sinks) are drawn in green to the left of a zero line.
    """
    if not rows:
        return ""
    positive = max((value for _label, value in rows if value > 0), default=0.0)
    negative = max((-value for _label, value in rows if value < 0), default=0.0)
    scale = BAR_WIDTH / ((positive + negative) or 1.0)
    room = NEGATIVE_VALUE_ROOM if negative else 0
    zero = LABEL_WIDTH + room + negative * scale
    height = ROW_HEIGHT * len(rows) + 10
    parts = [svg_open(WIDTH + room, height, chart_id, title)]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW_HEIGHT
        length = abs(value) * scale
        if value < 0:
            x, colour, anchor, value_x = zero - length, SINK_COLOUR, "end", zero - length - 6
        else:
            x, colour, anchor, value_x = zero, BAR_COLOUR, "start", zero + length + 6
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 20}" text-anchor="end" font-size="14" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
            f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{length:.1f}" '
            f'height="{ROW_HEIGHT - 10}" fill="{colour}"/>'
            f'<text x="{value_x:.1f}" y="{y + 20}" text-anchor="{anchor}" font-size="14" '
            f'fill="{TEXT_COLOUR}">{value:,.0f}</text>'
        )
    if negative:
        parts.append(
            f'<line class="bar-zero" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" '
            f'stroke="{TEXT_COLOUR}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    points: list[tuple[int, dict[str, float]]],
    series: list[tuple[str, str]],
    *,
    title: str,
    chart_id: str,
    unit: str = "t CO2e",
    decimals: int = 0,
) -> str:
    """``points``: (year, {series key: value}), oldest first; ``series``: (key, label) to draw;
    ``unit`` and ``decimals``: how the markers' tooltips give the values.

    Years are spaced evenly. A series without a value for a year is not drawn through that year:
    the line breaks there. Fewer than two years draw nothing.
    """
    if len(points) < 2:
        return ""
    present = [values[key] for _year, values in points for key, _label in series if key in values]
    axis = Axis.spanning(max(present, default=0.0))
    plot_width = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    bottom = LINE_TOP + LINE_PLOT_HEIGHT
    legend_rows = math.ceil(len(series) / LINE_LEGEND_COLUMNS)
    height = bottom + 48 + 22 * legend_rows

    def x_at(index: int) -> float:
        spacing = (plot_width - 2 * LINE_INSET) / (len(points) - 1)
        return LINE_LEFT + LINE_INSET + index * spacing

    def y_at(value: float) -> float:
        return bottom - LINE_PLOT_HEIGHT * value / axis.high

    parts = [
        svg_open(LINE_WIDTH, height, chart_id, title),
        value_gridlines(
            axis, y_at, left=LINE_LEFT, right=LINE_LEFT + plot_width, css_class="trend-grid"
        ),
        f'<line x1="{LINE_LEFT}" y1="{bottom}" x2="{LINE_LEFT + plot_width}" y2="{bottom}" '
        f'stroke="{TEXT_COLOUR}"/>',
    ]
    for index, (year, _values) in enumerate(points):
        parts.append(
            f'<text x="{x_at(index):.1f}" y="{bottom + 20}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{year}</text>'
        )
    for number, (key, label) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        dash = DASHES[number % len(DASHES)]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        segments: list[list[str]] = [[]]
        markers = []
        for index, (year, values) in enumerate(points):
            if key not in values:
                segments.append([])
                continue
            x, y = x_at(index), y_at(values[key])
            segments[-1].append(f"{x:.1f},{y:.1f}")
            tooltip = _("%(label)s %(year)s: %(value)s %(unit)s") % {
                "label": label,
                "year": year,
                "value": f"{values[key]:,.{decimals}f}",
                "unit": unit,
            }
            markers.append(
                f'<circle class="trend-marker" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" '
                f'stroke="#ffffff" stroke-width="1.5"><title>{escape(tooltip)}</title></circle>'
            )
        for segment in segments:
            if len(segment) > 1:  # a lone value shows as its marker only
                parts.append(
                    f'<polyline class="trend-line" data-series="{escape(key)}" '
                    f'points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attribute}/>'
                )
        parts.extend(markers)
        column, row = number % LINE_LEGEND_COLUMNS, number // LINE_LEGEND_COLUMNS
        legend_x = LINE_LEFT + column * (plot_width / LINE_LEGEND_COLUMNS)
        legend_y = bottom + 48 + row * 22
        parts.append(
            f'<line class="trend-legend" x1="{legend_x:.1f}" y1="{legend_y - 4}" '
            f'x2="{legend_x + 28:.1f}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attribute}/>'
            f'<text x="{legend_x + 34:.1f}" y="{legend_y}" font-size="13" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
