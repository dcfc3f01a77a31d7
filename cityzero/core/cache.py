"""Whole-page caching for anonymous visitors, invalidated whenever public data changes.

Every cached page key includes a data version; any change to data shown on public pages bumps
the version (see `cities.signals`), so stale pages are never served after an edit.
"""

from collections.abc import Callable
from functools import wraps
from hashlib import sha256

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import translation

DATA_VERSION_KEY = "cityzero:public-data-version"


def public_data_version() -> int:
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, 1, timeout=None)
        version = cache.get(DATA_VERSION_KEY, 1)
    return int(version)


def bump_public_data_version() -> None:
    try:
        cache.incr(DATA_VERSION_KEY)
    except ValueError:
        cache.set(DATA_VERSION_KEY, 2, timeout=None)


def _bump_on_signal(**kwargs) -> None:
    bump_public_data_version()


def invalidate_on_change(*models: type) -> None:
    """Bump the data version whenever a row of these models is saved or deleted (admin too)."""
    for model in models:
        uid = f"cityzero-public-data-{model._meta.label}"
        post_save.connect(_bump_on_signal, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_bump_on_signal, sender=model, dispatch_uid=f"{uid}-delete")


def cached_by_data_version(name: str, build: Callable[[], object]) -> object:
    """Cache a derived artefact (a chart SVG, an aggregate) until public data changes."""
    key = f"cityzero:{name}:v{public_data_version()}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS * 12)
    return value


def _is_cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES  # anonymous, no pending messages
        and "messages" not in request.COOKIES
        and "HTTP_HX_REQUEST" not in request.META
    )


def _page_key(request: HttpRequest) -> str:
    digest = sha256(request.get_full_path().encode()).hexdigest()
    language = translation.get_language_from_request(request)
    return f"cityzero:page:{language}:{digest}:v{public_data_version()}"


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view's pages as the same for every anonymous visitor (see the middleware)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.is_public_page = True  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache, before the rest of the stack runs.

    Sits near the top of MIDDLEWARE so a hit skips sessions, authentication, CSRF and the view,
    and stores responses after the inner middleware have added their headers.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _is_cacheable(request):
            return self.get_response(request)
        key = _page_key(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if (
            getattr(request, "is_public_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            cache.set(key, response, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
        return response
