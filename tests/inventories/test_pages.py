import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.inventories import services
from cityzero.inventories.models import Inventory
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory(city):
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
    return services.replace_rows(inventory, [GAS_HEATING, NOT_OCCURRING], by=None)


def test_inventory_page_shows_totals_matrix_chart_and_checks(client, inventory):
    page = client.get(reverse("inventories:detail", args=["aachen", 2022])).content.decode()
    assert "Mission scope (2030 target)" in page and ">202<" in page
    assert "<svg" in page and "Scope 1" in page and "Checks" in page


def test_editor_creates_an_inventory_and_a_copy(client, make_person, inventory):
    client.force_login(make_person("editor"))
    url = reverse("inventories:list", args=["aachen"])
    response = client.post(
        url, {"year": "2023", "gwp_set": "AR6", "visibility": "team", "copy_from": "2022"}
    )
    assert response.status_code == 302
    assert Inventory.objects.get(year=2023).rows.count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"year": "1700", "gwp_set": "AR6", "visibility": "team"}, "greater than or equal to 1990"),
        ({"year": "abc", "gwp_set": "AR6", "visibility": "team"}, "Enter a whole number"),
        (
            {"year": "2022", "gwp_set": "AR6", "visibility": "team"},
            "already has an inventory for 2022",
        ),
        ({"year": "2024", "gwp_set": "AR9", "visibility": "team"}, "Select a valid choice"),
    ],
)
def test_bad_new_inventories_are_refused(client, make_person, inventory, data, message):
    client.force_login(make_person("editor"))
    response = client.post(reverse("inventories:list", args=["aachen"]), data)
    assert response.status_code == 422 and message in response.content.decode()
    assert Inventory.objects.count() == 1


@pytest.mark.parametrize("role", ["member", "viewer", "editor_of_other_city"])
def test_others_cannot_create_inventories(client, make_person, city, role):
    client.force_login(make_person(role))
    data = {"year": "2023", "gwp_set": "AR6", "visibility": "team"}
    assert client.post(reverse("inventories:list", args=["aachen"]), data).status_code == 403
    assert not Inventory.objects.exists()


@pytest.mark.parametrize(
    "role, allowed", [("coordinator", True), ("editor", False), ("viewer", False)]
)
def test_only_coordinators_finalise(client, make_person, inventory, role, allowed):
    client.force_login(make_person(role))
    response = client.post(reverse("inventories:finalise", args=["aachen", 2022]))
    assert response.status_code == (302 if allowed else 403)
    assert Inventory.objects.get().is_final is allowed


def test_team_inventory_is_hidden_from_the_public(client, inventory):
    Inventory.objects.update(visibility="team")
    assert client.get(reverse("inventories:detail", args=["aachen", 2022])).status_code == 404
    assert (
        "2022"
        not in client.get(reverse("inventories:list", args=["aachen"]))
        .content.decode()
        .split("<main")[1]
    )


@pytest.mark.parametrize("count", [1, 3])
def test_inventory_list_queries_do_not_grow(client, city, count, django_assert_num_queries):
    for year in range(2019, 2019 + count):
        services.create_inventory(city, year, gwp_set="AR6", by=None, visibility="public")
    # city, inventories, and for the trend: rows, exclusions, national and local factors
    with django_assert_num_queries(6):
        assert client.get(reverse("inventories:list", args=["aachen"])).status_code == 200


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_editor_imports_a_file_and_sees_every_error(client, make_person, inventory):
    client.force_login(make_person("editor"))
    url = reverse("inventories:import", args=["aachen", 2022])
    bad = b"gpc_ref,description,carrier,quantity,unit,emission_factor,ef_unit,gas,notation_key,explanation,source\r\nI.1.1,,natural_gas,ten,MWh,,,,,,\r\nX.1,,natural_gas,1,MWh,,,,,,\r\n"
    response = client.post(url, {"file": upload("rows.csv", bad)})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Row 2, column quantity" in page and "Row 3, column gpc_ref" in page
    assert Inventory.objects.get().rows.count() == 2


def test_export_downloads_the_rows(client, inventory):
    response = client.get(reverse("inventories:export", args=["aachen", 2022, "csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="aachen-2022.csv"'
    assert b"Gas boilers" in response.content
    assert (
        client.get(reverse("inventories:export", args=["aachen", 2022, "exe"])).status_code == 404
    )


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("rows.txt", b"x", "Choose a .csv or .xlsx file"),
        ("big.csv", b"x" * (5 * 2**20 + 1), "the limit is 5 MB"),
    ],
)
def test_wrong_or_huge_uploads_are_refused(client, make_person, inventory, name, data, message):
    client.force_login(make_person("editor"))
    response = client.post(
        reverse("inventories:import", args=["aachen", 2022]), {"file": upload(name, data)}
    )
    assert response.status_code == 422 and message in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "member", "editor_of_other_city"])
def test_only_editors_import(client, make_person, inventory, role):
    client.force_login(make_person(role))
    response = client.post(
        reverse("inventories:import", args=["aachen", 2022]), {"file": upload("a.csv", b"")}
    )
    assert response.status_code == 403


def test_public_inventory_page_follows_new_imports(
    client, inventory, django_capture_on_commit_callbacks
):
    url = reverse("inventories:detail", args=["aachen", 2022])
    assert ">202<" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.replace_rows(inventory, [{**GAS_HEATING, "quantity": "2000"}], by=None)
    assert ">404<" in client.get(url).content.decode()


def test_outlook_projects_business_as_usual_with_stated_drivers(client, inventory):
    url = reverse("inventories:detail", args=["aachen", 2022])
    page = client.get(url, {"population_growth": "1"}).content.decode()
    # 202 t × 1.01^8 = 218.7 t in 2030; the mission target: 80% of 202 = 161.6, 40.4 remain
    assert "219 t CO2e in 2030" in page
    assert "a reduction of 162 t CO2e, leaving at most 40 t CO2e" in page


@pytest.mark.parametrize(
    "value, message", [("abc", "Enter a number"), ("500", "less than or equal to 50")]
)
def test_bad_drivers_are_explained_and_ignored(client, inventory, value, message):
    page = client.get(
        reverse("inventories:detail", args=["aachen", 2022]), {"population_growth": value}
    )
    text = page.content.decode()
    assert message in text and "202 t CO2e in 2030" in text


def test_inventory_page_draws_the_flow_from_carriers_to_sectors(client, inventory):
    page = client.get(reverse("inventories:detail", args=["aachen", 2022])).content.decode()
    assert 'aria-labelledby="flow-chart-title"' in page
    # 1,000 MWh of natural gas (0.202 t/MWh) into stationary energy; the NO row is no flow.
    assert '<td>Natural gas</td><td>I Stationary energy</td><td class="num">202</td>' in page
    assert page.count("<td>Natural gas</td>") == 1


def test_inventory_list_draws_the_trend_once_there_are_two_years(client, inventory):
    url = reverse("inventories:list", args=["aachen"])
    assert 'aria-labelledby="trend-chart-title"' not in client.get(url).content.decode()
    services.copy_inventory(inventory, 2023, by=None)
    page = client.get(url).content.decode()
    assert 'aria-labelledby="trend-chart-title"' in page and "2023: 202 t CO2e" in page


@pytest.mark.parametrize("count", [2, 4])
def test_inventory_page_queries_do_not_grow(client, city, count, django_assert_num_queries):
    for year in range(2019, 2019 + count):
        inventory = services.create_inventory(
            city, year, gwp_set="AR6", by=None, visibility="public"
        )
        services.replace_rows(inventory, [GAS_HEATING] * count + [NOT_OCCURRING], by=None)
    # inventory, then for its summary: rows, exclusions, national and local factors;
    # the city's years and the summaries of the other years (the same four); source documents
    with django_assert_num_queries(11):
        assert client.get(reverse("inventories:detail", args=["aachen", 2019])).status_code == 200
