"""Inventories stored in the database and summarised through the pure core."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cityzero.inventories import selectors, services
from cityzero.inventories.models import Exclusion, InventoryRow, NationalFactor
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = ("gpc_ref", "description", "carrier", "quantity", "unit", "emission_factor", "ef_unit",
           "gas", "notation_key", "explanation", "source")  # fmt: skip


def record(**cells: str) -> dict[str, str]:
    return {name: cells.get(name, "") for name in COLUMNS}


GAS_HEATING = record(gpc_ref="I.1.1", description="Gas boilers", carrier="natural_gas",
                     quantity="1000", unit="MWh", source="Utility")  # fmt: skip
GRID_POWER = record(gpc_ref="I.1.2", carrier="electricity", quantity="2000", unit="MWh")
NOT_OCCURRING = record(gpc_ref="I.8.1", notation_key="NO", explanation="No oil or gas fields")


@pytest.fixture
def inventory(city):
    return services.create_inventory(city, 2022, gwp_set="AR6", by=UserFactory())


def test_natural_gas_gives_202_tonnes(inventory):
    services.replace_rows(inventory, [GAS_HEATING, NOT_OCCURRING], by=UserFactory())
    summary = selectors.inventory_summary(inventory)
    assert (summary["errors"], summary["total_tco2e"], summary["by_scope"]) == (
        [],
        202.0,
        {"1": 202.0},
    )


def test_national_grid_factor_is_used_for_electricity(inventory, city):
    NationalFactor.objects.create(
        country=city.country, carrier="electricity", gas="CO2e", value=Decimal("0.35"),
        unit="t CO2e/MWh", year=2022, source="Test national factor",
    )  # fmt: skip
    services.replace_rows(inventory, [GAS_HEATING, GRID_POWER], by=UserFactory())
    summary = selectors.inventory_summary(inventory)
    assert (summary["total_tco2e"], summary["by_scope"]) == (902.0, {"1": 202.0, "2": 700.0})


def test_missing_factor_is_reported_not_guessed(inventory):
    services.replace_rows(inventory, [GRID_POWER], by=UserFactory())
    summary = selectors.inventory_summary(inventory)
    assert "total_tco2e" not in summary and "electricity" in summary["errors"][0]


def test_an_exclusion_lowers_only_the_mission_scope(inventory):
    services.replace_rows(inventory, [GAS_HEATING], by=UserFactory())
    Exclusion.objects.create(inventory=inventory, kind="eu_ets", gpc_ref="I.1.1", reason="ETS")
    summary = selectors.inventory_summary(inventory)
    assert (summary["basic_tco2e"], summary["mission_scope_tco2e"]) == (202.0, 0.0)


def test_summary_follows_new_rows(inventory):
    services.replace_rows(inventory, [GAS_HEATING], by=UserFactory())
    assert selectors.inventory_summary(inventory)["total_tco2e"] == 202.0
    doubled = record(**{**GAS_HEATING, "quantity": "2000"})
    inventory = services.replace_rows(inventory, [doubled], by=UserFactory())
    assert selectors.inventory_summary(inventory)["total_tco2e"] == 404.0


def test_exact_decimals_are_kept(inventory):
    services.replace_rows(
        inventory, [record(**{**GAS_HEATING, "quantity": "1234.567891"})], by=None
    )
    assert selectors.row_records(inventory)[0]["quantity"] == "1234.567891"


def test_copy_starts_a_draft_with_the_same_rows(inventory):
    services.replace_rows(inventory, [GAS_HEATING, NOT_OCCURRING], by=None)
    copy = services.copy_inventory(inventory, 2023, by=UserFactory())
    assert (copy.year, copy.status, selectors.row_records(copy)) == (
        2023,
        "draft",
        selectors.row_records(inventory),
    )


def test_a_second_inventory_for_the_same_year_is_refused(inventory, city):
    with pytest.raises(ValidationError, match="already has an inventory for 2022"):
        services.create_inventory(city, 2022, gwp_set="AR6", by=None)


@pytest.mark.parametrize("year", [1989, 2101])
def test_years_out_of_range_are_refused(city, year):
    with pytest.raises(ValidationError):
        services.create_inventory(city, year, gwp_set="AR6", by=None)


def test_a_final_inventory_cannot_change(inventory):
    services.replace_rows(inventory, [GAS_HEATING], by=None)
    final = services.finalise_inventory(inventory, by=None)
    with pytest.raises(ValidationError, match="final"):
        services.replace_rows(final, [], by=None)
    assert InventoryRow.objects.filter(inventory=inventory).count() == 1
