import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityzero.ghg.carriers import get_carrier
from cityzero.ghg.gases import Gas
from cityzero.ghg.units import UnitError, convert, measure_of, parse_ef_unit, parse_gas_mass


def test_ten_thousand_litres_of_diesel_go_through_density_and_ncv():
    # 10,000 l × 0.84 kg/l = 8.4 t; 8.4 t × 43.0 GJ/t = 361.2 GJ = 100.333… MWh
    diesel = get_carrier("diesel")
    assert convert(10_000, "l", "t", diesel) == pytest.approx(8.4)
    assert convert(10_000, "l", "GJ", diesel) == pytest.approx(361.2)
    assert convert(10_000, "l", "MWh", diesel) == pytest.approx(361.2 / 3.6)


@pytest.mark.parametrize(
    ("value", "unit", "to", "expected"),
    [
        (1, "GWh", "MWh", 1000),
        (1, "MWh", "GJ", 3.6),
        (1, "TJ", "GJ", 1000),
        (1, "toe", "GJ", 41.868),
        (1000, "kWh", "MWh", 1),
    ],
)
def test_energy_units_convert(value, unit, to, expected):
    assert convert(value, unit, to, get_carrier("electricity")) == pytest.approx(expected)


def test_natural_gas_by_volume_uses_the_typical_density():
    # 1,000 m³ × 0.8 kg/m³ = 0.8 t × 48.0 GJ/t = 38.4 GJ
    assert convert(1000, "m3", "GJ", get_carrier("natural_gas")) == pytest.approx(38.4)


def test_electricity_cannot_be_measured_in_litres():
    with pytest.raises(UnitError, match="'l' cannot measure Grid electricity; use kWh"):
        convert(1, "l", "MWh", get_carrier("electricity"))


def test_coal_has_no_density_so_no_volume():
    with pytest.raises(UnitError, match="cannot measure Lignite"):
        convert(1, "m3", "t", get_carrier("lignite"))


def test_unknown_unit_is_refused():
    with pytest.raises(UnitError, match="not a unit"):
        measure_of("barrels of fun")


def test_kt_means_kilotonnes_not_knots():
    assert parse_gas_mass("kt CO2") == (1000.0, Gas.CO2)


def test_ef_unit_is_split_into_mass_gas_and_activity():
    assert parse_ef_unit("kg CO2e/vkm") == (0.001, Gas.CO2E, "vkm")


_CHAIN_UNITS = ["l", "m3", "kg", "t", "kWh", "MWh", "GWh", "GJ", "TJ", "toe"]


@settings(max_examples=100, deadline=None)
@given(
    value=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False),
    carrier=st.sampled_from(
        ["diesel", "motor_gasoline", "lpg", "natural_gas", "biodiesel", "jet_kerosene"]
    ),
    a=st.sampled_from(_CHAIN_UNITS),
    b=st.sampled_from(_CHAIN_UNITS),
)
def test_unit_conversions_round_trip(value, carrier, a, b):
    c = get_carrier(carrier)
    assert convert(convert(value, a, b, c), b, a, c) == pytest.approx(value, rel=1e-9)
