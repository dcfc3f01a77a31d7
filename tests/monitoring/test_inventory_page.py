"""An inventory year after the baseline shows where the city stands against its endorsed pathway."""

import pytest
from django.urls import reverse

from cityzero.monitoring.models import MonitoringPlan

pytestmark = pytest.mark.django_db


def page(client, city, year=2024):
    return client.get(reverse("inventories:detail", args=[city.slug, year]))


def test_the_team_sees_each_sector_against_the_path_with_the_distance(
    client, city, inventory_2024, city_editor
):
    client.force_login(city_editor)
    html = page(client, city).content.decode()
    assert "Against the contract's pathway" in html
    assert "In 2024 the city emitted 239,400 t CO2e" in html
    assert "allows 249,600 t CO2e that year" in html
    assert "On track: 10,200 t CO2e below the path." in html
    # transport: 90,000 against 80,000 allowed
    assert (
        '<th scope="row">Transport</th><td class="num">90,000</td><td class="num">80,000</td>'
        '<td class="num">10,000 above</td><td><strong class="overdue">Off track</strong>'
    ) in html
    assert "IPPU" not in html.split('id="pathway"')[1].split("</table>")[0]  # nothing emitted there


def test_visitors_see_it_only_once_the_city_publishes_it(client, city, inventory_2024):
    assert "Against the contract" not in page(client, city).content.decode()
    MonitoringPlan.objects.create(city=city, publish_emissions=True)
    assert "Off track" in page(client, city).content.decode()


def test_the_baseline_year_itself_is_not_compared(client, city, inventory_2024, city_editor):
    client.force_login(city_editor)
    assert "Against the contract" not in page(client, city, 2022).content.decode()


def test_without_an_endorsed_contract_there_is_no_comparison(client, city, city_editor):
    from tests.monitoring.conftest import make_inventory

    make_inventory(city, 2024, gas_mwh="1", transport_t="1", waste_t="1")
    client.force_login(city_editor)
    response = page(client, city)
    assert response.status_code == 200
    assert "Against the contract" not in response.content.decode()
