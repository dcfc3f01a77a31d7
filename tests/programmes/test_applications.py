"""Applying: drafts, answers checked by kind, the deadline, the automatic eligibility check and
who is told."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.cities.models import MissionStatus
from cityzero.community.models import Notification
from cityzero.programmes import services
from cityzero.programmes.models import Answer, Application, ApplicationStatus, QuestionKind
from tests.core.test_uploads import PNG_BYTES
from tests.factories import CityFactory, CountryFactory, MembershipFactory, UserFactory
from tests.programmes.factories import (
    GOOD_ANSWERS,
    draft,
    editor_of,
    make_call,
    pdf,
    pilot_activity,
    submitted,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def call():
    return make_call()


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- starting a draft -------------------------------------------------------------------------------


def test_a_citys_editor_starts_a_draft_and_the_step_is_recorded(call, city):
    editor = editor_of(city)
    application = services.start_application(call, city, by=editor)
    assert application.status == S.DRAFT and application.created_by == editor
    step = application.transitions.get()
    assert (step.step, step.source, step.target, step.actor) == ("start", "", S.DRAFT, editor)


@pytest.mark.parametrize(
    ("opens", "closes", "published", "problem"),
    [
        (10, 20, True, "The call opens on"),
        (-20, -1, True, "The call closed on"),
        (-1, 10, False, "This call is not published."),
    ],
)
def test_no_draft_outside_an_open_published_call(city, opens, closes, published, problem):
    today = timezone.localdate()
    call = make_call(opens_on=today + timedelta(days=opens),
                     closes_on=today + timedelta(days=closes), published=published)  # fmt: skip
    with pytest.raises(ValidationError, match=problem):
        services.start_application(call, city, by=editor_of(city))
    assert not Application.objects.exists()


def test_a_city_applies_once_per_call(call, city):
    draft(call, city)
    with pytest.raises(ValidationError, match="Aachen has an application to this call already"):
        services.start_application(call, city, by=editor_of(city))


def test_a_partner_in_another_application_cannot_lead_its_own(city, other_city):
    call = make_call(allows_partners=True, max_partners=2)
    draft(call, other_city, partners=[city])
    with pytest.raises(ValidationError, match="Aachen is a partner in the application of Valencia"):
        services.start_application(call, city, by=editor_of(city))


# --- answers ----------------------------------------------------------------------------------------


def test_answers_are_kept_by_kind_and_read_back(call, city):
    application = draft(call, city, answers={**GOOD_ANSWERS, "gcom_date": date(2026, 2, 28),
                                             "plan_file": pdf()})  # fmt: skip
    stored = {a.question.code: a for a in application.answers.select_related("question")}
    assert stored["population"].value == "250000"
    assert stored["gcom"].value == "signatory"
    assert stored["gcom_date"].value == "2026-02-28"
    assert stored["plan"].value is True
    assert stored["motivation"].value == "A net-zero district."
    assert stored["plan_file"].file_name == "plan.pdf" and stored["plan_file"].value is None
    assert stored["plan_file"].stored_name.endswith(".pdf")
    assert application.version == 2


@pytest.mark.parametrize(
    ("code", "value", "problem"),
    [
        ("population", "many", "Give a number."),
        ("population", Decimal("12.5"), "Give the population as a whole number of inhabitants."),
        ("population", Decimal(10) ** 13, "Give a number below 10,000,000,000,000."),
        ("population", Decimal("1.234"), "Give at most two decimals."),
        ("population", True, "Give a number."),
        ("gcom", "maybe", "Choose one of the listed answers."),
        ("gcom_date", "2026-02-28", "Give a date."),
        ("gcom_date", date(1066, 10, 14), "Give a date between 1900 and 2100."),
        ("plan", "yes", "Answer yes or no."),
        ("motivation", "x" * 2001, "Keep the answer to 2,000 characters or fewer; it has 2,001."),
        ("motivation", 42, "Write the answer as text."),
        ("plan_file", SimpleUploadedFile("plan.pdf", PNG_BYTES), "is not a .pdf file"),
        ("plan_file", SimpleUploadedFile("plan.exe", b"MZ\x90\x00"), "not accepted"),
        ("plan_file", SimpleUploadedFile("plan.pdf", b""), "The file is empty."),
        ("plan_file", "plan.pdf", "Attach a file."),
    ],
)
def test_a_wrong_answer_is_refused_with_the_reason_and_nothing_is_saved(
    call, city, code, value, problem
):
    application = services.start_application(call, city, by=editor_of(city))
    values = {**GOOD_ANSWERS, code: value}
    with pytest.raises(ValidationError) as refused:
        services.save_answers(application, values=values, base_version=1, by=None)
    assert any(problem in message for message in refused.value.message_dict[code])
    assert not Answer.objects.exists()
    application.refresh_from_db()
    assert application.version == 1


def test_a_question_of_another_call_is_refused(call, city):
    application = services.start_application(call, city, by=editor_of(city))
    with pytest.raises(ValidationError, match="There is no question “budget” in this call"):
        services.save_answers(application, values={"budget": 1}, base_version=1, by=None)


def test_an_empty_answer_clears_it_and_a_missing_file_keeps_the_file(call, city):
    application = draft(call, city, answers={**GOOD_ANSWERS, "plan_file": pdf()})
    services.save_answers(application, values={"motivation": "", "plan_file": None},
                          base_version=2, by=None)  # fmt: skip
    codes = set(application.answers.values_list("question__code", flat=True))
    assert "motivation" not in codes and "plan_file" in codes


def test_a_draft_saved_by_someone_else_meanwhile_is_a_conflict(call, city):
    application = draft(call, city)  # version 2 now
    with pytest.raises(services.ApplicationConflict) as conflict:
        services.save_answers(application, values={"motivation": "Mine"}, base_version=1, by=None)
    assert conflict.value.current.version == 2
    assert application.answers.get(question__code="motivation").value == "A net-zero district."


def test_nothing_is_editable_after_submission(call, city):
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="nothing in it can change now"):
        services.save_answers(application, values={"motivation": "Later"},
                              base_version=application.version, by=None)  # fmt: skip


@pytest.mark.parametrize(
    ("allows", "partners", "problem"),
    [
        (False, ["valencia"], "This call takes applications of single cities only."),
        (True, ["valencia", "bonn", "gent"], "Name at most 2 partner cities."),
        (True, ["aachen"], "The lead city is not its own partner."),
    ],
)
def test_partners_follow_the_call(city, other_city, allows, partners, problem):
    CityFactory(name="Bonn", slug="bonn")
    CityFactory(name="Gent", slug="gent")
    call = make_call(allows_partners=allows, max_partners=2 if allows else 0)
    application = services.start_application(call, city, by=editor_of(city))
    chosen = [CityFactory._meta.model.objects.get(slug=slug) for slug in partners]
    with pytest.raises(ValidationError, match=problem):
        services.save_answers(application, values={}, partners=chosen, base_version=1, by=None)
    assert not application.partners.exists()


# --- submitting and the deadline -----------------------------------------------------------------


@pytest.fixture
def january_call(monkeypatch, city):
    """A call open 1–31 January 2026; a draft made on 15 January."""
    at(monkeypatch, datetime(2026, 1, 15, 12, tzinfo=BRUSSELS))
    call = make_call(opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
    return draft(call, city)


def test_the_closing_day_is_included_until_2359_brussels_time(monkeypatch, january_call):
    at(monkeypatch, datetime(2026, 1, 31, 23, 59, 59, tzinfo=BRUSSELS))
    assert services.submit_application(january_call, by=None).status == S.ELIGIBLE


def test_midnight_after_the_closing_day_is_too_late(monkeypatch, january_call):
    at(monkeypatch, datetime(2026, 2, 1, 0, 0, 0, tzinfo=BRUSSELS))
    with pytest.raises(
        ValidationError, match=r"closed on 31 January 2026 at 23:59 \(Europe/Brussels"
    ):
        services.submit_application(january_call, by=None)
    january_call.refresh_from_db()
    assert january_call.status == S.DRAFT


def test_the_deadline_is_brussels_time_not_utc(monkeypatch, january_call):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Brussels (CET, UTC+1).
    at(monkeypatch, datetime(2026, 1, 31, 23, 30, tzinfo=ZoneInfo("UTC")))
    with pytest.raises(ValidationError, match="closed on 31 January 2026"):
        services.submit_application(january_call, by=None)


def test_every_required_question_is_answered_before_submission(call, city):
    application = draft(call, city, answers={"population": 80_000})
    with pytest.raises(ValidationError) as refused:
        services.submit_application(application, by=None)
    assert refused.value.messages == [
        "Answer every required question before you submit: Covenant of Mayors signatory?; "
        "Climate action plan?; Resources committed?; Motivation."
    ]


def test_a_file_question_is_answered_by_its_file(city):
    call = make_call(
        questions=[("plan_file", "The plan", QuestionKind.FILE, True, "", {})], rules=[]
    )
    application = draft(call, city, answers={"plan_file": pdf()})
    assert services.submit_application(application, by=None).status == S.ELIGIBLE


def test_submitting_twice_is_refused(call, city):
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="submitted already"):
        services.submit_application(application, by=None)


# --- the automatic eligibility check -----------------------------------------------------------


def test_an_application_meeting_every_rule_is_found_eligible_by_the_platform(call, city):
    application = submitted(call, city)
    assert application.status == S.ELIGIBLE and application.eligibility_outcome == "passed"
    steps = list(application.transitions.values_list("step", "target", "actor"))
    assert steps[-2:] == [("submit", S.SUBMITTED, application.created_by.pk),
                          ("find_eligible", S.ELIGIBLE, None)]  # fmt: skip
    assert [v["outcome"] for v in application.eligibility] == ["passed"] * 4


@pytest.mark.parametrize(("population", "status"), [(49_999, S.INELIGIBLE), (50_000, S.ELIGIBLE)])
def test_the_population_boundary_decides_on_submission(call, city, population, status):
    application = submitted(call, city, answers={**GOOD_ANSWERS, "population": population})
    assert application.status == status


def test_the_reason_of_ineligibility_is_kept(call, city):
    application = submitted(call, city, answers={**GOOD_ANSWERS, "plan": False})
    failed = [v for v in application.eligibility if v["outcome"] == "failed"]
    assert [v["template"] % v["params"] for v in failed] == [
        "Aachen has no city-wide climate action plan."
    ]


def test_the_citys_record_gives_the_population_when_none_is_declared(city):
    call = make_call(questions=[], rules=[("population_at_least", {"min": 300_000})])
    application = submitted(call, city, answers={})
    verdict = application.eligibility[0]
    assert verdict["outcome"] == "failed"
    assert verdict["params"]["source"] == "platform record: Test data"


def test_a_pending_signature_within_three_months_of_the_submission_day(monkeypatch, call, city):
    at(monkeypatch, datetime(2026, 1, 30, 10, tzinfo=BRUSSELS))
    call = make_call(slug="winter", opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
    answers = {**GOOD_ANSWERS, "gcom": "pending", "gcom_date": date(2026, 4, 30)}
    assert submitted(call, city, answers=answers).status == S.ELIGIBLE
    beyond = {**answers, "gcom_date": date(2026, 5, 1)}
    assert submitted(call, CityFactory(name="Bonn"), answers=beyond).status == S.INELIGIBLE


def test_when_the_check_cannot_tell_the_application_waits_for_the_staff(call, city):
    people = UserFactory(platform_role=PlatformRole.STAFF)
    answers = {**GOOD_ANSWERS, "gcom": "pending"}  # no expected date
    application = submitted(call, city, answers=answers)
    assert application.status == S.SUBMITTED and application.eligibility_outcome == "unknown"
    assert Notification.objects.filter(recipient=people, title__startswith="Decide the eligibility")
    services.decide_eligibility(application, eligible=True, reason="Signs on 1 March.", by=people)
    application.refresh_from_db()
    step = application.transitions.last()
    assert application.status == S.ELIGIBLE
    assert (step.step, step.actor, step.message) == ("find_eligible", people, "Signs on 1 March.")


def test_the_staff_give_a_reason_for_their_decision(call, city):
    application = submitted(call, city, answers={**GOOD_ANSWERS, "gcom": "pending"})
    with pytest.raises(ValidationError, match="Say why"):
        services.decide_eligibility(application, eligible=False, reason="  ", by=None)


def test_partners_are_checked_with_their_own_platform_facts(city, other_city):
    call = make_call(allows_partners=True, max_partners=1, questions=[],
                     rules=[("not_mission_city", {})])  # fmt: skip
    city.mission_status = MissionStatus.NONE
    city.save()
    application = submitted(
        call, city, answers={}, partners=[other_city]
    )  # Valencia: a mission city
    assert application.status == S.INELIGIBLE
    assert [(v["params"]["city"], v["outcome"]) for v in application.eligibility] == [
        ("Aachen", "passed"), ("Valencia", "failed")
    ]  # fmt: skip


def test_a_pilot_city_is_not_eligible_for_later_twinning_cohorts(city):
    not_eu = CountryFactory(code="CH", name="Switzerland", eu_member=False)
    call = make_call(questions=[], rules=[("in_eu_or_associated", {}), ("not_pilot_or_twin", {})])
    pilot_activity(city)
    swiss = CityFactory(name="Basel", country=not_eu)
    assert submitted(call, city, answers={}).status == S.INELIGIBLE
    assert submitted(call, swiss, answers={}).status == S.INELIGIBLE  # neither EU nor associated


# --- who is told ----------------------------------------------------------------------------------


def test_the_citys_coordinators_and_editors_hear_the_eligibility_not_its_viewers(call, city):
    coordinator = MembershipFactory(city=city, role=CityRole.COORDINATOR).user
    viewer = MembershipFactory(city=city, role=CityRole.VIEWER).user
    editor = editor_of(city)
    submitted(call, city, by=editor)
    told = set(Notification.objects.filter(title__contains="is eligible").values_list(
        "recipient", flat=True))  # fmt: skip
    assert told == {coordinator.pk, editor.pk}
    assert viewer.pk not in told


def test_withdrawing_a_submitted_application_tells_the_staff(call, city):
    people = UserFactory(platform_role=PlatformRole.STAFF)
    application = submitted(call, city)
    services.withdraw_application(application, reason="We lack staff.", by=application.created_by)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert Notification.objects.get(recipient=people, title__contains="withdrew").body == (
        "We lack staff."
    )
