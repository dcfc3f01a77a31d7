import datetime
import io

import pytest
from django.core.management import call_command

from cityzero.community.models import Notification
from cityzero.reviews.services import remind_reviewers, take_step
from tests.reviews.conftest import assign

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


def task_due(iteration, reviewer, due_on):
    task = assign(iteration, reviewer)
    type(task).objects.filter(pk=task.pk).update(due_on=due_on)
    return task


def reminders():
    return list(Notification.objects.filter(source__startswith="reminder:")
                .values_list("title", flat=True))  # fmt: skip


@pytest.mark.parametrize(
    ("due_in_days", "expected"),
    [(3, []), (2, ["Reminder"]), (0, ["Reminder"]), (-1, ["Overdue"])],
)
def test_reviewers_are_reminded_two_days_ahead_and_when_late(
    iteration, bring, reviewer, due_in_days, expected
):
    bring(iteration, "feedback")
    task_due(iteration, reviewer, TODAY + datetime.timedelta(days=due_in_days))
    remind_reviewers(TODAY)
    assert [title.split(":")[0] for title in reminders()] == expected


def test_each_reminder_is_sent_once_and_the_late_one_after_the_early_one(
    iteration, bring, reviewer
):
    bring(iteration, "feedback")
    task_due(iteration, reviewer, TODAY + datetime.timedelta(days=1))
    assert remind_reviewers(TODAY) == 1
    assert remind_reviewers(TODAY) == 0  # a second run the same day
    assert remind_reviewers(TODAY + datetime.timedelta(days=1)) == 0  # due today: already told
    assert remind_reviewers(TODAY + datetime.timedelta(days=2)) == 1  # now overdue
    assert [t.split(":")[0] for t in reminders()] == ["Overdue", "Reminder"]


def test_no_reminder_for_a_submitted_review(iteration, bring, reviewer):
    bring(iteration, "feedback")
    task = task_due(iteration, reviewer, TODAY)
    type(task).objects.filter(pk=task.pk).update(submitted_at=datetime.datetime.now(datetime.UTC))
    assert remind_reviewers(TODAY) == 0


def test_no_reminder_for_a_task_whose_stage_is_over(iteration, bring, reviewer, staff):
    bring(iteration, "feedback")
    task_due(iteration, reviewer, TODAY)
    take_step(iteration, "forward", by=staff)
    assert remind_reviewers(TODAY) == 0


def test_the_command_reports_what_it_sent(iteration, bring, reviewer):
    bring(iteration, "feedback")
    task_due(iteration, reviewer, datetime.date.today() - datetime.timedelta(days=3))
    out = io.StringIO()
    call_command("remind_reviewers", stdout=out)
    assert out.getvalue() == "1 reminder(s) sent.\n"
