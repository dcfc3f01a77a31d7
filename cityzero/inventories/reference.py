"""The seeded national grid-electricity factors (see the build script for their source).

Like the rest of the reference data this only adds what is missing: a factor staff have corrected
or replaced stays as it is.
"""

import csv
from decimal import Decimal
from pathlib import Path

from cityzero.cities.models import Country
from cityzero.inventories.models import NationalFactor

ELECTRICITY_FILE = Path(__file__).resolve().parent / "data" / "national_electricity_factors.csv"


def load_national_electricity_factors() -> tuple[int, int]:
    """(created, kept): one grid-electricity factor per country and year in the seed file."""
    with ELECTRICITY_FILE.open(encoding="utf-8", newline="") as handle:
        seed = list(csv.DictReader(handle))
    countries = set(Country.objects.values_list("code", flat=True))
    existing = set(
        NationalFactor.objects.filter(carrier="electricity", gas="CO2e").values_list(
            "country_id", "year"
        )
    )
    missing = [
        NationalFactor(
            country_id=row["country"],
            carrier="electricity",
            gas="CO2e",
            value=Decimal(row["t_co2e_per_mwh"]),
            unit="t CO2e/MWh",
            year=int(row["year"]),
            source=row["source"],
            version=row["version"],
        )
        for row in seed
        if row["country"] in countries and (row["country"], int(row["year"])) not in existing
    ]
    NationalFactor.objects.bulk_create(missing)
    return len(missing), len(seed) - len(missing)
