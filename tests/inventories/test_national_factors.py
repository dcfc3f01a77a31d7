"""The seeded national grid-electricity factors and how inventories use them."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from cityzero.inventories import selectors, services
from cityzero.inventories.models import NationalFactor
from cityzero.inventories.reference import ELECTRICITY_FILE
from tests.inventories.test_summary import GRID_POWER

pytestmark = pytest.mark.django_db


def seed_rows() -> list[dict[str, str]]:
    with ELECTRICITY_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_seed_file_has_one_labelled_factor_per_country():
    rows = seed_rows()
    countries = [row["country"] for row in rows]
    assert len(countries) == len(set(countries)) > 150
    assert all("Our World in Data" in row["source"] and row["version"] for row in rows)
    by_country = {row["country"]: row for row in rows}
    # g/kWh as published ÷ 1,000: Germany 380.95 g/kWh, France 56.039 g/kWh (2023).
    assert (by_country["DE"]["t_co2e_per_mwh"], by_country["DE"]["year"]) == ("0.38095", "2023")
    assert by_country["FR"]["t_co2e_per_mwh"] == "0.056039"
    assert all(0 <= Decimal(row["t_co2e_per_mwh"]) < 2 for row in rows)


def test_reference_data_seeds_factors_and_keeps_staff_corrections():
    call_command("load_reference_data", stdout=io.StringIO())
    germany = NationalFactor.objects.get(country_id="DE", carrier="electricity", year=2023)
    assert (germany.value, germany.unit, germany.gas) == (Decimal("0.38095"), "t CO2e/MWh", "CO2e")
    germany.value = Decimal("0.363")
    germany.source = "Umweltbundesamt, Strommix 2023"
    germany.save()
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    germany.refresh_from_db()
    assert germany.value == Decimal("0.363") and germany.source.startswith("Umweltbundesamt")
    assert "National electricity factors: 0 created" in out.getvalue()


def test_a_grid_electricity_row_uses_the_national_factor_and_says_so(client, city):
    call_command("load_reference_data", stdout=io.StringIO())
    inventory = services.create_inventory(city, 2022, gwp_set="AR6", by=None, visibility="public")
    services.replace_rows(inventory, [GRID_POWER], by=None)
    summary = selectors.inventory_summary(inventory)
    # 2,000 MWh × 0.38095 t CO2e/MWh (Germany; no 2022 factor, so the 2023 one) = 761.9 t CO2e
    assert summary["total_tco2e"] == pytest.approx(761.9)
    (factor,) = summary["lines"][0]["factors"]
    assert (factor["kind"], factor["country"], factor["year"]) == ("national", "DE", 2023)
    assert factor["note"] == "no 2022 factor; the 2023 factor is used"
    page = client.get(reverse("inventories:detail", args=["aachen", 2022])).content.decode()
    assert "<strong>0.38095 t CO2e/MWh</strong> · national factor (DE) · Our World in Data" in page
    assert "no 2022 factor; the 2023 factor is used" in page
