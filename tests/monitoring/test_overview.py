"""The cross-city monitoring view /monitoring/ for platform staff and advisors.

Today is fixed at 15 August 2026 and both contracts were endorsed on 20 November 2025, with the
default half-year reporting. The period under report is then January–June 2026, due on 30 July
2026 (30 days after its end): past, so a city missing any report on it is overdue.

* Aachen reported on district heating (31 March 2026) and biowaste (1 February 2026, €2.5m spent
  of a €2m budget: over budget), but last on the low-emission zone on 15 December 2025, delayed:
  1 of 3 actions unreported, overdue since 30 July 2026. Its 2024 inventory (239,400 t) is
  10,200 t below the 249,600 t the path allows: on track, with transport off track.
* Valencia reported on all three actions on 1 June 2026: up to date, the next reports (July–
  December 2026) due on 30 January 2027. Its 2024 inventory equals its 312,000 t baseline:
  62,400 t above the path, every sector off track.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityzero.contracts import services as contracts
from cityzero.monitoring import services
from cityzero.reviews.models import Transition
from tests.contracts.conftest import complete, make_baseline
from tests.factories import AdvisorAssignmentFactory, CityFactory, LabelRoundFactory, UserFactory
from tests.monitoring.conftest import endorse, make_inventory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]

URL = "/monitoring/"
TODAY = datetime.date(2026, 8, 15)
ENDORSED_AT = datetime.datetime(2025, 11, 20, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def fixed_today(monkeypatch):
    moment = datetime.datetime(2026, 8, 15, 10, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


def endorsed_on_day(iteration):
    Transition.objects.filter(iteration=iteration, step="endorse").update(created_at=ENDORSED_AT)
    return iteration


def monitored(city, people):
    """``city`` with a complete contract (3 actions) endorsed on 20 November 2025."""
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    iteration = endorse(iteration, by_editor=people["editor"], by_staff=people["staff"],
                        by_officer=people["officer"], label_round=LabelRoundFactory())  # fmt: skip
    return endorsed_on_day(iteration)


@pytest.fixture
def people(db):
    return {role: UserFactory() for role in ("editor", "staff", "officer")}


def report(city, iteration, name, day, status, percent, spend=None):
    action = iteration.actions.get(name=name)
    return services.report_progress(
        city,
        action,
        services.ReportInput(
            reported_on=day,
            status=status,
            percent_done=percent,
            spend_to_date=None if spend is None else spend,
        ),
        by=None,
    )


@pytest.fixture
def two_cities(city, other_city, endorsed, inventory_2024, fixed_today, people):
    endorsed_on_day(endorsed)
    report(city, endorsed, "District heating", datetime.date(2026, 3, 31), "in_progress", 30,
           Decimal(100_000_000))  # fmt: skip
    report(city, endorsed, "Low-emission zone", datetime.date(2025, 12, 15), "delayed", 10,
           Decimal(1_000_000))  # fmt: skip
    report(city, endorsed, "Biowaste collection", datetime.date(2026, 2, 1), "in_progress", 50,
           Decimal(2_500_000))  # fmt: skip
    valencia = monitored(other_city, people)
    for name in ("District heating", "Low-emission zone", "Biowaste collection"):
        report(other_city, valencia, name, datetime.date(2026, 6, 1), "in_progress", 20)
    make_inventory(other_city, 2024, gas_mwh="1000000", transport_t="100000", waste_t="10000")
    return endorsed, valencia


def page(client, person, query=""):
    client.force_login(person)
    return client.get(URL + query)


def cells(html: str, city: str) -> list[str]:
    """The text of each cell in ``city``'s row, tags dropped and spaces squeezed."""
    start = html.rindex("<tr>", 0, html.index(f">{city}</a>"))
    row = html[start : html.index("</tr>", start)]
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in found]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "role", ["member", "viewer", "editor", "coordinator", "reviewer", "officer"]
)
def test_only_staff_and_advisors_see_the_overview(client, make_person, role):
    response = page(client, make_person(role))
    assert response.status_code == 403
    assert "for platform staff and city advisors" in response.content.decode()


def test_staff_see_each_citys_reporting_delays_and_emissions(client, make_person, two_cities):
    html = page(client, make_person("staff")).content.decode()
    assert html.index(">Aachen</a>") < html.index(">Valencia</a>")  # by name
    assert 'href="/cities/aachen/progress/"' in html
    assert cells(html, "Aachen") == [
        "Aachen contract iteration 1",
        "Germany",
        "Jan. 1, 2026 – June 30, 2026",
        "Overdue since July 30, 2026",
        "1 of 3",  # the low-emission zone has no report on the period
        "March 31, 2026",
        "1",  # delayed
        "1",  # over budget
        "2024: on track, 10,200 t CO2e below the path Off track: Transport",
    ]
    assert cells(html, "Valencia") == [
        "Valencia contract iteration 1",
        "Germany",
        "July 1, 2026 – Dec. 31, 2026",
        "Up to date; next reports due by Jan. 30, 2027",
        "3 of 3",  # nothing reported on July–December yet, and nothing due
        "June 1, 2026",
        "0",
        "0",
        "2024: off track, 62,400 t CO2e above the path "
        "Off track: Buildings (stationary energy), Transport, Waste",
    ]
    assert '<strong class="overdue">Overdue since July 30, 2026</strong>' in html


def test_counts_at_the_top_cover_every_city(client, make_person, two_cities):
    html = page(client, make_person("staff"), "?show=off_track").content.decode()
    assert "1 of 2 cities are behind on reporting;" in html and "1 is off track." in html


@pytest.mark.parametrize(
    ("show", "cities"),
    [
        ("all", ["Aachen", "Valencia"]),
        ("behind", ["Aachen"]),
        ("off_track", ["Valencia"]),
        ("delayed", ["Aachen"]),
        ("", ["Aachen", "Valencia"]),
    ],
)
def test_filter_shows_the_cities_asked_for(client, make_person, two_cities, show, cities):
    response = page(client, make_person("staff"), f"?show={show}")
    html = response.content.decode()
    assert response.status_code == 200
    assert [name for name in ("Aachen", "Valencia") if f">{name}</a>" in html] == cities


def test_unknown_filter_is_refused_and_every_city_shown(client, make_person, two_cities):
    response = page(client, make_person("staff"), "?show=everything")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Choose one of the listed views." in html
    assert ">Aachen</a>" in html and ">Valencia</a>" in html


def test_filter_form_is_labelled_and_keeps_the_choice(client, make_person, two_cities):
    html = page(client, make_person("staff"), "?show=behind").content.decode()
    assert '<label for="id_show">Show</label>' in html
    assert '<option value="behind" selected>' in html
    assert '<button type="submit">Show cities</button>' in html


def test_filter_matching_no_city_says_so(client, make_person, two_cities):
    Transition.objects.filter(step="endorse").update(created_at=timezone.now())
    html = page(client, make_person("staff"), "?show=behind").content.decode()
    assert "No city matches this filter." in html


def test_delays_by_field_most_often_first_with_chart_and_table(client, make_person, two_cities):
    html = page(client, make_person("staff")).content.decode()
    table = html[html.index("<caption>Delayed actions by field of action</caption>") :]
    rows = [
        ("Mobility &amp; transport", 2, 1, 1, "50%"),
        ("Energy systems", 2, 0, 0, "0%"),
        ("Waste &amp; circular economy", 2, 0, 0, "0%"),
    ]
    positions = []
    for field, actions, now, ever, share in rows:
        cells = (
            f'<th scope="row">{field}</th><td class="num">{actions}</td><td class="num">{now}'
            f'</td><td class="num">{ever}</td><td class="num">{share}</td>'
        )
        assert cells in table
        positions.append(table.index(cells))
    assert positions == sorted(positions)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert '<title id="delays-chart-title">Share of actions ever delayed' in chart
    assert chart.count('class="bar"') == 3


def test_advisors_see_only_the_cities_they_advise(client, two_cities, city):
    advisor = AdvisorAssignmentFactory(city=city).advisor
    html = page(client, advisor).content.decode()
    assert ">Aachen</a>" in html and ">Valencia</a>" not in html
    assert "1 of 1 city is behind on reporting;" in html


def test_advisor_of_no_monitored_city_is_told_so(client, make_person, endorsed):
    html = page(client, make_person("advisor_elsewhere")).content.decode()
    assert "No city you oversee has an endorsed contract yet." in html
    assert "No actions to count yet." in html


def test_staff_and_advisors_find_the_overview_from_their_home_page(client, make_person):
    for role, shown in (("staff", True), ("advisor_of_city", True), ("editor", False),
                        ("reviewer", False)):  # fmt: skip
        client.force_login(make_person(role))
        assert (
            'href="/monitoring/"' in client.get(reverse("accounts:home")).content.decode()
        ) is shown, role


def make_monitored_cities(count: int, people) -> None:
    for _index in range(count):
        city = CityFactory()
        iteration = monitored(city, people)
        report(city, iteration, "Low-emission zone", datetime.date(2026, 6, 1), "delayed", 10)
        make_inventory(city, 2024, gas_mwh="700000", transport_t="90000", waste_t="8000")


def test_query_count_does_not_grow_with_the_cities(client, make_person, people, fixed_today):
    staff = make_person("staff")
    client.force_login(staff)
    make_monitored_cities(2, people)
    client.get(URL)  # the session's first request reads more
    cache.clear()  # nothing computed before: inventory summaries are cached
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    make_monitored_cities(4, people)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        html = client.get(URL).content.decode()
    assert "of 6 cities are behind on reporting" in html
    assert len(many) == len(few) <= 20
