"""Reads of the review workflow: a submission's file, a reviewer's inbox, the staff pipeline."""

import datetime
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from cityzero.accounts.models import AdvisorAssignment, CityMembership
from cityzero.accounts.permissions import REVIEWER_ROLES
from cityzero.contracts.anchors import describe
from cityzero.contracts.diff import compare_iterations
from cityzero.contracts.models import IN_REVIEW, Iteration, IterationStatus
from cityzero.contracts.modules import BY_CODE, MODULES
from cityzero.contracts.selectors import Parts, Thread, iteration_parts
from cityzero.reviews.models import Assignment, RubricScore, Transition
from cityzero.reviews.workflow import FINAL

S = IterationStatus


def time_in_states(
    transitions: Iterable[tuple[str, datetime.datetime]], now: datetime.datetime
) -> dict[str, datetime.timedelta]:
    """How long an iteration stayed in each state it entered, from its (target, at) steps in order.

    The state entered last counts up to ``now`` unless it is final.
    """
    spent: dict[str, datetime.timedelta] = defaultdict(datetime.timedelta)
    steps = list(transitions)
    for (state, since), (_next, until) in itertools.pairwise(steps):
        spent[state] += until - since
    if steps and steps[-1][0] not in FINAL:
        state, since = steps[-1]
        spent[state] += now - since
    return dict(spent)


@dataclass
class Submission:
    """Everything the submission page shows for one iteration."""

    iteration: Iteration
    parts: Parts
    transitions: list[Transition]
    assignments: list[Assignment]
    threads: list[tuple[Any, Thread]]  # (module, thread), in template order
    earlier: Iteration | None = None
    revision: list["Revision"] = field(default_factory=list)

    @property
    def awaiting_city(self) -> list[tuple[Any, Thread]]:
        return [(module, thread) for module, thread in self.threads if thread.awaits_city]

    @property
    def submitted_at(self) -> datetime.datetime | None:
        return next((t.created_at for t in self.transitions if t.step == "submit"), None)

    @property
    def durations(self) -> list[tuple[str, datetime.timedelta]]:
        spent = time_in_states(((t.target, t.created_at) for t in self.transitions), timezone.now())
        return [(S(state).label, spent[state]) for state in S.values if state in spent]

    @property
    def submitted_reviews(self) -> list[Assignment]:
        return [a for a in self.assignments if a.is_submitted]


@dataclass(frozen=True)
class Revision:
    """One module of a resubmission: what changed, beside what was said about it before."""

    module: Any
    changes: list[str]
    earlier_threads: list[Thread]


def _revision(earlier: Parts, now: Parts) -> list[Revision]:
    """The modules that changed or were commented on in the earlier iteration, in order."""
    changes = {item.module.code: item.changes for item in compare_iterations(earlier, now)}
    said = {
        module.code: describe(earlier.threads.get(module.code, []), module, earlier)
        for module in MODULES
    }
    return [
        Revision(module, changes.get(module.code, []), said[module.code])
        for module in MODULES
        if changes.get(module.code) or said[module.code]
    ]


def _all_threads(parts: Parts) -> list[tuple[Any, Thread]]:
    return [
        (module, thread)
        for module in MODULES
        for thread in describe(parts.threads.get(module.code, []), module, parts)
    ]


def _assignments(iteration: Iteration) -> list[Assignment]:
    tasks = list(
        Assignment.objects.filter(iteration=iteration)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=RubricScore.objects.order_by("pk")))
    )
    for task in tasks:
        task.iteration = iteration  # already read: no query per task
    return tasks


def submission(iteration: Iteration) -> Submission:
    parts = iteration_parts(iteration, with_comments=True)
    found = Submission(
        iteration=iteration,
        parts=parts,
        transitions=list(Transition.objects.filter(iteration=iteration).select_related("actor")),
        assignments=_assignments(iteration),
        threads=_all_threads(parts),
    )
    if iteration.copied_from_id is not None and not iteration.is_draft:
        earlier = Iteration.objects.select_related("contract").get(pk=iteration.copied_from_id)
        earlier_parts = iteration_parts(earlier, with_comments=True)
        found.earlier = earlier
        found.revision = _revision(earlier_parts, parts)
    return found


def module_title(code: str) -> str:
    module = BY_CODE.get(code)
    return f"{module.number} {module.title}" if module else ""


# --- a reviewer's inbox -------------------------------------------------------------------------


def inbox_of(reviewer: Any) -> QuerySet[Assignment]:
    """The reviewer's tasks, the ones still due first, with what progress each has."""
    return (
        Assignment.objects.filter(reviewer=reviewer)
        .select_related("iteration__contract__city")
        .annotate(scored=Count("scores"))
        .order_by(F("submitted_at").asc(nulls_first=True), "due_on", "pk")
    )


# --- the staff pipeline -------------------------------------------------------------------------


@dataclass(frozen=True)
class Workload:
    reviewer: Any
    open: int
    overdue: int
    submitted: int


@dataclass
class Pipeline:
    counts: list[tuple[Any, str, int]]  # (label, status, number of iterations)
    median_days: list[tuple[Any, float, int]]  # (state label, median days spent, iterations)
    in_review: list[Iteration]
    overdue: list[Assignment]
    workload: list[Workload]


def _open_tasks() -> Q:
    # A task is open while unsubmitted and its stage is where the iteration is (their codes match).
    return Q(review_assignments__submitted_at__isnull=True) & Q(
        review_assignments__iteration__status=F("review_assignments__stage")
    )


def pipeline(today: datetime.date | None = None) -> Pipeline:
    today = today or timezone.localdate()
    by_status = dict(Iteration.objects.values_list("status").annotate(n=Count("pk")).order_by())
    steps: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    for iteration_id, target, at in Transition.objects.order_by("created_at", "pk").values_list(
        "iteration_id", "target", "created_at"
    ):
        steps[iteration_id].append((target, at))
    now = timezone.now()
    days: dict[str, list[float]] = defaultdict(list)
    for history in steps.values():
        for state, spent in time_in_states(history, now).items():
            days[state].append(spent.total_seconds() / 86400)
    overdue = (
        Assignment.objects.filter(
            submitted_at__isnull=True, due_on__lt=today, iteration__status=F("stage")
        )
        .select_related("reviewer", "iteration__contract__city")
        .order_by("due_on", "pk")
    )
    return Pipeline(
        counts=[(label, status, by_status.get(status, 0)) for status, label in S.choices],
        median_days=[
            (S(state).label, statistics.median(days[state]), len(days[state]))
            for state in S.values
            if days.get(state)
        ],
        in_review=list(
            Iteration.objects.filter(status__in=IN_REVIEW)
            .select_related("contract__city")
            .annotate(
                reviews=Count("assignments", distinct=True),
                reviews_in=Count(
                    "assignments",
                    filter=Q(assignments__submitted_at__isnull=False),
                    distinct=True,
                ),
                since=Max("transitions__created_at"),
            )
            .order_by("since")
        ),
        overdue=list(overdue),
        workload=_workload(today),
    )


def _workload(today: datetime.date) -> list[Workload]:
    reviewers = (
        get_user_model()
        .objects.filter(platform_role__in=REVIEWER_ROLES, is_active=True)
        .annotate(
            open_tasks=Count("review_assignments", filter=_open_tasks()),
            overdue_tasks=Count(
                "review_assignments", filter=_open_tasks() & Q(review_assignments__due_on__lt=today)
            ),
            submitted_tasks=Count(
                "review_assignments", filter=Q(review_assignments__submitted_at__isnull=False)
            ),
        )
        .order_by("-open_tasks", "email")
    )
    return [Workload(r, r.open_tasks, r.overdue_tasks, r.submitted_tasks) for r in reviewers]


def assignable_reviewers(iteration: Iteration) -> QuerySet:
    """Active advisors and reviewers without a conflict of interest with the iteration's city."""
    city_id = iteration.contract.city_id
    return (
        get_user_model()
        .objects.filter(platform_role__in=REVIEWER_ROLES, is_active=True)
        .exclude(pk__in=CityMembership.objects.filter(city_id=city_id).values("user_id"))
        .exclude(pk__in=AdvisorAssignment.objects.filter(city_id=city_id).values("advisor_id"))
        .order_by("full_name", "email")
    )


def endorsement_dates(iteration_ids: Iterable[int]) -> dict[int, datetime.date]:
    """When each of these iterations was endorsed (its latest "endorse" step), in one query."""
    dates: dict[int, datetime.date] = {}
    for iteration_id, moment in Transition.objects.filter(
        iteration_id__in=list(iteration_ids), step="endorse"
    ).values_list("iteration_id", "created_at"):
        dates[iteration_id] = timezone.localdate(moment)
    return dates
