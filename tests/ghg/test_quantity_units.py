"""quantity_factor: converting an indicator value into the indicator's unit, or refusing to."""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityzero.ghg.units import UnitError, measure_of, quantity_factor


@pytest.mark.parametrize(
    ("given_unit", "unit"),
    [
        ("homes", "homes"),
        ("Homes", "homes"),
        ("  homes ", "homes"),
        ("t  CO2e", "t CO2e"),
        ("T co2e", "t CO2e"),
        ("EV charging points", "ev  charging   points"),
        ("cars per 1000 residents", "cars per 1000 residents"),  # numbers are fine when the same
        ("homes/yr", "homes per yr"),  # the same amount per the same thing
    ],
)
def test_the_same_unit_however_typed_is_one(given_unit, unit):
    assert quantity_factor(given_unit, unit) == 1.0


@pytest.mark.parametrize(
    ("given_unit", "unit", "factor"),
    [
        ("kt CO2e", "t CO2e", 1000),
        ("t CO2e", "kt CO2e", 0.001),
        ("kg CO2e", "t CO2e", 0.001),
        ("Mt CO2e", "kt CO2e", 1000),
        ("tonnes CO2e", "t CO2e", 1),
        ("GWh", "MWh", 1000),
        ("kWh", "MWh", 0.001),
        ("TJ", "GJ", 1000),
        ("MWh", "GJ", 3.6),
        ("km", "m", 1000),
        ("km²", "m^2", 1_000_000),
        ("percent", "%", 1),
        ("kg CO2e/capita", "t CO2e per capita", 0.001),
        ("t CO2e / capita", "t CO2e per capita", 1),
        ("GWh/yr", "MWh / yr", 1000),
    ],
)
def test_units_of_the_same_measure_convert(given_unit, unit, factor):
    assert quantity_factor(given_unit, unit) == pytest.approx(factor)


@pytest.mark.parametrize(
    ("given_unit", "unit"),
    [
        ("MWh", "t CO2e"),  # energy is not a mass of gas
        ("t CO2e", "MWh"),
        ("t CO2e", "t"),  # a mass of gas is not a plain mass
        ("homes", "%"),
        ("%", "homes"),
        ("t CO2", "t CO2e"),  # a different gas
        ("t CH4", "t CO2e"),
        ("t CO2e per capita", "t CO2e"),  # per capita is not an amount
        ("t CO2e", "t CO2e/capita"),
        ("t CO2e/capita", "t CO2e/household"),
        ("km", "km of cycle lanes"),
        ("degC", "K"),  # offsets, not multiples: no factor converts them
        ("degC", "degF"),
        ("foo bar", "baz"),
        ("(", "t"),
        ("t**", "t"),
        ("-", "%"),
        ("1000 MWh", "MWh"),  # a number is not a unit
        ("kWh/m²", "MWh/m^2"),  # "per" parts must read the same
    ],
)
def test_units_that_measure_different_things_are_refused(given_unit, unit):
    with pytest.raises(UnitError, match="cannot convert"):
        quantity_factor(given_unit, unit)


@pytest.mark.parametrize(
    ("given_unit", "unit"),
    [("", "t CO2e"), ("t CO2e", ""), ("", ""), ("   ", "%"), ("%", ""), ("/capita", "t/capita")],
)
def test_an_empty_unit_is_refused(given_unit, unit):
    with pytest.raises(UnitError, match="give the unit"):
        quantity_factor(given_unit, unit)


@pytest.mark.parametrize("unit", ["9**9**9", "m**9**9**9", "9⁹⁹⁹⁹⁹⁹⁹", "m**(99**99**99)",
                                  "(9)**(9)**(9)", "x" * 5000])  # fmt: skip
def test_units_that_would_make_pint_compute_huge_numbers_are_refused_at_once(unit):
    started = time.monotonic()
    with pytest.raises(UnitError):
        quantity_factor(unit, "MWh")
    with pytest.raises(UnitError):  # an inventory row's unit goes through the same guard
        measure_of(unit)
    assert time.monotonic() - started < 1


unit_text = st.lists(
    st.sampled_from([*"tkgMWhJ CO2e/*()^-+.0123456789%[]{}_,;:'\"\\#@!<>=|&~`$⁹²",
                     " per ", "**", "kt", "capita", "1e400", "inf", "nan", "degC"]),
    max_size=8,
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(unit_text, unit_text)
def test_any_text_gives_a_positive_factor_or_a_unit_error(given_unit, unit):
    try:
        factor = quantity_factor(given_unit, unit)
    except UnitError:
        return
    assert 0 < factor < float("inf")
