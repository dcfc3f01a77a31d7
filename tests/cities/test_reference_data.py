import csv
import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from cityzero.cities.management.commands.load_reference_data import CITIES_FILE, city_slug
from cityzero.cities.models import City, Country, LabelRound, MissionStatus

CSV_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "mission_cities.csv"


def csv_round_counts() -> Counter[str]:
    if not CSV_FILE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CSV_FILE} is missing: CI lays shared/ beside the clone")
        pytest.skip(f"{CSV_FILE} is not there (shared/ is laid beside the repository)")
    with CSV_FILE.open(encoding="utf-8", newline="") as handle:
        return Counter(
            row["mission_label_round"]
            for row in csv.DictReader(handle)
            if row["mission_label_round"]
        )


def load() -> str:
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()


def test_json_matches_the_csv():
    rows = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
    assert len(rows) == 112
    assert len({row["country_code"] for row in rows}) == 35
    assert Counter(row["label_round"] for row in rows if row["label_round"]) == csv_round_counts()
    eindhoven = next(row for row in rows if row["name"] == "Eindhoven & Helmond")
    assert eindhoven["geonames_name"] == "Eindhoven + Helmond"
    assert eindhoven["population"] == 235691 + 74740
    assert {
        row["country_code"] for row in rows if row["name"] in ("Thessaloniki", "Izmir", "Bristol")
    } == {
        "GR",
        "TR",
        "GB",
    }


def test_slugs_keep_letters_without_decomposition():
    assert city_slug("Łódź") == "lodz"
    assert city_slug("Sønderborg") == "sonderborg"
    assert city_slug("Brussels Capital Region") == "brussels-capital-region"


@pytest.mark.django_db
def test_loader_creates_cities_countries_and_rounds():
    output = load()
    assert "Cities: 112 created, 0 kept" in output
    mission = City.objects.filter(
        mission_status__in=[MissionStatus.SELECTED, MissionStatus.LABELLED]
    )
    assert mission.count() == 112
    assert mission.values("country").distinct().count() == 35
    assert Country.objects.filter(eu_member=True).count() == 27
    assert Country.objects.get(code="TR").horizon_associated
    assert not Country.objects.get(code="FR").horizon_associated
    counts = Counter(
        City.objects.exclude(label_round=None).values_list("label_round__code", flat=True)
    )
    assert counts == csv_round_counts()
    assert counts["2023-10"] == 10  # hand-counted, DOMAIN.md §1
    assert counts["2024-03"] == 23
    assert City.objects.filter(mission_status=MissionStatus.LABELLED).count() == sum(
        counts.values()
    )
    assert City.objects.get(slug="tartu").mission_status == MissionStatus.SELECTED


@pytest.mark.django_db
def test_label_rounds_dates():
    load()
    march = LabelRound.objects.get(code="2024-03")
    assert str(march.awarded_on) == "2024-03-21" and not march.date_is_month_only
    assert march.name == "Mission Label round, March 2024"
    october = LabelRound.objects.get(code="2023-10")
    assert str(october.awarded_on) == "2023-10-01" and october.date_is_month_only
    assert LabelRound.objects.count() == 6


@pytest.mark.django_db
def test_running_again_creates_nothing_and_keeps_corrections():
    load()
    City.objects.filter(slug="paris").update(population=2_100_000, name="Ville de Paris")
    Country.objects.filter(code="IS").update(horizon_associated=False)
    output = load()
    assert "Countries: 0 created" in output
    assert "Label rounds: 0 created, 6 kept" in output
    assert "Cities: 0 created, 112 kept" in output
    paris = City.objects.get(slug="paris")
    assert (paris.name, paris.population) == ("Ville de Paris", 2_100_000)
    assert not Country.objects.get(code="IS").horizon_associated
    assert City.objects.count() == 112
