from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cityzero.cities import selectors as city_selectors
from cityzero.core.cache import cache_public_page


@cache_public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"overview": city_selectors.mission_overview()})


def hello(request: HttpRequest) -> HttpResponse:
    """The bare view `make bench` compares real pages against."""
    return HttpResponse("hello")


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
