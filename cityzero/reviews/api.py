"""The submission status of a city's contract, for the people who follow its review."""

from datetime import date, datetime

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from cityzero.accounts.permissions import can
from cityzero.accounts.tokens import TokenAuth
from cityzero.cities.models import City
from cityzero.contracts.models import Contract, Iteration, ModuleComment
from cityzero.contracts.selectors import Thread
from cityzero.reviews.models import Assignment, Transition
from cityzero.reviews.services import review_url

router = Router(tags=["reviews"])


class Problem(Schema):
    detail: str


class StatusOut(Schema):
    code: str
    label: str


class TransitionOut(Schema):
    step: str
    source: str
    target: str
    at: datetime
    actor: str | None = Field(..., description="Display name; null for a deleted account")
    message: str


class DeadlineOut(Schema):
    stage: str
    module: str = Field(..., description="Module code; empty: the whole submission")
    expertise: str
    due_on: date
    submitted: bool
    reviewer: str | None = Field(
        ..., description="Display name, only for those who may read the reviews; null otherwise"
    )


class IterationStatusOut(Schema):
    number: int
    status: StatusOut
    label_round: str | None = Field(..., description="Code of the round the label was awarded in")
    url: str = Field(..., description="The submission page")
    transitions: list[TransitionOut]
    deadlines: list[DeadlineOut]
    threads_awaiting_city: int = Field(
        ..., description="Open comment threads whose last word is not the city's"
    )


class SubmissionOut(Schema):
    city: str
    iterations: list[IterationStatusOut] = Field(..., description="Newest first")


def _threads_awaiting_city(iterations: list[Iteration]) -> dict[int, int]:
    """Open threads the city has to answer, per iteration, read in one query for all of them."""
    threads: dict[int, Thread] = {}
    comments = ModuleComment.objects.filter(iteration__in=iterations).only(
        "pk", "iteration_id", "parent_id", "side", "resolved_at", "created_at"
    )
    for comment in comments.order_by("created_at", "pk"):
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
        elif comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    counts = dict.fromkeys((i.pk for i in iterations), 0)
    for thread in threads.values():
        counts[thread.root.iteration_id] += thread.awaits_city
    return counts


def _iteration_out(iteration: Iteration, user, awaiting: int) -> dict:
    names = can(user, "review.read", iteration)
    return {
        "number": iteration.number,
        "status": {"code": iteration.status, "label": str(iteration.get_status_display())},
        "label_round": iteration.label_round.code if iteration.label_round else None,
        "url": review_url(iteration),
        "transitions": [
            {
                "step": t.step,
                "source": t.source,
                "target": t.target,
                "at": t.created_at,
                "actor": t.actor.display_name if t.actor else None,
                "message": t.message,
            }
            for t in iteration.transitions.all()
        ],
        "deadlines": [
            {
                "stage": a.stage,
                "module": a.module,
                "expertise": a.expertise,
                "due_on": a.due_on,
                "submitted": a.is_submitted,
                "reviewer": a.reviewer.display_name if names else None,
            }
            for a in iteration.assignments.all()
        ],
        "threads_awaiting_city": awaiting,
    }


@router.get(
    "/cities/{slug}/contract/submission",
    auth=[TokenAuth(), django_auth],
    response={200: SubmissionOut, 403: Problem, 404: Problem},
    summary="Where each iteration of a city's contract stands in the review, with its deadlines",
    description=(
        "Lists every iteration whose review discussion you may read (the city team, its advisors, "
        "the reviewers assigned to an iteration, Commission officers for submitted iterations, "
        "platform staff). 401 without a session or token; 403 when you may read none; 404 for "
        "an unknown city or a city without a contract. Reviewers' names are given only to those "
        "who may read the reviews."
    ),
)
def submission_status(request: HttpRequest, slug: str):
    city = City.objects.filter(slug=slug).select_related("contract").first()
    if city is None:
        return Status(404, {"detail": "No city with this slug."})
    try:
        contract = city.contract
    except Contract.DoesNotExist:
        return Status(404, {"detail": "This city has no contract on the platform."})
    user = request.user
    iterations = [
        iteration
        for iteration in contract.iterations.select_related("label_round").order_by("-number")
        if can(user, "contract.read_comments", iteration)
    ]
    if not iterations:
        return Status(403, {"detail": "You may not follow the review of this city's contract."})
    prefetch_related_objects(
        iterations,
        Prefetch(
            "transitions",
            queryset=Transition.objects.select_related("actor").order_by("created_at", "pk"),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("reviewer").order_by("due_on", "pk"),
        ),
    )
    awaiting = _threads_awaiting_city(iterations)
    return {
        "city": city.slug,
        "iterations": [_iteration_out(i, user, awaiting[i.pk]) for i in iterations],
    }
