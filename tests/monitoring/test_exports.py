"""The annual progress report as PDF: what it holds for whom, as things stood at the end of its
year, which years there are, and that it fetches nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from cityzero.contracts.exports import OfflineFetcher
from cityzero.contracts.models import Indicator
from cityzero.monitoring import exports, selectors
from cityzero.monitoring.models import IndicatorSetup, MonitoringPlan
from cityzero.reviews.models import Transition
from tests.monitoring.pages import action_named, indicator_named, login, report, today, value

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    """The text of the PDF as a reader's tool extracts it, white space collapsed."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def pdf_url(year, slug="aachen"):
    return reverse("monitoring:pdf", args=[slug, year])


def endorse_in(iteration, year: int) -> None:
    """Date the endorsement on 1 March of ``year``."""
    Transition.objects.filter(iteration=iteration, step="endorse").update(
        created_at=datetime.datetime(year, 3, 1, 12, tzinfo=datetime.UTC)
    )


@pytest.fixture
def heating(endorsed):
    return action_named(endorsed, "District heating")


@pytest.fixture
def reported(city, heating, city_editor):
    report(city, heating, by=city_editor, day=today() - datetime.timedelta(days=1),
           note="Public note", public=True)  # fmt: skip
    report(city, heating, by=city_editor, status="delayed", percent_done=45, note="Secret note")


def test_annual_report_is_a_pdf_download_named_after_city_and_year(client, reported):
    response = client.get(pdf_url(today().year))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="aachen-progress-{today().year}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")


def test_annual_report_cover_names_city_year_and_iteration(client, reported):
    text = pdf_text(client.get(pdf_url(today().year)).content)

    assert text.startswith(
        "EU Mission: 100 climate-neutral and smart cities by 2030 Aachen "
        f"Implementation progress report {today().year} Endorsed Climate City Contract Iteration 1"
    )


def test_public_annual_report_holds_only_published_reports(client, reported, stranger):
    login(client, stranger)

    text = pdf_text(client.get(pdf_url(today().year)).content)

    assert "Public note" in text
    assert "Secret note" not in text and "not public" not in text
    assert "Public: what the city has published." in text


def test_team_annual_report_holds_unpublished_reports_marked(client, reported, make_person):
    login(client, make_person("viewer"))

    text = pdf_text(client.get(pdf_url(today().year)).content)

    assert "Secret note" in text and "not public" in text
    assert "Public note" not in text  # the latest report only


def test_annual_report_shows_each_action_as_it_stood_at_the_end_of_the_year(
    client, city, endorsed, heating, city_editor
):
    last_year = today().year - 1
    endorse_in(endorsed, last_year)
    report(city, heating, by=city_editor, day=datetime.date(last_year, 12, 20),
           note="Year-end note", public=True)  # fmt: skip
    report(city, heating, by=city_editor, day=datetime.date(today().year, 1, 1),
           note="New year note", public=True)  # fmt: skip

    earlier = pdf_text(client.get(pdf_url(last_year)).content)
    current = pdf_text(client.get(pdf_url(today().year)).content)

    assert "Year-end note" in earlier and "New year note" not in earlier
    assert f"Each action with its latest report up to Dec. 31, {last_year}." in earlier
    assert "New year note" in current


def test_annual_report_shows_the_indicator_values_of_its_year(client, city, endorsed, city_editor):
    endorse_in(endorsed, 2024)
    homes = indicator_named(endorsed, "Homes on district heat")
    Indicator.objects.filter(pk=homes.pk).update(baseline_value=Decimal(0),
                                                 target_2025=Decimal(1000))  # fmt: skip
    IndicatorSetup.objects.create(city=city, indicator_key=homes.key, public=True)
    value(city, homes, by=city_editor, day=datetime.date(2024, 6, 30), amount=Decimal(500),
          source="Count of mid 2024")  # fmt: skip
    value(city, homes, by=city_editor, day=datetime.date(2025, 6, 30), amount=Decimal(900),
          source="Count of mid 2025")  # fmt: skip

    text = pdf_text(client.get(pdf_url(2024)).content)

    assert "Values of 2024" in text and "Count of mid 2024" in text
    assert "Count of mid 2025" not in text
    # 2024 is two thirds of the way from 0 (2022) to 1,000 (2025): 666.67 expected
    assert "Off track (the target path expects 666.67 homes in 2024)" in text


def test_annual_report_holds_the_inventories_up_to_its_year(
    client, endorsed, inventory_2024, make_person
):
    endorse_in(endorsed, 2023)
    login(client, make_person("viewer"))

    of_2023 = pdf_text(client.get(pdf_url(2023)).content)
    of_2024 = pdf_text(client.get(pdf_url(2024)).content)

    assert "2024 by sector against the pathway" not in of_2023
    assert "There is no inventory after the base year yet" in of_2023
    assert "Transport 90,000 80,000 10,000 above Off track" in of_2024


def test_public_annual_report_shows_emissions_only_once_published(
    client, city, endorsed, inventory_2024, reported
):
    without = pdf_text(client.get(pdf_url(today().year)).content)
    MonitoringPlan.objects.create(city=city, publish_emissions=True)
    published = pdf_text(client.get(pdf_url(today().year)).content)

    assert "The city has not published its emissions against the pathway." in without
    assert "Transport 90,000 80,000 10,000 above Off track" in published


def test_annual_report_draws_the_charts_of_the_page(city, endorsed, inventory_2024, city_editor,
                                                    reported):  # fmt: skip
    monitoring = selectors.city_monitoring(city, city_editor)

    html = render_to_string(
        exports.TEMPLATE, exports.report_context(monitoring, today().year, today=today())
    )

    for chart in ("status-chart-title", "field-chart-title", "emissions-chart-title"):
        assert f'aria-labelledby="{chart}"' in html
    # the indicator has neither values nor targets: nothing to draw
    assert 'aria-labelledby="indicator-chart-1"' not in html and html.count("<svg") == 3


def test_annual_report_fetches_nothing(city, endorsed, city_editor, reported):
    fetcher = OfflineFetcher()
    monitoring = selectors.city_monitoring(city, city_editor)

    exports.annual_report_document(monitoring, today().year, fetcher=fetcher)

    assert fetcher.refused == []


@pytest.mark.parametrize("offset", [1, 5])
def test_no_report_for_a_year_after_this_one(client, reported, offset):
    assert client.get(pdf_url(today().year + offset)).status_code == 404


@pytest.mark.parametrize("year", [0, 1, 1999, 2014])
def test_no_report_for_a_year_before_monitoring_could_begin(client, reported, year):
    assert client.get(pdf_url(year)).status_code == 404


def test_no_report_for_a_year_before_the_endorsement(client, endorsed, reported):
    endorse_in(endorsed, today().year - 1)

    assert client.get(pdf_url(today().year - 1)).status_code == 200
    assert client.get(pdf_url(today().year - 2)).status_code == 404


def test_no_report_for_a_city_without_endorsed_contract(client, city):
    assert client.get(pdf_url(today().year)).status_code == 404


def test_no_report_for_an_unknown_city(client, db):
    assert client.get(pdf_url(today().year, slug="atlantis")).status_code == 404
