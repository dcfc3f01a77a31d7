"""Reads of calls, applications and programmes: each page's querysets built once, a fixed number
of queries whatever the number of rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole
from cityzero.accounts.permissions import REVIEWER_ROLES
from cityzero.cities.maps import MapPoint, europe_map_svg
from cityzero.cities.models import MISSION_CITY_STATUSES, Barrier, City
from cityzero.contracts.models import Action, Iteration
from cityzero.core.cache import cached_by_data_version
from cityzero.programmes import scoring, similarity
from cityzero.programmes.models import (
    ActivityReport,
    Answer,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Assessment,
    Call,
    Cohort,
    CohortMember,
    Deliverable,
    PilotActivity,
    Score,
    Tranche,
    TwinningGroup,
)
from cityzero.programmes.modules import MODULES, modules_done
from cityzero.programmes.workflow import PENDING

S = ApplicationStatus


def pilot_and_twin_city_ids(city_ids: Iterable[int] | None = None) -> set[int]:
    """Cities leading or partnering a pilot activity, or twinned with one (among ``city_ids``)."""
    wanted = None if city_ids is None else list(city_ids)

    def column(model: Any, name: str) -> QuerySet:
        rows = model.objects.order_by().values_list(name)
        return rows if wanted is None else rows.filter(**{f"{name}__in": wanted})

    union = column(PilotActivity, "lead_city_id").union(
        column(PilotActivity.partner_cities.through, "city_id"),
        column(TwinningGroup.twins.through, "city_id"),
    )
    return {city_id for (city_id,) in union}


# --- calls ---------------------------------------------------------------------------------------


@dataclass
class CallsByPhase:
    open: list[Call] = field(default_factory=list)
    upcoming: list[Call] = field(default_factory=list)
    closed: list[Call] = field(default_factory=list)


def calls_by_phase(*, include_unpublished: bool = False) -> CallsByPhase:
    """Published calls (staff also see drafts), open ones closing soonest first (one query)."""
    calls = Call.objects.select_related("cohort").order_by("closes_on", "pk")
    if not include_unpublished:
        calls = calls.filter(published=True)
    grouped = CallsByPhase()
    now = timezone.now()
    for call in calls:
        getattr(grouped, call.phase(now)).append(call)
    grouped.closed.reverse()  # the latest first
    return grouped


def call_with_form(slug: str) -> Call:
    """A call with its questions, rules and criteria (``DoesNotExist`` when there is none)."""
    return (
        Call.objects.select_related("cohort")
        .prefetch_related("questions", "rules", "criteria")
        .get(slug=slug)
    )


def cities_speaking_for(user: Any) -> list[City]:
    """The cities this person may apply for: where they are a coordinator or an editor."""
    if not user.is_authenticated:
        return []
    return list(
        City.objects.filter(
            memberships__user=user,
            memberships__role__in=[CityRole.COORDINATOR, CityRole.EDITOR],
        ).order_by("name")
    )


def cities_free_to_apply(call: Call, cities: list[City]) -> list[City]:
    """Those of ``cities`` in no live application to ``call``, as lead or partner (two queries,
    none without cities)."""
    if not cities:
        return []
    live = call.applications.exclude(status=S.WITHDRAWN)
    taken = set(live.values_list("city_id", flat=True)) | set(
        live.filter(partners__isnull=False).values_list("partners", flat=True)
    )
    return [city for city in cities if city.pk not in taken]


def _with_cities(applications: QuerySet[Application]) -> QuerySet[Application]:
    return applications.select_related("call__cohort", "city").prefetch_related(
        Prefetch("partners", queryset=City.objects.order_by("name"))
    )


def applications_of(user: Any, *, call: Call | None = None) -> list[Application]:
    """Applications of the cities this person belongs to, as lead or partner (two queries)."""
    if not user.is_authenticated:
        return []
    mine = Q(city__memberships__user=user) | Q(partners__memberships__user=user)
    applications = Application.objects.filter(mine)
    if call is not None:
        applications = applications.filter(call=call)
    ids = applications.values("pk")
    return list(_with_cities(Application.objects.filter(pk__in=ids)).order_by("-created_at", "-pk"))


def application_page(pk: int) -> Application:
    """An application with everything its page shows, answers in the form's order."""
    return (
        _with_cities(Application.objects.select_related("city__country", "submitted_by"))
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("transitions", queryset=ApplicationTransition.objects.select_related("actor")),
            "call__questions",
            "call__rules",
        )
        .get(pk=pk)
    )


# --- running a call (staff) ----------------------------------------------------------------------


def call_applications(call: Call) -> list[Application]:
    """Every application to the call but drafts, with cities and assessors (three queries)."""
    return list(
        _with_cities(call.applications.exclude(status=S.DRAFT))
        .prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.select_related("assessor"))
        )
        .order_by("submitted_at", "pk")
    )


def draft_count(call: Call) -> int:
    return call.applications.filter(status=S.DRAFT).count()


def assessor_candidates() -> QuerySet[Any]:
    """Active reviewers and advisors, the least busy first; ``open_load``: their unsubmitted
    assessments."""
    return (
        get_user_model()
        .objects.filter(platform_role__in=REVIEWER_ROLES, is_active=True)
        .annotate(
            open_load=Count(
                "programme_assessments",
                filter=Q(programme_assessments__submitted_at__isnull=True),
            )
        )
        .order_by("open_load", "full_name", "email")
    )


@dataclass(frozen=True)
class RankingRow:
    application: Application
    ranked: scoring.Ranked
    means: list[Any]  # per criterion, in order: the mean score or None


def ranking(call: Call) -> list[RankingRow]:
    """Scored and selected applications ranked by weighted score (``scoring.rank``), with
    each criterion's mean score (three queries)."""
    criteria = list(call.criteria.all())
    applications = {
        a.pk: a
        for a in _with_cities(
            call.applications.filter(status__in=[S.SCORED, S.SELECTED, S.NOT_SELECTED])
        ).prefetch_related(
            Prefetch(
                "assessments",
                to_attr="submitted",
                queryset=Assessment.objects.filter(submitted_at__isnull=False).prefetch_related(
                    "scores"
                ),
            )
        )
    }
    sheets = {
        pk: tuple({s.criterion_id: s.score for s in a.scores.all()} for a in app.submitted)
        for pk, app in applications.items()
    }
    candidates = [
        scoring.Candidate(pk, app.submitted_at, sheets[pk]) for pk, app in applications.items()
    ]
    weighted = [scoring.Criterion(c.pk, c.weight, c.max_score) for c in criteria]
    return [
        RankingRow(applications[ranked.key], ranked, _means(criteria, sheets[ranked.key]))
        for ranked in scoring.rank(weighted, candidates)
    ]


def _means(criteria: list, sheets: tuple[dict, ...]) -> list[Any]:
    if not sheets:
        return [None] * len(criteria)
    return [sum(sheet.get(c.pk, 0) for sheet in sheets) / len(sheets) for c in criteria]


def places_left(cohort: Cohort) -> int:
    return max(cohort.capacity - cohort.members.count(), 0)


def pending_count(call: Call) -> int:
    """Submitted applications still waiting for their eligibility decision or assessment."""
    return call.applications.filter(status__in=PENDING).count()


def scored_applications(call: Call) -> QuerySet[Application]:
    return call.applications.filter(status=S.SCORED).select_related("city")


def best_that_fit(rows: list[RankingRow], places: int) -> list[int]:
    """The best-ranked scored applications whose cities fit in the places left, in order; an
    application too big for what is left is passed over for the next that fits."""
    chosen = []
    for row in rows:
        cities = len(row.application.city_ids)
        if row.application.status == S.SCORED and row.ranked.score is not None and cities <= places:
            chosen.append(row.application.pk)
            places -= cities
    return chosen


# --- assessors -----------------------------------------------------------------------------------


def assessments_of(user: Any) -> list[Assessment]:
    """This person's assessment tasks, the ones to do first (two queries)."""
    return list(
        Assessment.objects.filter(assessor=user)
        .select_related("application__call", "application__city")
        .prefetch_related("application__partners")
        .order_by(F("submitted_at").asc(nulls_first=True), "application__call__closes_on", "pk")
    )


def scorecard(pk: int) -> Assessment:
    return (
        Assessment.objects.select_related(
            "assessor",
            "application__call__cohort",
            "application__city__country",
            "application__submitted_by",
        )
        .prefetch_related(
            "application__partners",
            "application__call__criteria",
            Prefetch("application__answers", queryset=Answer.objects.select_related("question")),
            Prefetch("scores", queryset=Score.objects.select_related("criterion")),
        )
        .get(pk=pk)
    )


# --- cohorts and programmes ----------------------------------------------------------------------


@dataclass
class Participant:
    member: CohortMember
    activities: list[PilotActivity] = field(default_factory=list)
    groups: list[TwinningGroup] = field(default_factory=list)

    @property
    def city(self) -> City:
        return self.member.city


@dataclass
class CohortView:
    cohort: Cohort
    participants: list[Participant]
    calls: list[Call]
    activities: list[PilotActivity]
    groups: list[TwinningGroup]

    def map_svg(self) -> str:
        return cached_by_data_version(  # type: ignore[return-value]
            f"cohort-map-{self.cohort.pk}", lambda: europe_map_svg(self._points())
        )

    def _points(self) -> list[MapPoint]:
        return [
            MapPoint(
                city.name,
                reverse("cities:detail", args=[city.slug]),
                city.mission_status,
                float(city.longitude),
                float(city.latitude),
            )
            for city in (p.city for p in self.participants)
            if city.latitude is not None and city.longitude is not None
        ]


def _activities() -> QuerySet[PilotActivity]:
    return PilotActivity.objects.select_related("lead_city", "cohort").prefetch_related(
        Prefetch("partner_cities", queryset=City.objects.order_by("name")),
        Prefetch("tranches", queryset=Tranche.objects.order_by("pk")),
    )


def _groups() -> QuerySet[TwinningGroup]:
    return TwinningGroup.objects.select_related("activity__lead_city", "cohort").prefetch_related(
        Prefetch("twins", queryset=City.objects.order_by("name")),
        Prefetch("deliverables", queryset=Deliverable.objects.only("pk", "group_id", "code")),
    )


def cohort_view(slug: str) -> CohortView:
    """A cohort with its cities, their pilot activities and twinnings (in this cohort or
    another), and the calls that fill it (nine queries)."""
    cohort = Cohort.objects.get(slug=slug)
    members = list(
        cohort.members.select_related("city__country", "application").order_by("city__name")
    )
    city_ids = [m.city_id for m in members]
    in_it = Q(cohort=cohort) | Q(lead_city__in=city_ids) | Q(partner_cities__in=city_ids)
    activities = list(_activities().filter(in_it).distinct())
    twinned = Q(cohort=cohort) | Q(activity__in=activities) | Q(twins__in=city_ids)
    groups = list(_groups().filter(twinned).distinct())
    participants = [Participant(member) for member in members]
    by_city = {p.member.city_id: p for p in participants}
    for activity in activities:
        for city_id in activity.city_ids:
            if city_id in by_city:
                by_city[city_id].activities.append(activity)
    for group in groups:
        for city_id in group.city_ids:
            if city_id in by_city:
                by_city[city_id].groups.append(group)
    calls = list(cohort.calls.filter(published=True).order_by("-opens_on"))
    return CohortView(cohort, participants, calls, activities, groups)


def cohorts() -> QuerySet[Cohort]:
    return Cohort.objects.annotate(member_count=Count("members")).order_by("-created_at", "-pk")


def activities() -> list[PilotActivity]:
    return list(_activities().order_by("title"))


def activity_page(slug: str) -> PilotActivity:
    return (
        _activities()
        .select_related("lead_city__country", "application")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ActivityReport.objects.select_related("submitted_by", "reviewed_by"),
            ),
            Prefetch("twinning_groups", queryset=_groups()),
        )
        .get(slug=slug)
    )


def group_page(pk: int) -> TwinningGroup:
    return (
        _groups()
        .select_related("activity__lead_city__country")
        .prefetch_related(
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("submitted_by"),
                to_attr="handed_in",
            ),
            "activity__partner_cities",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class DeliverableItem:
    spec: Any  # modules.Deliverable
    handed_in: Deliverable | None


@dataclass(frozen=True)
class ModuleProgress:
    module: Any  # modules.Module
    done: bool
    items: list[DeliverableItem]


def module_progress(handed_in: Iterable[Deliverable]) -> list[ModuleProgress]:
    """Each module in order: done or not, with its deliverables and those handed in."""
    by_code = {deliverable.code: deliverable for deliverable in handed_in}
    done = modules_done(set(by_code))
    return [
        ModuleProgress(
            module,
            module in done,
            [DeliverableItem(d, by_code.get(d.code)) for d in module.deliverables],
        )
        for module in MODULES
    ]


# --- twin suggestions ----------------------------------------------------------------------------


def _newest_iterations() -> QuerySet[Iteration]:
    newest = Iteration.objects.filter(contract=OuterRef("contract")).order_by("-number")
    return Iteration.objects.filter(pk=Subquery(newest.values("pk")[:1]))


def _profiles(cities: list[City]) -> dict[int, similarity.Profile]:
    """The challenges of each city: its newest contract iteration's actions (new ones, not those
    of existing plans) and its dossier's barriers (two queries)."""
    ids = [city.pk for city in cities]
    fields: dict[int, set[str]] = {pk: set() for pk in ids}
    levers: dict[int, set[str]] = {pk: set() for pk in ids}
    barriers: dict[int, set[str]] = {pk: set() for pk in ids}
    actions = Action.objects.filter(
        iteration__in=_newest_iterations(),
        iteration__contract__city_id__in=ids,
        existing_plan=False,
    ).values_list("iteration__contract__city_id", "field_of_action", "lever")
    for city_id, field_of_action, lever in actions:
        if field_of_action:
            fields[city_id].add(field_of_action)
        if lever:
            levers[city_id].add(lever)
    for city_id, typology in Barrier.objects.filter(section__city_id__in=ids).values_list(
        "section__city_id", "typology"
    ):
        barriers[city_id].add(typology)
    return {
        city.pk: similarity.Profile(
            city.pk,
            city.name,
            frozenset(fields[city.pk]),
            frozenset(levers[city.pk]),
            frozenset(barriers[city.pk]),
            city.population,
            float(city.latitude) if city.latitude is not None else None,
        )
        for city in cities
    }


def pilot_profile(activity: PilotActivity) -> similarity.Profile:
    """The activity's own fields and levers, with its lead city's barriers, size and latitude."""
    lead = _profiles([activity.lead_city])[activity.lead_city_id]
    return similarity.Profile(
        lead.key,
        activity.title,
        frozenset(activity.fields_of_action),
        frozenset(activity.levers),
        lead.barriers,
        lead.population,
        lead.latitude,
    )


def twin_suggestions(
    activity: PilotActivity, *, limit: int = 10, mission_cities: bool = True
) -> list[similarity.Suggestion]:
    """Cities that are neither in the activity nor already a pilot or twin, most alike first."""
    excluded = pilot_and_twin_city_ids() | set(activity.city_ids)
    candidates = City.objects.exclude(pk__in=excluded).order_by("name")
    if not mission_cities:
        candidates = candidates.exclude(mission_status__in=MISSION_CITY_STATUSES)
    profiles = _profiles(list(candidates))
    return similarity.suggest(pilot_profile(activity), profiles.values(), limit=limit)


@dataclass(frozen=True)
class Participation:
    """What a city takes part in, for its dossier."""

    cohorts: list[Cohort]
    activities: list[PilotActivity]  # led or as a partner
    twinnings: list[TwinningGroup]

    def __bool__(self) -> bool:
        return bool(self.cohorts or self.activities or self.twinnings)


def participation_of(city: City) -> Participation:
    return Participation(
        cohorts=list(Cohort.objects.filter(members__city=city).order_by("name")),
        activities=list(
            PilotActivity.objects.filter(Q(lead_city=city) | Q(partner_cities=city))
            .distinct()
            .select_related("lead_city")
        ),
        twinnings=list(
            TwinningGroup.objects.filter(twins=city).select_related("activity__lead_city")
        ),
    )
