"""Writes of Ask an expert: one function per use case, one transaction each.

Each use case checks its input, takes its step of ``workflow.STEPS`` (or refuses with the reason),
records the step, and tells the people concerned (``community.services.notify``). Who may act is
the views' question (``accounts.permissions``); what is possible in which status is answered here.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.models import PlatformRole
from cityzero.accounts.permissions import REVIEWER_ROLES, can
from cityzero.cities.models import City
from cityzero.community.services import notify
from cityzero.core.markdown import render_markdown
from cityzero.core.uploads import save_files, stored_fields
from cityzero.core.vocabularies import FieldOfAction
from cityzero.knowledge.models import Entry, EntryKind
from cityzero.knowledge.services import save_entry
from cityzero.support import workflow
from cityzero.support.models import (
    MAX_QUESTION,
    MAX_TOPIC,
    ExpertRequest,
    RequestAttachment,
    RequestMessage,
    RequestStatus,
    RequestTransition,
    Side,
)
from cityzero.support.workdays import add_working_days

MAX_ATTACHMENTS = 5  # per question or message


def due_date(since: datetime) -> Any:
    """The response-time target: the configured number of working days after ``since``."""
    return add_working_days(timezone.localdate(since), settings.SUPPORT_RESPONSE_WORKING_DAYS)


def request_url(request: ExpertRequest) -> str:
    return reverse("support:request", args=[request.city.slug, request.pk])


def _text(value: str, *, limit: int, missing: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(missing)
    if len(value) > limit:
        raise ValidationError(
            _("Keep it to %(n)s characters or fewer; this is %(length)s.")
            % {"n": f"{limit:,}", "length": f"{len(value):,}"}
        )
    return value


def _check_count(uploads: list[Any]) -> None:
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(n)s files at a time.") % {"n": MAX_ATTACHMENTS})


def _attach(
    request: ExpertRequest, uploads: list[Any], *, message: RequestMessage | None, by
) -> None:
    """Store checked uploads (``CheckedFileField`` set their ``.kind``) under random names."""
    save_files(
        (
            RequestAttachment(request=request, message=message, **stored_fields(upload, by=by)),
            upload,
        )
        for upload in uploads
    )


def _locked(request: ExpertRequest) -> ExpertRequest:
    return ExpertRequest.objects.select_for_update().select_related("city").get(pk=request.pk)


def _take(request: ExpertRequest, code: str, *, by, expert=None) -> RequestTransition:
    """Move the (locked) request one step, or refuse with the reason; the step is recorded."""
    step = workflow.STEPS[code]
    if reason := workflow.refusal(step, request.status):
        raise ValidationError(reason)
    transition = RequestTransition.objects.create(
        request=request, step=code, source=request.status, target=step.target, actor=by,
        expert=expert, created_at=timezone.now(),
    )  # fmt: skip
    request.status = step.target
    return transition


def _requester(request: ExpertRequest) -> list[Any]:
    """The person who asked, while they may still read the request (they may have left)."""
    person = request.requester
    return [person] if person is not None and can(person, "support.view", request) else []


@transaction.atomic
def file_request(
    city: City,
    *,
    topic: str,
    question: str,
    field_of_action: str = "",
    files: Iterable[Any] = (),
    by,
) -> ExpertRequest:
    """A city member asks the platform's experts a question; the staff are told to route it."""
    uploads = list(files)
    problems = []
    for check in (
        lambda: _text(topic, limit=MAX_TOPIC, missing=_("Say in a few words what it is about.")),
        lambda: _text(question, limit=MAX_QUESTION, missing=_("Write your question.")),
        lambda: _check_count(uploads),
    ):
        try:
            check()
        except ValidationError as error:
            problems += error.messages
    if field_of_action and field_of_action not in FieldOfAction.values:
        problems.append(_("Choose one of the five fields of action, or none."))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    request = ExpertRequest.objects.create(
        city=city, topic=topic.strip(), field_of_action=field_of_action,
        question=question.strip(), question_html=render_markdown(question.strip()),
        requester=by, submitted_at=now, due_on=due_date(now),
    )  # fmt: skip
    _attach(request, uploads, message=None, by=by)
    RequestTransition.objects.create(
        request=request, step="file", source="", target=RequestStatus.SUBMITTED, actor=by,
        created_at=now,
    )  # fmt: skip
    staff = get_user_model().objects.filter(platform_role=PlatformRole.STAFF)
    notify(
        staff,
        source=f"support:{request.pk}:filed",
        title=_("%(city)s asks an expert: %(topic)s") % {"city": city.name, "topic": request.topic},
        body=_("Route the question to a thematic expert by %(date)s.")
        % {"date": f"{request.due_on:%d %b %Y}"},
        url=request_url(request),
    )
    return request


@transaction.atomic
def route_request(request: ExpertRequest, *, expert, by) -> ExpertRequest:
    """Staff give the question to a thematic expert (a reviewer or an advisor); both the expert
    and the city are told."""
    request = _locked(request)
    if not expert.is_active or expert.platform_role not in REVIEWER_ROLES:
        raise ValidationError(
            _("%(name)s is not a thematic expert: route questions to reviewers and advisors.")
            % {"name": expert}
        )
    if request.expert_id == expert.pk and request.status == RequestStatus.ROUTED:
        raise ValidationError(_("The request is with %(name)s already.") % {"name": expert})
    transition = _take(request, "route", by=by, expert=expert)
    request.expert = expert
    request.save(update_fields=["status", "expert", "updated_at"])
    city = request.city
    notify(
        [expert],
        source=f"support:{request.pk}:routed:{transition.pk}",
        title=_("Please answer %(city)s: %(topic)s") % {"city": city.name, "topic": request.topic},
        body=_("The answer is due by %(date)s.") % {"date": f"{request.due_on:%d %b %Y}"},
        url=request_url(request),
    )
    notify(
        _requester(request),
        source=f"support:{request.pk}:routed:{transition.pk}",
        title=_("Your question “%(topic)s” is with an expert") % {"topic": request.topic},
        body=_("%(name)s will answer it.") % {"name": expert.display_name},
        url=request_url(request),
    )
    return request


@transaction.atomic
def post_message(
    request: ExpertRequest,
    *,
    body: str,
    side: str,
    by,
    answer: bool = False,
    files: Iterable[Any] = (),
) -> RequestMessage:
    """Add to the thread. An answer (``answer``, from the expert's side) marks the request
    answered; a city member's reply to an answered request reopens it, with a new target date."""
    uploads = list(files)
    body = _text(body, limit=MAX_QUESTION, missing=_("Write your message first."))
    _check_count(uploads)
    request = _locked(request)
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(workflow.refusal(workflow.STEPS["close"], request.status))
    step = None
    if answer:
        if side == Side.CITY:
            raise ValidationError(_("Only the expert or the staff answer a request."))
        step = "answer"
    elif side == Side.CITY and request.status == RequestStatus.ANSWERED:
        step = "follow_up"
    if step is not None:
        _take(request, step, by=by)
    if step == "follow_up":
        request.due_on = due_date(timezone.now())
    request.save(update_fields=["status", "due_on", "updated_at"])
    message = RequestMessage.objects.create(
        request=request, author=by, side=side, body=body, body_html=render_markdown(body),
        is_answer=step == "answer",
    )  # fmt: skip
    _attach(request, uploads, message=message, by=by)
    _tell_about(message, request)
    return message


def _tell_about(message: RequestMessage, request: ExpertRequest) -> None:
    """City messages go to the expert; the expert's and staff's go to the person who asked."""
    if message.side == Side.CITY:
        recipients = [request.expert] if request.expert else []
        title = _("%(city)s wrote on “%(topic)s”")
    elif message.is_answer:
        recipients = _requester(request)
        title = _("Your question “%(topic)s” is answered")
    else:
        recipients = _requester(request)
        title = _("New message on your question “%(topic)s”")
    notify(
        [person for person in recipients if person != message.author],
        source=f"support:{request.pk}:message:{message.pk}",
        title=title % {"city": request.city.name, "topic": request.topic},
        url=request_url(request) + f"#message-{message.pk}",
    )


@transaction.atomic
def close_request(request: ExpertRequest, *, by) -> ExpertRequest:
    request = _locked(request)
    _take(request, "close", by=by)
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def set_consent(request: ExpertRequest, *, consent: bool, by) -> ExpertRequest:
    """The city agrees (or no longer agrees) that the answer may become a knowledge entry."""
    request = _locked(request)
    if request.published_entry_id is not None:
        raise ValidationError(
            _("The answer is published already; ask the platform staff to withdraw the entry.")
        )
    request.consent_by, request.consent_at = (by, timezone.now()) if consent else (None, None)
    request.save(update_fields=["consent_by", "consent_at", "updated_at"])
    return request


@transaction.atomic
def publish_answer(
    request: ExpertRequest,
    *,
    title: str,
    summary: str,
    body: str,
    tags: Iterable[Any],
    by,
    publish: bool,
) -> Entry:
    """Turn the answer into a knowledge entry about the city, with the city's consent. Staff
    curating publish it at once (``publish``); otherwise it waits for moderation."""
    request = _locked(request)
    if not request.has_consent:
        raise ValidationError(_("The city has not agreed to publish this answer."))
    if request.published_entry_id is not None:
        raise ValidationError(_("This answer has been turned into a knowledge entry already."))
    if not request.messages.filter(is_answer=True).exists():
        raise ValidationError(_("There is no answer to publish yet."))
    entry = Entry(title=title, summary=summary, body=body, kind=EntryKind.GUIDE, contributor=by)
    entry = save_entry(entry, tags=tags, cities=[request.city], by=by, publish=publish)
    request.published_entry, request.published_by = entry, by
    request.save(update_fields=["published_entry", "published_by", "updated_at"])
    notify(
        _requester(request),
        source=f"support:{request.pk}:published",
        title=_("The answer to “%(topic)s” is going into the Knowledge Repository")
        % {"topic": request.topic},
        url=reverse("knowledge:entry", args=[entry.slug]),
    )
    return entry
