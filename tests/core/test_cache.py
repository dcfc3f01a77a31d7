import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from cityzero.core.cache import bump_public_data_version, cache_public_page, public_data_version


def counting_view():
    calls = []

    @cache_public_page
    def view(request):
        calls.append(1)
        return HttpResponse(f"call {len(calls)}")

    return view, calls


def test_second_anonymous_request_is_served_from_cache():
    view, _calls = counting_view()
    request = RequestFactory().get("/page/")
    assert view(request).content == view(request).content == b"call 1"


def test_bumping_the_version_invalidates():
    view, _calls = counting_view()
    view(RequestFactory().get("/page/"))
    bump_public_data_version()
    assert view(RequestFactory().get("/page/")).content == b"call 2"


@pytest.mark.parametrize("cookie", ["sessionid", "messages"])
def test_requests_with_a_session_or_messages_are_never_cached(cookie):
    view, calls = counting_view()
    factory = RequestFactory()
    factory.cookies[cookie] = "x"
    view(factory.get("/page/"))
    view(factory.get("/page/"))
    assert len(calls) == 2


def test_version_starts_at_one_and_grows():
    first = public_data_version()
    bump_public_data_version()
    assert public_data_version() == first + 1
