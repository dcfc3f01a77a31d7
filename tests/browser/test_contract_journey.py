"""An editor writes a Climate City Contract from a baseline until every mission rule passes.

The issue's journey: start a contract from a baseline, add actions until the gap closes and the
checklist turns green, export the PDF, and find the city, the target table and an action in it.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PDF_TIMEOUT_MS, sign_in
from tests.browser.test_journeys import assert_no_axe_violations
from tests.contracts.conftest import make_baseline
from tests.contracts.test_exports import pdf_text

pytestmark = pytest.mark.browser

OVERVIEW = re.compile(r"/cities/aachen/contract/1/$")


def open_module(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Contract modules").get_by_role("link", name=name).click()


def field(page: Page, label: str):
    """The form field with exactly this label (Django adds a colon)."""
    return page.get_by_label(re.compile(f"^{re.escape(label)}:?$"))


def fill(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        field(page, label).fill(value)


def add_action(page: Page, name: str, sector: str, tonnes: str, capex: str) -> None:
    fill(page, {"Name": name, f"Reduction, {sector} (t CO2e/yr by 2030)": tonnes,
                "Capital cost (€)": capex})  # fmt: skip
    field(page, "Field of action").select_option(label="Energy systems")
    field(page, "Systemic lever").select_option(label="Technology/infrastructure")
    field(page, "Impact pathway").select_option(label="Heat and transport without fossil fuels")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")


def test_an_editor_closes_the_gap_turns_the_checklist_green_and_exports_the_pdf(
    page: Page, city, make_person
):
    make_baseline(city)
    # 1. From the city page to a new contract on the 2022 baseline (312,000 t CO2e).
    sign_in(page, make_person("editor"), next_url="/cities/aachen/")
    page.get_by_role("link", name="Climate City Contract").click()
    field(page, "Baseline inventory").select_option(label="2022")
    page.get_by_role("button", name="Start the contract").click()
    expect(page).to_have_url(OVERVIEW)
    expect(page.get_by_role("status").last).to_contain_text("items block submission")
    table = page.get_by_role("table", name=re.compile("Target and residual emissions"))
    expect(table.get_by_role("row", name=re.compile("^Total"))).to_contain_text("312,000")

    # 2. The goal, backed by a council decision.
    open_module(page, "1–2 Introduction and goal")
    fill(page, {"Council decision (reference)": "Council decision 2023/117"})
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")

    # 3. An impact pathway, then actions that close each sector's gap (80% of its baseline).
    open_module(page, "B-1 Impact pathways")
    fill(page, {"Name": "Heat and transport without fossil fuels"})
    field(page, "Field of action").select_option(label="Energy systems")
    field(page, "Systemic lever").select_option(label="Technology/infrastructure")
    page.get_by_role("button", name="Add", exact=True).click()
    open_module(page, "B-2 Action portfolio")
    add_action(page, "District heating for the city centre", "buildings", "161600", "400000000")
    add_action(page, "Electric buses and trams", "transport", "70000", "90000000")
    page.goto("/cities/aachen/contract/1/")
    expect(page.get_by_text(re.compile(r"Transport: 10,000 t CO2e/yr short"))).to_be_visible()
    open_module(page, "B-2 Action portfolio")
    add_action(page, "Low-emission zone", "transport", "10000", "5000000")
    add_action(page, "Biowaste collection", "waste", "8000", "2000000")

    # 4. An indicator, a sink for the residual 62,400 t, and a signatory.
    open_module(page, "B-3 Indicators")
    fill(page, {"Indicator": "Homes on district heat", "Unit": "homes"})
    field(page, "Impact pathway").select_option(label="Heat and transport without fossil fuels")
    page.get_by_role("button", name="Add", exact=True).click()
    open_module(page, "B-2.3 Strategy for residual emissions")
    fill(page, {"Name": "City forest and peatland", "T CO2e per year by 2030": "62400"})
    field(page, "Kind").select_option(value="sink")
    page.get_by_role("button", name="Add", exact=True).click()
    fill(page, {"Strategy": "Restore peatland and plant the city forest."})
    page.get_by_role("button", name="Save").click()
    open_module(page, "5 Signatories and their commitments")
    fill(page, {"Institution": "City of Aachen", "Responsible person": "The Lord Mayor",
                "Individual commitment": "We commit our budget to these actions."})  # fmt: skip
    field(page, "Level").select_option(label="Local")
    page.get_by_role("button", name="Add", exact=True).click()

    # 5. Every rule that blocks submission passes.
    page.get_by_role("link", name="Overview and checklist").click()
    expect(page.get_by_text("Every item that blocks submission passes.")).to_be_visible()
    assert_no_axe_violations(page)

    # 6. The PDF holds the city, the target table and an action.
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as info:
        page.get_by_role("link", name="PDF", exact=True).click(timeout=PDF_TIMEOUT_MS)
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "Aachen" in text
    assert "Target and residual emissions" in text
    assert "District heating for the city centre" in text
