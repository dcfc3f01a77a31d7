"""The Twinning Learning Programme's three modules and their deliverables (DOMAIN §5).

Twins work through the modules in order: a module's deliverables can be handed in once every
deliverable of the modules before it is in. The programme ends with the replication plan, the
last deliverable of the last module.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Deliverable:
    code: str
    title: Promise
    guidance: Promise


@dataclass(frozen=True)
class Module:
    code: str
    title: Promise
    purpose: Promise
    deliverables: tuple[Deliverable, ...]


MODULES: tuple[Module, ...] = (
    Module(
        "getting_started",
        _("Getting started"),
        _("The twins get to know the pilot activity and agree what they want to learn from it."),
        (
            Deliverable(
                "learning_agreement",
                _("Learning agreement"),
                _(
                    "What the twins want to learn, who takes part on each side, and when and how "
                    "they meet."
                ),
            ),
            Deliverable(
                "starting_point",
                _("Starting point of each twin"),
                _(
                    "Where each twin city stands on the pilot's challenge: its plans, data, "
                    "partners and barriers."
                ),
            ),
        ),
    ),
    Module(
        "co_creating",
        _("Co-creating"),
        _("The twins visit the pilot and adapt its solution to their own city with it."),
        (
            Deliverable(
                "study_visit",
                _("Study visit report"),
                _("What the twins saw and heard at the pilot city, and what surprised them."),
            ),
            Deliverable(
                "adaptation",
                _("Adapted solution"),
                _("How each twin adapts the pilot's solution to its own context, and why."),
            ),
        ),
    ),
    Module(
        "capitalising",
        _("Capitalising"),
        _("The twins turn what they learnt into a plan they will carry out."),
        (
            Deliverable(
                "replication_plan",
                _("Replication plan"),
                _(
                    "What each twin will replicate, with whom, at what cost and by when, and how "
                    "it will know that it works."
                ),
            ),
        ),
    ),
)

DELIVERABLES: dict[str, Deliverable] = {d.code: d for m in MODULES for d in m.deliverables}
MODULE_OF: dict[str, Module] = {d.code: m for m in MODULES for d in m.deliverables}


def required_before(code: str) -> list[str]:
    """The deliverables of the modules before the one that ``code`` belongs to."""
    earlier: list[str] = []
    for module in MODULES:
        if module is MODULE_OF[code]:
            return earlier
        earlier += [deliverable.code for deliverable in module.deliverables]
    return earlier


def modules_done(handed_in: set[str]) -> list[Module]:
    """The modules whose every deliverable is in."""
    return [m for m in MODULES if all(d.code in handed_in for d in m.deliverables)]
