"""The staff pipeline and the reviewer's inbox, with hand-built histories."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import PlatformRole
from cityzero.contracts.models import Contract, Iteration
from cityzero.reviews.models import Assignment, Transition
from cityzero.reviews.selectors import pipeline, time_in_states
from tests.factories import CityFactory, UserFactory

DAY = datetime.timedelta(days=1)
T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_time_in_states_counts_each_stay_and_the_open_one_up_to_now():
    steps = [("submitted", T0), ("feedback", T0 + 2 * DAY), ("revisions", T0 + 7 * DAY)]
    assert time_in_states(steps, T0 + 30 * DAY) == {"submitted": 2 * DAY, "feedback": 5 * DAY}
    open_ = [("submitted", T0), ("feedback", T0 + 3 * DAY)]
    assert time_in_states(open_, T0 + 10 * DAY) == {"submitted": 3 * DAY, "feedback": 7 * DAY}
    back = [("submitted", T0), ("feedback", T0 + DAY), ("submitted", T0 + 2 * DAY)]
    assert time_in_states(back, T0 + 4 * DAY) == {"submitted": 3 * DAY, "feedback": DAY}
    assert time_in_states([], T0) == {}


def iteration_with(history: list[tuple[str, datetime.datetime]]) -> Iteration:
    """An iteration whose steps happened at the given times; its status is the last one."""
    contract = Contract.objects.create(city=CityFactory())
    status = history[-1][0] if history else "draft"
    iteration = Iteration.objects.create(contract=contract, number=1, status=status)
    source = "draft"
    for target, at in history:
        Transition.objects.create(iteration=iteration, step="x", source=source, target=target,
                                  created_at=at)  # fmt: skip
        source = target
    return iteration


@pytest.mark.django_db
def test_the_pipeline_counts_states_medians_overdue_and_workload():
    now = timezone.now()
    waiting = iteration_with([("submitted", now - 10 * DAY), ("feedback", now - 4 * DAY)])
    iteration_with([("submitted", now - 9 * DAY), ("feedback", now - 3 * DAY),
                    ("revisions", now - DAY)])  # fmt: skip
    iteration_with([])  # a draft
    busy = UserFactory(platform_role=PlatformRole.REVIEWER, full_name="Busy")
    idle = UserFactory(platform_role=PlatformRole.ADVISOR, full_name="Idle")
    today = timezone.localdate()
    late = Assignment.objects.create(iteration=waiting, reviewer=busy, stage="feedback",
                                     expertise="thematic", due_on=today - DAY)  # fmt: skip
    Assignment.objects.create(
        iteration=waiting, reviewer=busy, stage="commission", expertise="eib", due_on=today - DAY
    )  # not yet its stage: not late
    Assignment.objects.create(iteration=waiting, reviewer=idle, stage="feedback",
                              expertise="advisor", due_on=today, submitted_at=now)  # fmt: skip
    found = pipeline(today)
    counts = {status: n for _label, status, n in found.counts}
    assert (counts["draft"], counts["feedback"], counts["revisions"], counts["endorsed"]) == (
        1, 1, 1, 0,
    )  # fmt: skip
    medians = {str(label): (round(days, 3), n) for label, days, n in found.median_days}
    # submitted: 6 and 6 days; feedback: 4 days (still open) and 2 days.
    assert medians == {"Submitted": (6.0, 2), "Platform feedback": (3.0, 2)}
    assert [i.pk for i in found.in_review] == [waiting.pk]
    assert (found.in_review[0].reviews, found.in_review[0].reviews_in) == (3, 1)
    assert found.in_review[0].since == now - 4 * DAY
    assert found.overdue == [late]
    load = {w.reviewer.full_name: (w.open, w.overdue, w.submitted) for w in found.workload}
    assert load == {"Busy": (1, 1, 0), "Idle": (0, 0, 1)}


@pytest.mark.django_db
def test_the_pipeline_is_for_staff_and_officers(client, make_person, settings_without_mfa):
    url = reverse("reviews:pipeline")
    for role, status in [("staff", 200), ("officer", 200), ("reviewer", 403), ("editor", 403),
                         ("advisor_of_city", 403)]:  # fmt: skip
        client.force_login(make_person(role))
        assert client.get(url).status_code == status, role
