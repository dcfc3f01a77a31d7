"""Who may read and run calls, apply, assess, report on pilot activities and hand in twinning
deliverables."""

from datetime import date

import pytest
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.accounts.permissions import can
from cityzero.programmes.models import (
    Application,
    ApplicationStatus,
    Assessment,
    Call,
    TwinningGroup,
)
from tests.conftest import ROLE_NAMES
from tests.factories import MembershipFactory, UserFactory
from tests.programmes.factories import make_call, pilot_activity

PROGRAMME_ACTIONS = (
    "call.view",
    "call.manage",
    "application.start",
    "application.view",
    "application.edit",
    "application.submit",
    "application.withdraw",
    "application.review",
    "application.score",
    "programme.manage",
    "programme.view_reports",
    "programme.report",
    "programme.view_deliverables",
    "programme.deliver",
)
TEAM = {"viewer", "editor", "coordinator"}
SPEAKERS = {"editor", "coordinator"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(("published", "readers"), [(True, set(ROLE_NAMES)), (False, {"staff"})])
def test_published_calls_are_everyones_drafts_the_staffs(make_person, role, published, readers):
    assert can(make_person(role), "call.view", Call(published=published)) is (role in readers)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("action", ["call.manage", "programme.manage"])
def test_only_staff_run_calls_and_programmes(make_person, role, action):
    assert can(make_person(role), action, None) is (role == "staff")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_a_citys_coordinators_and_editors_apply_for_it_not_the_staff(make_person, city, role):
    assert can(make_person(role), "application.start", city) is (role in SPEAKERS)


@pytest.fixture
def application(city, other_city):
    found = Application.objects.create(call=make_call(allows_partners=True, max_partners=1),
                                       city=city)  # fmt: skip
    found.partners.add(other_city)
    return Application.objects.prefetch_related("partners").get(pk=found.pk)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        ("application.view", ApplicationStatus.DRAFT, TEAM | {"staff", "editor_of_other_city"}),
        ("application.edit", ApplicationStatus.DRAFT, SPEAKERS),
        ("application.edit", ApplicationStatus.SUBMITTED, set()),
        ("application.submit", ApplicationStatus.DRAFT, SPEAKERS),
        ("application.withdraw", ApplicationStatus.ELIGIBLE, SPEAKERS),
    ],
)
def test_the_lead_city_speaks_for_an_application_its_partners_read_it(
    make_person, application, role, action, status, allowed
):
    application.status = status
    assert can(make_person(role), action, application) is (role in allowed)


@pytest.mark.parametrize("action", ["application.review", "application.score"])
@pytest.mark.parametrize("platform_role", [PlatformRole.REVIEWER, PlatformRole.ADVISOR])
def test_the_assigned_assessor_reviews_and_scores(application, action, platform_role):
    person = UserFactory(platform_role=platform_role)
    assert can(person, action, Assessment(application=application, assessor=person)) is True


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("action", ["application.review", "application.score"])
def test_nobody_else_reviews_someone_elses_assessment(make_person, application, role, action):
    assessment = Assessment(application=application,
                            assessor=UserFactory(platform_role=PlatformRole.REVIEWER))  # fmt: skip
    assert can(make_person(role), action, assessment) is False


@pytest.mark.parametrize("city_of", ["lead", "partner"])
def test_an_assessor_who_joined_an_applying_city_loses_the_assessment(application, city,
                                                                      other_city, city_of):  # fmt: skip
    person = UserFactory(platform_role=PlatformRole.REVIEWER)
    MembershipFactory(user=person, city=city if city_of == "lead" else other_city,
                      role=CityRole.VIEWER)  # fmt: skip
    assert (
        can(person, "application.review", Assessment(application=application, assessor=person))
        is False
    )


def test_an_assessor_who_lost_the_role_loses_the_assessment(application):
    person = UserFactory(platform_role=PlatformRole.NONE)
    assert (
        can(person, "application.review", Assessment(application=application, assessor=person))
        is False
    )


def test_a_submitted_assessment_is_read_not_scored(application):
    person = UserFactory(platform_role=PlatformRole.REVIEWER)
    assessment = Assessment(application=application, assessor=person, submitted_at=timezone.now())
    assert (can(person, "application.review", assessment),
            can(person, "application.score", assessment)) == (True, False)  # fmt: skip


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("programme.view_reports", TEAM | {"staff", "editor_of_other_city"}),
        ("programme.report", SPEAKERS | {"editor_of_other_city"}),
    ],
)
def test_the_activitys_cities_report_staff_read(
    make_person, city, other_city, role, action, allowed
):
    activity = pilot_activity(city, partners=[other_city])
    assert can(make_person(role), action, activity) is (role in allowed)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("programme.view_deliverables", TEAM | {"staff", "editor_of_other_city"}),
        ("programme.deliver", SPEAKERS | {"editor_of_other_city"}),
    ],
)
def test_the_pilot_and_its_twins_hand_in_deliverables(make_person, city, other_city, role, action,
                                                      allowed):  # fmt: skip
    group = TwinningGroup.objects.create(activity=pilot_activity(city), starts_on=date(2026, 1, 1),
                                         ends_on=date(2027, 3, 1))  # fmt: skip
    group.twins.add(other_city)
    group = (
        TwinningGroup.objects.select_related("activity").prefetch_related("twins").get(pk=group.pk)
    )
    assert can(make_person(role), action, group) is (role in allowed)
