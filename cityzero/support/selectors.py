"""Reads of Ask an expert: each page's querysets built once, a fixed number of queries."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cityzero.accounts.permissions import REVIEWER_ROLES
from cityzero.cities.models import City
from cityzero.support.models import (
    AWAITING_ANSWER,
    ExpertRequest,
    RequestAttachment,
    RequestMessage,
    RequestStatus,
    RequestTransition,
)

OPEN = "open"  # the queue's filter for every status but closed


def _listed() -> QuerySet[ExpertRequest]:
    return ExpertRequest.objects.select_related("city", "requester", "expert").annotate(
        message_count=Count("messages")
    )


def city_requests(city: City) -> QuerySet[ExpertRequest]:
    """The city's requests, newest first, in one query."""
    return _listed().filter(city=city).order_by("-submitted_at", "-pk")


def queue(
    *, status: str = OPEN, overdue: bool = False, field_of_action: str = ""
) -> QuerySet[ExpertRequest]:
    """Requests for the staff, soonest due first (one query per page, and one to count)."""
    requests = _listed()
    if status == OPEN:
        requests = requests.exclude(status=RequestStatus.CLOSED)
    elif status:
        requests = requests.filter(status=status)
    if overdue:
        requests = requests.filter(status__in=AWAITING_ANSWER, due_on__lt=timezone.localdate())
    if field_of_action:
        requests = requests.filter(field_of_action=field_of_action)
    return requests.order_by("due_on", "pk")


def overdue_count() -> int:
    return ExpertRequest.objects.filter(
        status__in=AWAITING_ANSWER, due_on__lt=timezone.localdate()
    ).count()


@dataclass
class ExpertInbox:
    awaiting: list[ExpertRequest] = field(default_factory=list)  # waiting for my answer
    other: list[ExpertRequest] = field(default_factory=list)


def requests_of_expert(user: Any) -> ExpertInbox:
    """The requests routed to this person, while they hold an expert's role (one query)."""
    inbox = ExpertInbox()
    if user.platform_role not in REVIEWER_ROLES:
        return inbox
    for request in _listed().filter(expert=user).order_by("due_on", "pk"):
        (inbox.awaiting if request.awaits_answer else inbox.other).append(request)
    return inbox


def request_in_city(slug: str, pk: int) -> ExpertRequest:
    """The request with the people its page names; ``DoesNotExist`` outside that city."""
    return ExpertRequest.objects.select_related(
        "city", "requester", "expert", "consent_by", "published_entry", "published_by"
    ).get(pk=pk, city__slug=slug)


@dataclass
class Thread:
    question_files: list[RequestAttachment]
    messages: list[RequestMessage]  # each with ``.files``, its attachments
    transitions: list[RequestTransition]

    @property
    def has_answer(self) -> bool:
        return any(message.is_answer for message in self.messages)


def thread(request: ExpertRequest) -> Thread:
    """The messages with their authors and files, and the steps taken, in three queries."""
    messages = list(request.messages.select_related("author"))
    files: dict[int | None, list[RequestAttachment]] = {}
    for attached in request.attachments.all():
        files.setdefault(attached.message_id, []).append(attached)
    for message in messages:
        message.files = files.get(message.pk, [])
    transitions = list(request.transitions.select_related("actor", "expert"))
    return Thread(files.get(None, []), messages, transitions)


def expert_candidates() -> QuerySet[Any]:
    """Active reviewers and advisors, least loaded first; ``open_load``: requests with them that
    still wait for an answer."""
    return (
        get_user_model()
        .objects.filter(platform_role__in=REVIEWER_ROLES, is_active=True)
        .annotate(
            open_load=Count(
                "expert_requests", filter=Q(expert_requests__status__in=AWAITING_ANSWER)
            )
        )
        .order_by("open_load", "full_name", "email")
    )
