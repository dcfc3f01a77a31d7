"""Exclusions from the mission scope and a city's own factors, as editors declare them."""

import pytest
from django.urls import reverse

from cityzero.inventories import selectors, services
from cityzero.inventories.models import Exclusion, LocalFactor
from tests.inventories.test_summary import GAS_HEATING, GRID_POWER, record

pytestmark = pytest.mark.django_db

URL = reverse("inventories:boundaries", args=["aachen", 2022])
HEAT = record(gpc_ref="I.1.2", carrier="district_heat", quantity="1000", unit="MWh")


@pytest.fixture
def inventory(city):
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None)
    return services.replace_rows(inventory, [GAS_HEATING], by=None)


@pytest.fixture
def editor_client(client, make_person):
    client.force_login(make_person("editor"))
    return client


def factor_post(**overrides):
    data = {"action": "add_factor", "factor-carrier": "district_heat", "factor-gas": "CO2e",
            "factor-value": "0.15", "factor-unit": "t CO2e/MWh", "factor-year": "2022",
            "factor-source": "Municipal utility 2022 report"}  # fmt: skip
    data.update({f"factor-{key}": value for key, value in overrides.items()})
    return data


def test_an_exclusion_lowers_the_mission_scope(
    editor_client, inventory, django_capture_on_commit_callbacks
):
    data = {"action": "add_exclusion", "exclusion-kind": "eu_ets", "exclusion-gpc_ref": "i.1.1",
            "exclusion-reason": "CHP plant under the EU ETS"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(URL, data).status_code == 302
    inventory.refresh_from_db()
    summary = selectors.inventory_summary(inventory)
    assert (summary["basic_tco2e"], summary["mission_scope_tco2e"]) == (202.0, 0.0)
    assert Exclusion.objects.get().gpc_ref == "I.1.1"


@pytest.mark.parametrize(
    "ref, message", [("I.9.9", "GPC has no sub-sector I.9"), ("", "This field is required")]
)
def test_bad_exclusions_are_refused(editor_client, inventory, ref, message):
    data = {"action": "add_exclusion", "exclusion-kind": "eu_ets", "exclusion-gpc_ref": ref,
            "exclusion-reason": "x"}  # fmt: skip
    response = editor_client.post(URL, data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Exclusion.objects.exists()


def test_a_local_factor_is_used_for_the_citys_rows(editor_client, inventory):
    assert editor_client.post(URL, factor_post()).status_code == 302
    inventory = services.replace_rows(inventory, [GAS_HEATING, HEAT], by=None)
    assert selectors.inventory_summary(inventory)["by_scope"] == {"1": 202.0, "2": 150.0}


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"carrier": "moonshine"}, "not a known carrier"),
        ({"unit": "t CH4/MWh"}, "CH4"),
        ({"value": "-1"}, "greater than or equal to 0"),
        ({"value": "abc"}, "Enter a number"),
        ({"year": "20222"}, "Ensure this value"),
    ],
)
def test_bad_factors_are_refused(editor_client, inventory, overrides, message):
    response = editor_client.post(URL, factor_post(**overrides))
    assert response.status_code == 422 and message in response.content.decode()
    assert not LocalFactor.objects.exists()


def test_a_second_factor_for_the_same_year_is_refused(editor_client, inventory):
    editor_client.post(URL, factor_post())
    response = editor_client.post(URL, factor_post(value="0.2"))
    assert response.status_code == 422 and "already a 2022 factor" in response.content.decode()


@pytest.mark.parametrize("role, status", [("viewer", 403), ("member", 404)])
def test_only_editors_change_boundaries(client, make_person, inventory, role, status):
    client.force_login(make_person(role))
    assert client.post(URL, factor_post()).status_code == status
    assert not LocalFactor.objects.exists()


def test_grid_power_still_needs_a_factor(inventory):
    assert (
        "electricity"
        in selectors.inventory_summary(services.replace_rows(inventory, [GRID_POWER], by=None))[
            "errors"
        ][0]
    )
