"""Human support in a real browser: a city editor asks an expert, staff route the question, the
expert answers and the editor reads the answer; a city's advisor records a support needs
assessment that the city's team then finds on its dossier; every new page passes axe."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Browser, Page, expect

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.cities.services import NeedsInput, record_needs_assessment
from cityzero.core.uploads import PDF
from cityzero.support import services as support
from cityzero.support.models import ExpertRequest, Side
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.browser.test_contract_journey import field
from tests.browser.test_journeys import assert_no_axe_violations
from tests.core.test_uploads import PDF_BYTES
from tests.factories import AdvisorAssignmentFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import taxonomy

pytestmark = pytest.mark.browser

QUESTION = "We plan to retrofit **14 schools**. Which financing has worked elsewhere?"
ANSWER = "Bundle the schools into one energy performance contract."


@pytest.fixture
def people(city, other_city, settings_without_mfa):
    return {
        "editor": MembershipFactory(city=city, role=CityRole.EDITOR,
                                    user__full_name="Erika Editor").user,
        "viewer": MembershipFactory(city=city, role=CityRole.VIEWER,
                                    user__full_name="Vera Viewer").user,
        "staff": UserFactory(platform_role=PlatformRole.STAFF, full_name="Stella Staff"),
        "expert": UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Ruth Expert"),
        "advisor": AdvisorAssignmentFactory(city=city, advisor__full_name="Alma Advisor").advisor,
        # An advisor without a city: the other candidate staff may route to.
        "other_expert": UserFactory(platform_role=PlatformRole.ADVISOR, full_name="Otto Other"),
    }  # fmt: skip


def signed_in(new_context, user, next_url: str) -> Page:
    page = new_context().new_page()
    sign_in(page, user, next_url=next_url)
    return page


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


# --- Ask an expert ----------------------------------------------------------------------------------


def test_an_editor_asks_staff_route_the_expert_answers_and_the_editor_reads_it(
    new_context, people, tmp_path
):
    editor = signed_in(new_context, people["editor"], "/cities/aachen/")
    editor.get_by_role("link", name="Ask an expert").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Ask an expert: Aachen")
    editor.get_by_role("link", name="Ask a new question").click()

    # Sent without a question: refused with the reason, the topic kept.
    field(editor, "Topic").fill("Financing school retrofits")
    editor.get_by_role("button", name="Send the question").click()
    expect(editor.get_by_role("alert").first).to_contain_text("The question was not sent.")
    expect(field(editor, "Topic")).to_have_value("Financing school retrofits")
    assert_no_axe_violations(editor)

    field(editor, "Field of action").select_option(label="Built environment")
    field(editor, "Your question").fill(QUESTION)
    brief = tmp_path / "school audit.pdf"
    brief.write_bytes(PDF_BYTES)
    field(editor, "Attachments").set_input_files(str(brief))
    editor.get_by_role("button", name="Send the question").click()
    expect_message(editor, "Your question is sent.")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Financing school retrofits")
    expect(editor.locator(".badge-state")).to_have_text("Submitted")
    expect(editor.get_by_role("link", name="school_audit.pdf")).to_be_visible()
    assert_no_axe_violations(editor)

    staff = signed_in(new_context, people["staff"], "/support/queue/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Queue of expert requests")
    assert_no_axe_violations(staff)
    staff.get_by_role("link", name="Financing school retrofits").click()
    expert_choice = field(staff, "Expert")
    expect(expert_choice).to_contain_text("Ruth Expert (Reviewer), 0 open")
    assert_no_axe_violations(staff)
    expert_choice.select_option(label="Ruth Expert (Reviewer), 0 open")
    staff.get_by_role("button", name="Route and tell the expert").click()
    expect_message(staff, "Routed to Ruth Expert")
    expect(staff.locator(".badge-state")).to_have_text("With an expert")

    expert = signed_in(new_context, people["expert"], "/support/mine/")
    expect(expert.get_by_role("table", name="Waiting for your answer")).to_contain_text(
        "Financing school retrofits"
    )
    assert_no_axe_violations(expert)
    expert.get_by_role("link", name="Financing school retrofits").click()
    field(expert, "Your message").fill(ANSWER)
    expert.get_by_role("button", name="Send as the answer").click()
    expect_message(expert, "Answer sent.")
    expect(expert.locator(".badge-state")).to_have_text("Answered")
    assert_no_axe_violations(expert)

    editor.get_by_role("link", name=re.compile("^Notifications")).click()
    editor.get_by_role(
        "button", name=re.compile("Your question “Financing school retrofits” is answered$")
    ).click()
    expect(editor.get_by_role("article").filter(has_text=ANSWER)).to_contain_text("Ruth Expert")
    expect(editor.locator(".badge-state")).to_have_text("Answered")
    # The editor agrees to publication, for the staff to turn the answer into an entry later.
    editor.get_by_label(re.compile("^We agree that the platform publishes")).check()
    editor.get_by_role("button", name="Save the city's choice").click()
    expect_message(editor, "Thank you: the answer may be published.")
    assert_no_axe_violations(editor)


def test_without_javascript_a_viewer_asks_a_question(browser: Browser, live_server, people):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        sign_in_with_cookie(context, live_server, people["viewer"])
        page = context.new_page()
        page.goto("/cities/aachen/support/new/")
        field(page, "Topic").fill("Citizens' assembly")
        field(page, "Your question").fill("How many members should it have?")
        page.get_by_role("button", name="Send the question").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Citizens' assembly")
    finally:
        context.close()
    assert ExpertRequest.objects.get().requester == people["viewer"]


# --- The support needs assessment ---------------------------------------------------------------


def test_the_advisor_records_a_needs_assessment_and_the_city_sees_it_on_its_dossier(
    new_context, people
):
    advisor = signed_in(new_context, people["advisor"], "/cities/aachen/")
    needs = advisor.locator("#needs")
    expect(needs).to_contain_text("No support needs assessment has been recorded")
    needs.get_by_role("link", name="Record one").click()
    expect(advisor.get_by_role("heading", level=1)).to_have_text(
        "Record a needs assessment of Aachen"
    )
    assert_no_axe_violations(advisor)
    for statement in (
        "The investment needs of the action portfolio are costed.",
        "Climate spending can be identified in the municipal budget.",
        "The city knows which funding and financing fit its projects, and applies for them.",
        "Projects are prepared up to investment-ready (feasibility, business case).",
    ):
        advisor.get_by_label(statement, exact=True).select_option("1")
    advisor.get_by_label(
        "The council has given a formal mandate for climate neutrality by 2030.", exact=True
    ).select_option("3")
    finance = advisor.get_by_role("group", name="Support needed on finance")
    finance.get_by_label("Priority").check()
    field(advisor, "Note on finance").fill("No financing plan for the school retrofits.")
    advisor.get_by_role("button", name="Record the assessment").click()
    expect_message(advisor, "Assessment recorded. The city's team is told.")
    expect(advisor.get_by_role("heading", level=2).first).to_contain_text("Current assessment")
    assert_no_axe_violations(advisor)

    viewer = signed_in(new_context, people["viewer"], "/cities/aachen/")
    section = viewer.locator("#needs")
    expect(section.get_by_role("heading", level=2)).to_have_text("Support needs assessment")
    expect(section).to_contain_text("by Alma Advisor")
    expect(section).to_contain_text("Support needed on: Finance (low)")
    expect(section.locator("svg title")).to_contain_text("Capacity by area")
    row = section.get_by_role("row").filter(has_text="Finance")
    expect(row).to_contain_text("1.0 low")
    expect(row).to_contain_text("No financing plan for the school retrofits.")
    expect(section.get_by_role("link", name="Record a new assessment")).to_have_count(0)
    expect(viewer.get_by_text("Climate-Neutral City Advisor: Alma Advisor")).to_be_visible()
    assert_no_axe_violations(viewer)


# --- Accessibility of every new page --------------------------------------------------------------


@pytest.fixture
def support_world(city, people):
    """Two assessments, a request in each state worth seeing, a taxonomy for publishing."""
    taxonomy()
    areas = {"finance": ("priority", "No financing plan.")}
    for on, score in ((date(2024, 10, 7), 1), (date(2025, 10, 6), 2)):
        record_needs_assessment(city, data=NeedsInput(on, {"finance-budget": score,
                                "governance-team": 3}, areas), by=people["advisor"])  # fmt: skip
    upload = SimpleUploadedFile("brief.pdf", PDF_BYTES)
    upload.kind = PDF
    waiting = support.file_request(city, topic="Waiting question", question="How?",
                                   files=[upload], by=people["editor"])  # fmt: skip
    answered = support.file_request(city, topic="Answered question", question="Why?",
                                    by=people["editor"])  # fmt: skip
    support.route_request(answered, expert=people["expert"], by=people["staff"])
    support.post_message(answered, body=ANSWER, side=Side.EXPERT, answer=True,
                         by=people["expert"])  # fmt: skip
    support.set_consent(answered, consent=True, by=people["editor"])
    return {"waiting": waiting, "answered": answered}


def _needs(city, position: int) -> int:
    return city.needs_assessments.order_by("-assessed_on")[position].pk


# page id → (who looks, the address, given the city and the world)
SUPPORT_PAGES = {
    "advisors": ("staff", lambda c, w: "/advisors/"),
    "advisors-without": ("staff", lambda c, w: "/advisors/?without=on&q=a"),
    "team-with-advisors": ("staff", lambda c, w: "/cities/aachen/team/"),
    "dossier-with-needs": ("editor", lambda c, w: "/cities/aachen/"),
    "needs": ("viewer", lambda c, w: "/cities/aachen/needs-assessment/"),
    "needs-earlier": ("viewer", lambda c, w: f"/cities/aachen/needs-assessment/{_needs(c, 1)}/"),
    "needs-new": ("advisor", lambda c, w: "/cities/aachen/needs-assessment/new/"),
    "needs-edit": ("advisor",
                   lambda c, w: f"/cities/aachen/needs-assessment/{_needs(c, 0)}/edit/"),
    "city-requests": ("editor", lambda c, w: "/cities/aachen/support/"),
    "new-request": ("editor", lambda c, w: "/cities/aachen/support/new/"),
    "request-staff": ("staff", lambda c, w: f"/cities/aachen/support/{w['waiting'].pk}/"),
    "request-city": ("editor", lambda c, w: f"/cities/aachen/support/{w['answered'].pk}/"),
    "request-expert": ("expert", lambda c, w: f"/cities/aachen/support/{w['answered'].pk}/"),
    "publish": ("staff", lambda c, w: f"/cities/aachen/support/{w['answered'].pk}/publish/"),
    "queue": ("staff", lambda c, w: "/support/queue/"),
    "queue-filtered": ("staff", lambda c, w: "/support/queue/?status=answered&field_of_action=energy"),
    "mine": ("expert", lambda c, w: "/support/mine/"),
    "my-cities-staff": ("staff", lambda c, w: "/me/"),
    "my-cities-advisor": ("advisor", lambda c, w: "/me/"),
    "my-cities-editor": ("editor", lambda c, w: "/me/"),
}  # fmt: skip


@pytest.mark.parametrize("page_id", list(SUPPORT_PAGES))
def test_axe_finds_no_violations_on_human_support_pages(
    new_context, live_server, city, people, support_world, page_id
):
    who, address = SUPPORT_PAGES[page_id]
    context = new_context()
    sign_in_with_cookie(context, live_server, people[who])
    page = context.new_page()
    response = page.goto(address(city, support_world))
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)
