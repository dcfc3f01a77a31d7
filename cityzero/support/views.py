"""Ask an expert's pages. A request exists only for the city's team, its expert and the staff:
everyone else gets a 404, whatever they try."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can, roles_of
from cityzero.cities.models import City
from cityzero.core.uploads import download
from cityzero.support import selectors, services
from cityzero.support.forms import (
    ConsentForm,
    PublishForm,
    QueueFilterForm,
    ReplyForm,
    RequestForm,
    RouteForm,
)
from cityzero.support.models import ExpertRequest, Side

REQUESTS_PER_PAGE = 50


def _city(request: HttpRequest, slug: str, action: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not can(request.user, action, city):
        raise PermissionDenied(_("Only the city's team (and the platform staff) ask experts."))
    return city


def _readable(request: HttpRequest, slug: str, pk: int) -> ExpertRequest:
    try:
        found = selectors.request_in_city(slug, pk)
    except ExpertRequest.DoesNotExist:
        raise Http404(_("There is no such request.")) from None
    if not can(request.user, "support.view", found):
        raise Http404(_("There is no such request."))
    return found


def _allowed(request: HttpRequest, action: str, expert_request: ExpertRequest) -> None:
    if not can(request.user, action, expert_request):
        raise PermissionDenied(_("You may not do this on this request."))


def _side(request: HttpRequest, expert_request: ExpertRequest) -> str:
    roles = roles_of(request.user)
    if roles.in_team(expert_request.city_id):
        return Side.CITY
    return Side.EXPERT if expert_request.expert_id == request.user.pk else Side.STAFF


# --- the city's requests --------------------------------------------------------------------------


@login_required
def city_requests(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(request, slug, "support.list_city")
    context = {
        "city": city,
        "requests": list(selectors.city_requests(city)),
        "may_ask": can(request.user, "support.ask", city),
        "response_days": settings.SUPPORT_RESPONSE_WORKING_DAYS,
    }
    return render(request, "support/city_requests.html", context)


@login_required
def new_request(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city(request, slug, "support.ask")
    posted = request.method == "POST"
    form = RequestForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            filed = services.file_request(
                city, topic=data["topic"], field_of_action=data["field_of_action"],
                question=data["question"], files=data["files"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your question is sent. The platform staff will pass it to an expert; the "
                  "answer is due by %(date)s.") % {"date": f"{filed.due_on:%d %b %Y}"},
            )  # fmt: skip
            return redirect("support:request", slug=city.slug, pk=filed.pk)
    status = 422 if posted else 200
    return render(request, "support/request_form.html", {"city": city, "form": form},
                  status=status)  # fmt: skip


# --- one request ----------------------------------------------------------------------------------


def _render_request(request: HttpRequest, expert_request: ExpertRequest, *, status: int = 200,
                    **forms) -> HttpResponse:  # fmt: skip
    user = request.user
    may = {
        action: can(user, f"support.{action}", expert_request)
        for action in ("reply", "answer", "close", "consent", "publish", "manage")
    }
    context = {
        "city": expert_request.city,
        "req": expert_request,
        "thread": selectors.thread(expert_request),
        "may": may,
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "consent_form": ConsentForm(initial={"consent": expert_request.has_consent}),
        "route_form": forms.get("route_form")
        or (RouteForm(candidates=selectors.expert_candidates()) if may["manage"] else None),
    }
    return render(request, "support/request_detail.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _render_request(request, _readable(request, slug, pk))


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expert_request = _readable(request, slug, pk)
    _allowed(request, "support.reply", expert_request)
    form = ReplyForm(request.POST, request.FILES or None)
    if form.is_valid():
        if form.is_answer:
            _allowed(request, "support.answer", expert_request)
        try:
            message = services.post_message(
                expert_request, body=form.cleaned_data["body"], files=form.cleaned_data["files"],
                side=_side(request, expert_request), answer=form.is_answer, by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answer sent.") if form.is_answer else _("Message sent."))
            return redirect(reverse("support:request", args=[slug, pk]) + f"#message-{message.pk}")
    return _render_request(request, expert_request, reply_form=form, status=422)


@login_required
@require_POST
def route(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expert_request = _readable(request, slug, pk)
    _allowed(request, "support.manage", expert_request)
    form = RouteForm(request.POST, candidates=selectors.expert_candidates())
    if form.is_valid():
        expert = form.cleaned_data["expert"]
        try:
            services.route_request(expert_request, expert=expert, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Routed to %(name)s, who is told.") % {"name": expert})
            return redirect("support:request", slug=slug, pk=pk)
    return _render_request(request, expert_request, route_form=form, status=422)


@login_required
@require_POST
def close(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expert_request = _readable(request, slug, pk)
    _allowed(request, "support.close", expert_request)
    try:
        services.close_request(expert_request, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is closed."))
    return redirect("support:request", slug=slug, pk=pk)


@login_required
@require_POST
def consent(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expert_request = _readable(request, slug, pk)
    _allowed(request, "support.consent", expert_request)
    form = ConsentForm(request.POST)
    form.is_valid()  # an unticked box is a valid "no"
    given = form.cleaned_data.get("consent", False)
    try:
        services.set_consent(expert_request, consent=given, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you: the answer may be published.") if given
            else _("Noted: the answer will not be published."),
        )  # fmt: skip
    return redirect(reverse("support:request", args=[slug, pk]) + "#publication")


def _publication_draft(expert_request: ExpertRequest) -> dict:
    answers = [m.body for m in expert_request.messages.filter(is_answer=True)]
    body = (
        _("## The question") + f"\n\n{expert_request.question}\n\n" + _("## The answer")
        + "\n\n" + "\n\n".join(answers) + "\n\n*"
        + _("Answered through CityZero's Ask an expert service for %(city)s.")
        % {"city": expert_request.city.name} + "*"
    )  # fmt: skip
    tags = [expert_request.field_of_action] if expert_request.field_of_action else []
    return {"title": expert_request.topic, "summary": expert_request.question[:300],
            "body": body, "tags": tags}  # fmt: skip


@login_required
def publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    expert_request = _readable(request, slug, pk)
    _allowed(request, "support.publish", expert_request)
    if request.method != "POST":
        form = PublishForm(initial=_publication_draft(expert_request))
        return _render_publish(request, expert_request, form)
    form = PublishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        curating = can(request.user, "knowledge.moderate", None)
        try:
            entry = services.publish_answer(
                expert_request, title=data["title"], summary=data["summary"], body=data["body"],
                tags=data["tags"], by=request.user, publish=curating,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The entry is published.") if curating
                else _("The entry is waiting for moderation."),
            )  # fmt: skip
            return redirect("knowledge:entry", slug=entry.slug)
    return _render_publish(request, expert_request, form, status=422)


def _render_publish(request, expert_request, form, *, status: int = 200) -> HttpResponse:
    context = {"city": expert_request.city, "req": expert_request, "form": form,
               "curating": can(request.user, "knowledge.moderate", None)}  # fmt: skip
    return render(request, "support/publish.html", context, status=status)


@login_required
def attachment(request: HttpRequest, slug: str, pk: int, file_pk: int) -> FileResponse:
    """An attachment, to whoever may read the request; always a download, never inline."""
    expert_request = _readable(request, slug, pk)
    return download(get_object_or_404(expert_request.attachments, pk=file_pk))


# --- the staff's queue and the expert's requests --------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "support.manage", None):
        raise PermissionDenied(_("The queue of expert requests is for the platform staff."))
    form = QueueFilterForm(request.GET or None)
    page = Paginator(selectors.queue(**form.filters()), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(),
               "overdue_count": selectors.overdue_count()}  # fmt: skip
    return render(request, "support/queue.html", context)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    return render(
        request, "support/my_requests.html", {"inbox": selectors.requests_of_expert(request.user)}
    )
