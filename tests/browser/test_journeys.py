"""What people do on CityZero, in a real browser: visiting, editing, being refused, colliding.

Run with `pytest tests/browser -p no:xdist`; see conftest.py for the browser set-up.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from cityzero.accounts.models import CityRole
from cityzero.accounts.services import invite_member
from cityzero.cities.models import DossierSection, MissionStatus, PublishedFigures, Visibility
from cityzero.cities.sections import SPECS
from cityzero.cities.services import SectionInput, update_section
from cityzero.contracts.services import start_contract
from cityzero.core.uploads import PDF
from cityzero.inventories.services import add_source_document, create_inventory, replace_rows
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.contracts.conftest import complete
from tests.core.test_uploads import PDF_BYTES
from tests.factories import (
    AdvisorAssignmentFactory,
    CityFactory,
    CountryFactory,
    LabelRoundFactory,
    MembershipFactory,
    UserFactory,
)
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING, record
from tests.knowledge.factories import sample_repository

pytestmark = pytest.mark.browser

VISION_EDIT = "/cities/aachen/dossier/vision/edit/"
VISION_LABEL = re.compile(r"^Vision:?$")


# --- Data ------------------------------------------------------------------------------------------


@pytest.fixture
def mission_cities(city, other_city):
    """Aachen (labelled) and three mission cities elsewhere in Europe, well apart on the map."""
    label_round = LabelRoundFactory(code="2024-03", awarded_on=date(2024, 3, 13))
    city.mission_status = MissionStatus.LABELLED
    city.label_round = label_round
    city.save()
    spain = CountryFactory(code="ES", numeric_code="724", name="Spain")
    sweden = CountryFactory(code="SE", numeric_code="752", name="Sweden")
    poland = CountryFactory(code="PL", numeric_code="616", name="Poland")
    other_city.country, other_city.latitude, other_city.longitude = spain, 39.47, -0.38
    other_city.save()
    return {
        "aachen": city,
        "valencia": other_city,
        "malmo": CityFactory(
            name="Malmö", slug="malmo", country=sweden, latitude=55.6, longitude=13.0
        ),
        "krakow": CityFactory(
            name="Kraków", slug="krakow", country=poland, latitude=50.06, longitude=19.94
        ),
    }


def write_vision(city, by, text: str = "A city that breathes.") -> None:
    section = DossierSection.objects.filter(city=city, kind="vision").first()
    update_section(
        city,
        "vision",
        data=SectionInput(visibility=Visibility.PUBLIC, narrative_md=text, ambition_md="Neutral."),
        base_version=section.version if section else 0,
        by=by,
    )


def fill_every_section(city, partner, by) -> None:
    """Every kind of dossier section, with rows, so each renders all of its parts."""
    inputs = {
        "vision": SectionInput(
            Visibility.PUBLIC,
            narrative_md="We want **clean air** and [short trips](https://example.org).",
            ambition_md="Climate-neutral by 2030.",
        ),
        "investment": SectionInput(
            Visibility.PUBLIC,
            narrative_md="Estimated with the city's utilities.",
            total_investment_eur=Decimal("5000000"),
            rows=[{"field_of_action": "energy", "amount_eur": Decimal("3000000"), "note": "PV"}],
        ),
        "capacity": SectionInput(
            Visibility.PUBLIC,
            narrative_md="Where we need help.",
            rows=[{"title": "Heat planning", "field_of_action": "buildings", "description": "x"}],
        ),
        "stakeholders": SectionInput(
            Visibility.PUBLIC,
            narrative_md="Who matters.",
            rows=[
                {
                    "name": "Energy agency",
                    "type": "public",
                    "level": "regional",
                    "role": "Advice",
                    "influence": "high",
                    "interest": "medium",
                }
            ],
        ),
        "collaborations": SectionInput(
            Visibility.PUBLIC,
            narrative_md="Our partners.",
            rows=[
                {
                    "name": "Twin city",
                    "kind": "city",
                    "partner_city": partner,
                    "description": "Exchange",
                }
            ],
        ),
        "skills": SectionInput(
            Visibility.MEMBERS,
            narrative_md="In house and missing.",
            rows=[{"name": "Energy modelling", "status": "missing", "note": ""}],
        ),
        "barriers": SectionInput(
            Visibility.TEAM,
            narrative_md="What stands in the way.",
            rows=[{"description": "Permits take long", "typology": "regulatory"}],
        ),
    }
    assert set(inputs) == set(SPECS), "a new section kind needs a place in this journey"
    for kind, data in inputs.items():
        update_section(city, kind, data=data, base_version=0, by=by)


# --- 1. Visitors ---------------------------------------------------------------------------------


def test_a_visitor_goes_from_the_start_page_via_the_mission_map_to_a_city_dossier(
    page: Page, mission_cities
):
    response = page.goto("/")
    assert response is not None and response.ok
    # The stylesheet is served: the header has the accent colour rather than no background.
    expect(page.locator(".site-header")).to_have_css("background-color", "rgb(20, 96, 44)")

    page.get_by_role("link", name="The mission at a glance: labels, map and figures").click()
    expect(page).to_have_url(re.compile(r"/mission/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The mission at a glance")

    figures = page.get_by_role("list", name="Key figures")
    expect(figures).to_contain_text("4 mission cities")
    expect(figures).to_contain_text(re.compile(r"\b1 city with the Mission Label"))
    expect(
        page.get_by_role("img", name=re.compile("^Mission Labels awarded per round"))
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("Mission Label round, March 2024"))
    ).to_be_visible()
    europe_map = page.locator("svg.europe-map")
    expect(europe_map).to_be_visible()
    expect(europe_map.get_by_role("link")).to_have_count(4)

    europe_map.get_by_role("link", name="Valencia — Mission city").click()
    expect(page).to_have_url(re.compile(r"/cities/valencia/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Valencia")
    expect(
        page.get_by_text("This city has not published any part of its dossier yet.")
    ).to_be_visible()


# --- 2. Editing with the keyboard ----------------------------------------------------------------


def test_an_editor_writes_the_vision_with_the_keyboard_and_finds_it_in_the_history(
    page: Page, city, make_person
):
    editor = make_person("editor")
    sign_in(page, editor, next_url="/cities/aachen/")
    expect(page).to_have_url(re.compile(r"/cities/aachen/$"))

    page.get_by_role("link", name="Write “Vision and 2030 ambition”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “Vision and 2030 ambition”")

    # Clicking a label focuses its field; from there on, only the keyboard.
    page.locator("label", has_text=VISION_LABEL).click()
    vision = page.get_by_label(VISION_LABEL)
    expect(vision).to_be_focused()
    page.keyboard.type("Aachen breathes: fewer cars, more trees.")
    page.keyboard.press("Tab")
    ambition = page.get_by_label(re.compile(r"^2030 ambition:?$"))
    expect(ambition).to_be_focused()
    page.keyboard.type("Climate-neutral by 2030.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/cities/aachen/$"))
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    vision_section = page.get_by_role("region", name="Vision and 2030 ambition")
    expect(vision_section).to_contain_text("Aachen breathes: fewer cars, more trees.")
    expect(vision_section).to_contain_text("Climate-neutral by 2030.")

    vision_section.get_by_role("link", name="History Vision and 2030 ambition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "History of “Vision and 2030 ambition”"
    )
    newest = page.get_by_role("row").nth(1)
    expect(newest).to_contain_text(editor.display_name)
    expect(newest).to_contain_text("Vision rewritten")


# --- 3. Viewers may read but not edit ------------------------------------------------------------


def test_a_viewer_sees_no_edit_links_and_is_refused_the_edit_form(page: Page, city, make_person):
    write_vision(city, by=make_person("coordinator"))
    sign_in(page, make_person("viewer"), next_url="/cities/aachen/")

    expect(page.get_by_role("region", name="Vision and 2030 ambition")).to_contain_text(
        "A city that breathes."
    )
    expect(page.get_by_role("link", name=re.compile(r"^(Edit|Write)\b"))).to_have_count(0)

    response = page.goto(VISION_EDIT)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You may not do this")
    expect(page.get_by_role("main")).to_contain_text("Only the city's coordinators and editors")


# --- 4. Two editors at once ----------------------------------------------------------------------


def test_the_second_of_two_editors_saving_the_same_section_sees_the_conflict_and_can_save_again(
    new_context, city, make_person
):
    write_vision(city, by=make_person("coordinator"))
    first_editor, second_editor = make_person("editor"), make_person("editor")
    first, second = new_context().new_page(), new_context().new_page()
    for page, editor in ((first, first_editor), (second, second_editor)):
        sign_in(page, editor, next_url=VISION_EDIT)
        expect(page.get_by_label(VISION_LABEL)).to_have_value("A city that breathes.")

    first.get_by_label(VISION_LABEL).fill("First editor: a city of bicycles.")
    first.get_by_role("button", name="Save").click()
    expect(first.get_by_role("status")).to_contain_text("Saved.")

    second.get_by_label(VISION_LABEL).fill("Second editor: a city of trams.")
    second.get_by_role("button", name="Save").click()
    conflict = second.get_by_role("alert")
    expect(conflict).to_contain_text("Someone else changed this section while you were editing")
    expect(conflict).to_contain_text(first_editor.display_name)
    expect(conflict).to_contain_text("First editor: a city of bicycles.")
    expect(second.get_by_label(VISION_LABEL)).to_have_value("Second editor: a city of trams.")
    assert_no_axe_violations(second)

    second.get_by_role("button", name="Save").click()
    expect(second).to_have_url(re.compile(r"/cities/aachen/$"))
    expect(second.get_by_role("status")).to_contain_text("Saved.")
    expect(second.get_by_role("region", name="Vision and 2030 ambition")).to_contain_text(
        "Second editor: a city of trams."
    )


# --- 5. Accessibility of every page --------------------------------------------------------------


def invisible_text(incomplete: list[dict]) -> list[dict]:
    """axe leaves text in the colour of its background "to review"; here that is a violation."""
    found = []
    for result in incomplete:
        if result["id"] != "color-contrast":
            continue
        nodes = [node for node in result["nodes"]
                 if any("1:1 contrast ratio" in check["message"] for check in node["any"])]  # fmt: skip
        if nodes:
            found.append({**result, "nodes": nodes})
    return found


def assert_no_axe_violations(page: Page) -> None:
    results = Axe().run(page)
    violations = results.response["violations"] + invisible_text(results.response["incomplete"])
    if violations:
        lines = [f"{len(violations)} axe violation(s) on {page.url}:"]
        for violation in violations:
            node = violation["nodes"][0]
            lines.append(
                f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
                f"    {len(violation['nodes'])} node(s); first: {node['target']}\n"
                f"    {node['html'][:300]}\n"
                f"    {node.get('failureSummary', '')}"
            )
        pytest.fail("\n".join(lines), pytrace=False)


# Grid electricity with the utility's own factor: 2,000 MWh × 0.35 t CO2e/MWh = 700 t CO2e.
GRID_POWER = record(gpc_ref="I.1.2", carrier="electricity", quantity="2000", unit="MWh",
                    emission_factor="0.35", ef_unit="t CO2e/MWh", source="Utility")  # fmt: skip


@pytest.fixture
def dossier_world(mission_cities, make_person, settings_without_mfa):
    """A city with every section written, a team, an advisor, platform staff (two-factor login
    off) and a pending invitation."""
    aachen = mission_cities["aachen"]
    coordinator = make_person("coordinator")
    fill_every_section(aachen, partner=mission_cities["valencia"], by=coordinator)
    PublishedFigures.objects.create(
        city=aachen,
        source_document="documents/Aachen.md",
        baseline_year=2021,
        baseline_tco2e=Decimal(1_577_000),
        transport_tco2e=Decimal(275_948),
        target_reduction_pct=Decimal(80),
        target_basis="baseline year",
        sources={"baseline": "Aachen.md:L107"},
        notes="Sector values from table A-1.3a.",
    )
    MembershipFactory(city=aachen, role=CityRole.VIEWER)
    inventory = create_inventory(aachen, 2022, gwp_set="AR6", by=coordinator, visibility="public")
    replace_rows(inventory, [GAS_HEATING, GRID_POWER, NOT_OCCURRING], by=coordinator)
    earlier = create_inventory(aachen, 2019, gwp_set="AR6", by=coordinator, visibility="public")
    replace_rows(earlier, [GAS_HEATING, GRID_POWER, GRID_POWER], by=coordinator)
    upload = SimpleUploadedFile("gas sales.pdf", PDF_BYTES)
    upload.kind = PDF
    add_source_document(inventory, title="Gas sales 2022", upload=upload, by=coordinator)
    complete(start_contract(aachen, baseline=inventory, by=coordinator))
    AdvisorAssignmentFactory(city=aachen)
    invitee = UserFactory(full_name="Ines Invitee")
    MembershipFactory(city=mission_cities["valencia"], user=invitee, role=CityRole.EDITOR)
    invitation = invite_member(aachen, email=invitee.email, role=CityRole.EDITOR, by=coordinator)
    sample_repository(contributor=coordinator, city=aachen)  # one entry of theirs is pending
    return {"coordinator": coordinator, "invitee": invitee, "invitation": invitation,
            "staff": make_person("staff")}  # fmt: skip


# page id -> (who looks: None, "coordinator", "invitee" or "staff"; the address)
AXE_PAGES = {
    "home": (None, "/"),
    "mission": (None, "/mission/"),
    "city-list": (None, "/cities/"),
    "city-dossier-visitor": (None, "/cities/aachen/"),
    "city-dossier-coordinator": ("coordinator", "/cities/aachen/"),
    **{f"edit-{kind}": ("coordinator", f"/cities/aachen/dossier/{kind}/edit/") for kind in SPECS},
    "history": ("coordinator", "/cities/aachen/dossier/vision/history/"),
    "inventory-list": ("coordinator", "/cities/aachen/inventories/"),
    "inventory-page": (None, "/cities/aachen/inventories/2022/?population_growth=1"),
    "inventory-import": ("coordinator", "/cities/aachen/inventories/2022/import/"),
    "inventory-rows": ("coordinator", "/cities/aachen/inventories/2022/rows/"),
    "inventory-boundaries": ("coordinator", "/cities/aachen/inventories/2022/boundaries/"),
    "inventory-sources": ("coordinator", "/cities/aachen/inventories/2022/sources/"),
    "inventory-compare": (None, "/inventories/compare/?cities=aachen"),
    "contract-home": ("coordinator", "/cities/aachen/contract/"),
    "contract-overview": ("coordinator", "/cities/aachen/contract/1/"),
    **{
        f"contract-{code}": ("coordinator", f"/cities/aachen/contract/1/{code}/")
        for code in (
            "goal",
            "priorities",
            "signatories",
            "baseline",
            "actions",
            "residual",
            "indicators",
            "ip_b1",
            "ip_b2",
            "ip_c2",
        )
    },
    "contract-review": ("coordinator", "/cities/aachen/contract/1/review/"),
    "review-inbox": ("coordinator", "/reviews/"),
    "review-pipeline": ("staff", "/reviews/pipeline/"),
    "notifications": ("coordinator", "/notifications/"),
    "labels": (None, "/labels/"),
    "transition-map": (None, "/transition/"),
    "transition-step": (None, "/transition/system/baseline-inventory/"),
    "transition-city": ("coordinator", "/cities/aachen/transition/"),
    "transition-city-step": ("coordinator", "/cities/aachen/transition/baseline-inventory/"),
    "me": ("invitee", "/me/"),
    "api-tokens": ("coordinator", "/me/tokens/"),
    "team": ("coordinator", "/cities/aachen/team/"),
    "login": (None, "/accounts/login/"),
    "signup": (None, "/accounts/signup/"),
    "invitation": ("invitee", "/invitations/{token}/"),
    "invitation-signed-out": (None, "/invitations/{token}/"),
    "two-factor": ("coordinator", "/accounts/2fa/"),
    "password-change": ("coordinator", "/accounts/password/change/"),
    "email-addresses": ("coordinator", "/accounts/email/"),
    "password-reset": (None, "/accounts/password/reset/"),
    "not-found": (None, "/cities/atlantis/"),
    "knowledge-search": (None, "/knowledge/?q=heating"),
    "knowledge-search-empty": (None, "/knowledge/?q=geothermal&tag=energy"),
    "knowledge-entry": (None, "/knowledge/district-heating-in-a-nordic-city/"),
    "knowledge-entry-signed-in": ("coordinator", "/knowledge/district-heating-in-a-nordic-city/"),
    "knowledge-entry-pending": ("coordinator", "/knowledge/solar-roofs-on-schools/"),
    "knowledge-contribute": ("coordinator", "/knowledge/contribute/"),
    "knowledge-edit": ("coordinator", "/knowledge/solar-roofs-on-schools/edit/"),
    "knowledge-moderation": ("staff", "/knowledge/moderation/"),
    "knowledge-bookmarks": ("coordinator", "/knowledge/bookmarks/"),
    "knowledge-collection": (None, "/knowledge/collections/focus-on-financing/"),
}


@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_no_accessibility_violations_on_the_page(
    name, new_context, live_server, dossier_world
):
    who, address = AXE_PAGES[name]
    context = new_context()
    if who is not None:
        sign_in_with_cookie(context, live_server, dossier_world[who])
    page = context.new_page()
    response = page.goto(address.format(token=dossier_world["invitation"].token))
    expected = 404 if name == "not-found" else 200
    assert response is not None and response.status == expected, f"{address}: {response.status}"
    assert_no_axe_violations(page)


# --- 6. Keyboard only ----------------------------------------------------------------------------


def test_a_keyboard_user_skips_to_the_content_filters_by_country_and_reaches_the_first_city(
    page: Page, mission_cities
):
    page.goto("/cities/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Name contains")).to_be_focused()
    page.keyboard.press("Tab")
    country = page.get_by_label("Country")
    expect(country).to_be_focused()
    page.keyboard.type("Spain")
    expect(country).to_have_value("ES")
    page.keyboard.press("Tab")  # mission city
    page.keyboard.press("Tab")  # label round
    page.keyboard.press("Tab")  # sort
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show cities")).to_be_focused()
    page.keyboard.press("Enter")

    results = page.locator("#city-results")
    expect(results).to_contain_text("1 city")
    expect(results.get_by_role("link")).to_have_text(["Valencia"])
    page.keyboard.press("Tab")
    expect(results.get_by_role("link", name="Valencia")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cities/valencia/$"))
