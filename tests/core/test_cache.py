import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cityzero.core.cache import (
    PublicPageCacheMiddleware,
    bump_public_data_version,
    cache_public_page,
    public_data_version,
)


def counting_stack(*, public: bool = True):
    """The middleware around a view that counts how often it really runs."""
    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse(f"call {len(calls)}")

    return PublicPageCacheMiddleware(cache_public_page(view) if public else view), calls


def test_second_anonymous_request_is_served_from_cache():
    stack, calls = counting_stack()
    assert stack(RequestFactory().get("/page/")).content == b"call 1"
    assert stack(RequestFactory().get("/page/")).content == b"call 1"
    assert len(calls) == 1


def test_views_not_marked_public_are_never_cached():
    stack, calls = counting_stack(public=False)
    stack(RequestFactory().get("/page/"))
    stack(RequestFactory().get("/page/"))
    assert len(calls) == 2


def test_bumping_the_version_invalidates():
    stack, _calls = counting_stack()
    stack(RequestFactory().get("/page/"))
    bump_public_data_version()
    assert stack(RequestFactory().get("/page/")).content == b"call 2"


def test_query_strings_are_cached_apart():
    stack, _calls = counting_stack()
    stack(RequestFactory().get("/page/?country=ES"))
    assert stack(RequestFactory().get("/page/?country=DE")).content == b"call 2"


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_requests_with_a_session_or_messages_are_never_cached(cookie):
    stack, calls = counting_stack()
    factory = RequestFactory()
    factory.cookies[cookie] = "x"
    stack(factory.get("/page/"))
    stack(factory.get("/page/"))
    assert len(calls) == 2


def test_htmx_requests_are_never_cached():
    stack, calls = counting_stack()
    stack(RequestFactory().get("/page/", HTTP_HX_REQUEST="true"))
    stack(RequestFactory().get("/page/", HTTP_HX_REQUEST="true"))
    assert len(calls) == 2


def test_version_starts_at_one_and_grows():
    first = public_data_version()
    bump_public_data_version()
    assert public_data_version() == first + 1
