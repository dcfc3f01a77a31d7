"""The public pages: mission overview, city list, city dossier; query counts and caching."""

import pytest
from django.urls import reverse

from cityzero.cities.models import MissionStatus, Visibility
from tests.factories import (
    CityFactory,
    CountryFactory,
    LabelRoundFactory,
    UserFactory,
    save_section,
    stakeholder,
)

pytestmark = pytest.mark.django_db


def make_cities(count: int) -> None:
    spain = CountryFactory(code="ES", numeric_code="724", name="Spain")
    label_round = LabelRoundFactory()
    for n in range(count):
        CityFactory(
            country=spain if n % 2 else CountryFactory(),
            mission_status=MissionStatus.LABELLED if n % 2 else MissionStatus.SELECTED,
            label_round=label_round if n % 2 else None,
        )


@pytest.mark.parametrize("count", [1, 3])
def test_city_list_queries_do_not_grow_with_cities(client, django_assert_num_queries, count):
    make_cities(count)
    with django_assert_num_queries(4):  # countries, rounds, count, page
        response = client.get(reverse("cities:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_mission_page_queries_do_not_grow_with_cities(client, django_assert_num_queries, count):
    make_cities(count)
    with django_assert_num_queries(3):  # totals, rounds, map points
        assert client.get(reverse("cities:mission")).status_code == 200


def test_mission_page_shows_figures_and_both_charts(client):
    make_cities(3)
    page = client.get(reverse("cities:mission")).content.decode()
    assert "<strong>3</strong> mission cities" in page
    assert "<strong>1</strong> city with the Mission Label" in page
    assert page.count("<svg") >= 2


@pytest.mark.parametrize("rows", [1, 3])
def test_city_dossier_queries_do_not_grow_with_rows(client, city, django_assert_num_queries, rows):
    author = UserFactory()
    stakeholders = [stakeholder(f"S{n}") for n in range(rows)]
    save_section(city, "stakeholders", "public", rows=stakeholders, by=author)
    save_section(city, "vision", "public", "Text", by=author)
    # city, sections, six kinds of rows, the transition-map progress (steps per status), the
    # public results of the Finance Guidance Tool, the programmes (cohorts, pilot activities,
    # twinnings), nothing else
    with django_assert_num_queries(13):
        response = client.get(reverse("cities:detail", args=[city.slug]))
    assert response.status_code == 200


def test_city_list_filters_by_country_and_name(client):
    make_cities(3)
    CityFactory(name="Sevilla", country=CountryFactory(code="ES", name="Spain"))
    page = client.get(reverse("cities:list"), {"country": "ES", "q": "sev"}).content.decode()
    assert "Sevilla" in page and "City 0" not in page and "1 city" in page


def test_city_list_filters_mission_and_label_round(client):
    make_cities(3)
    CityFactory(name="Twin Town", mission_status=MissionStatus.NONE)
    assert (
        "Twin Town" not in client.get(reverse("cities:list"), {"mission": "yes"}).content.decode()
    )
    assert "Twin Town" in client.get(reverse("cities:list"), {"mission": "no"}).content.decode()
    labelled = client.get(reverse("cities:list"), {"label_round": "2024-03"}).content.decode()
    assert "1 city" in labelled


def test_city_list_sorts_by_population(client):
    CityFactory(name="Small", population=10)
    CityFactory(name="Large", population=10_000)
    page = client.get(reverse("cities:list"), {"sort": "population"}).content.decode()
    assert page.index("Large") < page.index("Small")


def test_city_list_ignores_unknown_filters_with_a_message(client):
    make_cities(2)
    page = client.get(reverse("cities:list"), {"country": "ZZ", "sort": "evil"}).content.decode()
    assert "Some filters were not understood" in page and "2 cities" in page


def test_htmx_request_gets_only_the_results(client):
    make_cities(2)
    page = client.get(reverse("cities:list"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in page and "2 cities" in page


def test_unknown_city_is_not_found(client):
    assert client.get(reverse("cities:detail", args=["atlantis"])).status_code == 404


def test_dossier_shows_only_sections_the_visitor_may_read(client, city, make_person):
    author = UserFactory()
    save_section(city, "vision", Visibility.PUBLIC, "Open vision", by=author)
    save_section(city, "skills", Visibility.TEAM, "Team-only skills", by=author)
    anonymous_page = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert "Open vision" in anonymous_page and "Team-only skills" not in anonymous_page
    assert "1 more section is shared only" in anonymous_page
    client.force_login(make_person("viewer"))
    assert (
        "Team-only skills"
        in client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    )


def test_cached_public_page_changes_after_an_edit(client, city):
    url = reverse("cities:detail", args=[city.slug])
    save_section(city, "vision", "public", "First")
    assert "First" in client.get(url).content.decode()
    save_section(city, "vision", "public", "Second", version=1)
    assert "Second" in client.get(url).content.decode()


def test_anonymous_pages_are_served_from_cache(client, city, django_assert_num_queries):
    url = reverse("cities:detail", args=[city.slug])
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_home_page_explains_the_platform(client):
    page = client.get(reverse("home")).content.decode()
    assert "Climate-neutral cities, together" in page


def test_cached_pages_keep_their_security_headers(client, city):
    url = reverse("cities:detail", args=[city.slug])
    client.get(url)
    cached = client.get(url)
    assert cached["X-Frame-Options"] == "DENY" and cached["X-Content-Type-Options"] == "nosniff"


def test_signed_in_users_see_new_cities_in_the_cached_table(client, make_person):
    client.force_login(make_person("member"))
    client.get(reverse("cities:list"))
    CityFactory(name="Brand New Town")
    assert "Brand New Town" in client.get(reverse("cities:list")).content.decode()


def test_cached_dossier_sections_follow_edits_and_who_is_looking(client, city, make_person):
    url = reverse("cities:detail", args=[city.slug])
    save_section(city, "skills", Visibility.TEAM, "Team-only skills")
    client.force_login(make_person("member"))
    assert "Team-only skills" not in client.get(url).content.decode()
    client.force_login(make_person("viewer"))
    assert "Team-only skills" in client.get(url).content.decode()
    save_section(city, "skills", Visibility.TEAM, "Rewritten skills", version=1)
    assert "Rewritten skills" in client.get(url).content.decode()


def test_signed_in_dossier_reads_sections_once_then_from_cache(
    client, city, make_person, django_assert_max_num_queries
):
    save_section(city, "vision", "public", "Text")
    client.force_login(make_person("editor"))
    url = reverse("cities:detail", args=[city.slug])
    client.get(url)
    # session, user, roles (2), city, unread count, the city's advisors; for the team, the
    # current needs assessment (none here) and the recommended knowledge: the contract, the
    # dossier's barriers (no entries published here); the results of the Finance Guidance Tool;
    # the programmes (cohorts, pilot activities, twinnings).
    with django_assert_max_num_queries(14):
        assert "Text" in client.get(url).content.decode()
