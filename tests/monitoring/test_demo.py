"""The demo's monitored city: Valencia's contract endorsed through the review steps, with a 2023
inventory against its 2019 baseline, a plan, progress reports and indicator values."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cityzero.accounts.models import User
from cityzero.cities.models import City
from cityzero.contracts.models import Iteration, IterationStatus
from cityzero.inventories.models import Inventory
from cityzero.inventories.selectors import inventory_summary
from cityzero.monitoring import selectors
from cityzero.monitoring.demo import DEMO_REPORTS, DEMO_VALUES, LATER_SCALE, scaled_inventory
from cityzero.monitoring.models import (
    ActionReport,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)
from cityzero.reviews.models import Transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    return City.objects.get(slug="valencia")


def staff():
    return User.objects.get(email="staff@demo.cityzero.eu")


def snapshot():
    """What the demo's monitoring consists of, row by row, with every time it was written."""
    return (
        list(Iteration.objects.values_list("pk", "status", "version", "updated_at")),
        list(Transition.objects.values_list("pk", "step", "created_at")),
        list(Inventory.objects.values_list("pk", "year", "version", "updated_at")),
        list(MonitoringPlan.objects.values_list("pk", "version", "updated_at")),
        list(ActionReport.objects.values_list("pk", "reported_on", "created_at")),
        list(IndicatorSetup.objects.values_list("pk", "computed_from", "public", "updated_at")),
        list(IndicatorValue.objects.values_list("pk", "measured_on", "value", "created_at")),
    )


def test_valencias_contract_is_endorsed_in_its_label_round_through_the_review_steps(demo):
    iteration = Iteration.objects.get(contract__city=demo)
    assert iteration.status == IterationStatus.ENDORSED
    assert iteration.label_round == demo.label_round and demo.label_round.code == "2023-10"
    assert list(iteration.transitions.order_by("pk").values_list("step", "actor__email")) == [
        ("submit", "valencia@demo.cityzero.eu"),
        ("open_feedback", "staff@demo.cityzero.eu"),
        ("forward", "staff@demo.cityzero.eu"),
        ("endorse", "officer@demo.cityzero.eu"),
    ]
    assert iteration.baseline.year == 2019
    # Aachen's demo contract still waits for platform feedback.
    aachen = Iteration.objects.get(contract__city__slug="aachen")
    assert aachen.status == IterationStatus.FEEDBACK


def test_valencias_progress_page_data_has_reports_indicators_and_emissions(demo):
    found = selectors.city_monitoring(demo, staff())
    assert (found.plan.reporting_months, found.plan.publish_emissions) == (6, True)
    progress = {item.action.name: item for item in found.actions}
    assert sum(item.reports for item in progress.values()) == len(DEMO_REPORTS) == 14
    retrofit = progress["Energy retrofit of social housing"]
    assert retrofit.ever_delayed and retrofit.status == "in_progress"
    assert progress["Superblocks and a low-emission zone"].status == "delayed"
    assert progress["Separate biowaste collection in every district"].status == "completed"
    assert [name for name, item in progress.items() if item.over_budget] == [
        "Reuse and repair centres"  # €4.1m spent of €3.5m
    ]
    indicators = {item.indicator.name: item for item in found.indicators}
    assert sum(len(i.points) for i in indicators.values() if not i.computed) == len(DEMO_VALUES)
    computed = indicators["Mission-scope emissions"]
    assert computed.computed and computed.problem == ""
    assert [(p.day.year, round(p.value)) for p in computed.points] == [
        (2019, 1_132_355),
        (2023, 874_459),
    ]
    (year,) = found.emissions
    assert year.year == 2023 and not year.total.on_track
    assert [s.sector.value for s in year.off_track] == ["buildings", "waste"]


def test_the_public_sees_what_valencia_published(client, demo):
    found = selectors.city_monitoring(demo, None)
    assert not found.full
    assert {item.action.name for item in found.actions} == {
        "Energy communities on public roofs",
        "Energy retrofit of social housing",
        "Electric bus fleet",
        "Separate biowaste collection in every district",
    }
    assert [i.indicator.name for i in found.indicators] == [
        "Homes heated and cooled without fossil fuel"
    ]
    assert found.emissions_shown and len(found.emissions) == 1
    page = client.get("/cities/valencia/progress/")
    assert page.status_code == 200
    assert "Energy communities on public roofs" in page.content.decode()
    api = client.get("/api/v1/cities/valencia/progress").json()
    assert len(api["actions"]) == 4 and api["full"] is False


def test_the_demo_loads_twice_without_changing_anything(demo):
    before = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_staff_follow_valencia_in_the_monitoring_overview(demo):
    (row,) = selectors.overview(staff()).rows
    assert row.city == demo and row.actions == 7
    assert (row.delayed, row.over_budget, row.off_track) == (1, 1, True)


def test_the_later_inventory_scales_each_sector_of_the_demo_file(demo):
    later = Inventory.objects.get(city=demo, year=2023)
    assert later.illustrative and later.visibility == "public"
    summary = inventory_summary(later)
    assert summary["errors"] == [] and summary["checks"] == []
    rows = scaled_inventory(b"gpc_ref,quantity\nI.1.1,850000\nII.1.1,45000000\nIII.1.1,900\n"
                            b"I.4.1,\n", LATER_SCALE).decode()  # fmt: skip
    assert rows == "gpc_ref,quantity\nI.1.1,680000\nII.1.1,30600000\nIII.1.1,765\nI.4.1,\n"


@pytest.mark.parametrize(
    ("model", "editable"),
    [(ActionReport, False), (IndicatorValue, False), (IndicatorSetup, False),
     (MonitoringPlan, True)],
)  # fmt: skip
def test_the_admin_shows_the_records_and_lets_staff_change_only_the_plan(
    client, demo, settings_without_mfa, model, editable
):
    client.force_login(staff())
    info = (model._meta.app_label, model._meta.model_name)
    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    page = client.get(reverse("admin:{}_{}_change".format(*info), args=[model.objects.first().pk]))
    assert page.status_code == 200
    assert ('name="_save"' in page.content.decode()) is editable
    assert "deletelink" not in page.content.decode()
