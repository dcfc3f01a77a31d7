"""The kinds of notification a person sets preferences for, and the kind of each ``source``.

Other apps call ``services.notify`` with a ``source`` such as ``transition:12``; its prefix says
the kind, so that they need not know about preferences. A prefix not listed here is "other".
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityzero.community.models import Delivery


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise
    default: str  # a Delivery
    prefixes: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind("mention", _("Someone mentions you in a discussion"), Delivery.EMAIL, ("mention",)),
    Kind("reply", _("Replies in discussions you take part in"), Delivery.EMAIL, ("reply",)),
    Kind("discussion", _("New discussions in your groups"), Delivery.DIGEST, ("discussion",)),
    Kind(
        "event",
        _("Events: new ones in your groups, your registrations, cancellations"),
        Delivery.EMAIL,
        ("event", "registration"),
    ),
    Kind(
        "group", _("Your groups: invitations, requests to join, roles"), Delivery.EMAIL, ("group",)
    ),
    Kind("moderation", _("Reports for the groups you moderate"), Delivery.EMAIL, ("flag",)),
    Kind(
        "contract",
        _("Contracts and their review"),
        Delivery.EMAIL,
        ("transition", "comment", "assignment", "reminder"),
    ),
    Kind(
        "monitoring",
        _("Monitoring: progress reports that are due"),
        Delivery.EMAIL,
        ("monitoring",),
    ),
    Kind(
        "support",
        _("Advisors, needs assessments and questions to experts"),
        Delivery.EMAIL,
        ("support", "advisor", "needs-assessment"),
    ),
    Kind(
        "knowledge", _("Your contributions to the Knowledge Repository"), Delivery.EMAIL, ("entry",)
    ),
    Kind(
        "programme",
        _("Calls, applications and programmes"),
        Delivery.EMAIL,
        ("application", "assessment", "activity", "tranche", "report", "twinning", "deliverable"),
    ),
    Kind("other", _("Anything else"), Delivery.EMAIL),
)
BY_CODE = {kind.code: kind for kind in KINDS}
# "report" is the programmes' (an activity's report); reports to moderators are "flag"s.
_BY_PREFIX = {prefix: kind.code for kind in KINDS for prefix in kind.prefixes}


def kind_of(source: str) -> str:
    """The kind of the event a ``source`` names: its prefix before the first ":"."""
    return _BY_PREFIX.get(source.split(":", 1)[0], "other")
