"""The community's pages: groups and their discussions, events and files; feeds; people;
notifications and their settings; moderation.

A secret group does not exist for whoever may not know of it: every address under it answers 404
to them, exactly as for a group that does not exist. A group someone knows of but may not read
answers 403 with the way in (join, ask to join).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.community import eventtime, ics, selectors
from cityzero.community.forms import (
    AskToJoinForm,
    DiscussionForm,
    EventForm,
    FileForm,
    GroupFilterForm,
    GroupForm,
    InviteForm,
    ModerateForm,
    NewGroupForm,
    PeopleFilterForm,
    PreferencesForm,
    ProfileForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    RoleForm,
    TopicsForm,
)
from cityzero.community.languages import LANGUAGES
from cityzero.community.models import (
    ContentStatus,
    Discussion,
    Event,
    Group,
    GroupMembership,
    MembershipStatus,
    Post,
    Profile,
    Report,
    SharedFile,
)
from cityzero.community.notices import BY_CODE
from cityzero.community.services import discussions as discussion_services
from cityzero.community.services import events as event_services
from cityzero.community.services import files as file_services
from cityzero.community.services import groups as group_services
from cityzero.community.services import moderation as moderation_services
from cityzero.community.services import notifications as notification_services
from cityzero.community.services import people as people_services
from cityzero.community.services.discussions import RateLimited
from cityzero.core.cache import cache_public_page
from cityzero.core.uploads import download

GROUPS_PER_PAGE = 24
DISCUSSIONS_PER_PAGE = 20
PEOPLE_PER_PAGE = 30
NOTIFICATIONS_PER_PAGE = 30
LOG_PER_PAGE = 30


# --- helpers -------------------------------------------------------------------------------------


def _known_group(request: HttpRequest, slug: str) -> Group:
    """The group, if it exists for this person; 404 otherwise (a secret group included)."""
    try:
        group = selectors.group_page(slug)
    except Group.DoesNotExist:
        raise Http404(_("There is no such group.")) from None
    if not can(request.user, "group.view", group):
        raise Http404(_("There is no such group."))
    return group


def _readable_group(request: HttpRequest, slug: str) -> Group:
    group = _known_group(request, slug)
    if not can(request.user, "group.read", group):
        raise PermissionDenied(
            _(
                "Only the members of %(group)s read what is in it. Join or ask to join on the "
                "group's page."
            )
            % {"group": group.name}
        )
    return group


def _require(request: HttpRequest, action: str, obj: Any, refusal: str) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(refusal)


def _page(request: HttpRequest, items: Any, size: int) -> Any:
    return Paginator(items, size).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _too_fast(request: HttpRequest, limited: RateLimited) -> HttpResponse:
    response = render(request, "community/429.html", {"wait": limited.wait}, status=429)
    response["Retry-After"] = str(limited.wait)
    return response


def _spam(request: HttpRequest) -> HttpResponse:
    return render(request, "community/spam.html", status=400)


def _group_context(request: HttpRequest, group: Group, tab: str) -> dict[str, Any]:
    user = request.user
    may = {
        action: can(user, f"group.{action}", group)
        for action in (
            "read",
            "join",
            "ask_to_join",
            "answer_invitation",
            "leave",
            "post",
            "share_file",
            "moderate",
            "manage",
        )
    }
    place = None
    if user.is_authenticated:
        place = GroupMembership.objects.filter(group=group, user=user).first()
    return {"group": group, "tab": tab, "may": may, "place": place}


# --- the group directory and a group's pages -----------------------------------------------------


@cache_public_page
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupFilterForm(request.GET or None)
    filters = selectors.GroupFilters(**form.filters())
    page = _page(request, selectors.group_directory(request.user, filters), GROUPS_PER_PAGE)
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "filters": filters,
        "may_create": can(request.user, "group.create", None),
    }
    return render(request, "community/group_list.html", context)


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    _require(request, "group.create", None, _("Platform staff open new groups."))
    form = NewGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = request.user
        if data["owner"]:
            owner = get_user_model().objects.filter(email__iexact=data["owner"]).first()
        if owner is None:
            form.add_error("owner", _("Nobody with this address has an account on CityZero."))
        else:
            try:
                group = group_services.create_group(
                    name=data["name"],
                    kind=data["kind"],
                    visibility=data["visibility"],
                    summary=data["summary"],
                    description=data["description"],
                    owner=owner,
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The group is open."))
                return redirect("community:group", slug=group.slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "community/group_form.html", {"form": form, "new": True}, status=status)


def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's page: what it is, one's place in it, and its newest activity."""
    group = _known_group(request, slug)
    context = _group_context(request, group, "overview")
    if context["may"]["read"]:
        context["feed"] = selectors.group_feed(group, request.GET.get("before", ""))
    context["ask_form"] = AskToJoinForm()
    return render(request, "community/group_detail.html", context)


@login_required
def group_settings(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.manage", group, _("The group's owners change its settings."))
    if request.method == "POST":
        form = GroupForm(request.POST)
        if form.is_valid():
            try:
                group_services.update_group(group, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The group's settings are saved."))
                return redirect("community:group", slug=group.slug)
        status = 422
    else:
        fields = ("name", "kind", "visibility", "summary", "description")
        form = GroupForm(initial={name: getattr(group, name) for name in fields})
        status = 200
    context = {**_group_context(request, group, "settings"), "form": form}
    return render(request, "community/group_form.html", context, status=status)


def _take(request: HttpRequest, step, done: str, back: str) -> HttpResponse:
    """Take a step, say how it went (its refusal, or ``done``), and go back to the page."""
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(back)


def _place_step(request: HttpRequest, group: Group, step, done: str) -> HttpResponse:
    return _take(request, step, done, reverse("community:group", args=[group.slug]))


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.join", group, _("This group does not take members this way."))
    return _place_step(
        request,
        group,
        lambda: group_services.join_group(group, user=request.user),
        _("Welcome to %(group)s.") % {"group": group.name},
    )


@login_required
@require_POST
def ask_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.ask_to_join", group, _("This group does not take requests."))
    # The service checks the message (its length) and says what is wrong.
    message = request.POST.get("message", "")
    return _place_step(
        request,
        group,
        lambda: group_services.ask_to_join(group, user=request.user, message=message),
        _("Your request is sent; the group's moderators will answer it."),
    )


@login_required
@require_POST
def answer_invitation(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.answer_invitation", group, _("There is no invitation to answer."))
    accept = request.POST.get("answer") == "accept"
    try:
        group_services.answer_invitation(group, user=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("community:group", slug=group.slug)
    if accept:
        messages.success(request, _("Welcome to %(group)s.") % {"group": group.name})
        return redirect("community:group", slug=group.slug)
    messages.success(request, _("You declined the invitation."))
    return redirect("community:groups")


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    place = GroupMembership.objects.filter(group=group, user=request.user).first()
    asking = place is not None and place.status == MembershipStatus.REQUESTED
    if not asking:
        _require(request, "group.leave", group, _("You are not a member of this group."))
    try:
        group_services.leave_group(group, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("community:group", slug=group.slug)
    messages.success(
        request,
        _("Your request is withdrawn.")
        if asking
        else _("You left %(group)s.") % {"group": group.name},
    )
    return redirect("community:groups")


# --- members -------------------------------------------------------------------------------------


def _render_members(
    request: HttpRequest, group: Group, *, status: int = 200, invite_form: InviteForm | None = None
) -> HttpResponse:
    context = {
        **_group_context(request, group, "members"),
        "members": selectors.members(group),
        "invite_form": invite_form or InviteForm(),
        "role_form": RoleForm(),
    }
    return render(request, "community/members.html", context, status=status)


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_members(request, _readable_group(request, slug))


def _place_in(request: HttpRequest, slug: str, pk: int, action: str) -> GroupMembership:
    group = _known_group(request, slug)
    _require(request, action, group, _("Only the group's moderators do this."))
    place = get_object_or_404(GroupMembership.objects.select_related("user"), group=group, pk=pk)
    place.group = group
    return place


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.moderate", group, _("The group's moderators invite people."))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            place = group_services.invite(
                group,
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": place.user.display_name})
            return redirect("community:members", slug=group.slug)
    return _render_members(request, group, invite_form=form, status=422)


@login_required
@require_POST
def answer_request(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = _place_in(request, slug, pk, "group.moderate")
    approve = request.POST.get("answer") == "approve"
    try:
        group_services.answer_request(place, approve=approve, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("%(name)s is a member now.") if approve else _("%(name)s's request is declined.")
        messages.success(request, done % {"name": place.user.display_name})
    return redirect("community:members", slug=slug)


@login_required
@require_POST
def withdraw_invitation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = _place_in(request, slug, pk, "group.moderate")
    try:
        group_services.withdraw_invitation(place, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("community:members", slug=slug)


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = _place_in(request, slug, pk, "group.manage")
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose owner, moderator or member."))
        return redirect("community:members", slug=slug)
    try:
        group_services.change_role(place, role=form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The role of %(name)s is changed.") % {"name": place.user.display_name}
        )
    return redirect("community:members", slug=slug)


@login_required
def remove_member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove or ban a member, with the reason (a page of its own, so that it works without
    JavaScript and the reason is never forgotten)."""
    place = _place_in(request, slug, pk, "group.moderate")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ban = request.POST.get("ban") == "yes"
        try:
            group_services.remove_member(
                place, by=request.user, ban=ban, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = _("%(name)s is banned from the group.") if ban else _("%(name)s is removed.")
            messages.success(request, done % {"name": place.user.display_name})
            return redirect("community:members", slug=slug)
    context = {**_group_context(request, place.group, "members"), "target": place, "form": form}
    status = 422 if request.method == "POST" else 200
    return render(request, "community/remove_member.html", context, status=status)


@login_required
@require_POST
def lift_ban(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = _place_in(request, slug, pk, "group.moderate")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the ban is lifted: it goes in the moderation log."))
        return redirect("community:members", slug=slug)
    try:
        group_services.lift_ban(place, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The ban on %(name)s is lifted.") % {"name": place.user.display_name}
        )
    return redirect("community:members", slug=slug)


@login_required
def mentions(request: HttpRequest, slug: str) -> HttpResponse:
    """Members one can mention, by the start of their handle or name (a partial for htmx)."""
    group = _readable_group(request, slug)
    text = request.GET.get("q", "")[:40]
    context = {
        **_group_context(request, group, "discussions"),
        "q": text,
        "candidates": selectors.mention_candidates(group, text),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "community/_mention_list.html" if partial else "community/mentions.html"
    return render(request, template, context)


# --- discussions ---------------------------------------------------------------------------------


def _render_discussions(
    request: HttpRequest, group: Group, *, form=None, status: int = 200
) -> HttpResponse:
    moderating = can(request.user, "group.moderate", group)
    context = {
        **_group_context(request, group, "discussions"),
        "page": _page(
            request, selectors.discussions(group, moderating=moderating), DISCUSSIONS_PER_PAGE
        ),
        "form": form or DiscussionForm(),
        "query": "",
    }
    return render(request, "community/discussions.html", context, status=status)


@login_required
def discussions(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    if request.method != "POST":
        return _render_discussions(request, group)
    _require(request, "group.post", group, _("Join the group to take part in its discussions."))
    form = DiscussionForm(request.POST)
    if form.is_spam:
        return _spam(request)
    if form.is_valid():
        try:
            discussion = discussion_services.start_discussion(
                group,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
        except RateLimited as limited:
            return _too_fast(request, limited)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("community:discussion", slug=group.slug, pk=discussion.pk)
    return _render_discussions(request, group, form=form, status=422)


def _readable_discussion(request: HttpRequest, group: Group, pk: int) -> Discussion:
    try:
        found = selectors.discussion_in(group, pk)
    except Discussion.DoesNotExist:
        raise Http404(_("There is no such discussion.")) from None
    if found.status != ContentStatus.VISIBLE and not can(request.user, "group.moderate", group):
        raise Http404(_("There is no such discussion."))
    return found


def _render_discussion(
    request: HttpRequest, group: Group, discussion, *, form=None, status: int = 200
) -> HttpResponse:
    reply_to = request.GET.get("reply_to", "")
    initial = {"parent": reply_to} if reply_to.isdigit() else {}
    context = {
        **_group_context(request, group, "discussions"),
        "discussion": discussion,
        "thread": selectors.thread(discussion),
        "form": form or ReplyForm(initial=initial),
        "replying_to": int(reply_to) if reply_to.isdigit() else None,
    }
    return render(request, "community/discussion.html", context, status=status)


@login_required
def discussion(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _readable_group(request, slug)
    return _render_discussion(request, group, _readable_discussion(request, group, pk))


@login_required
@require_POST
def reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _readable_group(request, slug)
    found = _readable_discussion(request, group, pk)
    _require(request, "group.post", group, _("Join the group to take part in its discussions."))
    form = ReplyForm(request.POST)
    if form.is_spam:
        return _spam(request)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Post.objects.filter(pk=form.cleaned_data["parent"], discussion=found).first()
            if parent is None:
                form.add_error(None, _("The post you answer is not in this discussion."))
        if not form.errors:
            try:
                post = discussion_services.reply(
                    found, body=form.cleaned_data["body"], parent=parent, by=request.user
                )
            except RateLimited as limited:
                return _too_fast(request, limited)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("community:discussion", args=[group.slug, found.pk])
                return redirect(f"{url}#post-{post.pk}")
    return _render_discussion(request, group, found, form=form, status=422)


# --- events --------------------------------------------------------------------------------------


def _visible_event(request: HttpRequest, pk: int) -> Event:
    """The event, for whoever may see it: 404 when its group is unknown to them or the event is
    hidden from them, sign-in or 403 when they may not read the group."""
    try:
        event = selectors.event_page(pk)
    except Event.DoesNotExist:
        raise Http404(_("There is no such event.")) from None
    if event.group is not None and not can(request.user, "group.view", event.group):
        raise Http404(_("There is no such event."))
    if event.status != ContentStatus.VISIBLE and not can(request.user, "event.manage", event):
        raise Http404(_("There is no such event."))
    if not can(request.user, "event.view", event):
        raise PermissionDenied(
            _("This event is for the members of %(group)s.") % {"group": event.group.name}
        )
    return event


@cache_public_page
def event_list(request: HttpRequest) -> HttpResponse:
    registered = request.GET.get("mine") == "1" and request.user.is_authenticated
    events = selectors.upcoming_events(request.user, registered=registered)
    context = {
        "page": _page(request, events, GROUPS_PER_PAGE),
        "registered": registered,
        "query": _query_without_page(request),
        "may_create": can(request.user, "event.create", None),
    }
    return render(request, "community/event_list.html", context)


@login_required
def group_events(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    context = {
        **_group_context(request, group, "events"),
        "upcoming": list(selectors.upcoming_events(request.user, group=group)),
        "past": list(selectors.past_events(request.user, group=group)[:20]),
        "may_create": can(request.user, "event.create", group),
    }
    return render(request, "community/group_events.html", context)


def _event_form_page(
    request: HttpRequest, *, group: Group | None, event: Event | None, save
) -> HttpResponse:
    if request.method == "POST":
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                saved = save(form.event_input())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("community:event", pk=saved.pk)
        status = 422
    else:
        form = EventForm(initial=EventForm.initial_for(event) if event else None)
        status = 200
    context = {"form": form, "group": group, "event": event, "tab": "events"}
    if group is not None:
        context.update(_group_context(request, group, "events"))
    return render(request, "community/event_form.html", context, status=status)


@login_required
def event_new(request: HttpRequest, slug: str = "") -> HttpResponse:
    group = _readable_group(request, slug) if slug else None
    _require(request, "event.create", group, _("Only moderators announce events here."))
    return _event_form_page(
        request,
        group=group,
        event=None,
        save=lambda data: event_services.create_event(group, data=data, by=request.user),
    )


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    _require(request, "event.manage", event, _("Only the event's organisers change it."))
    return _event_form_page(
        request,
        group=selectors.group_page(event.group.slug) if event.group else None,
        event=event,
        save=lambda data: event_services.update_event(event, data=data, by=request.user),
    )


def _event_or_sign_in(request: HttpRequest, pk: int) -> Event | HttpResponse:
    """The event; anonymous visitors of an event for people signed in are asked to sign in."""
    try:
        return _visible_event(request, pk)
    except PermissionDenied:
        if request.user.is_authenticated:
            raise
        return redirect_to_login(request.get_full_path())


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_sign_in(request, pk)
    if isinstance(event, HttpResponse):
        return event
    user = request.user
    managing = can(user, "event.manage", event)
    start = eventtime.wall_clock(event.starts_at, event.time_zone)
    context = {
        "event": event,
        "group": event.group,
        "tab": "events",
        "start": start,
        "end": eventtime.wall_clock(event.ends_at, event.time_zone),
        "offset": eventtime.utc_offset(event.starts_at, event.time_zone),
        "over": event.ends_at <= timezone.now(),
        "registration": selectors.registration_of(event, user),
        "may_register": can(user, "event.register", event),
        "managing": managing,
        "registrations": list(selectors.registrations(event)) if managing else [],
    }
    if event.group is not None:
        context.update(_group_context(request, selectors.group_page(event.group.slug), "events"))
    return render(request, "community/event_detail.html", context)


def _event_step(request: HttpRequest, event: Event, step, done: str) -> HttpResponse:
    return _take(request, step, done, reverse("community:event", args=[event.pk]))


@login_required
@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    _require(request, "event.manage", event, _("Only the event's organisers cancel it."))
    return _event_step(
        request,
        event,
        lambda: event_services.cancel_event(event, by=request.user),
        _("The event is cancelled; the people registered are told."),
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    _require(request, "event.register", event, _("You may not register for this event."))
    try:
        registration = event_services.register(event, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You are registered.")
            if registration.status == "confirmed"
            else _("The event is full: you are on the waiting list."),
        )
    return redirect("community:event", pk=event.pk)


@login_required
@require_POST
def unregister(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    return _event_step(
        request,
        event,
        lambda: event_services.cancel_registration(event, user=request.user),
        _("Your registration is cancelled."),
    )


def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """The event as an .ics file for one's calendar."""
    event = _event_or_sign_in(request, pk)
    if isinstance(event, HttpResponse):
        return event
    url = request.build_absolute_uri(reverse("community:event", args=[event.pk]))
    location = ", ".join(part for part in (event.venue, event.online_url) if part)
    data = ics.calendar_file(
        ics.CalendarEvent(
            uid=f"event-{event.pk}@{request.get_host().split(':')[0]}",
            title=event.title,
            description=event.description,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            time_zone=event.time_zone,
            location=location,
            url=url,
            sequence=event.sequence,
            cancelled=event.is_cancelled,
            stamp=timezone.now(),
        )
    )
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    if event.group is not None:
        response["Cache-Control"] = "private, no-store"
    return response


# --- files ---------------------------------------------------------------------------------------


def _render_files(request: HttpRequest, group: Group, *, form=None, status: int = 200):
    moderating = can(request.user, "group.moderate", group)
    context = {
        **_group_context(request, group, "files"),
        "files": list(selectors.files(group, moderating=moderating)),
        "form": form or FileForm(),
    }
    return render(request, "community/files.html", context, status=status)


@login_required
def files(request: HttpRequest, slug: str) -> HttpResponse:
    group = _readable_group(request, slug)
    if request.method != "POST":
        return _render_files(request, group)
    _require(request, "group.share_file", group, _("Members share files in their group."))
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            file_services.share_file(
                group,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The file is shared with the group."))
            return redirect("community:files", slug=group.slug)
    return _render_files(request, group, form=form, status=422)


@login_required
def file_download(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A shared file, to whoever may read the group; always a download, never cached."""
    group = _readable_group(request, slug)
    shared = get_object_or_404(SharedFile.objects.select_related("group"), group=group, pk=pk)
    if not can(request.user, "content.view", shared):
        raise Http404(_("There is no such file."))
    return download(shared, private=True)


# --- reports and moderation ----------------------------------------------------------------------

CONTENT = {
    "post": (Post, ("discussion__group", "author")),
    "event": (Event, ("group", "created_by")),
    "file": (SharedFile, ("group", "uploaded_by")),
}


def _content(request: HttpRequest, kind: str, pk: int) -> Post | Event | SharedFile:
    """A post, event or file this person may see; 404 otherwise."""
    if kind not in CONTENT:
        raise Http404(_("There is no such content."))
    model, related = CONTENT[kind]
    content = model.objects.select_related(*related).filter(pk=pk).first()
    if content is None:
        raise Http404(_("There is no such content."))
    group = moderation_services.group_of(content)
    if group is not None and not can(request.user, "group.view", group):
        raise Http404(_("There is no such content."))
    if not can(request.user, "content.view", content):
        raise Http404(_("There is no such content."))
    return content


def _content_url(content: Post | Event | SharedFile) -> str:
    if isinstance(content, Post):
        group = content.discussion.group
        url = reverse("community:discussion", args=[group.slug, content.discussion_id])
        return f"{url}#post-{content.pk}"
    if isinstance(content, Event):
        return reverse("community:event", args=[content.pk])
    return reverse("community:files", args=[content.group.slug]) + f"#file-{content.pk}"


@login_required
def report(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    content = _content(request, kind, pk)
    _require(request, "content.report", content, _("You may not report this."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_services.report_content(
                content,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: the moderators are told."))
            return redirect(_content_url(content))
    context = {
        "form": form,
        "content": content,
        "kind": kind,
        "label": moderation_services.describe(content),
        "back": _content_url(content),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "community/report.html", context, status=status)


@login_required
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Hide, restore or remove a post, event or file, with the reason."""
    content = _content(request, kind, pk)
    _require(request, "content.moderate", content, _("Only the group's moderators do this."))
    form = ModerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_services.moderate(
                content,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done, and written in the moderation log."))
            group = moderation_services.group_of(content)
            return redirect(moderation_services.moderation_url(group))
    context = {
        "form": form,
        "content": content,
        "kind": kind,
        "label": moderation_services.describe(content),
        "back": _content_url(content),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "community/moderate.html", context, status=status)


def _render_moderation(request: HttpRequest, group: Group | None) -> HttpResponse:
    context = {
        "reports": list(selectors.open_reports(group)),
        "log": _page(request, selectors.moderation_log(group), LOG_PER_PAGE),
        "dismiss_form": ReasonForm(),
        "query": "",
    }
    if group is not None:
        context.update(_group_context(request, group, "moderation"))
    return render(request, "community/moderation.html", context)


@login_required
def group_moderation(request: HttpRequest, slug: str) -> HttpResponse:
    group = _known_group(request, slug)
    _require(request, "group.moderate", group, _("The moderation page is for moderators."))
    return _render_moderation(request, group)


@login_required
def platform_moderation(request: HttpRequest) -> HttpResponse:
    _require(request, "group.moderate", None, _("The moderation page is for moderators."))
    return _render_moderation(request, None)


@login_required
@require_POST
def dismiss_report(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Report.objects.select_related("group"), pk=pk)
    if found.group is not None and not can(request.user, "group.view", found.group):
        raise Http404(_("There is no such report."))
    _require(request, "group.moderate", found.group, _("Only the moderators deal with reports."))
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is dismissed: it goes in the log."))
    else:
        try:
            moderation_services.dismiss_report(
                found, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is dismissed."))
    return redirect(moderation_services.moderation_url(found.group))


# --- feeds ---------------------------------------------------------------------------------------


@login_required
def my_feed(request: HttpRequest) -> HttpResponse:
    page = selectors.personal_feed(request.user, request.GET.get("before", ""))
    return render(
        request, "community/feed.html", {"feed": page, "paged": bool(request.GET.get("before"))}
    )


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TopicsForm(request.POST)
        if form.is_valid():
            try:
                people_services.follow_topics(request.user, form.cleaned_data["tags"])
            except ValidationError as error:
                form.add_error("tags", error)
            else:
                messages.success(request, _("Your topics are saved."))
                return redirect("community:feed")
        status = 422
    else:
        followed = selectors.followed_tags(request.user)
        form = TopicsForm(initial={"tags": [t for t in selectors.tags() if t.pk in followed]})
        status = 200
    return render(request, "community/topics.html", {"form": form}, status=status)


# --- people --------------------------------------------------------------------------------------


@login_required
def people(request: HttpRequest) -> HttpResponse:
    tags = list(selectors.tags())
    form = PeopleFilterForm(request.GET or None, tags=tags)
    filters = selectors.PeopleFilters(**form.filters())
    page = _page(request, selectors.people(filters), PEOPLE_PER_PAGE)
    city = City.objects.filter(slug=filters.city).first() if filters.city else None
    context = {
        "form": form,
        "page": page,
        "query": _query_without_page(request),
        "city": city,
        "filters": filters,
    }
    return render(request, "community/people.html", context)


@login_required
def person(request: HttpRequest, handle: str) -> HttpResponse:
    try:
        profile = selectors.profile_page(handle)
    except Profile.DoesNotExist:
        raise Http404(_("There is nobody with this handle in the directory.")) from None
    if not can(request.user, "profile.view", profile):
        raise Http404(_("There is nobody with this handle in the directory."))
    names = [LANGUAGES[code] for code in profile.languages if code in LANGUAGES]
    return render(request, "community/person.html", {"profile": profile, "language_names": names})


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    profile = people_services.ensure_profile(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                people_services.update_profile(request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("community:my_profile")
        status = 422
    else:
        form = ProfileForm(
            initial={
                "visible": profile.visible,
                "handle": profile.handle,
                "job_title": profile.job_title,
                "bio": profile.bio,
                "languages": profile.languages,
                "expertise": list(profile.expertise.all()),
            }
        )
        status = 200
    return render(
        request, "community/my_profile.html", {"form": form, "profile": profile}, status=status
    )


# --- notifications -------------------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.notifications_of(request.user), NOTIFICATIONS_PER_PAGE)
    return render(request, "community/notifications.html", {"page": page, "query": ""})


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    notification_services.mark_read(request.user)
    return redirect("community:notifications")


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points."""
    notification = get_object_or_404(selectors.notifications_of(request.user), pk=pk)
    notification_services.mark_read(request.user, notification.pk)
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if notification.url and safe else "community:notifications")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_services.set_preferences(request.user, form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("community:preferences")
        status = 422
    else:
        form = PreferencesForm(initial=selectors.preferences_of(request.user))
        status = 200
    return render(request, "community/preferences.html", {"form": form}, status=status)


@csrf_exempt  # the signed token is the proof; mail programs post here in one click (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Stop the emails an email's link names: asks first on a visit, acts on a POST."""
    found = notification_services.read_unsubscribe_token(token)
    person = None
    if found is not None:
        person = get_user_model().objects.filter(pk=found[0], is_active=True).first()
    if person is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    what = (
        _("anything in the daily digest")
        if kind == notification_services.EVERY_DIGEST
        else BY_CODE[kind].label
    )
    done = False
    if request.method == "POST":
        notification_services.stop_emails(person, kind)
        done = True
    return render(
        request, "community/unsubscribe.html", {"what": what, "done": done, "token": token}
    )
