import pytest

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


def make_cities(count):
    label_round = LabelRoundFactory()
    spain = CountryFactory(code="ES", numeric_code="724", name="Spain")
    return [
        CityFactory(
            name=f"City {n:02d}",
            country=spain if n % 2 else CountryFactory(),
            mission_status=MissionStatus.LABELLED if n % 2 else MissionStatus.SELECTED,
            label_round=label_round if n % 2 else None,
        )
        for n in range(count)
    ]


def test_list_returns_cities_with_country_and_round(client):
    make_cities(2)
    body = client.get("/api/v1/cities").json()
    assert body["count"] == 2
    assert body["items"][1]["country"] == {"code": "ES", "name": "Spain", "eu_member": True}
    assert body["items"][1]["label_round"]["code"] == "2024-03"
    assert body["items"][0]["label_round"] is None


@pytest.mark.parametrize(
    "query, expected",
    [
        ("country=ES", ["City 01", "City 03"]),
        ("mission=true&label_round=2024-03", ["City 01", "City 03"]),
        ("q=city 0", ["City 00", "City 01", "City 02", "City 03"]),
        ("sort=-name&country=DE", ["City 02", "City 00"]),
    ],
)
def test_list_filters_and_sorts(client, query, expected):
    make_cities(4)
    assert [c["name"] for c in client.get(f"/api/v1/cities?{query}").json()["items"]] == expected


def test_list_paginates(client):
    make_cities(3)
    body = client.get("/api/v1/cities?page=2&page_size=2").json()
    assert (body["count"], [c["name"] for c in body["items"]]) == (3, ["City 02"])


@pytest.mark.parametrize(
    "query",
    [
        "country=Spain",
        "mission=maybe",
        "page=abc",
        "page=0",
        "sort=evil",
        "q=" + "x" * 101,
        "page_size=0",
    ],
)
def test_bad_list_parameters_are_refused_with_details(client, query):
    response = client.get(f"/api/v1/cities?{query}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_is_fixed(client, django_assert_num_queries, count):
    make_cities(count)
    with django_assert_num_queries(2):  # count, page
        assert client.get("/api/v1/cities").status_code == 200


def test_detail_shows_public_sections_only_to_the_public(client, city, make_person):
    author = UserFactory()
    save_section(city, "vision", Visibility.PUBLIC, "Open", by=author)
    save_section(city, "skills", Visibility.TEAM, "Inner", by=author)
    body = client.get(f"/api/v1/cities/{city.slug}").json()
    assert [s["kind"] for s in body["sections"]] == ["vision"] and body["hidden_sections"] == 1
    assert body["sections"][0]["narrative_html"] == "<p>Open</p>"
    client.force_login(make_person("editor"))
    assert [s["kind"] for s in client.get(f"/api/v1/cities/{city.slug}").json()["sections"]] == [
        "vision",
        "skills",
    ]


def test_detail_of_unknown_city_is_404(client):
    assert client.get("/api/v1/cities/atlantis").status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_detail_query_count_is_fixed(client, city, django_assert_num_queries, rows):
    stakeholders = [stakeholder(f"S{n}") for n in range(rows)]
    save_section(city, "stakeholders", "public", rows=stakeholders)
    with django_assert_num_queries(8):  # city, sections, six kinds of rows
        body = client.get(f"/api/v1/cities/{city.slug}").json()
    assert len(body["sections"][0]["rows"]) == rows


def test_labels_lists_rounds_with_their_cities(client):
    make_cities(4)
    body = client.get("/api/v1/labels").json()
    assert [(r["code"], [c["name"] for c in r["cities"]]) for r in body] == [
        ("2024-03", ["City 01", "City 03"])
    ]
    assert body[0]["cities"][0]["country_code"] == "ES"


@pytest.mark.parametrize("count", [1, 3])
def test_labels_query_count_is_fixed(client, django_assert_num_queries, count):
    make_cities(count * 2)
    with django_assert_num_queries(3):  # rounds, cities, endorsed iterations
        assert client.get("/api/v1/labels").status_code == 200


def test_openapi_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/cities", "/api/v1/cities/{slug}", "/api/v1/labels"} <= set(schema["paths"])


def test_docs_page_loads_no_external_assets(client):
    page = client.get("/api/v1/docs").content.decode()
    assert (
        "swagger" in page.lower()
        and "cdn." not in page
        and "https://" not in page.split("<body")[0]
    )


def test_writes_are_not_allowed(client, city):
    assert client.post("/api/v1/cities", {}).status_code == 405


def test_anonymous_clients_are_rate_limited(client):
    statuses = [client.get("/api/v1/labels").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120 and statuses[120] == 429
