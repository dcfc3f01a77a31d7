"""The row editor: works without JavaScript, same checks as an import, no silent overwrite."""

import pytest
from django.urls import reverse

from cityzero.inventories import selectors, services
from cityzero.inventories.interchange import COLUMNS
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING

pytestmark = pytest.mark.django_db

URL = reverse("inventories:edit_rows", args=["aachen", 2022])


@pytest.fixture
def inventory(city):
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None)
    return services.replace_rows(inventory, [GAS_HEATING], by=None)


def post_rows(client, rows, *, version, deleted=()):
    data = {"version": str(version), "rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"rows-{index}-{name}": row.get(name, "") for name in COLUMNS})
        if index in deleted:
            data[f"rows-{index}-DELETE"] = "on"
    return client.post(URL, data)


@pytest.fixture
def editor_client(client, make_person):
    client.force_login(make_person("editor"))
    return client


def test_editor_shows_the_rows(editor_client, inventory):
    page = editor_client.get(URL).content.decode()
    assert 'value="Gas boilers"' in page and f'name="version" value="{inventory.version}"' in page


def test_saving_adds_and_deletes_lines(editor_client, inventory):
    response = post_rows(
        editor_client,
        [GAS_HEATING, NOT_OCCURRING, GAS_HEATING],
        version=inventory.version,
        deleted={2},
    )
    assert response.status_code == 302
    assert [r["gpc_ref"] for r in selectors.row_records(inventory)] == ["I.1.1", "I.8.1"]


def test_errors_are_given_by_line_and_nothing_is_saved(editor_client, inventory):
    response = post_rows(
        editor_client, [{**GAS_HEATING, "quantity": "ten"}], version=inventory.version
    )
    assert response.status_code == 422
    assert "Line 1, column quantity" in response.content.decode()
    assert selectors.row_records(inventory)[0]["quantity"] == "1000"


def test_a_stale_version_is_refused(editor_client, inventory):
    stale = inventory.version
    services.replace_rows(inventory, [GAS_HEATING, NOT_OCCURRING], by=None)
    response = post_rows(editor_client, [NOT_OCCURRING], version=stale)
    assert (
        response.status_code == 422
        and "Someone else changed these rows" in response.content.decode()
    )
    assert len(selectors.row_records(inventory)) == 2


def test_a_damaged_version_is_refused(editor_client, inventory):
    response = post_rows(editor_client, [GAS_HEATING], version="abc")
    assert response.status_code == 422 and "damaged or is out of date" in response.content.decode()


# A team-only inventory is not found by outsiders; the city's viewer may read but not edit it.
@pytest.mark.parametrize(
    "role, status", [("viewer", 403), ("editor_of_other_city", 404), ("member", 404)]
)
def test_only_editors_edit(client, make_person, inventory, role, status):
    client.force_login(make_person(role))
    assert post_rows(client, [], version=inventory.version).status_code == status
    assert len(selectors.row_records(inventory)) == 1
