import io
import json

import pytest
from django.core.management import CommandError, call_command

from cityzero.inventories import services
from cityzero.inventories.interchange import COLUMNS
from tests.factories import UserFactory
from tests.inventories.test_summary import GAS_HEATING, NOT_OCCURRING

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {"total_tco2e", "by_sector", "by_scope", "basic_tco2e", "basic_plus_tco2e",
                "mission_scope_tco2e", "checks"}  # fmt: skip


@pytest.fixture
def inventory(city):
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
    return services.replace_rows(inventory, [GAS_HEATING, NOT_OCCURRING], by=UserFactory())


def test_cli_shows_the_same_json_as_the_api(client, inventory):
    out = io.StringIO()
    call_command("inventory", "show", "--city", "aachen", "--year", "2022", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert set(printed) >= SUMMARY_KEYS and printed["total_tco2e"] == 202.0
    assert client.get("/api/v1/cities/aachen/inventories/2022").json() == printed


def test_cli_refuses_an_unknown_inventory(inventory):
    with pytest.raises(CommandError, match="no inventory for 1999"):
        call_command(
            "inventory", "show", "--city", "aachen", "--year", "1999", stdout=io.StringIO()
        )


def test_team_inventory_is_not_found_for_the_public(client, inventory, make_person):
    inventory.visibility = "team"
    inventory.save()
    assert client.get("/api/v1/cities/aachen/inventories/2022").status_code == 404
    client.force_login(make_person("viewer"))
    assert client.get("/api/v1/cities/aachen/inventories/2022").status_code == 200


@pytest.mark.parametrize("year", ["twenty", "2022.5"])
def test_bad_year_is_refused(client, inventory, year):
    assert client.get(f"/api/v1/cities/aachen/inventories/{year}").status_code == 422


def test_cli_export_then_import_round_trips(inventory, city, tmp_path):
    target = tmp_path / "aachen.xlsx"
    call_command(
        "inventory",
        "export",
        "--city",
        "aachen",
        "--year",
        "2022",
        str(target),
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command(
        "inventory", "import", "--city", "aachen", "--year", "2023", str(target), stdout=out
    )
    assert "Imported 2 rows" in out.getvalue()
    show = io.StringIO()
    call_command("inventory", "show", "--city", "aachen", "--year", "2023", "--json", stdout=show)
    assert json.loads(show.getvalue())["total_tco2e"] == 202.0


def test_cli_import_reports_errors_and_saves_nothing(inventory, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        ",".join(COLUMNS) + "\r\nI.1.1,,natural_gas,lots,MWh,,,,,,\r\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="Row 2, column quantity"):
        call_command("inventory", "import", "--city", "aachen", "--year", "2022", str(bad))
    assert inventory.rows.count() == 2


def test_cli_import_of_a_missing_file_says_so(inventory, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command(
            "inventory", "import", "--city", "aachen", "--year", "2022", str(tmp_path / "x.csv")
        )
