"""The reviewers' rubric. The Commission's scoring criteria are not public (DOMAIN §3); these six
criteria are our design, each read against the mission rules and the modules that show it."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Criterion:
    code: str
    name: Promise
    question: Promise
    modules: tuple[str, ...]  # contract modules a reviewer reads for it


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "ambition",
        _("Ambition"),
        _(
            "Does the contract aim at climate neutrality by 2030: at least 80% of the baseline "
            "reduced in every sector of the mission scope, the rest neutralised, exclusions few "
            "and justified?"
        ),
        ("goal", "policies", "residual"),
    ),
    Criterion(
        "completeness",
        _("Completeness and data quality"),
        _(
            "Is every module filled in, is the baseline inventory complete at BASIC level with its "
            "sources and factors documented, and do the figures agree across the contract?"
        ),
        ("baseline", "barriers", "indicators"),
    ),
    Criterion(
        "pathway",
        _("Credibility of the pathway"),
        _(
            "Do the actions' reductions add up to the target, are the impact pathways plausible "
            "from levers to outcomes, and do the indicators measure progress on them?"
        ),
        ("pathways", "actions", "indicators"),
    ),
    Criterion(
        "investment",
        _("Realism of the investment plan"),
        _(
            "Are the actions costed, the capital sources named and the gap acknowledged; are the "
            "costs per tonne and the funding mix plausible?"
        ),
        ("ip_a1", "ip_a2", "ip_b1", "ip_b2", "ip_b3"),
    ),
    Criterion(
        "governance",
        _("Governance and participation"),
        _(
            "Is the contract backed by the council, are responsibilities clear, and are "
            "stakeholders and citizens involved in deciding and delivering it?"
        ),
        ("priorities", "governance", "social"),
    ),
    Criterion(
        "multilevel",
        _("Multi-level commitments"),
        _(
            "Do regional, national and European partners commit to what the city needs from "
            "them, with support statements and signatures?"
        ),
        ("signatories", "support", "ip_c1"),
    ),
)
BY_CODE = {criterion.code: criterion for criterion in CRITERIA}


class Score(models.IntegerChoices):
    INSUFFICIENT = 1, _("1 – insufficient")
    WEAK = 2, _("2 – weak")
    ADEQUATE = 3, _("3 – adequate")
    GOOD = 4, _("4 – good")
    EXCELLENT = 5, _("5 – excellent")


class Recommendation(models.TextChoices):
    ENDORSE = "endorse", _("Ready for endorsement")
    MINOR = "minor", _("Minor revisions needed")
    MAJOR = "major", _("Major revisions needed")
