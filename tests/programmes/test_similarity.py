"""Twin suggestions ranked by likeness of challenges, checked by hand."""

import math

import pytest

from cityzero.programmes.similarity import (
    Profile,
    climate_likeness,
    jaccard,
    latitude_band,
    similarity,
    size_likeness,
    suggest,
)

PILOT = Profile(
    1, "Valencia", frozenset({"energy", "buildings"}), frozenset({"technology", "finance"}),
    frozenset({"financial", "capacity"}), 800_000, 39.47,
)  # fmt: skip
ALICANTE = Profile(
    2, "Alicante", frozenset({"energy", "buildings"}), frozenset({"technology"}),
    frozenset({"financial"}), 350_000, 38.3,
)  # fmt: skip
BERGEN = Profile(
    3, "Bergen", frozenset({"energy"}), frozenset({"technology", "finance"}),
    frozenset({"financial", "capacity"}), 800_000, 60.4,
)  # fmt: skip
CORDOBA = Profile(4, "Cordoba", frozenset({"mobility"}), latitude=37.9)
CADIZ = Profile(5, "Cadiz", frozenset({"mobility"}), latitude=36.5)
FARO = Profile(6, "Faro", frozenset({"energy"}), latitude=42.0)


def test_alicante_by_hand():
    # fields 2/2 × 35 = 35; levers 1/2 × 25 = 12.5; barriers 1/2 × 20 = 10;
    # size 10 × (1 − log10(800,000 / 350,000)) = 6.41; climate: both 35–40° = 10.
    found = similarity(PILOT, ALICANTE)
    size = 10 * (1 - math.log10(800_000 / 350_000))
    assert [round(r.points, 4) for r in found.reasons] == [35, 12.5, 10, round(size, 4), 10]
    assert found.score == pytest.approx(67.5 + size)
    assert found.reasons[0].shared == ("buildings", "energy")
    assert found.reasons[3].values == (800_000, 350_000)
    assert found.reasons[4].values == (35, 35)


def test_the_ranking_by_hand():
    ranked = suggest(PILOT, [CORDOBA, BERGEN, PILOT, FARO, ALICANTE, CADIZ])
    # Alicante 73.91; Bergen 17.5 + 25 + 20 + 10 + 0 = 72.5; Faro 17.5 + 5 (next band) = 22.5;
    # Cadiz and Cordoba 0 + 10 (same band) = 10 each, by name. The pilot is never its own twin.
    assert [(s.profile.name, round(s.score, 2)) for s in ranked] == [
        ("Alicante", 73.91), ("Bergen", 72.5), ("Faro", 22.5), ("Cadiz", 10.0), ("Cordoba", 10.0),
    ]  # fmt: skip


def test_the_limit_keeps_the_best():
    assert [s.profile.name for s in suggest(PILOT, [CORDOBA, BERGEN, ALICANTE], limit=2)] == [
        "Alicante", "Bergen",
    ]  # fmt: skip


def test_what_is_not_known_gives_no_points_and_says_so():
    found = similarity(PILOT, CORDOBA)
    known = {r.aspect: r.known for r in found.reasons}
    assert known == {"fields": True, "levers": False, "barriers": False, "size": False,
                     "climate": True}  # fmt: skip
    assert found.reasons[0].points == 0 and found.reasons[0].shared == ()


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [(100_000, 100_000, 1.0), (100_000, 1_000_000, 0.0), (100_000, 5_000_000, 0.0),
     (1_000_000, 100_000, 0.0)],
)  # fmt: skip
def test_size_likeness_is_1_for_equals_and_0_from_tenfold(first, second, expected):
    assert size_likeness(first, second) == pytest.approx(expected)


def test_a_threefold_size_difference_is_about_half_alike():
    assert size_likeness(300_000, 100_000) == pytest.approx(1 - math.log10(3))


@pytest.mark.parametrize(
    ("latitude", "band"), [(52.4, 50), (50.0, 50), (49.99, 45), (-33.9, -35), (0.0, 0)]
)
def test_latitude_bands_are_5_degrees(latitude, band):
    assert latitude_band(latitude) == band


@pytest.mark.parametrize(
    ("first", "second", "expected"), [(51.0, 54.9, 1.0), (51.0, 55.0, 0.5), (51.0, 61.0, 0.0)]
)
def test_climate_likeness_by_band(first, second, expected):
    assert climate_likeness(first, second) == expected


def test_jaccard_of_two_empty_sets_is_0():
    assert jaccard(frozenset(), frozenset()) == 0
