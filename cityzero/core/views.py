import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cityzero.cities import selectors as city_selectors
from cityzero.core.cache import cache_public_page

logger = logging.getLogger(__name__)


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"overview": city_selectors.mission_overview()})


def hello(request: HttpRequest) -> HttpResponse:
    """The bare view `make bench` compares real pages against."""
    return HttpResponse("hello")


def health(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers (a load balancer restarts it when it does not)."""
    return HttpResponse("ok", content_type="text/plain")


READY_KEY = "cityzero:readiness-probe"


def _database_answers() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations_applied() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _cache_answers() -> bool:
    token = secrets.token_hex(8)
    cache.set(READY_KEY, token, 10)
    return cache.get(READY_KEY) == token


READINESS_CHECKS = {
    "database": _database_answers,
    "migrations": _migrations_applied,
    "cache": _cache_answers,
}


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers with every migration applied, and the cache works;
    503 naming what is not ready, so that no traffic is sent to this process yet."""
    results = {}
    for name, check in READINESS_CHECKS.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception:  # a probe reports; the log says why
            logger.exception("Readiness check %s failed", name)
            results[name] = "failed"
    ready_now = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ready" if ready_now else "not ready", "checks": results},
        status=200 if ready_now else 503,
    )
