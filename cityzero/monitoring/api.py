"""A city's implementation progress against its endorsed contract, read-only. Callers see what the
progress page shows them: the city's team, its advisors and the platform staff everything;
everyone else what the city published."""

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from cityzero.accounts.tokens import TokenAuth
from cityzero.cities.models import City
from cityzero.contracts.models import Action
from cityzero.ghg import progress
from cityzero.monitoring import selectors
from cityzero.monitoring.models import ActionReport, DataQuality

router = Router(tags=["monitoring"])


def _anyone(request: HttpRequest) -> bool:
    """Lets anonymous callers through after the token and the session were tried."""
    return True


ANYONE = [TokenAuth(), django_auth, _anyone]


class Problem(Schema):
    detail: str


class ActionOut(Schema):
    key: UUID
    name: str
    field_of_action: str | None
    status: str | None = Field(..., description="In the latest report you may see; null: none")
    percent_done: int | None
    spend_to_date_eur: float | None
    budget_eur: float | None = Field(..., description="The contract's capital + operating cost")
    over_budget: bool
    reported_on: datetime.date | None = Field(
        ..., description="Date of the latest report you may see"
    )
    next_milestone: str
    milestone_on: datetime.date | None
    reports: int = Field(..., description="How many reports on the action you may see")
    url: str


class TargetOut(Schema):
    year: int
    value: float


class ValueOut(Schema):
    date: datetime.date
    value: float
    source: str
    quality: str | None = Field(..., description="A data-quality code; null: computed")


class IndicatorOut(Schema):
    key: UUID
    name: str
    unit: str
    computed_from: str | None = Field(..., description="What the values are computed from")
    targets: list[TargetOut] = Field(..., description="The baseline and the targets, by year")
    values: list[ValueOut] = Field(..., description="Oldest first")
    on_track: bool | None = Field(..., description="The latest value against the target path")
    problem: str = Field(..., description="Why a computed indicator has no values")


class SectorOut(Schema):
    sector: str = Field(..., description="A contract sector, or total")
    actual_tco2e: float
    expected_tco2e: float = Field(..., description="What the pathway allows that year")
    distance_tco2e: float = Field(..., description="Above the pathway (negative: below it)")
    on_track: bool


class YearOut(Schema):
    year: int
    total: SectorOut
    sectors: list[SectorOut]


class ProgressOut(Schema):
    city: str
    iteration: int = Field(..., description="The endorsed contract iteration monitored")
    label_round: str | None
    endorsed_on: datetime.date
    reporting_months: int
    full: bool = Field(..., description="True: you see unpublished reports and indicators too")
    actions: list[ActionOut]
    indicators: list[IndicatorOut]
    emissions: list[YearOut] | None = Field(
        ..., description="Inventory years after the baseline; null when the city does not publish"
    )


class ReportOut(Schema):
    reported_on: datetime.date
    status: str
    percent_done: int
    spend_to_date_eur: float | None
    next_milestone: str
    milestone_on: datetime.date | None
    note: str
    evidence_links: list[str]
    files: list[dict[str, Any]] = Field(..., description="name, size and download url")
    public: bool


class ActionHistoryOut(Schema):
    city: str
    key: UUID
    name: str
    field_of_action: str | None
    budget_eur: float | None
    reports: list[ReportOut] = Field(..., description="Newest first")


def _money(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def _monitored_city(slug: str) -> City | Status:
    city = City.objects.filter(slug=slug).select_related("country").first()
    if city is None:
        return Status(404, {"detail": "No city with this slug."})
    return city


NOT_MONITORED = "This city has no endorsed contract, so there is no progress to monitor."


def _action_out(city: City, item: selectors.ActionProgress) -> dict:
    latest: ActionReport | None = item.latest
    action = item.action
    return {
        "key": action.key,
        "name": action.name,
        "field_of_action": action.field_of_action or None,
        "status": item.status or None,
        "percent_done": latest.percent_done if latest else None,
        "spend_to_date_eur": _money(latest.spend_to_date) if latest else None,
        "budget_eur": _money(item.budget),
        "over_budget": item.over_budget,
        "reported_on": latest.reported_on if latest else None,
        "next_milestone": latest.next_milestone if latest else "",
        "milestone_on": latest.milestone_on if latest else None,
        "reports": item.reports,
        "url": reverse("monitoring:action", args=[city.slug, action.key]),
    }


def _indicator_out(item: selectors.IndicatorProgress, qualities: dict[str, str]) -> dict:
    standing = item.standing
    return {
        "key": item.indicator.key,
        "name": item.indicator.name,
        "unit": item.indicator.unit,
        "computed_from": (item.setup.computed_from or None) if item.setup else None,
        "targets": [{"year": y, "value": v} for y, v in sorted(item.targets.items())],
        "values": [
            {
                "date": p.day,
                "value": p.value,
                "source": p.source,
                "quality": qualities.get(p.quality),
            }
            for p in item.points
        ],
        "on_track": standing.on_track if standing else None,
        "problem": item.problem,
    }


def _sector_out(row: progress.SectorStanding) -> dict:
    return {
        "sector": row.sector.value if row.sector else "total",
        "actual_tco2e": round(row.actual, 3),
        "expected_tco2e": round(row.expected, 3),
        "distance_tco2e": round(row.distance, 3),
        "on_track": row.on_track,
    }


@router.get(
    "/cities/{slug}/progress",
    auth=ANYONE,
    response={200: ProgressOut, 404: Problem},
    summary="A city's progress on its endorsed contract: actions, indicators, emissions",
    description=(
        "What the city's progress page shows you: its team, its advisors and the platform staff "
        "see every report and indicator; everyone else sees the actions with a published "
        "report, the published indicators, and the emissions against the pathway if the city "
        "publishes them. 404 for an unknown city or a city without an endorsed contract."
    ),
)
def city_progress(request: HttpRequest, slug: str):
    city = _monitored_city(slug)
    if isinstance(city, Status):
        return city
    try:
        found = selectors.city_monitoring(city, request.user)
    except selectors.NotMonitored:
        return Status(404, {"detail": NOT_MONITORED})
    qualities = {str(label): value for value, label in DataQuality.choices}
    iteration = found.iteration
    return {
        "city": city.slug,
        "iteration": iteration.number,
        "label_round": iteration.label_round.code if iteration.label_round else None,
        "endorsed_on": found.endorsed_on,
        "reporting_months": found.plan.reporting_months,
        "full": found.full,
        "actions": [_action_out(city, item) for item in found.actions],
        "indicators": [_indicator_out(item, qualities) for item in found.indicators],
        "emissions": (
            [
                {
                    "year": year.year,
                    "total": _sector_out(year.total),
                    "sectors": [_sector_out(row) for row in year.sectors[:-1]],
                }
                for year in found.emissions
            ]
            if found.emissions_shown
            else None
        ),
    }


NO_ACTION = (
    "No action with this key in the city's endorsed contract, or none the city has published a "
    "report on."
)


@router.get(
    "/cities/{slug}/progress/actions/{key}",
    auth=ANYONE,
    response={200: ActionHistoryOut, 404: Problem},
    summary="The progress reports on one action of a city's endorsed contract",
    description=(
        "Every report you may see, newest first: the city's team, its advisors and the platform "
        "staff see all of them, everyone else the published ones (404 when there is none)."
    ),
)
def action_progress(request: HttpRequest, slug: str, key: UUID):
    city = _monitored_city(slug)
    if isinstance(city, Status):
        return city
    if selectors.endorsed_iteration(city) is None:
        return Status(404, {"detail": NOT_MONITORED})
    try:
        action, reports = selectors.action_history(city, key, request.user)
    except Action.DoesNotExist:
        return Status(404, {"detail": NO_ACTION})
    return {
        "city": city.slug,
        "key": action.key,
        "name": action.name,
        "field_of_action": action.field_of_action or None,
        "budget_eur": _money(action.total_cost),
        "reports": [
            {
                "reported_on": r.reported_on,
                "status": r.status,
                "percent_done": r.percent_done,
                "spend_to_date_eur": _money(r.spend_to_date),
                "next_milestone": r.next_milestone,
                "milestone_on": r.milestone_on,
                "note": r.note,
                "evidence_links": list(r.evidence_links),
                "files": [
                    {
                        "name": f.name,
                        "size": f.size,
                        "url": reverse("monitoring:evidence", args=[city.slug, f.pk]),
                    }
                    for f in r.files.all()
                ],
                "public": r.public,
            }
            for r in reports
        ],
    }
