"""A horizontal bar chart of emissions by sector, as inline SVG (same on the page and in PDFs)."""

from django.utils.html import escape
from django.utils.translation import gettext as _

BAR_COLOUR = "#1f5fa8"
SINK_COLOUR = "#1b7f3b"
ROW_HEIGHT = 34
LABEL_WIDTH = 210
BAR_WIDTH = 360
WIDTH = LABEL_WIDTH + BAR_WIDTH + 120


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
