"""Importing and exporting inventories through the documented layout: all or nothing."""

import pytest

from cityzero.inventories import selectors, services
from cityzero.inventories.interchange import COLUMNS, write_csv
from cityzero.inventories.models import InventoryRow
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING, record

pytestmark = pytest.mark.django_db

DIESEL = record(gpc_ref="II.1.1", description="Buses", carrier="diesel", quantity="10000", unit="l")


@pytest.fixture
def inventory(city):
    return services.create_inventory(city, 2022, gwp_set="AR6", by=None)


def csv_of(*rows) -> bytes:
    return write_csv(list(rows))


def test_a_valid_file_replaces_the_rows(inventory):
    updated = services.import_file(
        inventory, filename="rows.csv", data=csv_of(GAS_HEATING, DIESEL, NOT_OCCURRING), by=None
    )
    assert updated.version == inventory.version + 1
    summary = selectors.inventory_summary(updated)
    assert summary["total_tco2e"] == pytest.approx(202 + 26.789, abs=0.001)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_gives_an_identical_inventory(inventory, city, file_format):
    services.import_file(
        inventory, filename="a.csv", data=csv_of(GAS_HEATING, DIESEL, NOT_OCCURRING), by=None
    )
    exported = services.export_file(inventory, file_format)
    other = services.create_inventory(city, 2023, gwp_set="AR6", by=None)
    services.import_file(other, filename=f"b.{file_format}", data=exported, by=None)
    assert selectors.row_records(other) == selectors.row_records(inventory)


def test_every_error_is_reported_by_row_and_nothing_is_saved(inventory):
    services.import_file(inventory, filename="a.csv", data=csv_of(GAS_HEATING), by=None)
    bad = csv_of(
        GAS_HEATING,
        record(gpc_ref="I.9.9", carrier="natural_gas", quantity="5", unit="MWh"),
        record(gpc_ref="I.1.1", carrier="natural_gas", quantity="5", unit="litres of love"),
        record(gpc_ref="I.1.2", carrier="electricity", quantity="100", unit="MWh"),
    )
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_file(inventory, filename="b.csv", data=bad, by=None)
    messages = rejected.value.errors
    assert any(m.startswith("Row 3") and "I.9.9" in m for m in messages)
    assert any(m.startswith("Row 4") and "unit" in m for m in messages)
    assert len(messages) >= 2
    assert InventoryRow.objects.filter(inventory=inventory).count() == 1


def test_missing_columns_are_reported(inventory):
    with pytest.raises(services.ImportRejected) as rejected:
        services.import_file(
            inventory, filename="a.csv", data=b"gpc_ref,quantity\r\nI.1.1,5\r\n", by=None
        )
    assert any("unit" in message for message in rejected.value.errors)


def test_exported_cells_cannot_run_as_formulas(inventory):
    sneaky = record(**{**GAS_HEATING, "description": '=HYPERLINK("http://evil")'})
    services.import_file(inventory, filename="a.csv", data=csv_of(sneaky), by=None)
    assert b"'=HYPERLINK" in services.export_file(inventory, "csv")


def test_layout_is_the_documented_one(inventory):
    services.import_file(inventory, filename="a.csv", data=csv_of(GAS_HEATING), by=None)
    header = services.export_file(inventory, "csv").decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(COLUMNS)
