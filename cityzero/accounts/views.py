from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityzero.accounts import selectors, services, tokens
from cityzero.accounts.forms import (
    AdvisorFilterForm,
    AssignAdvisorForm,
    InviteForm,
    RoleForm,
    TokenForm,
)
from cityzero.accounts.models import AdvisorAssignment, ApiToken, CityMembership, Invitation
from cityzero.accounts.permissions import can
from cityzero.cities.models import City


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", selectors.user_overview(request.user))


def _city_for(request: HttpRequest, slug: str, action: str) -> City:
    city = get_object_or_404(City, slug=slug)
    if not can(request.user, action, city):
        raise PermissionDenied(_("You may not manage this city's team."))
    return city


@login_required
def team(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_for(request, slug, "team.view")
    return _render_team(request, city, InviteForm())


def _render_team(
    request: HttpRequest, city: City, invite_form: InviteForm, status: int = 200
) -> HttpResponse:
    context = selectors.team_overview(city)
    context.update(
        city=city,
        invite_form=invite_form,
        role_form=RoleForm(),
        can_manage=can(request.user, "team.manage", city),
        can_assign_advisors=can(request.user, "city.assign_advisor", city),
    )
    return render(request, "accounts/team.html", context, status=status)


@login_required
@require_POST
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_for(request, slug, "team.manage")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_member(city, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
    if not form.is_valid():
        return _render_team(request, city, form, status=422)
    messages.success(
        request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
    )
    return redirect("accounts:team", slug=city.slug)


def _membership(request: HttpRequest, slug: str, pk: int) -> CityMembership:
    city = _city_for(request, slug, "team.manage")
    return get_object_or_404(
        CityMembership.objects.select_related("user", "city"), pk=pk, city=city
    )


@login_required
@require_POST
def change_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
    else:
        try:
            services.change_member_role(membership, role=form.cleaned_data["role"], by=request.user)
            messages.success(request, _("Role changed for %(user)s.") % {"user": membership.user})
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect("accounts:team", slug=slug)


@login_required
@require_POST
def remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, pk)
    try:
        services.remove_member(membership, by=request.user)
        messages.success(request, _("%(user)s left the team.") % {"user": membership.user})
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("accounts:team", slug=slug)


@login_required
@require_POST
def revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    city = _city_for(request, slug, "team.manage")
    invitation = get_object_or_404(Invitation, pk=pk, city=city)
    services.revoke_invitation(invitation, by=request.user)
    messages.success(request, _("Invitation to %(email)s withdrawn.") % {"email": invitation.email})
    return redirect("accounts:team", slug=slug)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link sees the invitation; accepting needs the invited address."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("city", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, _("Welcome to the team of %(city)s.") % {"city": invitation.city}
            )
            return redirect("cities:detail", slug=invitation.city.slug)
    problem = services.invitation_problem(invitation, request.user)
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "problem": problem},
        status=200 if problem is None else 409,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        secret = tokens.create_token(request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user, revoked_at=None),
    }
    return render(request, "accounts/api_tokens.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(token, by=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:api_tokens")


# --- City advisors, assigned by staff -------------------------------------------------------------

CITIES_PER_PAGE = 50


def _staff_only(request: HttpRequest) -> None:
    if not can(request.user, "city.assign_advisor", None):
        raise PermissionDenied(_("Only platform staff assign city advisors."))


@login_required
def advisors(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = AdvisorFilterForm(request.GET or None)
    cities = selectors.advisor_overview(**form.filters())
    page = Paginator(cities, CITIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "advisors": list(selectors.advisors_with_load()),
        "without_advisor": selectors.mission_cities_without_advisor(),
        "back": request.get_full_path(),
    }
    return render(request, "accounts/advisors.html", context)


def _back_to_advisors(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return reverse("accounts:advisors")


@login_required
@require_POST
def assign_advisor(request: HttpRequest, slug: str) -> HttpResponse:
    _staff_only(request)
    city = get_object_or_404(City, slug=slug)
    form = AssignAdvisorForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["advisor"]))
        return redirect(_back_to_advisors(request))
    advisor = form.cleaned_data["advisor"]
    try:
        services.assign_advisor(city, advisor=advisor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s now advises %(city)s and is told.") % {"name": advisor, "city": city.name},
        )
    return redirect(_back_to_advisors(request))


@login_required
@require_POST
def remove_advisor(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _staff_only(request)
    assignment = get_object_or_404(
        AdvisorAssignment.objects.select_related("advisor", "city"), pk=pk, city__slug=slug
    )
    services.remove_advisor(assignment, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer advises %(city)s.")
        % {"name": assignment.advisor, "city": assignment.city.name},
    )
    return redirect(_back_to_advisors(request))
