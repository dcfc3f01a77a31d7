"""The public Mission Label registry, the label badge on city pages, and GET /api/v1/labels."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.cities.models import LabelRound, MissionStatus
from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Iteration
from cityzero.reviews.services import take_step
from tests.contracts.conftest import add, complete, make_baseline
from tests.factories import CityFactory, CountryFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/labels/"


@pytest.fixture
def march_2024(db) -> LabelRound:
    return LabelRound.objects.create(
        code="2024-03", name="Second label round", awarded_on=datetime.date(2024, 3, 21),
        event="Mission Cities Conference, Brussels",
    )  # fmt: skip


@pytest.fixture
def october_2023(db) -> LabelRound:
    return LabelRound.objects.create(
        code="2023-10", name="First label round", awarded_on=datetime.date(2023, 10, 1),
        date_is_month_only=True, event="Climate Neutral Cities Conference, Valencia",
    )  # fmt: skip


@pytest.fixture
def historic_city(october_2023):
    """Labelled in the reference data, without a contract on the platform."""
    austria = CountryFactory(code="AT", numeric_code="040", name="Austria")
    return CityFactory(name="Klagenfurt", country=austria, mission_status=MissionStatus.LABELLED,
                       label_round=october_2023)  # fmt: skip


def draft(city) -> Iteration:
    """A complete first iteration (see tests/contracts/conftest.py) with one more action, taken
    over from an existing plan: it counts in none of the registry's figures."""
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    add(iteration, Action(name="Tram line from the 2019 plan", existing_plan=True,
                          field_of_action="mobility", capex=Decimal(5_000_000)))  # fmt: skip
    return iteration


def forward(iteration: Iteration) -> Iteration:
    """Submit by an editor of the city, then platform feedback, then on to the Commission."""
    editor = MembershipFactory(city=iteration.contract.city, role=CityRole.EDITOR).user
    staff = UserFactory(platform_role=PlatformRole.STAFF)
    take_step(iteration, "submit", by=editor)
    take_step(iteration, "open_feedback", by=staff)
    take_step(iteration, "forward", by=staff)
    return iteration


def endorse(iteration: Iteration, label_round: LabelRound) -> Iteration:
    officer = UserFactory(platform_role=PlatformRole.COMMISSION_OFFICER)
    take_step(iteration, "endorse", by=officer, label_round=label_round)
    iteration.refresh_from_db()
    return iteration


def endorsed(city, label_round: LabelRound) -> Iteration:
    return endorse(forward(draft(city)), label_round)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row(page: str, city: str) -> str:
    """The text of the registry's table row of ``city``."""
    rows = [r for r in page.split("<tr>") if f">{city}</a>" in r]
    assert len(rows) == 1, rows
    return text(rows[0].split("</tr>")[0])


def label_badge(page: str) -> str:
    return page.split('<p class="mission-label">')[1].split("</p>")[0]


def section(page: str, code: str) -> str:
    return page.split(f'id="round-{code}"')[1].split("</section>")[0]


# --- The registry page --------------------------------------------------------------------------


def test_registry_shows_the_endorsed_contracts_summary(client, city, march_2024):
    # Figures of complete(): capex 400,000,000 + opex 20,000,000 + capex 2,000,000;
    # reductions 161,600 + 80,000 + 8,000 t; the existing plan's tram line counts in neither.
    endorsed(city, march_2024)
    page = client.get(URL).content.decode()
    assert row(page, "Aachen") == (
        "Aachen Germany Iteration 1 −80% by 2030 2022 3 €422,000,000 249,600"
    )


def test_registry_links_each_city_to_its_dossier_and_its_endorsed_contract(
    client, city, march_2024
):
    endorsed(city, march_2024)
    page = client.get(URL).content.decode()
    assert 'href="/cities/aachen/"' in page
    assert 'href="/cities/aachen/contract/1/"' in page


def test_historic_city_without_a_contract_says_so(client, historic_city):
    page = client.get(URL).content.decode()
    assert row(page, "Klagenfurt") == "Klagenfurt Austria Its endorsed contract is not on CityZero."


def test_rounds_come_newest_first_with_their_event_and_count(
    client, city, historic_city, march_2024
):
    endorsed(city, march_2024)
    page = client.get(URL).content.decode()
    assert page.index('id="round-2024-03"') < page.index('id="round-2023-10"')
    assert "Mission Cities Conference, Brussels · 1 city labelled" in text(section(page, "2024-03"))
    assert "2 cities hold the EU Mission Label. 1 of them has its endorsed contract" in text(page)


def test_month_only_dates_show_month_and_year(client, historic_city, march_2024):
    CityFactory(name="Valencia", mission_status=MissionStatus.LABELLED, label_round=march_2024)
    page = client.get(URL).content.decode()
    assert '<time datetime="2023-10">October 2023</time>' in section(page, "2023-10")
    assert '<time datetime="2024-03-21">21 March 2024</time>' in section(page, "2024-03")


def test_registry_shows_the_label_timeline(client, historic_city):
    page = client.get(URL).content.decode()
    assert 'class="label-timeline"' in page and "Oct 2023: 1." in page


def test_a_later_endorsed_iteration_replaces_the_earlier_one(client, city, march_2024):
    first = endorsed(city, march_2024)
    second = contracts.start_next_iteration(first.contract, by=None)
    endorse(forward(second), march_2024)
    page = client.get(URL).content.decode()
    assert row(page, "Aachen").startswith("Aachen Germany Iteration 2 ")


def test_cities_not_yet_labelled_are_not_listed(client, city, historic_city):
    forward(draft(city))  # in Commission review: no label yet
    assert ">Aachen</a>" not in client.get(URL).content.decode()


def test_country_filter_shows_that_countrys_cities_only(client, city, historic_city, march_2024):
    endorsed(city, march_2024)
    page = client.get(URL, {"country": "AT"}).content.decode()
    assert ">Klagenfurt</a>" in page and ">Aachen</a>" not in page
    assert 'id="round-2024-03"' not in page
    assert "1 labelled city in Austria." in text(page)
    assert "1 of the round's 1 city is in Austria" in text(section(page, "2023-10"))


def test_country_filter_offers_only_countries_with_labelled_cities(client, city, historic_city):
    page = client.get(URL).content.decode()
    assert '<option value="AT">Austria</option>' in page
    assert '<option value="DE">' not in page  # Aachen is not labelled


@pytest.mark.parametrize("value", ["ZZ", "at", "<script>", "A" * 300])
def test_unknown_country_shows_every_city_with_a_message(client, historic_city, value):
    response = client.get(URL, {"country": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "This country was not understood" in page and ">Klagenfurt</a>" in page
    assert "<script>" not in page.split("<main")[1]


def test_registry_without_labels_says_so(client, db):
    assert "No Mission Label has been awarded yet." in client.get(URL).content.decode()


def test_registry_tables_have_captions_and_header_scopes(client, historic_city):
    page = section(client.get(URL).content.decode(), "2023-10")
    assert "<caption" in page and '<th scope="row">' in page and page.count('scope="col"') == 8


@pytest.mark.parametrize("count", [1, 5])
def test_registry_queries_do_not_grow_with_cities(
    client, march_2024, django_assert_num_queries, count
):
    for n in range(count):
        endorsed(CityFactory(name=f"Town {n}", slug=f"town-{n}"), march_2024)
    with django_assert_num_queries(4):  # countries, rounds, cities, endorsed iterations
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("Iteration 1</a>") == count


def test_registry_is_cached_until_a_contract_is_endorsed(
    client, city, march_2024, django_assert_num_queries
):
    iteration = forward(draft(city))
    client.get(URL)
    with django_assert_num_queries(0):
        assert ">Aachen</a>" not in client.get(URL).content.decode()
    endorse(iteration, march_2024)
    assert row(client.get(URL).content.decode(), "Aachen").startswith("Aachen Germany Iteration 1")


def test_registry_follows_edits_of_a_round(client, historic_city, october_2023):
    client.get(URL)
    october_2023.event = "Renamed event"
    october_2023.save()
    assert "Renamed event" in client.get(URL).content.decode()


def test_main_navigation_and_mission_page_link_the_registry(client, db):
    page = client.get(reverse("cities:mission")).content.decode()
    assert page.count(f'href="{URL}"') == 2  # the navigation and the labels section
    assert reverse("cities:labels") == URL


# --- The badge on the city page -----------------------------------------------------------------


def test_badge_links_the_round_and_the_endorsed_contract(client, city, march_2024):
    endorsed(city, march_2024)
    page = client.get(reverse("cities:detail", args=["aachen"])).content.decode()
    badge = label_badge(page)
    assert text(badge) == (
        "EU Mission Label Awarded in Second label round · "
        "Endorsed Climate City Contract, iteration 1"
    )
    assert 'href="/labels/#round-2024-03"' in badge
    assert 'href="/cities/aachen/contract/1/"' in badge


def test_badge_of_a_historic_label_links_the_round_only(client, historic_city):
    page = client.get(reverse("cities:detail", args=["klagenfurt"])).content.decode()
    badge = label_badge(page)
    assert text(badge) == "EU Mission Label Awarded in First label round"
    assert 'href="/labels/#round-2023-10"' in badge and "/contract/" not in badge


def test_city_without_label_has_no_badge(client, city):
    page = client.get(reverse("cities:detail", args=["aachen"])).content.decode()
    assert "EU Mission Label" not in page


def test_badge_costs_no_query(client, city, march_2024, django_assert_num_queries):
    endorsed(city, march_2024)
    # the city (with its endorsed iteration), its sections, its transition-map progress, its
    # public results of the Finance Guidance Tool, its cohorts, pilot activities and twinnings
    with django_assert_num_queries(7):
        client.get(reverse("cities:detail", args=["aachen"]))


# --- GET /api/v1/labels -------------------------------------------------------------------------


def test_labels_api_lists_each_citys_endorsed_iteration(client, city, historic_city, march_2024):
    endorsed(city, march_2024)
    body = client.get("/api/v1/labels").json()
    assert [r["code"] for r in body] == ["2023-10", "2024-03"]  # oldest first, as before
    assert body[1]["cities"] == [
        {
            "slug": "aachen",
            "name": "Aachen",
            "country_code": "DE",
            "country": {"code": "DE", "name": "Germany", "eu_member": True},
            "endorsed_iteration": {
                "number": 1,
                "target_year": 2030,
                "target_share_pct": 80.0,
                "baseline_year": 2022,
                "actions": 3,
                "investment_eur": 422_000_000.0,
                "reductions_tco2e": 249_600.0,
                "url": "/cities/aachen/contract/1/",
            },
        }
    ]


def test_labels_api_gives_null_for_a_city_without_contract(client, historic_city):
    (labelled,) = client.get("/api/v1/labels").json()
    assert labelled["cities"][0]["endorsed_iteration"] is None


def test_labels_api_keeps_the_round_fields(client, historic_city):
    (labelled,) = client.get("/api/v1/labels").json()
    assert {key: labelled[key] for key in labelled if key != "cities"} == {
        "code": "2023-10",
        "name": "First label round",
        "awarded_on": "2023-10-01",
        "date_is_month_only": True,
        "event": "Climate Neutral Cities Conference, Valencia",
        "source": "",
    }


def test_labels_api_says_null_when_no_action_states_a_cost(client, city, march_2024):
    iteration = endorsed(city, march_2024)
    Action.objects.filter(iteration=iteration).update(capex=None, opex=None)
    (labelled,) = client.get("/api/v1/labels").json()
    assert labelled["cities"][0]["endorsed_iteration"]["investment_eur"] is None


@pytest.mark.parametrize("count", [1, 5])
def test_labels_api_queries_do_not_grow_with_cities(
    client, march_2024, django_assert_num_queries, count
):
    for n in range(count):
        endorsed(CityFactory(name=f"Town {n}", slug=f"town-{n}"), march_2024)
    with django_assert_num_queries(3):  # rounds, cities, endorsed iterations
        assert client.get("/api/v1/labels").status_code == 200
