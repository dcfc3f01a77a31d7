"""Twin cities for a pilot activity, ranked by how alike their challenges are. Pure Python.

A city's profile holds what the platform knows of its challenges: the fields of action and the
systemic levers of its contract's actions, the typologies of the barriers in its dossier, its
population and its latitude. (No Köppen climate zone is recorded for cities; the latitude band
stands in for the climate.) The pilot's profile is the activity's own fields and levers with
its lead city's barriers, population and latitude.

Similarity is a score out of 100, the sum of five parts:

============ ====== =====================================================================
aspect       points how alike
============ ====== =====================================================================
fields       35     shared ÷ all fields of action of the two (Jaccard index)
levers       25     shared ÷ all systemic levers of the two
barriers     20     shared ÷ all barrier typologies of the two
size         10     1 − |log10(population ratio)|: equal 1, threefold ≈ 0.52, tenfold 0
climate      10     same 5° band of latitude 1, the next band 0.5, further 0
============ ====== =====================================================================

What is not known (no actions, no barriers, no population) counts as no likeness and is said
so. Ties go by the city's name, then its key, so the same data always gives the same order.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

POINTS = {"fields": 35, "levers": 25, "barriers": 20, "size": 10, "climate": 10}
BAND_DEGREES = 5


@dataclass(frozen=True)
class Profile:
    key: int
    name: str
    fields: frozenset[str] = frozenset()
    levers: frozenset[str] = frozenset()
    barriers: frozenset[str] = frozenset()
    population: int | None = None
    latitude: float | None = None


@dataclass(frozen=True)
class Reason:
    """One aspect's part of the score: ``shared`` codes for the sets, ``known`` False when one of
    the two has no data on it."""

    aspect: str
    points: float
    known: bool
    shared: tuple[str, ...] = ()
    values: tuple[float | int, ...] = ()  # the two populations, or the two latitude bands


@dataclass(frozen=True)
class Suggestion:
    profile: Profile
    score: float
    reasons: tuple[Reason, ...]


def jaccard(first: frozenset[str], second: frozenset[str]) -> Fraction:
    union = first | second
    return Fraction(len(first & second), len(union)) if union else Fraction(0)


def size_likeness(first: int, second: int) -> float:
    return max(0.0, 1 - abs(math.log10(first / second)))


def latitude_band(latitude: float) -> int:
    """The band's southern edge in degrees: 52.4 → 50 (50–55°)."""
    return math.floor(latitude / BAND_DEGREES) * BAND_DEGREES


def climate_likeness(first: float, second: float) -> float:
    apart = abs(latitude_band(first) - latitude_band(second)) // BAND_DEGREES
    return {0: 1.0, 1: 0.5}.get(apart, 0.0)


def _set_reason(aspect: str, first: frozenset[str], second: frozenset[str]) -> Reason:
    known = bool(first) and bool(second)
    points = float(POINTS[aspect] * jaccard(first, second)) if known else 0.0
    return Reason(aspect, points, known, tuple(sorted(first & second)))


def _size_reason(pilot: Profile, candidate: Profile) -> Reason:
    if not pilot.population or not candidate.population:
        return Reason("size", 0.0, False)
    points = POINTS["size"] * size_likeness(pilot.population, candidate.population)
    return Reason("size", points, True, values=(pilot.population, candidate.population))


def _climate_reason(pilot: Profile, candidate: Profile) -> Reason:
    if pilot.latitude is None or candidate.latitude is None:
        return Reason("climate", 0.0, False)
    points = POINTS["climate"] * climate_likeness(pilot.latitude, candidate.latitude)
    bands = (latitude_band(pilot.latitude), latitude_band(candidate.latitude))
    return Reason("climate", points, True, values=bands)


def similarity(pilot: Profile, candidate: Profile) -> Suggestion:
    reasons = (
        _set_reason("fields", pilot.fields, candidate.fields),
        _set_reason("levers", pilot.levers, candidate.levers),
        _set_reason("barriers", pilot.barriers, candidate.barriers),
        _size_reason(pilot, candidate),
        _climate_reason(pilot, candidate),
    )
    return Suggestion(candidate, sum(reason.points for reason in reasons), reasons)


def suggest(pilot: Profile, candidates: Iterable[Profile], limit: int = 10) -> list[Suggestion]:
    """The ``limit`` most alike candidates, most alike first (never the pilot itself)."""
    found = [similarity(pilot, c) for c in candidates if c.key != pilot.key]
    found.sort(key=lambda s: (-round(s.score, 9), s.profile.name, s.profile.key))
    return found[:limit]
