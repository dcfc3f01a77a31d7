from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from cityzero.finance import selectors
from cityzero.finance.guidance import Row
from cityzero.finance.questionnaire import QUESTIONS, as_params, check, query_string

router = Router(tags=["finance"])


class FundingTypeOut(Schema):
    code: str
    name: str
    category: str
    summary: str
    pros: list[str]
    cons: list[str]
    project_types: list[str]
    related_products: list[str]
    ticket_min_eur: int | None
    ticket_max_eur: int | None
    eligibility: str
    url: str


class OptionOut(Schema):
    code: str
    label: str


class QuestionOut(Schema):
    code: str
    label: str
    kind: str
    required: bool
    fields: list[str]
    options: list[OptionOut]


class MatchIn(Schema):
    """The questionnaire's answers; send those asked for the chosen fields (see /questions)."""

    fields: list[str] = Field(..., max_length=5, description="Fields of action (step 1)")
    stage: str | None = None
    size: int | None = Field(None, description="Project size in whole euros")
    owner: str | None = None
    risk: str | None = None
    timeline: str | None = None
    revenue: str | None = None
    savings: str | None = None
    payback: str | None = None
    borrowing: str | None = None
    assistance: str | None = None
    cobenefits: list[str] = Field([], max_length=10)


class ReasonOut(Schema):
    text: str
    effect: str
    weight: int


class MatchOut(Schema):
    rank: int | None
    code: str
    name: str
    score: int
    reasons: list[ReasonOut]
    url: str


class ResultOut(Schema):
    answers: dict[str, str | int | list[str]]
    result_url: str
    ranked: list[MatchOut]
    excluded: list[MatchOut]


class Problems(Schema):
    detail: str
    errors: dict[str, list[str]]


def _funding(info) -> dict:
    return {
        "code": info.code, "name": info.name, "category": info.category,
        "summary": info.summary, "pros": list(info.pros), "cons": list(info.cons),
        "project_types": list(info.project_types),
        "related_products": list(info.related_products), "ticket_min_eur": info.ticket_min,
        "ticket_max_eur": info.ticket_max, "eligibility": info.eligibility,
        "url": reverse("finance:funding", args=[info.code]),
    }  # fmt: skip


@router.get(
    "/finance/funding-types",
    response=list[FundingTypeOut],
    summary="The funding types of the Finance Guidance Tool",
)
def funding_types(request: HttpRequest):
    return [_funding(info) for info in selectors.catalogue().funding.values()]


@router.get(
    "/finance/questions",
    response=list[QuestionOut],
    summary="The questionnaire: each question, its answers and the fields of action it is asked for",
)
def questions(request: HttpRequest):
    return [
        {
            "code": question.code,
            "label": str(question.label),
            "kind": question.kind,
            "required": question.required,
            "fields": sorted(question.fields),
            "options": [
                {"code": option.code, "label": str(option.label)} for option in question.options
            ],
        }
        for question in QUESTIONS
    ]


def _match(row: Row) -> dict:
    return {
        "rank": row.rank, "code": row.funding.code, "name": row.funding.name, "score": row.score,
        "reasons": [
            {"text": r.text, "effect": r.effect.value, "weight": r.weight} for r in row.reasons
        ],
        "url": reverse("finance:funding", args=[row.funding.code]),
    }  # fmt: skip


@router.post(
    "/finance/match",
    response={200: ResultOut, 422: Problems},
    summary="Rank the funding types for a questionnaire's answers, with the reasons",
    description=(
        "Answers to questions not asked for the chosen fields are ignored. Invalid answers give "
        "422 with the problems by question code."
    ),
)
def match(request: HttpRequest, answers: MatchIn):
    checked = check(as_params(answers.model_dump()))
    if checked.errors:
        return Status(422, {"detail": "The answers are not valid.", "errors": checked.errors})
    guidance = selectors.guidance_for(checked.answers)
    return {
        "answers": checked.answers,
        "result_url": reverse("finance:result") + "?" + query_string(checked.answers),
        "ranked": [_match(row) for row in guidance.ranked],
        "excluded": [_match(row) for row in guidance.excluded],
    }
