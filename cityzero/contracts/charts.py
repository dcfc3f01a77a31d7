"""The Climate City Contract's charts, drawn with the shared pieces in :mod:`cityzero.core.charts`.

The pathway to 2030, the waterfall from the baseline to what remains in 2030, and the marginal
abatement cost curve of the contract's actions. Bar charts by field of action use
:func:`cityzero.core.charts.bar_chart_svg` directly.
"""

from django.utils.html import escape
from django.utils.translation import gettext as _

from cityzero.core.charts import (
    ALERT_COLOUR,
    BAR_COLOUR,
    GRID_COLOUR,
    PALETTE,
    SINK_COLOUR,
    TEXT_COLOUR,
    Axis,
    line_chart_svg,
    svg_open,
    value_gridlines,
)

WATERFALL_WIDTH = 720
WATERFALL_LEFT = 130  # room for the mission target's label
WATERFALL_RIGHT = 150  # room for the shortfall's label
WATERFALL_TOP = 30
WATERFALL_PLOT_HEIGHT = 240
WATERFALL_BAR_WIDTH = 70
WATERFALL_ID = "waterfall-chart-title"
TARGET_COLOUR = PALETTE[3]  # as the target line in the pathway
TARGET_DASH = "10 3 2 3"

MACC_WIDTH = 720
MACC_LEFT = 80
MACC_RIGHT = 40  # room for the last cumulative figure
MACC_TOP = 28
MACC_PLOT_HEIGHT = 260
MACC_MIN_LABEL_WIDTH = 60  # narrower bars are numbered and named in the legend below
MACC_CHAR_WIDTH = 6.5  # a generous estimate of one character at font-size 11
MACC_LEGEND_ROW = 18


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _reduction(value: float) -> str:
    """A step down shown with a minus sign, a step up with a plus sign."""
    if round(value) == 0:
        return "0"
    return f"−{value:,.0f}" if value > 0 else f"+{-value:,.0f}"


def pathway_svg(series: dict[str, list[tuple[int, float]]]) -> str:
    """``series``: "bau", "existing", "portfolio" and "target", each [(year, tCO2e)], oldest
    first, as :func:`cityzero.ghg.contract.pathway` returns them; other keys are not drawn."""
    labels = {
        "bau": _("Business as usual"),
        "existing": _("With existing plans"),
        "portfolio": _("With the contract's actions"),
        "target": _("Mission target (residual)"),
    }
    keys = [key for key in labels if series.get(key)]
    if not keys:
        return ""
    by_year: dict[int, dict[str, float]] = {}
    for key in keys:
        for year, value in series[key]:
            by_year.setdefault(year, {})[key] = value
    return line_chart_svg(
        sorted(by_year.items()),
        [(key, labels[key]) for key in keys],
        title=_("Pathway to 2030 (t CO2e)"),
        chart_id="pathway-chart-title",
    )


def gap_waterfall_svg(
    baseline: float, existing: float, portfolio: float, target_emissions: float
) -> str:
    """From the baseline down by the existing plans and by the contract's actions to what
    remains in 2030 (never below 0), against the emissions the mission target allows.

    What remains above the target is marked as the shortfall.
    """
    if baseline <= 0:
        return ""
    after_existing = max(0.0, baseline - existing)
    remaining = max(0.0, baseline - existing - portfolio)
    top = max(baseline, after_existing, target_emissions)
    plot_width = WATERFALL_WIDTH - WATERFALL_LEFT - WATERFALL_RIGHT
    slot = plot_width / 4
    bottom = WATERFALL_TOP + WATERFALL_PLOT_HEIGHT
    height = bottom + 40

    def y_at(value: float) -> float:
        return bottom - WATERFALL_PLOT_HEIGHT * value / top

    def x_at(index: int) -> float:
        return WATERFALL_LEFT + index * slot + (slot - WATERFALL_BAR_WIDTH) / 2

    # (label, from, to, colour, value label)
    steps = [
        (_("Baseline"), 0.0, baseline, BAR_COLOUR, _number(baseline)),
        (_("Existing plans"), baseline, after_existing, PALETTE[1], _reduction(existing)),
        (_("Contract actions"), after_existing, remaining, SINK_COLOUR, _reduction(portfolio)),
        (_("Remaining in 2030"), 0.0, remaining, PALETTE[7], _number(remaining)),
    ]
    hatch = f"{WATERFALL_ID}-hatch"
    parts = [
        svg_open(WATERFALL_WIDTH, height, WATERFALL_ID, _("From the baseline to 2030 (t CO2e/yr)")),
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{ALERT_COLOUR}" stroke-width="2"/>'
        f"</pattern></defs>",
        f'<line x1="{WATERFALL_LEFT}" y1="{bottom}" x2="{WATERFALL_LEFT + plot_width:.1f}" '
        f'y2="{bottom}" stroke="{TEXT_COLOUR}"/>',
    ]
    for index, (label, start, end, colour, value_label) in enumerate(steps):
        x = x_at(index)
        bar_top, bar_bottom = y_at(max(start, end)), y_at(min(start, end))
        centre = x + WATERFALL_BAR_WIDTH / 2
        parts.append(
            f'<rect class="waterfall-bar" x="{x:.1f}" y="{bar_top:.1f}" '
            f'width="{WATERFALL_BAR_WIDTH}" height="{bar_bottom - bar_top:.1f}" fill="{colour}"/>'
            f'<text x="{centre:.1f}" y="{bar_top - 6:.1f}" text-anchor="middle" font-size="13" '
            f'fill="{TEXT_COLOUR}">{value_label}</text>'
            f'<text x="{centre:.1f}" y="{bottom + 20}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
        if 0 < index < len(steps) - 1:  # from the level before this step to where it starts
            parts.append(
                f'<line class="waterfall-connector" x1="{x_at(index - 1) + WATERFALL_BAR_WIDTH:.1f}" '
                f'y1="{y_at(start):.1f}" x2="{x:.1f}" y2="{y_at(start):.1f}" '
                f'stroke="{GRID_COLOUR}"/>'
            )
    target_y = y_at(max(0.0, target_emissions))
    if remaining > target_emissions:
        shortfall = remaining - target_emissions
        tooltip = _("Shortfall: %(value)s t CO2e/yr") % {"value": _number(shortfall)}
        x = x_at(3)
        label_y = (y_at(remaining) + target_y) / 2
        parts.append(
            f'<rect class="waterfall-shortfall" x="{x:.1f}" y="{y_at(remaining):.1f}" '
            f'width="{WATERFALL_BAR_WIDTH}" height="{target_y - y_at(remaining):.1f}" '
            f'fill="url(#{hatch})" stroke="{ALERT_COLOUR}" stroke-width="2">'
            f"<title>{escape(tooltip)}</title></rect>"
            f'<text x="{x + WATERFALL_BAR_WIDTH + 8:.1f}" y="{label_y - 3:.1f}" font-size="13" '
            f'font-weight="bold" fill="{ALERT_COLOUR}">{escape(_("Shortfall"))}</text>'
            f'<text x="{x + WATERFALL_BAR_WIDTH + 8:.1f}" y="{label_y + 12:.1f}" font-size="12" '
            f'fill="{ALERT_COLOUR}">{_number(shortfall)}</text>'
        )
    parts.append(
        f'<line class="waterfall-target" x1="{WATERFALL_LEFT}" y1="{target_y:.1f}" '
        f'x2="{WATERFALL_LEFT + plot_width:.1f}" y2="{target_y:.1f}" stroke="{TARGET_COLOUR}" '
        f'stroke-width="2" stroke-dasharray="{TARGET_DASH}"/>'
        f'<text x="{WATERFALL_LEFT - 8}" y="{target_y - 3:.1f}" text-anchor="end" font-size="13" '
        f'fill="{TARGET_COLOUR}">{escape(_("Mission target"))}</text>'
        f'<text x="{WATERFALL_LEFT - 8}" y="{target_y + 12:.1f}" text-anchor="end" '
        f'font-size="12" fill="{TARGET_COLOUR}">{_number(target_emissions)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def abatement_curve_svg(curve: list[tuple[str, float, float]]) -> str:
    """``curve``: (action, reduction tCO2e/yr, cost €/tCO2e), cheapest tonne first, as
    :func:`cityzero.ghg.contract.abatement_curve` returns it.

    Each action is a bar as wide as its reduction and as tall as its cost per tonne; savings
    (negative costs) hang below the zero line. Actions without a reduction are left out.
    """
    bars = [(name, width, cost) for name, width, cost in curve if width > 0]
    if not bars:
        return ""
    total = sum(width for _name, width, _cost in bars)
    x_axis = Axis.spanning(total)
    y_axis = Axis.spanning(max(cost for *_rest, cost in bars), min(cost for *_rest, cost in bars))
    plot_width = MACC_WIDTH - MACC_LEFT - MACC_RIGHT
    bottom = MACC_TOP + MACC_PLOT_HEIGHT

    def x_at(value: float) -> float:
        return MACC_LEFT + plot_width * value / total  # the curve fills the plot

    def y_at(value: float) -> float:
        return bottom - MACC_PLOT_HEIGHT * (value - y_axis.low) / (y_axis.high - y_axis.low)

    parts = [
        value_gridlines(
            y_axis, y_at, left=MACC_LEFT, right=MACC_LEFT + plot_width, css_class="macc-grid"
        )
    ]
    for value in (tick for tick in x_axis.ticks() if tick <= total * (1 + 1e-9)):
        parts.append(
            f'<line x1="{x_at(value):.1f}" y1="{bottom}" x2="{x_at(value):.1f}" '
            f'y2="{bottom + 5}" stroke="{TEXT_COLOUR}"/>'
            f'<text x="{x_at(value):.1f}" y="{bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="{TEXT_COLOUR}">{x_axis.label(value)}</text>'
        )
    parts.append(
        f'<text x="{MACC_LEFT + plot_width / 2:.1f}" y="{bottom + 40}" text-anchor="middle" '
        f'font-size="12" fill="{TEXT_COLOUR}">'
        f"{escape(_('Reduction, added up from the cheapest action (t CO2e/yr)'))}</text>"
        f'<text x="16" y="{MACC_TOP + MACC_PLOT_HEIGHT / 2:.1f}" text-anchor="middle" '
        f'font-size="12" fill="{TEXT_COLOUR}" '
        f'transform="rotate(-90 16 {MACC_TOP + MACC_PLOT_HEIGHT / 2:.1f})">'
        f"{escape(_('€/t CO2e'))}</text>"
    )
    legend: list[str] = []
    cumulative = 0.0
    for name, width, cost in bars:
        x, right = x_at(cumulative), x_at(cumulative + width)
        cumulative += width
        top, base = sorted((y_at(cost), y_at(0.0)))
        tooltip = _("%(name)s: %(width)s t CO2e/yr at %(cost)s €/t CO2e") % {
            "name": name,
            "width": _number(width),
            "cost": _number(cost),
        }
        colour = SINK_COLOUR if cost < 0 else BAR_COLOUR
        parts.append(
            f'<rect class="macc-bar" x="{x:.1f}" y="{top:.1f}" width="{right - x:.1f}" '
            f'height="{base - top:.1f}" fill="{colour}" stroke="#ffffff">'
            f"<title>{escape(tooltip)}</title></rect>"
        )
        fits = right - x >= max(MACC_MIN_LABEL_WIDTH, MACC_CHAR_WIDTH * len(name))
        if not fits:
            legend.append(name)
        label = name if fits else str(len(legend))
        # above the bar, or above the zero line for savings: bars left of a saving save too
        parts.append(
            f'<text class="macc-label" x="{(x + right) / 2:.1f}" y="{top - 4:.1f}" '
            f'text-anchor="middle" font-size="11" fill="{TEXT_COLOUR}">{escape(label)}</text>'
        )
    parts.append(
        f'<line class="macc-zero" x1="{MACC_LEFT}" y1="{y_at(0.0):.1f}" '
        f'x2="{MACC_LEFT + plot_width}" y2="{y_at(0.0):.1f}" stroke="{TEXT_COLOUR}"/>'
    )
    for number, name in enumerate(legend, start=1):
        parts.append(
            f'<text class="macc-legend" x="{MACC_LEFT}" '
            f'y="{bottom + 66 + (number - 1) * MACC_LEGEND_ROW}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{number}. {escape(name)}</text>'
        )
    height = bottom + 52 + MACC_LEGEND_ROW * len(legend)
    title = _("Cost of each action per tonne (marginal abatement cost curve)")
    return svg_open(MACC_WIDTH, height, "macc-chart-title", title) + "".join(parts) + "</svg>"
