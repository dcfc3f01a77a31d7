"""A city's progress pages: its progress against the endorsed contract, each action's report
history with the form to report, each indicator's values, the reporting plan, the annual report
as PDF, and the evidence files.

Visitors and anyone outside the city's team see what the city published; its team, its
advisors and the staff see everything, unpublished items marked. Only the city's coordinators
and editors report.
"""

import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.contracts.models import Action, Indicator
from cityzero.core.cache import cache_public_page
from cityzero.core.uploads import download
from cityzero.monitoring import charts, exports, selectors, services
from cityzero.monitoring.forms import PlanForm, ReportForm, SetupForm, ValueForm, report_initial
from cityzero.monitoring.models import EvidenceFile, MonitoringPlan
from cityzero.monitoring.presentation import indicator_targets, progress_context

REFUSED = gettext_lazy(
    "Only the city's coordinators and editors report its progress. Ask one of them to add you "
    "to the team as an editor."
)
NO_CITY = gettext_lazy("There is no city at this address.")


def _city_or_404(slug: str) -> City:
    try:
        return City.objects.select_related("country").get(slug=slug)
    except City.DoesNotExist:
        raise Http404(NO_CITY) from None


def _writer(request: HttpRequest, city: City) -> HttpResponse | None:
    """For a POST: the login page for visitors; PermissionDenied for those who may not report."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "monitoring.report", city):
        raise PermissionDenied(REFUSED)
    return None


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's ValidationError next to the fields it names, the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# --- the progress page ----------------------------------------------------------------------


@cache_public_page
def city_progress(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_or_404(slug)
    try:
        monitoring = selectors.city_monitoring(city, request.user)
    except selectors.NotMonitored:
        return render(request, "monitoring/not_monitored.html", {"city": city})
    context = progress_context(monitoring)
    context["can_report"] = can(request.user, "monitoring.report", city)
    return render(request, "monitoring/city_progress.html", context)


# --- one action -----------------------------------------------------------------------------


@cache_public_page
def action(request: HttpRequest, slug: str, key: UUID) -> HttpResponse:
    city = _city_or_404(slug)
    try:
        found, reports = selectors.action_history(city, key, request.user)
    except Action.DoesNotExist:
        raise Http404(_("The city's endorsed contract has no such action.")) from None
    can_report = can(request.user, "monitoring.report", city)
    if request.method != "POST":
        form = ReportForm(initial=report_initial(reports[0] if reports else None))
        return _render_action(request, city, found, reports, form if can_report else None)
    if response := _writer(request, city):
        return response
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            report = services.report_progress(
                city, found, form.report_input(), files=form.cleaned_data["files"],
                by=request.user,
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Your report on “%(action)s” for %(day)s is saved.")
                % {"action": found.name, "day": report.reported_on.isoformat()},
            )
            budget = found.total_cost
            if selectors.spent_beyond(report, found):
                messages.warning(
                    request,
                    _("Spend beyond budget: %(spend)s € spent to date, while the contract "
                      "budgets %(budget)s € for the action.")
                    % {"spend": f"{report.spend_to_date:,.2f}", "budget": f"{budget:,.2f}"},
                )  # fmt: skip
            url = reverse("monitoring:action", args=[city.slug, found.key])
            return redirect(f"{url}#report-{report.pk}")
    return _render_action(request, city, found, reports, form, status=422)


def _render_action(request, city, found: Action, reports, form, *, status: int = 200):
    history = [(report, selectors.spent_beyond(report, found)) for report in reports]
    context = {
        "city": city,
        "action": found,
        "history": history,
        "form": form,
        "full": can(request.user, "monitoring.view_all", city),
        "had_files": bool(request.FILES),
    }
    return render(request, "monitoring/action.html", context, status=status)


# --- one indicator --------------------------------------------------------------------------


@cache_public_page
def indicator(request: HttpRequest, slug: str, key: UUID) -> HttpResponse:
    city = _city_or_404(slug)
    try:
        page = selectors.indicator_page(city, key, request.user)
    except Indicator.DoesNotExist:
        raise Http404(_("The city's endorsed contract has no such indicator to show.")) from None
    found = page.indicator
    setup = page.progress.setup
    setup_initial = {"computed_from": setup.computed_from if setup else "",
                     "public": setup.public if setup else False}  # fmt: skip
    value_form = ValueForm(initial={"unit": found.unit, "measured_on": timezone.localdate()})
    setup_form = SetupForm(initial=setup_initial)
    if request.method != "POST":
        can_edit = can(request.user, "monitoring.report", city)
        forms = (value_form, setup_form) if can_edit else (None, None)
        return _render_indicator(request, city, page, *forms)
    if response := _writer(request, city):
        return response
    if request.POST.get("what") == "setup":
        setup_form = SetupForm(request.POST)
        if setup_form.is_valid():
            try:
                services.set_up_indicator(
                    city, found, computed_from=setup_form.cleaned_data["computed_from"],
                    public=setup_form.cleaned_data["public"], by=request.user,
                )  # fmt: skip
            except ValidationError as error:
                _add_errors(setup_form, error)
            else:
                messages.success(request, _("How the indicator is kept is saved."))
                return redirect("monitoring:indicator", slug=city.slug, key=found.key)
    else:
        value_form = ValueForm(request.POST)
        if value_form.is_valid():
            try:
                value = services.record_value(
                    city, found, value_form.value_input(), by=request.user
                )
            except ValidationError as error:
                _add_errors(value_form, error)
            else:
                messages.success(
                    request,
                    _("The value for %(day)s is saved.") % {"day": value.measured_on.isoformat()},
                )
                return redirect("monitoring:indicator", slug=city.slug, key=found.key)
    return _render_indicator(request, city, page, value_form, setup_form, status=422)


def _render_indicator(request, city, page, value_form, setup_form, *, status: int = 200):
    item = page.progress
    context = {
        "city": city,
        "page": page,
        "indicator": page.indicator,
        "item": item,
        "targets": indicator_targets(page.indicator),
        "chart": charts.indicator_chart(item, chart_id="indicator-chart"),
        "series": charts.indicator_series(item),
        # a computed indicator takes no typed values; a refused attempt still shows why
        "value_form": value_form
        if value_form and (value_form.is_bound or not item.computed)
        else None,
        "setup_form": setup_form,
    }
    return render(request, "monitoring/indicator.html", context, status=status)


# --- the plan -------------------------------------------------------------------------------


def plan(request: HttpRequest, slug: str) -> HttpResponse:
    city = _city_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "monitoring.view_all", city):
        raise Http404(_("Only the city's team, its advisors and the staff see its reporting "
                        "plan."))  # fmt: skip
    can_edit = can(request.user, "monitoring.report", city)
    current = selectors.plan_of(city)
    if request.method != "POST":
        form = PlanForm(initial=_plan_initial(current)) if can_edit else None
        return _render_plan(request, city, current, form)
    if not can_edit:
        raise PermissionDenied(REFUSED)
    form = PlanForm(request.POST)
    if not form.is_valid():
        return _render_plan(request, city, current, form, status=422)
    data = form.cleaned_data
    try:
        services.update_plan(
            city, reporting_months=data["reporting_months"],
            publish_emissions=data["publish_emissions"], base_version=data["version"],
            by=request.user,
        )  # fmt: skip
    except services.EditConflict as conflict:
        post = request.POST.copy()
        post["version"] = str(conflict.current.version)
        form = PlanForm(post)
        form.is_valid()
        return _render_plan(request, city, conflict.current, form, status=409, conflict=True)
    except ValidationError as error:
        _add_errors(form, error)
        return _render_plan(request, city, current, form, status=422)
    messages.success(request, _("The monitoring plan is saved."))
    return redirect("monitoring:city", slug=city.slug)


def _plan_initial(current: MonitoringPlan) -> dict[str, Any]:
    return {"reporting_months": current.reporting_months,
            "publish_emissions": current.publish_emissions, "version": current.version}  # fmt: skip


def _render_plan(request, city, current, form, *, status: int = 200, conflict: bool = False):
    context = {"city": city, "plan": current, "form": form, "conflict": conflict}
    return render(request, "monitoring/plan.html", context, status=status)


# --- the annual report ----------------------------------------------------------------------


def annual_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    city = _city_or_404(slug)
    today = timezone.localdate()
    if year > today.year:
        raise Http404(_("A year's progress report can be made once the year has begun."))
    if year < services.EARLIEST.year:
        raise Http404(_("There is no progress to report before %(year)s.")
                      % {"year": services.EARLIEST.year})  # fmt: skip
    until = min(datetime.date(year, 12, 31), today)
    try:
        monitoring = selectors.city_monitoring(city, request.user, today=today, until=until)
    except selectors.NotMonitored:
        raise Http404(_("The city has no endorsed contract to report progress on.")) from None
    if year < monitoring.endorsed_on.year:
        raise Http404(
            _("Monitoring began with the contract's endorsement in %(year)s.")
            % {"year": monitoring.endorsed_on.year}
        )
    response = HttpResponse(
        exports.annual_report_pdf(monitoring, year, today=today), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{city.slug}-progress-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- evidence -------------------------------------------------------------------------------


def evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = (
        EvidenceFile.objects.select_related("report__city")
        .filter(pk=pk, report__city__slug=slug)
        .first()
    )
    if found is None or not can(request.user, "monitoring.open_evidence", found):
        raise Http404(_("There is no such evidence file that you may open."))
    return download(found, private=not found.report.public)
