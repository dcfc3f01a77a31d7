"""The public programme data: published calls, cohorts and pilot activities. Applications are
not in the API: they belong to the applying cities and the staff."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from cityzero.programmes import eligibility, selectors
from cityzero.programmes.models import Call, Cohort, PilotActivity

router = Router(tags=["programmes"])


class RuleOut(Schema):
    check: str
    params: dict[str, int]
    description: str


class CriterionOut(Schema):
    name: str
    weight: int
    max_score: int


class ReportedOut(Schema):
    """A past call's published figures, where the platform does not hold its applications."""

    applicants: int | None
    eligible: int | None
    selected: int | None
    source: str


class CallOut(Schema):
    slug: str
    title: str
    summary: str
    programme: str
    cohort: str
    opens_on: date
    closes_on: date
    deadline: datetime  # submissions are taken before this moment
    phase: str
    multi_city: bool
    rules: list[RuleOut]
    criteria: list[CriterionOut]
    reported: ReportedOut
    url: str


class CityRef(Schema):
    slug: str
    name: str


class MemberOut(Schema):
    city: CityRef
    joined_on: date
    source: str


class CohortOut(Schema):
    slug: str
    name: str
    programme: str
    capacity: int
    members: int
    url: str


class CohortDetailOut(CohortOut):
    description: str
    participants: list[MemberOut]


class TrancheOut(Schema):
    paid_when: str
    share_pct: int
    amount_eur: Decimal
    released: bool


class TwinningOut(Schema):
    id: int
    twins: list[CityRef]
    starts_on: date
    ends_on: date
    deliverables: list[str]


class ActivityOut(Schema):
    slug: str
    title: str
    cohort: str
    lead_city: CityRef
    partner_cities: list[CityRef]
    fields_of_action: list[str]
    levers: list[str]
    grant_eur: Decimal
    starts_on: date
    ends_on: date
    tranches: list[TrancheOut]
    url: str


class ActivityDetailOut(ActivityOut):
    summary_html: str
    twinnings: list[TwinningOut]


def _city(city) -> dict:
    return {"slug": city.slug, "name": city.name}


def _call(call: Call) -> dict:
    return {
        "slug": call.slug,
        "title": call.title,
        "summary": call.summary,
        "programme": call.cohort.kind,
        "cohort": call.cohort.slug,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
        "deadline": call.deadline,
        "phase": call.phase(),
        "multi_city": call.allows_partners,
        "rules": [
            {
                "check": rule.kind,
                "params": eligibility.params_with_defaults(rule.kind, rule.params),
                "description": template % params,
            }
            for rule in call.rules.all()
            for template, params in [eligibility.describe(rule.rule)]
        ],
        "criteria": [
            {"name": c.name, "weight": c.weight, "max_score": c.max_score}
            for c in call.criteria.all()
        ],
        "reported": {
            "applicants": call.reported_applicants,
            "eligible": call.reported_eligible,
            "selected": call.reported_selected,
            "source": call.reported_source,
        },
        "url": reverse("programmes:call", args=[call.slug]),
    }


def _published_calls():
    return (
        Call.objects.filter(published=True)
        .select_related("cohort")
        .prefetch_related("rules", "criteria")
    )


@router.get("/programmes/calls", response=list[CallOut], summary="Published calls")
def list_calls(request: HttpRequest):
    return [_call(call) for call in _published_calls().order_by("-opens_on", "pk")]


@router.get("/programmes/calls/{slug}", response=CallOut, summary="One published call")
def get_call(request: HttpRequest, slug: str):
    call = _published_calls().filter(slug=slug).first()
    if call is None:
        raise Http404("There is no such published call.")
    return _call(call)


def _cohort(cohort: Cohort, members: int) -> dict:
    return {
        "slug": cohort.slug,
        "name": cohort.name,
        "programme": cohort.kind,
        "capacity": cohort.capacity,
        "members": members,
        "url": reverse("programmes:cohort", args=[cohort.slug]),
    }


@router.get("/programmes/cohorts", response=list[CohortOut], summary="Cohorts")
def list_cohorts(request: HttpRequest):
    return [_cohort(cohort, cohort.member_count) for cohort in selectors.cohorts()]


@router.get("/programmes/cohorts/{slug}", response=CohortDetailOut, summary="One cohort")
def get_cohort(request: HttpRequest, slug: str):
    cohort = Cohort.objects.filter(slug=slug).first()
    if cohort is None:
        raise Http404("There is no such cohort.")
    members = list(cohort.members.select_related("city").order_by("city__name"))
    return {
        **_cohort(cohort, len(members)),
        "description": cohort.description,
        "participants": [
            {"city": _city(m.city), "joined_on": m.joined_on, "source": m.source} for m in members
        ],
    }


def _activity(activity: PilotActivity) -> dict:
    return {
        "slug": activity.slug,
        "title": activity.title,
        "cohort": activity.cohort.slug,
        "lead_city": _city(activity.lead_city),
        "partner_cities": [_city(c) for c in activity.partner_cities.all()],
        "fields_of_action": activity.fields_of_action,
        "levers": activity.levers,
        "grant_eur": activity.grant_eur,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "tranches": [
            {
                "paid_when": t.trigger,
                "share_pct": t.share_pct,
                "amount_eur": t.amount_eur,
                "released": t.is_released,
            }
            for t in activity.tranches.all()
        ],
        "url": reverse("programmes:activity", args=[activity.slug]),
    }


class ActivityPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 200


@router.get("/programmes/pilot-activities", response=list[ActivityOut], summary="Pilot activities")
@paginate(ActivityPagination)
def list_activities(request: HttpRequest):
    return [_activity(activity) for activity in selectors.activities()]


@router.get(
    "/programmes/pilot-activities/{slug}",
    response=ActivityDetailOut,
    summary="One pilot activity with its twinnings",
)
def get_activity(request: HttpRequest, slug: str):
    try:
        activity = selectors.activity_page(slug)
    except PilotActivity.DoesNotExist:
        raise Http404("There is no such pilot activity.") from None
    return {
        **_activity(activity),
        "summary_html": activity.summary_html,
        "twinnings": [
            {
                "id": group.pk,
                "twins": [_city(c) for c in group.twins.all()],
                "starts_on": group.starts_on,
                "ends_on": group.ends_on,
                "deliverables": sorted(d.code for d in group.deliverables.all()),
            }
            for group in activity.twinning_groups.all()
        ],
    }
