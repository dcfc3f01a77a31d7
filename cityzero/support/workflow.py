"""The way of a question to an expert, as one table of steps.

submitted → routed (staff choose an expert) → answered (the expert, or staff, answer) → closed.
A city member's reply to an answered request reopens it and restarts the response-time clock;
staff may route a request again (to another expert) until it is answered. A request may be
closed at any time before, once answered or when the city withdraws it; closed is final.
Each step names the permission action of ``accounts.permissions`` that allows it.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityzero.core.workflow import Step, table
from cityzero.support.models import AWAITING_ANSWER, OPEN, RequestStatus

S = RequestStatus


STEPS: dict[str, Step] = table(
    Step("route", _("Route to an expert"), AWAITING_ANSWER, S.ROUTED, "support.manage"),
    Step("answer", _("Answer"), AWAITING_ANSWER, S.ANSWERED, "support.answer"),
    Step("follow_up", _("Ask a follow-up question"), frozenset({S.ANSWERED}), S.REOPENED,
         "support.reply"),
    Step("close", _("Close the request"), OPEN, S.CLOSED, "support.close"),
)  # fmt: skip


def refusal(step: Step, status: str) -> str | None:
    """Why ``step`` cannot be taken from ``status``, or None when it can."""
    if status in step.sources:
        return None
    if status == S.CLOSED:
        return gettext("This request is closed. Ask a new question if you need more help.")
    allowed = ", ".join(str(label) for value, label in S.choices if value in step.sources)
    return gettext(
        "“%(step)s” is not possible while the request is “%(status)s”; only when: %(allowed)s."
    ) % {"step": step.label, "status": S(status).label, "allowed": allowed}
