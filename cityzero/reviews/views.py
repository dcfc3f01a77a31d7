from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import can
from cityzero.contracts.models import Iteration
from cityzero.contracts.selectors import iteration_for, overview
from cityzero.reviews import selectors, services, workflow
from cityzero.reviews.forms import AssignForm, ScorecardForm, StepForm
from cityzero.reviews.models import Assignment
from cityzero.reviews.rubric import CRITERIA


def _readable(request: HttpRequest, slug: str, number: int) -> Iteration:
    try:
        iteration = iteration_for(slug, number, request.user)
    except Iteration.DoesNotExist:
        raise Http404(_("There is no such contract iteration that you may read.")) from None
    if not can(request.user, "contract.read_comments", iteration):
        raise PermissionDenied(
            _("The review is seen by the city team, its advisors, the reviewers and the staff.")
        )
    return iteration


def _new_round(data: dict) -> dict | None:
    if not data.get("round_name"):
        return None
    return {"name": data["round_name"], "awarded_on": data["round_date"],
            "event": data.get("round_event", "")}  # fmt: skip


def _take_step(request: HttpRequest, iteration: Iteration) -> HttpResponse | StepForm:
    step = workflow.STEPS.get(request.POST.get("step", ""))
    if step is None:
        raise Http404(_("There is no such step."))
    if not can(request.user, step.permission, iteration):
        raise PermissionDenied(_("You may not take this step."))
    form = StepForm(request.POST, step=step)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.take_step(
                iteration, step.code, by=request.user, message=data["message"],
                label_round=data.get("label_round"), new_round=_new_round(data),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": step.label})
            return redirect(request.path)
    return form


def _manage_reviewers(request: HttpRequest, iteration: Iteration) -> HttpResponse | AssignForm:
    if not can(request.user, "review.manage", iteration):
        raise PermissionDenied(_("Only platform staff assign reviewers."))
    reviewers = selectors.assignable_reviewers(iteration)
    if request.POST.get("action") == "unassign":
        assignment = get_object_or_404(
            Assignment, pk=request.POST.get("assignment") or 0, iteration=iteration
        )
        try:
            services.withdraw_assignment(assignment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    form = AssignForm(request.POST, reviewers=reviewers)
    if form.is_valid():
        try:
            services.assign_reviewer(iteration, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Reviewer assigned and told."))
            return redirect(request.path)
    return form


def submission(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    iteration = _readable(request, slug, number)
    user = request.user
    forms = {
        step.code: StepForm(step=step)
        for step in workflow.steps_from(iteration.status)
        if can(user, step.permission, iteration)
    }
    may_manage = can(user, "review.manage", iteration)
    assign_form = AssignForm(reviewers=selectors.assignable_reviewers(iteration))
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        result = (
            _take_step(request, iteration) if action == "step"
            else _manage_reviewers(request, iteration)
        )  # fmt: skip
        if isinstance(result, HttpResponse):
            return result
        if isinstance(result, StepForm):
            forms[result.step.code] = result
        else:
            assign_form = result
        status = 422
    context = {
        "city": iteration.contract.city,
        "iteration": iteration,
        "submission": selectors.submission(iteration),
        "step_forms": list(forms.values()),
        "blocking": overview(iteration).blocking if "submit" in forms else [],
        "may_manage": may_manage,
        "assign_form": assign_form if may_manage else None,
        "may_read_reviews": can(user, "review.read", iteration),
        "today": timezone.localdate(),
    }
    return render(request, "reviews/submission.html", context, status=status)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("iteration__contract__city", "reviewer"), pk=pk
    )
    mine = assignment.reviewer_id == request.user.pk
    if not (mine or can(request.user, "review.oversee", None)):
        raise Http404(_("There is no such review task of yours."))
    return assignment


def _earlier_review(assignment: Assignment) -> Assignment | None:
    """The same reviewer's task on the iteration this one revises, for comparison."""
    earlier = assignment.iteration.copied_from_id
    if earlier is None:
        return None
    return (
        Assignment.objects.filter(
            iteration_id=earlier,
            reviewer_id=assignment.reviewer_id,
            stage=assignment.stage,
            module=assignment.module,
        )
        .prefetch_related("scores")
        .first()
    )


@login_required
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    may_score = can(request.user, "review.score", assignment)
    form = ScorecardForm(assignment=assignment)
    status = 200
    if request.method == "POST":
        if not may_score:
            raise PermissionDenied(_("This review can no longer change, or is not yours."))
        form = ScorecardForm(request.POST, assignment=assignment)
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.save_review(
                    assignment, scores=form.scores(),
                    recommendation=form.cleaned_data["recommendation"],
                    summary=form.cleaned_data["summary"], submit=submit,
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review submitted.") if submit else _("Draft saved."))
                return redirect(request.path)
        status = 422
    iteration = assignment.iteration
    context = {
        "assignment": assignment,
        "iteration": iteration,
        "city": iteration.contract.city,
        "form": form,
        "may_score": may_score,
        "checks": overview(iteration).checks,
        "earlier": _earlier_review(assignment),
    }
    return render(request, "reviews/scorecard.html", context, status=status)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    tasks = list(selectors.inbox_of(request.user))
    context = {
        "due": [task for task in tasks if task.is_due],
        "other": [task for task in tasks if not task.is_due],
        "today": timezone.localdate(),
        "criteria_count": len(CRITERIA),
    }
    return render(request, "reviews/inbox.html", context)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "review.oversee", None):
        raise PermissionDenied(_("The pipeline is for platform staff and Commission officers."))
    return render(request, "reviews/pipeline.html", {"pipeline": selectors.pipeline()})
