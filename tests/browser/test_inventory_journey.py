"""An editor brings a GHG inventory in from a file: errors first, then the fixed file, then out again.

The issue's journey "import a file with errors, see them, fix, import, export, compare" in a real
browser, with the row editor's live totals on the way.
Run with `pytest tests/browser -p no:xdist`; see conftest.py for the browser set-up.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cityzero.inventories import interchange
from cityzero.inventories.models import InventoryRow
from cityzero.inventories.services import create_inventory, replace_rows
from tests.browser.conftest import sign_in
from tests.browser.test_journeys import assert_no_axe_violations
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING, record

pytestmark = pytest.mark.browser

INVENTORY_PAGE = re.compile(r"/cities/aachen/inventories/2022/$")

# Row 2: a quantity in words; row 3: a GPC reference that does not exist; row 4 is right.
FILE_WITH_ERRORS = interchange.write_csv(
    [
        {**GAS_HEATING, "quantity": "ten"},
        record(gpc_ref="I.9.9", carrier="natural_gas", quantity="5", unit="MWh"),
        NOT_OCCURRING,
    ]
)
FIXED_FILE = interchange.write_csv([GAS_HEATING, NOT_OCCURRING])


def upload(page: Page, data: bytes) -> None:
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "rows.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Check and import").click()


def test_an_editor_imports_a_file_with_errors_fixes_it_imports_it_exports_it_and_compares(
    page: Page, city, other_city, make_person
):
    valencia = create_inventory(other_city, 2019, gwp_set="AR6", by=None, visibility="public")
    # 1,000,000 MWh of gas × 0.202 t CO2/MWh = 202,000 t CO2e, 0.81 t per inhabitant (250,000).
    replace_rows(valencia, [{**GAS_HEATING, "quantity": "1000000"}], by=None)
    # 1. From the city page to a new, empty 2022 inventory, the form filled in with the keyboard.
    sign_in(page, make_person("editor"), next_url="/cities/aachen/")
    expect(page).to_have_url(re.compile(r"/cities/aachen/$"))
    page.get_by_role("link", name="GHG inventories").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GHG inventories of Aachen")
    expect(page.get_by_text("This city has no inventory you may read yet.")).to_be_visible()

    year = page.get_by_label("Year")
    year.focus()
    page.keyboard.type("2022")
    page.keyboard.press("Enter")  # submits the form; the other fields keep their defaults
    expect(page).to_have_url(INVENTORY_PAGE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aachen: GHG inventory 2022")
    expect(page.get_by_role("status")).to_contain_text("Inventory 2022 created.")

    # 2. A file with two bad rows: every error is shown, by row and column, and nothing is saved.
    page.get_by_role("link", name="Import a file to replace the rows").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import rows: Aachen 2022")
    upload(page, FILE_WITH_ERRORS)
    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("The file has 2 errors. Nothing was imported")
    expect(errors.get_by_role("listitem")).to_have_text(
        [
            re.compile(r"^Row 2, column quantity: 'ten' is not a number"),
            re.compile(r"^Row 3, column gpc_ref: .*I\.9\.9"),
        ]
    )
    assert not InventoryRow.objects.filter(inventory__city=city).exists()
    assert_no_axe_violations(page)

    # 3. The fixed file goes in; the inventory page computes from it.
    upload(page, FIXED_FILE)
    expect(page).to_have_url(INVENTORY_PAGE)
    expect(page.get_by_role("status")).to_contain_text("Imported.")
    expect(page.get_by_role("main")).to_contain_text("2 rows")
    totals = page.get_by_role("table", name="The same inventory under three boundaries")
    expect(totals.get_by_role("row", name=re.compile(r"^All reported emissions"))).to_contain_text(
        "202"
    )
    expect(
        totals.get_by_role("row", name=re.compile(r"^Mission scope \(2030 target\)"))
    ).to_contain_text("202")
    matrix = page.get_by_role("table", name="Emissions by sector and scope (t CO2e)")
    expect(matrix.get_by_role("row", name=re.compile(r"^I Stationary"))).to_contain_text("202")
    expect(page.get_by_role("heading", name="Checks")).to_be_visible()
    checks = page.locator("h2:has-text('Checks') + *")
    expect(checks).to_be_visible()
    expect(checks).not_to_be_empty()
    assert_no_axe_violations(page)

    # 4. The CSV download gives back exactly the rows that went in.
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "aachen-2022.csv"
    exported = interchange.read_csv(Path(download.path()).read_bytes())
    assert exported.errors == []
    assert exported.records == interchange.read_csv(FIXED_FILE).records

    # 5. The row editor sums the rows as they are typed, before anything is saved.
    page.goto("/cities/aachen/inventories/2022/")
    page.get_by_role("link", name="Edit the rows").click()
    live = page.locator("#live-totals")
    expect(live).to_contain_text("As last saved:")
    quantity = page.get_by_label("Quantity, line 1")
    quantity.fill("2000")
    quantity.press("Tab")  # "change" fires; htmx asks for the preview
    expect(live).to_contain_text("With your changes, not yet saved:")
    expect(live).to_contain_text("404 t CO2e")
    page.get_by_label("GPC reference, line 1").fill("IX.9")
    page.get_by_label("GPC reference, line 1").press("Tab")
    expect(live).to_contain_text("1 problem to fix")
    assert InventoryRow.objects.get(inventory__city=city, gpc_ref="I.1.1").quantity == 1000
    page.get_by_label("GPC reference, line 1").fill("I.1.1")
    page.get_by_role("button", name="Check and save").click()
    expect(page).to_have_url(INVENTORY_PAGE)
    expect(page.get_by_role("status")).to_contain_text("Rows saved.")

    # 6. Side by side with another city, per inhabitant (both have 250,000 inhabitants).
    page.get_by_role("link", name="Inventories of Aachen").click()
    page.get_by_role("link", name="Compare with other cities").click()
    expect(page.get_by_label("Aachen")).to_be_checked()
    page.get_by_label("Valencia").check()
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name="Emissions per inhabitant (t CO2e)")
    expect(table.get_by_role("row")).to_have_count(3)
    # Aachen: 404 t CO2e / 250,000 inhabitants = 0.0016, shown as 0.00.
    # Cells: year, total, I Stationary energy, mission scope.
    aachen = table.get_by_role("row", name=re.compile(r"^Aachen")).get_by_role("cell")
    expect(aachen).to_have_text(["2022", "0.00", "0.00", "0.00"])
    valencia = table.get_by_role("row", name=re.compile(r"^Valencia")).get_by_role("cell")
    expect(valencia).to_have_text(["2019", "0.81", "0.81", "0.81"])
    assert_no_axe_violations(page)
