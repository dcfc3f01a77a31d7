"""Staff define calls in the admin: the form's questions, the rules and the criteria are checked
as they are written."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.programmes.models import Call, EligibilityRule, Question, QuestionKind
from cityzero.programmes.services import save_call
from tests.programmes.factories import make_call, staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("settings_without_mfa")]


@pytest.mark.parametrize(
    ("params", "problem"),
    [({"min": "many"}, "“min” must be a whole number."), ({}, "needs the parameter “min”")],
)
def test_a_rule_with_bad_parameters_is_refused(params, problem):
    rule = EligibilityRule(call=make_call(), kind="population_at_least", params=params)
    with pytest.raises(ValidationError, match=problem):
        rule.full_clean()


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"kind": QuestionKind.CHOICE, "options": [["a", "A"]]}, "at least two"),
        ({"kind": QuestionKind.CHOICE, "options": [["a", "A"], ["a", "B"]]}, "different codes"),
        ({"kind": QuestionKind.TEXT, "fact": "population"}, "of kind “Number”"),
        ({"kind": QuestionKind.CHOICE, "fact": "gcom_status", "options": [["yes", "Y"], ["no", "N"]]},
         "exactly: signatory, pending, none"),
        ({"kind": QuestionKind.NUMBER, "min_value": 10, "max_value": 1}, "smaller than the smallest"),
    ],
)  # fmt: skip
def test_a_badly_written_question_is_refused(fields, problem):
    question = Question(call=make_call(questions=[]), code="q", label="Q", **fields)
    with pytest.raises(ValidationError, match=problem):
        question.full_clean()


def test_a_call_closing_before_it_opens_is_refused():
    call = make_call()
    call.closes_on = call.opens_on.replace(year=call.opens_on.year - 1)
    with pytest.raises(ValidationError, match="closes on or after the day it opens"):
        call.full_clean()


def test_staff_open_the_call_in_the_admin_with_its_form_rules_and_criteria(client):
    call = make_call()
    client.force_login(staff())
    response = client.get(reverse("admin:programmes_call_change", args=[call.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "population_at_least" in html and "Ambition" in html and "Covenant of Mayors" in html


def test_a_calls_description_is_rendered_once_and_sanitised():
    call = make_call()
    call.description_md = "**Bold** <script>alert(1)</script>"
    save_call(call)
    assert Call.objects.get().description_html == "<p><strong>Bold</strong> </p>"
