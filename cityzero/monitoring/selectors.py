"""Reads of implementation monitoring: one city's progress against its endorsed contract, and the
cross-city view for advisors and staff. Each is read with a fixed number of queries; the
arithmetic is :mod:`cityzero.ghg.progress`'s.

A city's team, its advisors and the staff see everything; everyone else sees what the city
published: actions through their public reports, the indicators it made public, and its
emissions against the pathway (from inventories they may read) if it chose to show them.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import can, roles_of
from cityzero.cities.models import City, MissionStatus
from cityzero.contracts.models import Action, Indicator, Iteration, IterationStatus
from cityzero.contracts.presentation import SECTOR_LABELS
from cityzero.contracts.selectors import latest_endorsed
from cityzero.ghg import contract as ccc
from cityzero.ghg import progress
from cityzero.ghg.units import UnitError, quantity_factor
from cityzero.inventories.models import Inventory
from cityzero.inventories.selectors import city_inventories, inventory_summaries
from cityzero.monitoring.models import (
    CLOSED,
    ActionReport,
    ComputedMetric,
    ImplementationStatus,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)
from cityzero.reviews.selectors import endorsement_dates

TONNES = "t CO2e"
PER_CAPITA = "t CO2e/capita"
TARGET_YEARS = (2025, 2027, 2030)
SECTOR_METRICS = {metric.value: ccc.ContractSector(metric.value) for metric in (
    ComputedMetric.BUILDINGS, ComputedMetric.TRANSPORT, ComputedMetric.WASTE,
    ComputedMetric.IPPU, ComputedMetric.AFOLU)}  # fmt: skip


def endorsed_iteration(city: City) -> Iteration | None:
    """The city's newest endorsed contract iteration: the one its monitoring follows."""
    return (
        Iteration.objects.filter(contract__city=city, status=IterationStatus.ENDORSED)
        .select_related("baseline", "label_round")
        .order_by("-number")
        .first()
    )


def monitored_since(iteration: Iteration, endorsed: dict[int, datetime.date]) -> datetime.date:
    """When monitoring began: the endorsement (``endorsed``: dates by iteration id), else the
    label round's award (an iteration endorsed outside the workflow, e.g. imported)."""
    if iteration.pk in endorsed:
        return endorsed[iteration.pk]
    if iteration.label_round is not None:
        return iteration.label_round.awarded_on
    return timezone.localdate(iteration.updated_at)


def plan_of(city: City) -> MonitoringPlan:
    """The city's monitoring plan, or the default one (unsaved, version 0)."""
    return MonitoringPlan.objects.filter(city=city).first() or MonitoringPlan(city=city)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- actions -----------------------------------------------------------------------------------


@dataclass
class ActionProgress:
    action: Action
    latest: ActionReport | None  # the newest report this viewer may see
    reports: int  # how many reports this viewer may see
    ever_delayed: bool

    @property
    def status(self) -> str:
        return self.latest.status if self.latest else ""

    @property
    def budget(self) -> float | None:
        return _number(self.action.total_cost)

    @property
    def over_budget(self) -> bool:
        return self.latest is not None and spent_beyond(self.latest, self.action)


def spent_beyond(report: ActionReport, action: Action) -> bool:
    """Whether the report's spend to date exceeds the action's cost in the contract."""
    return progress.over_budget(_number(report.spend_to_date), _number(action.total_cost))


def _action_progress(
    actions: list[Action], reports: Iterable[ActionReport]
) -> list[ActionProgress]:
    by_key: dict[UUID, list[ActionReport]] = defaultdict(list)
    for report in reports:  # newest first
        by_key[report.action_key].append(report)
    return [
        ActionProgress(
            action=action,
            latest=found[0] if (found := by_key.get(action.key)) else None,
            reports=len(found or ()),
            ever_delayed=any(r.status == ImplementationStatus.DELAYED for r in found or ()),
        )
        for action in actions
    ]


def reporting_of(
    actions: Iterable[Any],
    rows: Iterable[tuple[UUID, str, datetime.date]],
    *,
    months: int,
    since: datetime.date,
    today: datetime.date | None = None,
) -> progress.Reporting:
    """Where the city stands with reporting on its actions (``rows``: every report, newest
    first, as (action key, status, date)). Completed and cancelled actions report no more."""
    latest: dict[str, tuple[str, datetime.date]] = {}
    for key, status, day in rows:
        latest.setdefault(str(key), (status, day))
    open_actions = {
        str(action.key): latest[str(action.key)][1] if str(action.key) in latest else None
        for action in actions
        if latest.get(str(action.key), ("", None))[0] not in CLOSED
    }
    return progress.reporting(
        today or timezone.localdate(), months=months, since=since, last_reports=open_actions
    )


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    day: datetime.date
    value: float
    source: str
    quality: str  # a DataQuality label, or "" for computed values
    note: str = ""


@dataclass
class IndicatorProgress:
    indicator: Indicator
    setup: IndicatorSetup | None
    points: list[Point]  # oldest first
    targets: dict[int, float]  # the baseline (in the base year) and the targets, by year
    problem: str = ""  # why a computed indicator shows no values

    @property
    def computed(self) -> bool:
        return bool(self.setup and self.setup.computed_from)

    @property
    def public(self) -> bool:
        return bool(self.setup and self.setup.public)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def standing(self) -> progress.IndicatorStanding | None:
        latest = self.latest
        if latest is None or not self.targets:
            return None
        return progress.indicator_standing(self.targets, latest.day.year, latest.value)

    def yearly(self) -> dict[int, float]:
        """The latest value of each year, for the chart."""
        return {point.day.year: point.value for point in self.points}


def targets_of(indicator: Indicator, base_year: int | None) -> dict[int, float]:
    points = {
        year: float(value)
        for year in TARGET_YEARS
        if (value := getattr(indicator, f"target_{year}")) is not None
    }
    if indicator.baseline_value is not None and base_year is not None:
        points.setdefault(base_year, float(indicator.baseline_value))
    return points


def metric_unit(metric: str) -> str:
    return PER_CAPITA if metric == ComputedMetric.PER_CAPITA else TONNES


def metric_problem(metric: str, unit: str, population: int | None) -> str:
    """Why ``metric`` cannot fill an indicator measured in ``unit`` ("" if it can)."""
    try:
        quantity_factor(metric_unit(metric), unit)
    except UnitError:
        return _(
            "An inventory gives %(given)s, which cannot be converted to this indicator's unit, "
            "%(unit)s."
        ) % {"given": metric_unit(metric), "unit": unit}
    if metric == ComputedMetric.PER_CAPITA and not population:
        return _("The city's population is not known, so emissions per resident cannot be "
                 "computed.")  # fmt: skip
    return ""


def _metric_value(metric: str, summary: dict[str, Any], population: int | None) -> float:
    by_sector = ccc.baseline_by_sector(summary.get("mission_by_sector", {}))
    if metric in SECTOR_METRICS:
        return by_sector[SECTOR_METRICS[metric]]
    total = math.fsum(by_sector.values())
    return total / population if metric == ComputedMetric.PER_CAPITA and population else total


def computed_points(
    metric: str,
    unit: str,
    inventories: list[tuple[Inventory, dict[str, Any]]],
    population: int | None,
) -> tuple[list[Point], str]:
    """An indicator's values computed from the inventories (dated 31 December), or why not."""
    problem = metric_problem(metric, unit, population)
    if problem:
        return [], problem
    factor = quantity_factor(metric_unit(metric), unit)
    source = _("GHG inventory %(year)s")
    return [
        Point(
            day=datetime.date(inventory.year, 12, 31),
            value=_metric_value(metric, summary, population) * factor,
            source=source % {"year": inventory.year},
            quality="",
        )
        for inventory, summary in sorted(inventories, key=lambda pair: pair[0].year)
    ], ""


# --- emissions against the pathway ---------------------------------------------------------


@dataclass(frozen=True)
class Pathway:
    """The endorsed contract's pathway: baseline and allowed target-year emissions per sector."""

    base_year: int
    target_year: int
    baseline: dict[ccc.ContractSector, float]
    allowed: dict[ccc.ContractSector, float]

    def line(self) -> dict[int, float]:
        """The total the pathway allows, year by year."""
        baseline, allowed = math.fsum(self.baseline.values()), math.fsum(self.allowed.values())
        return {
            year: progress.on_path(self.base_year, baseline, self.target_year, allowed, year)
            for year in range(self.base_year, self.target_year + 1)
        }

    def standing(self, year: int, summary: dict[str, Any]) -> progress.YearStanding:
        return progress.standing(
            base_year=self.base_year,
            target_year=self.target_year,
            baseline=self.baseline,
            allowed=self.allowed,
            year=year,
            actual=ccc.baseline_by_sector(summary.get("mission_by_sector", {})),
        )


def pathway_of(iteration: Iteration, baseline_summary: dict[str, Any] | None) -> Pathway | None:
    baseline = iteration.baseline
    if baseline is None or not baseline_summary or baseline_summary.get("errors"):
        return None
    by_sector = ccc.baseline_by_sector(baseline_summary.get("mission_by_sector", {}))
    table = ccc.target_table(by_sector, [], target_share=float(iteration.target_share) / 100)
    return Pathway(
        base_year=baseline.year,
        target_year=iteration.target_year,
        baseline=by_sector,
        allowed={row.sector: row.residual for row in table.rows if row.sector is not None},
    )


# --- a city's monitoring -------------------------------------------------------------------


@dataclass
class CityMonitoring:
    city: City
    iteration: Iteration
    plan: MonitoringPlan
    endorsed_on: datetime.date
    full: bool  # the viewer sees everything, published or not
    actions: list[ActionProgress]
    indicators: list[IndicatorProgress]
    pathway: Pathway | None
    emissions: list[progress.YearStanding]  # inventory years after the base year, oldest first
    emissions_shown: bool
    reporting: progress.Reporting | None  # for those who see everything

    def by_status(self) -> list[tuple[str, str, int]]:
        """(status, label, number of actions), in the statuses' order, then "no report"."""
        counts: dict[str, int] = defaultdict(int)
        for item in self.actions:
            counts[item.status] += 1
        rows = [(s.value, s.label, counts[s.value]) for s in ImplementationStatus]
        return [*rows, ("", _("No report yet"), counts[""])]

    def by_field(self) -> list[tuple[str, dict[str, int]]]:
        """(field of action label, {status: number of actions}), fields by their label."""
        counts = progress.count_by(
            (item.action.get_field_of_action_display() or _("No field of action"), item.status)
            for item in self.actions
        )
        return sorted(counts.items())

    @property
    def latest_emissions(self) -> progress.YearStanding | None:
        return self.emissions[-1] if self.emissions else None


class NotMonitored(Exception):
    """The city has no endorsed contract yet, so there is nothing to monitor."""


def city_monitoring(
    city: City,
    user: Any,
    *,
    public_view: bool = False,
    today: datetime.date | None = None,
    until: datetime.date | None = None,
) -> CityMonitoring:
    """Everything the city's progress page shows to this person (``public_view``: only what the
    city published, as a visitor sees it, whoever asks). ``until``: as things stood on that day
    (for a year's report): later reports, values and inventory years are left out."""
    iteration = endorsed_iteration(city)
    if iteration is None:
        raise NotMonitored(city.slug)
    full = not public_view and can(user, "monitoring.view_all", city)
    plan = plan_of(city)
    endorsed_on = monitored_since(iteration, endorsement_dates([iteration.pk]))
    actions = list(Action.objects.filter(iteration=iteration))
    reports = ActionReport.objects.filter(city=city).order_by("-reported_on", "-pk")
    if until is not None:
        reports = reports.filter(reported_on__lte=until)
    all_reports = list(reports)
    visible = all_reports if full else [r for r in all_reports if r.public]
    action_progress = _action_progress(actions, visible)
    if not full:
        action_progress = [item for item in action_progress if item.latest is not None]

    usable, summaries = _readable_inventories(
        city, iteration, AnonymousUser() if public_view else user, until=until
    )
    pathway = pathway_of(iteration, summaries.get(iteration.baseline_id))
    emissions_shown = full or plan.publish_emissions
    emissions = (
        [
            pathway.standing(inventory.year, summary)
            for inventory, summary in sorted(usable, key=lambda pair: pair[0].year)
            if inventory.year > pathway.base_year
        ]
        if pathway and emissions_shown
        else []
    )
    base_year = iteration.baseline.year if iteration.baseline else None
    indicators = _indicators(city, iteration, usable, base_year, full=full, until=until)
    return CityMonitoring(
        city=city,
        iteration=iteration,
        plan=plan,
        endorsed_on=endorsed_on,
        full=full,
        actions=action_progress,
        indicators=indicators,
        pathway=pathway if emissions_shown else None,
        emissions=emissions,
        emissions_shown=emissions_shown,
        reporting=(
            reporting_of(
                actions,
                [(r.action_key, r.status, r.reported_on) for r in all_reports],
                months=plan.reporting_months,
                since=endorsed_on,
                today=today,
            )
            if full
            else None
        ),
    )


def _readable_inventories(
    city: City, iteration: Iteration, user: Any, *, until: datetime.date | None = None
) -> tuple[list[tuple[Inventory, dict[str, Any]]], dict[int, dict[str, Any]]]:
    """The city's inventories this person may read (and the endorsed baseline) with their
    summaries: those without errors (up to ``until``'s year), and every summary by id."""
    readable = list(city_inventories(city.pk, user))
    if iteration.baseline_id and all(i.pk != iteration.baseline_id for i in readable):
        readable.append(iteration.baseline)  # the endorsed contract states its baseline openly
    summaries = inventory_summaries(readable)
    usable = [
        (i, summaries[i.pk])
        for i in readable
        if not summaries[i.pk].get("errors") and (until is None or i.year <= until.year)
    ]
    return usable, summaries


def _indicators(
    city: City,
    iteration: Iteration,
    inventories: list[tuple[Inventory, dict[str, Any]]],
    base_year: int | None,
    *,
    full: bool,
    until: datetime.date | None = None,
) -> list[IndicatorProgress]:
    indicators = list(Indicator.objects.filter(iteration=iteration))
    setups = {s.indicator_key: s for s in IndicatorSetup.objects.filter(city=city)}
    values: dict[UUID, list[Point]] = defaultdict(list)
    rows = IndicatorValue.objects.filter(city=city).order_by("measured_on", "pk")
    if until is not None:
        rows = rows.filter(measured_on__lte=until)
    for value in rows:
        values[value.indicator_key].append(
            Point(
                value.measured_on,
                float(value.value),
                value.source,
                value.get_quality_display(),
                value.note,
            )
        )
    found = []
    for indicator in indicators:
        setup = setups.get(indicator.key)
        if not full and not (setup and setup.public):
            continue
        points, problem = values.get(indicator.key, []), ""
        if setup and setup.computed_from:
            points, problem = computed_points(
                setup.computed_from, indicator.unit, inventories, city.population
            )
        found.append(
            IndicatorProgress(indicator, setup, points, targets_of(indicator, base_year), problem)
        )
    return found


def action_history(city: City, key: UUID, user: Any) -> tuple[Action, list[ActionReport]]:
    """An action of the endorsed contract and the reports on it this person may see, newest
    first; Action.DoesNotExist if there is no such action to show (outside the team: one the
    city has published no report on, as the progress page does not list it either)."""
    iteration = endorsed_iteration(city)
    if iteration is None:
        raise Action.DoesNotExist
    action = Action.objects.select_related("pathway").get(iteration=iteration, key=key)
    reports = ActionReport.objects.filter(city=city, action_key=key).prefetch_related("files")
    sees_all = can(user, "monitoring.view_all", city)
    if not sees_all:
        reports = reports.filter(public=True)
    found = list(reports.select_related("created_by"))
    if not found and not sees_all:
        raise Action.DoesNotExist
    return action, found


@dataclass
class IndicatorPage:
    """One indicator of the endorsed contract as its page shows it."""

    progress: IndicatorProgress
    values: list[IndicatorValue]  # as typed, oldest first; none for a computed indicator
    full: bool  # the viewer sees unpublished items

    @property
    def indicator(self) -> Indicator:
        return self.progress.indicator


def indicator_page(city: City, key: UUID, user: Any) -> IndicatorPage:
    """An indicator of the endorsed contract with its values; Indicator.DoesNotExist when there
    is no such indicator this person may see (outsiders see only published ones)."""
    iteration = endorsed_iteration(city)
    if iteration is None:
        raise Indicator.DoesNotExist
    indicator = Indicator.objects.get(iteration=iteration, key=key)
    setup = IndicatorSetup.objects.filter(city=city, indicator_key=key).first()
    full = can(user, "monitoring.view_all", city)
    if not full and not (setup and setup.public):
        raise Indicator.DoesNotExist
    values: list[IndicatorValue] = []
    problem = ""
    if setup and setup.computed_from:
        usable, _summaries = _readable_inventories(city, iteration, user)
        points, problem = computed_points(
            setup.computed_from, indicator.unit, usable, city.population
        )
    else:
        values = list(
            IndicatorValue.objects.filter(city=city, indicator_key=key)
            .select_related("created_by")
            .order_by("measured_on", "pk")
        )
        points = [
            Point(v.measured_on, float(v.value), v.source, v.get_quality_display(), v.note)
            for v in values
        ]
    base_year = iteration.baseline.year if iteration.baseline else None
    targets = targets_of(indicator, base_year)
    return IndicatorPage(
        IndicatorProgress(indicator, setup, points, targets, problem), values, full
    )


def indicator_of(city: City, key: UUID) -> Indicator:
    """An indicator of the city's endorsed contract; Indicator.DoesNotExist otherwise."""
    iteration = endorsed_iteration(city)
    if iteration is None:
        raise Indicator.DoesNotExist
    return Indicator.objects.get(iteration=iteration, key=key)


def action_of(city: City, key: UUID) -> Action:
    """An action of the city's endorsed contract; Action.DoesNotExist otherwise."""
    iteration = endorsed_iteration(city)
    if iteration is None:
        raise Action.DoesNotExist
    return Action.objects.get(iteration=iteration, key=key)


# --- across cities -------------------------------------------------------------------------


@dataclass
class CityRow:
    city: City
    iteration: Iteration
    reporting: progress.Reporting
    last_report: datetime.date | None
    delayed: int
    over_budget: int
    actions: int
    emissions: progress.YearStanding | None

    @property
    def behind(self) -> bool:
        return self.reporting.state == progress.ReportingState.OVERDUE

    @property
    def off_track(self) -> bool:
        return self.emissions is not None and not self.emissions.total.on_track


@dataclass(frozen=True)
class FieldDelays:
    field: str
    actions: int
    delayed_now: int
    ever_delayed: int

    @property
    def share(self) -> float:
        return self.ever_delayed / self.actions if self.actions else 0.0


@dataclass
class Overview:
    rows: list[CityRow]
    delays: list[FieldDelays]


def monitored_iterations() -> QuerySet[Iteration]:
    """Each city's newest endorsed iteration, by city name."""
    return (
        Iteration.objects.filter(
            status=IterationStatus.ENDORSED,
            pk=Subquery(latest_endorsed(OuterRef("contract__city")).values("pk")),
        )
        .select_related("contract__city__country", "baseline__city", "label_round")
        .order_by("contract__city__name")
    )


def overseen_iterations(user: Any) -> QuerySet[Iteration]:
    """The monitored iterations of the cities this person oversees: staff all, advisors those
    they advise, anyone else none."""
    roles = roles_of(user)
    if roles.is_staff:
        return monitored_iterations()
    return monitored_iterations().filter(contract__city__in=roles.advised_city_ids)


@dataclass
class _Monitored:
    """The plans, actions and reports of several monitored cities, in four queries."""

    iterations: list[Iteration]
    plans: dict[int, MonitoringPlan]
    endorsed: dict[int, datetime.date]
    actions: dict[int, list[Action]]  # by iteration
    reports: dict[int, list[ActionReport]]  # by city, newest first

    @classmethod
    def load(cls, iterations: list[Iteration]) -> "_Monitored":
        city_ids = [i.contract.city_id for i in iterations]
        actions: dict[int, list[Action]] = defaultdict(list)
        for action in Action.objects.filter(iteration__in=iterations).order_by("iteration", "pk"):
            actions[action.iteration_id].append(action)
        reports: dict[int, list[ActionReport]] = defaultdict(list)
        for report in (
            ActionReport.objects.filter(city_id__in=city_ids)
            .only("city_id", "action_key", "status", "reported_on", "spend_to_date")
            .order_by("-reported_on", "-pk")
        ):
            reports[report.city_id].append(report)
        return cls(
            iterations=iterations,
            plans={p.city_id: p for p in MonitoringPlan.objects.filter(city_id__in=city_ids)},
            endorsed=endorsement_dates(i.pk for i in iterations),
            actions=actions,
            reports=reports,
        )

    def reporting(self, iteration: Iteration, today: datetime.date) -> progress.Reporting:
        city_id = iteration.contract.city_id
        plan = self.plans.get(city_id) or MonitoringPlan(city_id=city_id)
        return reporting_of(
            self.actions[iteration.pk],
            [(r.action_key, r.status, r.reported_on) for r in self.reports[city_id]],
            months=plan.reporting_months,
            since=monitored_since(iteration, self.endorsed),
            today=today,
        )


def reporting_by_city(
    iterations: list[Iteration], today: datetime.date
) -> list[tuple[Iteration, progress.Reporting]]:
    monitored = _Monitored.load(iterations)
    return [(iteration, monitored.reporting(iteration, today)) for iteration in iterations]


def overview(user: Any, today: datetime.date | None = None) -> Overview:
    """Every monitored city this person oversees with its reporting, delays, spending and
    emissions, and the delays by field of action across them."""
    today = today or timezone.localdate()
    monitored = _Monitored.load(list(overseen_iterations(user)))
    emissions = _latest_emissions(monitored.iterations)
    rows, field_items = [], []
    for iteration in monitored.iterations:
        city = iteration.contract.city
        reports = monitored.reports[city.pk]
        items = _action_progress(monitored.actions[iteration.pk], reports)
        field_items.extend(items)
        rows.append(
            CityRow(
                city=city,
                iteration=iteration,
                reporting=monitored.reporting(iteration, today),
                last_report=reports[0].reported_on if reports else None,
                delayed=sum(1 for item in items if item.status == ImplementationStatus.DELAYED),
                over_budget=sum(1 for item in items if item.over_budget),
                actions=len(items),
                emissions=emissions.get(iteration.pk),
            )
        )
    return Overview(rows=rows, delays=delays_by_field(field_items))


def delays_by_field(items: Iterable[ActionProgress]) -> list[FieldDelays]:
    """How often actions are delayed, per field of action, most often first."""
    grouped: dict[str, list[ActionProgress]] = defaultdict(list)
    for item in items:
        grouped[item.action.get_field_of_action_display() or _("No field of action")].append(item)
    found = [
        FieldDelays(
            field=field,
            actions=len(group),
            delayed_now=sum(1 for i in group if i.status == ImplementationStatus.DELAYED),
            ever_delayed=sum(1 for i in group if i.ever_delayed),
        )
        for field, group in grouped.items()
    ]
    return sorted(found, key=lambda d: (-d.share, -d.ever_delayed, d.field))


def _latest_emissions(iterations: list[Iteration]) -> dict[int, progress.YearStanding]:
    """Each iteration's city's newest inventory after the base year against the pathway."""
    with_baseline = [i for i in iterations if i.baseline is not None]
    latest: dict[int, Inventory] = {}
    for inventory in (
        Inventory.objects.filter(city_id__in=[i.contract.city_id for i in with_baseline])
        .select_related("city")
        .order_by("city_id", "-year")
    ):
        latest.setdefault(inventory.city_id, inventory)
    compared = {
        i.pk: latest[i.contract.city_id]
        for i in with_baseline
        if i.contract.city_id in latest and latest[i.contract.city_id].year > i.baseline.year
    }
    summaries = inventory_summaries(
        [i.baseline for i in with_baseline if i.pk in compared] + list(compared.values())
    )
    found = {}
    for iteration in with_baseline:
        inventory = compared.get(iteration.pk)
        if inventory is None or summaries[inventory.pk].get("errors"):
            continue
        pathway = pathway_of(iteration, summaries[iteration.baseline_id])
        if pathway is not None:
            found[iteration.pk] = pathway.standing(inventory.year, summaries[inventory.pk])
    return found


@dataclass(frozen=True)
class InventoryStanding:
    """An inventory year held against the endorsed contract's pathway, for the inventory page."""

    iteration: Iteration
    pathway: Pathway
    standing: progress.YearStanding

    def rows(self) -> list[tuple[str, progress.SectorStanding]]:
        return standing_rows(self.standing)


def standing_rows(standing: progress.YearStanding) -> list[tuple[str, progress.SectorStanding]]:
    """(label, sector standing) for the sectors the baseline or the year has emissions in, and
    the total."""
    return [
        (SECTOR_LABELS[row.sector.value] if row.sector else _("Total"), row)
        for row in standing.sectors
        if row.sector is None or row.actual or row.expected
    ]


def inventory_standing(
    inventory: Inventory, summary: dict[str, Any], user: Any
) -> InventoryStanding | None:
    """The inventory against the city's endorsed pathway, when it is a later year than the
    baseline and this person may see the comparison (the team always; others once the city
    publishes its emissions against the pathway)."""
    if inventory.city.mission_status != MissionStatus.LABELLED or summary.get("errors"):
        return None  # endorsing a contract labels the city: no need to look further
    iteration = endorsed_iteration(inventory.city)
    if iteration is None or iteration.baseline is None:
        return None
    if inventory.year <= iteration.baseline.year:
        return None
    if (
        not can(user, "monitoring.view_all", inventory.city)
        and not plan_of(inventory.city).publish_emissions
    ):
        return None
    pathway = pathway_of(
        iteration, inventory_summaries([iteration.baseline])[iteration.baseline_id]
    )
    if pathway is None:
        return None
    return InventoryStanding(iteration, pathway, pathway.standing(inventory.year, summary))
