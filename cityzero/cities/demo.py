"""The demo's support needs assessments: two of Aachen's, a year apart, recorded by its advisor
through the same service advisors use. Illustrative, like the rest of the demo dossier."""

from datetime import date

from cityzero.cities.models import City, NeedsAssessment
from cityzero.cities.services import NeedsInput, record_needs_assessment

ILLUSTRATIVE = "Illustrative demonstration content. "

# question code → level, per assessment date: finance and skills stay weak in the newer one.
DEMO_ANSWERS = {
    date(2024, 10, 7): {
        "governance-mandate": 3, "governance-team": 2, "governance-coordination": 2,
        "governance-reporting": 2,
        "data-inventory": 2, "data-activity": 2, "data-modelling": 1, "data-indicators": 2,
        "finance-costing": 1, "finance-budget": 2, "finance-sources": 1, "finance-pipeline": 1,
        "engagement-mapping": 2, "engagement-citizens": 3, "engagement-commitments": 2,
        "engagement-communication": 3,
        "skills-technical": 2, "skills-procurement": 1, "skills-learning": 2,
    },
    date(2025, 10, 6): {
        "governance-mandate": 4, "governance-team": 3, "governance-coordination": 3,
        "governance-reporting": 3,
        "data-inventory": 3, "data-activity": 2, "data-modelling": 2, "data-indicators": 3,
        "finance-costing": 2, "finance-budget": 2, "finance-sources": 1, "finance-pipeline": 2,
        "engagement-mapping": 3, "engagement-citizens": 3, "engagement-commitments": 2,
        "engagement-communication": 3,
        "skills-technical": 2, "skills-procurement": 2, "skills-learning": 3,
        "skills-retention": 2,
    },
}  # fmt: skip
DEMO_AREAS = {
    "governance": ("none", "The council adopted the 2030 goal; the mission team meets monthly."),
    "data": ("helpful", "The inventory follows GPC; transport data still comes from a model."),
    "finance": ("priority", "Retrofits of schools and social housing have no financing plan yet; "
                            "the debt ceiling limits borrowing."),
    "engagement": ("none", "A citizens' climate council advises the mission team."),
    "skills": ("priority", "Too few engineers for heat planning; procurement staff ask for "
                           "training on energy performance contracts."),
}  # fmt: skip


def load_demo_needs(city: City, *, advisor) -> int:
    """Record the demo assessments the city does not have yet; how many were recorded."""
    recorded = 0
    for assessed_on, answers in DEMO_ANSWERS.items():
        if NeedsAssessment.objects.filter(city=city, assessed_on=assessed_on).exists():
            continue
        areas = {
            code: (support, ILLUSTRATIVE + note) for code, (support, note) in DEMO_AREAS.items()
        }
        data = NeedsInput(assessed_on=assessed_on, answers=answers, areas=areas)
        record_needs_assessment(city, data=data, by=advisor)
        recorded += 1
    return recorded
