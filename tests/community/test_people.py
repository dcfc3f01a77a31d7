"""The directory of people: profiles are hidden until their owners show them, and a hidden one
never appears, not in the directory, its search, the API or the list of people to mention."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.accounts.models import CityRole
from cityzero.community.models import Profile
from cityzero.community.services.people import ensure_profile, update_profile
from tests.community.factories import add, make_group, person
from tests.factories import MembershipFactory
from tests.knowledge.factories import taxonomy

pytestmark = pytest.mark.django_db


def show(user, **fields) -> Profile:
    profile = ensure_profile(user)
    values = {
        "visible": True,
        "handle": profile.handle,
        "job_title": "",
        "bio": "",
        "languages": [],
        "expertise": [],
        **fields,
    }
    return update_profile(user, **values)


@pytest.fixture
def people_world(city):
    tags = taxonomy()
    erika = person("Erika Weber")
    MembershipFactory(user=erika, city=city, role=CityRole.EDITOR)
    show(
        erika,
        job_title="Energy planner",
        languages=["de", "en"],
        expertise=[tags["energy"], tags["district-heating"]],
        bio="Heat networks since 2012.",
    )
    show(person("Pablo Ruiz"), languages=["es"], expertise=[tags["mobility"]])
    hidden = person("Hanna Hidden")
    MembershipFactory(user=hidden, city=city, role=CityRole.VIEWER)
    ensure_profile(hidden)
    return {"erika": erika, "hidden": hidden}


def directory(client, query: str = "") -> str:
    return client.get(reverse("community:people") + query).content.decode()


def test_the_handle_comes_from_the_name_and_is_unique():
    assert ensure_profile(person("Erika Weber")).handle == "erika-weber"
    assert ensure_profile(person("Erika Weber")).handle == "erika-weber-2"
    assert ensure_profile(person(full_name="", email="x.y@example.org")).handle == "xy"
    assert ensure_profile(person("Everyone")).handle == "everyone-1"  # @everyone means no one


def test_hidden_profiles_never_appear_in_the_directory_or_its_search(client, people_world):
    client.force_login(person())
    for query in ("", "?q=Hanna", "?q=hidden", "?city=aachen", "?language=de"):
        assert "Hanna Hidden" not in directory(client, query), query
    assert "Erika Weber" in directory(client, "?q=energy planner")


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("?q=weber", ["Erika Weber"]),
        ("?q=heat networks", ["Erika Weber"]),
        ("?tag=mobility", ["Pablo Ruiz"]),
        ("?language=es", ["Pablo Ruiz"]),
        ("?language=de&tag=energy", ["Erika Weber"]),
        ("?city=aachen", ["Erika Weber"]),
        ("?q=nobody", []),
    ],
)
def test_the_directory_finds_people_by_name_words_expertise_language_and_city(
    client, people_world, query, found
):
    client.force_login(person())
    page = directory(client, query)
    assert [name for name in ("Erika Weber", "Pablo Ruiz") if name in page] == found


@pytest.mark.parametrize(
    "query",
    ["?tag=no-such-tag", "?language=klingon", "?page=abc", "?page=99999", "?q=" + "x" * 300],
)
def test_odd_filters_show_a_page_not_an_error(client, people_world, query):
    client.force_login(person())
    assert client.get(reverse("community:people") + query).status_code == 200


def test_the_directory_is_for_people_signed_in(client, people_world):
    response = client.get(reverse("community:people"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_hidden_profile_page_is_404_to_others_and_shown_to_its_owner(client, people_world):
    hidden = people_world["hidden"]
    url = reverse("community:person", args=[hidden.profile.handle])
    client.force_login(person())
    assert client.get(url).status_code == 404
    client.force_login(hidden)
    assert "only you see this page" in client.get(url).content.decode()


def test_a_shown_profile_has_its_city_role_languages_and_expertise(client, people_world):
    client.force_login(person())
    page = client.get(reverse("community:person", args=["erika-weber"])).content.decode()
    for text in (
        "Energy planner",
        "Aachen",
        "(editor)",
        "German, English",
        "District heating and cooling",
        "Heat networks since 2012.",
    ):
        assert text in page, text


def test_the_api_lists_only_shown_profiles_and_only_to_people_signed_in(client, people_world):
    assert client.get("/api/v1/people").status_code == 401
    client.force_login(person())
    handles = [p["handle"] for p in client.get("/api/v1/people").json()["items"]]
    assert handles == ["erika-weber", "pablo-ruiz"]
    erika = client.get("/api/v1/people?q=weber").json()["items"][0]
    assert (erika["cities"], erika["languages"], erika["expertise"]) == (
        ["aachen"],
        ["de", "en"],
        ["energy", "district-heating"],
    )


def test_the_mention_list_offers_members_with_shown_profiles_only(client, people_world):
    group = make_group("Heat")
    add(group, people_world["erika"])
    add(group, people_world["hidden"])
    client.force_login(add(group))
    url = reverse("community:mentions", args=[group.slug])
    assert "@erika-weber" in client.get(url + "?q=er").content.decode()
    page = client.get(url + "?q=ha").content.decode()
    assert "Hanna" not in page and "hanna-hidden" not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"handle": "Bad Handle"}, "1 to 40 small letters"),
        ({"handle": "-x"}, "1 to 40"),
        ({"handle": "everyone"}, "kept for the platform"),
        ({"handle": "me"}, "kept for"),
        ({"handle": "pablo-ruiz"}, "Someone has the handle"),
        ({"bio": "x" * 601}, "600 characters"),
        ({"languages": ["xx"]}, "listed languages"),
    ],
)
def test_a_bad_profile_is_refused_and_nothing_changes(people_world, fields, message):
    erika = people_world["erika"]
    with pytest.raises(ValidationError, match=message):
        show(erika, **fields)
    assert Profile.objects.get(user=erika).handle == "erika-weber"


def test_at_most_eight_areas_of_expertise(people_world):
    with pytest.raises(ValidationError, match="up to 8 areas"):
        show(people_world["erika"], expertise=list(taxonomy().values())[:9])


def test_the_profile_form_saves_and_says_what_is_wrong(client, people_world):
    erika = people_world["erika"]
    client.force_login(erika)
    url = reverse("community:my_profile")
    response = client.post(url, {"handle": "pablo-ruiz", "visible": "on"})
    assert response.status_code == 422 and "Someone has the handle" in response.content.decode()
    response = client.post(url, {"handle": "erika", "languages": ["fr"], "expertise": ["energy"]})
    assert response.status_code == 302
    profile = Profile.objects.get(user=erika)
    assert (profile.handle, profile.visible, profile.languages) == ("erika", False, ["fr"])
