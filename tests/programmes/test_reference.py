"""The 2021–22 Mission call from reference data, and the demo's calls and programmes."""

import io

import pytest
from django.core.management import call_command

from cityzero.cities.models import City, MissionStatus
from cityzero.programmes.models import (
    Application,
    ApplicationStatus,
    Call,
    CohortMember,
    PilotActivity,
    TwinningGroup,
)
from cityzero.programmes.reference import load_mission_call
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def test_the_mission_call_states_its_figures_and_holds_the_selected_cities_only(city, other_city):
    CityFactory(name="Outsider", mission_status=MissionStatus.NONE)
    loaded = load_mission_call()
    call = Call.objects.get(slug="mission-call-2021")
    assert (call.reported_applicants, call.reported_eligible, call.reported_selected) == (
        377, 362, 112
    )  # fmt: skip
    assert (call.opens_on.isoformat(), call.closes_on.isoformat()) == ("2021-11-25", "2022-01-31")
    assert call.decided and call.phase() == "closed"
    assert not Application.objects.exists()  # no invented applicants
    members = set(CohortMember.objects.values_list("city__name", flat=True))
    assert members == {"Aachen", "Valencia"} and loaded.members_added == 2
    assert load_mission_call().members_added == 0


def test_the_reference_data_makes_the_112_mission_cities_the_cohort():
    call_command("load_reference_data", stdout=io.StringIO())
    cohort = Call.objects.get(slug="mission-call-2021").cohort
    assert cohort.members.count() == 112 == cohort.capacity


def test_the_demo_has_an_open_utm_call_a_pilot_activity_and_a_pair():
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # again: nothing twice
    utm = Call.objects.get(slug="utm-city-cohort")
    assert utm.phase() == "open"
    application = Application.objects.get(call=utm)
    assert (application.city.slug, application.status) == (
        "aachen",
        ApplicationStatus.UNDER_ASSESSMENT,
    )
    activity = PilotActivity.objects.get()
    assert activity.lead_city.slug == "valencia"
    assert [t.is_released for t in activity.tranches.all()] == [True, True, False]
    group = TwinningGroup.objects.get()
    assert [c.slug for c in group.twins.all()] == ["zaragoza"]
    assert City.objects.get(slug="zaragoza").twinning_groups.count() == 1


def test_the_dossier_names_the_programmes_a_city_takes_part_in(client):
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    valencia = client.get("/cities/valencia/").content.decode()
    assert 'id="heading-programmes"' in valencia
    assert "Member of the cohort" in valencia and "Mission Cities 2022" in valencia
    assert "Leads the pilot activity" in valencia
    zaragoza = client.get("/cities/zaragoza/").content.decode()
    assert "Twinned with Valencia on" in zaragoza
