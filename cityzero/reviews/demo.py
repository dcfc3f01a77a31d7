"""The demo's review: Aachen's iteration 1 submitted and in platform feedback, with a question."""

import datetime

from django.utils import timezone

from cityzero.contracts import services as contract_services
from cityzero.contracts.models import CommentSide, Iteration
from cityzero.contracts.modules import BY_CODE
from cityzero.reviews import services


def load_demo_review(iteration: Iteration, *, coordinator, staff, advisor, reviewer) -> None:
    """Submit the illustrative iteration, open feedback, assign reviewers and ask a question."""
    today = timezone.localdate()
    services.take_step(iteration, "submit", by=coordinator,
                       message="Illustrative submission for the demo.")  # fmt: skip
    services.take_step(iteration, "open_feedback", by=staff)
    services.assign_reviewer(iteration, reviewer=advisor, stage="feedback", expertise="advisor",
                             due_on=today + datetime.timedelta(days=14), by=staff)  # fmt: skip
    services.assign_reviewer(iteration, reviewer=reviewer, stage="commission", expertise="eib",
                             due_on=today + datetime.timedelta(days=45), by=staff)  # fmt: skip
    biowaste = iteration.actions.get(name="Separate biowaste collection")
    contract_services.add_comment(
        iteration, module=BY_CODE["actions"], anchor=f"item:{biowaste.key}", by=advisor,
        side=CommentSide.REVIEWER,
        body="Which collection rate does the 40,000 t reduction assume, and by which year?",
    )  # fmt: skip
