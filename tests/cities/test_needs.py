"""The support needs assessment: scoring, recording, its pages, the dossier, and recommendations."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole
from cityzero.cities import needs
from cityzero.cities.charts import needs_profile_svg
from cityzero.cities.models import NeedsAssessment
from cityzero.cities.selectors import current_needs, needs_history
from cityzero.cities.services import (
    NeedsEditConflict,
    NeedsInput,
    record_needs_assessment,
    revise_needs_assessment,
)
from cityzero.community.models import Notification
from cityzero.knowledge.recommendations import needs_signals
from tests.factories import AdvisorAssignmentFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import make_entry

pytestmark = pytest.mark.django_db

# Finance: 1, 2, 2, 1 → 6 / 4 = 1.5 (weak). Governance: 3, 3, 4, 3 → 13 / 4 = 3.25 → 3.3.
# Data: 2, 3 scored, two left out → 2.5 (not weak: the threshold is below 2.5).
ANSWERS = {
    "finance-costing": 1, "finance-budget": 2, "finance-sources": 2, "finance-pipeline": 1,
    "governance-mandate": 3, "governance-team": 3, "governance-coordination": 4,
    "governance-reporting": 3,
    "data-inventory": 2, "data-activity": 3,
}  # fmt: skip
AREAS = {
    "finance": ("priority", "No financing plan for school retrofits."),
    "skills": ("priority", "Procurement staff need training."),
}


def scores_of(results) -> dict[str, Decimal | None]:
    return {result.area.code: result.score for result in results}


# --- scoring (no database) ------------------------------------------------------------------------


def test_an_areas_score_is_the_mean_of_its_scored_statements():
    results = needs.area_results(ANSWERS, AREAS)
    assert scores_of(results) == {
        "governance": Decimal("3.3"),
        "data": Decimal("2.5"),
        "finance": Decimal("1.5"),
        "engagement": None,
        "skills": None,
    }
    assert [r.scored for r in results] == [4, 2, 4, 0, 0]


def test_unscored_is_not_assessed_not_zero():
    (skills,) = [r for r in needs.area_results({}, AREAS) if r.area.code == "skills"]
    assert skills.score is None and skills.level is None and not skills.is_weak


@pytest.mark.parametrize(
    ("scores", "mean", "weak", "level"),
    [
        ([2, 3], Decimal("2.5"), False, 3),  # half rounds up
        ([2, 2, 3], Decimal("2.3"), True, 2),  # 7 / 3 = 2.33…
        ([1, 1, 1, 2], Decimal("1.3"), True, 1),  # 5 / 4 = 1.25 → 1.3
        ([4], Decimal("4.0"), False, 4),
    ],
)
def test_weak_means_below_two_and_a_half(scores, mean, weak, level):
    answers = dict(zip([q.code for q in needs.AREAS[0].questions], scores, strict=False))
    (result, *_rest) = needs.area_results(answers)
    assert (result.score, result.is_weak, result.level) == (mean, weak, level)


def test_an_area_needs_support_when_weak_or_a_priority():
    results = {r.area.code: r for r in needs.area_results(ANSWERS, AREAS)}
    assert [code for code, r in results.items() if r.needs_support] == ["finance", "skills"]


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({}, "Score at least one statement."),
        ({"finance-budget": 5}, "Scores go from 1 to 4."),
        ({"finance-budget": 0}, "Scores go from 1 to 4."),
        ({"finance-vibes": 2}, "Unknown questions: finance-vibes."),
    ],
)
def test_bad_answers_are_named(answers, problem):
    assert needs.check_answers(answers) == [problem]


def test_the_questionnaire_has_five_areas_of_four_statements():
    assert [area.code for area in needs.AREAS] == [
        "governance", "data", "finance", "engagement", "skills",
    ]  # fmt: skip
    assert all(len(area.questions) == 4 for area in needs.AREAS)
    assert len(needs.QUESTION_CODES) == 20


def test_the_chart_draws_a_bar_per_scored_area_and_says_low_and_not_assessed():
    svg = needs_profile_svg(needs.area_results(ANSWERS, AREAS), title="Capacity", chart_id="c1")
    assert svg.startswith("<svg") and 'aria-labelledby="c1"' in svg
    assert svg.count('class="bar"') == 3
    assert "1.5 of 4 · low" in svg and "3.3 of 4" in svg and svg.count("not assessed") == 2
    # 1.5 of a 360-pixel scale of 4 is 135 pixels, in the alert colour.
    assert 'width="135.0" height="24" fill="#a50f15"' in svg


def test_the_weak_areas_become_recommendation_signals_with_a_reason():
    weak = [r for r in needs.area_results(ANSWERS, AREAS) if r.needs_support]
    signals = needs_signals(weak)
    assert [(s.tag, s.reason) for s in signals] == [
        ("finance", "your needs assessment: finance capacity is low"),
        ("green-finance", "your needs assessment: finance capacity is low"),
        ("ccc-investment-plan", "your needs assessment: finance capacity is low"),
        ("learning", "your needs assessment: support on skills is a priority"),
        ("procurement", "your needs assessment: support on skills is a priority"),
    ]


# --- recording ------------------------------------------------------------------------------------


def record(city, on=date(2025, 10, 6), answers=None, areas=None, by=None):
    data = NeedsInput(
        on, ANSWERS if answers is None else answers, AREAS if areas is None else areas
    )
    return record_needs_assessment(
        city, data=data, by=by or AdvisorAssignmentFactory(city=city).advisor
    )


def test_an_assessment_keeps_its_answers_areas_and_assessor(city):
    advisor = AdvisorAssignmentFactory(city=city).advisor
    assessment = record(city, by=advisor)
    view = current_needs(city)
    assert view.assessment == assessment and assessment.assessor == advisor
    assert view.answers == ANSWERS
    assert scores_of(view.results)["finance"] == Decimal("1.5")
    assert [r.area.code for r in view.needing_support] == ["finance", "skills"]


def test_the_team_is_told_of_a_new_assessment(city):
    viewer = MembershipFactory(city=city, role=CityRole.VIEWER).user
    record(city)
    assert list(Notification.objects.filter(recipient=viewer).values_list("title", flat=True)) == [
        "Aachen: a new support needs assessment"
    ]


def test_the_newest_assessment_is_current_and_older_ones_are_history(city):
    older = record(city, on=date(2024, 10, 7), answers={"finance-budget": 1})
    newer = record(city, on=date(2025, 10, 6))
    history = needs_history(city)
    assert [v.assessment for v in history] == [newer, older]
    assert [v.is_current for v in history] == [True, False]
    assert current_needs(city).assessment == newer


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"on": timezone.localdate() + timedelta(days=1)}, "The assessment date cannot be in the future."),
        ({"on": date(2019, 12, 31)}, "Give a date from 01 Jan 2020 on."),
        ({"answers": {}}, "Score at least one statement."),
        ({"answers": {"finance-budget": 7}}, "Scores go from 1 to 4."),
        ({"areas": {"finance": ("urgent", "")}}, "Unknown area or support level: finance."),
        ({"areas": {"vibes": ("none", "")}}, "Unknown area or support level: vibes."),
        ({"areas": {"finance": ("none", "n" * 2001)}},
         "Keep the note on Finance to 2,000 characters or fewer."),
    ],
)  # fmt: skip
def test_a_bad_assessment_is_refused_and_nothing_is_saved(city, change, problem):
    with pytest.raises(ValidationError) as refused:
        record(city, **change)
    assert problem in refused.value.messages
    assert not NeedsAssessment.objects.exists()


def test_two_assessments_on_one_day_are_refused(city):
    record(city)
    with pytest.raises(ValidationError, match="already an assessment dated 06 Oct 2025"):
        record(city)
    assert NeedsAssessment.objects.count() == 1


def test_the_current_assessment_is_corrected_in_place(city):
    assessment = record(city)
    corrector = UserFactory()
    data = NeedsInput(date(2025, 10, 7), {"finance-budget": 3}, {})
    revise_needs_assessment(assessment, data=data, base_version=1, by=corrector)
    view = current_needs(city)
    assert view.assessment.version == 2 and view.assessment.updated_by == corrector
    assert view.assessment.assessed_on == date(2025, 10, 7)
    assert view.answers == {"finance-budget": 3}
    assert view.assessment.assessor == assessment.assessor


def test_a_correction_on_an_old_version_is_a_conflict_and_changes_nothing(city):
    assessment = record(city)
    data = NeedsInput(date(2025, 10, 6), {"finance-budget": 3}, {})
    revise_needs_assessment(assessment, data=data, base_version=1, by=UserFactory())
    with pytest.raises(NeedsEditConflict) as conflict:
        revise_needs_assessment(assessment, data=NeedsInput(date(2025, 10, 6), {"finance-budget": 4}, {}),
                                base_version=1, by=UserFactory())  # fmt: skip
    assert conflict.value.current.version == 2
    assert current_needs(city).answers == {"finance-budget": 3}


def test_an_older_assessment_stays_as_it_was(city):
    older = record(city, on=date(2024, 10, 7))
    record(city, on=date(2025, 10, 6))
    with pytest.raises(ValidationError, match="Only the current assessment may be corrected"):
        revise_needs_assessment(older, data=NeedsInput(date(2024, 10, 7), {"finance-budget": 4}, {}),
                                base_version=1, by=UserFactory())  # fmt: skip


# --- pages ----------------------------------------------------------------------------------------


def form_data(on: str = "2025-10-06", **answers) -> dict[str, str]:
    data = {"assessed_on": on, **{f"support-{a.code}": "none" for a in needs.AREAS}}
    data.update({f"q-{code}": str(score) for code, score in (answers or ANSWERS).items()})
    data.update({"support-finance": "priority", "note-finance": "No financing plan."})
    return data


def test_the_citys_advisor_records_an_assessment_through_the_form(client, city):
    advisor = AdvisorAssignmentFactory(city=city).advisor
    client.force_login(advisor)
    assert client.get(reverse("cities:needs_new", args=[city.slug])).status_code == 200
    response = client.post(reverse("cities:needs_new", args=[city.slug]), form_data())
    assert response.status_code == 302 and response.url == reverse("cities:needs", args=[city.slug])
    view = current_needs(city)
    assert view.answers == ANSWERS and view.assessment.assessor == advisor
    finance = next(r for r in view.results if r.area.code == "finance")
    assert (finance.support, finance.note) == ("priority", "No financing plan.")


def test_the_form_starts_from_the_current_assessment(client, city):
    record(city, on=date(2024, 10, 7))
    client.force_login(AdvisorAssignmentFactory(city=city).advisor)
    form = client.get(reverse("cities:needs_new", args=[city.slug])).context["form"]
    assert form.initial["q-finance-costing"] == 1 and form.initial["support-skills"] == "priority"
    assert form.initial["assessed_on"] == timezone.localdate()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"assessed_on": ""}, "This field is required."),
        ({"assessed_on": "06/10/2025x"}, "Enter a valid date."),
        ({"q-finance-budget": "9"}, "Select a valid choice."),
        ({"support-finance": "urgent"}, "Select a valid choice."),
        ({"note-finance": "n" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"assessed_on": "2030-01-01"}, "The assessment date cannot be in the future."),
    ],
)
def test_a_bad_form_is_shown_again_with_the_reason(client, city, change, problem):
    client.force_login(AdvisorAssignmentFactory(city=city).advisor)
    response = client.post(reverse("cities:needs_new", args=[city.slug]), {**form_data(), **change})
    assert response.status_code == 422
    assert "The assessment was not saved." in response.content.decode()
    assert problem in response.content.decode()
    assert not NeedsAssessment.objects.exists()


def test_a_form_without_any_score_is_refused(client, city):
    client.force_login(AdvisorAssignmentFactory(city=city).advisor)
    data = {k: v for k, v in form_data().items() if not k.startswith("q-")}
    response = client.post(reverse("cities:needs_new", args=[city.slug]), data)
    assert (
        response.status_code == 422 and "Score at least one statement." in response.content.decode()
    )


def test_a_stale_correction_shows_the_conflict(client, city):
    assessment = record(city)
    revise_needs_assessment(assessment, data=NeedsInput(date(2025, 10, 6), {"data-inventory": 4}, {}),
                            base_version=1, by=UserFactory())  # fmt: skip
    client.force_login(AdvisorAssignmentFactory(city=city).advisor)
    address = reverse("cities:needs_edit", args=[city.slug, assessment.pk])
    response = client.post(address, {**form_data(), "version": "1"})
    assert response.status_code == 409
    assert "Someone else corrected this assessment" in response.content.decode()
    assert current_needs(city).answers == {"data-inventory": 4}


def test_only_the_current_assessment_has_a_correction_form(client, city):
    older = record(city, on=date(2024, 10, 7))
    record(city, on=date(2025, 10, 6))
    client.force_login(AdvisorAssignmentFactory(city=city).advisor)
    assert client.get(reverse("cities:needs_edit", args=[city.slug, older.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "reads", "records"),
    [
        ("viewer", True, False),
        ("editor", True, False),
        ("coordinator", True, False),
        ("advisor_of_city", True, True),
        ("staff", True, True),
        ("advisor_elsewhere", False, False),
        ("editor_of_other_city", False, False),
        ("member", False, False),
        ("reviewer", False, False),
    ],
)
def test_the_team_reads_the_assessment_and_its_advisors_record_it(
    client, city, make_person, settings_without_mfa, role, reads, records
):
    record(city)
    client.force_login(make_person(role))
    assert client.get(reverse("cities:needs", args=[city.slug])).status_code == (403, 200)[reads]
    new = client.get(reverse("cities:needs_new", args=[city.slug]))
    assert new.status_code == (403, 200)[records]


def test_anonymous_visitors_are_asked_to_sign_in(client, city):
    response = client.get(reverse("cities:needs", args=[city.slug]))
    assert response.status_code == 302 and "login" in response.url


def test_the_needs_page_shows_statements_and_history(client, city):
    older = record(city, on=date(2024, 10, 7), answers={"finance-budget": 1})
    record(city, on=date(2025, 10, 6))
    client.force_login(MembershipFactory(city=city, role=CityRole.VIEWER).user)
    page = client.get(reverse("cities:needs", args=[city.slug])).content.decode()
    assert "Current assessment, Oct. 6, 2025" in page
    assert "The council has given a formal mandate" in page
    assert reverse("cities:needs_detail", args=[city.slug, older.pk]) in page
    old_page = client.get(
        reverse("cities:needs_detail", args=[city.slug, older.pk])
    ).content.decode()
    assert "This is an earlier assessment" in old_page


@pytest.mark.parametrize("count", [1, 3])
def test_the_needs_page_reads_a_fixed_number_of_queries(
    client, city, django_assert_num_queries, count
):
    for n in range(count):
        record(city, on=date(2023 + n, 3, 1))
    client.force_login(MembershipFactory(city=city, role=CityRole.VIEWER).user)
    client.get(reverse("cities:needs", args=[city.slug]))
    # session, user, roles (2), city, unread count, assessments, their answers, their areas
    with django_assert_num_queries(9):
        assert client.get(reverse("cities:needs", args=[city.slug])).status_code == 200


# --- on the dossier -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees"),
    [("viewer", True), ("advisor_of_city", True), ("staff", True), ("member", False),
     ("editor_of_other_city", False), ("anonymous", False)],
)  # fmt: skip
def test_the_dossier_shows_the_assessment_to_its_readers_only(
    client, city, make_person, settings_without_mfa, role, sees
):
    record(city)
    person = make_person(role)
    if person:
        client.force_login(person)
    page = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert ("Support needs assessment" in page) is sees
    assert ("1.5 of 4 · low" in page) is sees


def test_the_dossier_names_the_advisors_to_signed_in_members(client, city, make_person):
    AdvisorAssignmentFactory(city=city, advisor__full_name="Alma Advisor")
    address = reverse("cities:detail", args=[city.slug])
    assert "Alma Advisor" not in client.get(address).content.decode()
    client.force_login(make_person("member"))
    assert "Climate-Neutral City Advisor: Alma Advisor" in client.get(address).content.decode()


def test_weak_areas_drive_the_recommendations_on_the_dossier(client, city):
    funding = make_entry("Blending grants and loans", ("finance", "green-finance"))
    training = make_entry("Green procurement training", ("procurement",))
    both = make_entry("Training finance officers", ("finance", "learning"))
    make_entry("Cycle lanes", ("mobility",))
    record(city)  # finance is weak (1.5), skills a priority
    client.force_login(MembershipFactory(city=city, role=CityRole.EDITOR).user)
    found = client.get(reverse("cities:detail", args=[city.slug])).context["recommendations"]
    low = "your needs assessment: finance capacity is low"
    priority = "your needs assessment: support on skills is a priority"
    # Two reasons beat one; between equals, the newer entry comes first. Two tags answering the
    # same area count once.
    assert [(r.entry, r.reasons) for r in found] == [
        (both, [low, priority]),
        (training, [priority]),
        (funding, [low]),
    ]
    page = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert f"Recommended for {low}; {priority}" in page


def test_without_an_assessment_nothing_is_recommended_for_needs(client, city):
    make_entry("Blending grants and loans", ("finance",))
    client.force_login(MembershipFactory(city=city, role=CityRole.EDITOR).user)
    assert client.get(reverse("cities:detail", args=[city.slug])).context["recommendations"] == []
