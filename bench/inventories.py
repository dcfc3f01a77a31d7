"""Inventory figures for `make bench`: recomputing many inventories, and importing a big XLSX.

Prints the figures and writes bench/results/inventories-<stamp>.json (and -latest.json):
- the pure core recomputing 2,000 cities × 200 rows (rows, totals and checks), per city;
- reading and checking a 10,000-row XLSX file the way an import does (nothing is saved).
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityzero.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

CITIES = 2_000
ROWS_PER_CITY = 200
XLSX_ROWS = 10_000
FUELS = (("natural_gas", "MWh"), ("gas_diesel_oil", "l"), ("motor_gasoline", "l"), ("lpg", "t"))
FUEL_REFS = ("I.1.1", "I.2.1", "I.3.1", "I.5.1", "II.1.1", "II.2.1", "II.5.1")


def synthetic_rows(rng: random.Random, count: int) -> list[dict[str, str]]:
    """Fuel rows, grid electricity with a row factor, and directly reported methane."""
    rows = []
    for index in range(count):
        kind = index % 4
        if kind == 3:
            rows.append(
                {"gpc_ref": "III.1.1", "quantity": f"{rng.uniform(1, 500):.3f}", "unit": "t CH4"}
            )
        elif kind == 2:
            rows.append({
                "gpc_ref": "I.1.2", "carrier": "electricity", "quantity": f"{rng.uniform(10, 5e5):.1f}",
                "unit": "MWh", "emission_factor": "0.38", "ef_unit": "t CO2e/MWh",
            })  # fmt: skip
        else:
            carrier, unit = rng.choice(FUELS)
            rows.append({
                "gpc_ref": rng.choice(FUEL_REFS), "carrier": carrier,
                "quantity": f"{rng.uniform(1, 1e6):.2f}", "unit": unit,
            })  # fmt: skip
    return rows


def recompute(items_per_city: list[list]) -> list[float]:
    from cityzero.ghg.checks import run_checks
    from cityzero.ghg.factors import load_ipcc_defaults
    from cityzero.ghg.gases import AR6
    from cityzero.ghg.inventory import calculate
    from cityzero.ghg.totals import totals

    factors = load_ipcc_defaults()
    seconds = []
    for items in items_per_city:
        start = time.perf_counter()
        results = calculate(items, factors, AR6, year=2022)
        run_checks(results, totals(results), year=2022, defaults=factors)
        seconds.append(time.perf_counter() - start)
    return seconds


def main() -> int:
    import django

    django.setup()
    from cityzero.ghg.factors import load_ipcc_defaults
    from cityzero.ghg.gases import AR6
    from cityzero.ghg.inventory import validate
    from cityzero.inventories.interchange import read_file, write_csv, write_xlsx

    rng = random.Random(2030)
    city_rows = [synthetic_rows(rng, ROWS_PER_CITY) for _ in range(CITIES)]
    parsed_cities = [read_file("city.csv", write_csv(rows)).items for rows in city_rows]
    seconds = recompute(parsed_cities)
    per_city_ms = [s * 1000 for s in seconds]

    workbook = write_xlsx(synthetic_rows(rng, XLSX_ROWS))
    start = time.perf_counter()
    parsed = read_file("big.xlsx", workbook)
    problems = validate(parsed.items, load_ipcc_defaults(), AR6, year=2022)
    import_seconds = time.perf_counter() - start
    assert parsed.ok and not problems, (parsed.errors[:3], problems[:3])

    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
        "recompute": {
            "cities": CITIES,
            "rows_per_city": ROWS_PER_CITY,
            "total_s": round(sum(seconds), 2),
            "per_city_ms_median": round(statistics.median(per_city_ms), 2),
            "per_city_ms_p95": round(statistics.quantiles(per_city_ms, n=20)[-1], 2),
        },
        "xlsx_import_check": {
            "rows": XLSX_ROWS,
            "bytes": len(workbook),
            "seconds": round(import_seconds, 2),
        },
    }
    recompute_figures = record["recompute"]
    print(
        f"recompute {CITIES} cities x {ROWS_PER_CITY} rows: {recompute_figures['total_s']} s in all, "
        f"{recompute_figures['per_city_ms_median']} ms per city (median), "
        f"{recompute_figures['per_city_ms_p95']} ms (p95)"
    )
    print(
        f"read and check a {XLSX_ROWS}-row XLSX ({len(workbook) / 1024:.0f} KB): {import_seconds:.2f} s"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(record, indent=2) + "\n"
    (RESULTS / f"inventories-{stamp}.json").write_text(text)
    (RESULTS / "inventories-latest.json").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
