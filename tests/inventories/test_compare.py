import pytest
from django.urls import reverse

from cityzero.inventories import services
from tests.factories import CityFactory
from tests.inventories.test_summary import GAS_HEATING

pytestmark = pytest.mark.django_db


def city_with_inventory(name: str, *, visibility="public", quantity="1000", population=100_000):
    city = CityFactory(name=name, population=population)
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None, visibility=visibility)
    services.replace_rows(inventory, [{**GAS_HEATING, "quantity": quantity}], by=None)
    return city


def compare(client, *slugs):
    return client.get(reverse("inventories:compare"), {"cities": list(slugs)})


def test_cities_are_shown_per_inhabitant(client):
    small = city_with_inventory("Smallton", population=1_000)
    large = city_with_inventory("Largeville", quantity="10000", population=1_000_000)
    page = compare(client, small.slug, large.slug).content.decode()
    # 202 t / 1,000 people = 0.20; 2,020 t / 1,000,000 people = 0.00
    assert '<td class="num">0.20</td>' in page and '<td class="num">0.00</td>' in page


def test_team_inventories_of_other_cities_stay_hidden(client):
    hidden = city_with_inventory("Secretville", visibility="team")
    page = compare(client, hidden.slug).content.decode()
    assert "Secretville" not in page


def test_at_most_six_cities(client):
    slugs = [city_with_inventory(f"Town {n}").slug for n in range(7)]
    page = compare(client, *slugs).content.decode()
    assert "Choose at most 6 cities" in page


def test_unknown_cities_are_refused(client):
    assert "Select a valid choice" in compare(client, "atlantis").content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_compare_queries_do_not_grow(client, count, django_assert_num_queries):
    slugs = [city_with_inventory(f"Town {n}").slug for n in range(count)]
    # choices, inventories, then rows, exclusions, national and local factors
    with django_assert_num_queries(6):
        assert compare(client, *slugs).status_code == 200
