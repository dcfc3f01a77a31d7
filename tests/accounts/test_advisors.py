"""Staff assign Climate-Neutral City Advisors to cities: the overview, assigning and removing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.accounts import services
from cityzero.accounts.models import AdvisorAssignment, PlatformRole, TeamEvent
from cityzero.accounts.permissions import can
from cityzero.cities.models import MissionStatus
from cityzero.community.models import Notification
from tests.factories import AdvisorAssignmentFactory, CityFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]


@pytest.fixture
def staff():
    return UserFactory(platform_role=PlatformRole.STAFF, full_name="Sam Staff")


@pytest.fixture
def advisor():
    return UserFactory(platform_role=PlatformRole.ADVISOR, full_name="Alma Advisor")


# --- services -------------------------------------------------------------------------------------


def test_assigning_records_who_and_tells_the_advisor(city, staff, advisor):
    assignment = services.assign_advisor(city, advisor=advisor, by=staff)
    assert assignment.assigned_by == staff
    event = TeamEvent.objects.get(city=city)
    assert (event.kind, event.actor, event.subject_email) == (
        "advisor_assigned", staff, advisor.email,
    )  # fmt: skip
    note = Notification.objects.get(recipient=advisor)
    assert note.title == "You now advise Aachen" and note.url == "/cities/aachen/"


def test_the_new_advisor_may_assess_at_once(city, staff, advisor):
    assert not can(advisor, "city.assess_needs", city)
    services.assign_advisor(city, advisor=advisor, by=staff)
    assert can(advisor, "city.assess_needs", city)


@pytest.mark.parametrize(
    "role",
    [PlatformRole.NONE, PlatformRole.REVIEWER, PlatformRole.STAFF, PlatformRole.COMMISSION_OFFICER],
)
def test_only_people_with_the_advisor_role_advise(city, staff, role):
    with pytest.raises(ValidationError, match="is not a city advisor"):
        services.assign_advisor(city, advisor=UserFactory(platform_role=role), by=staff)
    assert not AdvisorAssignment.objects.exists() and not TeamEvent.objects.exists()


def test_an_inactive_advisor_is_not_assigned(city, staff):
    person = UserFactory(platform_role=PlatformRole.ADVISOR, is_active=False)
    with pytest.raises(ValidationError, match="is not a city advisor"):
        services.assign_advisor(city, advisor=person, by=staff)


def test_assigning_twice_is_refused(city, staff, advisor):
    services.assign_advisor(city, advisor=advisor, by=staff)
    with pytest.raises(ValidationError, match="Alma Advisor already advises Aachen"):
        services.assign_advisor(city, advisor=advisor, by=staff)
    assert TeamEvent.objects.count() == 1


def test_removing_is_recorded_and_ends_the_advisors_rights(city, staff, advisor):
    assignment = services.assign_advisor(city, advisor=advisor, by=staff)
    services.remove_advisor(assignment, by=staff)
    assert not AdvisorAssignment.objects.exists()
    assert list(TeamEvent.objects.values_list("kind", flat=True)) == [
        "advisor_removed", "advisor_assigned",
    ]  # fmt: skip
    assert not can(advisor, "city.assess_needs", city)


# --- pages ----------------------------------------------------------------------------------------


def test_the_overview_highlights_cities_without_an_advisor(
    client, city, other_city, staff, advisor
):
    services.assign_advisor(city, advisor=advisor, by=staff)
    client.force_login(staff)
    page = client.get(reverse("accounts:advisors")).content.decode()
    assert "1 mission city has no advisor yet." in page
    valencia = page[page.index("Valencia") :]
    assert "No advisor yet" in valencia
    aachen = page[page.index(">Aachen<") : page.index("Valencia")]
    assert "Alma Advisor" in aachen and "assigned by Sam Staff" in aachen
    assert "Alma Advisor (1 city)" in page  # each advisor's load in the choice


def test_the_overview_filters_cities_without_an_advisor_and_by_name(
    client, city, other_city, staff, advisor
):
    services.assign_advisor(city, advisor=advisor, by=staff)
    client.force_login(staff)
    without = client.get(reverse("accounts:advisors"), {"without": "on"}).content.decode()
    assert "Valencia" in without and ">Aachen<" not in without
    named = client.get(reverse("accounts:advisors"), {"q": "vale"}).content.decode()
    assert "Valencia" in named and ">Aachen<" not in named


def test_only_mission_cities_count_as_missing_an_advisor(client, staff):
    CityFactory(name="Elsewhere", mission_status=MissionStatus.NONE)
    client.force_login(staff)
    assert (
        "0 mission cities have no advisor yet."
        in client.get(reverse("accounts:advisors")).content.decode()
    )


def test_staff_assign_from_the_overview_and_go_back_to_it(client, city, staff, advisor):
    client.force_login(staff)
    back = reverse("accounts:advisors") + "?without=on"
    response = client.post(
        reverse("accounts:assign_advisor", args=[city.slug]), {"advisor": advisor.pk, "next": back}
    )
    assert response.status_code == 302 and response.url == back
    assert AdvisorAssignment.objects.get().advisor == advisor


def test_a_foreign_address_to_go_back_to_is_ignored(client, city, staff, advisor):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:assign_advisor", args=[city.slug]),
        {"advisor": advisor.pk, "next": "https://evil.example/"},
    )
    assert response.url == reverse("accounts:advisors")


@pytest.mark.parametrize("who", ["member", "reviewer", "missing", "nothing"])
def test_assigning_someone_who_is_not_an_advisor_says_why(client, city, staff, who):
    target = {"member": lambda: UserFactory().pk, "missing": lambda: 999_999,
              "reviewer": lambda: UserFactory(platform_role="reviewer").pk,
              "nothing": lambda: ""}[who]()  # fmt: skip
    client.force_login(staff)
    response = client.post(
        reverse("accounts:assign_advisor", args=[city.slug]), {"advisor": target}, follow=True
    )
    page = response.content.decode()
    assert "Choose one of the listed city advisors." in page or "This field is required." in page
    assert not AdvisorAssignment.objects.exists()


def test_assigning_twice_through_the_page_says_why(client, city, staff, advisor):
    services.assign_advisor(city, advisor=advisor, by=staff)
    client.force_login(staff)
    response = client.post(
        reverse("accounts:assign_advisor", args=[city.slug]), {"advisor": advisor.pk}, follow=True
    )
    assert "Alma Advisor already advises Aachen." in response.content.decode()


def test_removing_another_citys_assignment_through_this_city_is_not_found(client, city, staff):
    elsewhere = AdvisorAssignmentFactory(city=CityFactory(name="Valencia"))
    client.force_login(staff)
    response = client.post(reverse("accounts:remove_advisor", args=[city.slug, elsewhere.pk]))
    assert response.status_code == 404 and AdvisorAssignment.objects.count() == 1


@pytest.mark.parametrize("role", ["coordinator", "advisor_of_city", "reviewer", "member"])
def test_the_overview_is_for_staff_only(client, make_person, role):
    client.force_login(make_person(role))
    assert client.get(reverse("accounts:advisors")).status_code == 403


def test_the_team_page_lists_advisors_and_their_changes(client, city, staff, advisor):
    services.assign_advisor(city, advisor=advisor, by=staff)
    client.force_login(staff)
    page = client.get(reverse("accounts:team", args=[city.slug])).content.decode()
    assert "Alma Advisor" in page and "Assign or remove advisors" in page
    assert f"{advisor.email}: assigned as city advisor" in page


@pytest.mark.parametrize("count", [1, 3])
def test_the_overview_reads_a_fixed_number_of_queries(
    client, staff, django_assert_num_queries, count
):
    for n in range(count):
        AdvisorAssignmentFactory(city=CityFactory(name=f"City {n}"))
    client.force_login(staff)
    client.get(reverse("accounts:advisors"))
    # session, user, roles (2), unread count, the count of cities, the page of cities, their
    # advisors, the advisors with their load, the mission cities without one
    with django_assert_num_queries(10):
        assert client.get(reverse("accounts:advisors")).status_code == 200


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("staff", ["/advisors/", "/support/queue/"]),
        ("advisor_of_city", ["/cities/aachen/needs-assessment/", "/support/mine/"]),
        ("reviewer", ["/support/mine/"]),
        ("viewer", ["/cities/aachen/support/"]),
    ],
)
def test_my_cities_links_to_the_human_support_pages(client, make_person, role, links):
    client.force_login(make_person(role))
    page = client.get(reverse("accounts:home")).content.decode()
    assert all(f'href="{link}"' in page for link in links)
