"""Checks of bench/run.py's parsing and verdicts, without a server or load."""

from __future__ import annotations

import gzip
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.run import (
    HELLO,
    MAX_P99_MS,
    PageResult,
    WrkResult,
    judge,
    page_weight,
    parse_wrk,
)

WRK_OK = """\
Running 10s test @ http://127.0.0.1:8765/-/hello/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.65ms  386.21us   8.49ms   83.95%
    Req/Sec     4.87k   250.33     5.42k    71.50%
  Latency Distribution
     50%  812.00us
     75%    1.78ms
     90%    2.04ms
     99%    3.04ms
  96946 requests in 10.00s, 19.23MB read
Requests/sec:   9694.27
Transfer/sec:      1.92MB
"""

WRK_ERRORS = """\
Running 10s test @ http://127.0.0.1:8765/cities/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   129.98ms  110.24ms   1.84s    93.52%
    Req/Sec    71.42     6.46    93.00     54.84%
  Latency Distribution
     50%  102.49ms
     75%  130.10ms
     90%  204.42ms
     99%    1.20s
  1456 requests in 10.10s, 2.21MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 14
Requests/sec:    144.16
Transfer/sec:    224.05KB
"""


def test_parse_wrk_units() -> None:
    result = parse_wrk(WRK_OK)
    assert result.requests_per_second == pytest.approx(9694.27)
    assert result.requests == 96946
    assert result.latency_ms == pytest.approx({"p50": 0.812, "p75": 1.78, "p90": 2.04, "p99": 3.04})
    assert result.errors == 0


def test_parse_wrk_errors_and_seconds() -> None:
    result = parse_wrk(WRK_ERRORS)
    assert result.latency_ms["p99"] == pytest.approx(1200.0)
    assert result.non_2xx_3xx == 14
    assert result.socket_errors == {"connect": 0, "read": 0, "write": 0, "timeout": 3}
    assert result.errors == 17


def test_parse_wrk_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        parse_wrk("unable to connect to 127.0.0.1:8765 Connection refused")


def test_judge_against_budgets() -> None:
    def page(path: str, rps: float, p99: float) -> PageResult:
        return PageResult(path, WrkResult(rps, {"p50": 1.0, "p99": p99}, int(rps * 10)))

    results = [
        page(HELLO, 10_000, 2.0),
        page("/fast/", 3_000, 20.0),
        page("/slow/", 2_000, 20.0),
        page("/laggy/", 5_000, MAX_P99_MS + 1),
    ]
    judge(results)
    assert [r.passed for r in results] == [None, True, False, False]
    assert results[1].ratio_to_hello == pytest.approx(0.3)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "page.html").write_text(
        '<html><head><link rel="stylesheet" href="/s.css">'
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        '<script src="s.js"></script><script>inline()</script></head>'
        '<body><img src="/s.css"></body></html>'
    )
    (tmp_path / "s.css").write_text("body { color: red; }\n" * 200)
    (tmp_path / "s.js").write_text("console.log(1);\n" * 200)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/page.html"
    finally:
        server.shutdown()
        server.server_close()


def test_page_weight_counts_same_host_assets_once(site: str, tmp_path: Path) -> None:
    weight = page_weight(site)
    expected = sum(
        len(gzip.compress((tmp_path / name).read_bytes(), compresslevel=6))
        for name in ("page.html", "s.css", "s.js")
    )
    assert weight.total_bytes == expected
    assert len(weight.assets) == 3
    assert weight.skipped == ["https://cdn.example.com/x.css"]
    assert not weight.passed  # something would load from another host
