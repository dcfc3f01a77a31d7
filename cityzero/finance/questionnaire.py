"""The Finance Guidance Tool's questions: which are asked for which fields of action, their
answers, and how a query string (or an API body) becomes checked answers.

The questions are a product decision and live here; the matching rules are data (see
``models.MatchingRule``). Step 1 asks for one or more fields of action; step 2 asks only the
questions whose ``fields`` meet that selection:

============================== ====== ========= ======== ===== =====
question                       energy buildings mobility waste green
============================== ====== ========= ======== ===== =====
stage, size, owner, risk,      yes    yes       yes      yes   yes
timeline, borrowing,
assistance, co-benefits
revenue, payback               yes    yes       yes      yes   —
savings (lower energy bills)   yes    yes       —        —     —
============================== ====== ========= ======== ===== =====

Why: green infrastructure and nature-based solutions seldom earn revenue that a lender could
count on, so revenue and payback are not asked for them alone (and no rule on them fires);
energy-bill savings, which repay revolving funds, energy performance contracts and on-bill
schemes, only arise in energy systems and buildings. The co-benefits offered also follow the
fields (``Option.fields``): biodiversity for green infrastructure and buildings, circular
materials for waste and buildings, and so on.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.core.vocabularies import FieldOfAction
from cityzero.finance.matching import SIZE_BAND, TICKET, Answers

ALL_FIELDS = frozenset(FieldOfAction.values)
EARNING_FIELDS = frozenset({"energy", "buildings", "mobility", "waste"})
SAVING_FIELDS = frozenset({"energy", "buildings"})

SINGLE, MULTIPLE, AMOUNT = "single", "multiple", "amount"
MIN_SIZE = 1_000
MAX_SIZE = 10_000_000_000  # €10 bn: more than any single project of a mission city
MAX_SHOWN = 40  # characters of a bad value repeated in an error message


@dataclass(frozen=True)
class Option:
    code: str
    label: Any
    fields: frozenset[str] = ALL_FIELDS  # offered when one of these fields is chosen


@dataclass(frozen=True)
class Question:
    code: str
    label: Any
    kind: str
    group: str = ""
    help: Any = ""
    options: tuple[Option, ...] = ()
    fields: frozenset[str] = ALL_FIELDS  # asked when one of these fields is chosen
    required: bool = True

    def asked_for(self, fields: frozenset[str]) -> bool:
        return bool(self.fields & fields)

    def options_for(self, fields: frozenset[str]) -> tuple[Option, ...]:
        return tuple(option for option in self.options if option.fields & fields)

    def label_of(self, code: str) -> Any:
        return next((option.label for option in self.options if option.code == code), code)


def _options(*pairs: tuple[str, Any]) -> tuple[Option, ...]:
    return tuple(Option(code, label) for code, label in pairs)


FIELDS = Question(
    "fields",
    gettext_lazy("Fields of action"),
    MULTIPLE,
    help=gettext_lazy("Choose every field your project works in."),
    options=_options(*FieldOfAction.choices),
)

GROUPS = (
    ("project", gettext_lazy("The project")),
    ("money", gettext_lazy("Money in and out")),
    ("city", gettext_lazy("The city's situation")),
    ("benefits", gettext_lazy("Beyond emissions")),
)

QUESTIONS: tuple[Question, ...] = (
    FIELDS,
    Question(
        "stage",
        gettext_lazy("Project stage"),
        SINGLE,
        "project",
        options=_options(
            ("idea", gettext_lazy("Idea: the need is known, no study yet")),
            ("feasibility", gettext_lazy("Feasibility: studies and options under way")),
            ("investment_ready", gettext_lazy("Investment-ready: costed, designed, approved")),
        ),
    ),
    Question(
        "size",
        gettext_lazy("Project size (€)"),
        AMOUNT,
        "project",
        help=gettext_lazy("The total investment in euros, as a whole number, e.g. 2500000."),
    ),
    Question(
        "owner",
        gettext_lazy("Who will own the asset?"),
        SINGLE,
        "project",
        options=_options(
            ("city", gettext_lazy("The city")),
            ("municipal_company", gettext_lazy("A municipal company or utility")),
            ("private", gettext_lazy("A private company")),
            ("citizens", gettext_lazy("Citizens or a cooperative")),
        ),
    ),
    Question(
        "risk",
        gettext_lazy("How proven is the solution?"),
        SINGLE,
        "project",
        options=_options(
            ("proven", gettext_lazy("Proven: done many times before")),
            ("adapted", gettext_lazy("Adapted: proven elsewhere, new here")),
            ("innovative", gettext_lazy("Innovative: not yet proven anywhere")),
        ),
    ),
    Question(
        "timeline",
        gettext_lazy("When is the money needed?"),
        SINGLE,
        "project",
        options=_options(
            ("within_1_year", gettext_lazy("Within a year")),
            ("1_to_3_years", gettext_lazy("In one to three years")),
            ("over_3_years", gettext_lazy("In more than three years")),
        ),
    ),
    Question(
        "revenue",
        gettext_lazy("Will the project generate revenue?"),
        SINGLE,
        "money",
        help=gettext_lazy("Sales of energy, fares, fees, rents or materials."),
        options=_options(
            ("yes", gettext_lazy("Yes")),
            ("partly", gettext_lazy("Partly")),
            ("no", gettext_lazy("No")),
        ),
        fields=EARNING_FIELDS,
    ),
    Question(
        "savings",
        gettext_lazy("Will the project lower energy bills?"),
        SINGLE,
        "money",
        options=_options(("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))),
        fields=SAVING_FIELDS,
    ),
    Question(
        "payback",
        gettext_lazy("Payback period"),
        SINGLE,
        "money",
        help=gettext_lazy("How long revenue and savings take to repay the investment."),
        options=_options(
            ("short", gettext_lazy("Under 7 years")),
            ("medium", gettext_lazy("7 to 15 years")),
            ("long", gettext_lazy("More than 15 years")),
            ("none", gettext_lazy("It does not pay back")),
            ("not_sure", gettext_lazy("Not sure yet")),
        ),
        fields=EARNING_FIELDS,
    ),
    Question(
        "borrowing",
        gettext_lazy("The city's borrowing headroom"),
        SINGLE,
        "city",
        help=gettext_lazy("How much more the city may borrow under its legal debt limit."),
        options=_options(
            ("ample", gettext_lazy("Ample")),
            ("limited", gettext_lazy("Limited")),
            ("none", gettext_lazy("None: at or near the limit")),
            ("not_sure", gettext_lazy("Not sure")),
        ),
    ),
    Question(
        "assistance",
        gettext_lazy("Need for technical assistance"),
        SINGLE,
        "city",
        help=gettext_lazy("Help to prepare the project: studies, audits, business plan, tender."),
        options=_options(
            ("none", gettext_lazy("None: the team can prepare it")),
            ("some", gettext_lazy("Some")),
            ("substantial", gettext_lazy("Substantial")),
        ),
    ),
    Question(
        "cobenefits",
        gettext_lazy("Co-benefits"),
        MULTIPLE,
        "benefits",
        help=gettext_lazy("Optional: what else the project brings."),
        options=(
            Option("social", gettext_lazy("Social inclusion and less energy poverty")),
            Option(
                "health",
                gettext_lazy("Cleaner air and better health"),
                frozenset({"energy", "mobility", "green"}),
            ),
            Option(
                "nature",
                gettext_lazy("Biodiversity"),
                frozenset({"green", "buildings"}),
            ),
            Option(
                "adaptation",
                gettext_lazy("Adaptation to heat, drought and floods"),
                frozenset({"green", "buildings"}),
            ),
            Option("jobs", gettext_lazy("Local jobs and skills")),
            Option(
                "circular",
                gettext_lazy("Fewer raw materials, more reuse"),
                frozenset({"waste", "buildings"}),
            ),
            Option("participation", gettext_lazy("Citizens taking part and owning a share")),
            Option("cooperation", gettext_lazy("Learning with cities in other countries")),
        ),
        required=False,
    ),
)
BY_CODE = {question.code: question for question in QUESTIONS}
STEP_2 = tuple(question for question in QUESTIONS if question is not FIELDS)

#: Answers the matcher works out itself, which rules may use like questions.
DERIVED = (
    Question(
        SIZE_BAND,
        gettext_lazy("Project size band (worked out from the size)"),
        SINGLE,
        options=_options(
            ("micro", gettext_lazy("Under €100,000")),
            ("small", gettext_lazy("€100,000 to €1 million")),
            ("medium", gettext_lazy("€1 million to €10 million")),
            ("large", gettext_lazy("€10 million to €50 million")),
            ("very_large", gettext_lazy("€50 million or more")),
        ),
    ),
    Question(
        TICKET,
        gettext_lazy("Project size against the funding type's ticket size"),
        SINGLE,
        options=_options(
            ("below", gettext_lazy("Smaller than its usual minimum")),
            ("within", gettext_lazy("Within its usual range")),
            ("above", gettext_lazy("Larger than its usual maximum")),
        ),
    ),
)

#: What a matching rule may ask about: every question with options, and the derived answers.
RULE_QUESTIONS = {q.code: q for q in (*QUESTIONS, *DERIVED) if q.kind != AMOUNT}


# --- reading answers ------------------------------------------------------------------------------


@dataclass
class Checked:
    """Answers as they were understood, and what was wrong, by question code."""

    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.answers.get("fields", ()))

    def complain(self, code: str, message: str) -> None:
        self.errors.setdefault(code, []).append(message)


def asked(fields: frozenset[str]) -> tuple[Question, ...]:
    """The step-2 questions for this selection of fields, in order."""
    return tuple(question for question in STEP_2 if question.asked_for(fields))


def _shown(value: str) -> str:
    value = value.strip()
    return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"


def _labels(options: Sequence[Option]) -> str:
    return ", ".join(str(option.label) for option in options)


def _read_choices(question: Question, values: list[str], fields: frozenset[str], checked: Checked):
    offered = question.options_for(fields) if question is not FIELDS else question.options
    codes = {option.code for option in offered}
    chosen = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if question.kind == SINGLE and len(chosen) > 1:
        checked.complain(question.code, _("Choose one answer only."))
        return
    unknown = [value for value in chosen if value not in codes]
    if unknown:
        checked.complain(
            question.code,
            _("“%(value)s” is not an answer to this question. Choose from: %(choices)s.")
            % {"value": _shown(unknown[0]), "choices": _labels(offered)},
        )
        return
    if not chosen:
        if question.required:
            checked.complain(question.code, _("Choose an answer."))
        return
    if question.kind == SINGLE:
        checked.answers[question.code] = chosen[0]
    else:  # in the questionnaire's order, so that equal choices give equal answers
        checked.answers[question.code] = [o.code for o in offered if o.code in chosen]


_GROUPED = re.compile(r"^\d{1,3}([,.]\d{3})+$")
_SPACES = re.compile(r"[\s_'\u00a0\u202f]")
_WHOLE = re.compile(r"^(-?)(\d+)$", re.ASCII)
MAX_DIGITS = len(str(MAX_SIZE))


def parse_size(text: str) -> int:
    """Whole euros from what a person types ("2500000", "2 500 000", "2,500,000" or
    "2.500.000"); ValueError with the message to show."""
    cleaned = _SPACES.sub("", text)
    if _GROUPED.match(cleaned):
        cleaned = re.sub(r"[,.]", "", cleaned)
    if not cleaned:
        raise ValueError(_("Give the project's size in euros."))
    whole = _WHOLE.match(cleaned)
    if whole is None:
        raise ValueError(
            _("Give the size in whole euros, digits only, e.g. 2500000 (not “%(value)s”).")
            % {"value": _shown(text)}
        )
    sign, digits = whole.groups()
    digits = digits.lstrip("0") or "0"
    size = int(digits) if len(digits) <= MAX_DIGITS else MAX_SIZE + 1
    if sign or size < MIN_SIZE:
        raise ValueError(_("The size must be at least €%(min)s.") % {"min": f"{MIN_SIZE:,}"})
    if size > MAX_SIZE:
        raise ValueError(
            _("The size must be at most €%(max)s; for a larger programme, enter one project.")
            % {"max": f"{MAX_SIZE:,}"}
        )
    return size


def _read_size(values: list[str], checked: Checked) -> None:
    texts = [value for value in values if value.strip()]
    if len(texts) > 1:
        checked.complain("size", _("Give one size only."))
    elif not texts:
        checked.complain("size", _("Give the project's size in euros."))
    else:
        try:
            checked.answers["size"] = parse_size(texts[0])
        except ValueError as error:
            checked.complain("size", str(error))


def check(params: Mapping[str, list[str]], *, complete: bool = True) -> Checked:
    """Answers from a query string's values (``QueryDict.lists()`` as a dict).

    Step 1 (the fields) is always checked; ``complete`` also checks every step-2 question asked
    for those fields. Parameters that are not questions, or questions not asked for the fields
    chosen, are left out: they cannot change the result.
    """
    checked = Checked()
    _read_choices(FIELDS, params.get("fields", []), ALL_FIELDS, checked)
    if not complete or checked.errors:
        return checked
    fields = checked.fields
    for question in asked(fields):
        values = params.get(question.code, [])
        if question.kind == AMOUNT:
            _read_size(values, checked)
        else:
            _read_choices(question, values, fields, checked)
    return checked


def check_query(query: QueryDict, *, complete: bool = True) -> Checked:
    return check(dict(query.lists()), complete=complete)


def as_params(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """An API body's answers ({"fields": [...], "size": 2500000, ...}) as query-string values."""
    params: dict[str, list[str]] = {}
    for code, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        params[code] = [str(item) for item in values]
    return params


def query_string(answers: Mapping[str, Any]) -> str:
    """The answers as a query string, in the questionnaire's order: a shareable result URL."""
    query = QueryDict(mutable=True)
    for question in QUESTIONS:
        value = answers.get(question.code)
        if isinstance(value, list):
            query.setlist(question.code, value)
        elif value is not None:
            query[question.code] = str(value)
    return query.urlencode()


def for_matching(answers: Mapping[str, Any]) -> Answers:
    """Checked answers as the matcher takes them."""
    choices = {
        code: frozenset(value if isinstance(value, list) else [value])
        for code, value in answers.items()
        if code != "size"
    }
    return Answers(choices=choices, size=answers.get("size"))


@dataclass(frozen=True)
class AnswerLine:
    question: Question
    text: str


def describe(answers: Mapping[str, Any]) -> list[AnswerLine]:
    """The answers in words, question by question, for result pages and exports."""
    lines = []
    for question in QUESTIONS:
        value = answers.get(question.code)
        if value is None:
            continue
        if question.kind == AMOUNT:
            text = f"€{value:,}"
        elif isinstance(value, list):
            text = ", ".join(str(question.label_of(code)) for code in value) or "—"
        else:
            text = str(question.label_of(value))
        lines.append(AnswerLine(question, text))
    return lines
