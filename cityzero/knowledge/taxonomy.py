"""The Knowledge Repository's tags: 40, in five facets, designed from the mission's vocabularies
(DOMAIN §2, §4). The real repository's tags are not public; these are our design. Staff edit the
tags in the admin; this list seeds them (``load_reference_data``) and never overwrites an edit.

Field-of-action and lever tags use the codes of ``core.vocabularies``, so that a contract's actions
point straight at the entries about them.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.core.vocabularies import FieldOfAction, SystemicLever


class Facet(models.TextChoices):
    FIELD = "field", _("Field of action")
    LEVER = "lever", _("Systemic lever")
    PHASE = "phase", _("Transition-map phase")
    CONTRACT = "contract", _("Climate City Contract")
    THEME = "theme", _("Theme")


@dataclass(frozen=True)
class TagSpec:
    code: str
    facet: str
    name: str
    description: str = ""


def _from_choices(facet: str, choices) -> list[TagSpec]:
    return [TagSpec(value, facet, str(label)) for value, label in choices]


TAGS: tuple[TagSpec, ...] = (
    *_from_choices(Facet.FIELD, FieldOfAction.choices),
    *_from_choices(Facet.LEVER, SystemicLever.choices),
    TagSpec("phase-mandate", Facet.PHASE, "1 Build a strong mandate",
            "Political commitment, a mission team, a shared vision and the council's decision."),
    TagSpec("phase-system", Facet.PHASE, "2 Understand the system",
            "Baseline emissions, the actors, the barriers and the levers of the city's system."),
    TagSpec("phase-portfolio", Facet.PHASE, "3 Co-design a portfolio",
            "Impact pathways and a portfolio of actions designed with stakeholders."),
    TagSpec("phase-act", Facet.PHASE, "4 Act",
            "Finance, procure and deliver the portfolio; run pilots and scale them."),
    TagSpec("phase-learn", Facet.PHASE, "5 Learn & reflect",
            "Monitor indicators and emissions, evaluate, and adjust the portfolio."),
    TagSpec("phase-normal", Facet.PHASE, "6 Make it the new normal",
            "Embed what works in rules, budgets, institutions and everyday practice."),
    TagSpec("ccc-commitments", Facet.CONTRACT, "Contract: commitments",
            "Goal, priorities, signatories and support statements (CCC part 1)."),
    TagSpec("ccc-action-plan", Facet.CONTRACT, "Contract: action plan",
            "Baseline, impact pathways, actions, indicators and governance (CCC part 2)."),
    TagSpec("ccc-investment-plan", Facet.CONTRACT, "Contract: investment plan",
            "Costs, capital sources, the capital gap and financing policies (CCC part 3)."),
    TagSpec("ghg-inventory", Facet.CONTRACT, "GHG inventory",
            "Building and keeping a GPC inventory: data, factors, scopes and quality."),
    TagSpec("district-heating", Facet.THEME, "District heating and cooling"),
    TagSpec("energy-communities", Facet.THEME, "Local energy communities"),
    TagSpec("renewables", Facet.THEME, "Renewable energy"),
    TagSpec("renovation", Facet.THEME, "Building renovation"),
    TagSpec("active-mobility", Facet.THEME, "Walking and cycling"),
    TagSpec("public-transport", Facet.THEME, "Public transport"),
    TagSpec("electromobility", Facet.THEME, "Electric mobility"),
    TagSpec("circular-economy", Facet.THEME, "Circular economy"),
    TagSpec("sustainable-food", Facet.THEME, "Sustainable food"),
    TagSpec("nature-based", Facet.THEME, "Nature-based solutions"),
    TagSpec("citizen-assemblies", Facet.THEME, "Citizens' assemblies and city labs"),
    TagSpec("co-creation", Facet.THEME, "Co-creation with citizens"),
    TagSpec("behaviour-change", Facet.THEME, "Behavioural change and sustainable living"),
    TagSpec("green-finance", Facet.THEME, "Green finance and bonds"),
    TagSpec("procurement", Facet.THEME, "Public procurement"),
    TagSpec("just-transition", Facet.THEME, "Just transition"),
    TagSpec("data-monitoring", Facet.THEME, "Data, monitoring and indicators"),
    TagSpec("smart-city", Facet.THEME, "Smart city and digital platforms"),
    TagSpec("multi-level", Facet.THEME, "Multi-level governance"),
)  # fmt: skip
BY_CODE = {tag.code: tag for tag in TAGS}
