"""A city's support needs profile as an inline SVG: one bar per capacity area on the 1–4 scale.

Weak areas are drawn in the alert colour *and* say "low" after their score, so colour is never
the only cue; an area without scores says "not assessed" and has no bar. Pages show the same
results as a table next to it.
"""

from django.utils.html import escape
from django.utils.translation import gettext as _

from cityzero.cities.needs import HIGHEST, AreaResult
from cityzero.core.charts import (
    ALERT_COLOUR,
    BAR_COLOUR,
    BAR_WIDTH,
    GRID_COLOUR,
    LABEL_WIDTH,
    ROW_HEIGHT,
    TEXT_COLOUR,
    WIDTH,
    svg_open,
)

AXIS_HEIGHT = 26


def needs_profile_svg(results: list[AreaResult], *, title: str, chart_id: str) -> str:
    scale = BAR_WIDTH / HIGHEST
    plot_bottom = 5 + ROW_HEIGHT * len(results)
    parts = [svg_open(WIDTH, plot_bottom + AXIS_HEIGHT, chart_id, title)]
    for level in range(1, HIGHEST + 1):
        x = LABEL_WIDTH + level * scale
        parts.append(
            f'<line class="needs-grid" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{plot_bottom}" '
            f'stroke="{GRID_COLOUR}"/><text x="{x:.1f}" y="{plot_bottom + 18}" '
            f'text-anchor="middle" font-size="12" fill="{TEXT_COLOUR}">{level}</text>'
        )
    for index, result in enumerate(results):
        y = 5 + index * ROW_HEIGHT
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 20}" text-anchor="end" font-size="14" '
            f'fill="{TEXT_COLOUR}">{escape(result.area.name)}</text>'
        )
        if result.score is None:
            words, end = _("not assessed"), LABEL_WIDTH
        else:
            end = LABEL_WIDTH + float(result.score) * scale
            colour = ALERT_COLOUR if result.is_weak else BAR_COLOUR
            parts.append(
                f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{end - LABEL_WIDTH:.1f}" '
                f'height="{ROW_HEIGHT - 10}" fill="{colour}"/>'
            )
            words = _("%(score)s of %(high)s") % {"score": result.score, "high": HIGHEST}
            if result.is_weak:
                words = _("%(score)s · low") % {"score": words}
        parts.append(
            f'<text x="{end + 6:.1f}" y="{y + 20}" font-size="14" '
            f'fill="{TEXT_COLOUR}">{escape(words)}</text>'
        )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{plot_bottom}" '
        f'stroke="{TEXT_COLOUR}"/></svg>'
    )
    return "".join(parts)
