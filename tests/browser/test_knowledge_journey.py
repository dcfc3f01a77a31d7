"""The Knowledge Repository in a real browser: searching and filtering (with and without
JavaScript), contributing an entry that staff approve, and the pages' accessibility."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from cityzero.accounts.models import PlatformRole
from cityzero.knowledge.models import EntryStatus
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.browser.test_contract_journey import field
from tests.browser.test_journeys import assert_no_axe_violations
from tests.factories import UserFactory
from tests.knowledge.factories import make_entry, sample_repository

pytestmark = pytest.mark.browser


@pytest.fixture
def repository(city, settings_without_mfa):
    return sample_repository(city=city)


def results(page: Page):
    return page.locator("#knowledge-results")


def result_links(page: Page):
    return results(page).locator(".result-title a")


def facet(page: Page, name: str):
    return page.get_by_role("checkbox", name=re.compile(f"^{re.escape(name)} \\("))


# --- a visitor searches and filters ---------------------------------------------------------------


def test_a_visitor_searches_and_narrows_down_by_facets_as_they_tick_them(page: Page, repository):
    page.goto("/")
    page.get_by_role("link", name="Knowledge", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge Repository")
    expect(result_links(page)).to_have_count(3)

    page.get_by_label("Search for").fill("city")
    page.get_by_label("Search for").press("Enter")
    expect(page).to_have_url(re.compile(r"/knowledge/\?q=city"))
    expect(results(page)).to_contain_text("2 entries found")

    # Ticking a tag updates results and counts in place (htmx), keeps focus, and the address.
    facet(page, "Energy systems").check()
    expect(page).to_have_url(re.compile(r"tag=energy"))
    expect(results(page)).to_contain_text("1 entry found")
    expect(result_links(page)).to_have_text(["District heating in a Nordic city"])
    expect(facet(page, "Energy systems")).to_be_focused()
    expect(facet(page, "Energy systems")).to_be_checked()
    expect(facet(page, "Green finance and bonds")).to_have_count(0)  # no entry left with it

    page.get_by_label("Type").select_option("guide")
    expect(results(page)).to_contain_text("No entry found")
    expect(results(page)).to_contain_text("the type “Guide”")
    assert_no_axe_violations(page)

    results(page).get_by_role("listitem").filter(has_text="the type “Guide”").get_by_role(
        "link", name="search without it"
    ).click()
    expect(result_links(page)).to_have_text(["District heating in a Nordic city"])
    page.go_back()
    expect(results(page)).to_contain_text("No entry found")
    page.go_forward()
    expect(result_links(page)).to_have_text(["District heating in a Nordic city"])
    result_links(page).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("District heating in a Nordic city")
    expect(page.get_by_role("link", name="The full report")).to_have_attribute(
        "rel", "noopener nofollow"
    )


def test_without_javascript_the_search_form_still_filters(
    browser: Browser, live_server, repository
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/knowledge/")
        page.get_by_label("Search for").fill("guide")
        page.get_by_role("button", name="Search", exact=True).click()
        expect(page).to_have_url(re.compile(r"q=guide"))
        expect(result_links(page)).to_have_text(["Running a citizens' assembly on climate"])

        page.goto("/knowledge/")
        facet(page, "Finance & funding").check()
        page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(r"tag=finance"))
        expect(result_links(page)).to_have_text(["Issuing a green municipal bond"])
    finally:
        context.close()


# --- a member contributes, staff approve, visitors find it ------------------------------------------


def test_a_member_contributes_an_entry_that_staff_approve_and_visitors_then_find(
    new_context, repository
):
    member = UserFactory(full_name="Mia Member")
    staff = UserFactory(platform_role=PlatformRole.STAFF, full_name="Stella Staff")

    contributor = new_context().new_page()
    sign_in(contributor, member, next_url="/knowledge/")
    contributor.get_by_role("link", name="Contribute an entry").click()
    expect(contributor.get_by_role("heading", level=1)).to_have_text("Contribute an entry")

    # Sent without a tag: refused, with the reason, and the text kept.
    field(contributor, "Title").fill("Geothermal heat for Munich")
    field(contributor, "Summary").fill("Deep wells supply the city's heat network.")
    field(contributor, "Body").fill("## How\n\nThree wells, **3 km** deep.")
    field(contributor, "Type").select_option(label="Case study")
    field(contributor, "Year").fill("2024")
    contributor.get_by_role("button", name="Send for moderation").click()
    expect(contributor.get_by_role("alert").first).to_contain_text("The entry was not saved.")
    expect(field(contributor, "Title")).to_have_value("Geothermal heat for Munich")
    assert_no_axe_violations(contributor)

    contributor.get_by_label("District heating and cooling", exact=True).check()
    contributor.get_by_label("Energy systems", exact=True).check()
    field(contributor, "Links").fill("https://example.org/geothermal Project site")
    contributor.get_by_role("button", name="Send for moderation").click()
    expect(contributor.get_by_role("status").first).to_contain_text(
        "Your entry is waiting for moderation"
    )
    expect(contributor.get_by_role("heading", level=1)).to_have_text("Geothermal heat for Munich")
    expect(contributor.locator(".moderation-status")).to_contain_text("Waiting for moderation")
    assert_no_axe_violations(contributor)

    visitor = new_context().new_page()
    visitor.goto("/knowledge/?q=geothermal")
    expect(results(visitor)).to_contain_text("No entry found")

    moderator = new_context().new_page()
    sign_in(moderator, staff, next_url="/knowledge/moderation/")
    item = moderator.get_by_role("article", name="Geothermal heat for Munich")
    expect(item).to_contain_text("Contributed by Mia Member")
    assert_no_axe_violations(moderator)
    item.get_by_role("button", name=re.compile("^Approve and publish")).click()
    expect(moderator.get_by_role("status").first).to_contain_text(
        "“Geothermal heat for Munich” is published; its contributor is told."
    )
    expect(moderator.get_by_role("article", name="Geothermal heat for Munich")).to_have_count(0)

    visitor.goto("/knowledge/?q=geothermal+wells")
    expect(result_links(visitor)).to_have_text(["Geothermal heat for Munich"])
    expect(results(visitor).locator("mark")).to_have_text(["wells"])

    contributor.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(contributor.get_by_role("main")).to_contain_text(
        "Your entry “Geothermal heat for Munich” is published"
    )


def test_a_member_bookmarks_and_comments_an_entry(new_context, repository):
    member = UserFactory(full_name="Mia Member")
    page = new_context().new_page()
    sign_in(page, member, next_url=f"/knowledge/{repository['bonds'].slug}/")
    page.get_by_role("button", name="Bookmark", exact=True).click()
    expect(page.get_by_role("button", name="Remove the bookmark")).to_be_focused()
    field(page, "Your comment").fill("We used this for our **first** bond.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.locator(".comments")).to_contain_text("We used this for our first bond.")
    assert_no_axe_violations(page)
    page.goto("/knowledge/bookmarks/")
    expect(page.get_by_role("link", name="Issuing a green municipal bond")).to_be_visible()


# --- accessibility of the pages in other states -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "address"),
    [
        (None, "/knowledge/?q=heating&tag=energy&tag=no-such-tag"),
        (None, "/knowledge/?q=geothermal&type=tool&language=de"),
        ("contributor", "/knowledge/solar-roofs-on-schools/"),
        ("contributor", "/knowledge/solar-roofs-on-schools/edit/"),
        ("staff", "/knowledge/moderation/"),
        (None, "/knowledge/collections/focus-on-financing/"),
    ],
)
def test_axe_finds_no_violations_on_knowledge_pages(
    new_context, live_server, city, settings_without_mfa, who, address
):
    contributor = UserFactory()
    sample_repository(contributor=contributor, city=city)
    make_entry("Tidal energy", ("energy",), status=EntryStatus.CHANGES_REQUESTED,
               contributor=contributor)  # fmt: skip
    people = {"contributor": contributor, "staff": UserFactory(platform_role=PlatformRole.STAFF)}
    context = new_context()
    if who is not None:
        sign_in_with_cookie(context, live_server, people[who])
    page = context.new_page()
    response = page.goto(address)
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)
