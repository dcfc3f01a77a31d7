"""The Finance Guidance Tool in a real browser: a visitor answers the questionnaire (with and
without JavaScript) and gets a ranked result; a city editor saves a result and finds it in the
investment plan (IP-A2) and on the dossier; every finance page passes axe."""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Page, expect

from cityzero.contracts.services import start_contract
from cityzero.finance.reference import load_funding
from cityzero.finance.services import save_result
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.browser.test_contract_journey import field
from tests.browser.test_journeys import assert_no_axe_violations
from tests.finance.conftest import RETROFIT, query, result_url

pytestmark = pytest.mark.browser

EPC = "Energy performance contracting (ESCO)"


@pytest.fixture
def funding(db):
    load_funding()


def question(page: Page, name: str):
    """A question's group of answers, by the start of its legend."""
    return page.get_by_role("group", name=name)


def answer_the_retrofit(page: Page) -> None:
    """Step 2 for a €2M retrofit of buildings by a municipal company, as a person clicks it."""
    question(page, "Project stage").get_by_label("Feasibility").check()
    page.get_by_label("Project size (€)").fill("2 000 000")
    question(page, "Who will own the asset?").get_by_label("A municipal company or utility").check()
    question(page, "How proven is the solution?").get_by_label("Proven:").check()
    question(page, "When is the money needed?").get_by_label("In one to three years").check()
    question(page, "Will the project generate revenue?").get_by_label("Yes").check()
    question(page, "Will the project lower energy bills?").get_by_label("Yes").check()
    question(page, "Payback period").get_by_label("7 to 15 years").check()
    question(page, "The city's borrowing headroom").get_by_label("Limited").check()
    question(page, "Need for technical assistance").get_by_label("Some").check()
    question(page, "Co-benefits").get_by_label("Local jobs and skills").check()


def first_ranked(page: Page):
    return page.locator("table.funding-table tbody tr").first


def test_an_anonymous_visitor_answers_the_questionnaire_and_gets_a_ranked_result(
    page: Page, funding
):
    # 1. Step 1 from the main navigation; going on without a field says what is missing.
    page.goto("/")
    page.get_by_role("link", name="Finance", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance Guidance Tool")
    page.get_by_role("button", name="Next: the questions").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("One answer needs fixing")
    expect(alert.get_by_role("link", name="Choose an answer.")).to_be_visible()
    assert_no_axe_violations(page)

    # 2. Built environment: its questions include energy-bill savings; green alone would not.
    question(page, "Fields of action").get_by_label("Built environment").check()
    page.get_by_role("button", name="Next: the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your project")
    expect(question(page, "Will the project lower energy bills?")).to_be_visible()

    # 3. A size that is not a number is refused with its reason; the other answers stay.
    answer_the_retrofit(page)
    page.get_by_label("Project size (€)").fill("two million")
    page.get_by_role("button", name="Show the funding options").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the size in whole euros")
    expect(question(page, "Payback period").get_by_label("7 to 15 years")).to_be_checked()
    assert_no_axe_violations(page)
    page.get_by_label("Project size (€)").fill("2 000 000")
    page.get_by_role("button", name="Show the funding options").click()

    # 4. The ranked table, with why each type fits, and the ruled-out bond.
    expect(page.get_by_role("heading", level=1)).to_have_text("Funding options for your project")
    expect(first_ranked(page).get_by_role("rowheader")).to_contain_text(EPC)
    expect(first_ranked(page)).to_contain_text("paid from the guaranteed energy savings")
    expect(page.locator(".excluded-list")).to_contain_text("Green municipal bonds")
    expect(page.get_by_role("link", name="Link to this result")).to_have_attribute(
        "href", re.compile(r"size=2000000")
    )
    assert_no_axe_violations(page)

    # 5. The answers can be changed, and each funding type has its page.
    page.get_by_role("link", name="← Change the answers").click()
    expect(question(page, "Payback period").get_by_label("7 to 15 years")).to_be_checked()
    page.go_back()
    first_ranked(page).get_by_role("link", name=EPC).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(EPC)


def test_without_javascript_the_questionnaire_still_works(browser: Browser, live_server, funding):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/finance/")
        question(page, "Fields of action").get_by_label("Built environment").check()
        page.get_by_role("button", name="Next: the questions").click()
        answer_the_retrofit(page)
        page.get_by_role("button", name="Show the funding options").click()
        expect(first_ranked(page).get_by_role("rowheader")).to_contain_text(EPC)
    finally:
        context.close()


def test_a_city_editor_saves_a_result_and_finds_it_in_the_investment_plan_and_on_the_dossier(
    page: Page, city, make_person, funding
):
    start_contract(city, baseline=None, by=None)
    sign_in(page, make_person("editor"), next_url=quote(result_url(RETROFIT)))

    # 1. Save the result to Aachen, for the team only.
    expect(field(page, "City")).to_have_value(str(city.pk))
    field(page, "Title").fill("Retrofit of the town hall")
    field(page, "Note").fill("Ask the treasury about the EIB framework loan.")
    page.get_by_role("button", name="Save to the city").click()
    expect(page.get_by_role("status")).to_contain_text("Saved to Aachen.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrofit of the town hall")
    expect(page.get_by_text("City team, advisors and staff only")).to_be_visible()
    expect(first_ranked(page).get_by_role("rowheader")).to_contain_text(EPC)
    assert_no_axe_violations(page)

    # 2. The investment plan's capital sources (IP-A2) list it, read-only, with a link.
    page.goto(f"/cities/{city.slug}/contract/1/")
    page.get_by_role("navigation", name="Contract modules").get_by_role(
        "link", name="IP-A2 Income, capital sources and debt"
    ).click()
    panel = page.get_by_role("complementary", name="Funding options saved from the Finance "
                             "Guidance Tool")  # fmt: skip
    expect(panel).to_contain_text(f"Best fits: {EPC}")
    assert_no_axe_violations(page)
    panel.get_by_role("link", name="Retrofit of the town hall").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retrofit of the town hall")

    # 3. The dossier lists it too; making it public is one click.
    page.get_by_role("link", name="← Aachen").click()
    section = page.locator("#funding-results")
    expect(section.get_by_role("link", name="Retrofit of the town hall")).to_be_visible()
    expect(section).to_contain_text("team only")
    section.get_by_role("link", name="Retrofit of the town hall").click()
    page.get_by_role("button", name="Make it public").click()
    expect(page.get_by_role("status")).to_contain_text("The result is public")


@pytest.mark.parametrize(
    ("who", "address"),
    [
        (None, "/finance/"),
        (None, "/finance/questions/?fields=buildings&fields=mobility"),
        (None, "/finance/questions/?fields=green"),
        (None, "/finance/result/?" + query(RETROFIT)),
        (None, "/finance/result/?" + query({**RETROFIT, "size": ["-1"], "stage": ["x"]})),
        (None, "/finance/funding/"),
        (None, "/finance/funding/green-bond/"),
        ("editor", "/finance/result/?" + query(RETROFIT)),
        ("editor", "saved"),
        ("editor", "/cities/aachen/"),
        ("editor", "/cities/aachen/contract/1/ip_a2/"),
    ],
)
def test_axe_finds_no_violations_on_finance_pages(
    new_context, live_server, city, make_person, funding, who, address
):
    start_contract(city, baseline=None, by=None)
    saved = save_result(city, answers=RETROFIT, title="Schools", note="Line one.\nLine two.",
                        public=False, by=None)  # fmt: skip
    context = new_context()
    if who is not None:
        sign_in_with_cookie(context, live_server, make_person(who))
    page = context.new_page()
    url = f"/finance/results/{saved.token}/" if address == "saved" else address
    response = page.goto(url)
    assert response is not None and response.status in (200, 422)
    assert_no_axe_violations(page)
