"""The Finance Guidance Tool's API: funding types, the questionnaire, and matching answers."""

import pytest

from cityzero.finance.api import MatchIn
from cityzero.finance.questionnaire import AMOUNT, QUESTIONS
from tests.finance.conftest import RETROFIT

pytestmark = pytest.mark.django_db

BODY = {code: values if code in ("fields", "cobenefits") else values[0]
        for code, values in RETROFIT.items()}  # fmt: skip
BODY["size"] = 2_000_000


def post(client, body):
    return client.post("/api/v1/finance/match", body, content_type="application/json")


def test_the_funding_types_are_listed_with_their_details(
    client, funding, django_assert_num_queries
):
    with django_assert_num_queries(2):  # funding types, rules (the catalogue, then cached)
        data = client.get("/api/v1/finance/funding-types").json()
    assert len(data) == 28
    epc = next(item for item in data if item["code"] == "epc")
    assert epc["ticket_min_eur"] == 200_000 and epc["url"] == "/finance/funding/epc/"
    assert epc["pros"][0] == "Savings are guaranteed by contract"


def test_the_questionnaire_says_which_fields_each_question_is_asked_for(client):
    data = {item["code"]: item for item in client.get("/api/v1/finance/questions").json()}
    assert data["savings"]["fields"] == ["buildings", "energy"]
    assert [option["code"] for option in data["stage"]["options"]] == [
        "idea", "feasibility", "investment_ready",
    ]  # fmt: skip
    assert data["cobenefits"]["required"] is False


def test_the_match_body_takes_every_question():
    assert set(MatchIn.model_fields) == {question.code for question in QUESTIONS}
    assert next(q for q in QUESTIONS if q.kind == AMOUNT).code == "size"


def test_matching_ranks_with_reasons_and_a_result_link(client, funding):
    response = post(client, BODY)
    assert response.status_code == 200
    data = response.json()
    assert [item["code"] for item in data["ranked"][:2]] == ["epc", "eib-loan"]
    assert data["ranked"][0]["rank"] == 1
    assert data["ranked"][0]["reasons"][0] == {
        "text": "An ESCO finances the measures and is paid from the guaranteed energy savings.",
        "effect": "include", "weight": 3,
    }  # fmt: skip
    assert {item["code"] for item in data["excluded"]} == {"green-bond", "ppp"}
    assert data["result_url"].startswith("/finance/result/?fields=buildings&stage=feasibility")
    assert data["answers"]["size"] == 2_000_000


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"fields": ["space"]}, {"fields"}),
        ({"fields": []}, {"fields"}),
        ({"size": -5}, {"size"}),
        ({"size": 10**15}, {"size"}),
        ({"stage": "soon", "owner": None}, {"stage", "owner"}),
    ],
)
def test_invalid_answers_give_422_with_the_problems_by_question(client, funding, change, errors):
    response = post(client, {**BODY, **change})
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "The answers are not valid."
    assert set(data["errors"]) == errors


@pytest.mark.parametrize(
    "body",
    [{**BODY, "size": "two million"}, {**BODY, "fields": "buildings"}, {"size": 5}, []],
    ids=["size-text", "fields-not-a-list", "no-fields", "a-list"],
)
def test_wrongly_typed_bodies_give_422(client, funding, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_a_body_that_is_not_json_is_a_bad_request(client, funding):
    response = client.post("/api/v1/finance/match", "{fields", content_type="application/json")
    assert response.status_code == 400
