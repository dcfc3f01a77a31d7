"""The demo's calls and programmes, made through the same services the pages use: the 2021–22
Mission call (reference data); an open Urban Transitions Mission call with Aachen's application
under assessment; a pilot activity of Valencia with its first two tranches released; and its
twinning pair. Everything but the Mission call is illustrative. Safe to run again."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from cityzero.cities.models import City
from cityzero.programmes import services
from cityzero.programmes.eligibility import add_months
from cityzero.programmes.models import (
    Application,
    Call,
    Cohort,
    CohortMember,
    Criterion,
    EligibilityRule,
    PilotActivity,
    ProgrammeKind,
    Question,
    QuestionKind,
    ReportKind,
    TrancheTrigger,
)
from cityzero.programmes.selectors import twin_suggestions

ILLUSTRATIVE = "*Illustrative demonstration content.*\n\n"
UTM_CALL = "utm-city-cohort"
PILOT_COHORT = "pilot-cities-demo"
TWINNING_COHORT = "twinning-demo"
TWIN_CITY = "zaragoza"

UTM_DESCRIPTION = (
    ILLUSTRATIVE
    + """Mission Innovation's Urban Transitions Mission helps cities plan and build net-zero,
climate-resilient districts. This call fills its first cohort of 50 cities (the target is
50 + 250).

Cities of **at least 50,000 inhabitants** apply when they are a signatory of the **Global
Covenant of Mayors**, or become one within three months of applying, have a **city-wide climate
action plan** and **commit resources** to the cohort's work."""
)

GCOM_OPTIONS = [
    ["signatory", "Yes, the city is a signatory"],
    ["pending", "Not yet: the city is becoming one"],
    ["none", "No"],
]

# code, label, kind, required, fact, extra fields
UTM_QUESTIONS: list[tuple[str, str, str, bool, str, dict[str, Any]]] = [
    ("population", "Population of the municipality", QuestionKind.NUMBER, True, "population",
     {"help_text": "As your statistics office counts it.", "min_value": 0}),
    ("gcom", "Is the city a signatory of the Global Covenant of Mayors?", QuestionKind.CHOICE,
     True, "gcom_status", {"options": GCOM_OPTIONS}),
    ("gcom_date", "When did the city sign, or when will it sign?", QuestionKind.DATE, False,
     "gcom_date", {"help_text": "Needed when the city is becoming a signatory."}),
    ("action_plan", "Does the city have a city-wide climate action plan?", QuestionKind.YES_NO,
     True, "climate_action_plan", {}),
    ("action_plan_file", "The climate action plan", QuestionKind.FILE, False, "", {}),
    ("resources", "Will the city commit staff and budget to the cohort's work?",
     QuestionKind.YES_NO, True, "commits_resources", {}),
    ("resources_detail", "Which resources, and for how long?", QuestionKind.TEXT, True, "",
     {"max_length": 2000}),
    ("motivation", "What does the city want to achieve in the cohort?", QuestionKind.TEXT, True,
     "", {"max_length": 5000}),
]  # fmt: skip

UTM_RULES = [
    ("population_at_least", {"min": 50000}),
    ("gcom_signatory_or_within", {"months": 3}),
    ("has_climate_action_plan", {}),
    ("commits_resources", {}),
]
UTM_CRITERIA = [
    ("Ambition and urgency", "How far and how fast the city wants to go.", 3),
    ("Resources committed", "Staff, budget and political backing for the cohort's work.", 2),
    ("Potential to inspire", "Whether other cities could learn from what the city will do.", 1),
]

ACTIVITY_TITLE = "Heat from waste water for public buildings"
ACTIVITY_SUMMARY = (
    ILLUSTRATIVE
    + """Valencia recovers heat from a main sewer to heat and cool
twelve public buildings with heat pumps, and tests a municipal energy-service model to finance
the next ones."""
)
INTERIM_REPORT = (
    ILLUSTRATIVE
    + """**Done:** feasibility study of three sewer sections; heat-pump
design for the first four buildings; procurement launched.

**Spent:** €310,000 of the first tranche.

**Next:** installation in the first four buildings; energy-service contract drafted."""
)
LEARNING_AGREEMENT = (
    ILLUSTRATIVE
    + """Zaragoza wants to learn how Valencia chose the sewer sections,
how it procured the heat pumps and how the energy-service model pays for them. Two people from
each city meet online every month and once in Valencia."""
)


@dataclass(frozen=True)
class DemoProgrammes:
    application: Application | None
    activity: PilotActivity | None


def load_demo_programmes(
    aachen: City, valencia: City, *, editor, staff, reviewer, valencia_coordinator
) -> DemoProgrammes:
    application = _utm_call(aachen, editor=editor, staff=staff, reviewer=reviewer)
    activity = _pilot_activity(valencia, staff=staff, coordinator=valencia_coordinator)
    return DemoProgrammes(application, activity)


def _utm_call(city: City, *, editor, staff, reviewer) -> Application | None:
    if Call.objects.filter(slug=UTM_CALL).exists():
        return None
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name=f"Urban Transitions Mission cohort {today.year}",
        slug=f"utm-cohort-{today.year}",
        kind=ProgrammeKind.UTM,
        capacity=50,
        description="Illustrative: the first 50 cities of Mission Innovation's Urban Transitions "
        "Mission.",
    )
    call = services.save_call(
        Call(
            cohort=cohort,
            slug=UTM_CALL,
            title="Urban Transitions Mission: join the city cohort",
            summary="Cities of 50,000 inhabitants or more with a climate action plan apply to "
            "the first cohort of 50 cities.",
            description_md=UTM_DESCRIPTION,
            opens_on=today - timedelta(days=20),
            closes_on=today + timedelta(days=70),
            published=True,
        )
    )
    for position, (code, label, kind, required, fact, extra) in enumerate(UTM_QUESTIONS):
        Question.objects.create(
            call=call, position=position, code=code, label=label, kind=kind, required=required,
            fact=fact, **extra,
        )  # fmt: skip
    for position, (kind, params) in enumerate(UTM_RULES):
        EligibilityRule.objects.create(call=call, position=position, kind=kind, params=params)
    for position, (name, description, weight) in enumerate(UTM_CRITERIA):
        Criterion.objects.create(
            call=call, position=position, name=name, description=description, weight=weight,
            max_score=5,
        )  # fmt: skip
    application = services.start_application(call, city, by=editor)
    values = {
        "population": city.population or 250_000,
        "gcom": "signatory",
        "action_plan": True,
        "resources": True,
        "resources_detail": "Illustrative: two full-time staff in the climate office and "
        "€150,000 a year for three years.",
        "motivation": "Illustrative: we want to plan our first net-zero district, around the "
        "university hospital, with its residents.",
    }
    services.save_answers(application, values=values, base_version=1, by=editor)
    application = services.submit_application(application, by=editor)
    services.assign_assessor(application, assessor=reviewer, by=staff)
    return application


def _pilot_activity(city: City, *, staff, coordinator) -> PilotActivity | None:
    if Cohort.objects.filter(slug=PILOT_COHORT).exists():
        return None
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        name="Pilot Cities (illustrative cohort)",
        slug=PILOT_COHORT,
        kind=ProgrammeKind.PILOT,
        capacity=26,
        description="Illustrative: a cohort of the Pilot Cities Programme for the demo.",
    )
    CohortMember.objects.create(
        cohort=cohort, city=city, joined_on=today - timedelta(days=200),
        source="Illustrative demonstration data",
    )  # fmt: skip
    activity = services.create_pilot_activity(
        cohort, title=ACTIVITY_TITLE, summary=ACTIVITY_SUMMARY, lead_city=city,
        fields_of_action=["energy", "buildings"], levers=["technology", "finance"],
        grant_eur=1_000_000, split=(40, 40, 20), starts_on=today - timedelta(days=200),
        ends_on=add_months(today - timedelta(days=200), 24), by=staff,
    )  # fmt: skip
    services.release_tranche(activity.tranches.get(trigger=TrancheTrigger.START), by=staff)
    report = services.submit_report(
        activity, kind=ReportKind.INTERIM, body=INTERIM_REPORT, by=coordinator
    )
    services.review_report(report, approve=True, note="Clear and on time.", by=staff)
    _twinning(activity, staff=staff, coordinator=coordinator)
    return activity


def _twinning(activity: PilotActivity, *, staff, coordinator) -> None:
    twin = City.objects.filter(slug=TWIN_CITY).first()
    if twin is None:
        suggestions = twin_suggestions(activity, limit=1)
        if not suggestions:
            return
        twin = City.objects.get(pk=suggestions[0].profile.key)
    cohort = Cohort.objects.create(
        name="Twinning Learning Programme (illustrative cohort)",
        slug=TWINNING_COHORT,
        kind=ProgrammeKind.TWINNING,
        capacity=30,
        description="Illustrative: twin cities learning from pilot activities, for the demo.",
    )
    starts_on = timezone.localdate() - timedelta(days=60)
    group = services.create_twinning_group(
        activity, twins=[twin], starts_on=starts_on, ends_on=add_months(starts_on, 14),
        cohort=cohort, by=staff,
    )  # fmt: skip
    CohortMember.objects.create(
        cohort=cohort, city=twin, joined_on=starts_on, source="Illustrative demonstration data"
    )
    services.submit_deliverable(
        group, code="learning_agreement", body=LEARNING_AGREEMENT, by=coordinator
    )
