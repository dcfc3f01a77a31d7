"""A Climate City Contract on its way to the EU Mission Label, in a real browser.

The issue's journey: the editor submits → an advisor gives feedback in a thread and asks for
changes → the editor answers, revises in the next iteration and resubmits → staff forward it to
the Commission → a reviewer scores the rubric (with the keyboard) → a Commission officer endorses
it and awards the label in a new round → the public registry shows the city in that round.
Everyone signs in through the real login form in a browser context of their own.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.contracts.services import start_contract
from cityzero.reviews.rubric import CRITERIA
from tests.browser.conftest import sign_in
from tests.browser.test_contract_journey import field, open_module
from tests.browser.test_journeys import assert_no_axe_violations
from tests.contracts.conftest import complete, make_baseline
from tests.factories import AdvisorAssignmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.browser

CONTRACT = "/cities/aachen/contract/"
REVIEW_1 = "/cities/aachen/contract/1/review/"
REVIEW_2 = "/cities/aachen/contract/2/review/"
ROUND_NAME = "Mission Label round, Brussels"
ROUND_EVENT = "Mission Cities Conference 2026"
ADVISOR_ASKS = "State the capital cost of the low-emission zone, not only its running cost."
CITY_ANSWERS = "Done in iteration 2: the cameras and signs cost €5 million."
CHANGES_WANTED = "Please cost every action before the Commission reads the contract."
# What the reviewer types: a score (a select's first letter picks it) and a justification.
RUBRIC = {str(criterion.name): ("4", f"{criterion.name}: convincing for the 2030 goal.")
          for criterion in CRITERIA}  # fmt: skip
FIRST_CRITERION = str(CRITERIA[0].name)


# --- Data ------------------------------------------------------------------------------------------


@pytest.fixture
def people(city, other_city, settings_without_mfa):
    """Aachen with a contract that passes its checklist, and everyone who moves it along."""
    iteration = complete(start_contract(city, baseline=make_baseline(city), by=None))
    assert iteration.number == 1
    return {
        "editor": MembershipFactory(
            city=city, role=CityRole.EDITOR, user__full_name="Erika Editor"
        ).user,
        "staff": UserFactory(platform_role=PlatformRole.STAFF, full_name="Stella Staff"),
        # An advisor of another city may give Aachen feedback; Aachen's own advisor may not.
        "advisor": AdvisorAssignmentFactory(
            city=other_city, advisor__full_name="Adam Advisor"
        ).advisor,
        "own_advisor": AdvisorAssignmentFactory(city=city, advisor__full_name="Olga Own").advisor,
        "reviewer": UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Rita Reviewer"),
        "officer": UserFactory(
            platform_role=PlatformRole.COMMISSION_OFFICER, full_name="Otto Officer"
        ),
    }


# --- Helpers ---------------------------------------------------------------------------------------


def signed_in(new_context, user, next_url: str) -> Page:
    page = new_context().new_page()
    sign_in(page, user, next_url=next_url)
    return page


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def expect_state(page: Page, label: str) -> None:
    expect(page.locator(".badge-state")).to_have_text(label)


def step(page: Page, label: str) -> Locator:
    """The section of the submission page for one step of the workflow."""
    return page.get_by_role("region", name=label, exact=True)


def take_step(page: Page, label: str, message: str = "") -> None:
    section = step(page, label)
    if message:
        field(section, "Message").fill(message)
    section.get_by_role("button", name=label, exact=True).click()
    expect_message(page, f"Done: {label}.")


def history_row(page: Page, change: str) -> Locator:
    history = page.get_by_role("table", name="Every step this iteration took")
    return history.get_by_role("row").filter(has_text=change)


def open_notification(page: Page, title: str) -> None:
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    page.get_by_role("button", name=re.compile(re.escape(title))).first.click()


def assign(page: Page, reviewer: str, expertise: str, stage: str) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Assign", exact=True))
    field(form, "Reviewer").select_option(label=reviewer)
    field(form, "As").select_option(label=expertise)
    field(form, "Stage").select_option(label=stage)
    field(form, "Part").select_option(label="The whole submission")
    form.get_by_role("button", name="Assign", exact=True).click()
    expect_message(page, "Reviewer assigned and told.")


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, control: Locator) -> None:
    """Press Tab until `control` has the focus; only links may take it on the way."""
    for _ in range(12):
        page.keyboard.press("Tab")
        if is_focused(control):
            return
        passed = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert passed.startswith("<a "), f"Tab reached {passed} before the next control"
    pytest.fail(f"Tab never reached {control}")


# --- The journey -----------------------------------------------------------------------------------


def test_a_contract_goes_from_submission_through_feedback_and_review_to_the_mission_label(
    new_context, people
):
    # 1. The editor finds the submission page from the contract and submits iteration 1.
    editor = signed_in(new_context, people["editor"], next_url=CONTRACT + "1/")
    editor.get_by_role("link", name="Submit this iteration, or see its review").click()
    expect(editor).to_have_url(re.compile(REVIEW_1 + "$"))
    expect_state(editor, "Draft")
    expect(step(editor, "Submit to the platform")).to_contain_text(
        "Every item of the checklist passes."
    )
    assert_no_axe_violations(editor)
    take_step(editor, "Submit to the platform", "Our first complete contract.")
    expect_state(editor, "Submitted")
    expect(history_row(editor, "Draft → Submitted")).to_contain_text("Erika Editor")
    expect(step(editor, "Withdraw the submission")).to_be_visible()
    expect(step(editor, "Submit to the platform")).to_have_count(0)

    # 2. Staff are told, open platform feedback and assign the advisor of another city.
    staff = signed_in(new_context, people["staff"], next_url="/")
    staff.get_by_role("link", name="Notifications").click()
    news = staff.get_by_role("button", name=re.compile("Aachen, contract iteration 1: Submitted"))
    expect(news).to_have_css("color", "rgb(11, 79, 156)")  # link blue: not white on white
    assert_no_axe_violations(staff)
    open_notification(staff, "Aachen, contract iteration 1: Submitted")
    expect(staff).to_have_url(re.compile(REVIEW_1 + "$"))
    take_step(staff, "Start platform feedback")
    expect_state(staff, "Platform feedback")
    reviewers = field(staff, "Reviewer").locator("option")
    expect(reviewers.filter(has_text="Adam Advisor")).to_have_count(1)
    expect(reviewers.filter(has_text="Olga Own")).to_have_count(0)  # conflict of interest
    assign(staff, "Adam Advisor (City advisor)", "City advisor", "Platform feedback")
    tasks = staff.get_by_role("table", name="Review tasks of this iteration")
    expect(tasks.get_by_role("row").filter(has_text="Adam Advisor")).to_contain_text("in progress")
    assert_no_axe_violations(staff)

    # 3. The advisor opens a thread on an action of B-2 and asks the city for changes.
    advisor = signed_in(new_context, people["advisor"], next_url="/")
    open_notification(advisor, "Please review the contract of Aachen")
    expect(advisor).to_have_url(re.compile(REVIEW_1 + "$"))
    expect(step(advisor, "Forward to the Commission")).to_have_count(0)  # staff only
    advisor.get_by_role("link", name=re.compile("Climate City Contract, iteration 1$")).click()
    open_module(advisor, "B-2 Action portfolio")
    field(advisor, "About").select_option(label="Low-emission zone")
    field(advisor, "Comment").fill(ADVISOR_ASKS)
    advisor.get_by_role("button", name="Add the comment").click()
    expect_message(advisor, "Comment added.")
    thread = advisor.get_by_role("article", name=re.compile("^About: Low-emission zone"))
    expect(thread).to_contain_text("awaiting the city's answer")
    expect(thread).to_contain_text(ADVISOR_ASKS)
    assert_no_axe_violations(advisor)
    advisor.goto(REVIEW_1)
    ask = step(advisor, "Ask the city for changes")
    ask.get_by_role("button", name="Ask the city for changes").click()  # without a message
    expect(ask).to_contain_text("This field is required.")
    expect(field(ask, "Message")).to_have_attribute("aria-invalid", "true")
    expect_state(advisor, "Platform feedback")
    take_step(advisor, "Ask the city for changes", CHANGES_WANTED)
    expect_state(advisor, "Revisions requested")

    # 4. The editor sees the comment to answer and replies in the thread.
    open_notification(editor, "Aachen, contract iteration 1: Revisions requested")
    expect(editor).to_have_url(re.compile(REVIEW_1 + "$"))
    expect_state(editor, "Revisions requested")
    expect(history_row(editor, "Platform feedback → Revisions requested")).to_contain_text(
        "Adam Advisor"
    )
    expect(history_row(editor, "Platform feedback → Revisions requested")).to_contain_text(
        CHANGES_WANTED
    )
    to_answer = editor.locator("#to-answer + ul")
    to_answer.get_by_role("link", name="B-2 Action portfolio: Low-emission zone").click()
    thread = editor.get_by_role("article", name=re.compile("^About: Low-emission zone"))
    reply = thread.get_by_label("Reply", exact=True)
    thread.get_by_role("button", name="Reply", exact=True).click()  # nothing written yet
    expect(reply).to_have_attribute("aria-invalid", "true")
    expect(reply).to_have_accessible_description("This field is required.")
    reply.fill(CITY_ANSWERS)
    thread.get_by_role("button", name="Reply", exact=True).click()
    expect_message(editor, "Comment added.")
    expect(thread).to_contain_text(CITY_ANSWERS)
    expect(thread).not_to_contain_text("awaiting the city's answer")
    editor.goto(REVIEW_1)
    expect(editor.locator("#to-answer + p")).to_have_text(
        "None: every thread is resolved or answered."
    )

    # The advisor is content and resolves the thread.
    advisor.goto(CONTRACT + "1/actions/")
    thread = advisor.get_by_role("article", name=re.compile("^About: Low-emission zone"))
    thread.get_by_role("button", name="Resolve the thread").click()
    expect_message(advisor, "Thread resolved.")
    expect(thread).to_contain_text("resolved by Adam Advisor")

    # 5. The editor starts iteration 2, costs the action and submits it.
    editor.get_by_role("link", name=re.compile("Climate City Contract, iteration 1$")).click()
    editor.get_by_role("link", name="← Climate City Contract of Aachen").click()
    expect(editor).to_have_url(re.compile(CONTRACT + "$"))
    editor.get_by_role("button", name="Start the next iteration").click()
    expect(editor).to_have_url(re.compile(CONTRACT + "2/$"))
    expect_message(editor, "Iteration 2 started.")
    open_module(editor, "B-2 Action portfolio")
    editor.get_by_role("link", name="Low-emission zone", exact=True).click()
    field(editor, "Capital cost (€)").fill("5000000")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect_message(editor, "Saved.")
    editor.get_by_role("link", name=re.compile(r"^← Iteration 2: overview")).click()
    editor.get_by_role("link", name="Submit this iteration, or see its review").click()
    expect(editor).to_have_url(re.compile(REVIEW_2 + "$"))
    take_step(editor, "Submit to the platform", "The low-emission zone is costed now.")
    expect_state(editor, "Submitted")
    expect(editor.get_by_text("revises iteration 1")).to_be_visible()
    changes = editor.get_by_role("heading", name=re.compile("^What changed since iteration 1"))
    expect(changes).to_be_visible()
    # The module's changes and, beside them, what was said about it in iteration 1.
    actions = editor.get_by_role("region", name="B-2 Action portfolio")
    expect(
        actions.get_by_role("listitem").filter(has_text="“Low-emission zone” changed")
    ).to_contain_text("capital cost")
    expect(actions.locator("article.thread")).to_contain_text(CITY_ANSWERS)

    # 6. Staff open feedback, forward to the Commission and assign a reviewer.
    open_notification(staff, "Aachen, contract iteration 2: Submitted")
    expect(staff).to_have_url(re.compile(REVIEW_2 + "$"))
    take_step(staff, "Start platform feedback")
    take_step(staff, "Forward to the Commission", "Feedback answered; ready for the Commission.")
    expect_state(staff, "Commission review")
    assign(staff, "Rita Reviewer (Reviewer)", "Thematic expert", "Commission review")
    tasks = staff.get_by_role("table", name="Review tasks of this iteration")
    expect(tasks.get_by_role("row").filter(has_text="Rita Reviewer")).to_contain_text(
        "Commission review"
    )
    staff.get_by_role("link", name="My cities", exact=True).click()
    staff.get_by_role("link", name="Review pipeline").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Review pipeline")
    counts = staff.get_by_role("table", name="Number of contract iterations in each state")
    expect(counts.get_by_role("row", name=re.compile("^Commission review"))).to_contain_text("1")
    expect(counts.get_by_role("row", name=re.compile("^Revisions requested"))).to_contain_text("1")
    in_review = staff.get_by_role("table", name="Iterations under review")
    expect(in_review.get_by_role("row").filter(has_text="Aachen")).to_contain_text("0 / 2")
    workload = staff.get_by_role("table", name="Open, overdue and submitted reviews per reviewer")
    expect(workload.get_by_role("row").filter(has_text="Rita Reviewer")).to_contain_text(
        re.compile(r"\(Reviewer\)\s*1\s*0\s*0")
    )
    assert_no_axe_violations(staff)

    # 7. The reviewer finds the task in the inbox and scores the rubric with the keyboard.
    reviewer = signed_in(new_context, people["reviewer"], next_url="/")
    reviewer.get_by_role("link", name="My cities", exact=True).click()
    reviewer.get_by_role("link", name="Contracts I review").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Your reviews")
    to_do = reviewer.get_by_role("table", name="To do")
    expect(to_do.get_by_role("row").filter(has_text="Aachen")).to_contain_text(
        "0 of 6 criteria scored"
    )
    assert_no_axe_violations(reviewer)
    to_do.get_by_role("link", name="Aachen").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Review: Aachen, iteration 2")
    reviewer.get_by_role("button", name="Submit the review").click()  # nothing scored yet
    refusal = reviewer.get_by_role("alert")
    expect(refusal).to_contain_text("Give your recommendation before you submit.")
    expect(refusal).to_contain_text("Score every criterion before you submit: Ambition,")
    assert_no_axe_violations(reviewer)

    first_score = reviewer.get_by_role("group", name=FIRST_CRITERION).get_by_label("Score")
    first_score.focus()
    for number, (criterion, (score, justification)) in enumerate(RUBRIC.items()):
        group = reviewer.get_by_role("group", name=criterion, exact=True)
        if number:
            tab_to(reviewer, group.get_by_label("Score"))
        reviewer.keyboard.type(score)
        tab_to(reviewer, group.get_by_label("Justification"))
        reviewer.keyboard.type(justification)
    tab_to(reviewer, field(reviewer, "Recommendation"))
    reviewer.keyboard.type("Ready")
    tab_to(reviewer, field(reviewer, "Summary for the city"))
    reviewer.keyboard.type("A credible, costed contract.")
    save, submit = (reviewer.get_by_role("button", name=name)
                    for name in ("Save the draft", "Submit the review"))  # fmt: skip
    tab_to(reviewer, save)
    tab_to(reviewer, submit)
    save.focus()
    reviewer.keyboard.press("Space")
    expect_message(reviewer, "Draft saved.")
    for criterion, (_score, justification) in RUBRIC.items():
        group = reviewer.get_by_role("group", name=criterion, exact=True)
        expect(group.get_by_label("Score")).to_have_value("4")
        expect(group.get_by_label("Justification")).to_have_value(justification)
    expect(field(reviewer, "Recommendation")).to_have_value("endorse")
    save.focus()
    reviewer.keyboard.press("Tab")
    expect(submit).to_be_focused()
    reviewer.keyboard.press("Enter")
    expect_message(reviewer, "Review submitted.")
    expect(reviewer.get_by_role("button", name="Submit the review")).to_have_count(0)
    expect(reviewer.get_by_role("group", name=FIRST_CRITERION)).to_contain_text("4 / 5")
    reviewer.get_by_role("link", name="My cities", exact=True).click()
    reviewer.get_by_role("link", name="Contracts I review").click()
    done = reviewer.get_by_role("table", name="Submitted, or no longer in review")
    expect(done.get_by_role("row").filter(has_text="Aachen")).to_contain_text("submitted")

    # 8. The officer reads the review and endorses, naming a new label round.
    officer = signed_in(new_context, people["officer"], next_url="/")
    open_notification(officer, "Aachen, contract iteration 2: Commission review")
    expect(officer).to_have_url(re.compile(REVIEW_2 + "$"))
    conclusion = officer.get_by_role("region", name="Rita Reviewer, Commission review")
    expect(conclusion).to_contain_text("Ready for endorsement")
    expect(conclusion).to_contain_text("A credible, costed contract.")
    expect(conclusion.get_by_role("row", name=re.compile("^Ambition"))).to_contain_text("4 / 5")
    endorse = step(officer, "Endorse and award the Mission Label")
    endorse.get_by_role("button", name="Endorse and award the Mission Label").click()  # no round
    expect(endorse.get_by_role("alert")).to_have_text(
        "Choose the round in which the label is awarded."
    )
    expect_state(officer, "Commission review")
    assert_no_axe_violations(officer)
    field(endorse, "New round: name").fill(ROUND_NAME)
    field(endorse, "New round: date of the award").fill(timezone.localdate().isoformat())
    field(endorse, "New round: event").fill(ROUND_EVENT)
    take_step(officer, "Endorse and award the Mission Label", "Congratulations, Aachen.")
    expect_state(officer, "Endorsed")
    expect(officer.get_by_text(f"Mission Label awarded: {ROUND_NAME}")).to_be_visible()
    expect(history_row(officer, "Commission review → Endorsed")).to_contain_text("Otto Officer")
    expect(officer.get_by_role("heading", name="What you can do now")).to_have_count(0)

    # The city is told, and reads the reviewer's summary but not the scores or who gave them.
    open_notification(editor, "Aachen, contract iteration 2: Endorsed")
    expect(editor).to_have_url(re.compile(REVIEW_2 + "$"))
    expect_state(editor, "Endorsed")
    summary = editor.get_by_role("region", name="Commission review", exact=True)
    expect(summary).to_contain_text("A credible, costed contract.")
    expect(summary).not_to_contain_text("4 / 5")
    expect(editor.get_by_role("main")).not_to_contain_text("Rita Reviewer")

    # 9. Anyone finds Aachen in the new round of the public label registry.
    visitor = new_context().new_page()
    visitor.goto("/")
    visitor.get_by_role("link", name="Mission Labels").click()
    expect(visitor).to_have_url(re.compile(r"/labels/$"))
    label_round = visitor.get_by_role("region", name=ROUND_NAME, exact=True)
    expect(label_round).to_contain_text(ROUND_EVENT)
    aachen = label_round.get_by_role("row").filter(has_text="Aachen")
    expect(aachen.get_by_role("link", name="Iteration 2")).to_be_visible()
    expect(aachen).to_contain_text("€427,000,000")  # iteration 2's actions, the new €5 million in
    assert_no_axe_violations(visitor)
    aachen.get_by_role("link", name="Aachen").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Aachen")
    expect(visitor.get_by_text("EU Mission Label", exact=True)).to_be_visible()
    visitor.get_by_role("link", name=f"Awarded in {ROUND_NAME}").click()
    expect(visitor).to_have_url(re.compile(r"/labels/#round-"))
