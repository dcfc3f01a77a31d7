"""The inventory pages' charts, drawn with the shared pieces in :mod:`cityzero.core.charts`."""

from django.utils.html import escape
from django.utils.translation import gettext as _

from cityzero.core.charts import (
    MUTED_TEXT_COLOUR,
    PALETTE,
    TEXT_COLOUR,
    bar_chart_svg,
    line_chart_svg,
    svg_open,
)

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
        svg_open(
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


def sector_bars_svg(rows: list[tuple[str, float]]) -> str:
    """``rows``: (sector label, tCO2e); negative values (sinks) are drawn to the left in green."""
    return bar_chart_svg(
        rows, title=_("Emissions by sector (t CO2e)"), chart_id="sector-chart-title"
    )


def trend_svg(points: list[tuple[int, dict[str, float]]], series: list[tuple[str, str]]) -> str:
    """``points``: (year, {series key: tCO2e}), oldest first; ``series``: (key, label) to draw."""
    return line_chart_svg(
        points, series, title=_("Emissions over the years (t CO2e)"), chart_id="trend-chart-title"
    )
