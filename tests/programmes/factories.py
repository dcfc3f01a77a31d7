"""Calls, applications and programmes for tests, made through the services as the pages make them.

``utm_call`` is the Urban Transitions Mission call of the brief: population ≥ 50,000; a Global
Covenant of Mayors signatory, or becoming one within 3 months; a climate action plan; resources
committed. Its criteria weigh 3, 2 and 1, each scored 0–5.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.programmes import services
from cityzero.programmes.models import (
    Application,
    Call,
    Cohort,
    Criterion,
    EligibilityRule,
    PilotActivity,
    ProgrammeKind,
    Question,
    QuestionKind,
)
from tests.core.test_uploads import PDF_BYTES
from tests.factories import MembershipFactory, UserFactory

GCOM_OPTIONS = [["signatory", "Signatory"], ["pending", "Becoming one"], ["none", "No"]]
UTM_QUESTIONS = [
    ("population", "Population", QuestionKind.NUMBER, True, "population", {}),
    ("gcom", "Covenant of Mayors signatory?", QuestionKind.CHOICE, True, "gcom_status",
     {"options": GCOM_OPTIONS}),
    ("gcom_date", "Date signed or expected", QuestionKind.DATE, False, "gcom_date", {}),
    ("plan", "Climate action plan?", QuestionKind.YES_NO, True, "climate_action_plan", {}),
    ("plan_file", "The plan", QuestionKind.FILE, False, "", {}),
    ("resources", "Resources committed?", QuestionKind.YES_NO, True, "commits_resources", {}),
    ("motivation", "Motivation", QuestionKind.TEXT, True, "", {"max_length": 2000}),
]  # fmt: skip
UTM_RULES = [
    ("population_at_least", {"min": 50000}),
    ("gcom_signatory_or_within", {"months": 3}),
    ("has_climate_action_plan", {}),
    ("commits_resources", {}),
]
CRITERIA = [("Ambition", 3, 5), ("Resources", 2, 5), ("Inspiration", 1, 5)]
GOOD_ANSWERS = {
    "population": 250_000,
    "gcom": "signatory",
    "plan": True,
    "resources": True,
    "motivation": "A net-zero district.",
}


def staff(**fields):
    return UserFactory(platform_role=PlatformRole.STAFF, **fields)


def assessor(**fields):
    return UserFactory(platform_role=PlatformRole.REVIEWER, **fields)


def editor_of(city, **fields):
    return MembershipFactory(city=city, role=CityRole.EDITOR, **fields).user


def cohort(kind=ProgrammeKind.UTM, *, capacity: int = 50, slug: str = "utm-2026") -> Cohort:
    return Cohort.objects.create(name=f"Cohort {slug}", slug=slug, kind=kind, capacity=capacity)


def make_call(
    *,
    slug: str = "utm",
    questions=UTM_QUESTIONS,
    rules=UTM_RULES,
    criteria=CRITERIA,
    opens_on: date | None = None,
    closes_on: date | None = None,
    capacity: int = 50,
    kind=ProgrammeKind.UTM,
    **fields,
) -> Call:
    today = timezone.localdate()
    fields.setdefault("published", True)
    call = services.save_call(
        Call(
            cohort=cohort(kind, capacity=capacity, slug=f"{slug}-cohort"),
            slug=slug,
            title=f"Call {slug}",
            summary="Apply.",
            opens_on=opens_on or today - timedelta(days=10),
            closes_on=closes_on or today + timedelta(days=10),
            **fields,
        )
    )
    for position, (code, label, kind_, required, fact, extra) in enumerate(questions):
        Question.objects.create(call=call, position=position, code=code, label=label,
                                kind=kind_, required=required, fact=fact, **extra)  # fmt: skip
    for position, (check, params) in enumerate(rules):
        EligibilityRule.objects.create(call=call, position=position, kind=check, params=params)
    for position, (name, weight, max_score) in enumerate(criteria):
        Criterion.objects.create(call=call, position=position, name=name, weight=weight,
                                 max_score=max_score)  # fmt: skip
    return call


def pdf(name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def draft(call: Call, city, *, by=None, answers=None, partners=None) -> Application:
    by = by or editor_of(city)
    application = services.start_application(call, city, by=by)
    services.save_answers(
        application, values=GOOD_ANSWERS if answers is None else answers, base_version=1,
        by=by, partners=partners,
    )  # fmt: skip
    application.refresh_from_db()
    return application


def submitted(call: Call, city, **kwargs) -> Application:
    application = draft(call, city, **kwargs)
    return services.submit_application(application, by=application.created_by)


def under_assessment(call: Call, city, *, assessors=None, **kwargs) -> Application:
    application = submitted(call, city, **kwargs)
    by = staff()
    for person in assessors or [assessor()]:
        services.assign_assessor(application, assessor=person, by=by)
    application.refresh_from_db()
    return application


def score_all(application: Application, sheets: list[list[int]]) -> Application:
    """Each assessor's scores for the call's criteria, in order; submitted."""
    criteria = list(application.call.criteria.all())
    for assessment, sheet in zip(application.assessments.order_by("pk"), sheets, strict=True):
        scores = {c.pk: (score, "Because.") for c, score in zip(criteria, sheet, strict=True)}
        services.save_scores(assessment, scores=scores, submit=True, by=assessment.assessor)
    application.refresh_from_db()
    return application


def scored(call: Call, city, sheets: list[list[int]], **kwargs) -> Application:
    assessors = [assessor() for _sheet in sheets]
    return score_all(under_assessment(call, city, assessors=assessors, **kwargs), sheets)


def close(call: Call) -> Call:
    """Move the call's dates so that it closed yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Call.objects.filter(pk=call.pk).update(opens_on=yesterday - timedelta(days=30),
                                           closes_on=yesterday)  # fmt: skip
    call.refresh_from_db()
    return call


def pilot_activity(city, *, partners=(), grant: int = 1_000_000, split=(40, 40, 20),
                   fields=("energy",), levers=("technology",), by=None) -> PilotActivity:  # fmt: skip
    today = timezone.localdate()
    pilots = Cohort.objects.filter(kind=ProgrammeKind.PILOT).first() or cohort(
        ProgrammeKind.PILOT, capacity=26, slug="pilots"
    )
    return services.create_pilot_activity(
        pilots, title="Heat from sewers", summary="**Heat** from waste water.", lead_city=city,
        partner_cities=list(partners), fields_of_action=list(fields), levers=list(levers),
        grant_eur=grant, split=split, starts_on=today, ends_on=today + timedelta(days=700),
        by=by or staff(),
    )  # fmt: skip
