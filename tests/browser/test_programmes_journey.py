"""Calls and programmes in a real browser: a city applies to the Urban Transitions Mission cohort,
an assessor scores the application, the staff select it into the cohort and the city is told;
every new page passes axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.cities.models import City
from cityzero.programmes import services
from cityzero.programmes.models import Application, ApplicationStatus, Call, CohortMember
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.browser.test_contract_journey import field
from tests.browser.test_journeys import assert_no_axe_violations
from tests.core.test_uploads import PDF_BYTES
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.factories import (
    close,
    draft,
    make_call,
    pdf,
    pilot_activity,
    scored,
    submitted,
    under_assessment,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def people(city, other_city, settings_without_mfa):
    return {
        "editor": MembershipFactory(city=city, role=CityRole.EDITOR,
                                    user__full_name="Erika Editor").user,
        "valencia": MembershipFactory(city=other_city, role=CityRole.COORDINATOR,
                                      user__full_name="Vale Coordinator").user,
        "staff": UserFactory(platform_role=PlatformRole.STAFF, full_name="Stella Staff"),
        "assessor": UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Ruth Assessor"),
    }  # fmt: skip


def signed_in(new_context, user, next_url: str) -> Page:
    page = new_context().new_page()
    sign_in(page, user, next_url=next_url)
    return page


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_city_applies_an_assessor_scores_and_staff_select(new_context, people, tmp_path):
    call = make_call(slug="utm", capacity=1)
    editor = signed_in(new_context, people["editor"], "/programmes/")
    editor.get_by_role("link", name="Call utm").click()
    expect(editor.get_by_role("heading", level=1)).to_have_text("Call utm")
    editor.get_by_role("link", name="Start an application (Aachen)").click()
    editor.get_by_role("button", name="Start the application").click()
    expect_message(editor, "Your draft is started.")

    # A first save with the population only: the preview says what is not met yet, and the
    # submission is refused with the questions still to answer.
    field(editor, "Population").fill("49999")
    editor.get_by_role("button", name="Save the answers").click()
    expect_message(editor, "Your answers are saved.")
    expect(editor.locator(".checklist")).to_contain_text("Not met: Aachen has 49,999 inhabitants")
    editor.get_by_role("button", name="Submit the application").click()
    expect_message(editor, "Answer every required question before you submit")
    editor.get_by_role("link", name="Edit the answers").click()
    assert_no_axe_violations(editor)

    field(editor, "Population").fill("250000")
    field(editor, "Covenant of Mayors signatory?").select_option(label="Signatory")
    editor.get_by_role("group", name="Climate action plan?").get_by_label("Yes").check()
    editor.get_by_role("group", name="Resources committed?").get_by_label("Yes").check()
    field(editor, "Motivation").fill("A net-zero district around the university hospital.")
    plan = tmp_path / "climate plan.pdf"
    plan.write_bytes(PDF_BYTES)
    field(editor, "The plan").set_input_files(str(plan))
    editor.get_by_role("button", name="Save the answers").click()
    expect_message(editor, "Your answers are saved.")
    checks = editor.locator(".checklist")
    expect(checks).to_contain_text(
        "Met: Aachen has 250,000 inhabitants (declared in the application)"
    )
    expect(editor.get_by_role("link", name="climate_plan.pdf")).to_be_visible()
    assert_no_axe_violations(editor)
    editor.get_by_role("button", name="Submit the application").click()
    expect_message(editor, "The application is submitted: Eligible.")
    expect(editor.get_by_role("button", name="Submit the application")).to_have_count(0)
    assert_no_axe_violations(editor)

    staff_page = signed_in(new_context, people["staff"], f"/programmes/calls/{call.slug}/manage/")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Run the call: Call utm")
    choice = staff_page.get_by_label("Assign an assessor")
    choice.select_option(label="Ruth Assessor (Reviewer), 0 open")
    staff_page.get_by_role("button", name="Assign and tell the assessor").click()
    expect_message(staff_page, "Ruth Assessor is assigned and told.")
    assert_no_axe_violations(staff_page)

    assessor = signed_in(new_context, people["assessor"], "/")
    assessor.get_by_role("link", name=re.compile("^Notifications")).click()
    assessor.get_by_role("button",
                         name=re.compile("Please assess the application of Aachen")).click()  # fmt: skip
    expect(assessor.get_by_role("heading", level=1)).to_have_text(
        "Assess the application of Aachen"
    )
    for name, score in (("Ambition", "5"), ("Resources", "4"), ("Inspiration", "3")):
        field(assessor, f"Score for “{name}” (0 to 5)").select_option(score)
    field(assessor, "Justification for “Ambition”").fill("A district plan with a date.")
    field(assessor, "Justification for “Resources”").fill("Two people for three years.")
    assessor.get_by_role("button", name="Submit the assessment").click()
    expect(assessor.get_by_role("alert")).to_contain_text("Nothing was saved.")
    expect(assessor.locator(".errorlist")).to_have_text("Justify the score.")
    assert_no_axe_violations(assessor)
    field(assessor, "Justification for “Inspiration”").fill("Others could copy it.")
    assessor.get_by_role("button", name="Submit the assessment").click()
    expect_message(assessor, "Your assessment is submitted.")
    assert_no_axe_violations(assessor)

    close(call)
    staff_page.goto(f"/programmes/calls/{call.slug}/ranking/")
    # (3 × 5/5 + 2 × 4/5 + 1 × 3/5) / 6 = 86.67
    expect(staff_page.get_by_role("row").filter(has_text="Aachen")).to_contain_text("86.67")
    expect(staff_page.get_by_label("Aachen")).to_be_checked()
    assert_no_axe_violations(staff_page)
    staff_page.get_by_role("button", name="Select and tell every applicant").click()
    expect_message(staff_page, "1 applications selected into Cohort utm-cohort")

    editor.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(editor.get_by_text("Aachen is selected for Cohort utm-cohort")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SELECTED
    assert CohortMember.objects.get().city.slug == "aachen"


# --- Accessibility of every new page --------------------------------------------------------------


@pytest.fixture
def world(city, other_city, people):
    """An open call with a draft, an assessed and a decided call, a pilot activity with a report
    waiting, a twinning and the Mission call's published figures."""
    open_call = make_call(slug="utm-open", allows_partners=True, max_partners=1)
    the_draft = draft(open_call, city, by=people["editor"], answers={"population": 49_999,
                                                                      "plan_file": pdf()})  # fmt: skip
    assessed = make_call(slug="utm-assessed")
    waiting = under_assessment(assessed, city, by=people["editor"], assessors=[people["assessor"]])
    submitted(assessed, other_city, answers={"population": 90_000, "gcom": "pending",
                                             "plan": True, "resources": True, "motivation": "x"})  # fmt: skip
    decided = make_call(slug="utm-decided", capacity=1)
    best = scored(decided, city, [[5, 4, 3]], by=people["editor"])
    scored(decided, other_city, [[2, 2, 2]])
    services.select_for_cohort(close(decided), chosen=[best], by=people["staff"])
    make_call(slug="mission", reported_applicants=377, reported_eligible=362, reported_selected=112,
              reported_source="European Commission", questions=[], rules=[], criteria=[])  # fmt: skip
    activity = pilot_activity(other_city, partners=[city])
    services.submit_report(activity, kind="interim", body="Half way.", by=people["editor"])
    start = timezone.localdate()
    twin = City.objects.create(name="Gent", slug="gent", country=city.country, population=260_000,
                               latitude=51.05, longitude=3.72)  # fmt: skip
    group = services.create_twinning_group(activity, twins=[twin], starts_on=start,
                                           ends_on=start + timedelta(days=400), by=people["staff"])  # fmt: skip
    return {"draft": the_draft, "assessment": waiting.assessments.get(), "activity": activity,
            "group": group, "decided": decided}  # fmt: skip


# page id → (who looks, the address)
PAGES = {
    "index": (None, lambda w: "/programmes/"),
    "index-staff": ("staff", lambda w: "/programmes/"),
    "call": (None, lambda w: "/programmes/calls/utm-open/"),
    "call-editor": ("editor", lambda w: "/programmes/calls/utm-open/"),
    "call-mission": (None, lambda w: "/programmes/calls/mission/"),
    "apply": ("valencia", lambda w: "/programmes/calls/utm-open/apply/"),
    "mine": ("editor", lambda w: "/programmes/applications/"),
    "draft": ("editor", lambda w: f"/programmes/applications/{w['draft'].pk}/"),
    "edit": ("editor", lambda w: f"/programmes/applications/{w['draft'].pk}/edit/"),
    "submitted": (
        "editor",
        lambda w: f"/programmes/applications/{w['assessment'].application_id}/",
    ),
    "manage": ("staff", lambda w: "/programmes/calls/utm-assessed/manage/"),
    "ranking": ("staff", lambda w: "/programmes/calls/utm-decided/ranking/"),
    "assessments": ("assessor", lambda w: "/programmes/assessments/"),
    "scorecard": ("assessor", lambda w: f"/programmes/assessments/{w['assessment'].pk}/"),
    "scorecard-staff": ("staff", lambda w: f"/programmes/assessments/{w['assessment'].pk}/"),
    "cohort": (None, lambda w: f"/programmes/cohorts/{w['decided'].cohort.slug}/"),
    "activity": (None, lambda w: f"/programmes/pilot-activities/{w['activity'].slug}/"),
    "activity-team": ("editor", lambda w: f"/programmes/pilot-activities/{w['activity'].slug}/"),
    "activity-staff": ("staff", lambda w: f"/programmes/pilot-activities/{w['activity'].slug}/"),
    "activity-new": ("staff", lambda w: "/programmes/pilot-activities/new/"),
    "twins": ("staff", lambda w: f"/programmes/pilot-activities/{w['activity'].slug}/twins/"),
    "twinning": (None, lambda w: f"/programmes/twinning/{w['group'].pk}/"),
    "twinning-team": ("editor", lambda w: f"/programmes/twinning/{w['group'].pk}/"),
}


@pytest.mark.parametrize("page_id", list(PAGES))
def test_axe_finds_no_violations_on_programme_pages(new_context, live_server, people, world,
                                                    page_id):  # fmt: skip
    who, address = PAGES[page_id]
    context = new_context()
    if who:
        sign_in_with_cookie(context, live_server, people[who])
    page = context.new_page()
    response = page.goto(address(world))
    assert response is not None and response.status == 200
    assert_no_axe_violations(page)


def test_without_javascript_an_editor_saves_and_submits(browser, live_server, city, people):
    call = make_call(slug="nojs", questions=[], rules=[])
    application = services.start_application(call, city, by=people["editor"])
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        sign_in_with_cookie(context, live_server, people["editor"])
        page = context.new_page()
        page.goto(f"/programmes/applications/{application.pk}/")
        page.get_by_role("button", name="Submit the application").click()
        expect(page.get_by_role("status")).to_contain_text("The application is submitted")
    finally:
        context.close()
    assert Call.objects.get().applications.get().status == ApplicationStatus.ELIGIBLE
