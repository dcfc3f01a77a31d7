import pytest

from cityzero.ghg.checks import (
    check_base_year,
    check_basic_completeness,
    check_covid_year,
    check_double_counting,
    check_exclusions,
    check_unit_factor_mismatch,
    run_checks,
)
from cityzero.ghg.gases import AR5
from cityzero.ghg.gpc import Level, refs_at
from cityzero.ghg.inventory import LineItem, calculate
from cityzero.ghg.totals import Exclusion, ExclusionKind, totals


def calc(ipcc, *items):
    return calculate(list(items), ipcc, AR5)


def complete_basic():
    return [LineItem(r.ref, notation_key="NE", explanation="not yet") for r in refs_at(Level.BASIC)]


def codes(checks):
    return [c.code for c in checks]


def test_basic_completeness_fires_for_missing_references(ipcc):
    (check,) = check_basic_completeness(
        calc(ipcc, LineItem("I.1.1", carrier="diesel", quantity=1, unit="l"))
    )
    assert check.code == "basic_incomplete"
    assert "I.1.2" in check.refs and "I.1.1" not in check.refs


def test_basic_completeness_is_silent_when_every_reference_has_a_row(ipcc):
    assert check_basic_completeness(calc(ipcc, *complete_basic())) == []


@pytest.mark.parametrize(("year", "fires"), [(2017, True), (2018, False), (2023, False)])
def test_base_year_older_than_2018(year, fires):
    assert bool(check_base_year(year)) is fires


@pytest.mark.parametrize(
    ("year", "fires"), [(2019, False), (2020, True), (2021, True), (2022, False)]
)
def test_covid_years(year, fires):
    assert bool(check_covid_year(year)) is fires


def _with_minor_exclusion(ipcc, excluded_t):
    results = calc(
        ipcc,
        LineItem("I.1.1", quantity=1000 - excluded_t, unit="t CO2"),
        LineItem("I.6.1", quantity=excluded_t, unit="t CO2"),
    )
    return totals(
        results, [Exclusion("small boilers", ExclusionKind.MINOR, refs=frozenset({"I.6.1"}))]
    )


def test_minor_exclusions_over_5_percent_fire(ipcc):
    (check,) = check_exclusions(_with_minor_exclusion(ipcc, 60))
    assert check.code == "exclusions_over_5_percent"
    assert "6.0%" in check.message


def test_minor_exclusions_of_5_percent_are_silent(ipcc):
    assert check_exclusions(_with_minor_exclusion(ipcc, 50)) == []


def test_exclusion_matching_nothing_is_flagged(ipcc):
    t = totals(
        calc(ipcc, LineItem("I.1.1", quantity=1, unit="t CO2")),
        [Exclusion("ghost", ExclusionKind.EU_ETS, refs=frozenset({"IV.1"}))],
    )
    assert codes(check_exclusions(t)) == ["exclusion_matches_nothing"]


def test_grid_electricity_under_scope_1_is_double_counting(ipcc):
    results = calc(
        ipcc,
        LineItem(
            "I.1.1",
            carrier="electricity",
            quantity=1,
            unit="MWh",
            emission_factor=0.3,
            ef_unit="t CO2/MWh",
        ),
    )
    assert codes(check_double_counting(results)) == ["grid_energy_in_scope_1"]


def test_grid_generation_row_is_explained_as_reported_separately(ipcc):
    results = calc(ipcc, LineItem("I.4.4", quantity=1000, unit="t CO2"))
    (check,) = check_double_counting(results)
    assert (check.code, check.severity) == ("grid_generation_reported_separately", "info")


def test_double_counting_is_silent_for_grid_electricity_in_scope_2(ipcc):
    results = calc(
        ipcc,
        LineItem(
            "I.1.2",
            carrier="electricity",
            quantity=1,
            unit="MWh",
            emission_factor=0.3,
            ef_unit="t CO2/MWh",
        ),
    )
    assert check_double_counting(results) == []


def test_fuel_under_scope_2_is_a_mismatch(ipcc):
    results = calc(ipcc, LineItem("I.1.2", carrier="natural_gas", quantity=1, unit="MWh"))
    assert codes(check_unit_factor_mismatch(results, ipcc)) == ["fuel_in_scope_2"]


def test_row_factor_a_thousand_times_the_default_fires(ipcc):
    # 267 t CO2/MWh for diesel: someone wrote kg where the unit says t
    results = calc(
        ipcc,
        LineItem(
            "II.1.1",
            carrier="diesel",
            quantity=1,
            unit="MWh",
            emission_factor=267,
            ef_unit="t CO2/MWh",
        ),
    )
    assert codes(check_unit_factor_mismatch(results, ipcc)) == ["factor_far_from_default"]


def test_row_factor_close_to_the_default_in_other_units_is_silent(ipcc):
    # 2.68 kg CO2/l of diesel ≈ 0.267 t/MWh × 10.03 kWh/l
    results = calc(
        ipcc,
        LineItem(
            "II.1.1",
            carrier="diesel",
            quantity=1,
            unit="l",
            emission_factor=2.68,
            ef_unit="kg CO2/l",
        ),
    )
    assert check_unit_factor_mismatch(results, ipcc) == []


def test_run_checks_puts_errors_first(ipcc):
    results = calc(ipcc, LineItem("I.4.4", quantity=1, unit="t CO2"))
    checks = run_checks(results, totals(results), year=2020, defaults=ipcc)
    assert codes(checks) == [
        "basic_incomplete",
        "covid_year",
        "grid_generation_reported_separately",
    ]


def test_run_checks_on_a_clean_inventory_is_silent(ipcc):
    results = calc(ipcc, *complete_basic())
    assert run_checks(results, totals(results), year=2022, defaults=ipcc) == []
