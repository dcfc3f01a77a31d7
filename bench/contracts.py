"""Contract figures for `make bench`: the PDF export of an iteration with 100 actions.

Builds the iteration in a throwaway test database (SQLite in memory), renders the PDF five
times, prints the median and writes bench/results/contracts-<stamp>.json (and -latest.json).
Budget (issue 4): at most 5 s.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
os.environ.pop("DATABASE_URL", None)

ACTIONS = 100
RUNS = 5
BUDGET_S = 5.0


def build_iteration():
    from cityzero.contracts import services
    from cityzero.contracts.models import Action, ImpactPathway
    from tests.contracts.conftest import complete, make_baseline
    from tests.factories import CityFactory

    city = CityFactory(name="Aachen", slug="aachen")
    iteration = complete(services.start_contract(city, baseline=make_baseline(city), by=None))
    pathway = ImpactPathway.objects.filter(iteration=iteration).first()
    for n in range(ACTIONS - iteration.actions.count()):
        action = Action(
            iteration=iteration, name=f"Action {n}: retrofit of public buildings, district {n}",
            field_of_action="buildings", lever="finance", pathway=pathway,
            reduction_buildings=Decimal(100 + n), capex=Decimal(1_000_000 + n),
            opex=Decimal(20_000), responsible="Building department",
            description="Deep retrofit of **schools and offices**, in two phases.",
            start_year=2025, end_year=2030,
        )  # fmt: skip
        services.save_part(iteration, action, base_version=None, by=None,
                           fundings=[{"source": "eu_grant", "amount": Decimal(500_000)}])  # fmt: skip
    return iteration


def main() -> int:
    import django

    django.setup()
    from django.db import connection

    from cityzero.contracts import exports, selectors

    connection.creation.create_test_db(verbosity=0)
    iteration = build_iteration()
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        pdf = exports.contract_pdf(selectors.overview(iteration))
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "contract_pdf": {
            "actions": iteration.actions.count(),
            "bytes": len(pdf),
            "seconds": [round(s, 2) for s in seconds],
            "median_s": round(median, 2),
            "budget_s": BUDGET_S,
        },
    }
    verdict = "PASS" if median <= BUDGET_S else "FAIL"
    print(f"contract PDF with {ACTIONS} actions: {median:.2f} s median of {RUNS} "
          f"({len(pdf) / 1024:.0f} KB)  {verdict} (budget {BUDGET_S:.0f} s)")  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(record, indent=2) + "\n"
    (RESULTS / f"contracts-{stamp}.json").write_text(text)
    (RESULTS / "contracts-latest.json").write_text(text)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
