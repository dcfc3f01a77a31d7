"""Sentences the pages show: eligibility rules and verdicts, twin-matching reasons, deadlines.

The pure modules (``eligibility``, ``similarity``) return English templates or codes; here they
are translated and filled in.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityzero.cities.models import BarrierTypology
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.programmes import eligibility, similarity
from cityzero.programmes.models import Call, EligibilityRule


@dataclass(frozen=True)
class Line:
    outcome: str  # an eligibility.Outcome value
    text: str


def _filled(template: str, params: Mapping[str, Any]) -> str:
    return _(template) % params


def rules_of(rules: Iterable[EligibilityRule]) -> list[str]:
    """What each rule asks, e.g. “At least 50,000 inhabitants”."""
    return [_filled(*eligibility.describe(rule.rule)) for rule in rules]


def verdict_lines(records: Iterable[Mapping[str, Any]]) -> list[Line]:
    """Verdicts as stored on an application (``services._verdict_record``)."""
    return [Line(r["outcome"], _filled(r["template"], r["params"])) for r in records]


def live_lines(verdicts: Iterable[eligibility.Verdict]) -> list[Line]:
    return [Line(v.outcome.value, _filled(v.template, v.params)) for v in verdicts]


def deadline(call: Call) -> str:
    """“31 January 2022, 23:59 (Europe/Brussels time)”: the last minute a submission is taken."""
    return _("%(day)s, 23:59 (%(zone)s time)") % {
        "day": date_format(call.closes_on, "j F Y"),
        "zone": settings.TIME_ZONE,
    }


_LABELS = {
    "fields": dict(FieldOfAction.choices),
    "levers": dict(SystemicLever.choices),
    "barriers": dict(BarrierTypology.choices),
}


def _names(aspect: str, codes: Iterable[str]) -> str:
    return ", ".join(str(_LABELS[aspect].get(code, code)) for code in codes)


def reason_text(reason: similarity.Reason) -> str:
    """One aspect of a twin's likeness, in words, with the points it gives."""
    points = f"{reason.points:.1f}"
    if not reason.known:
        return {
            "fields": _("Fields of action: not known for one of the two (0 points)."),
            "levers": _("Levers: not known for one of the two (0 points)."),
            "barriers": _("Barriers: not known for one of the two (0 points)."),
            "size": _("Size: a population is not known (0 points)."),
            "climate": _("Climate: a latitude is not known (0 points)."),
        }[reason.aspect]
    if reason.aspect in _LABELS:
        heading = {
            "fields": _("Fields of action"),
            "levers": _("Levers"),
            "barriers": _("Barriers"),
        }[reason.aspect]
        if not reason.shared:
            return _("%(aspect)s: none shared (0 points).") % {"aspect": heading}
        return _("%(aspect)s shared: %(names)s (%(points)s points).") % {
            "aspect": heading,
            "names": _names(reason.aspect, reason.shared),
            "points": points,
        }
    if reason.aspect == "size":
        first, second = reason.values
        return _("Size: %(first)s and %(second)s inhabitants (%(points)s points).") % {
            "first": f"{first:,}",
            "second": f"{second:,}",
            "points": points,
        }
    first, second = reason.values
    return _(
        "Climate: latitude bands %(first)s–%(first_end)s° and %(second)s–%(second_end)s° "
        "(%(points)s points)."
    ) % {
        "first": first,
        "first_end": first + similarity.BAND_DEGREES,
        "second": second,
        "second_end": second + similarity.BAND_DEGREES,
        "points": points,
    }
