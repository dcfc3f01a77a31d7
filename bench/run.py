"""Measure CityZero against the budgets in DESIGN.md ("Budgets").

    make bench                         # SQLite under var/bench/
    make bench BENCH_ARGS=--postgres   # PostgreSQL (database cityzero_bench on 127.0.0.1)

Prepares a throwaway database (migrate, reference data, demo data, collectstatic), serves it with
granian (2 WSGI workers, DEBUG=false) on 127.0.0.1, loads each page with wrk (2 threads,
16 connections) and compares its throughput with a bare "hello" view served by the same server in
the same run. Also weighs the city dossier page (HTML + its CSS/JS/images, gzip-compressed).
Results go to bench/results/<timestamp>.json and bench/results/latest.json. Exits 1 when a budget
is missed. Load stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
REDIS_URL = "redis://127.0.0.1:6379/1"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/cityzero_bench"

# DESIGN.md, "Budgets".
MIN_RATIO_TO_HELLO = 0.25
MAX_P99_MS = 100.0
MAX_PAGE_WEIGHT_BYTES = 150 * 1024
HELLO = "/-/hello/"


class BenchError(RuntimeError):
    """A precondition failed; the message says what to do."""


# --------------------------------------------------------------------------------------------
# wrk output


@dataclass
class WrkResult:
    requests_per_second: float
    latency_ms: dict[str, float]  # "p50", "p75", "p90", "p99"
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return self.non_2xx_3xx + sum(self.socket_errors.values())


_TIME_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_PERCENTILE_RE = re.compile(
    r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.MULTILINE
)
_RPS_RE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_REQUESTS_RE = re.compile(r"^\s*(\d+) requests in ", re.MULTILINE)
_NON2XX_RE = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_RE = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


def parse_wrk(output: str) -> WrkResult:
    """Parse the text `wrk --latency` prints."""
    rps = _RPS_RE.search(output)
    requests = _REQUESTS_RE.search(output)
    if rps is None or requests is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    latency = {
        f"p{pct}": float(value) * _TIME_UNITS_MS[unit]
        for pct, value, unit in _PERCENTILE_RE.findall(output)
    }
    if "p99" not in latency:
        raise ValueError(f"no latency distribution in wrk output (use --latency):\n{output}")
    non2xx = _NON2XX_RE.search(output)
    sockets = _SOCKET_RE.search(output)
    socket_errors = (
        dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True))
        if sockets
        else {}
    )
    return WrkResult(
        requests_per_second=float(rps.group(1)),
        latency_ms=latency,
        requests=int(requests.group(1)),
        non_2xx_3xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=socket_errors,
    )


# --------------------------------------------------------------------------------------------
# Page weight


class _AssetFinder(HTMLParser):
    """Collects the URLs of stylesheets, scripts, images and icons a page links to."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        rel = attr.get("rel", "").lower().split()
        if tag == "link" and ({"stylesheet", "icon", "preload", "modulepreload"} & set(rel)):
            self.urls.append(attr.get("href", ""))
        elif tag in {"script", "img"} and attr.get("src"):
            self.urls.append(attr["src"])


def compressed_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


@dataclass
class PageWeight:
    url: str
    html_bytes: int
    total_bytes: int
    assets: dict[str, int]  # URL -> gzip-compressed bytes (the HTML included, first)
    skipped: list[str]  # other hosts, data: URLs, failed fetches

    @property
    def passed(self) -> bool:
        return self.total_bytes <= MAX_PAGE_WEIGHT_BYTES and not self.skipped


def fetch(url: str, timeout: float = 10.0) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "cityzero-bench"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read()
        return body


def page_weight(url: str) -> PageWeight:
    html = fetch(url)
    finder = _AssetFinder()
    finder.feed(html.decode("utf-8", errors="replace"))
    sizes = {url: compressed_size(html)}
    skipped: list[str] = []
    page_host = urlsplit(url).netloc
    for ref in dict.fromkeys(finder.urls):  # de-duplicated, in page order
        asset = urljoin(url, ref)
        if urlsplit(asset).netloc != page_host or not asset.startswith("http"):
            skipped.append(ref)  # DESIGN.md: nothing loads from another host
            continue
        try:
            sizes[asset] = compressed_size(fetch(asset))
        except (urllib.error.URLError, OSError):
            skipped.append(asset)
    return PageWeight(
        url=url,
        html_bytes=sizes[url],
        total_bytes=sum(sizes.values()),
        assets=sizes,
        skipped=skipped,
    )


# --------------------------------------------------------------------------------------------
# Environment: database, cache, server, tools


def venv_bin(name: str) -> str:
    for directory in (Path(sys.executable).parent, ROOT / ".venv" / "bin"):
        candidate = directory / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BenchError(f"{name} not found; run `make venv` first")
    return found


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        print("==> wrk is missing: installing Debian's wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk is missing; install it with:  sudo apt-get install wrk")
    return found


def redis_answers(host: str = "127.0.0.1", port: int = 6379, db: int = 1) -> bool:
    """PING Redis; if it answers, empty the benchmark's own database so runs start cold."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as conn:
            conn.sendall(f"PING\r\nSELECT {db}\r\nFLUSHDB\r\n".encode())
            reply = b""
            while reply.count(b"\r\n") < 3:
                chunk = conn.recv(1024)
                if not chunk:
                    break
                reply += chunk
            return reply.startswith(b"+PONG") and reply.count(b"+OK") == 2
    except OSError:
        return False


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark database if it does not exist yet."""
    import psycopg  # installed with CityZero
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise BenchError(f"PostgreSQL at {admin_url} is not reachable: {exc}") from exc


def bench_env(database_url: str, use_redis: bool) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),  # throwaway: sessions die with the run
        ALLOWED_HOSTS=HOST,
        CITYZERO_BENCH_HELLO="true",
        CITYZERO_VAR_DIR=str(BENCH_VAR),
        DATABASE_URL=database_url,
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
    )
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def cityzero(env: dict[str, str], *args: str) -> str:
    """Run a `cityzero` management command; on failure show its output and stop."""
    result = subprocess.run(
        [venv_bin("cityzero"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise BenchError(
            f"`cityzero {' '.join(args)}` failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(BENCH_VAR / "cache", ignore_errors=True)  # the file cache, when no Redis
    for command in (
        ["migrate", "--noinput"],
        ["load_reference_data"],
        ["load_demo"],  # prints demo credentials; captured, not shown
        ["collectstatic", "--noinput"],
    ):
        print(f"==> cityzero {' '.join(command)}")
        cityzero(env, *command)


_CITY_QUERY = """
from cityzero.cities.models import City
cities = City.objects.order_by("pk")
slug = cities.filter(illustrative=True).values_list("slug", flat=True).first()
print("BENCH_CITY=" + (slug or cities.values_list("slug", flat=True).first() or ""))
from cityzero.inventories.models import Inventory
public = Inventory.objects.filter(visibility="public").order_by("pk").select_related("city").first()
print("BENCH_INVENTORY=" + (f"/cities/{public.city.slug}/inventories/{public.year}/" if public else ""))
from cityzero.contracts.models import Iteration
it = Iteration.objects.filter(visibility="public").order_by("pk").select_related("contract__city").first()
print("BENCH_CONTRACT=" + (f"/cities/{it.contract.city.slug}/contract/{it.number}/" if it else ""))
done = Iteration.objects.filter(status="endorsed").order_by("pk").select_related("contract__city").first()
print("BENCH_PROGRESS=" + (f"/cities/{done.contract.city.slug}/progress/" if done else ""))
"""


def demo_pages(env: dict[str, str], default: str) -> tuple[str, list[str]]:
    """The first demo city's slug, and the paths of the first public inventory and contract and
    of the first endorsed contract's progress page."""
    try:
        output = cityzero(env, "shell", "-c", _CITY_QUERY)
    except BenchError as exc:
        print(f"warning: could not look up a demo city ({exc}); using {default!r}")
        return default, []
    city = re.search(r"^BENCH_CITY=(\S*)$", output, re.MULTILINE)
    found = re.findall(r"^BENCH_(?:INVENTORY|CONTRACT|PROGRESS)=(\S+)$", output, re.MULTILINE)
    return city.group(1) if city and city.group(1) else default, found


class Server:
    """granian serving CityZero on 127.0.0.1; always stopped by the context manager."""

    def __init__(
        self, env: dict[str, str], port: int, workers: int, app: str = "cityzero.wsgi:application"
    ) -> None:
        self.env = env
        self.app = app
        self.port = port
        self.workers = workers
        self.log_path = BENCH_VAR / "granian.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Server:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise BenchError(f"port {self.port} on {HOST} is already in use (--port)")
        command = [
            venv_bin("granian"),
            "--interface", "wsgi",
            "--workers", str(self.workers),
            "--host", HOST,
            "--port", str(self.port),
            self.app,
        ]  # fmt: skip
        with self.log_path.open("wb") as log:
            # Own process group, so that stopping it stops granian's workers too.
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        try:
            self.wait_ready()
        except BaseException:
            self.stop()  # __exit__ does not run when __enter__ fails
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BenchError(f"granian exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if fetch(self.base_url + HELLO, timeout=2.0) == b"hello":
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise BenchError(
            f"granian did not answer {HELLO} within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        pgid = self.process.pid  # start_new_session: the group is the one we created
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def run_wrk(wrk: str, url: str, duration: int, connections: int, threads: int) -> WrkResult:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


def check_page(url: str) -> None:
    try:
        fetch(url)
    except urllib.error.HTTPError as exc:
        raise BenchError(
            f"{url} answered {exc.code}; the benchmark needs every page to be 200"
        ) from exc


# --------------------------------------------------------------------------------------------
# Report


@dataclass
class PageResult:
    path: str
    wrk: WrkResult
    ratio_to_hello: float | None = None
    passed: bool | None = None  # None for hello itself
    notes: list[str] = field(default_factory=list)


def judge(results: list[PageResult]) -> None:
    hello_rps = results[0].wrk.requests_per_second
    for result in results:
        result.ratio_to_hello = result.wrk.requests_per_second / hello_rps if hello_rps else 0.0
        if result.wrk.errors:
            result.notes.append(f"{result.wrk.errors} errors/non-2xx responses")
        if result.path == HELLO:
            continue
        if result.ratio_to_hello < MIN_RATIO_TO_HELLO:
            result.notes.append(f"throughput < {MIN_RATIO_TO_HELLO:.0%} of hello")
        if result.wrk.latency_ms["p99"] > MAX_P99_MS:
            result.notes.append(f"p99 > {MAX_P99_MS:.0f} ms")
        result.passed = not result.notes


def print_table(results: list[PageResult], weight: PageWeight | None) -> None:
    header = f"{'page':<32} {'req/s':>9} {'vs hello':>9} {'p50 ms':>8} {'p99 ms':>8}  budget"
    print()
    print(header)
    print("-" * len(header))
    for r in results:
        verdict = "(reference)" if r.passed is None else ("PASS" if r.passed else "FAIL")
        notes = f"  {'; '.join(r.notes)}" if r.notes else ""
        print(
            f"{r.path:<32} {r.wrk.requests_per_second:>9.0f} {r.ratio_to_hello or 0:>9.1%} "
            f"{r.wrk.latency_ms.get('p50', float('nan')):>8.2f} {r.wrk.latency_ms['p99']:>8.2f}"
            f"  {verdict}{notes}"
        )
    print(
        f"\nBudgets (DESIGN.md): pages >= {MIN_RATIO_TO_HELLO:.0%} of hello's req/s, "
        f"p99 <= {MAX_P99_MS:.0f} ms; dossier page <= {MAX_PAGE_WEIGHT_BYTES // 1024} KB gzipped."
    )
    if weight is not None:
        verdict = "PASS" if weight.passed else "FAIL"
        print(f"\nPage weight of {urlsplit(weight.url).path} (gzip): "
              f"{weight.total_bytes / 1024:.1f} KB  {verdict}")  # fmt: skip
        for asset, size in weight.assets.items():
            print(f"  {size / 1024:>7.1f} KB  {urlsplit(asset).path}")
        for ref in weight.skipped:
            print(f"  not counted (other host or failed): {ref}")


def machine_info(database_url: str, use_redis: bool, wrk: str) -> dict[str, Any]:
    def first_line(*command: str) -> str:
        """First line a tool prints about itself (`wrk -v` exits 1 after printing it)."""
        try:
            done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        lines = (done.stdout or done.stderr).strip().splitlines()
        return lines[0].strip() if lines else ""

    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        nproc = os.cpu_count() or 0

    return {
        "nproc": nproc,
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "database": urlsplit(database_url).scheme.replace("postgresql", "postgres"),
        "cache": "redis" if use_redis else "file",
        "granian": first_line(venv_bin("granian"), "--version"),
        "wrk": first_line(wrk, "-v"),
        "git_commit": first_line("git", "rev-parse", "--verify", "-q", "HEAD"),
    }


# --------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="benchmark on PostgreSQL")
    parser.add_argument("--database-url", default=DEFAULT_POSTGRES_URL, help="with --postgres")
    parser.add_argument("--city", help="city slug for /cities/<slug>/ (default: first demo city)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="granian workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the prepared database")
    parser.add_argument("--app", default="cityzero.wsgi:application", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Let `kill` (or make being stopped) unwind through the `with Server(...)` and stop granian.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    wrk = ensure_wrk()
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        database_url = args.database_url
        ensure_postgres_database(database_url)
    else:
        database_url = f"sqlite:///{BENCH_VAR / 'bench.sqlite3'}"
    use_redis = redis_answers()
    print(f"==> database: {database_url}; cache: {REDIS_URL if use_redis else 'file cache'}")
    env = bench_env(database_url, use_redis)
    if not args.skip_prepare:
        prepare(env)
    demo_city, data_pages = demo_pages(env, default="amsterdam")
    city = args.city or demo_city
    paths = [
        HELLO, "/cities/", f"/cities/{city}/", "/mission/", "/labels/", *data_pages,
        "/knowledge/", "/knowledge/?q=district+heating",
    ]  # fmt: skip

    results: list[PageResult] = []
    with Server(env, args.port, args.workers, args.app) as server:
        for path in paths:
            check_page(server.base_url + path)
        for path in paths:
            url = server.base_url + path
            run_wrk(wrk, url, args.warmup, args.connections, args.threads)
            print(f"==> wrk {path} ({args.duration} s, {args.connections} connections)")
            results.append(
                PageResult(path, run_wrk(wrk, url, args.duration, args.connections, args.threads))
            )
        weight = page_weight(server.base_url + f"/cities/{city}/")

    judge(results)
    print_table(results, weight)
    failed = [r.path for r in results if r.passed is False] + ([] if weight.passed else ["weight"])
    record = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(database_url, use_redis, wrk),
        "settings": {
            "workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s --latency",
            "warmup_seconds": args.warmup,
            "city": city,
        },
        "budgets": {
            "min_ratio_to_hello": MIN_RATIO_TO_HELLO,
            "max_p99_ms": MAX_P99_MS,
            "max_page_weight_bytes": MAX_PAGE_WEIGHT_BYTES,
        },
        "pages": [
            {
                "path": r.path,
                **asdict(r.wrk),
                "ratio_to_hello": r.ratio_to_hello,
                "passed": r.passed,
                "notes": r.notes,
            }
            for r in results
        ],
        "page_weight": {**asdict(weight), "passed": weight.passed},
        "passed": not failed,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(record, indent=2) + "\n"
    (RESULTS / f"{stamp}.json").write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"\nWrote bench/results/{stamp}.json (and latest.json)")
    if failed:
        print(f"FAIL: {', '.join(failed)}")
        return 1
    print("PASS: all budgets met")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
