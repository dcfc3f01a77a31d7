"""Charts as inline SVG (same on the page and in PDFs): no JavaScript, no external resources."""

import math

from django.utils.html import escape
from django.utils.translation import gettext as _

BAR_COLOUR = "#1f5fa8"
SINK_COLOUR = "#1b7f3b"
ROW_HEIGHT = 34
LABEL_WIDTH = 210
BAR_WIDTH = 360
WIDTH = LABEL_WIDTH + BAR_WIDTH + 120

TEXT_COLOUR = "#1a1a1a"
MUTED_TEXT_COLOUR = "#4a4a4a"
GRID_COLOUR = "#d0d0d0"
# Each at least 4.5:1 against white, so they also serve as text and line colours.
PALETTE = ("#1f5fa8", "#b35806", "#1b7f3b", "#7b3294", "#a50f15", "#01665e", "#8c510a", "#3f3f3f")
# Paired with PALETTE in the trend chart so colour is never the only cue.
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "12 4 2 4 2 4")

FLOW_WIDTH = 720
FLOW_LEFT_LABELS = 200
FLOW_RIGHT_LABELS = 270
FLOW_NODE_WIDTH = 12
FLOW_GAP = 28  # room for a two-line label even between two hair-thin nodes
FLOW_PX_PER_NODE = 44
FLOW_MIN_PLOT = 160
FLOW_MIN_NODE = 2.0
FLOW_MARGIN = 18
SECTOR_NODE_COLOUR = "#4d4d4d"

TREND_WIDTH = 720
TREND_LEFT = 80
TREND_RIGHT = 20
TREND_TOP = 20
TREND_PLOT_HEIGHT = 220
TREND_INSET = 20  # keeps the first and last markers off the axes
TREND_LEGEND_COLUMNS = 3


def sector_bars_svg(rows: list[tuple[str, float]]) -> str:
    """``rows``: (sector label, tCO2e); negative values (sinks) are drawn to the left in green."""
    if not rows:
        return ""
    largest = max(abs(value) for _label, value in rows) or 1.0
    height = ROW_HEIGHT * len(rows) + 10
    title = _("Emissions by sector (t CO2e)")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="sector-chart-title"><title id="sector-chart-title">{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(rows):
        y = 5 + index * ROW_HEIGHT
        length = BAR_WIDTH * abs(value) / largest
        colour = SINK_COLOUR if value < 0 else BAR_COLOUR
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 20}" text-anchor="end" font-size="14" '
            f'fill="#1a1a1a">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW_HEIGHT - 10}" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 20}" font-size="14" '
            f'fill="#1a1a1a">{value:,.0f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: float, title_id: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.1f}" role="img" '
        f'aria-labelledby="{title_id}"><title id="{title_id}">{escape(title)}</title>'
    )


def _node_label(x: float, centre: float, anchor: str, label: str, total: float) -> str:
    """Name on one line and its total below, centred on the node."""
    return (
        f'<text x="{x:.1f}" y="{centre - 3:.1f}" text-anchor="{anchor}" font-size="13" '
        f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        f'<text x="{x:.1f}" y="{centre + 12:.1f}" text-anchor="{anchor}" font-size="12" '
        f'fill="{MUTED_TEXT_COLOUR}">{total:,.0f}</text>'
    )


def _stack(totals: list[float], scale: float) -> tuple[list[float], float]:
    """Node heights and the height of the whole column, gaps included."""
    heights = [max(total * scale, FLOW_MIN_NODE) for total in totals]
    return heights, sum(heights) + FLOW_GAP * (len(heights) - 1)


def carrier_flow_svg(flows: list[tuple[str, str, float]]) -> str:
    """``flows``: (carrier label, sector label, tCO2e); flows that are not positive are left out.

    Carriers on the left, largest first; sectors on the right in the order they first appear.
    Repeated (carrier, sector) pairs are added up.
    """
    values: dict[tuple[str, str], float] = {}
    for carrier, sector, value in flows:
        if value > 0:
            values[carrier, sector] = values.get((carrier, sector), 0.0) + value
    if not values:
        return ""
    carrier_totals: dict[str, float] = {}
    sector_totals: dict[str, float] = {}
    for (carrier, sector), value in values.items():
        carrier_totals[carrier] = carrier_totals.get(carrier, 0.0) + value
        sector_totals[sector] = sector_totals.get(sector, 0.0) + value
    carriers = sorted(carrier_totals, key=lambda name: -carrier_totals[name])  # stable on ties
    sectors = list(sector_totals)  # dicts keep the order of first appearance

    most_nodes = max(len(carriers), len(sectors))
    plot = max(FLOW_MIN_PLOT, FLOW_PX_PER_NODE * most_nodes) - FLOW_GAP * (most_nodes - 1)
    scale = plot / sum(values.values())
    left_heights, left_column = _stack([carrier_totals[name] for name in carriers], scale)
    right_heights, right_column = _stack([sector_totals[name] for name in sectors], scale)
    column = max(left_column, right_column)
    height = column + 2 * FLOW_MARGIN

    def tops(heights: list[float], own_column: float) -> list[float]:
        y = FLOW_MARGIN + (column - own_column) / 2  # the shorter column is centred
        result = []
        for node_height in heights:
            result.append(y)
            y += node_height + FLOW_GAP
        return result

    left_tops = tops(left_heights, left_column)
    right_tops = tops(right_heights, right_column)
    left_x = FLOW_LEFT_LABELS
    right_x = FLOW_WIDTH - FLOW_RIGHT_LABELS - FLOW_NODE_WIDTH
    band_start = left_x + FLOW_NODE_WIDTH
    middle = (band_start + right_x) / 2

    parts = [
        _svg_open(
            FLOW_WIDTH,
            height,
            "flow-chart-title",
            _("Emissions from energy carriers to sectors (t CO2e)"),
        )
    ]
    # Bands leave a carrier in sector order and enter a sector in carrier order: fewest crossings.
    left_used = dict.fromkeys(carriers, 0.0)
    right_used = dict.fromkeys(sectors, 0.0)
    for sector_index, sector in enumerate(sectors):
        for carrier_index, carrier in enumerate(carriers):
            value = values.get((carrier, sector))
            if value is None:
                continue
            thickness = value * scale
            y0 = left_tops[carrier_index] + left_used[carrier]
            y1 = right_tops[sector_index] + right_used[sector]
            left_used[carrier] += thickness
            right_used[sector] += thickness
            tooltip = _("%(carrier)s → %(sector)s: %(value)s t CO2e") % {
                "carrier": carrier,
                "sector": sector,
                "value": f"{value:,.0f}",
            }
            path = (
                f"M{band_start:.1f},{y0:.1f} "
                f"C{middle:.1f},{y0:.1f} {middle:.1f},{y1:.1f} {right_x:.1f},{y1:.1f} "
                f"L{right_x:.1f},{y1 + thickness:.1f} "
                f"C{middle:.1f},{y1 + thickness:.1f} {middle:.1f},{y0 + thickness:.1f} "
                f"{band_start:.1f},{y0 + thickness:.1f} Z"
            )
            colour = PALETTE[carrier_index % len(PALETTE)]
            parts.append(
                f'<path class="flow-band" d="{path}" fill="{colour}" fill-opacity="0.45">'
                f"<title>{escape(tooltip)}</title></path>"
            )
    for index, carrier in enumerate(carriers):
        top, node_height = left_tops[index], left_heights[index]
        parts.append(
            f'<rect class="flow-node flow-carrier" x="{left_x}" y="{top:.1f}" '
            f'width="{FLOW_NODE_WIDTH}" height="{node_height:.1f}" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/>'
            + _node_label(
                left_x - 8, top + node_height / 2, "end", carrier, carrier_totals[carrier]
            )
        )
    for index, sector in enumerate(sectors):
        top, node_height = right_tops[index], right_heights[index]
        parts.append(
            f'<rect class="flow-node flow-sector" x="{right_x}" y="{top:.1f}" '
            f'width="{FLOW_NODE_WIDTH}" height="{node_height:.1f}" fill="{SECTOR_NODE_COLOUR}"/>'
            + _node_label(
                right_x + FLOW_NODE_WIDTH + 8,
                top + node_height / 2,
                "start",
                sector,
                sector_totals[sector],
            )
        )
    parts.append("</svg>")
    return "".join(parts)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 × 10ⁿ that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * magnitude >= value * (1 - 1e-12):
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always ends at 10


def _axis_step(top: float) -> float:
    """4 or 5 gridline intervals, each a round number."""
    leading = round(top / 10.0 ** math.floor(math.log10(top)), 1)
    intervals = {1.0: 5, 2.0: 4, 2.5: 5, 5.0: 5}.get(leading, 5)
    return top / intervals


def trend_svg(points: list[tuple[int, dict[str, float]]], series: list[tuple[str, str]]) -> str:
    """``points``: (year, {series key: tCO2e}), oldest first; ``series``: (key, label) to draw.

    A series without a value for a year is not drawn through that year: the line breaks there.
    """
    if len(points) < 2:
        return ""
    present = [values[key] for _year, values in points for key, _label in series if key in values]
    top = nice_ceiling(max(present, default=0.0))
    step = _axis_step(top)
    decimals = max(0, -math.floor(math.log10(step)))
    plot_width = TREND_WIDTH - TREND_LEFT - TREND_RIGHT
    bottom = TREND_TOP + TREND_PLOT_HEIGHT
    legend_rows = math.ceil(len(series) / TREND_LEGEND_COLUMNS)
    height = bottom + 48 + 22 * legend_rows

    def x_at(index: int) -> float:
        spacing = (plot_width - 2 * TREND_INSET) / (len(points) - 1)
        return TREND_LEFT + TREND_INSET + index * spacing

    def y_at(value: float) -> float:
        return bottom - TREND_PLOT_HEIGHT * value / top

    parts = [
        _svg_open(TREND_WIDTH, height, "trend-chart-title", _("Emissions over the years (t CO2e)"))
    ]
    intervals = round(top / step)
    for tick in range(intervals + 1):
        value = tick * step
        y = y_at(value)
        parts.append(
            f'<line class="trend-grid" x1="{TREND_LEFT}" y1="{y:.1f}" '
            f'x2="{TREND_LEFT + plot_width}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>'
            f'<text x="{TREND_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{value:,.{decimals}f}</text>'
        )
    parts.append(
        f'<line x1="{TREND_LEFT}" y1="{bottom}" x2="{TREND_LEFT + plot_width}" y2="{bottom}" '
        f'stroke="{TEXT_COLOUR}"/>'
    )
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
            tooltip = _("%(label)s %(year)s: %(value)s t CO2e") % {
                "label": label,
                "year": year,
                "value": f"{values[key]:,.0f}",
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
        column, row = number % TREND_LEGEND_COLUMNS, number // TREND_LEGEND_COLUMNS
        legend_x = TREND_LEFT + column * (plot_width / TREND_LEGEND_COLUMNS)
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
