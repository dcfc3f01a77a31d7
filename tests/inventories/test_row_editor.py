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


def post_rows(client, rows, *, version, deleted=(), url=URL):
    data = {"version": str(version), "rows-TOTAL_FORMS": str(len(rows)), "rows-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"rows-{index}-{name}": row.get(name, "") for name in COLUMNS})
        if index in deleted:
            data[f"rows-{index}-DELETE"] = "on"
    return client.post(url, data)


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


PREVIEW = reverse("inventories:rows_preview", args=["aachen", 2022])


def test_the_editor_shows_the_saved_totals_before_any_change(editor_client, inventory):
    page = editor_client.get(URL).content.decode()
    assert "As last saved:" in page and "202 t CO2e" in page


def test_the_preview_sums_the_rows_as_typed_and_saves_nothing(editor_client, inventory):
    version = inventory.version
    response = post_rows(
        editor_client,
        [GAS_HEATING, GAS_HEATING, NOT_OCCURRING],
        version=version,
        deleted={1},
        url=PREVIEW,
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "With your changes, not yet saved:" in fragment
    assert "202 t CO2e" in fragment
    doubled = post_rows(editor_client, [GAS_HEATING, GAS_HEATING], version=version, url=PREVIEW)
    assert "404 t CO2e" in doubled.content.decode()
    inventory.refresh_from_db()
    assert inventory.version == version and inventory.rows.count() == 1


def test_the_preview_names_the_lines_to_fix(editor_client, inventory):
    bad = GAS_HEATING | {"quantity": "lots", "gpc_ref": "IX.9"}
    fragment = post_rows(
        editor_client, [GAS_HEATING, bad], version=inventory.version, url=PREVIEW
    ).content.decode()
    assert "2 problems to fix" in fragment
    assert "Line 2, column gpc_ref" in fragment and "Line 2, column quantity" in fragment
    assert "t CO2e" not in fragment


def test_a_damaged_preview_form_is_answered_not_crashed(editor_client, inventory):
    response = editor_client.post(PREVIEW, {"rows-TOTAL_FORMS": "x"})
    assert response.status_code == 200 and "the form is damaged" in response.content.decode()


@pytest.mark.parametrize(
    "role, status", [("anonymous", 302), ("viewer", 403), ("editor_of_other_city", 404)]
)
def test_only_the_editors_may_preview(client, make_person, inventory, role, status):
    person = make_person(role)
    if person:
        client.force_login(person)
    response = post_rows(client, [GAS_HEATING], version=inventory.version, url=PREVIEW)
    assert response.status_code == status


def test_the_preview_takes_posts_only(editor_client, inventory):
    assert editor_client.get(PREVIEW).status_code == 405
