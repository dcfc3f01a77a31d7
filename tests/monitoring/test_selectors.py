"""What the monitoring selectors show, to whom, with hand-computed figures (see conftest.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityzero.contracts import services as contracts
from cityzero.contracts.models import Action, Indicator
from cityzero.ghg.contract import ContractSector
from cityzero.ghg.progress import Period, ReportingState
from cityzero.inventories import services as inventory_services
from cityzero.monitoring import selectors
from cityzero.monitoring.models import IndicatorSetup, IndicatorValue, MonitoringPlan
from cityzero.monitoring.services import (
    ReportInput,
    ValueInput,
    record_value,
    report_progress,
    set_up_indicator,
)
from cityzero.reviews.models import Transition
from tests.contracts.conftest import complete, make_baseline
from tests.factories import LabelRoundFactory
from tests.inventories.test_summary import record
from tests.monitoring.conftest import endorse, inventory_rows, make_inventory

pytestmark = pytest.mark.django_db

B, T, W = ContractSector.BUILDINGS, ContractSector.TRANSPORT, ContractSector.WASTE
TODAY = datetime.date(2026, 11, 30)
day = datetime.date
ENERGY, MOBILITY, WASTE = "Energy systems", "Mobility & transport", "Waste & circular economy"


def actions_of(iteration):
    return {a.name: a for a in Action.objects.filter(iteration=iteration)}


def report(city, action, when, status="in_progress", percent=50, *, public=False, spend=None):
    data = ReportInput(reported_on=when, status=status, percent_done=percent, public=public,
                       spend_to_date=None if spend is None else Decimal(spend))  # fmt: skip
    return report_progress(city, action, data, by=None, today=TODAY)


def endorsed_on(iteration, when):
    """Date the endorsement ``when`` (the fixture endorses today)."""
    moment = datetime.datetime.combine(when, datetime.time(12), tzinfo=datetime.UTC)
    Transition.objects.filter(iteration=iteration, step="endorse").update(created_at=moment)


@pytest.fixture
def actions(endorsed):
    names = {"District heating": "heat", "Low-emission zone": "zone", "Biowaste collection": "bio"}
    return {names[name]: action for name, action in actions_of(endorsed).items()}


@pytest.fixture
def reported(city, actions):
    """Heating: a public report, then a newer unpublished one. The zone: unpublished only.
    Biowaste: none."""
    report(city, actions["heat"], day(2026, 3, 31), percent=20, public=True)
    report(city, actions["heat"], day(2026, 9, 30), "delayed", 25)
    report(city, actions["zone"], day(2026, 6, 30), "planned", 0)


def by_name(monitoring):
    return {item.action.name: item for item in monitoring.actions}


# --- actions -----------------------------------------------------------------------------------


def test_the_team_sees_every_action_and_every_report(city, city_editor, reported):
    monitoring = selectors.city_monitoring(city, city_editor)
    assert monitoring.full
    items = by_name(monitoring)
    assert set(items) == {"District heating", "Low-emission zone", "Biowaste collection"}
    heat = items["District heating"]
    assert (heat.latest.reported_on, heat.status, heat.reports) == (day(2026, 9, 30), "delayed", 2)
    assert heat.ever_delayed
    assert (items["Low-emission zone"].status, items["Low-emission zone"].reports) == ("planned", 1)
    assert (items["Biowaste collection"].latest, items["Biowaste collection"].status) == (None, "")


@pytest.mark.parametrize("viewer", ["anonymous", "member", "editor_of_other_city",
                                    "advisor_elsewhere"])  # fmt: skip
def test_outsiders_see_only_published_reports(city, make_person, reported, viewer):
    monitoring = selectors.city_monitoring(city, make_person(viewer))
    assert not monitoring.full
    assert monitoring.reporting is None
    items = by_name(monitoring)
    assert list(items) == ["District heating"]  # no public report: not listed
    heat = items["District heating"]
    assert (heat.latest.reported_on, heat.status, heat.reports) == (day(2026, 3, 31),
                                                                    "in_progress", 1)  # fmt: skip
    assert not heat.ever_delayed  # the delay was not published


@pytest.mark.parametrize("viewer", ["viewer", "advisor_of_city", "staff"])
def test_the_team_advisors_and_staff_see_everything(city, make_person, reported, viewer):
    monitoring = selectors.city_monitoring(city, make_person(viewer))
    assert monitoring.full
    assert len(monitoring.actions) == 3


def test_the_public_view_shows_the_team_what_visitors_see(city, city_editor, reported):
    monitoring = selectors.city_monitoring(city, city_editor, public_view=True)
    assert not monitoring.full
    assert list(by_name(monitoring)) == ["District heating"]


def test_by_status_and_by_field_count_actions(city, city_editor, reported):
    monitoring = selectors.city_monitoring(city, city_editor)
    counts = {status: n for status, _label, n in monitoring.by_status()}
    assert counts == {"not_started": 0, "planned": 1, "in_progress": 0, "completed": 0,
                      "delayed": 1, "cancelled": 0, "": 1}  # fmt: skip
    assert [label for _s, label, _n in monitoring.by_status()][-1] == "No report yet"
    assert dict(monitoring.by_field()) == {
        ENERGY: {"delayed": 1},
        MOBILITY: {"planned": 1},
        WASTE: {"": 1},
    }
    public = selectors.city_monitoring(city, None)
    assert {s: n for s, _label, n in public.by_status() if n} == {"in_progress": 1}
    assert dict(public.by_field()) == {ENERGY: {"in_progress": 1}}


def test_spend_beyond_the_budget_is_flagged(city, city_editor, actions):
    report(city, actions["zone"], day(2026, 5, 1), spend="20000000.00")  # opex: 20,000,000 €
    assert not by_name(selectors.city_monitoring(city, city_editor))[
        "Low-emission zone"
    ].over_budget
    report(city, actions["zone"], day(2026, 6, 1), spend="20000000.01")
    item = by_name(selectors.city_monitoring(city, city_editor))["Low-emission zone"]
    assert (item.budget, item.over_budget) == (20_000_000, True)


def test_a_city_without_an_endorsed_contract_is_not_monitored(city, city_editor):
    contracts.start_contract(city, baseline=make_baseline(city), by=None)
    with pytest.raises(selectors.NotMonitored):
        selectors.city_monitoring(city, city_editor)


def test_action_history_hides_unpublished_reports_from_outsiders(
    city, city_editor, actions, reported
):
    _action, mine = selectors.action_history(city, actions["heat"].key, city_editor)
    _action, theirs = selectors.action_history(city, actions["heat"].key, None)
    assert [r.reported_on for r in mine] == [day(2026, 9, 30), day(2026, 3, 31)]
    assert [r.reported_on for r in theirs] == [day(2026, 3, 31)]


def test_action_history_of_an_unknown_action(city, endorsed, city_editor):
    import uuid

    with pytest.raises(Action.DoesNotExist):
        selectors.action_history(city, uuid.uuid4(), city_editor)


# --- emissions against the pathway --------------------------------------------------------------


def test_the_team_sees_2024_against_the_pathway(city, city_editor, inventory_2024):
    monitoring = selectors.city_monitoring(city, city_editor)
    assert monitoring.emissions_shown
    assert (monitoring.pathway.base_year, monitoring.pathway.target_year) == (2022, 2030)
    assert monitoring.pathway.line()[2024] == pytest.approx(249_600)
    assert [s.year for s in monitoring.emissions] == [2024]  # the baseline year is not compared
    year = monitoring.latest_emissions
    rows = {s.sector: s for s in year.sectors}
    assert (rows[B].actual, rows[B].expected) == (pytest.approx(141_400), pytest.approx(161_600))
    assert rows[B].distance == pytest.approx(-20_200) and rows[B].on_track
    assert (rows[T].actual, rows[T].expected) == (pytest.approx(90_000), pytest.approx(80_000))
    assert rows[T].distance == pytest.approx(10_000) and not rows[T].on_track
    assert rows[W].distance == pytest.approx(0, abs=1e-6) and rows[W].on_track
    assert year.total.actual == pytest.approx(239_400)
    assert year.total.expected == pytest.approx(249_600)
    assert year.total.on_track
    assert [s.sector for s in year.off_track] == [T]


def test_emissions_are_hidden_from_outsiders_until_the_city_publishes_them(
    city, city_editor, inventory_2024
):
    hidden = selectors.city_monitoring(city, None)
    assert (hidden.emissions_shown, hidden.emissions, hidden.pathway) == (False, [], None)
    MonitoringPlan.objects.create(city=city, publish_emissions=True)
    shown = selectors.city_monitoring(city, None)
    assert shown.emissions_shown
    assert [s.year for s in shown.emissions] == [2024]
    assert shown.latest_emissions.total.actual == pytest.approx(239_400)


@pytest.mark.parametrize(
    ("visibility", "viewer", "years"),
    [
        ("team", "anonymous", []),
        ("team", "member", []),
        ("team", "editor", [2024]),
        ("members", "anonymous", []),
        ("members", "member", [2024]),
        ("public", "anonymous", [2024]),
    ],
)
def test_published_emissions_come_only_from_inventories_the_viewer_may_read(
    city, endorsed, make_person, visibility, viewer, years
):
    MonitoringPlan.objects.create(city=city, publish_emissions=True)
    make_inventory(city, 2024, visibility=visibility, gas_mwh="700000", transport_t="90000",
                   waste_t="8000")  # fmt: skip
    monitoring = selectors.city_monitoring(city, make_person(viewer))
    assert [s.year for s in monitoring.emissions] == years


def test_the_public_view_never_uses_a_team_only_inventory(city, city_editor, endorsed):
    MonitoringPlan.objects.create(city=city, publish_emissions=True)
    make_inventory(city, 2024, visibility="team", gas_mwh="700000", transport_t="90000",
                   waste_t="8000")  # fmt: skip
    assert selectors.city_monitoring(city, city_editor, public_view=True).emissions == []
    assert len(selectors.city_monitoring(city, city_editor).emissions) == 1


def test_a_net_afolu_sink_in_a_later_inventory_is_shown_not_a_crash(
    city, city_editor, endorsed, make_person
):
    inventory = inventory_services.create_inventory(city, 2024, gwp_set="AR6", by=None,
                                                    visibility="public")  # fmt: skip
    rows = inventory_rows(gas_mwh="700000", transport_t="90000", waste_t="8000")
    rows = [row for row in rows if row["gpc_ref"] != "V.2"]
    rows.append(record(gpc_ref="V.2", quantity="-5000", unit="t CO2e"))  # a forest's removals
    inventory_services.replace_rows(inventory, rows, by=None)
    year = selectors.city_monitoring(city, city_editor).latest_emissions
    afolu = next(s for s in year.sectors if s.sector == ContractSector.AFOLU)
    assert (afolu.actual, afolu.on_track) == (pytest.approx(-5_000), True)
    assert year.total.actual == pytest.approx(234_400)
    row = selectors.overview(make_person("staff"), today=TODAY).rows[0]
    assert row.emissions.total.distance == pytest.approx(-15_200)


# --- indicators --------------------------------------------------------------------------------


def add_indicator(endorsed, name, unit, **targets):
    homes = Indicator.objects.get(iteration=endorsed, name="Homes on district heat")
    return Indicator.objects.create(iteration=endorsed, pathway=homes.pathway, name=name,
                                    unit=unit, **targets)  # fmt: skip


def indicator_progress(monitoring, name):
    return next(i for i in monitoring.indicators if i.indicator.name == name)


def test_indicators_are_public_only_when_their_setup_is(city, endorsed, city_editor):
    homes = Indicator.objects.get(iteration=endorsed)
    assert [i.indicator for i in selectors.city_monitoring(city, city_editor).indicators] == [homes]
    assert selectors.city_monitoring(city, None).indicators == []
    set_up_indicator(city, homes, computed_from="", public=True, by=city_editor)
    public = selectors.city_monitoring(city, None).indicators
    assert [(i.indicator, i.public, i.computed) for i in public] == [(homes, True, False)]


def test_typed_values_oldest_first_against_the_targets(city, endorsed, city_editor):
    homes = Indicator.objects.get(iteration=endorsed)
    homes.baseline_value, homes.target_2025, homes.target_2030 = 1_000, 4_000, 9_000
    homes.save()
    for when, number in [(day(2024, 12, 31), 2_500), (day(2023, 12, 31), 1_800)]:
        record_value(city, homes, ValueInput(measured_on=when, value=Decimal(number),
                     unit="homes", source="Register", quality="measured"), by=None,
                     today=TODAY)  # fmt: skip
    item = indicator_progress(selectors.city_monitoring(city, city_editor), homes.name)
    assert [(p.day, p.value, p.quality) for p in item.points] == [
        (day(2023, 12, 31), 1_800, "Measured"),
        (day(2024, 12, 31), 2_500, "Measured"),
    ]
    assert item.targets == {2022: 1_000, 2025: 4_000, 2030: 9_000}
    standing = item.standing  # 2024 on the path 1,000 → 4,000 over 2022–2025: 3,000
    assert standing.expected == pytest.approx(3_000)
    assert standing.distance == pytest.approx(500)
    assert not standing.on_track
    assert item.yearly() == {2023: 1_800, 2024: 2_500}


def test_total_emissions_computed_from_the_inventories(city, endorsed, city_editor, inventory_2024):
    total = add_indicator(endorsed, "Total emissions", "t CO2e", baseline_value=Decimal(312_000),
                          target_2030=Decimal(62_400))  # fmt: skip
    set_up_indicator(city, total, computed_from="total", public=True, by=city_editor)
    item = indicator_progress(selectors.city_monitoring(city, None), "Total emissions")
    assert item.computed and item.problem == ""
    assert [(p.day, p.value, p.source) for p in item.points] == [
        (day(2022, 12, 31), pytest.approx(312_000), "GHG inventory 2022"),
        (day(2024, 12, 31), pytest.approx(239_400), "GHG inventory 2024"),
    ]
    assert item.standing.expected == pytest.approx(249_600)
    assert item.standing.distance == pytest.approx(-10_200)
    assert item.standing.on_track


def test_computed_values_convert_to_the_indicators_unit(
    city, endorsed, city_editor, inventory_2024
):
    kilotonnes = add_indicator(endorsed, "Transport emissions", "kt CO2e")
    set_up_indicator(city, kilotonnes, computed_from="transport", public=False, by=city_editor)
    item = indicator_progress(selectors.city_monitoring(city, city_editor), "Transport emissions")
    assert [p.value for p in item.points] == [pytest.approx(100), pytest.approx(90)]


def test_emissions_per_resident(city, endorsed, city_editor, inventory_2024):
    per_capita = add_indicator(endorsed, "Per resident", "t CO2e per capita")
    set_up_indicator(city, per_capita, computed_from="per_capita", public=False, by=city_editor)
    item = indicator_progress(selectors.city_monitoring(city, city_editor), "Per resident")
    # 312,000 and 239,400 t among 250,000 residents
    assert [p.value for p in item.points] == [pytest.approx(1.248), pytest.approx(0.9576)]
    city.population = None
    city.save()
    item = indicator_progress(selectors.city_monitoring(city, city_editor), "Per resident")
    assert item.points == []
    assert "population is not known" in item.problem


def test_a_computed_indicator_for_outsiders_uses_only_inventories_they_may_read(
    city, endorsed, city_editor
):
    make_inventory(city, 2024, visibility="team", gas_mwh="700000", transport_t="90000",
                   waste_t="8000")  # fmt: skip
    total = add_indicator(endorsed, "Total emissions", "t CO2e")
    set_up_indicator(city, total, computed_from="total", public=True, by=city_editor)
    public = indicator_progress(selectors.city_monitoring(city, None), "Total emissions")
    team = indicator_progress(selectors.city_monitoring(city, city_editor), "Total emissions")
    assert [p.day.year for p in public.points] == [2022]  # the contract's baseline is public
    assert [p.day.year for p in team.points] == [2022, 2024]


def test_typed_values_of_a_computed_indicator_are_not_shown(city, endorsed, city_editor):
    total = add_indicator(endorsed, "Total emissions", "t CO2e")
    IndicatorValue.objects.create(city=city, indicator=total, indicator_key=total.key,
                                  measured_on=day(2023, 12, 31), value=Decimal(1),
                                  source="Old", quality="estimated")  # fmt: skip
    IndicatorSetup.objects.create(city=city, indicator_key=total.key, computed_from="total")
    item = indicator_progress(selectors.city_monitoring(city, city_editor), "Total emissions")
    assert [p.value for p in item.points] == [pytest.approx(312_000)]


# --- reporting ---------------------------------------------------------------------------------

H1_2026 = Period(day(2026, 1, 1), day(2026, 6, 30))
H2_2026 = Period(day(2026, 7, 1), day(2026, 12, 31))


@pytest.fixture
def endorsed_in_may(endorsed):
    endorsed_on(endorsed, day(2026, 5, 10))
    return endorsed


def reporting_on(city, user, today):
    return selectors.city_monitoring(city, user, today=today).reporting


def test_reporting_is_upcoming_in_the_period_of_the_endorsement(city, city_editor, actions,
                                                                endorsed_in_may):  # fmt: skip
    monitoring = selectors.city_monitoring(city, city_editor, today=day(2026, 5, 20))
    assert monitoring.endorsed_on == day(2026, 5, 10)
    result = monitoring.reporting
    assert (result.period, result.state) == (H1_2026, ReportingState.UPCOMING)
    assert set(result.missing) == {str(a.key) for a in actions.values()}


def test_reporting_is_due_then_overdue(city, city_editor, actions, endorsed_in_may):
    report(city, actions["heat"], day(2026, 6, 15))
    due = reporting_on(city, city_editor, day(2026, 7, 30))
    assert (due.period, due.state, due.due) == (H1_2026, ReportingState.DUE, day(2026, 7, 30))
    assert set(due.missing) == {str(actions["zone"].key), str(actions["bio"].key)}
    overdue = reporting_on(city, city_editor, day(2026, 7, 31))
    assert overdue.state == ReportingState.OVERDUE


def test_closed_actions_report_no_more(city, city_editor, actions, endorsed_in_may):
    report(city, actions["heat"], day(2026, 6, 15), "completed", 100)
    report(city, actions["zone"], day(2026, 5, 15), "cancelled", 0)
    report(city, actions["bio"], day(2026, 7, 2))  # after the period: counts for it
    result = reporting_on(city, city_editor, day(2026, 8, 1))
    assert (result.period, result.state, result.missing) == (H2_2026, ReportingState.DONE, ())


def test_quarterly_reporting_follows_the_plan(city, city_editor, actions, endorsed_in_may):
    MonitoringPlan.objects.create(city=city, reporting_months=3)
    for action in actions.values():
        report(city, action, day(2026, 6, 1))
    result = reporting_on(city, city_editor, day(2026, 10, 20))
    assert (result.period, result.state) == (Period(day(2026, 7, 1), day(2026, 9, 30)),
                                             ReportingState.DUE)  # fmt: skip


# --- across cities -----------------------------------------------------------------------------


@pytest.fixture
def valencia(other_city, make_person):
    iteration = contracts.start_contract(other_city, baseline=make_baseline(other_city), by=None)
    complete(iteration)
    return endorse(iteration, by_editor=make_person("editor_of_other_city"),
                   by_staff=make_person("staff"), by_officer=make_person("officer"),
                   label_round=LabelRoundFactory())  # fmt: skip


def test_staff_oversee_every_monitored_city(city, other_city, endorsed, valencia, make_person,
                                            ):  # fmt: skip
    rows = selectors.overview(make_person("staff"), today=TODAY).rows
    assert [row.city for row in rows] == [city, other_city]  # by name


def test_advisors_oversee_only_the_cities_they_advise(city, other_city, endorsed, valencia,
                                                      make_person):  # fmt: skip
    assert [r.city for r in selectors.overview(make_person("advisor_of_city")).rows] == [city]
    assert [r.city for r in selectors.overview(make_person("advisor_elsewhere")).rows] == [
        other_city
    ]
    assert selectors.overview(make_person("editor")).rows == []
    assert selectors.overview(None).rows == []  # nobody in particular oversees nothing


def test_overview_rows_and_delays_by_field(city, other_city, endorsed_in_may, valencia, actions,
                                          inventory_2024, make_person):  # fmt: skip
    report(city, actions["zone"], day(2026, 3, 1), "delayed", 10)
    report(city, actions["zone"], day(2026, 6, 1), "in_progress", 30, spend="25000000")
    report(city, actions["heat"], day(2026, 6, 2), "delayed", 5)
    valencia_zone = actions_of(valencia)["Low-emission zone"]
    report(other_city, valencia_zone, day(2026, 6, 3), "delayed", 15)

    overview = selectors.overview(make_person("staff"), today=day(2026, 8, 15))
    rows = {row.city: row for row in overview.rows}
    aachen = rows[city]
    assert (aachen.actions, aachen.delayed, aachen.over_budget) == (3, 1, 1)
    assert aachen.last_report == day(2026, 6, 2)
    assert aachen.reporting.state == ReportingState.OVERDUE  # biowaste never reported on H1
    assert aachen.reporting.missing == (str(actions["bio"].key),)
    assert aachen.behind
    assert aachen.emissions.year == 2024
    assert aachen.emissions.total.actual == pytest.approx(239_400)
    assert not aachen.off_track  # the total is 10,200 t below the path
    assert (rows[other_city].delayed, rows[other_city].emissions) == (1, None)

    delays = {d.field: d for d in overview.delays}
    assert (delays[MOBILITY].actions, delays[MOBILITY].delayed_now,
            delays[MOBILITY].ever_delayed) == (2, 1, 2)  # fmt: skip
    assert (delays[ENERGY].actions, delays[ENERGY].delayed_now,
            delays[ENERGY].ever_delayed) == (2, 1, 1)  # fmt: skip
    assert (delays[WASTE].delayed_now, delays[WASTE].ever_delayed) == (0, 0)
    assert delays[MOBILITY].share == 1.0
    assert [d.field for d in overview.delays] == [MOBILITY, ENERGY, WASTE]


def test_an_action_delayed_once_then_in_progress_was_ever_delayed(city, actions, make_person):
    report(city, actions["zone"], day(2026, 3, 1), "delayed", 10)
    report(city, actions["zone"], day(2026, 6, 1), "in_progress", 30)
    overview = selectors.overview(make_person("staff"), today=TODAY)
    mobility = next(d for d in overview.delays if d.field == MOBILITY)
    assert (mobility.actions, mobility.delayed_now, mobility.ever_delayed) == (1, 0, 1)


def test_an_off_track_city_is_flagged(city, endorsed, make_person):
    make_inventory(city, 2024, gas_mwh="900000", transport_t="90000", waste_t="8000")
    # buildings 181,800: 20,200 above the path; total 279,800 against 249,600
    row = selectors.overview(make_person("staff"), today=TODAY).rows[0]
    assert row.emissions.total.distance == pytest.approx(30_200)
    assert row.off_track


# --- query counts ------------------------------------------------------------------------------


def queries(function):
    """Queries of a read with nothing cached (saving a public report renews the public cache)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_city_monitoring_reads_with_a_fixed_number_of_queries(
    city, city_editor, actions, inventory_2024
):
    def read():
        selectors.city_monitoring(city, city_editor, today=TODAY)

    report(city, actions["heat"], day(2026, 1, 1))
    read()  # the editor's roles are read once, then kept on the user
    few = queries(read)
    for n, action in enumerate(actions.values()):
        for month in range(2, 6):
            report(city, action, day(2026, month, n + 1), public=True)
    assert queries(read) == few


def test_overview_reads_with_a_fixed_number_of_queries(
    city, endorsed, valencia, actions, inventory_2024, make_person
):
    staff = make_person("staff")

    def read():
        selectors.overview(staff, today=TODAY)

    read()  # the roles are read once, then kept on the user
    few = queries(read)
    for action in actions.values():
        report(city, action, day(2026, 2, 1), "delayed", 10)
        report(city, action, day(2026, 3, 1), "in_progress", 20, spend="1000")
    for action in actions_of(valencia).values():
        report(valencia.contract.city, action, day(2026, 2, 1), "delayed", 10)
    assert queries(read) == few
