"""POST /api/v1/cities/{slug}/inventories/{year} for token-authenticated city clients."""

import json

import pytest
from django.urls import reverse

from cityzero.accounts.models import ApiToken
from cityzero.accounts.tokens import create_token
from cityzero.inventories.interchange import write_csv, write_xlsx
from cityzero.inventories.models import Inventory
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING

pytestmark = pytest.mark.django_db

URL = "/api/v1/cities/aachen/inventories/2022"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def editor_token(make_person, city):
    return create_token(make_person("editor"), name="Energy data")


def post(client, token, body, content_type="text/csv"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(URL, data=body, content_type=content_type, headers=headers)


def test_csv_creates_the_inventory_and_returns_its_summary(client, editor_token):
    response = post(client, editor_token, write_csv([GAS_HEATING, NOT_OCCURRING]))
    assert response.status_code == 200 and response.json()["total_tco2e"] == 202.0
    assert Inventory.objects.get().rows.count() == 2


def test_xlsx_and_json_are_accepted_too(client, editor_token):
    assert post(client, editor_token, write_xlsx([GAS_HEATING]), XLSX).status_code == 200
    body = {"rows": [GAS_HEATING, NOT_OCCURRING]}
    response = client.post(URL, data=body, content_type="application/json",
                           headers={"Authorization": f"Bearer {editor_token}"})  # fmt: skip
    assert response.status_code == 200 and response.json()["rows"] == 2


def test_bad_rows_are_listed_and_nothing_is_saved(client, editor_token):
    post(client, editor_token, write_csv([GAS_HEATING]))
    response = post(client, editor_token, write_csv([{**GAS_HEATING, "quantity": "ten"}]))
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("Row 2, column quantity")
    assert Inventory.objects.get().rows.get().quantity == 1000


@pytest.mark.parametrize("token", ["", "cz_not-a-real-token"])
def test_without_a_valid_token_the_door_stays_shut(client, token):
    assert post(client, token, write_csv([GAS_HEATING])).status_code == 401
    assert not Inventory.objects.exists()


def test_a_revoked_token_no_longer_works(client, editor_token):
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert post(client, editor_token, write_csv([GAS_HEATING])).status_code == 401


@pytest.mark.parametrize("role", ["viewer", "editor_of_other_city", "member"])
def test_a_token_carries_only_its_owners_rights(client, make_person, role):
    token = create_token(make_person(role), name="x")
    assert post(client, token, write_csv([GAS_HEATING])).status_code == 403
    assert not Inventory.objects.exists()


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"<xml/>", "application/xml", 415),
        (b'{"rows": "all of them"}', "application/json", 415),
        (b"not json", "application/json", 415),
        (b"x" * (5 * 2**20 + 1), "text/csv", 413),
    ],
)
def test_bad_bodies_are_refused(client, editor_token, body, content_type, status):
    assert post(client, editor_token, body, content_type).status_code == status
    assert not Inventory.objects.exists()


@pytest.mark.parametrize(
    "rows, error",
    [
        (
            [{"gpc_ref": "I.1.1", "qty": "1000", "unit": "MWh"}],
            "rows[0]: unknown column(s) qty; the columns are gpc_ref, description",
        ),
        (
            [{"gpc_ref": "I.1.1", "quantity": {"value": 1000}, "unit": "MWh"}],
            "rows[0].quantity: give text, a number or null",
        ),
        (
            [{"gpc_ref": "I.1.1", "quantity": [1, 2], "unit": "MWh"}],
            "rows[0].quantity: give text, a number or null",
        ),
    ],
)
def test_json_rows_with_unknown_keys_or_nested_values_are_refused(
    client, editor_token, rows, error
):
    response = post(client, editor_token, json.dumps({"rows": rows}).encode(), "application/json")
    assert response.status_code == 422
    (message,) = response.json()["errors"]
    assert message.startswith(error)
    assert not Inventory.objects.exists()


def test_json_numbers_and_nulls_are_taken_as_cells(client, editor_token):
    row = {"gpc_ref": "I.1.1", "carrier": "natural_gas", "quantity": 1000, "unit": "MWh",
           "emission_factor": None}  # fmt: skip
    response = post(client, editor_token, json.dumps({"rows": [row]}).encode(), "application/json")
    assert response.status_code == 200 and response.json()["total_tco2e"] == 202.0


def test_unknown_city_is_404(client, editor_token):
    response = client.post("/api/v1/cities/atlantis/inventories/2022", data=b"", content_type="text/csv",
                           headers={"Authorization": f"Bearer {editor_token}"})  # fmt: skip
    assert response.status_code == 404


def test_tokens_are_made_and_revoked_on_the_account_page(client, make_person):
    client.force_login(make_person("editor"))
    page = client.post(reverse("accounts:api_tokens"), {"name": "Exports"}).content.decode()
    token = ApiToken.objects.get()
    assert "cz_" in page and token.prefix in page and token.key_hash not in page
    client.post(reverse("accounts:revoke_api_token", args=[token.pk]))
    assert ApiToken.objects.get().revoked_at is not None


def test_someone_elses_token_cannot_be_revoked(client, make_person):
    token = create_token(make_person("editor"), name="theirs")
    client.force_login(make_person("member"))
    pk = ApiToken.objects.get().pk
    assert client.post(reverse("accounts:revoke_api_token", args=[pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None and token


@pytest.mark.parametrize("quantity", ["1e400", "-5", "NaN"])
def test_json_numbers_out_of_range_are_refused_by_row_and_column(client, editor_token, quantity):
    row = f'{{"gpc_ref": "I.1.1", "carrier": "natural_gas", "quantity": {quantity}, "unit": "MWh"}}'
    body = f'{{"rows": [{row}]}}'.encode()
    response = post(client, editor_token, body, "application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("Row 2, column quantity")
    assert not Inventory.objects.exists()  # not even an empty one
