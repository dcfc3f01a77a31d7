"""Build ``cityzero/inventories/data/national_electricity_factors.csv`` (development time only).

The seed of the national grid-electricity factors: the carbon intensity of electricity
generation per country from Our World in Data (compiled from Ember and the Energy Institute
Statistical Review), as redistributed in the codecarbon 3.3.2 package's
``data/private_infra/global_energy_mix.json`` (MIT; the data CC BY 4.0). One year per country,
mostly 2022 or 2023.

Usage: ``pip download codecarbon==3.3.2 --no-deps -d /tmp/cc && cd /tmp/cc && unzip -o
codecarbon-3.3.2-py3-none-any.whl 'codecarbon/data/*'`` then
``python scripts/build_electricity_factors.py /tmp/cc/codecarbon/data/private_infra/global_energy_mix.json``
"""

from __future__ import annotations

import argparse
import csv
import json
from decimal import Decimal
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "cityzero" / "inventories" / "data" / "national_electricity_factors.csv"
SOURCE = (
    "Our World in Data, carbon intensity of electricity generation (from Ember and the Energy "
    "Institute Statistical Review), as shipped in codecarbon 3.3.2; generation-based, not "
    "adjusted for imports; CC BY 4.0"
)
VERSION = "codecarbon 3.3.2"
COLUMNS = ("country", "year", "t_co2e_per_mwh", "source", "version")


def rows(energy_mix: dict[str, dict[str, object]]) -> list[dict[str, str]]:
    """One row per country with an ISO code and a stated intensity, sorted by country code."""
    found = []
    for alpha_3, entry in energy_mix.items():
        country = pycountry.countries.get(alpha_3=alpha_3)
        intensity = entry.get("carbon_intensity")
        if country is None or intensity in (None, ""):
            continue
        # g/kWh = kg/MWh; divide by 1,000 for t/MWh, exactly, from the number as written.
        per_mwh = Decimal(str(intensity)) / 1000
        found.append(
            {
                "country": country.alpha_2,
                "year": str(entry["year"]),
                "t_co2e_per_mwh": format(per_mwh.normalize(), "f"),
                "source": SOURCE,
                "version": VERSION,
            }
        )
    return sorted(found, key=lambda row: row["country"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("energy_mix", type=Path, help="path to global_energy_mix.json")
    args = parser.parse_args()
    built = rows(json.loads(args.energy_mix.read_text(encoding="utf-8")))
    with OUTPUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(built)
    print(f"{len(built)} national electricity factors written to {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
