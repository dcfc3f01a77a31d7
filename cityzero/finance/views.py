"""The Finance Guidance Tool's pages: the questionnaire (GET forms, answers in the query string),
the result and its exports, funding types, and results saved to a city."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can
from cityzero.core.cache import cache_public_page
from cityzero.finance import exports, selectors, services
from cityzero.finance.forms import (
    SaveResultForm,
    VisibilityForm,
    answer_params,
    step_1,
    step_2,
)
from cityzero.finance.guidance import Guidance, from_snapshot
from cityzero.finance.models import FundingCategory, FundingType, SavedResult
from cityzero.finance.questionnaire import Checked, check_query, describe, query_string

EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


# --- the questionnaire ----------------------------------------------------------------------------


def _render_step_1(
    request: HttpRequest, checked: Checked, params: QueryDict, *, status: int = 200
) -> HttpResponse:
    context = {"step": step_1(params, checked.errors), "errors": checked.errors}
    return render(request, "finance/start.html", context, status=status)


def _render_step_2(
    request: HttpRequest, checked: Checked, params: QueryDict, *, status: int = 200
) -> HttpResponse:
    fields = checked.fields
    context = {
        "groups": step_2(fields, params, checked.errors),
        "errors": checked.errors,
        "hidden": _hidden_answers({"fields": checked.answers["fields"]}),
        "step_1_query": query_string({"fields": checked.answers["fields"]}),
        "fields_text": describe({"fields": checked.answers["fields"]})[0].text,
    }
    return render(request, "finance/questions.html", context, status=status)


@cache_public_page
def start(request: HttpRequest) -> HttpResponse:
    """Step 1: the fields of action (ticked again when someone comes back to change them)."""
    return _render_step_1(request, Checked(), request.GET)


@cache_public_page
def questions(request: HttpRequest) -> HttpResponse:
    """Step 2: only the questions asked for the fields chosen in step 1."""
    checked = check_query(request.GET, complete=False)
    if checked.errors:
        return _render_step_1(request, checked, request.GET, status=422)
    return _render_step_2(request, checked, request.GET)


def _checked_or_form(request: HttpRequest, params: QueryDict) -> Checked | HttpResponse:
    """Complete answers, or the step to fix with its errors (422)."""
    checked = check_query(params)
    if "fields" in checked.errors:
        return _render_step_1(request, checked, params, status=422)
    if checked.errors:
        return _render_step_2(request, checked, params, status=422)
    return checked


@cache_public_page
def result(request: HttpRequest) -> HttpResponse:
    checked = _checked_or_form(request, request.GET)
    if isinstance(checked, HttpResponse):
        return checked
    guidance = selectors.guidance_for(checked.answers)
    cities = selectors.cities_to_save_to(request.user)
    form = SaveResultForm(cities=cities, initial={"city": cities[0].pk}) if cities else None
    return _render_result(request, guidance, form)


def _render_result(request, guidance: Guidance, form, *, status: int = 200) -> HttpResponse:
    query = query_string(guidance.answers)
    context = {
        "guidance": guidance,
        "answers": describe(guidance.answers),
        "query": query,
        "hidden": _hidden_answers(guidance.answers),
        "form": form,
    }
    return render(request, "finance/result.html", context, status=status)


def _hidden_answers(answers: dict) -> list[tuple[str, str]]:
    """The answers as (name, value) pairs, for a form's hidden inputs."""
    pairs = []
    for code, value in answers.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((code, str(item)))
    return pairs


def _download(data: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _export(guidance: Guidance, fmt: str, heading: exports.Heading, name: str) -> HttpResponse:
    if fmt == "csv":
        return _download(exports.result_csv(guidance), fmt, name)
    return _download(exports.result_pdf(guidance, heading), fmt, name)


def _export_type(fmt: str) -> None:
    if fmt not in EXPORT_TYPES:
        raise Http404(_("Export a result as CSV or PDF."))


@cache_public_page
def export_result(request: HttpRequest, fmt: str) -> HttpResponse:
    _export_type(fmt)
    checked = _checked_or_form(request, request.GET)
    if isinstance(checked, HttpResponse):
        return checked
    guidance = selectors.guidance_for(checked.answers)
    link = request.build_absolute_uri(
        reverse("finance:result") + "?" + query_string(checked.answers)
    )
    heading = exports.Heading(title=_("Funding options for your project"), link=link)
    return _export(guidance, fmt, heading, "funding-options")


# --- saving a result to a city --------------------------------------------------------------------


@login_required
@require_POST
def save(request: HttpRequest) -> HttpResponse:
    cities = selectors.cities_to_save_to(request.user)
    form = SaveResultForm(request.POST, cities=cities)
    if form.is_valid() and not can(request.user, "finance.save", form.cleaned_data["city"]):
        raise PermissionDenied(_("Only the city's coordinators and editors save results to it."))
    checked = _checked_or_form(request, request.POST)  # hidden fields someone may have changed
    if isinstance(checked, HttpResponse):
        return checked
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_result(
                data["city"], answers=answer_params(request.POST), title=data["title"], note=data["note"],
                public=data["public"], by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(
                request,
                _("Saved to %(city)s. It appears on the city's dossier and in its investment "
                  "plan (IP-A2).") % {"city": saved.city.name},
            )  # fmt: skip
            return redirect("finance:saved", token=saved.token)
    guidance = selectors.guidance_for(checked.answers)
    return _render_result(request, guidance, form, status=422)


def _readable(request: HttpRequest, token: str) -> SavedResult:
    try:
        found = selectors.saved_result(token)
    except SavedResult.DoesNotExist:
        raise Http404(_("There is no saved result at this address.")) from None
    if not can(request.user, "finance.view_result", found):
        raise Http404(_("There is no saved result at this address."))
    return found


def saved(request: HttpRequest, token: str) -> HttpResponse:
    found = _readable(request, token)
    guidance = from_snapshot(found.answers, found.snapshot)
    context = {
        "saved": found,
        "city": found.city,
        "guidance": guidance,
        "answers": describe(guidance.answers),
        "query": query_string(guidance.answers),
        "may_manage": can(request.user, "finance.manage_result", found),
    }
    response = render(request, "finance/saved.html", context)
    if not found.public:
        response["Cache-Control"] = "private, no-store"
    return response


def export_saved(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    _export_type(fmt)
    found = _readable(request, token)
    heading = exports.Heading(
        title=found.title, city=found.city.name, note=found.note, saved_at=found.created_at,
        link=request.build_absolute_uri(reverse("finance:saved", args=[found.token])),
    )  # fmt: skip
    response = _export(from_snapshot(found.answers, found.snapshot), fmt, heading,
                       f"{found.city.slug}-funding-options")  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


def _managed(request: HttpRequest, token: str) -> SavedResult:
    found = _readable(request, token)
    if not can(request.user, "finance.manage_result", found):
        raise PermissionDenied(_("Only the city's coordinators and editors change its results."))
    return found


@login_required
@require_POST
def delete(request: HttpRequest, token: str) -> HttpResponse:
    found = _managed(request, token)
    city = found.city
    services.delete_result(found)
    messages.success(request, _("“%(title)s” is deleted.") % {"title": found.title})
    return redirect(reverse("cities:detail", args=[city.slug]) + "#funding-results")


@login_required
@require_POST
def visibility(request: HttpRequest, token: str) -> HttpResponse:
    found = _managed(request, token)
    form = VisibilityForm(request.POST)
    form.is_valid()  # a box left unticked is False: nothing can be invalid
    services.set_result_public(found, public=form.cleaned_data["public"])
    if found.public:
        messages.success(request, _("The result is public: it shows on the city's dossier."))
    else:
        messages.success(request, _("The result is for the city team, advisors and staff only."))
    return redirect("finance:saved", token=found.token)


# --- funding types --------------------------------------------------------------------------------


@cache_public_page
def funding_list(request: HttpRequest) -> HttpResponse:
    grouped: dict[str, list[FundingType]] = {}
    for funding in selectors.funding_type_list():
        grouped.setdefault(funding.category, []).append(funding)
    categories = [
        (FundingCategory(code).label, grouped[code])
        for code in FundingCategory.values
        if code in grouped
    ]
    return render(request, "finance/funding_list.html", {"categories": categories})


@cache_public_page
def funding_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        funding = selectors.funding_type_page(code)
    except FundingType.DoesNotExist:
        raise Http404(_("There is no such funding type.")) from None
    context = {"funding": funding, "info": selectors.funding_info(funding)}
    return render(request, "finance/funding_detail.html", context)
