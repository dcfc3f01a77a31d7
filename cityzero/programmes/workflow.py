"""An application's way from draft to the cohort, as one table of steps.

draft → submitted → eligible or not eligible → under assessment → scored → selected or not
selected; the city may withdraw it until the selection. Eligibility is checked automatically
on submission; when the check cannot tell, the staff decide, giving their reason. Assessment
starts when staff assign the first assessor; the application is scored when every assigned
assessor has submitted. Staff select into the cohort, all of a call's scored applications at
once. Each step names the permission action of ``accounts.permissions`` that allows it (``None``:
only the platform takes it).
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cityzero.programmes.models import ApplicationStatus

S = ApplicationStatus


@dataclass(frozen=True)
class Step:
    code: str
    label: Promise
    sources: frozenset[str]
    target: str
    permission: str | None


BEFORE_SELECTION = frozenset({S.DRAFT, S.SUBMITTED, S.ELIGIBLE, S.UNDER_ASSESSMENT, S.SCORED})
FINAL = frozenset({S.INELIGIBLE, S.SELECTED, S.NOT_SELECTED, S.WITHDRAWN})
# Applications that are still on their way to a decision once submitted.
PENDING = frozenset({S.SUBMITTED, S.ELIGIBLE, S.UNDER_ASSESSMENT})

STEPS: dict[str, Step] = {
    step.code: step
    for step in (
        Step("submit", _("Submitted"), frozenset({S.DRAFT}), S.SUBMITTED, "application.submit"),
        Step(
            "find_eligible",
            _("Found eligible"),
            frozenset({S.SUBMITTED}),
            S.ELIGIBLE,
            "call.manage",
        ),
        Step(
            "find_ineligible",
            _("Found not eligible"),
            frozenset({S.SUBMITTED}),
            S.INELIGIBLE,
            "call.manage",
        ),
        Step(
            "start_assessment",
            _("Assessment started"),
            frozenset({S.ELIGIBLE}),
            S.UNDER_ASSESSMENT,
            "call.manage",
        ),
        Step(
            "complete_scoring",
            _("Scored by every assessor"),
            frozenset({S.UNDER_ASSESSMENT}),
            S.SCORED,
            None,
        ),
        Step("select", _("Selected"), frozenset({S.SCORED}), S.SELECTED, "call.manage"),
        Step("not_select", _("Not selected"), frozenset({S.SCORED}), S.NOT_SELECTED, "call.manage"),
        Step("withdraw", _("Withdrawn"), BEFORE_SELECTION, S.WITHDRAWN, "application.withdraw"),
    )
}


def refusal(step: Step, status: str) -> str | None:
    """Why ``step`` cannot be taken from ``status``, or None when it can."""
    if status in step.sources:
        return None
    if status in FINAL:
        return gettext("This application is closed (%(status)s): nothing more happens to it.") % {
            "status": S(status).label
        }
    if step.code != "submit" and status == S.DRAFT:
        return gettext("This application is a draft: submit it first.")
    if step.code == "submit":
        return gettext("This application is submitted already: nothing in it can change now.")
    allowed = ", ".join(str(label) for value, label in S.choices if value in step.sources)
    return gettext(
        "“%(step)s” is not possible while the application is “%(status)s”; only when: %(allowed)s."
    ) % {"step": step.label, "status": S(status).label, "allowed": allowed}
