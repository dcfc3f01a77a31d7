"""GET /api/v1/cities/{slug}/progress and …/progress/actions/{key}: what the progress page shows
the caller, as JSON.

Aachen's contract (as the ``endorsed`` fixture, plus two indicators with targets) is endorsed;
its 2022 baseline is 312,000 t and its 2024 inventory 239,400 t (``inventory_2024``).

* District heating (€400m): a published report of 31 March 2025 (planned, 10%), then an
  unpublished one of 30 September 2025 (in progress, 40%, €120m spent, "Tender" on 1 March 2026).
* Low-emission zone (€20m): one published report, delayed at 15% on 30 June 2025.
* Biowaste collection (€2m): one unpublished report, €2.5m spent: over budget.
* "Car share of trips" (baseline 45% in 2022, targets 40/35/30%): 42% on 30 June 2025, above
  the 40% the path allows in 2025: off track. Published.
* "Mission-scope emissions" in kt CO2e, computed from the inventories: 312.0 (2022) and 239.4
  (2024); the path from 312 to 62.4 in 2030 allows 249.6 in 2024: on track. Team only.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cityzero.accounts.tokens import create_token
from cityzero.contracts import services as contracts
from cityzero.contracts.models import Indicator
from cityzero.core.uploads import PDF
from cityzero.monitoring import services
from cityzero.monitoring.api import NO_ACTION
from tests.contracts.conftest import add, complete, make_baseline
from tests.core.test_uploads import PDF_BYTES
from tests.monitoring.conftest import endorse_by_roles, make_inventory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]

URL = "/api/v1/cities/aachen/progress"
NOT_MONITORED = "This city has no endorsed contract, so there is no progress to monitor."


@pytest.fixture
def monitored(city, make_person):
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    pathway = iteration.pathways.get()
    add(iteration, Indicator(name="Car share of trips", pathway=pathway, unit="% of trips",
                             baseline_value=Decimal(45), target_2025=Decimal(40),
                             target_2027=Decimal(35), target_2030=Decimal(30)))  # fmt: skip
    add(iteration, Indicator(name="Mission-scope emissions", pathway=pathway, unit="kt CO2e",
                             baseline_value=Decimal(312), target_2030=Decimal("62.4")))  # fmt: skip
    return endorse_by_roles(iteration, make_person)


def report(city, iteration, name, day, status, percent, *, spend=None, public=False, **more):
    data = services.ReportInput(
        reported_on=day, status=status, percent_done=percent, spend_to_date=spend, public=public,
        **more,
    )  # fmt: skip
    return services.report_progress(city, iteration.actions.get(name=name), data, by=None)


@pytest.fixture
def progress(city, monitored):
    make_inventory(city, 2024, gas_mwh="700000", transport_t="90000", waste_t="8000")
    report(city, monitored, "District heating", datetime.date(2025, 3, 31), "planned", 10,
           public=True, note="Heat plan adopted.",
           evidence_links=["https://example.org/heat-plan"])  # fmt: skip
    report(city, monitored, "District heating", datetime.date(2025, 9, 30), "in_progress", 40,
           spend=Decimal(120_000_000), next_milestone="Tender",
           milestone_on=datetime.date(2026, 3, 1))  # fmt: skip
    report(city, monitored, "Low-emission zone", datetime.date(2025, 6, 30), "delayed", 15,
           public=True)  # fmt: skip
    report(city, monitored, "Biowaste collection", datetime.date(2025, 5, 1), "in_progress", 60,
           spend=Decimal(2_500_000))  # fmt: skip
    cars = monitored.indicators.get(name="Car share of trips")
    services.set_up_indicator(city, cars, computed_from="", public=True, by=None)
    services.record_value(
        city, cars,
        services.ValueInput(measured_on=datetime.date(2025, 6, 30), value=Decimal(42),
                            unit="% of trips", source="Travel survey", quality="measured"),
        by=None,
    )  # fmt: skip
    emissions = monitored.indicators.get(name="Mission-scope emissions")
    services.set_up_indicator(city, emissions, computed_from="total", public=False, by=None)
    return monitored


def get(client, person, url=URL, **headers):
    if person is not None:
        client.force_login(person)
    return client.get(url, **headers)


def by_name(items):
    return {item["name"]: item for item in items}


def test_team_sees_every_report_indicator_and_the_emissions(client, make_person, progress):
    body = get(client, make_person("viewer")).json()
    assert {k: body[k] for k in ("city", "iteration", "label_round", "reporting_months", "full")} == {
        "city": "aachen", "iteration": 1, "label_round": "2024-03", "reporting_months": 6,
        "full": True,
    }  # fmt: skip
    assert body["endorsed_on"] == timezone.localdate().isoformat()  # endorsed in the fixture
    actions = by_name(body["actions"])
    heating = progress.actions.get(name="District heating")
    assert actions["District heating"] == {
        "key": str(heating.key), "name": "District heating", "field_of_action": "energy",
        "status": "in_progress", "percent_done": 40, "spend_to_date_eur": 120_000_000.0,
        "budget_eur": 400_000_000.0, "over_budget": False, "reported_on": "2025-09-30",
        "next_milestone": "Tender", "milestone_on": "2026-03-01", "reports": 2,
        "url": f"/cities/aachen/progress/actions/{heating.key}/",
    }  # fmt: skip
    assert actions["Biowaste collection"]["over_budget"] is True
    assert actions["Biowaste collection"]["budget_eur"] == 2_000_000.0
    assert actions["Low-emission zone"]["status"] == "delayed"
    assert set(actions) == {"District heating", "Low-emission zone", "Biowaste collection"}


def test_team_sees_indicators_with_targets_values_and_standing(client, make_person, progress):
    indicators = by_name(get(client, make_person("editor")).json()["indicators"])
    assert set(indicators) == {"Homes on district heat", "Car share of trips",
                               "Mission-scope emissions"}  # fmt: skip
    cars = indicators["Car share of trips"]
    assert cars["unit"] == "% of trips" and cars["computed_from"] is None
    assert cars["targets"] == [
        {"year": 2022, "value": 45.0}, {"year": 2025, "value": 40.0},
        {"year": 2027, "value": 35.0}, {"year": 2030, "value": 30.0},
    ]  # fmt: skip
    assert cars["values"] == [
        {"date": "2025-06-30", "value": 42.0, "source": "Travel survey", "quality": "measured"}
    ]
    assert cars["on_track"] is False  # 42% where the path allows 40%
    emissions = indicators["Mission-scope emissions"]
    assert emissions["computed_from"] == "total"
    assert [(v["date"], round(v["value"], 3), v["quality"]) for v in emissions["values"]] == [
        ("2022-12-31", 312.0, None),
        ("2024-12-31", 239.4, None),
    ]
    assert emissions["on_track"] is True  # 239.4 kt where the path allows 249.6
    homes = indicators["Homes on district heat"]
    assert homes["values"] == [] and homes["targets"] == [] and homes["on_track"] is None


def test_team_sees_emissions_against_the_pathway(client, make_person, progress):
    (year,) = get(client, make_person("viewer")).json()["emissions"]
    assert year["year"] == 2024
    assert year["total"] == {
        "sector": "total", "actual_tco2e": 239_400.0, "expected_tco2e": 249_600.0,
        "distance_tco2e": -10_200.0, "on_track": True,
    }  # fmt: skip
    sectors = {row["sector"]: row for row in year["sectors"]}
    assert list(sectors) == ["buildings", "transport", "waste", "ippu", "afolu"]
    assert (sectors["buildings"]["actual_tco2e"], sectors["buildings"]["expected_tco2e"]) == (
        141_400.0,
        161_600.0,
    )
    assert sectors["transport"] == {
        "sector": "transport", "actual_tco2e": 90_000.0, "expected_tco2e": 80_000.0,
        "distance_tco2e": 10_000.0, "on_track": False,
    }  # fmt: skip


def test_anonymous_callers_see_only_what_the_city_published(client, progress):
    body = get(client, None).json()
    assert body["full"] is False
    actions = by_name(body["actions"])
    assert set(actions) == {"District heating", "Low-emission zone"}
    heating = actions["District heating"]
    # The newest published report, not the newer unpublished one.
    assert (heating["status"], heating["percent_done"], heating["reported_on"]) == (
        "planned",
        10,
        "2025-03-31",
    )
    assert heating["spend_to_date_eur"] is None and heating["reports"] == 1
    assert [i["name"] for i in body["indicators"]] == ["Car share of trips"]
    assert body["emissions"] is None


def test_emissions_are_public_once_the_city_publishes_them(client, city, progress):
    services.update_plan(city, reporting_months=12, publish_emissions=True, base_version=0,
                         by=None)  # fmt: skip
    body = get(client, None).json()
    assert body["reporting_months"] == 12
    assert [(y["year"], y["total"]["distance_tco2e"]) for y in body["emissions"]] == [
        (2024, -10_200.0)
    ]


@pytest.mark.parametrize(
    ("role", "full"),
    [("coordinator", True), ("advisor_of_city", True), ("staff", True),
     ("editor_of_other_city", False), ("advisor_elsewhere", False), ("member", False),
     ("officer", False)],
)  # fmt: skip
def test_who_sees_unpublished_progress(client, make_person, progress, role, full):
    body = get(client, make_person(role)).json()
    assert body["full"] is full
    assert len(body["actions"]) == (3 if full else 2)


def test_a_token_gives_a_machine_the_team_view(client, make_person, progress):
    token = create_token(make_person("viewer"), name="dashboard")
    body = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["full"] is True and len(body["actions"]) == 3


def test_unknown_city_is_404(client, progress):
    response = client.get("/api/v1/cities/atlantis/progress")
    assert response.status_code == 404
    assert response.json() == {"detail": "No city with this slug."}


def test_city_without_endorsed_contract_is_404_saying_so(client, other_city, progress):
    response = client.get("/api/v1/cities/valencia/progress")
    assert response.status_code == 404
    assert response.json() == {"detail": NOT_MONITORED}


def test_contract_still_in_review_is_not_monitored(client, city, make_person):
    iteration = contracts.start_contract(city, baseline=make_baseline(city), by=None)
    complete(iteration)
    from cityzero.reviews.services import take_step

    take_step(iteration, "submit", by=make_person("editor"))
    response = get(client, make_person("staff"))
    assert response.status_code == 404 and response.json() == {"detail": NOT_MONITORED}


def test_action_history_newest_first_for_the_team(client, make_person, progress):
    heating = progress.actions.get(name="District heating")
    url = f"{URL}/actions/{heating.key}"
    body = get(client, make_person("viewer"), url).json()
    assert {k: body[k] for k in ("city", "key", "name", "field_of_action", "budget_eur")} == {
        "city": "aachen", "key": str(heating.key), "name": "District heating",
        "field_of_action": "energy", "budget_eur": 400_000_000.0,
    }  # fmt: skip
    assert [(r["reported_on"], r["status"], r["public"]) for r in body["reports"]] == [
        ("2025-09-30", "in_progress", False),
        ("2025-03-31", "planned", True),
    ]
    newest, oldest = body["reports"]
    assert (newest["spend_to_date_eur"], newest["next_milestone"], newest["milestone_on"]) == (
        120_000_000.0,
        "Tender",
        "2026-03-01",
    )
    assert oldest["note"] == "Heat plan adopted."
    assert oldest["evidence_links"] == ["https://example.org/heat-plan"]


def test_action_history_for_anonymous_has_only_published_reports(client, progress):
    heating = progress.actions.get(name="District heating")
    body = get(client, None, f"{URL}/actions/{heating.key}").json()
    assert [r["reported_on"] for r in body["reports"]] == ["2025-03-31"]


def test_action_history_lists_evidence_files_with_their_download_address(client, city, progress):
    upload = SimpleUploadedFile("minutes.pdf", PDF_BYTES)
    upload.kind = PDF
    zone = progress.actions.get(name="Low-emission zone")
    services.report_progress(
        city, zone,
        services.ReportInput(reported_on=datetime.date(2025, 12, 1), status="in_progress",
                             percent_done=20, public=True),
        files=[upload], by=None,
    )  # fmt: skip
    (newest, _older) = get(client, None, f"{URL}/actions/{zone.key}").json()["reports"]
    (file,) = newest["files"]
    assert file["name"] == "minutes.pdf" and file["size"] == len(PDF_BYTES)
    assert file["url"].startswith("/cities/aachen/progress/evidence/")


def test_action_without_a_published_report_is_404_for_outsiders(client, make_person, progress):
    biowaste = progress.actions.get(name="Biowaste collection")
    url = f"{URL}/actions/{biowaste.key}"
    response = get(client, make_person("member"), url)
    assert response.status_code == 404
    assert response.json() == {"detail": NO_ACTION}
    assert len(get(client, make_person("viewer"), url).json()["reports"]) == 1


def test_action_without_reports_is_an_empty_history_for_the_team(client, make_person, monitored):
    heating = monitored.actions.get(name="District heating")
    body = get(client, make_person("advisor_of_city"), f"{URL}/actions/{heating.key}").json()
    assert body["reports"] == []


def test_unknown_action_key_is_404(client, progress):
    response = client.get(f"{URL}/actions/{uuid.uuid4()}")
    assert response.status_code == 404
    assert response.json() == {"detail": NO_ACTION}


def test_action_of_another_city_is_404(client, make_person, progress, other_city):
    """A key of Aachen's contract asked of a city without a contract."""
    heating = progress.actions.get(name="District heating")
    response = get(
        client, make_person("staff"), f"/api/v1/cities/valencia/progress/actions/{heating.key}"
    )
    assert response.status_code == 404 and response.json() == {"detail": NOT_MONITORED}


def test_malformed_action_key_is_422(client, progress):
    response = client.get(f"{URL}/actions/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "key"]


def test_action_history_of_unknown_city_is_404(client):
    response = client.get(f"/api/v1/cities/atlantis/progress/actions/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json() == {"detail": "No city with this slug."}


def test_schema_documents_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/cities/{slug}/progress" in paths
    assert "/api/v1/cities/{slug}/progress/actions/{key}" in paths


def add_history(city, iteration, *, first: int, count: int, year: int):
    """``count`` more published reports on each action and values of the car share, a month
    apart from ``first`` months after January 2024, and an inventory of ``year``."""
    cars = iteration.indicators.get(name="Car share of trips")
    for month in range(first, first + count):
        day = datetime.date(2024 + month // 12, month % 12 + 1, 1)
        for name in ("District heating", "Low-emission zone", "Biowaste collection"):
            report(city, iteration, name, day, "in_progress", 10 + month, public=True)
        services.record_value(
            city, cars,
            services.ValueInput(measured_on=day, value=Decimal(44), unit="% of trips",
                                source="Counts", quality="estimated"),
            by=None,
        )  # fmt: skip
    make_inventory(city, year, gas_mwh="800000", transport_t="95000", waste_t="9000")


@pytest.mark.parametrize("person", ["viewer", "anonymous"])
def test_query_count_does_not_grow_with_reports_values_or_inventories(
    client, make_person, progress, city, person
):
    user = make_person(person)
    services.update_plan(city, reporting_months=6, publish_emissions=True, base_version=0,
                         by=None)  # fmt: skip
    add_history(city, progress, first=0, count=1, year=2023)
    get(client, user)  # the session's first request reads more
    cache.clear()  # nothing computed before: inventory summaries are cached
    with CaptureQueriesContext(connection) as few:
        assert get(client, user).status_code == 200
    add_history(city, progress, first=1, count=6, year=2025)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        body = get(client, user).json()
    assert [year["year"] for year in body["emissions"]] == [2023, 2024, 2025]
    assert len(by_name(body["indicators"])["Car share of trips"]["values"]) == 1 + 1 + 6
    assert len(many) == len(few) <= 25


def test_query_count_of_an_action_history_does_not_grow_with_reports(
    client, make_person, progress, city
):
    heating = progress.actions.get(name="District heating")
    url = f"{URL}/actions/{heating.key}"
    user = make_person("viewer")
    get(client, user, url)  # the session's first request reads more
    with CaptureQueriesContext(connection) as few:
        assert get(client, user, url).status_code == 200
    add_history(city, progress, first=0, count=6, year=2023)
    with CaptureQueriesContext(connection) as many:
        assert len(get(client, user, url).json()["reports"]) == 8
    assert len(many) == len(few) <= 15
