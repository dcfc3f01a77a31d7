"""A city editor marks a step of the Climate Transition Map done and sees it on the dossier; a
keyboard user walks the map's links.

Run with `pytest tests/browser -p no:xdist`; see conftest.py for the browser set-up.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_journeys import assert_no_axe_violations

pytestmark = pytest.mark.browser

CITY_MAP = re.compile(r"/cities/aachen/transition/$")
EVIDENCE = "https://example.org/aachen/ghg-inventory-2022.pdf"


def test_a_city_editor_marks_a_step_done_with_a_note_and_sees_it_on_the_dossier(
    page: Page, city, make_person
):
    # 1. From the dossier, which has nothing to report yet, to the city's own map.
    sign_in(page, make_person("editor"), next_url="/cities/aachen/")
    dossier_section = page.locator("#transition")
    expect(dossier_section).to_contain_text("The city has not reported progress on the map yet.")
    dossier_section.get_by_role("link", name="Open the Climate Transition Map of Aachen").click()
    expect(page).to_have_url(CITY_MAP)
    expect(page.get_by_role("heading", level=1)).to_have_text("Climate Transition Map of Aachen")
    city_map = page.locator("svg.transition-map")
    expect(city_map.get_by_role("link")).to_have_count(6 + 31)

    # 2. The step, picked in the drawing, reported done with a note and an evidence link.
    city_map.get_by_role("link", name="2.1 Build your baseline inventory — Not started").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "2.1 Build your baseline inventory: Aachen"
    )
    page.get_by_label("Done").check()
    page.get_by_label(re.compile(r"^Note:?$")).fill("Inventory 2022 finalised with the utility.")
    page.get_by_label(re.compile(r"^Evidence link:?$")).fill(EVIDENCE)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save progress").click()

    # 3. Back on the map: the drawing and the table say so, in words as well as colour.
    expect(page).to_have_url(re.compile(r"/cities/aachen/transition/#step-baseline-inventory$"))
    expect(page.get_by_role("status")).to_contain_text("Progress on “2.1 Build your baseline")
    expect(
        city_map.get_by_role("link", name="2.1 Build your baseline inventory — Done")
    ).to_be_visible()
    row = page.locator("#step-baseline-inventory")
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Inventory 2022 finalised with the utility.")
    expect(row.get_by_role("link", name=re.compile("^Evidence"))).to_have_attribute(
        "href", EVIDENCE
    )
    expect(page.get_by_role("paragraph").filter(has_text="1 of 31 steps done")).to_be_visible()

    # 4. The dossier counts it.
    page.get_by_role("link", name="← Aachen").click()
    expect(dossier_section).to_contain_text("1 of 31 steps done, 0 in progress.")
    expect(
        dossier_section.get_by_role("row", name=re.compile("^2 Understand the system"))
    ).to_contain_text("1")


def test_a_keyboard_user_tabs_into_the_map_and_opens_a_step(page: Page):
    page.goto("/transition/")
    # Clicking the heading puts the sequential focus start there, as a reader's click would.
    page.get_by_role("heading", level=1).click()
    page.keyboard.press("Tab")
    drawing = page.locator("svg.transition-map")
    phase = drawing.get_by_role("link", name="Phase 1: Build a strong mandate")
    expect(phase).to_be_focused()
    # The focused phase gets a thick dark outline drawn in the map itself.
    expect(phase.locator(".tm-shape")).to_have_css("stroke-width", "6px")
    page.keyboard.press("Tab")
    step = drawing.get_by_role("link", name="1.1 Secure political commitment")
    expect(step).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/transition/mandate/political-commitment/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("1.1 Secure political commitment")


def test_a_visitor_reads_the_map_as_text_and_goes_from_a_phase_to_its_steps(page: Page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Transition map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Climate Transition Map")
    page.get_by_role("link", name="Phase 3: Co-design a portfolio").last.click()
    expect(page).to_have_url(re.compile(r"/transition/portfolio/$"))
    page.get_by_role("link", name="3.2 Draw impact pathways").click()
    expect(page.get_by_role("heading", name="Guidance")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^3\.3 .* →$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3.3 Assemble a portfolio of actions")
