"""The pages of calls, applications, assessment and programmes: forms and their refusals, someone
else's application (a 404, not a leak), files, and a fixed number of queries per page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole
from cityzero.programmes import services
from cityzero.programmes.models import Answer, Application, ApplicationStatus, CohortMember, Score
from tests.core.test_uploads import PDF_BYTES, PNG_BYTES
from tests.factories import AdvisorAssignmentFactory, CityFactory, MembershipFactory
from tests.programmes.factories import (
    assessor,
    close,
    draft,
    editor_of,
    make_call,
    pdf,
    pilot_activity,
    scored,
    staff,
    submitted,
    under_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]
S = ApplicationStatus


@pytest.fixture
def call():
    return make_call()


@pytest.fixture
def editor(city):
    return editor_of(city, user__full_name="Eda Editor")


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


# --- public pages -----------------------------------------------------------------------------------


def test_the_call_page_says_who_may_apply_how_it_is_scored_and_until_when(client, call):
    html = page(client, reverse("programmes:call", args=[call.slug]))
    assert "At least 50,000 inhabitants" in html
    assert "A signatory of the Global Covenant of Mayors, or becoming one within 3 months" in html
    assert "23:59 (Europe/Brussels time)" in html
    assert "Ambition" in html and "Sign in</a> as your city" in html


def test_an_unpublished_call_is_the_staffs_alone(client, city):
    call = make_call(published=False)
    page(client, reverse("programmes:call", args=[call.slug]), 404)
    client.force_login(staff())
    assert "Not published" in page(client, reverse("programmes:call", args=[call.slug]))


def test_a_past_call_states_its_published_figures(client):
    call = make_call(slug="mission", reported_applicants=377, reported_eligible=362,
                     reported_selected=112, reported_source="European Commission")  # fmt: skip
    html = page(client, reverse("programmes:call", args=[call.slug]))
    assert "<strong>377</strong> applicant cities" in html
    assert "<strong>112</strong> selected" in html
    assert "it holds the cities selected, not the applications" in html


@pytest.mark.parametrize("count", [1, 3])
def test_the_programmes_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries,
                                                             count, city):  # fmt: skip
    for n in range(count):
        make_call(slug=f"call-{n}")
        pilot_activity(CityFactory(name=f"Town {n}"))
    # calls, cohorts, activities with their partners and tranches
    with django_assert_num_queries(5):
        html = page(client, reverse("programmes:index"))
    assert html.count('href="/programmes/calls/call-') == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_cohort_page_shows_its_cities_on_the_map_in_fixed_queries(
    client, django_assert_num_queries, count
):
    call = make_call()
    start = timezone.localdate()
    for n in range(count):
        town = CityFactory(name=f"Town {n}", latitude=50 + n, longitude=6 + n)
        CohortMember.objects.create(cohort=call.cohort, city=town, joined_on=start)
        activity = pilot_activity(town)
        services.create_twinning_group(activity, twins=[CityFactory(name=f"Twin {n}")],
                                       starts_on=start, ends_on=start + timedelta(days=400),
                                       by=None)  # fmt: skip
    # cohort, members, activities with partners and tranches, twinnings with twins and
    # deliverables, calls
    with django_assert_num_queries(9):
        html = page(client, reverse("programmes:cohort", args=[call.cohort.slug]))
    assert html.count('class="map-city') == count
    assert html.count("0 of 3 tranches released") == html.count("0 of 3 modules done") == count


def test_the_activity_page_shows_the_tranches_not_the_reports_to_the_public(client, city):
    activity = pilot_activity(city)
    services.submit_report(activity, kind="interim", body="Secret progress.", by=None)
    html = page(client, reverse("programmes:activity", args=[activity.slug]))
    assert "€400,000" in html and "Secret progress." not in html
    client.force_login(editor_of(city))
    assert "Secret progress." in page(client, reverse("programmes:activity", args=[activity.slug]))


# --- applying ---------------------------------------------------------------------------------------


def test_an_editor_starts_a_draft_from_the_call(client, call, city, editor):
    client.force_login(editor)
    assert "Aachen" in page(client, reverse("programmes:apply", args=[call.slug]))
    response = client.post(reverse("programmes:apply", args=[call.slug]), {"city": city.pk})
    application = Application.objects.get()
    assert (
        response.status_code == 302
        and response.url == f"/programmes/applications/{application.pk}/edit/"
    )


@pytest.mark.parametrize("chosen", ["", "x", "999"])
def test_applying_without_a_city_of_ones_own_is_refused(client, call, editor, chosen):
    client.force_login(editor)
    response = client.post(reverse("programmes:apply", args=[call.slug]), {"city": chosen})
    assert response.status_code == 422 and not Application.objects.exists()


def test_a_city_that_applied_is_not_offered_again(client, call, city, editor):
    draft(call, city)
    client.force_login(editor)
    html = page(client, reverse("programmes:apply", args=[call.slug]))
    assert "Your cities have applied to this call already" in html


def test_applying_to_a_closed_call_says_so(client, city, editor):
    call = close(make_call())
    client.force_login(editor)
    response = client.post(reverse("programmes:apply", args=[call.slug]), {"city": city.pk})
    assert response.status_code == 422 and "The call closed on" in response.content.decode()
    assert not Application.objects.exists()


def form(**answers) -> dict:
    data = {"version": "1", "q_population": "250000", "q_gcom": "signatory", "q_plan": "yes",
            "q_resources": "yes", "q_motivation": "A district."}  # fmt: skip
    return {**data, **answers}


def test_the_form_keeps_typed_answers_and_a_file(client, call, city, editor):
    application = services.start_application(call, city, by=editor)
    client.force_login(editor)
    data = form(
        q_gcom="pending",
        q_gcom_date="2026-02-28",
        q_plan_file=SimpleUploadedFile("p.pdf", PDF_BYTES),
    )
    response = client.post(reverse("programmes:edit", args=[application.pk]), data)
    assert response.status_code == 302
    values = dict(Answer.objects.values_list("question__code", "value"))
    assert values["gcom_date"] == "2026-02-28" and values["plan"] is True
    assert values["population"] == "250000"
    html = page(client, reverse("programmes:application", args=[application.pk]))
    assert "28 February 2026" in html and "250,000" in html and ">p.pdf</a>" in html


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"q_population": "lots"}, "Enter a number."),
        ({"q_population": "1" * 16}, "Ensure that there are no more than 15 digits in total."),
        ({"q_population": "12.5"}, "Give the population as a whole number of inhabitants."),
        ({"q_gcom": "perhaps"}, "Select a valid choice."),
        ({"q_gcom_date": "31/02/2026"}, "Enter a valid date."),
        ({"q_plan": "maybe"}, "Select a valid choice."),
        ({"q_motivation": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"q_plan_file": SimpleUploadedFile("p.pdf", PNG_BYTES)}, "is not a .pdf file"),
        ({"q_plan_file": SimpleUploadedFile("p.exe", b"MZ")}, "not accepted"),
        ({"version": "x"}, "Enter a whole number."),
    ],
)
def test_a_bad_answer_is_shown_with_the_reason_and_nothing_is_saved(client, call, city, editor,
                                                                    changes, problem):  # fmt: skip
    application = services.start_application(call, city, by=editor)
    client.force_login(editor)
    response = client.post(reverse("programmes:edit", args=[application.pk]), form(**changes))
    assert response.status_code == 422
    assert problem in response.content.decode().replace("&#x27;", "'")
    assert not Answer.objects.exists()


def test_a_stale_draft_is_not_saved_over_someone_elses(client, call, city, editor):
    application = draft(call, city)  # saved once: version 2
    client.force_login(editor)
    response = client.post(reverse("programmes:edit", args=[application.pk]),
                           form(q_motivation="Mine"), follow=True)  # fmt: skip
    assert "Someone else saved this draft" in response.content.decode()
    assert Answer.objects.get(question__code="motivation").value == "A net-zero district."


def test_submitting_from_the_page_shows_the_eligibility(client, call, city, editor):
    application = draft(call, city, by=editor)
    client.force_login(editor)
    response = client.post(reverse("programmes:submit", args=[application.pk]), follow=True)
    html = response.content.decode()
    assert "The application is submitted: Eligible." in html
    assert "Met:</strong> Aachen has 250,000 inhabitants" in html


def test_a_draft_shows_its_eligibility_as_it_stands(client, call, city, editor):
    application = draft(call, city, by=editor, answers={"population": 49_999})
    client.force_login(editor)
    html = page(client, reverse("programmes:application", args=[application.pk]))
    assert "Not met:</strong> Aachen has 49,999 inhabitants" in html
    assert "Cannot tell:</strong>" in html


@pytest.mark.parametrize("role", ["member", "editor_of_other_city", "advisor_of_city", "reviewer"])
def test_someone_elses_application_does_not_exist_for_you(client, call, city, make_person, role):
    application = draft(call, city, answers={"plan_file": pdf()})
    client.force_login(make_person(role))
    for name, args in (("application", []), ("edit", []), ("answer_file", ["plan_file"])):
        page(client, reverse(f"programmes:{name}", args=[application.pk, *args]), 404)


def test_the_team_downloads_an_answers_file_as_an_attachment(client, call, city):
    application = draft(call, city, answers={"plan_file": pdf("our plan.pdf")})
    client.force_login(MembershipFactory(city=city, role=CityRole.VIEWER).user)
    response = client.get(reverse("programmes:answer_file", args=[application.pk, "plan_file"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="our_plan.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_assessor_downloads_the_files_of_the_application_they_assess(client, call, city):
    person = assessor()
    application = under_assessment(call, city, assessors=[person],
                                   answers={"population": 90_000, "gcom": "signatory", "plan": True,
                                            "resources": True, "motivation": "x",
                                            "plan_file": pdf()})  # fmt: skip
    client.force_login(person)
    assert (
        client.get(
            reverse("programmes:answer_file", args=[application.pk, "plan_file"])
        ).status_code
        == 200
    )
    page(client, reverse("programmes:application", args=[application.pk]), 404)  # not the page


@pytest.mark.parametrize("count", [1, 3])
def test_my_applications_read_a_fixed_number_of_queries(client, django_assert_num_queries, count,
                                                        editor):  # fmt: skip
    city = editor.memberships.get().city
    for n in range(count):
        draft(make_call(slug=f"call-{n}"), city, by=editor)
    client.force_login(editor)
    with django_assert_num_queries(6):
        html = page(client, reverse("programmes:mine"))
    assert html.count("/programmes/applications/") == count + 0


# --- running the call -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_staffs_call_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries,
                                                              call, count):  # fmt: skip
    for n in range(count):
        under_assessment(call, CityFactory(name=f"Town {n}"))
    client.force_login(staff())
    with django_assert_num_queries(14):
        html = page(client, reverse("programmes:manage", args=[call.slug]))
    assert html.count('class="link-button">Remove ') == count


def test_a_conflicted_assessor_is_refused_with_the_reason_on_the_page(client, call, city):
    application = submitted(call, city)
    advisor = AdvisorAssignmentFactory(city=city, advisor__full_name="Alma Advisor").advisor
    client.force_login(staff())
    response = client.post(reverse("programmes:assign_assessor", args=[application.pk]),
                           {"assessor": advisor.pk}, follow=True)  # fmt: skip
    assert (
        "advises Aachen: an advisor never reviews a city they advise." in response.content.decode()
    )
    assert not application.assessments.exists()


def test_assigning_someone_who_is_not_an_assessor_is_refused(client, call, city, editor):
    application = submitted(call, city)
    client.force_login(staff())
    response = client.post(reverse("programmes:assign_assessor", args=[application.pk]),
                           {"assessor": editor.pk}, follow=True)  # fmt: skip
    assert "Choose one of the listed assessors" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_ranking_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, call, count
):
    for n in range(count):
        scored(call, CityFactory(name=f"Town {n}"), [[n, 1, 1], [1, 1, 1]])
    client.force_login(staff())
    with django_assert_num_queries(15):
        html = page(client, reverse("programmes:ranking", args=[call.slug]))
    assert html.count("tie: later submission") == 0


def test_the_ranking_ticks_the_best_that_fit_and_staff_select(client, city, other_city):
    call = make_call(capacity=1)
    best = scored(call, city, [[5, 5, 5]])
    other = scored(call, other_city, [[1, 1, 1]])
    close(call)
    client.force_login(staff())
    html = page(client, reverse("programmes:ranking", args=[call.slug]))
    assert f'value="{best.pk}" id="id_chosen_0" checked' in html or (
        f'value="{best.pk}"' in html and "checked" in html.split(f'value="{best.pk}"')[1][:40]
    )
    response = client.post(reverse("programmes:select", args=[call.slug]),
                           {"chosen": [best.pk, other.pk]})  # fmt: skip
    assert response.status_code == 422 and "1 places left" in response.content.decode()
    response = client.post(reverse("programmes:select", args=[call.slug]), {"chosen": [best.pk]})
    assert response.status_code == 302
    best.refresh_from_db()
    assert best.status == S.SELECTED


# --- assessing --------------------------------------------------------------------------------------


def test_the_assessor_saves_a_draft_then_submits(client, call, city):
    person = assessor()
    application = under_assessment(call, city, assessors=[person])
    assessment = application.assessments.get()
    criteria = list(call.criteria.all())
    client.force_login(person)
    url = reverse("programmes:scorecard", args=[assessment.pk])
    assert "A net-zero district." in page(client, url)
    data = {f"score_{criteria[0].pk}": "4", f"justification_{criteria[0].pk}": "Bold.", "save": ""}
    assert client.post(url, data).status_code == 302
    full = {**data, "submit": ""}
    for c in criteria[1:]:
        full |= {f"score_{c.pk}": "3", f"justification_{c.pk}": "Fine."}
    del full["save"]
    assert client.post(url, full).status_code == 302
    application.refresh_from_db()
    assert application.status == S.SCORED and Score.objects.count() == 3


@pytest.mark.parametrize(
    ("score", "justification", "problem"),
    [
        ("4", "", "Justify the score."),
        ("9", "x", "Select a valid choice."),
        ("four", "x", "Select a valid choice."),
    ],
)
def test_a_bad_score_is_shown_again_and_nothing_is_saved(client, call, city, score, justification,
                                                         problem):  # fmt: skip
    person = assessor()
    assessment = under_assessment(call, city, assessors=[person]).assessments.get()
    first = call.criteria.first()
    client.force_login(person)
    response = client.post(reverse("programmes:scorecard", args=[assessment.pk]),
                           {f"score_{first.pk}": score, f"justification_{first.pk}": justification,
                            "save": ""})  # fmt: skip
    assert response.status_code == 422 and problem in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_my_assessments_read_a_fixed_number_of_queries(client, django_assert_num_queries, call,
                                                       count):  # fmt: skip
    person = assessor()
    for n in range(count):
        under_assessment(call, CityFactory(name=f"Town {n}"), assessors=[person])
    client.force_login(person)
    with django_assert_num_queries(5):
        html = page(client, reverse("programmes:assessments"))
    assert html.count("To do") == count


# --- programmes -------------------------------------------------------------------------------------


def test_staff_start_a_pilot_activity_from_a_selected_application(client, city, other_city):
    call = make_call(allows_partners=True, max_partners=1)
    application = scored(call, city, [[5, 5, 5]], partners=[other_city])
    services.select_for_cohort(close(call), chosen=[application], by=staff())
    client.force_login(staff())
    url = reverse("programmes:activity_new") + f"?application={application.pk}"
    assert "selected>Aachen</option>" in page(client, url)
    today = timezone.localdate()
    pilots = make_call(slug="pilot", kind="pilot").cohort
    data = {"cohort": pilots.pk, "title": "Heat", "lead_city": city.pk,
            "partner_cities": [other_city.pk], "fields_of_action": ["energy", "buildings"],
            "levers": ["finance"], "grant_eur": "600000", "split": "40/40/20",
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=730)).isoformat()}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    activity = application.city.led_activities.get()
    assert activity.application == application
    assert activity.partner_cities.get() == other_city


@pytest.mark.parametrize(
    ("changes", "problem"),
    [({"split": "50/50"}, "three whole percentages"), ({"split": "40/40/30"}, "add up to 110"),
     ({"grant_eur": "0"}, "greater than or equal to 1"), ({"fields_of_action": []}, "This field is required.")],
)  # fmt: skip
def test_a_bad_activity_form_is_refused(client, city, changes, problem):
    client.force_login(staff())
    pilots = make_call(slug="pilot", kind="pilot").cohort
    today = timezone.localdate()
    data = {"cohort": pilots.pk, "title": "Heat", "lead_city": city.pk,
            "fields_of_action": ["energy"], "grant_eur": "600000", "split": "40/40/20",
            "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=730)).isoformat(),
            **changes}  # fmt: skip
    response = client.post(reverse("programmes:activity_new"), data)
    assert response.status_code == 422 and problem in response.content.decode()


def test_the_twins_page_shows_the_reasons(client, city, other_city):
    activity = pilot_activity(city)
    client.force_login(staff())
    html = page(client, reverse("programmes:twins", args=[activity.slug]))
    assert "Valencia" in html
    assert "Size: 250,000 and 250,000 inhabitants (10.0 points)." in html
    assert "Climate: latitude bands 50–55° and 50–55° (10.0 points)." in html


def test_a_deliverable_is_read_by_the_twinnings_cities_only(client, city, other_city):
    activity = pilot_activity(city)
    start = timezone.localdate()
    group = services.create_twinning_group(activity, twins=[other_city], starts_on=start,
                                           ends_on=start + timedelta(days=400), by=staff())  # fmt: skip
    services.submit_deliverable(group, code="learning_agreement", body="Our private plan.", by=None)
    html = page(client, reverse("programmes:twinning", args=[group.pk]))
    assert "Learning agreement" in html and "Our private plan." not in html
    client.force_login(editor_of(other_city))
    assert "Our private plan." in page(client, reverse("programmes:twinning", args=[group.pk]))


def test_a_deliverable_out_of_order_is_refused_on_the_page(client, city, other_city):
    activity = pilot_activity(city)
    start = timezone.localdate()
    group = services.create_twinning_group(activity, twins=[other_city], starts_on=start,
                                           ends_on=start + timedelta(days=400), by=staff())  # fmt: skip
    client.force_login(editor_of(city))
    response = client.post(reverse("programmes:deliverable", args=[group.pk, "replication_plan"]),
                           {"body": "Too soon."})  # fmt: skip
    assert response.status_code == 422
    assert "Hand in the earlier modules&#x27; deliverables first" in response.content.decode()
    assert not group.deliverables.exists()


# --- detail pages in a fixed number of queries ---------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_call_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    rules = [("population_at_least", {"min": 50000 + n}) for n in range(count)]
    criteria = [(f"Criterion {n}", 1, 5) for n in range(count)]
    call = make_call(rules=rules, criteria=criteria)
    with django_assert_num_queries(4):  # call and cohort, questions, rules, criteria
        html = page(client, reverse("programmes:call", args=[call.slug]))
    assert html.count("Criterion ") == count


@pytest.mark.parametrize("count", [1, 3])
def test_an_application_page_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, city, count
):
    call = make_call(allows_partners=True, max_partners=3)
    partners = [CityFactory(name=f"Partner {n}") for n in range(count)]
    editor = editor_of(city)
    application = submitted(call, city, by=editor, partners=partners)
    client.force_login(editor)
    # session, user, memberships, advised cities; the application with its city, partners,
    # answers, steps, questions and rules; the unread notifications
    with django_assert_num_queries(11):
        html = page(client, reverse("programmes:application", args=[application.pk]))
    assert html.count("Met:</strong>") == 4 * (count + 1)


@pytest.mark.parametrize("count", [1, 3])
def test_an_activity_page_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, city, count
):
    activity = pilot_activity(city)
    start = timezone.localdate()
    for n in range(count):
        services.create_twinning_group(activity, twins=[CityFactory(name=f"Twin {n}")],
                                       starts_on=start, ends_on=start + timedelta(days=400),
                                       by=None)  # fmt: skip
    editor = editor_of(city)
    services.submit_report(activity, kind="interim", body="Half way.", by=editor)
    client.force_login(editor)
    with django_assert_num_queries(12):
        html = page(client, reverse("programmes:activity", args=[activity.slug]))
    assert html.count("0 of 3 modules done") == count


def test_a_twinning_page_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, city, other_city
):
    activity = pilot_activity(city)
    start = timezone.localdate()
    group = services.create_twinning_group(activity, twins=[other_city], starts_on=start,
                                           ends_on=start + timedelta(days=400), by=None)  # fmt: skip
    services.submit_deliverable(group, code="learning_agreement", body="Agreed.", by=None)
    with django_assert_num_queries(5):
        html = page(client, reverse("programmes:twinning", args=[group.pk]))
    assert "1 of 3 modules done" not in html and "0 of 3 modules done" in html
