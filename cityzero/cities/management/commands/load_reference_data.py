"""Countries, Mission Label rounds and the 112 Mission Cities. Safe to run again.

Only creates what is missing: rows that exist (and any correction staff made to them) stay as
they are. The stored names are English, the platform's source language.
"""

import csv
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pycountry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cityzero.cities.models import City, Country, LabelRound, MissionStatus, PublishedFigures
from cityzero.core.cache import bump_public_data_version
from cityzero.finance.reference import load_funding
from cityzero.inventories.reference import load_national_electricity_factors
from cityzero.knowledge.services import load_tags
from cityzero.programmes.reference import load_mission_call

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
CITIES_FILE = DATA_DIR / "mission_cities.json"
# Figures read by hand from ~100 published Climate City Contracts; see the .md beside it.
FIGURES_FILE = DATA_DIR / "ccc_published_figures.csv"
FIGURES_SOURCE = "Open-Earth-Foundation/Query_mechanism_urbind, documents/"

# The 27 EU member states. Source: europa.eu, "EU countries" (2026).
# fmt: off
EU_MEMBERS = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on

# Countries associated to Horizon Europe. Source: European Commission, "List of participating
# countries in Horizon Europe" (Funding & Tenders portal, 2024 edition): AL BA IS IL ME NO TR GB
# host mission cities; MK RS MD UA GE AM FO TN NZ CA were associated in 2024; Switzerland from
# 1 January 2025. Kosovo, also associated, has no ISO 3166-1 code in pycountry.
# fmt: off
HORIZON_ASSOCIATED = frozenset({
    "AL", "BA", "IS", "IL", "ME", "NO", "TR", "GB",
    "MK", "RS", "MD", "UA", "GE", "AM", "FO", "TN", "NZ", "CA", "CH",
})
# fmt: on

LABEL_SOURCE_CONFIRMED = (
    "European Commission and NetZeroCities announcements of the round "
    "(shared/data/mission_cities.csv)"
)
LABEL_SOURCE_REPORTED = "News reports of the round (shared/data/mission_cities.csv); to be verified"


@dataclass(frozen=True)
class Round:
    code: str
    awarded_on: date
    date_is_month_only: bool
    source: str

    @property
    def name(self) -> str:
        return f"Mission Label round, {self.awarded_on:%B %Y}"


# Source: DOMAIN.md §1 and shared/data/README.md; only the March 2024 round has a known day.
LABEL_ROUNDS = (
    Round("2023-10", date(2023, 10, 1), True, LABEL_SOURCE_CONFIRMED),
    Round("2024-03", date(2024, 3, 21), False, LABEL_SOURCE_CONFIRMED),
    Round("2024-10", date(2024, 10, 1), True, LABEL_SOURCE_REPORTED),
    Round("2025-05", date(2025, 5, 1), True, LABEL_SOURCE_REPORTED),
    Round("2025-10", date(2025, 10, 1), True, LABEL_SOURCE_REPORTED),
    Round("2026-02", date(2026, 2, 1), True, LABEL_SOURCE_REPORTED),
)

# Letters that Unicode decomposition does not reduce to ASCII, so slugify would drop them.
SLUG_TRANSLITERATION = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "AE", "æ": "ae"})


@dataclass
class Tally:
    created: int = 0
    kept: int = 0


def _mission_call() -> Tally:
    loaded = load_mission_call()
    return Tally(created=int(loaded.created), kept=int(not loaded.created))


def city_slug(name: str) -> str:
    return slugify(name.translate(SLUG_TRANSLITERATION))


def load_countries() -> Tally:
    existing = set(Country.objects.values_list("code", flat=True))
    missing = [
        Country(
            code=country.alpha_2,
            numeric_code=country.numeric,
            name=getattr(country, "common_name", None) or country.name,
            eu_member=country.alpha_2 in EU_MEMBERS,
            horizon_associated=country.alpha_2 in HORIZON_ASSOCIATED,
        )
        for country in pycountry.countries
        if country.alpha_2 not in existing
    ]
    Country.objects.bulk_create(missing)
    return Tally(created=len(missing), kept=len(pycountry.countries) - len(missing))


def load_rounds() -> Tally:
    existing = set(LabelRound.objects.values_list("code", flat=True))
    missing = [
        LabelRound(
            code=item.code,
            name=item.name,
            awarded_on=item.awarded_on,
            date_is_month_only=item.date_is_month_only,
            source=item.source,
        )
        for item in LABEL_ROUNDS
        if item.code not in existing
    ]
    LabelRound.objects.bulk_create(missing)
    return Tally(created=len(missing), kept=len(LABEL_ROUNDS) - len(missing))


def new_city(row: dict[str, Any], rounds: dict[str, LabelRound]) -> City:
    code = row["label_round"]
    if code is not None and code not in rounds:
        raise CommandError(
            _("Unknown label round %(code)s for %(city)s.") % {"code": code, "city": row["name"]}
        )
    return City(
        name=row["name"],
        slug=city_slug(row["name"]),
        country_id=row["country_code"],
        mission_status=MissionStatus.LABELLED if code else MissionStatus.SELECTED,
        label_round=rounds[code] if code else None,
        population=row["population"],
        population_source=row["population_source"],
        latitude=Decimal(str(row["latitude"])),
        longitude=Decimal(str(row["longitude"])),
        geonames_id=row["geonames_id"],
    )


def load_cities(rows: list[dict[str, Any]]) -> Tally:
    """A city counts as present when its slug or its GeoNames id is already in the database."""
    slugs = set(City.objects.values_list("slug", flat=True))
    geonames_ids = set(City.objects.exclude(geonames_id=None).values_list("geonames_id", flat=True))
    rounds = {item.code: item for item in LabelRound.objects.all()}
    cities = [new_city(row, rounds) for row in rows]
    if len({city.slug for city in cities}) != len(cities):
        raise CommandError(_("Two mission cities have the same slug."))
    missing = [
        city for city in cities if city.slug not in slugs and city.geonames_id not in geonames_ids
    ]
    City.objects.bulk_create(missing)
    return Tally(created=len(missing), kept=len(cities) - len(missing))


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def _whole_euros(value: str) -> Decimal | None:
    return Decimal(value).quantize(Decimal(1)) if value else None


def _integer(value: str) -> int | None:
    return int(value) if value else None


def published_figures(row: dict[str, str], city: City) -> PublishedFigures:
    tonnes = {
        name: _decimal(row[name])
        for name in ("baseline_tco2e", "latest_inventory_tco2e", *PublishedFigures.SECTOR_FIELDS)
    }
    sources = {
        key.removesuffix("_source"): value
        for key, value in row.items()
        if key.endswith("_source") and key != "source_file" and value
    }
    return PublishedFigures(
        city=city,
        source_document=f"{FIGURES_SOURCE}{row['source_file']}",
        baseline_year=_integer(row["baseline_year"]),
        ippu_note=row["ippu_note"],
        latest_inventory_year=_integer(row["latest_inventory_year"]),
        target_reduction_pct=_decimal(row["target_reduction_pct"]),
        residual_pct=_decimal(row["residual_pct"]),
        target_basis=row["target_basis"],
        investment_need_eur=_whole_euros(row["investment_need_eur"]),
        investment_basis=row["investment_basis"],
        n_actions=_integer(row["n_actions"]),
        n_actions_basis=row["n_actions_basis"],
        sources=sources,
        notes=row["notes"],
        **tonnes,
    )


def load_published_figures() -> Tally:
    """Attach each contract's figures to its city (matched by the mission list's name)."""
    with FIGURES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cities = {city.slug: city for city in City.objects.filter(published_figures=None)}
    missing = [
        published_figures(row, cities[slug])
        for row in rows
        if (slug := city_slug(row["mission_list_name"])) in cities
    ]
    PublishedFigures.objects.bulk_create(missing)
    return Tally(created=len(missing), kept=len(rows) - len(missing))


class Command(BaseCommand):
    help = (
        "Load countries, Mission Label rounds, the Mission Cities, national electricity "
        "factors, knowledge tags and funding types; keeps existing rows."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            tallies = {
                _("Countries"): load_countries(),
                _("Label rounds"): load_rounds(),
                _("Cities"): load_cities(rows),
                _("Published contract figures"): load_published_figures(),
                _("National electricity factors"): Tally(*load_national_electricity_factors()),
                _("Knowledge tags"): Tally(*load_tags()),
                _("Funding types (with their matching rules)"): Tally(*load_funding()),
                _("The 2021–22 Mission call and its cohort"): _mission_call(),
            }
            # bulk_create sends no signals: drop cached public pages ourselves.
            transaction.on_commit(bump_public_data_version)
        for label, tally in tallies.items():
            self.stdout.write(
                _("%(label)s: %(created)d created, %(kept)d kept")
                % {"label": label, "created": tally.created, "kept": tally.kept}
            )
