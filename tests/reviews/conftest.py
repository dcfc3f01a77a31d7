"""A submitted contract iteration, the people who move it along, and a label round."""

import datetime

import pytest
from django.utils import timezone

from cityzero.accounts.models import PlatformRole
from cityzero.contracts import services as contracts
from cityzero.contracts.models import Iteration
from cityzero.reviews import services
from cityzero.reviews.models import Assignment
from tests.contracts.conftest import complete, make_baseline
from tests.factories import LabelRoundFactory, UserFactory

# The steps that bring a fresh draft to each status, and who takes them.
WAY = {
    "draft": [],
    "submitted": ["submit"],
    "feedback": ["submit", "open_feedback"],
    "commission": ["submit", "open_feedback", "forward"],
    "revisions": ["submit", "open_feedback", "request_changes"],
    "endorsed": ["submit", "open_feedback", "forward", "endorse"],
    "withdrawn": ["submit", "withdraw"],
}


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def baseline(city):
    return make_baseline(city)


@pytest.fixture
def iteration(city, baseline):
    """Aachen's first contract iteration, a draft."""
    return contracts.start_contract(city, baseline=baseline, by=None)


@pytest.fixture
def label_round(db):
    return LabelRoundFactory(code="2024-03", name="Mission Label round, March 2024",
                             awarded_on=datetime.date(2024, 3, 14))  # fmt: skip


@pytest.fixture
def editor(make_person):
    return make_person("editor")


@pytest.fixture
def staff(make_person):
    return make_person("staff")


@pytest.fixture
def officer(make_person):
    return make_person("officer")


@pytest.fixture
def reviewer(db):
    return UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Rita Reviewer")


@pytest.fixture
def bring(editor, staff, officer, label_round):
    """bring(iteration, status): complete the draft, then take the steps to that status, each
    by whom it belongs to."""
    actors = {"submit": editor, "withdraw": editor, "open_feedback": staff, "forward": staff,
              "request_changes": staff, "request_revisions": officer, "endorse": officer}  # fmt: skip

    def bring(iteration: Iteration, status: str) -> Iteration:
        complete(iteration)
        for code in WAY[status]:
            services.take_step(iteration, code, by=actors[code], message="Because.",
                               label_round=label_round)  # fmt: skip
        iteration.refresh_from_db()
        return iteration

    return bring


def assign(iteration, reviewer, *, stage="feedback", module="", by=None) -> Assignment:
    return services.assign_reviewer(iteration, reviewer=reviewer, stage=stage, module=module,
                                    expertise="thematic", due_on=in_days(21), by=by)  # fmt: skip
