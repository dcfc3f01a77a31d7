"""The community in the API: groups as the directory shows them, a group's page, upcoming events;
with a session, a token or (for groups and events) nothing."""

import pytest

from cityzero.accounts.tokens import create_token
from tests.community.factories import NEXT_MAY, add, make_event, make_group, person

pytestmark = pytest.mark.django_db


def test_groups_are_listed_with_their_member_counts(client):
    heat = make_group("Heat planning", summary="Heat networks.")
    add(heat)
    make_group("Pilots", "private")
    items = client.get("/api/v1/groups").json()["items"]
    assert items == [
        {
            "slug": "heat-planning",
            "name": "Heat planning",
            "kind": "thematic",
            "visibility": "public",
            "summary": "Heat networks.",
            "members": 2,
            "url": "/groups/heat-planning/",
        },
        {
            "slug": "pilots",
            "name": "Pilots",
            "kind": "thematic",
            "visibility": "private",
            "summary": "Cities working on pilots.",
            "members": 1,
            "url": "/groups/pilots/",
        },
    ]


def test_groups_are_searched_and_filtered(client):
    make_group("Heat planning")
    make_group("Cycling", kind="programme")
    assert [g["name"] for g in client.get("/api/v1/groups?q=heat").json()["items"]] == [
        "Heat planning"
    ]
    assert [g["name"] for g in client.get("/api/v1/groups?kind=programme").json()["items"]] == [
        "Cycling"
    ]


def test_a_token_shows_its_owner_their_secret_group(client):
    member = person()
    add(make_group("Board", "secret"), member)
    secret = create_token(member, name="script")
    assert client.get("/api/v1/groups").json()["count"] == 0
    listed = client.get("/api/v1/groups", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert [g["name"] for g in listed["items"]] == ["Board"]


def test_a_groups_last_activity_is_only_for_those_who_may_read_it(client):
    group = make_group("Pilots", "private")
    assert client.get("/api/v1/groups/pilots").json()["last_activity_at"] is None
    client.force_login(add(group))
    assert client.get("/api/v1/groups/pilots").json()["last_activity_at"] is not None


def test_upcoming_events_show_their_zone(client):
    make_event(title="Webinar")
    (event,) = client.get("/api/v1/events").json()["items"]
    assert (event["title"], event["time_zone"], event["group"]) == (
        "Webinar",
        "Europe/Brussels",
        None,
    )
    assert event["starts_at"] == NEXT_MAY.isoformat().replace("+00:00", "Z")
    assert event["calendar_url"] == f"/events/{event['id']}/calendar.ics"


@pytest.mark.parametrize("query", ["?q=" + "x" * 201, "?page=0", "?page=abc", "?kind=" + "x" * 13])
def test_bad_parameters_are_refused_with_a_422(client, query):
    assert client.get("/api/v1/groups" + query).status_code == 422


def test_an_unknown_group_is_404(client):
    assert client.get("/api/v1/groups/no-such-group").status_code == 404
