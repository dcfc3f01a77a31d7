"""Knowledge search figures for `make bench`: search over 100,000 synthetic entries.

For SQLite and for PostgreSQL in turn, builds a throwaway database (SQLite under var/bench/, a
PostgreSQL database dropped again afterwards), adds 100,000 entries with `generate_knowledge`'s
generator, then runs a fixed list of realistic queries — two-word queries mostly, a few one-word
ones, facet filters and the plain listing — through `selectors.search_entries`, the function the
search page calls, warm, several rounds. Prints p50/p95/max per database against the target and
writes bench/results/knowledge-<stamp>.json (and -latest.json). PostgreSQL is skipped, with a
message, when it does not answer.

    .venv/bin/python bench/knowledge.py                 # both databases, 100,000 entries
    .venv/bin/python bench/knowledge.py --entries 20000 --only sqlite

Target (issue 6): p95 <= 50 ms per search on each database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCH_VAR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cityzero_knowledge_bench"
ENTRIES = 100_000
SEED = 2030
ROUNDS = 5
TARGET_P95_MS = 50.0

# What people type: topics as two words (English and a few other languages), some single words,
# and searches narrowed by facets. Each dict is a selectors.Filters.
TWO_WORDS = (
    "district heating", "heat pumps", "green bonds", "citizens assembly", "energy communities",
    "rooftop solar", "wind turbines", "building renovation", "deep retrofit", "social housing",
    "climate budget", "revolving fund", "cycling infrastructure", "bike lanes", "cargo bikes",
    "electric buses", "zero emission", "public transport", "mobility hubs", "charging points",
    "air quality", "urban logistics", "circular construction", "waste prevention", "food waste",
    "school meals", "urban forest", "tree canopy", "green roofs", "rain gardens", "living lab",
    "behaviour change", "green procurement", "tender criteria", "just transition",
    "energy poverty", "emissions inventory", "activity data", "monitoring indicators",
    "digital twin", "smart grid", "impact pathways", "investment plan", "council decision",
    "horizon europe", "carbon sinks", "waste heat", "shore power", "peatland restoration",
    "municipal budget", "Wärmepumpen Förderung", "réseaux chaleur", "comunità energetiche",
    "asambleas ciudadanas", "groene daken", "fjärrvärme spillvärme",
)  # fmt: skip
ONE_WORD = ("biogas", "sortition", "hydrogen", "superblocks", "energy")
FILTERED: tuple[dict[str, Any], ...] = (
    {"text": "heat pumps", "tags": ("renovation",)},
    {"text": "green bonds", "kind": "guide"},
    {"text": "cycling", "tags": ("active-mobility", "phase-act")},
    {"text": "district heating", "language": "en", "sort": "date"},
    {"tags": ("district-heating",)},
    {"tags": ("energy", "finance")},
    {"language": "de"},
    {"kind": "event"},
    {},  # the search page before anything is typed
)


def queries() -> list[tuple[str, dict[str, Any]]]:
    return (
        [("two words", {"text": text}) for text in TWO_WORDS]
        + [("one word", {"text": text}) for text in ONE_WORD]
        + [("filtered", filters) for filters in FILTERED]
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def figures(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(percentile(values, 0.95), 2),
        "max_ms": round(max(values), 2),
    }


# --- the worker: one database, in its own process (Django is set up once per process) ----------


def worker(entries: int, rounds: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cityzero.knowledge import facets
    from cityzero.knowledge.demo import load_synthetic_entries
    from cityzero.knowledge.models import Entry
    from cityzero.knowledge.selectors import Filters, search_entries

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_synthetic_entries(entries, seed=SEED)
    generate_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a bulk load; SQLite is left as Django leaves it.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = Entry.objects.count()
    started = time.perf_counter()
    facets.build("bench")  # what every process does once after each change to knowledge
    facets_build_ms = (time.perf_counter() - started) * 1000
    timings: dict[int, list[float]] = {}
    hits: dict[int, int] = {}
    listed = queries()
    first: dict[int, float] = {}
    for n, (_category, filters) in enumerate(listed):  # warm up: caches, statements, pages
        start = time.perf_counter()
        hits[n] = search_entries(Filters(**filters)).total
        first[n] = (time.perf_counter() - start) * 1000
    for _ in range(rounds):
        for n, (_category, filters) in enumerate(listed):
            start = time.perf_counter()
            search_entries(Filters(**filters))
            timings.setdefault(n, []).append((time.perf_counter() - start) * 1000)
    every = [ms for values in timings.values() for ms in values]
    categories = {}
    for category in dict.fromkeys(category for category, _filters in listed):
        values = [ms for n, values in timings.items() if listed[n][0] == category for ms in values]
        categories[category] = {"queries": len(values) // rounds, **figures(values)}
    return {
        "vendor": connection.vendor,
        "load_average": [round(value, 1) for value in os.getloadavg()],
        "entries": total,
        "generate_s": round(generate_s, 1),
        "entries_per_s": round(entries / generate_s),
        "facet_index_build_ms": round(facets_build_ms),
        "rounds": rounds,
        "searches": len(every),
        **figures(every),
        "categories": categories,
        "queries": [
            {
                "category": category,
                "filters": {k: list(v) if isinstance(v, tuple) else v for k, v in filters.items()},
                "hits": hits[n],
                "hit_share": round(hits[n] / total, 4) if total else 0,
                "first_ms": round(first[n], 2),
                "median_ms": round(statistics.median(timings[n]), 2),
                "max_ms": round(max(timings[n]), 2),
            }
            for n, (category, filters) in enumerate(listed)
        ],
    }


# --- the parent: prepares each database, runs a worker on it, reports --------------------------


class Unavailable(RuntimeError):
    pass


def fresh_postgres_database(url: str) -> None:
    """Drop and create the benchmark database (the approach of bench/run.py's
    ensure_postgres_database: connect to the server's `postgres` database)."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise Unavailable(f"PostgreSQL at {admin_url} is not reachable: {exc}") from exc


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def sqlite_path() -> Path:
    return BENCH_VAR / "knowledge.sqlite3"


def remove_sqlite() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path()}{suffix}").unlink(missing_ok=True)


def run_worker(database_url: str, entries: int, rounds: int) -> dict[str, Any]:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="tests.settings", SECRET_KEY="bench-only"
    )
    done = subprocess.run(
        [sys.executable, __file__, "--worker", "--entries", str(entries), "--rounds", str(rounds)],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"the worker failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def bench_database(name: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"==> {name}: {args.entries:,} synthetic entries, then {len(queries())} searches "
          f"x {args.rounds} rounds")  # fmt: skip
    if name == "postgres":
        fresh_postgres_database(args.database_url)
        try:
            return run_worker(args.database_url, args.entries, args.rounds)
        finally:
            drop_postgres_database(args.database_url)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    remove_sqlite()
    try:
        return run_worker(f"sqlite:///{sqlite_path()}", args.entries, args.rounds)
    finally:
        remove_sqlite()


def report(name: str, result: dict[str, Any]) -> bool:
    passed = result["p95_ms"] <= TARGET_P95_MS
    print(
        f"{name}: {result['entries']:,} entries generated in {result['generate_s']} s "
        f"({result['entries_per_s']:,}/s); load average at the end "
        f"{'/'.join(map(str, result['load_average']))} on {os.cpu_count()} CPUs; "
        f"facet index built in {result['facet_index_build_ms']} ms"
    )
    print(f"  {'searches':<12} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for category, values in result["categories"].items():
        print(f"  {category:<12} {values['queries']:>4} {values['p50_ms']:>8.1f} "
              f"{values['p95_ms']:>8.1f} {values['max_ms']:>8.1f}")  # fmt: skip
    print(f"  {'all':<12} {len(result['queries']):>4} {result['p50_ms']:>8.1f} "
          f"{result['p95_ms']:>8.1f} {result['max_ms']:>8.1f}  "
          f"{'PASS' if passed else 'FAIL'} (target p95 <= {TARGET_P95_MS:.0f} ms)")  # fmt: skip
    slowest = sorted(result["queries"], key=lambda q: -q["median_ms"])[:5]
    print("  slowest: " + "; ".join(
        f"{q['filters'] or 'no filters'} {q['median_ms']:.0f} ms ({q['hit_share']:.1%} hits)"
        for q in slowest
    ))  # fmt: skip
    shares = sorted(q["hit_share"] for q in result["queries"] if q["category"] == "two words")
    print(f"  two-word queries match {shares[0]:.2%}–{shares[-1]:.2%} of the entries "
          f"(median {statistics.median(shares):.2%})")  # fmt: skip
    return passed


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)  # fmt: skip
    parser.add_argument("--entries", type=int, default=ENTRIES)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL, help="for PostgreSQL")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.entries, args.rounds)))
        return 0
    databases: dict[str, Any] = {}
    verdicts = []
    for name in ("sqlite", "postgres"):
        if args.only and args.only != name:
            continue
        try:
            databases[name] = bench_database(name, args)
        except Unavailable as exc:
            print(f"{name}: SKIPPED — {exc}")
            databases[name] = {"skipped": str(exc)}
            continue
        verdicts.append(report(name, databases[name]))
    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"nproc": os.cpu_count(), "python": platform.python_version()},
        "entries": args.entries,
        "seed": SEED,
        "target_p95_ms": TARGET_P95_MS,
        "databases": databases,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(record, indent=2) + "\n"
    (RESULTS / f"knowledge-{stamp}.json").write_text(text)
    (RESULTS / "knowledge-latest.json").write_text(text)
    print(f"Wrote bench/results/knowledge-{stamp}.json (and knowledge-latest.json)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
