import pytest

from cityzero.ghg.factors import (
    EmissionFactor,
    FactorError,
    FactorKind,
    FactorSet,
    load_ipcc_defaults,
)
from cityzero.ghg.gases import Gas


def ef(value, kind, *, country="", year=None, gas=Gas.CO2, unit="t CO2/MWh", carrier="electricity"):
    return EmissionFactor(carrier, gas, value, unit, "test", year=year, kind=kind, country=country)


def test_ipcc_defaults_match_domain_values():
    fs = load_ipcc_defaults()
    values = {f.carrier: f.value for f in fs.factors}
    assert values["natural_gas"] == 0.202
    assert values["gas_diesel_oil"] == 0.267
    assert values["lignite"] == 0.364


def test_local_beats_national_beats_ipcc():
    fs = FactorSet(
        [
            ef(0.5, FactorKind.IPCC_DEFAULT),
            ef(0.4, FactorKind.NATIONAL, country="FR", year=2022),
            ef(0.1, FactorKind.LOCAL),
        ]
    )
    assert fs.resolve("electricity", country="FR", year=2022).factors[0].value == 0.1
    assert (
        FactorSet(fs.factors[:2]).resolve("electricity", country="FR", year=2022).factors[0].value
        == 0.4
    )
    assert (
        FactorSet(fs.factors[:2]).resolve("electricity", country="DE", year=2022).factors[0].value
        == 0.5
    )


def test_national_factor_of_the_inventory_year_wins_over_other_years():
    fs = FactorSet(
        [
            ef(0.4, FactorKind.NATIONAL, country="FR", year=2019),
            ef(0.3, FactorKind.NATIONAL, country="FR", year=2022),
        ]
    )
    resolved = fs.resolve("electricity", country="FR", year=2022)
    assert (resolved.factors[0].value, resolved.note) == (0.3, "")


def test_later_factor_is_used_when_no_earlier_one_exists():
    fs = FactorSet([ef(0.3, FactorKind.NATIONAL, country="FR", year=2022)])
    assert (
        fs.resolve("electricity", country="FR", year=2019).note
        == "no 2019 factor; the 2022 factor is used"
    )


def test_mixing_co2e_with_single_gases_in_one_kind_is_refused():
    with pytest.raises(FactorError, match="count twice"):
        FactorSet(
            [ef(0.3, FactorKind.LOCAL), ef(0.3, FactorKind.LOCAL, gas=Gas.CO2E, unit="t CO2e/MWh")]
        )


def test_factor_unit_gas_must_match_its_gas():
    with pytest.raises(FactorError, match="is for CH4"):
        ef(0.3, FactorKind.LOCAL, unit="t CH4/MWh")
