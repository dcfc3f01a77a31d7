"""The support needs assessment: what a city's advisor asks about its capacities, and the scoring.

Five areas, four statements each, every statement scored on the same four labelled levels; a
statement may be left unscored ("not assessed"): missing is not a low score. An area's score is
the mean of its scored statements. The questionnaire is ours, written for this project (the
mission's own assessment, SNAP, is not public). Scoring is plain arithmetic over plain data.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

LOWEST, HIGHEST = 1, 4
# An area whose mean score is below this is weak: the city's capacity there is low.
WEAK_BELOW = Decimal("2.5")


class Level(models.IntegerChoices):
    INITIAL = 1, _("1 Initial: not in place")
    DEVELOPING = 2, _("2 Developing: started, patchy")
    ESTABLISHED = 3, _("3 Established: in place and working")
    ADVANCED = 4, _("4 Advanced: embedded and improving")


class Support(models.TextChoices):
    NONE = "none", _("Not needed")
    HELPFUL = "helpful", _("Helpful")
    PRIORITY = "priority", _("Priority")


@dataclass(frozen=True)
class Question:
    code: str
    text: Any


@dataclass(frozen=True)
class Area:
    code: str
    name: Any
    short_name: Any  # "finance capacity is low"
    questions: tuple[Question, ...]


AREAS: tuple[Area, ...] = (
    Area("governance", _("Governance"), _("governance"), (
        Question("governance-mandate",
                 _("The council has given a formal mandate for climate neutrality by 2030.")),
        Question("governance-team",
                 _("A cross-department mission team has the time and authority it needs.")),
        Question("governance-coordination",
                 _("Departments, municipal companies and other levels of government coordinate "
                   "their climate work.")),
        Question("governance-reporting",
                 _("Progress is reported to the council, and decisions follow from it.")),
    )),
    Area("data", _("Data and inventory"), _("data and inventory"), (
        Question("data-inventory",
                 _("The city keeps a GPC-based greenhouse gas inventory, updated at least every "
                   "two years.")),
        Question("data-activity",
                 _("Activity data (energy, transport, waste) comes from utilities and agencies "
                   "without great effort.")),
        Question("data-modelling",
                 _("The city can project its emissions and estimate what each action saves.")),
        Question("data-indicators",
                 _("Indicators for the action portfolio are defined and tracked.")),
    )),
    Area("finance", _("Finance"), _("finance"), (
        Question("finance-costing",
                 _("The investment needs of the action portfolio are costed.")),
        Question("finance-budget",
                 _("Climate spending can be identified in the municipal budget.")),
        Question("finance-sources",
                 _("The city knows which funding and financing fit its projects, and applies "
                   "for them.")),
        Question("finance-pipeline",
                 _("Projects are prepared up to investment-ready (feasibility, business case).")),
    )),
    Area("engagement", _("Stakeholder engagement"), _("stakeholder engagement"), (
        Question("engagement-mapping",
                 _("Stakeholders are mapped by their influence and interest.")),
        Question("engagement-citizens",
                 _("Citizens take part in designing actions (assemblies, labs, co-creation).")),
        Question("engagement-commitments",
                 _("Businesses, utilities, academia and finance sign up to commitments.")),
        Question("engagement-communication",
                 _("The city communicates the mission and its progress regularly.")),
    )),
    Area("skills", _("Skills"), _("skills"), (
        Question("skills-technical",
                 _("There are enough staff with the technical skills the portfolio needs.")),
        Question("skills-procurement",
                 _("Procurement teams can run innovative and green procurement.")),
        Question("skills-learning",
                 _("Staff take part in training and peer learning with other cities.")),
        Question("skills-retention",
                 _("Know-how stays in the organisation when people leave.")),
    )),
)  # fmt: skip
AREA_BY_CODE = {area.code: area for area in AREAS}
QUESTION_CODES = frozenset(q.code for area in AREAS for q in area.questions)


@dataclass(frozen=True)
class AreaResult:
    area: Area
    score: Decimal | None  # mean of the scored statements, one decimal; None: not assessed
    scored: int  # statements scored
    support: str = Support.NONE
    note: str = ""

    @property
    def is_weak(self) -> bool:
        return self.score is not None and self.score < WEAK_BELOW

    @property
    def needs_support(self) -> bool:
        return self.is_weak or self.support == Support.PRIORITY

    @property
    def support_label(self) -> Any:
        return Support(self.support).label

    @property
    def level(self) -> Level | None:
        """The level the mean rounds to (half up), for words next to the number."""
        if self.score is None:
            return None
        return Level(int(self.score.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def area_score(scores: list[int]) -> Decimal | None:
    if not scores:
        return None
    mean = Decimal(sum(scores)) / Decimal(len(scores))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def area_results(
    answers: dict[str, int], areas: dict[str, tuple[str, str]] | None = None
) -> list[AreaResult]:
    """Each area's result, in questionnaire order. ``answers``: question code → level;
    ``areas``: area code → (support, note)."""
    areas = areas or {}
    results = []
    for area in AREAS:
        scores = [answers[q.code] for q in area.questions if q.code in answers]
        support, note = areas.get(area.code, (Support.NONE, ""))
        results.append(AreaResult(area, area_score(scores), len(scores), support, note))
    return results


def check_answers(answers: dict[str, int]) -> list[str]:
    """What is wrong with a set of answers, in words (empty: nothing)."""
    problems = []
    unknown = sorted(set(answers) - QUESTION_CODES)
    if unknown:
        problems.append(str(_("Unknown questions: %(codes)s.")) % {"codes": ", ".join(unknown)})
    if any(not LOWEST <= score <= HIGHEST for score in answers.values()):
        problems.append(str(_("Scores go from %(low)s to %(high)s.")) % {
            "low": LOWEST, "high": HIGHEST})  # fmt: skip
    if not answers:
        problems.append(str(_("Score at least one statement.")))
    return problems
