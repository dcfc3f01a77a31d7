"""The public programme API: published calls, cohorts and pilot activities."""

from datetime import datetime

import pytest
from django.utils import timezone

from cityzero.programmes import services
from cityzero.programmes.models import CohortMember
from tests.programmes.factories import make_call, pilot_activity, staff

pytestmark = pytest.mark.django_db


def test_published_calls_with_their_rules_and_criteria(client):
    call = make_call(reported_applicants=377)
    make_call(slug="hidden", published=False)
    found = client.get("/api/v1/programmes/calls").json()
    assert [c["slug"] for c in found] == [call.slug]
    first = found[0]
    assert first["phase"] == "open" and first["programme"] == "utm"
    assert first["rules"][0] == {"check": "population_at_least", "params": {"min": 50000},
                                 "description": "At least 50,000 inhabitants"}  # fmt: skip
    assert first["rules"][1]["params"] == {"months": 3}
    assert first["criteria"][0] == {"name": "Ambition", "weight": 3, "max_score": 5}
    assert first["reported"]["applicants"] == 377
    assert datetime.fromisoformat(first["deadline"]) == call.deadline  # midnight after, Brussels
    assert client.get("/api/v1/programmes/calls/hidden").status_code == 404


def test_a_cohort_lists_its_cities(client, city):
    call = make_call()
    CohortMember.objects.create(cohort=call.cohort, city=city, joined_on=timezone.localdate(),
                                source="Test")  # fmt: skip
    assert client.get("/api/v1/programmes/cohorts").json()[0]["members"] == 1
    detail = client.get(f"/api/v1/programmes/cohorts/{call.cohort.slug}").json()
    assert detail["participants"][0]["city"] == {"slug": "aachen", "name": "Aachen"}
    assert client.get("/api/v1/programmes/cohorts/nowhere").status_code == 404


def test_pilot_activities_with_tranches_and_twinnings(client, city, other_city):
    activity = pilot_activity(city)
    services.release_tranche(activity.tranches.get(trigger="start"), by=staff())
    start = timezone.localdate()
    services.create_twinning_group(activity, twins=[other_city], starts_on=start,
                                   ends_on=start.replace(year=start.year + 1), by=staff())  # fmt: skip
    listed = client.get("/api/v1/programmes/pilot-activities").json()
    assert listed["count"] == 1
    tranches = listed["items"][0]["tranches"]
    assert [(t["paid_when"], t["share_pct"], t["released"]) for t in tranches] == [
        ("start", 40, True), ("interim", 40, False), ("final", 20, False)
    ]  # fmt: skip
    detail = client.get(f"/api/v1/programmes/pilot-activities/{activity.slug}").json()
    assert detail["twinnings"][0]["twins"] == [{"slug": "valencia", "name": "Valencia"}]
    assert client.get("/api/v1/programmes/pilot-activities/none").status_code == 404


def test_applications_are_not_in_the_api(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert not [path for path in paths if "application" in path]
