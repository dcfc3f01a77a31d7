"""The application state machine: every step from where it is allowed, refused from everywhere
else, with the reason; and every step taken through the services is recorded with who and when."""

import pytest
from django.core.exceptions import ValidationError

from cityzero.programmes import services, workflow
from cityzero.programmes.models import ApplicationStatus
from tests.factories import CityFactory
from tests.programmes.factories import (
    GOOD_ANSWERS,
    assessor,
    close,
    draft,
    make_call,
    score_all,
    scored,
    staff,
    submitted,
    under_assessment,
)

S = ApplicationStatus
# step → the statuses it may start from
ALLOWED = {
    "submit": {S.DRAFT},
    "find_eligible": {S.SUBMITTED},
    "find_ineligible": {S.SUBMITTED},
    "start_assessment": {S.ELIGIBLE},
    "complete_scoring": {S.UNDER_ASSESSMENT},
    "select": {S.SCORED},
    "not_select": {S.SCORED},
    "withdraw": {S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_ASSESSMENT, S.SCORED},
}


def test_the_table_covers_every_step():
    assert set(workflow.STEPS) == set(ALLOWED)
    assert {code: set(step.sources) for code, step in workflow.STEPS.items()} == ALLOWED


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("code", sorted(ALLOWED))
def test_a_step_is_refused_with_a_reason_outside_its_statuses(code, status):
    reason = workflow.refusal(workflow.STEPS[code], status)
    if status in ALLOWED[code]:
        assert reason is None
    else:
        assert reason


@pytest.mark.parametrize("status", [S.INELIGIBLE, S.SELECTED, S.NOT_SELECTED, S.WITHDRAWN])
def test_a_closed_application_says_it_is_closed(status):
    reason = workflow.refusal(workflow.STEPS["withdraw"], status)
    assert reason.startswith("This application is closed")


@pytest.fixture
def call(db):
    return make_call()


def steps(application) -> list[tuple[str, str, str]]:
    return list(application.transitions.values_list("step", "source", "target"))


@pytest.mark.django_db
def test_the_whole_way_to_selection_is_recorded(call, city):
    application = scored(call, city, [[5, 5, 5]])
    services.select_for_cohort(close(call), chosen=[application], by=staff())
    application.refresh_from_db()
    assert application.status == S.SELECTED
    assert steps(application) == [
        ("start", "", S.DRAFT),
        ("submit", S.DRAFT, S.SUBMITTED),
        ("find_eligible", S.SUBMITTED, S.ELIGIBLE),
        ("start_assessment", S.ELIGIBLE, S.UNDER_ASSESSMENT),
        ("complete_scoring", S.UNDER_ASSESSMENT, S.SCORED),
        ("select", S.SCORED, S.SELECTED),
    ]
    assert all(step.created_at for step in application.transitions.all())


@pytest.mark.django_db
def test_an_application_that_fails_a_rule_is_closed_as_not_eligible(call, city):
    application = submitted(call, city, answers={**GOOD_ANSWERS, "resources": False})
    assert steps(application)[-1] == ("find_ineligible", S.SUBMITTED, S.INELIGIBLE)
    with pytest.raises(ValidationError, match="eligible applications only; this one is “Not eli"):
        services.assign_assessor(application, assessor=assessor(), by=staff())


@pytest.mark.django_db
def test_staff_find_an_undecided_application_not_eligible(call, city):
    application = submitted(call, city, answers={**GOOD_ANSWERS, "gcom": "pending"})
    services.decide_eligibility(application, eligible=False, reason="No date.", by=staff())
    application.refresh_from_db()
    assert steps(application)[-1] == ("find_ineligible", S.SUBMITTED, S.INELIGIBLE)


@pytest.mark.django_db
def test_an_eligible_application_is_not_decided_again(call, city):
    application = submitted(call, city)
    with pytest.raises(ValidationError, match="only when: Submitted"):
        services.decide_eligibility(application, eligible=False, reason="Changed mind", by=staff())


@pytest.mark.django_db
def test_a_draft_gets_no_assessor(call, city):
    application = draft(call, city)
    with pytest.raises(ValidationError, match="eligible applications only"):
        services.assign_assessor(application, assessor=assessor(), by=staff())


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["draft", "submitted", "eligible", "assessment", "scored"])
def test_the_city_withdraws_until_the_selection(call, city, stage):
    make = {
        "draft": lambda: draft(call, city),
        "submitted": lambda: submitted(call, city, answers={**GOOD_ANSWERS, "gcom": "pending"}),
        "eligible": lambda: submitted(call, city),
        "assessment": lambda: under_assessment(call, city),
        "scored": lambda: scored(call, city, [[1, 1, 1]]),
    }[stage]
    application = make()
    services.withdraw_application(application, by=application.created_by)
    application.refresh_from_db()
    assert steps(application)[-1] == ("withdraw", stage, S.WITHDRAWN)


@pytest.mark.django_db
def test_no_withdrawal_after_the_selection(call, city):
    application = scored(call, city, [[5, 5, 5]])
    services.select_for_cohort(close(call), chosen=[], by=staff())
    with pytest.raises(ValidationError, match="closed \\(Not selected\\)"):
        services.withdraw_application(application, by=application.created_by)


@pytest.mark.django_db
def test_scoring_completes_only_when_every_assessor_has_submitted(call, city):
    first, second = assessor(), assessor()
    application = under_assessment(call, city, assessors=[first, second])
    criteria = list(call.criteria.all())
    one = application.assessments.get(assessor=first)
    services.save_scores(one, scores={c.pk: (3, "ok") for c in criteria}, submit=True, by=first)
    application.refresh_from_db()
    assert application.status == S.UNDER_ASSESSMENT
    score_all_remaining = application.assessments.get(assessor=second)
    services.save_scores(score_all_remaining, scores={c.pk: (4, "ok") for c in criteria},
                         submit=True, by=second)  # fmt: skip
    application.refresh_from_db()
    assert steps(application)[-1] == ("complete_scoring", S.UNDER_ASSESSMENT, S.SCORED)
    assert application.transitions.last().actor is None  # the platform took it


@pytest.mark.django_db
def test_removing_the_last_pending_assessor_completes_the_scoring(call, city):
    first, second = assessor(), assessor()
    application = under_assessment(call, city, assessors=[first, second])
    criteria = list(call.criteria.all())
    services.save_scores(application.assessments.get(assessor=first),
                         scores={c.pk: (3, "ok") for c in criteria}, submit=True, by=first)  # fmt: skip
    services.remove_assessor(application.assessments.get(assessor=second), by=staff())
    application.refresh_from_db()
    assert application.status == S.SCORED


@pytest.mark.django_db
def test_a_withdrawn_application_is_no_longer_scored(call, city):
    application = under_assessment(call, city)
    services.withdraw_application(application, by=application.created_by)
    with pytest.raises(ValidationError, match="no longer under assessment"):
        score_all(application, [[1, 1, 1]])


@pytest.mark.django_db
def test_selection_waits_for_every_pending_application(call, city):
    scored(call, city, [[5, 5, 5]])
    under_assessment(call, CityFactory(name="Bonn"))
    with pytest.raises(ValidationError, match="Some applications are not scored yet: Bonn"):
        services.select_for_cohort(close(call), chosen=[], by=staff())
