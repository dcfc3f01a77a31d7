"""Figures from the cities' published Climate City Contracts, as reported (not computed)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from cityzero.cities.models import PublishedFigures
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data():
    call_command("load_reference_data", stdout=io.StringIO())


def test_loader_attaches_figures_to_102_cities_once(reference_data):
    assert PublishedFigures.objects.count() == 102
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "Published contract figures: 0 created, 102 kept" in out.getvalue()


def test_aachen_figures_are_as_its_contract_states(reference_data):
    figures = PublishedFigures.objects.get(city__slug="aachen")
    assert (figures.baseline_year, figures.baseline_tco2e) == (2021, Decimal(1_577_000))
    assert figures.transport_tco2e == Decimal(275_948)
    assert figures.ippu_tco2e is None  # "Other (incl. IPPU)" is not pure IPPU: left unstated
    assert figures.sources["baseline"] == "Aachen.md:L107"
    assert figures.source_document.endswith("documents/Aachen.md")


def test_sinks_keep_their_sign(reference_data):
    assert PublishedFigures.objects.filter(afolu_tco2e__lt=0).exists()


def test_a_staff_correction_survives_reloading(reference_data):
    PublishedFigures.objects.filter(city__slug="aachen").update(baseline_tco2e=1)
    call_command("load_reference_data", stdout=io.StringIO())
    assert PublishedFigures.objects.get(city__slug="aachen").baseline_tco2e == 1


def test_dossier_shows_figures_and_says_what_is_not_stated(client, reference_data):
    page = client.get(reverse("cities:detail", args=["aarhus"])).content.decode()
    assert "Figures from the city" in page
    assert "2,849,000 t CO2e (1990)" in page
    assert "88 % — of baseline year" in page
    assert "not stated as one total" in page


def test_city_without_a_contract_shows_no_figures(client, city):
    page = client.get(reverse("cities:detail", args=[city.slug])).content.decode()
    assert "Figures from the city" not in page


def test_api_gives_the_figures_or_null(client, reference_data):
    city = CityFactory(name="Twin Town")
    body = client.get("/api/v1/cities/aarhus").json()
    assert body["published_figures"]["baseline_year"] == 1990
    assert body["published_figures"]["investment_need_eur"] is None
    assert client.get(f"/api/v1/cities/{city.slug}").json()["published_figures"] is None
