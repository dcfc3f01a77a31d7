"""Writes of the review workflow: one function per use case, one transaction each."""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.models import AdvisorAssignment, CityMembership, PlatformRole
from cityzero.accounts.permissions import REVIEWER_ROLES
from cityzero.cities.models import City, LabelRound, MissionStatus
from cityzero.community.services import notify
from cityzero.contracts.models import IN_REVIEW, Iteration, IterationStatus
from cityzero.contracts.modules import BY_CODE as MODULES
from cityzero.contracts.selectors import overview
from cityzero.reviews import workflow
from cityzero.reviews.models import Assignment, Expertise, RubricScore, Stage, Transition
from cityzero.reviews.rubric import BY_CODE as CRITERIA
from cityzero.reviews.rubric import Recommendation, Score

REVIEW_DAYS = 21  # default time a reviewer is given
MAX_REVIEW_DAYS = 365
MAX_MESSAGE = 5000
MAX_SUMMARY = 10000


def _locked(iteration: Iteration) -> Iteration:
    return (
        Iteration.objects.select_for_update().select_related("contract__city").get(pk=iteration.pk)
    )


@transaction.atomic
def take_step(
    iteration: Iteration,
    code: str,
    *,
    by,
    message: str = "",
    label_round: LabelRound | None = None,
    new_round: dict[str, Any] | None = None,
) -> Transition:
    """Move the iteration one step on its way to the label, or refuse with the reason.

    Endorsing needs a label round: an existing ``label_round`` or a ``new_round`` (name,
    awarded_on, event) created with it.
    """
    step = workflow.STEPS.get(code)
    if step is None:
        raise ValidationError(_("There is no such step."))
    iteration = _locked(iteration)
    if reason := workflow.refusal(step, iteration.status):
        raise ValidationError(reason)
    message = message.strip()
    if step.message_required and not message:
        raise ValidationError(_("Write a message: “%(step)s” needs one.") % {"step": step.label})
    if len(message) > MAX_MESSAGE:
        raise ValidationError(
            _("Keep the message to %(n)s characters or fewer.") % {"n": f"{MAX_MESSAGE:,}"}
        )
    if code == "submit":
        _check_submission(iteration)
    if code == "endorse":
        _award_label(iteration, label_round or (new_round and label_round_for(**new_round)))
    transition = Transition.objects.create(
        iteration=iteration, step=code, source=iteration.status, target=step.target, actor=by,
        message=message, created_at=timezone.now(),
    )  # fmt: skip
    iteration.status = step.target
    iteration.save(update_fields=["status", "label_round", "updated_at"])
    if code == "submit":
        _carry_over_reviewers(iteration, by)
    _announce(transition, iteration)
    return transition


def _check_submission(iteration: Iteration) -> None:
    blocking = overview(iteration).blocking
    if blocking:
        raise ValidationError(
            [_("The submission checklist does not pass yet:")] + [c.message for c in blocking]
        )
    other = (
        Iteration.objects.filter(contract_id=iteration.contract_id, status__in=IN_REVIEW)
        .exclude(pk=iteration.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            _("Iteration %(n)s is still under review: wait for the decision, or withdraw it first.")
            % {"n": other.number}
        )


def _award_label(iteration: Iteration, label_round: LabelRound | None) -> None:
    if label_round is None:
        raise ValidationError(_("Choose the round in which the Mission Label is awarded."))
    iteration.label_round = label_round
    city = City.objects.select_for_update().get(pk=iteration.contract.city_id)
    if city.mission_status != MissionStatus.LABELLED:  # a later endorsement keeps the first label
        city.mission_status = MissionStatus.LABELLED
        city.label_round = label_round
        city.save(update_fields=["mission_status", "label_round"])


def _carry_over_reviewers(iteration: Iteration, by) -> None:
    """A resubmission goes back to the reviewers of the iteration it revises, with new deadlines."""
    if iteration.copied_from_id is None:
        return
    due = timezone.localdate() + datetime.timedelta(days=REVIEW_DAYS)
    city = iteration.contract.city
    for earlier in Assignment.objects.filter(iteration_id=iteration.copied_from_id).select_related(
        "reviewer"
    ):
        if _may_review(earlier.reviewer) and conflict_of_interest(earlier.reviewer, city) is None:
            Assignment.objects.create(
                iteration=iteration, reviewer=earlier.reviewer, stage=earlier.stage,
                module=earlier.module, expertise=earlier.expertise, due_on=due, assigned_by=by,
            )  # fmt: skip


def review_url(iteration: Iteration) -> str:
    return reverse("reviews:submission", args=[iteration.contract.city.slug, iteration.number])


def _people_involved(iteration: Iteration, step: str) -> set[Any]:
    """The city's team and advisors, the iteration's reviewers, and whoever acts next."""
    city_id = iteration.contract.city_id
    acts_next = {
        "submit": [PlatformRole.STAFF],
        "forward": [PlatformRole.COMMISSION_OFFICER, PlatformRole.STAFF],
        "withdraw": [PlatformRole.STAFF],
    }.get(step, [])
    return set(
        get_user_model()
        .objects.filter(
            Q(memberships__city_id=city_id)
            | Q(advised_cities__city_id=city_id)
            | Q(review_assignments__iteration=iteration)
            | Q(platform_role__in=acts_next)
        )
        .distinct()
    )


def _announce(transition: Transition, iteration: Iteration) -> None:
    city = iteration.contract.city
    status = iteration.get_status_display()
    title = _("%(city)s, contract iteration %(n)s: %(status)s") % {
        "city": city.name, "n": iteration.number, "status": status,
    }  # fmt: skip
    actor = transition.actor.display_name if transition.actor else _("The platform")
    body = _("%(actor)s: %(step)s.") % {
        "actor": actor,
        "step": workflow.STEPS[transition.step].label,
    }
    if transition.message:
        body += "\n\n" + transition.message
    recipients = {p for p in _people_involved(iteration, transition.step) if p != transition.actor}
    notify(recipients, source=f"transition:{transition.pk}", title=title, body=body,
           url=review_url(iteration))  # fmt: skip


def _may_review(person: Any) -> bool:
    return person.is_active and person.platform_role in REVIEWER_ROLES


def conflict_of_interest(reviewer: Any, city: City) -> str | None:
    """Why this person may not review this city, or None."""
    if CityMembership.objects.filter(user=reviewer, city=city).exists():
        return _("%(name)s belongs to the team of %(city)s: nobody reviews their own city.") % {
            "name": reviewer, "city": city.name,
        }  # fmt: skip
    if AdvisorAssignment.objects.filter(advisor=reviewer, city=city).exists():
        return _("%(name)s advises %(city)s: an advisor never reviews a city they advise.") % {
            "name": reviewer, "city": city.name,
        }  # fmt: skip
    return None


@transaction.atomic
def assign_reviewer(
    iteration: Iteration,
    *,
    reviewer: Any,
    stage: str,
    expertise: str,
    due_on: datetime.date,
    module: str = "",
    by,
) -> Assignment:
    iteration = _locked(iteration)
    city = iteration.contract.city
    if iteration.status not in IN_REVIEW:
        raise ValidationError(_("Reviewers are assigned to iterations under review only."))
    if not _may_review(reviewer):
        raise ValidationError(
            _("%(name)s is not an active advisor or reviewer of the platform.") % {"name": reviewer}
        )
    if reason := conflict_of_interest(reviewer, city):
        raise ValidationError(reason)
    if stage not in Stage.values:
        raise ValidationError(_("Choose the review stage."))
    if expertise not in Expertise.values:
        raise ValidationError(_("Choose what the reviewer reviews as."))
    if module and module not in MODULES:
        raise ValidationError(_("There is no such module."))
    today = timezone.localdate()
    if not today <= due_on <= today + datetime.timedelta(days=MAX_REVIEW_DAYS):
        raise ValidationError(_("The deadline must be between today and a year from now."))
    if Assignment.objects.filter(iteration=iteration, reviewer=reviewer, stage=stage,
                                 module=module).exists():  # fmt: skip
        raise ValidationError(_("%(name)s already has this task.") % {"name": reviewer})
    assignment = Assignment.objects.create(
        iteration=iteration, reviewer=reviewer, stage=stage, module=module, expertise=expertise,
        due_on=due_on, assigned_by=by,
    )  # fmt: skip
    notify(
        [reviewer],
        source=f"assignment:{assignment.pk}",
        title=_("Please review the contract of %(city)s by %(date)s")
        % {"city": city.name, "date": due_on.isoformat()},
        body=_("Stage: %(stage)s. Part: %(part)s.")
        % {
            "stage": assignment.get_stage_display(),
            "part": MODULES[module].title if module else _("the whole submission"),
        },
        url=review_url(iteration),
    )
    return assignment


@transaction.atomic
def withdraw_assignment(assignment: Assignment) -> None:
    if assignment.is_submitted:
        raise ValidationError(_("This review is submitted and stays on record."))
    assignment.delete()


@transaction.atomic
def save_review(
    assignment: Assignment,
    *,
    scores: dict[str, tuple[int | None, str]],
    recommendation: str,
    summary: str,
    submit: bool,
) -> Assignment:
    """Keep the reviewer's scores as a draft, or submit them, which makes them final."""
    assignment = (
        Assignment.objects.select_for_update().select_related("iteration").get(pk=assignment.pk)
    )
    if assignment.is_submitted:
        raise ValidationError(_("You have submitted this review; it can no longer change."))
    status, stage_status = assignment.iteration.status, workflow.STAGE_STATUS[assignment.stage]
    if status != stage_status:
        order = IterationStatus.values
        message = (
            _("The submission is not in %(stage)s yet; score it once it is.")
            if order.index(status) < order.index(stage_status)
            else _("The submission is no longer in %(stage)s; the review can no longer change.")
        )
        raise ValidationError(message % {"stage": assignment.get_stage_display()})
    errors = _score_errors(scores)
    if recommendation and recommendation not in Recommendation.values:
        errors.append(_("Choose a recommendation from the list."))
    if len(summary) > MAX_SUMMARY:
        errors.append(_("Keep the summary to 10,000 characters or fewer."))
    given = {code: value for code, value in scores.items() if value[0] is not None}
    if submit:
        errors += _completeness_errors(assignment, given, recommendation)
    if errors:
        raise ValidationError(errors)
    RubricScore.objects.filter(assignment=assignment).exclude(criterion__in=given).delete()
    for code, (score, justification) in given.items():
        RubricScore.objects.update_or_create(
            assignment=assignment, criterion=code,
            defaults={"score": score, "justification": justification.strip()},
        )  # fmt: skip
    assignment.recommendation = recommendation
    assignment.summary = summary.strip()
    assignment.submitted_at = timezone.now() if submit else None
    assignment.save(update_fields=["recommendation", "summary", "submitted_at"])
    return assignment


def _score_errors(scores: dict[str, tuple[int | None, str]]) -> list[str]:
    errors = []
    for code, (score, justification) in scores.items():
        criterion = CRITERIA.get(code)
        if criterion is None:
            errors.append(_("There is no criterion “%(code)s”.") % {"code": code})
        elif score is not None and score not in Score.values:
            errors.append(_("%(criterion)s: score from 1 to 5.") % {"criterion": criterion.name})
        elif score is not None and not justification.strip():
            errors.append(_("%(criterion)s: justify the score.") % {"criterion": criterion.name})
        elif len(justification) > MAX_MESSAGE:
            errors.append(_("%(criterion)s: keep the justification to 5,000 characters or fewer.")
                          % {"criterion": criterion.name})  # fmt: skip
    return errors


def _completeness_errors(assignment: Assignment, given: dict, recommendation: str) -> list[str]:
    errors = []
    if not recommendation:
        errors.append(_("Give your recommendation before you submit."))
    if not assignment.module and len(given) < len(CRITERIA):
        missing = ", ".join(str(c.name) for code, c in CRITERIA.items() if code not in given)
        errors.append(
            _("Score every criterion before you submit: %(missing)s.") % {"missing": missing}
        )
    if assignment.module and not given:
        errors.append(_("Score at least one criterion before you submit."))
    return errors


def label_round_for(*, name: str, awarded_on: datetime.date, event: str = "") -> LabelRound:
    """A new label round, coded by its month (or its day, when the month already has one)."""
    if not name.strip() or not isinstance(awarded_on, datetime.date):
        raise ValidationError(_("A new round needs a name and a date."))
    for code in (awarded_on.strftime("%Y-%m"), awarded_on.isoformat()):
        try:
            with transaction.atomic():  # another officer may name the same round meanwhile
                return LabelRound.objects.create(
                    code=code, name=name.strip()[:120], awarded_on=awarded_on,
                    event=event.strip()[:200],
                )  # fmt: skip
        except IntegrityError:
            continue
    raise ValidationError(_("There is already a round on that day: choose it from the list."))


REMIND_DAYS_BEFORE = 2


def remind_reviewers(today: datetime.date | None = None) -> int:
    """Remind reviewers of tasks due within two days, and again once they are overdue.

    Run daily (cron, or the task queue): each reminder is sent once, however often this runs.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    due = (
        Assignment.objects.filter(submitted_at__isnull=True, due_on__lte=soon)
        .filter(iteration__status=models.F("stage"))  # the task's stage is now
        .select_related("reviewer", "iteration__contract__city")
    )
    sent = 0
    for task in due:
        overdue = task.due_on < today
        city = task.iteration.contract.city
        title = (
            _("Overdue: your review of %(city)s's contract was due on %(date)s")
            if overdue
            else _("Reminder: your review of %(city)s's contract is due on %(date)s")
        ) % {"city": city.name, "date": task.due_on.isoformat()}
        sent += notify(
            [task.reviewer],
            source=f"reminder:{task.pk}:{task.due_on.isoformat()}:{'late' if overdue else 'soon'}",
            title=title,
            url=reverse("reviews:scorecard", args=[task.pk]),
        )
    return sent
