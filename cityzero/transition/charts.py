"""The Climate Transition Map as an accessible inline SVG: six phases in a cycle, their steps
around them, every phase and step a focusable link.

The same drawing serves the public map and a city's own map; a city's map colours each step by
its progress and marks it with a symbol too (a tick, a half-filled disc, a dashed ring), so that
colour is never the only cue. Pages put the same content next to it as a list or a table.
"""

import math
from collections.abc import Callable, Mapping
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cityzero.core.charts import PALETTE, TEXT_COLOUR
from cityzero.transition.models import StepStatus
from cityzero.transition.phases import PHASES, STEPS, Phase, Step

SIZE = 760
CENTRE = SIZE / 2
RING_INNER, RING_OUTER = 118, 232
RING_MIDDLE = (RING_INNER + RING_OUTER) / 2
STEP_RING = 300
STEP_RADIUS = 20
BADGE_RADIUS = 9
GAP_DEGREES = 2.5
TIP_DEGREES = 5  # how far each phase's arrow point reaches into the next
LEGEND_HEIGHT = 56
WRAP = 15  # characters per line of a phase title

PHASE_COLOURS = PALETTE[:6]  # each at least 4.5:1 against white, so white text reads on them
NOT_STARTED_COLOUR = "#6b6b6b"
STATUS_COLOURS = {
    StepStatus.DONE: "#1b7f3b",
    StepStatus.IN_PROGRESS: "#b35c00",
    StepStatus.NOT_STARTED: NOT_STARTED_COLOUR,
}


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _polar(radius: float, degrees: float) -> tuple[float, float]:
    angle = math.radians(degrees)
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _point(radius: float, degrees: float) -> str:
    x, y = _polar(radius, degrees)
    return f"{_n(x)} {_n(y)}"


def _span(index: int) -> tuple[float, float]:
    """The start and end angle of a phase; phase 1 starts at twelve o'clock, clockwise."""
    start = -90 + 60 * index
    return start + GAP_DEGREES, start + 60 - GAP_DEGREES


def _sector_path(index: int) -> str:
    """An annular sector shaped as an arrow: notched at its start, pointed at its end."""
    start, end = _span(index)
    return (
        f"M{_point(RING_OUTER, start)} "
        f"A{RING_OUTER} {RING_OUTER} 0 0 1 {_point(RING_OUTER, end)} "
        f"L{_point(RING_MIDDLE, end + TIP_DEGREES)} L{_point(RING_INNER, end)} "
        f"A{RING_INNER} {RING_INNER} 0 0 0 {_point(RING_INNER, start)} "
        f"L{_point(RING_MIDDLE, start + TIP_DEGREES)} Z"
    )


def _wrap(text: str, width: int = WRAP) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _step_angles(index: int, count: int) -> list[float]:
    start, end = _span(index)
    step = (end - start) / count
    return [start + step * (k + 0.5) for k in range(count)]


def _counts(phase: Phase, statuses: Mapping[str, str]) -> tuple[int, int]:
    done = sum(statuses.get(step.code) == StepStatus.DONE for step in phase.steps)
    going = sum(statuses.get(step.code) == StepStatus.IN_PROGRESS for step in phase.steps)
    return done, going


def _status_label(status: str) -> str:
    return str(StepStatus(status).label)


def _phase_markup(index: int, phase: Phase, url: str, statuses: Mapping[str, str] | None) -> str:
    title = str(phase.title)
    label = _("Phase %(number)s: %(title)s") % {"number": phase.number, "title": title}
    lines = _wrap(title)
    extra = ""
    if statuses is not None:
        done, _going = _counts(phase, statuses)
        progress = _("%(done)s of %(total)s done") % {"done": done, "total": len(phase.steps)}
        label = f"{label} — {progress}"
        extra = progress
    x, y = _polar(RING_MIDDLE, (sum(_span(index)) / 2))
    rows = [*lines, extra] if extra else lines
    top = y - (len(rows) * 17) / 2 + 4
    texts = [
        f'<text x="{_n(x)}" y="{_n(top)}" font-size="22" font-weight="700">{phase.number}</text>'
    ]
    for row, line in enumerate(rows, start=1):
        size = 13 if extra and row == len(rows) else 15
        texts.append(
            f'<text x="{_n(x)}" y="{_n(top + 4 + row * 17)}" font-size="{size}">{escape(line)}</text>'
        )
    return (
        f'<a href="{escape(url)}" class="tm-phase" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>"
        f'<path class="tm-shape" d="{_sector_path(index)}" fill="{PHASE_COLOURS[index]}" '
        f'stroke="#ffffff" stroke-width="2"/>'
        f'<g fill="#ffffff" text-anchor="middle" aria-hidden="true">{"".join(texts)}</g></a>'
    )


def _badge(status: str, x: float, y: float) -> str:
    """The status symbol beside a step: a tick for done, a half-filled disc for in progress."""
    colour = STATUS_COLOURS[StepStatus(status)]
    ring = (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{BADGE_RADIUS}" fill="#ffffff" '
        f'stroke="{colour}" stroke-width="2"/>'
    )
    if status == StepStatus.DONE:
        tick = f"M{_n(x - 4.5)} {_n(y)} l3 3.5 l6 -7"
        return f'{ring}<path d="{tick}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    if status == StepStatus.IN_PROGRESS:
        half = (
            f"M{_n(x)} {_n(y - BADGE_RADIUS + 2)} "
            f"A{BADGE_RADIUS - 2} {BADGE_RADIUS - 2} 0 0 0 {_n(x)} {_n(y + BADGE_RADIUS - 2)} Z"
        )
        return f'{ring}<path d="{half}" fill="{colour}"/>'
    return ""


def _step_markup(step: Step, angle: float, url: str, status: str | None) -> str:
    x, y = _polar(STEP_RING, angle)
    label = f"{step.number} {step.title}"
    fill, stroke, text_fill, extra = "#ffffff", TEXT_COLOUR, TEXT_COLOUR, ""
    if status is not None:
        label = f"{label} — {_status_label(status)}"
        stroke = STATUS_COLOURS[StepStatus(status)]
        if status == StepStatus.DONE:
            fill, text_fill = stroke, "#ffffff"
        elif status == StepStatus.NOT_STARTED:
            extra = ' stroke-dasharray="4 3"'
        badge_x, badge_y = _polar(STEP_RING + STEP_RADIUS + 2, angle + 4)
        badge = _badge(status, badge_x, badge_y)
    else:
        badge = ""
    return (
        f'<a href="{escape(url)}" class="tm-step tm-step--{escape(status or "plain")}" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f'<circle class="tm-shape" cx="{_n(x)}" cy="{_n(y)}" r="{STEP_RADIUS}" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="3"{extra}/>'
        f'<text x="{_n(x)}" y="{_n(y + 4.5)}" text-anchor="middle" font-size="13" '
        f'font-weight="600" fill="{text_fill}" aria-hidden="true">{escape(step.number)}</text>'
        f"{badge}</a>"
    )


BOLD = 'font-size="17" font-weight="700"'
REGULAR = 'font-size="14"'


def _centre_markup(lines: list[str]) -> str:
    first = CENTRE - (len(lines) - 1) * 11
    texts = "".join(
        f'<text x="{_n(CENTRE)}" y="{_n(first + row * 22)}" '
        f"{BOLD if row == 0 else REGULAR}>{escape(line)}</text>"
        for row, line in enumerate(lines)
    )
    return f'<g text-anchor="middle" fill="{TEXT_COLOUR}" aria-hidden="true">{texts}</g>'


def _legend_markup() -> str:
    items = []
    for index, status in enumerate(StepStatus.values):
        x, y = 150 + index * 200, SIZE + 22
        stroke = STATUS_COLOURS[StepStatus(status)]
        fill = stroke if status == StepStatus.DONE else "#ffffff"
        dash = ' stroke-dasharray="4 3"' if status == StepStatus.NOT_STARTED else ""
        items.append(
            f'<circle cx="{x}" cy="{y}" r="11" fill="{fill}" stroke="{stroke}" '
            f'stroke-width="3"{dash}/>{_badge(status, x + 17, y - 10)}'
            f'<text x="{x + 30}" y="{y + 5}" font-size="15">{escape(_status_label(status))}</text>'
        )
    return (
        f'<g class="tm-legend" fill="{TEXT_COLOUR}"><title>{escape(_("Legend"))}</title>'
        f"{''.join(items)}</g>"
    )


def _description(statuses: Mapping[str, str] | None, city_name: str) -> str:
    if statuses is None:
        phases = "; ".join(
            ngettext("%(phase)s (%(n)s step)", "%(phase)s (%(n)s steps)", len(p.steps))
            % {"phase": p.heading, "n": len(p.steps)}
            for p in PHASES
        )
        return _(
            "A cycle of six phases, each followed by the next and phase 6 by phase 1 again, "
            "with the steps of each phase around it: %(phases)s."
        ) % {"phases": phases}
    done = sum(status == StepStatus.DONE for status in statuses.values())
    going = sum(status == StepStatus.IN_PROGRESS for status in statuses.values())
    summary = _(
        "%(city)s's progress on the map: %(done)s of %(total)s steps done, %(going)s in progress."
    ) % {"city": city_name, "done": done, "total": len(STEPS), "going": going}
    phases = " ".join(
        _("Phase %(heading)s: %(done)s of %(total)s done, %(going)s in progress.")
        % {"heading": p.heading, "done": d, "total": len(p.steps), "going": g}
        for p in PHASES
        for d, g in [_counts(p, statuses)]
    )
    return f"{summary} {phases}"


def transition_map_svg(
    *,
    phase_url: Callable[[Phase], str],
    step_url: Callable[[Step], str],
    statuses: Mapping[str, str] | None = None,
    city_name: str = "",
    chart_id: str = "transition-map",
) -> str:
    """The map; with ``statuses`` (step code → status) it shows a city's progress."""
    height = SIZE + (LEGEND_HEIGHT if statuses is not None else 0)
    if statuses is None:
        title = _("Climate Transition Map")
        centre = [_("Climate Transition Map"), _("six phases in a cycle")]
    else:
        title = _("Climate Transition Map of %(city)s") % {"city": city_name}
        done = sum(status == StepStatus.DONE for status in statuses.values())
        centre = [city_name, _("%(done)s of %(total)s") % {"done": done, "total": len(STEPS)},
                  _("steps done")]  # fmt: skip
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="transition-map" role="group" '
        f'viewBox="0 0 {SIZE} {height}" font-family="inherit" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(_description(statuses, city_name))}</desc>'
        f'<rect width="{SIZE}" height="{height}" fill="#ffffff"/>',
        _centre_markup(centre),
    ]
    for index, phase in enumerate(PHASES):
        parts.append(_phase_markup(index, phase, phase_url(phase), statuses))
        angles = _step_angles(index, len(phase.steps))
        for step, angle in zip(phase.steps, angles, strict=True):
            status = None
            if statuses is not None:
                status = statuses.get(step.code, StepStatus.NOT_STARTED)
            parts.append(_step_markup(step, angle, step_url(step), status))
    if statuses is not None:
        parts.append(_legend_markup())
    parts.append("</svg>")
    return "".join(parts)


@lru_cache(maxsize=16)
def _public_map(language: str | None) -> str:
    return transition_map_svg(
        phase_url=lambda p: reverse("transition:phase", args=[p.code]),
        step_url=lambda s: reverse("transition:step", args=[s.phase, s.code]),
    )


def public_map_svg() -> str:
    """The map of the guide, drawn once per language."""
    return _public_map(get_language())


def city_map_svg(slug: str, city_name: str, statuses: Mapping[str, str]) -> str:
    return transition_map_svg(
        phase_url=lambda p: reverse("transition:city", args=[slug]) + f"#phase-{p.code}",
        step_url=lambda s: reverse("transition:city_step", args=[slug, s.code]),
        statuses=statuses,
        city_name=city_name,
        chart_id="city-transition-map",
    )
