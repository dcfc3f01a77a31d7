"""The way from a draft contract to the Mission Label, as a table of steps (DOMAIN §3).

draft → submitted → platform feedback → commission review → endorsed, with revisions requested
after feedback or review, and withdrawal while in review. Each step says who may take it (a
permission action of ``accounts.permissions``) and whether it needs a message. An iteration whose
revisions were requested, or that was withdrawn, stays as it was: the city revises in the next
iteration and submits that.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityzero.contracts.models import IN_REVIEW, IterationStatus
from cityzero.core.workflow import Step, table

S = IterationStatus


STEPS: dict[str, Step] = table(
    Step("submit", _("Submit to the platform"), frozenset({S.DRAFT}), S.SUBMITTED,
         "contract.submit", message_help=_("Anything the reviewers should know (optional).")),
    Step("open_feedback", _("Start platform feedback"), frozenset({S.SUBMITTED}), S.FEEDBACK,
         "review.manage"),
    Step("request_changes", _("Ask the city for changes"), frozenset({S.FEEDBACK}),
         S.REVISIONS_REQUESTED, "review.give_feedback", message_required=True,
         message_help=_("What the city should change before it resubmits.")),
    Step("forward", _("Forward to the Commission"), frozenset({S.FEEDBACK}),
         S.COMMISSION_REVIEW, "review.manage"),
    Step("request_revisions", _("Request revisions"), frozenset({S.COMMISSION_REVIEW}),
         S.REVISIONS_REQUESTED, "review.decide", message_required=True,
         message_help=_("The revisions the Commission requests.")),
    Step("endorse", _("Endorse and award the Mission Label"),
         frozenset({S.COMMISSION_REVIEW}), S.ENDORSED, "review.decide"),
    Step("withdraw", _("Withdraw the submission"), frozenset(IN_REVIEW), S.WITHDRAWN,
         "contract.withdraw", message_required=True,
         message_help=_("Why the city withdraws it.")),
)  # fmt: skip

FINAL = frozenset({S.ENDORSED, S.REVISIONS_REQUESTED, S.WITHDRAWN})
# The stage a reviewer is assigned to, by the status in which their work is due.
STAGE_STATUS = {"feedback": S.FEEDBACK, "commission": S.COMMISSION_REVIEW}


def refusal(step: Step, status: str) -> str | None:
    """Why ``step`` cannot be taken from ``status``, or None when it can."""
    if status in step.sources:
        return None
    if status == S.ENDORSED:
        return gettext("This iteration is endorsed: the decision is final.")
    if status in FINAL:
        return gettext(
            "This iteration is closed (%(status)s). The city revises the contract in its next "
            "iteration and submits that one."
        ) % {"status": S(status).label}
    allowed = ", ".join(str(label) for value, label in S.choices if value in step.sources)
    return gettext(
        "“%(step)s” is not possible while the iteration is “%(status)s”; only from: %(allowed)s."
    ) % {"step": step.label, "status": S(status).label, "allowed": allowed}


def steps_from(status: str) -> list[Step]:
    return [step for step in STEPS.values() if status in step.sources]
