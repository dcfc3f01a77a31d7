"""Writes of calls, applications and programmes: one function per use case, one transaction each.

Each use case checks its input, takes its step of ``workflow.STEPS`` (or refuses with the reason),
records it, and tells the people concerned (``community.services.notify``). Who may act is the
views' question (``accounts.permissions``); what is possible when is answered here.
"""

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, SuspiciousFileOperation, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.accounts.permissions import REVIEWER_ROLES
from cityzero.cities.models import MISSION_CITY_STATUSES, City
from cityzero.community.services import notify
from cityzero.core.cache import bump_public_data_version
from cityzero.core.markdown import render_markdown
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.programmes import answers, eligibility, tranches, workflow
from cityzero.programmes.eligibility import Fact, Outcome
from cityzero.programmes.models import (
    MAX_DESCRIPTION,
    MAX_GRANT_EUR,
    MAX_JUSTIFICATION,
    ActivityReport,
    Answer,
    Application,
    ApplicationStatus,
    ApplicationTransition,
    Assessment,
    Call,
    Cohort,
    CohortMember,
    Deliverable,
    PilotActivity,
    ProgrammeKind,
    QuestionKind,
    ReportKind,
    ReportStatus,
    Score,
    Tranche,
    TrancheTrigger,
    TwinningGroup,
)
from cityzero.programmes.modules import DELIVERABLES, required_before
from cityzero.programmes.selectors import pilot_and_twin_city_ids
from cityzero.reviews.services import conflict_of_interest

S = ApplicationStatus
SPEAKING_ROLES = (CityRole.COORDINATOR, CityRole.EDITOR)
MAX_TITLE = 200
MAX_PARTNER_CITIES = 20
TWINNING_MONTHS = (12, 20)


class ApplicationConflict(Exception):
    """Someone else saved the draft since it was opened; ``current`` is the draft as it is now."""

    def __init__(self, current: Application) -> None:
        super().__init__("edit conflict")
        self.current = current


def application_url(application: Application) -> str:
    return reverse("programmes:application", args=[application.pk])


def time_zone_name() -> str:
    return settings.TIME_ZONE


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def _text(value: str, *, limit: int, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(missing)
    if len(value) > limit:
        raise ValidationError(
            _("Keep it to %(n)s characters or fewer; this is %(length)s.")
            % {"n": f"{limit:,}", "length": f"{len(value):,}"}
        )
    return value


def _shown_name(name: str, extension: str) -> str:
    try:
        return get_valid_filename(PurePath(name or "").name)[:200]
    except SuspiciousFileOperation:
        return f"file.{extension}"


def _store_file(row: Any, upload: Any, stored: list[Any]) -> None:
    """Keep a checked upload (its ``.kind`` set) on ``row`` under a random name."""
    extension = upload.kind.extension
    row.stored_name = f"{uuid.uuid4().hex}.{extension}"
    row.file_name = _shown_name(upload.name, extension)
    row.content_type = upload.kind.mime
    row.file.save(row.stored_name, upload, save=False)
    stored.append(row.file)


def _forget_files_on_failure(stored: list[Any]) -> None:
    for file in stored:
        file.storage.delete(file.name)


def _delete_after_commit(file: Any) -> None:
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _speakers(city_ids: Iterable[int]) -> list[Any]:
    """The coordinators and editors of these cities: the people who speak for them."""
    return list(
        get_user_model()
        .objects.filter(
            memberships__city_id__in=list(city_ids), memberships__role__in=SPEAKING_ROLES
        )
        .distinct()
    )


def _applicants(application: Application) -> list[Any]:
    """Who hears about an application: its cities' speakers and whoever submitted it."""
    people = _speakers(application.city_ids)
    return [*people, application.submitted_by] if application.submitted_by else people


def _staff() -> list[Any]:
    return list(get_user_model().objects.filter(platform_role=PlatformRole.STAFF))


# --- calls ---------------------------------------------------------------------------------------


@transaction.atomic
def save_call(call: Call) -> Call:
    """Check a call as staff wrote it and keep it, its description rendered once, here."""
    call.full_clean()
    call.description_html = render_markdown(call.description_md)
    call.save()
    return call


# --- applying ------------------------------------------------------------------------------------


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__cohort", "city__country")
        .get(pk=application.pk)
    )


def _take(application: Application, code: str, *, by, message: str = "") -> ApplicationTransition:
    """Move the (locked) application one step, or refuse with the reason; the step is kept."""
    step = workflow.STEPS[code]
    if reason := workflow.refusal(step, application.status):
        raise ValidationError(reason)
    transition = ApplicationTransition.objects.create(
        application=application,
        step=code,
        source=application.status,
        target=step.target,
        actor=by,
        message=message,
        created_at=timezone.now(),
    )
    application.status = step.target
    return transition


def _call_is_taking_applications(call: Call) -> None:
    if not call.published:
        raise ValidationError(_("This call is not published."))
    phase = call.phase()
    if phase == "upcoming":
        raise ValidationError(_("The call opens on %(day)s.") % {"day": _day(call.opens_on)})
    if phase == "closed":
        raise ValidationError(
            _("The call closed on %(day)s at 23:59 (%(zone)s time); it takes no more applications.")
            % {"day": _day(call.closes_on), "zone": time_zone_name()}
        )


def _live_applications(call: Call) -> Any:
    return Application.objects.filter(call=call).exclude(status=S.WITHDRAWN)


def _taken_by(call: Call, city: City, *, besides: Application | None = None) -> str | None:
    """Why ``city`` cannot join an(other) application to ``call``, or None."""
    others = _live_applications(call)
    if besides is not None:
        others = others.exclude(pk=besides.pk)
    other = others.filter(Q(city=city) | Q(partners=city)).select_related("city").first()
    if other is None:
        return None
    if other.city_id == city.pk:
        return _("%(city)s has an application to this call already.") % {"city": city.name}
    return _("%(city)s is a partner in the application of %(lead)s to this call.") % {
        "city": city.name,
        "lead": other.city.name,
    }


@transaction.atomic
def start_application(call: Call, city: City, *, by) -> Application:
    """A city's coordinator or editor starts a draft application to an open call."""
    _call_is_taking_applications(call)
    if Application.objects.filter(call=call, city=city).exists():
        raise ValidationError(
            _("%(city)s has an application to this call already.") % {"city": city.name}
        )
    if reason := _taken_by(call, city):
        raise ValidationError(reason)
    application = Application.objects.create(call=call, city=city, created_by=by, updated_by=by)
    ApplicationTransition.objects.create(
        application=application,
        step="start",
        source="",
        target=S.DRAFT,
        actor=by,
        created_at=timezone.now(),
    )
    return application


def _partner_problems(application: Application, partners: Sequence[City]) -> list[str]:
    call = application.call
    if not partners:
        return []
    if not call.allows_partners:
        return [_("This call takes applications of single cities only.")]
    found = []
    if len(partners) > call.max_partners:
        found.append(_("Name at most %(n)s partner cities.") % {"n": call.max_partners})
    if any(city.pk == application.city_id for city in partners):
        found.append(_("The lead city is not its own partner."))
    found += [
        reason
        for city in partners
        if city.pk != application.city_id and (reason := _taken_by(call, city, besides=application))
    ]
    return found


@transaction.atomic
def save_answers(
    application: Application,
    *,
    values: Mapping[str, Any],
    base_version: int,
    by,
    partners: Sequence[City] | None = None,
) -> Application:
    """Keep a draft's answers (all or nothing). An empty value clears an answer; a file question
    without a new file keeps its file. Required questions are checked on submission."""
    application = _locked(application)
    if not application.is_draft:
        raise ValidationError(_("This application is submitted: nothing in it can change now."))
    if application.version != base_version:
        raise ApplicationConflict(application)
    questions = {q.code: q for q in application.call.questions.all()}
    errors: dict[str, list[str]] = {}
    for code, value in values.items():
        question = questions.get(code)
        if question is None:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _("There is no question “%(code)s” in this call.") % {"code": code}
            )
        elif problem := answers.problem(question, value):
            errors[code] = [problem]
    if partners is not None and (found := _partner_problems(application, list(partners))):
        errors["partners"] = found
    if errors:
        raise ValidationError(errors)
    current = {answer.question_id: answer for answer in application.answers.all()}
    stored: list[Any] = []
    try:
        for code, value in values.items():
            _keep_answer(application, questions[code], value, current, stored)
    except Exception:
        _forget_files_on_failure(stored)
        raise
    if partners is not None:
        application.partners.set(partners)
    application.version += 1
    application.updated_by = by
    application.save(update_fields=["version", "updated_by", "updated_at"])
    return application


def _keep_answer(application, question, value, current: dict, stored: list) -> None:
    answer = current.get(question.pk)
    if question.kind == QuestionKind.FILE:
        if value in (None, ""):
            return  # no new file: the one there stays
        answer = answer or Answer(application=application, question=question)
        if answer.stored_name:
            _delete_after_commit(answer.file)
        _store_file(answer, value, stored)
        answer.size = value.size
        answer.save()
    elif value in (None, ""):
        if answer is not None:
            answer.delete()
    else:
        answer = answer or Answer(application=application, question=question)
        answer.value = answers.stored(question, value)
        answer.save()


def _facts(application: Application, *, on: date) -> list[eligibility.Facts]:
    """What is known of each city of the application on ``on``: the lead first, then partners.

    Declared answers hold for the whole application; the population declared is the lead
    city's, and partners' populations come from their records.
    """
    declared, sources = {}, {}
    for answer in application.answers.select_related("question").exclude(question__fact=""):
        value = answers.fact_value(answer.question, answer.value)
        if value is not None:
            declared[answer.question.fact] = value
            sources[answer.question.fact] = _("declared in the application")
    cities = [application.city, *application.partners.select_related("country").order_by("name")]
    engaged = pilot_and_twin_city_ids([city.pk for city in cities])
    found = []
    for index, city in enumerate(cities):
        values = {
            **declared,
            Fact.EU_MEMBER: city.country.eu_member,
            Fact.HORIZON_ASSOCIATED: city.country.horizon_associated,
            Fact.MISSION_CITY: city.mission_status in MISSION_CITY_STATUSES,
            Fact.PILOT_OR_TWIN: city.pk in engaged,
        }
        city_sources = dict(sources)
        if index > 0 or Fact.POPULATION not in declared:
            values[Fact.POPULATION] = city.population
            city_sources[Fact.POPULATION] = _("platform record: %(source)s") % {
                "source": city.population_source or _("source not stated")
            }
        found.append(eligibility.Facts(city.name, on, values, city_sources))
    return found


def eligibility_of(application: Application, *, on: date) -> list[eligibility.Verdict]:
    """The call's rules checked against the application as it stands (nothing is saved)."""
    rules = [rule.rule for rule in application.call.rules.all()]
    return eligibility.check_all(rules, _facts(application, on=on))


def _verdict_record(verdict: eligibility.Verdict) -> dict[str, Any]:
    return {
        "rule": verdict.rule,
        "outcome": verdict.outcome.value,
        "template": verdict.template,
        "params": dict(verdict.params),
    }


def _missing_answers(application: Application) -> list[str]:
    given = {a.question_id: a for a in application.answers.select_related("question")}
    return [
        question.label
        for question in application.call.questions.all()
        if question.required and not answers.is_given(given.get(question.pk))
    ]


@transaction.atomic
def submit_application(application: Application, *, by) -> Application:
    """Submit before the deadline (server time), every required question answered; the
    eligibility rules are then checked at once, and the applicants told the result."""
    application = _locked(application)
    if reason := workflow.refusal(workflow.STEPS["submit"], application.status):
        raise ValidationError(reason)
    now, call = timezone.now(), application.call
    if now >= call.deadline:
        raise ValidationError(
            _(
                "The call closed on %(day)s at 23:59 (%(zone)s time): the application can no "
                "longer be submitted."
            )
            % {"day": _day(call.closes_on), "zone": time_zone_name()}
        )
    if now < call.opens_at:
        raise ValidationError(_("The call opens on %(day)s.") % {"day": _day(call.opens_on)})
    if missing := _missing_answers(application):
        raise ValidationError(
            _("Answer every required question before you submit: %(missing)s.")
            % {"missing": "; ".join(missing)}
        )
    _take(application, "submit", by=by)
    application.submitted_at, application.submitted_by = now, by
    verdicts = eligibility_of(application, on=timezone.localdate(now))
    outcome = eligibility.overall(verdicts)
    application.eligibility = [_verdict_record(verdict) for verdict in verdicts]
    application.eligibility_outcome = outcome.value
    if outcome == Outcome.PASSED:
        _take(application, "find_eligible", by=None)
    elif outcome == Outcome.FAILED:
        _take(application, "find_ineligible", by=None)
    application.version += 1
    application.save()
    _announce_eligibility(application, outcome)
    return application


def _announce_eligibility(application: Application, outcome: Outcome) -> None:
    call, city = application.call, application.city
    titles = {
        Outcome.PASSED: _("The application of %(city)s to “%(call)s” is eligible"),
        Outcome.FAILED: _("The application of %(city)s to “%(call)s” is not eligible"),
        Outcome.UNKNOWN: _("The application of %(city)s to “%(call)s” is submitted"),
    }
    bodies = {
        Outcome.PASSED: _("Every eligibility rule is met. Assessors will now score it."),
        Outcome.FAILED: _(
            "At least one eligibility rule is not met: the application page says which, and why."
        ),
        Outcome.UNKNOWN: _(
            "The eligibility check could not tell everything from the answers; "
            "the platform staff will decide and tell you."
        ),
    }
    names = {"city": city.name, "call": call.title}
    notify(
        _applicants(application),
        source=f"application:{application.pk}:eligibility",
        title=titles[outcome] % names,
        body=bodies[outcome],
        url=application_url(application),
    )
    if outcome == Outcome.UNKNOWN:
        notify(
            _staff(),
            source=f"application:{application.pk}:eligibility-staff",
            title=_("Decide the eligibility of %(city)s for “%(call)s”") % names,
            url=reverse("programmes:manage", args=[call.slug]),
        )


@transaction.atomic
def decide_eligibility(application: Application, *, eligible: bool, reason: str, by) -> Application:
    """Staff decide what the automatic check could not tell, and say why."""
    reason = _text(
        reason, limit=MAX_JUSTIFICATION, missing=_("Say why: the applicants are told your reason.")
    )
    application = _locked(application)
    transition = _take(
        application, "find_eligible" if eligible else "find_ineligible", by=by, message=reason
    )
    application.save(update_fields=["status", "updated_at"])
    names = {"city": application.city.name, "call": application.call.title}
    title = (
        _("The application of %(city)s to “%(call)s” is eligible")
        if eligible
        else _("The application of %(city)s to “%(call)s” is not eligible")
    )
    notify(
        _applicants(application),
        source=f"application:{application.pk}:decided:{transition.pk}",
        title=title % names,
        body=reason,
        url=application_url(application),
    )
    return application


@transaction.atomic
def withdraw_application(application: Application, *, by, reason: str = "") -> Application:
    application = _locked(application)
    if len(reason) > MAX_JUSTIFICATION:
        raise ValidationError(_("Keep the reason to 5,000 characters or fewer."))
    was_draft = application.is_draft
    _take(application, "withdraw", by=by, message=reason.strip())
    application.save(update_fields=["status", "updated_at"])
    if not was_draft:
        notify(
            _staff(),
            source=f"application:{application.pk}:withdrawn",
            title=_("%(city)s withdrew its application to “%(call)s”")
            % {"city": application.city.name, "call": application.call.title},
            body=reason.strip(),
            url=application_url(application),
        )
    return application


# --- assessment ----------------------------------------------------------------------------------


def _may_assess(person: Any) -> bool:
    return person.is_active and person.platform_role in REVIEWER_ROLES


@transaction.atomic
def assign_assessor(application: Application, *, assessor, by) -> Assessment:
    """Staff give an eligible application to an assessor without a conflict of interest."""
    application = _locked(application)
    if application.status not in (S.ELIGIBLE, S.UNDER_ASSESSMENT):
        raise ValidationError(
            _("Assessors are assigned to eligible applications only; this one is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    if not _may_assess(assessor):
        raise ValidationError(
            _("%(name)s is not an active reviewer or advisor of the platform.") % {"name": assessor}
        )
    for city in [application.city, *application.partners.all()]:
        if reason := conflict_of_interest(assessor, city):
            raise ValidationError(reason)
    if application.assessments.filter(assessor=assessor).exists():
        raise ValidationError(_("%(name)s assesses this application already.") % {"name": assessor})
    assessment = Assessment.objects.create(
        application=application, assessor=assessor, assigned_by=by
    )
    if application.status == S.ELIGIBLE:
        _take(application, "start_assessment", by=by)
        application.save(update_fields=["status", "updated_at"])
    notify(
        [assessor],
        source=f"assessment:{assessment.pk}",
        title=_("Please assess the application of %(city)s to “%(call)s”")
        % {"city": application.city.name, "call": application.call.title},
        url=reverse("programmes:scorecard", args=[assessment.pk]),
    )
    return assessment


def _complete_if_scored(application: Application) -> None:
    """Once every assigned assessor has submitted, the (locked) application is scored."""
    statuses = list(application.assessments.values_list("submitted_at", flat=True))
    if application.status == S.UNDER_ASSESSMENT and statuses and all(statuses):
        _take(application, "complete_scoring", by=None)
        application.save(update_fields=["status", "updated_at"])


@transaction.atomic
def remove_assessor(assessment: Assessment, *, by) -> None:
    application = _locked(assessment.application)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError(_("This assessment is submitted and stays on record."))
    assessment.delete()
    _complete_if_scored(application)


def _score_problems(criteria: dict, scores: Mapping[int, tuple[Any, str]]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for key, (score, justification) in scores.items():
        criterion = criteria.get(key)
        if criterion is None:
            errors.setdefault(NON_FIELD_ERRORS, []).append(_("There is no such criterion."))
            continue
        field, justification = f"score_{key}", (justification or "").strip()
        if score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not 0 <= score <= criterion.max_score
        ):
            errors[field] = [_("Score from 0 to %(max)s.") % {"max": criterion.max_score}]
        elif score is not None and not justification:
            errors[f"justification_{key}"] = [_("Justify the score.")]
        elif len(justification) > MAX_JUSTIFICATION:
            errors[f"justification_{key}"] = [
                _("Keep the justification to 5,000 characters or fewer.")
            ]
    return errors


@transaction.atomic
def save_scores(
    assessment: Assessment, *, scores: Mapping[int, tuple[Any, str]], submit: bool, by
) -> Assessment:
    """Keep an assessor's scores (criterion id → score, justification) as a draft, or submit
    them, which makes them final: every criterion scored, every score justified."""
    application = _locked(assessment.application)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError(_("You have submitted this assessment; it can no longer change."))
    if application.status != S.UNDER_ASSESSMENT:
        raise ValidationError(
            _("The application is no longer under assessment (“%(status)s”).")
            % {"status": application.get_status_display()}
        )
    criteria = {c.pk: c for c in application.call.criteria.all()}
    errors = _score_problems(criteria, scores)
    given = {key: value for key, value in scores.items() if value[0] is not None}
    if (
        submit
        and not errors
        and (missing := [c.name for k, c in criteria.items() if k not in given])
    ):
        errors[NON_FIELD_ERRORS] = [
            _("Score every criterion before you submit: %(missing)s.")
            % {"missing": ", ".join(missing)}
        ]
    if errors:
        raise ValidationError(errors)
    Score.objects.filter(assessment=assessment).exclude(criterion_id__in=given).delete()
    for key, (score, justification) in given.items():
        Score.objects.update_or_create(
            assessment=assessment,
            criterion_id=key,
            defaults={"score": score, "justification": justification.strip()},
        )
    if submit:
        assessment.submitted_at = timezone.now()
        assessment.save(update_fields=["submitted_at"])
        _complete_if_scored(application)
    return assessment


# --- selection -----------------------------------------------------------------------------------


@transaction.atomic
def select_for_cohort(call: Call, *, chosen: Iterable[Application], by) -> list[Application]:
    """Staff decide a closed call: the chosen scored applications join the cohort (as many
    cities as it has places), every other scored one is not selected, and all are told."""
    call = Call.objects.select_for_update().select_related("cohort").get(pk=call.pk)
    if call.decided:
        raise ValidationError(
            _("The selection was made on %(day)s; it is final.")
            % {"day": _day(timezone.localdate(call.results_published_at))}
        )
    if timezone.now() < call.deadline:
        raise ValidationError(
            _("The call is open until %(day)s: select once it has closed.")
            % {"day": _day(call.closes_on)}
        )
    applications = list(
        call.applications.select_for_update(of=("self",))
        .select_related("city")
        .prefetch_related("partners")
    )
    if pending := [a.city.name for a in applications if a.status in workflow.PENDING]:
        raise ValidationError(
            _(
                "Some applications are not scored yet: %(cities)s. Finish their eligibility and "
                "assessment first."
            )
            % {"cities": ", ".join(sorted(pending))}
        )
    chosen_ids = {application.pk for application in chosen}
    scored = [a for a in applications if a.status == S.SCORED]
    if unknown := chosen_ids - {a.pk for a in scored}:
        raise ValidationError(
            _("Only this call's scored applications can be selected (%(n)s chosen are not).")
            % {"n": len(unknown)}
        )
    selected = [a for a in scored if a.pk in chosen_ids]
    _check_places(call.cohort, selected)
    today = timezone.localdate()
    for application in scored:
        _take(application, "select" if application in selected else "not_select", by=by)
        application.save(update_fields=["status", "updated_at"])
    CohortMember.objects.bulk_create(
        CohortMember(
            cohort=call.cohort,
            city_id=city_id,
            application=application,
            joined_on=today,
            source=call.title,
        )
        for application in selected
        for city_id in sorted(application.city_ids)
    )
    transaction.on_commit(bump_public_data_version)  # bulk rows send no signal
    call.results_published_at, call.results_published_by = timezone.now(), by
    call.save(update_fields=["results_published_at", "results_published_by"])
    for application in scored:
        _announce_outcome(application)
    return selected


def _check_places(cohort: Cohort, selected: list[Application]) -> None:
    members = set(cohort.members.values_list("city_id", flat=True))
    needed = {city_id for application in selected for city_id in application.city_ids}
    if already := needed & members:
        names = City.objects.filter(pk__in=already).order_by("name").values_list("name", flat=True)
        raise ValidationError(
            _("Already in the cohort: %(cities)s.") % {"cities": ", ".join(names)}
        )
    places = cohort.capacity - len(members)
    if len(needed) > places:
        raise ValidationError(
            _(
                "The cohort has %(places)s places left; the chosen applications bring %(needed)s "
                "cities. Choose fewer."
            )
            % {"places": places, "needed": len(needed)}
        )


def _announce_outcome(application: Application) -> None:
    names = {
        "city": application.city.name,
        "call": application.call.title,
        "cohort": application.call.cohort.name,
    }
    if application.status == S.SELECTED:
        title = _("%(city)s is selected for %(cohort)s") % names
        body = _("Congratulations: the application to “%(call)s” is selected.") % names
    else:
        title = _("%(city)s is not selected for %(cohort)s") % names
        body = _("The application to “%(call)s” was scored but not selected this time.") % names
    notify(
        _applicants(application),
        source=f"application:{application.pk}:outcome",
        title=title,
        body=body,
        url=application_url(application),
    )


# --- pilot activities ----------------------------------------------------------------------------


def activity_url(activity: PilotActivity) -> str:
    return reverse("programmes:activity", args=[activity.slug])


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "activity"
    slug, n = base, 2
    while PilotActivity.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _activity_problems(
    *,
    cohort,
    title,
    lead_city,
    partner_cities,
    fields_of_action,
    levers,
    grant_eur,
    split,
    starts_on,
    ends_on,
) -> list[str]:
    found = []
    if cohort.kind != ProgrammeKind.PILOT:
        found.append(_("Pilot activities belong to a cohort of the Pilot Cities Programme."))
    if not title.strip() or len(title) > MAX_TITLE:
        found.append(_("Give a title of at most 200 characters."))
    if lead_city in partner_cities:
        found.append(_("The lead city is not its own partner."))
    if len(partner_cities) > MAX_PARTNER_CITIES:
        found.append(_("Name at most 20 partner cities."))
    if not fields_of_action or not set(fields_of_action) <= set(FieldOfAction.values):
        found.append(_("Choose the field(s) of action the activity works on."))
    if not set(levers) <= set(SystemicLever.values):
        found.append(_("Choose levers from the list."))
    if (
        isinstance(grant_eur, bool)
        or not isinstance(grant_eur, int)
        or not 0 < grant_eur <= MAX_GRANT_EUR
    ):
        found.append(_("Give the grant in whole euros, up to €100,000,000."))
    if len(split) != len(tranches.TRIGGERS) or sum(split) != 100 or min(split) < 0:
        found.append(_("The tranches are three percentages that add up to 100, e.g. 40/40/20."))
    if ends_on <= starts_on:
        found.append(_("The activity ends after it starts."))
    return found


@transaction.atomic
def create_pilot_activity(
    cohort: Cohort,
    *,
    title: str,
    summary: str,
    lead_city: City,
    partner_cities: Sequence[City] = (),
    fields_of_action: Sequence[str],
    levers: Sequence[str] = (),
    grant_eur: int,
    split: Sequence[int] = tranches.DEFAULT_SPLIT,
    starts_on: date,
    ends_on: date,
    application: Application | None = None,
    by,
) -> PilotActivity:
    """Staff start a pilot activity, its grant split into tranches (``tranches.amounts``)."""
    partner_cities = list(partner_cities)
    if found := _activity_problems(
        cohort=cohort,
        title=title,
        lead_city=lead_city,
        partner_cities=partner_cities,
        fields_of_action=fields_of_action,
        levers=levers,
        grant_eur=grant_eur,
        split=split,
        starts_on=starts_on,
        ends_on=ends_on,
    ):
        raise ValidationError(found)
    summary = summary.strip()[:MAX_DESCRIPTION]
    activity = PilotActivity.objects.create(
        cohort=cohort,
        application=application,
        title=title.strip(),
        slug=_unique_slug(title),
        summary_md=summary,
        summary_html=render_markdown(summary),
        lead_city=lead_city,
        fields_of_action=sorted(set(fields_of_action)),
        levers=sorted(set(levers)),
        grant_eur=grant_eur,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    activity.partner_cities.set(partner_cities)
    Tranche.objects.bulk_create(
        Tranche(activity=activity, trigger=trigger, share_pct=share, amount_eur=amount)
        for trigger, share, amount in tranches.amounts(grant_eur, split)
    )
    transaction.on_commit(bump_public_data_version)  # bulk rows send no signal
    notify(
        _speakers(activity.city_ids),
        source=f"activity:{activity.pk}:created",
        title=_("Pilot activity started: %(title)s") % {"title": activity.title},
        url=activity_url(activity),
    )
    return activity


def _release(tranche: Tranche, *, by) -> None:
    tranche.released_at, tranche.released_by = timezone.now(), by
    tranche.save(update_fields=["released_at", "released_by"])
    activity = tranche.activity
    notify(
        _speakers(activity.city_ids),
        source=f"tranche:{tranche.pk}:released",
        title=_("€%(amount)s of the grant for “%(title)s” is released")
        % {"amount": f"{int(tranche.amount_eur):,}", "title": activity.title},
        body=str(tranche.get_trigger_display()),
        url=activity_url(activity),
    )


@transaction.atomic
def release_tranche(tranche: Tranche, *, by) -> Tranche:
    """Staff release the first tranche once the grant agreement is signed; the others are
    released by approving the reports."""
    tranche = Tranche.objects.select_for_update().select_related("activity").get(pk=tranche.pk)
    if tranche.is_released:
        raise ValidationError(
            _("This tranche was released on %(day)s.")
            % {"day": _day(timezone.localdate(tranche.released_at))}
        )
    if tranche.trigger != TrancheTrigger.START:
        raise ValidationError(
            _("This tranche is released when staff approve the %(report)s.")
            % {"report": ReportKind(tranche.trigger).label.lower()}
        )
    _release(tranche, by=by)
    return tranche


@transaction.atomic
def submit_report(
    activity: PilotActivity, *, kind: str, body: str, upload: Any = None, by
) -> ActivityReport:
    """The activity's cities report; staff approve, which releases the tranche of that report."""
    if kind not in ReportKind.values:
        raise ValidationError(_("Choose the interim or the final report."))
    body = _text(body, limit=MAX_DESCRIPTION, missing=_("Write the report."))
    activity = PilotActivity.objects.select_for_update().get(pk=activity.pk)
    live = {r.kind: r for r in activity.reports.exclude(status=ReportStatus.RETURNED)}
    if kind in live:
        raise ValidationError(
            _("The %(report)s is in already (%(status)s).")
            % {"report": ReportKind(kind).label.lower(), "status": live[kind].get_status_display()}
        )
    interim = live.get(ReportKind.INTERIM)
    if kind == ReportKind.FINAL and (interim is None or interim.status != ReportStatus.APPROVED):
        raise ValidationError(_("Submit the final report once the interim report is approved."))
    if upload is not None and (problem := answers.problem_with_file(upload)):
        raise ValidationError(problem)
    report = ActivityReport(
        activity=activity,
        kind=kind,
        body_md=body,
        body_html=render_markdown(body),
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    stored: list[Any] = []
    try:
        if upload is not None:
            _store_file(report, upload, stored)
        report.save()
    except Exception:
        _forget_files_on_failure(stored)
        raise
    notify(
        _staff(),
        source=f"report:{report.pk}:submitted",
        title=_("%(report)s of “%(title)s” to approve")
        % {"report": report.get_kind_display(), "title": activity.title},
        url=activity_url(activity) + "#reports",
    )
    return report


@transaction.atomic
def review_report(report: ActivityReport, *, approve: bool, note: str, by) -> ActivityReport:
    report = ActivityReport.objects.select_for_update().select_related("activity").get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("This report is decided already (%(status)s).")
            % {"status": report.get_status_display()}
        )
    note = note.strip()
    if not approve and not note:
        raise ValidationError(_("Say what the cities should change."))
    if len(note) > MAX_JUSTIFICATION:
        raise ValidationError(_("Keep the note to 5,000 characters or fewer."))
    report.status = ReportStatus.APPROVED if approve else ReportStatus.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = by, timezone.now(), note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    activity = report.activity
    if approve:
        tranche = activity.tranches.select_for_update().filter(trigger=report.kind).first()
        if tranche is not None and not tranche.is_released:
            _release(tranche, by=by)
    notify(
        _speakers(activity.city_ids),
        source=f"report:{report.pk}:reviewed",
        title=(
            _("%(report)s of “%(title)s” approved")
            if approve
            else _("%(report)s of “%(title)s”: changes requested")
        )
        % {"report": report.get_kind_display(), "title": activity.title},
        body=note,
        url=activity_url(activity) + "#reports",
    )
    return report


# --- twinning ------------------------------------------------------------------------------------


def group_url(group: TwinningGroup) -> str:
    return reverse("programmes:twinning", args=[group.pk])


@transaction.atomic
def create_twinning_group(
    activity: PilotActivity,
    *,
    twins: Sequence[City],
    starts_on: date,
    ends_on: date,
    cohort: Cohort | None = None,
    by,
) -> TwinningGroup:
    """Staff pair a pilot activity with one twin city, or make a trio with two."""
    twins = list(dict.fromkeys(twins))
    if not 1 <= len(twins) <= 2:
        raise ValidationError(_("A twinning is a pair or a trio: choose one or two twin cities."))
    if inside := [city.name for city in twins if city.pk in activity.city_ids]:
        raise ValidationError(
            _("%(cities)s run the pilot activity itself.") % {"cities": ", ".join(inside)}
        )
    engaged = pilot_and_twin_city_ids([city.pk for city in twins])
    if taken := [city.name for city in twins if city.pk in engaged]:
        raise ValidationError(
            _("Already a pilot or twin city: %(cities)s.") % {"cities": ", ".join(taken)}
        )
    shortest, longest = (eligibility.add_months(starts_on, n) for n in TWINNING_MONTHS)
    if not shortest <= ends_on <= longest:
        raise ValidationError(
            _("A twinning lasts 12 to 20 months: end it between %(first)s and %(last)s.")
            % {"first": _day(shortest), "last": _day(longest)}
        )
    if cohort is not None and cohort.kind != ProgrammeKind.TWINNING:
        raise ValidationError(_("Choose a cohort of the Twinning Learning Programme."))
    group = TwinningGroup.objects.create(
        activity=activity, cohort=cohort, starts_on=starts_on, ends_on=ends_on, created_by=by
    )
    group.twins.set(twins)
    notify(
        _speakers(group.city_ids),
        source=f"twinning:{group.pk}:created",
        title=_("Twinning on “%(title)s”: %(cities)s")
        % {"title": activity.title, "cities": ", ".join(city.name for city in twins)},
        url=group_url(group),
    )
    return group


@transaction.atomic
def submit_deliverable(group: TwinningGroup, *, code: str, body: str, by) -> Deliverable:
    """The twins hand in a module's deliverable, module after module; it stays as handed in."""
    deliverable = DELIVERABLES.get(code)
    if deliverable is None:
        raise ValidationError(_("There is no such deliverable."))
    body = _text(body, limit=MAX_DESCRIPTION, missing=_("Write the deliverable."))
    group = TwinningGroup.objects.select_for_update().select_related("activity").get(pk=group.pk)
    handed_in = set(group.deliverables.values_list("code", flat=True))
    if code in handed_in:
        raise ValidationError(_("“%(title)s” is handed in already.") % {"title": deliverable.title})
    if missing := [DELIVERABLES[c].title for c in required_before(code) if c not in handed_in]:
        raise ValidationError(
            _("Hand in the earlier modules' deliverables first: %(missing)s.")
            % {"missing": ", ".join(str(title) for title in missing)}
        )
    handed = Deliverable.objects.create(
        group=group,
        code=code,
        body_md=body,
        body_html=render_markdown(body),
        submitted_by=by,
        submitted_at=timezone.now(),
    )
    notify(
        [person for person in _speakers(group.city_ids) + _staff() if person != by],
        source=f"deliverable:{handed.pk}",
        title=_("Twinning on “%(title)s”: %(deliverable)s handed in")
        % {"title": group.activity.title, "deliverable": deliverable.title},
        url=group_url(group) + f"#{code}",
    )
    return handed
