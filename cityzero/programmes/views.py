"""Pages of calls, applications, assessment, cohorts, pilot activities and twinning.

Public: the programmes page, published calls, cohorts, pilot activities and twinnings. An
application exists only for its cities' teams, the staff and (through their scorecard) its
assessors: anyone else gets a 404. Staff run calls from the call's "Run the call" page.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.core.cache import cache_public_page
from cityzero.programmes import answers, presentation, selectors, services
from cityzero.programmes.forms import (
    ActivityForm,
    ApplicationForm,
    ApplyForm,
    AssessorForm,
    DeliverableForm,
    EligibilityDecisionForm,
    ReportForm,
    ReportReviewForm,
    ScorecardForm,
    SelectionForm,
    TwinningForm,
    WithdrawForm,
)
from cityzero.programmes.models import (
    ActivityReport,
    Answer,
    Application,
    ApplicationStatus,
    Assessment,
    Call,
    Cohort,
    PilotActivity,
    QuestionKind,
    Tranche,
    TwinningGroup,
)
from cityzero.programmes.modules import DELIVERABLES

S = ApplicationStatus


def _staff_only(request: HttpRequest, action: str = "call.manage") -> None:
    if not can(request.user, action, None):
        raise PermissionDenied(_("This page is for the platform staff."))


def _call(request: HttpRequest, slug: str) -> Call:
    try:
        call = selectors.call_with_form(slug)
    except Call.DoesNotExist:
        raise Http404(_("There is no such call.")) from None
    if not can(request.user, "call.view", call):
        raise Http404(_("There is no such call."))
    return call


def _failed(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- public pages --------------------------------------------------------------------------------


@cache_public_page
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "calls": selectors.calls_by_phase(
            include_unpublished=can(request.user, "call.manage", None)
        ),
        "cohorts": selectors.cohorts(),
        "activities": selectors.activities(),
    }
    return render(request, "programmes/index.html", context)


@cache_public_page
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(request, slug)
    mine = selectors.applications_of(request.user, call=call)
    context = {
        "call": call,
        "phase": call.phase(),
        "deadline": presentation.deadline(call),
        "rules": presentation.rules_of(call.rules.all()),
        "mine": mine,
        "may_apply_for": selectors.cities_free_to_apply(
            call, selectors.cities_speaking_for(request.user)
        ),
        "may_manage": can(request.user, "call.manage", None),
    }
    return render(request, "programmes/call_detail.html", context)


@cache_public_page
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        view = selectors.cohort_view(slug)
    except Cohort.DoesNotExist:
        raise Http404(_("There is no such cohort.")) from None
    return render(request, "programmes/cohort_detail.html", {"view": view})


# --- applying ------------------------------------------------------------------------------------


@login_required
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    """A coordinator or editor starts a draft for one of their cities."""
    call = _call(request, slug)
    speaking = selectors.cities_speaking_for(request.user)
    chosen = request.POST.get("city", "")
    named = City.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if not speaking or (named and not can(request.user, "application.start", named)):
        raise PermissionDenied(_("Only a city's coordinators and editors apply for it."))
    free = selectors.cities_free_to_apply(call, speaking)
    if request.method != "POST":
        form = ApplyForm(cities=free, initial={"city": free[0]} if len(free) == 1 else None)
        context = {"call": call, "form": form, "all_applied": not free}
        return render(request, "programmes/apply.html", context)
    form = ApplyForm(request.POST, cities=speaking)
    if form.is_valid():
        try:
            application = services.start_application(
                call, form.cleaned_data["city"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your draft is started. Answer the questions, then submit it before the deadline."
                ),
            )
            return redirect("programmes:edit", pk=application.pk)
    return render(request, "programmes/apply.html", {"call": call, "form": form}, status=422)


def _application(request: HttpRequest, pk: int) -> Application:
    """The application, for those who may read it; a 404 for everyone else."""
    try:
        application = selectors.application_page(pk)
    except Application.DoesNotExist:
        raise Http404(_("There is no such application.")) from None
    if not can(request.user, "application.view", application):
        raise Http404(_("There is no such application."))
    return application


def _allowed(request: HttpRequest, action: str, obj: Any) -> None:
    if not can(request.user, action, obj):
        raise PermissionDenied(_("You may not do this with this application."))


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    context = {
        "applications": selectors.applications_of(request.user),
        "open_calls": selectors.calls_by_phase().open,
    }
    return render(request, "programmes/my_applications.html", context)


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    user = request.user
    preview = None
    if application.is_draft:
        verdicts = services.eligibility_of(application, on=timezone.localdate())
        preview = presentation.live_lines(verdicts)
    context = {
        "application": application,
        "call": application.call,
        "answers": [(a, answers.shown(a)) for a in application.answers.all()],
        "verdicts": presentation.verdict_lines(application.eligibility),
        "preview": preview,
        "deadline": presentation.deadline(application.call),
        "may": {
            action: can(user, f"application.{action}", application)
            for action in ("edit", "submit", "withdraw")
        },
        "may_manage": can(user, "call.manage", None),
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "programmes/application_detail.html", context)


def _partner_choices(application: Application) -> Any:
    return City.objects.exclude(pk=application.city_id).order_by("name")


@login_required
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    _allowed(request, "application.edit", application)
    posted = request.method == "POST"
    form = ApplicationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        application=application,
        cities=_partner_choices(application),
    )
    status = 200
    if posted:
        status = 422
        if form.is_valid():
            try:
                services.save_answers(
                    application,
                    values=form.values(),
                    partners=form.partners(),
                    base_version=form.cleaned_data["version"],
                    by=request.user,
                )
            except services.ApplicationConflict:
                messages.error(
                    request,
                    _(
                        "Someone else saved this draft since you opened it. Nothing of yours was "
                        "saved: their answers are shown now; enter yours again where they differ."
                    ),
                )
                return redirect("programmes:edit", pk=pk)
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            else:
                messages.success(request, _("Your answers are saved."))
                return redirect("programmes:application", pk=pk)
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "deadline": presentation.deadline(application.call),
    }
    return render(request, "programmes/application_form.html", context, status=status)


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    _allowed(request, "application.submit", application)
    try:
        application = services.submit_application(application, by=request.user)
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(
            request,
            _("The application is submitted: %(status)s.")
            % {"status": application.get_status_display()},
        )
    return redirect("programmes:application", pk=pk)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    _allowed(request, "application.withdraw", application)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.withdraw_application(application, reason=reason, by=request.user)
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, _("The application is withdrawn."))
    return redirect("programmes:application", pk=pk)


def _may_read_files(request: HttpRequest, application: Application) -> bool:
    if can(request.user, "application.view", application):
        return True
    assessments = Assessment.objects.filter(application=application, assessor=request.user.pk)
    return any(can(request.user, "application.review", a) for a in assessments)


def _download(row: Answer | ActivityReport) -> FileResponse:
    """A stored file, always as a download, never inline."""
    try:
        opened = row.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing; tell the platform staff.")) from None
    response = FileResponse(
        opened, as_attachment=True, filename=row.file_name or "file", content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def answer_file(request: HttpRequest, pk: int, code: str) -> FileResponse:
    application = get_object_or_404(Application.objects.prefetch_related("partners"), pk=pk)
    if not _may_read_files(request, application):
        raise Http404(_("There is no such application."))
    answer = get_object_or_404(
        Answer,
        application=application,
        question__code=code,
        question__kind=QuestionKind.FILE,
        stored_name__gt="",
    )
    return _download(answer)


# --- running a call (staff) ----------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    _staff_only(request)
    call = _call(request, slug)
    applications = selectors.call_applications(call)
    context = {
        "call": call,
        "phase": call.phase(),
        "deadline": presentation.deadline(call),
        "rows": [(a, presentation.verdict_lines(a.eligibility)) for a in applications],
        "drafts": selectors.draft_count(call),
        "candidates": list(selectors.assessor_candidates()),
        "decision_form": EligibilityDecisionForm(),
    }
    return render(request, "programmes/manage.html", context)


def _staff_application(request: HttpRequest, pk: int) -> Application:
    _staff_only(request)
    return get_object_or_404(Application.objects.select_related("call"), pk=pk)


def _back_to_manage(application: Application) -> HttpResponse:
    url = reverse("programmes:manage", args=[application.call.slug])
    return redirect(f"{url}#application-{application.pk}")


@login_required
@require_POST
def decide_eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = EligibilityDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and give the reason."))
        return _back_to_manage(application)
    try:
        services.decide_eligibility(
            application,
            eligible=form.cleaned_data["decision"] == "eligible",
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, _("Decided; the applicants are told."))
    return _back_to_manage(application)


@login_required
@require_POST
def assign_assessor(request: HttpRequest, pk: int) -> HttpResponse:
    application = _staff_application(request, pk)
    form = AssessorForm(request.POST, candidates=selectors.assessor_candidates())
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["assessor"]))
        return _back_to_manage(application)
    try:
        services.assign_assessor(
            application, assessor=form.cleaned_data["assessor"], by=request.user
        )
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is assigned and told.")
            % {"name": form.cleaned_data["assessor"].display_name},
        )
    return _back_to_manage(application)


@login_required
@require_POST
def remove_assessor(request: HttpRequest, pk: int) -> HttpResponse:
    _staff_only(request)
    assessment = get_object_or_404(Assessment.objects.select_related("application__call"), pk=pk)
    try:
        services.remove_assessor(assessment, by=request.user)
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, _("The assessor is removed."))
    return _back_to_manage(assessment.application)


@login_required
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    _staff_only(request)
    call = _call(request, slug)
    rows, places = selectors.ranking(call), selectors.places_left(call.cohort)
    form = SelectionForm(
        scored=selectors.scored_applications(call),
        initial={"chosen": selectors.best_that_fit(rows, places)},
    )
    return _render_ranking(request, call, rows, form, places=places)


def _render_ranking(request, call, rows, form, *, places: int, status: int = 200) -> HttpResponse:
    context = {
        "call": call,
        "rows": rows,
        "criteria": list(call.criteria.all()),
        "form": form,
        "places": places,
        "phase": call.phase(),
        "pending": selectors.pending_count(call),
    }
    return render(request, "programmes/ranking.html", context, status=status)


@login_required
@require_POST
def select(request: HttpRequest, slug: str) -> HttpResponse:
    _staff_only(request)
    call = _call(request, slug)
    form = SelectionForm(request.POST, scored=selectors.scored_applications(call))
    if form.is_valid():
        try:
            selected = services.select_for_cohort(
                call, chosen=form.cleaned_data["chosen"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(n)s applications selected into %(cohort)s; every applicant is told.")
                % {"n": len(selected), "cohort": call.cohort.name},
            )
            return redirect("programmes:ranking", slug=slug)
    places = selectors.places_left(call.cohort)
    return _render_ranking(request, call, selectors.ranking(call), form, places=places, status=422)


# --- assessors -----------------------------------------------------------------------------------


@login_required
def my_assessments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/my_assessments.html",
        {"assessments": selectors.assessments_of(request.user)},
    )


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessor's task: the application read-only, a score and justification per criterion.
    Someone else's task does not exist for you; staff read it."""
    try:
        assessment = selectors.scorecard(pk)
    except Assessment.DoesNotExist:
        raise Http404(_("There is no such assessment.")) from None
    user = request.user
    if not (can(user, "application.review", assessment) or can(user, "call.manage", None)):
        raise Http404(_("There is no such assessment."))
    application = assessment.application
    scores = {score.criterion_id: score for score in assessment.scores.all()}
    criteria = application.call.criteria.all()
    form = ScorecardForm(request.POST or None, criteria=criteria, scores=scores)
    status = 200
    if request.method == "POST":
        _allowed(request, "application.score", assessment)
        status = 422
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.save_scores(assessment, scores=form.scores(), submit=submit, by=user)
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            else:
                messages.success(
                    request,
                    _("Your assessment is submitted.")
                    if submit
                    else _("Your scores are saved as a draft."),
                )
                return redirect("programmes:scorecard", pk=pk)
    context = {
        "assessment": assessment,
        "application": application,
        "answers": [(a, answers.shown(a)) for a in application.answers.all()],
        "form": form,
        "may_score": can(user, "application.score", assessment),
        "scores": scores,
    }
    return render(request, "programmes/scorecard.html", context, status=status)


# --- pilot activities ----------------------------------------------------------------------------


def _activity(slug: str) -> PilotActivity:
    try:
        return selectors.activity_page(slug)
    except PilotActivity.DoesNotExist:
        raise Http404(_("There is no such pilot activity.")) from None


def _render_activity(request, activity, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    may = {
        "read_reports": can(user, "programme.view_reports", activity),
        "report": can(user, "programme.report", activity),
        "manage": can(user, "programme.manage", None),
    }
    context = {
        "activity": activity,
        "may": may,
        "released": sum(t.amount_eur for t in activity.tranches.all() if t.is_released),
        "report_form": forms.get("report_form") or ReportForm(),
        "review_form": ReportReviewForm(),
        "groups": activity.twinning_groups.all(),
    }
    return render(request, "programmes/activity_detail.html", context, status=status)


@cache_public_page
def activity_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_activity(request, _activity(slug))


@login_required
def activity_new(request: HttpRequest) -> HttpResponse:
    _staff_only(request, "programme.manage")
    application = _selected_application(request)
    if request.method != "POST":
        form = ActivityForm(initial=_activity_initial(application))
        return render(
            request, "programmes/activity_form.html", {"form": form, "application": application}
        )
    form = ActivityForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.create_pilot_activity(
                data["cohort"],
                title=data["title"],
                summary=data["summary"],
                lead_city=data["lead_city"],
                partner_cities=list(data["partner_cities"]),
                fields_of_action=data["fields_of_action"],
                levers=data["levers"],
                grant_eur=data["grant_eur"],
                split=data["split"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                application=application,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pilot activity is started; its cities are told."))
            return redirect("programmes:activity", slug=activity.slug)
    return render(
        request,
        "programmes/activity_form.html",
        {"form": form, "application": application},
        status=422,
    )


def _selected_application(request: HttpRequest) -> Application | None:
    """The selected application the activity comes from (``?application=``), if any."""
    pk = request.GET.get("application", "")
    if not pk.isdigit():
        return None
    return (
        Application.objects.filter(pk=pk, status=S.SELECTED)
        .select_related("call__cohort", "city")
        .prefetch_related("partners")
        .first()
    )


def _activity_initial(application: Application | None) -> dict:
    if application is None:
        return {}
    return {
        "cohort": application.call.cohort,
        "lead_city": application.city,
        "partner_cities": list(application.partners.all()),
        "title": application.call.title,
    }


@login_required
@require_POST
def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    activity = _activity(slug)
    if not can(request.user, "programme.report", activity):
        raise PermissionDenied(_("The activity's cities write its reports."))
    form = ReportForm(request.POST, request.FILES or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_report(
                activity,
                kind=data["kind"],
                body=data["body"],
                upload=data["file"] or None,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is sent to the platform staff."))
            return redirect(reverse("programmes:activity", args=[slug]) + "#reports")
    return _render_activity(request, activity, report_form=form, status=422)


@login_required
@require_POST
def report_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _staff_only(request, "programme.manage")
    report = get_object_or_404(ActivityReport, pk=pk, activity__slug=slug)
    form = ReportReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.review_report(
                report,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            _failed(request, error)
        else:
            messages.success(request, _("Decided; the cities are told."))
    return redirect(reverse("programmes:activity", args=[slug]) + "#reports")


@login_required
def report_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    report = get_object_or_404(
        ActivityReport.objects.select_related("activity"),
        pk=pk,
        activity__slug=slug,
        stored_name__gt="",
    )
    if not can(request.user, "programme.view_reports", report.activity):
        raise Http404(_("There is no such report."))
    return _download(report)


@login_required
@require_POST
def tranche_release(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _staff_only(request, "programme.manage")
    tranche = get_object_or_404(Tranche, pk=pk, activity__slug=slug)
    try:
        services.release_tranche(tranche, by=request.user)
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, _("The tranche is released; the cities are told."))
    return redirect(reverse("programmes:activity", args=[slug]) + "#grant")


@login_required
def twins(request: HttpRequest, slug: str) -> HttpResponse:
    """Suggested twin cities with the reasons, and the form pairing one or two of them."""
    _staff_only(request, "programme.manage")
    activity = _activity(slug)
    only_new = request.GET.get("only") == "non-mission"
    suggestions = selectors.twin_suggestions(activity, mission_cities=not only_new)
    cities = City.objects.filter(pk__in=[s.profile.key for s in suggestions])
    form = TwinningForm(request.POST or None, candidates=list(cities))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = services.create_twinning_group(
                    activity,
                    twins=list(data["twins"]),
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    cohort=data["cohort"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The twinning is set up; the cities are told."))
                return redirect("programmes:twinning", pk=group.pk)
    context = {
        "activity": activity,
        "pilot": selectors.pilot_profile(activity),
        "suggestions": [(s, [presentation.reason_text(r) for r in s.reasons]) for s in suggestions],
        "form": form,
        "only_new": only_new,
    }
    return render(request, "programmes/twins.html", context, status=status)


# --- twinning ------------------------------------------------------------------------------------


def _group(pk: int) -> TwinningGroup:
    try:
        return selectors.group_page(pk)
    except TwinningGroup.DoesNotExist:
        raise Http404(_("There is no such twinning.")) from None


def _render_group(request, group, *, status: int = 200, failed=None) -> HttpResponse:
    context = {
        "group": group,
        "activity": group.activity,
        "progress": selectors.module_progress(group.handed_in),
        "may_read": can(request.user, "programme.view_deliverables", group),
        "may_deliver": can(request.user, "programme.deliver", group),
        "failed": failed,  # (code, form) of a refused deliverable
        "form": DeliverableForm(),
    }
    return render(request, "programmes/group_detail.html", context, status=status)


@cache_public_page
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_group(request, _group(pk))


@login_required
@require_POST
def deliverable_submit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    group = _group(pk)
    if not can(request.user, "programme.deliver", group):
        raise PermissionDenied(_("The twin cities hand in the deliverables."))
    if code not in DELIVERABLES:
        raise Http404(_("There is no such deliverable."))
    form = DeliverableForm(request.POST)
    if form.is_valid():
        try:
            services.submit_deliverable(
                group, code=code, body=form.cleaned_data["body"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Handed in; the other cities and the staff are told."))
            return redirect(reverse("programmes:twinning", args=[pk]) + f"#{code}")
    return _render_group(request, group, status=422, failed=(code, form))
