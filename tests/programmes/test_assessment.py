"""Assessors without conflicts of interest, justified scores, the ranking by weighted score and
the selection into the cohort up to its capacity, with everyone told."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.community.models import Notification
from cityzero.programmes import selectors, services
from cityzero.programmes.models import ApplicationStatus, Assessment, CohortMember, Score
from tests.factories import AdvisorAssignmentFactory, CityFactory, MembershipFactory, UserFactory
from tests.programmes.factories import (
    assessor,
    close,
    make_call,
    scored,
    staff,
    submitted,
    under_assessment,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


@pytest.fixture
def call():
    return make_call()


# --- assigning assessors ----------------------------------------------------------------------------


def test_assigning_an_assessor_starts_the_assessment_and_tells_them(call, city):
    application = submitted(call, city)
    person = assessor()
    assessment = services.assign_assessor(application, assessor=person, by=staff())
    application.refresh_from_db()
    assert application.status == S.UNDER_ASSESSMENT
    notice = Notification.objects.get(recipient=person)
    assert notice.title == "Please assess the application of Aachen to “Call utm”"
    assert notice.url == f"/programmes/assessments/{assessment.pk}/"


@pytest.mark.parametrize("role", [CityRole.VIEWER, CityRole.EDITOR, CityRole.COORDINATOR])
def test_a_member_of_the_applying_city_is_refused_with_the_reason(call, city, role):
    person = assessor()
    MembershipFactory(city=city, role=role, user=person)
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="belongs to the team of Aachen"):
        services.assign_assessor(application, assessor=person, by=staff())
    assert not Assessment.objects.exists()


def test_the_advisor_of_the_applying_city_is_refused_with_the_reason(call, city):
    advisor = AdvisorAssignmentFactory(city=city).advisor
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="advises Aachen"):
        services.assign_assessor(application, assessor=advisor, by=staff())


def test_a_conflict_with_a_partner_city_is_refused_too(city, other_city):
    call = make_call(allows_partners=True, max_partners=1)
    advisor = AdvisorAssignmentFactory(city=other_city).advisor
    application = submitted(call, city, partners=[other_city])
    with pytest.raises(ValidationError, match="advises Valencia"):
        services.assign_assessor(application, assessor=advisor, by=staff())


def test_an_advisor_of_another_city_may_assess(call, city, other_city):
    advisor = AdvisorAssignmentFactory(city=other_city).advisor
    application = submitted(call, city)
    assert services.assign_assessor(application, assessor=advisor, by=staff()).assessor == advisor


@pytest.mark.parametrize(
    "role", [PlatformRole.NONE, PlatformRole.STAFF, PlatformRole.COMMISSION_OFFICER]
)
def test_only_reviewers_and_advisors_assess(call, city, role):
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="not an active reviewer or advisor"):
        services.assign_assessor(application, assessor=UserFactory(platform_role=role), by=staff())


def test_an_assessor_is_assigned_once(call, city):
    person = assessor()
    application = under_assessment(call, city, assessors=[person])
    with pytest.raises(ValidationError, match="assesses this application already"):
        services.assign_assessor(application, assessor=person, by=staff())


def test_a_submitted_assessment_stays_on_record(call, city):
    application = scored(call, city, [[1, 2, 3]])
    with pytest.raises(ValidationError, match="stays on record"):
        services.remove_assessor(application.assessments.get(), by=staff())


# --- scoring ------------------------------------------------------------------------------------------


def sheet(call, *values, justification="Because."):
    return {c.pk: (v, justification) for c, v in zip(call.criteria.all(), values, strict=True)}


def test_a_draft_keeps_the_scores_given_and_changes_nothing_else(call, city):
    application = under_assessment(call, city)
    assessment = application.assessments.get()
    first = call.criteria.first()
    services.save_scores(assessment, scores={first.pk: (4, "Strong plan.")}, submit=False,
                         by=assessment.assessor)  # fmt: skip
    assert list(Score.objects.values_list("criterion", "score", "justification")) == [
        (first.pk, 4, "Strong plan.")
    ]
    application.refresh_from_db()
    assert application.status == S.UNDER_ASSESSMENT and assessment.submitted_at is None


@pytest.mark.parametrize(
    ("values", "justification", "field", "problem"),
    [
        ((6, 1, 1), "x", "score", "Score from 0 to 5."),
        ((-1, 1, 1), "x", "score", "Score from 0 to 5."),
        (("4", 1, 1), "x", "score", "Score from 0 to 5."),
        ((4, 1, 1), "   ", "justification", "Justify the score."),
        ((4, 1, 1), "x" * 5001, "justification", "Keep the justification to 5,000 characters"),
    ],
)
def test_a_bad_score_is_refused_and_nothing_is_saved(call, city, values, justification, field,
                                                     problem):  # fmt: skip
    application = under_assessment(call, city)
    assessment = application.assessments.get()
    with pytest.raises(ValidationError) as refused:
        services.save_scores(assessment, scores=sheet(call, *values, justification=justification),
                             submit=True, by=assessment.assessor)  # fmt: skip
    first = call.criteria.first().pk
    assert refused.value.message_dict[f"{field}_{first}"][0].startswith(problem)
    assert not Score.objects.exists()


def test_submitting_needs_every_criterion(call, city):
    application = under_assessment(call, city)
    assessment = application.assessments.get()
    first = call.criteria.first()
    with pytest.raises(ValidationError, match="Score every criterion before you submit: "
                                              "Resources, Inspiration"):  # fmt: skip
        services.save_scores(assessment, scores={first.pk: (3, "ok")}, submit=True, by=None)


def test_a_criterion_of_another_call_is_refused(call, city):
    application = under_assessment(call, city)
    other = make_call(slug="other").criteria.first()
    with pytest.raises(ValidationError, match="There is no such criterion"):
        services.save_scores(application.assessments.get(), scores={other.pk: (3, "ok")},
                             submit=False, by=None)  # fmt: skip


def test_a_submitted_assessment_is_final(call, city):
    application = scored(call, city, [[1, 2, 3]])
    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_scores(application.assessments.get(), scores=sheet(call, 5, 5, 5),
                             submit=True, by=None)  # fmt: skip


# --- ranking ----------------------------------------------------------------------------------------


def test_the_ranking_by_hand(call, city, other_city):
    # Weights 3, 2, 1, each scored 0–5.
    # Aachen: one assessor 4, 3, 5: 100 × (3×4 + 2×3 + 1×5) / (6×5) = 100 × 23/30 = 76.67.
    # Valencia: two assessors (5, 5, 0) and (3, 1, 2): means 4, 3, 1: 100 × 19/30 = 63.33.
    # Bonn: 2, 5, 2: 100 × 18/30 = 60.
    aachen = scored(call, city, [[4, 3, 5]])
    valencia = scored(call, other_city, [[5, 5, 0], [3, 1, 2]])
    bonn = scored(call, CityFactory(name="Bonn"), [[2, 5, 2]])
    rows = selectors.ranking(call)
    assert [(r.application, r.ranked.position, r.ranked.percent) for r in rows] == [
        (aachen, 1, Decimal("76.67")),
        (valencia, 2, Decimal("63.33")),
        (bonn, 3, Decimal("60.00")),
    ]
    assert rows[1].means == [4, 3, 1]


def test_an_equal_score_goes_to_the_earlier_submission(call, city, other_city):
    first = scored(call, city, [[3, 3, 3]])
    second = scored(call, other_city, [[3, 3, 3]])
    type(first).objects.filter(pk=second.pk).update(
        submitted_at=first.submitted_at - timezone.timedelta(minutes=1)
    )
    rows = selectors.ranking(call)
    assert [r.application.pk for r in rows] == [second.pk, first.pk]
    assert [r.ranked.tie_broken for r in rows] == [False, True]


# --- selection --------------------------------------------------------------------------------------


def test_the_chosen_join_the_cohort_the_others_are_not_selected_and_all_are_told(city, other_city):
    call = make_call(capacity=2)
    chosen = scored(call, city, [[5, 5, 5]])
    other = scored(call, other_city, [[1, 1, 1]])
    people = staff()
    services.select_for_cohort(close(call), chosen=[chosen], by=people)
    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == (S.SELECTED, S.NOT_SELECTED)
    member = CohortMember.objects.get()
    assert (member.city, member.application, member.cohort) == (city, chosen, call.cohort)
    call.refresh_from_db()
    assert call.results_published_by == people and call.decided
    titles = set(Notification.objects.filter(title__contains="selected for").values_list(
        "recipient__memberships__city__name", "title"))  # fmt: skip
    assert titles == {("Aachen", "Aachen is selected for Cohort utm-cohort"),
                      ("Valencia", "Valencia is not selected for Cohort utm-cohort")}  # fmt: skip


def test_no_more_cities_than_the_cohort_has_places(city, other_city):
    call = make_call(capacity=1)
    first = scored(call, city, [[5, 5, 5]])
    second = scored(call, other_city, [[4, 4, 4]])
    with pytest.raises(ValidationError, match="The cohort has 1 places left; the chosen "
                                              "applications bring 2 cities"):  # fmt: skip
        services.select_for_cohort(close(call), chosen=[first, second], by=staff())
    first.refresh_from_db()
    assert first.status == S.SCORED and not CohortMember.objects.exists()


def test_a_multi_city_application_takes_a_place_per_city(city, other_city):
    call = make_call(capacity=2, allows_partners=True, max_partners=2)
    application = scored(call, city, [[5, 5, 5]], partners=[other_city, CityFactory(name="Bonn")])
    with pytest.raises(ValidationError, match="bring 3 cities"):
        services.select_for_cohort(close(call), chosen=[application], by=staff())


def test_places_already_taken_count(city, other_city):
    call = make_call(capacity=1)
    CohortMember.objects.create(cohort=call.cohort, city=CityFactory(name="Bonn"),
                                joined_on=timezone.localdate())  # fmt: skip
    application = scored(call, city, [[5, 5, 5]])
    with pytest.raises(ValidationError, match="0 places left"):
        services.select_for_cohort(close(call), chosen=[application], by=staff())


def test_selection_waits_for_the_call_to_close(call, city):
    application = scored(call, city, [[5, 5, 5]])
    with pytest.raises(ValidationError, match="select once it has closed"):
        services.select_for_cohort(call, chosen=[application], by=staff())


def test_the_selection_is_made_once(call, city):
    application = scored(call, city, [[5, 5, 5]])
    services.select_for_cohort(close(call), chosen=[application], by=staff())
    with pytest.raises(ValidationError, match="it is final"):
        services.select_for_cohort(call, chosen=[], by=staff())


def test_only_scored_applications_of_the_call_are_selected(call, city, other_city):
    elsewhere = scored(make_call(slug="other"), other_city, [[5, 5, 5]])
    scored(call, city, [[5, 5, 5]])
    with pytest.raises(ValidationError, match="Only this call's scored applications"):
        services.select_for_cohort(close(call), chosen=[elsewhere], by=staff())
