"""Reminders to city editors when progress reports are due (services.remind_editors and the
``remind_progress`` command), with ``today`` given.

Aachen's contract (fixture ``endorsed``) is endorsed today, so monitoring begins with the half
year that contains today (``PERIOD``): its reports are due 30 days after it ends, editors are
reminded 14 days before that, and again once the reports are late.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cityzero.accounts.models import CityMembership
from cityzero.community.models import Notification
from cityzero.ghg.progress import GRACE_DAYS, REMIND_DAYS_BEFORE, period_containing
from cityzero.monitoring import services
from cityzero.monitoring.services import remind_editors

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def period():
    return period_containing(timezone.localdate(), 6)


@pytest.fixture
def team(endorsed, make_person):
    """The coordinator and editor of Aachen (the fixture's editor submitted the contract) and a
    viewer; an editor of Valencia, which has no contract."""
    editor = CityMembership.objects.get(city=endorsed.contract.city, role="editor").user
    return {
        "coordinator": make_person("coordinator"),
        "editor": editor,
        "viewer": make_person("viewer"),
        "elsewhere": make_person("editor_of_other_city"),
    }


def reminders():
    return Notification.objects.filter(kind="monitoring").order_by("recipient_id", "pk")


def report_all(city, iteration, day, today, status="in_progress", percent=40):
    for action in iteration.actions.all():
        services.report_progress(
            city, action,
            services.ReportInput(reported_on=day, status=status, percent_done=percent),
            by=None, today=today,
        )  # fmt: skip


def test_nothing_is_due_while_the_first_period_runs(team, period):
    assert remind_editors(timezone.localdate()) == 0
    assert remind_editors(period.end) == 0
    assert remind_editors(period.end + DAY) == 0  # ended, but the reports are due in 30 days
    assert not reminders().exists()


def test_editors_are_reminded_two_weeks_before_the_reports_are_due(team, period):
    due = period.end + datetime.timedelta(days=GRACE_DAYS)
    assert due == period.due
    assert remind_editors(due - datetime.timedelta(days=REMIND_DAYS_BEFORE + 1)) == 0
    assert remind_editors(due - datetime.timedelta(days=REMIND_DAYS_BEFORE)) == 2
    assert {n.recipient for n in reminders()} == {team["coordinator"], team["editor"]}
    notice = reminders().first()
    assert notice.title == (
        f"Due on {due.isoformat()}: Aachen's progress reports for "
        f"{period.start.isoformat()} to {period.end.isoformat()}"
    )
    assert notice.body == "3 action(s) of the endorsed contract have no report for this period."
    assert notice.url == "/cities/aachen/progress/"


def test_viewers_and_other_cities_editors_are_not_reminded(team, period):
    remind_editors(period.due)
    recipients = set(reminders().values_list("recipient", flat=True))
    assert team["viewer"].pk not in recipients and team["elsewhere"].pk not in recipients


def test_each_reminder_goes_once_however_often_the_job_runs(team, period):
    first_day = period.due - datetime.timedelta(days=REMIND_DAYS_BEFORE)
    assert remind_editors(first_day) == 2
    assert remind_editors(first_day) == 0  # a second run the same day
    assert remind_editors(first_day + DAY) == 0
    assert remind_editors(period.due) == 0  # due today, not late yet
    assert reminders().count() == 2


def test_late_reports_bring_a_second_reminder_once(team, period):
    remind_editors(period.due - datetime.timedelta(days=REMIND_DAYS_BEFORE))
    late = period.due + DAY
    assert remind_editors(late) == 2
    assert remind_editors(late + DAY) == 0
    titles = sorted({n.title.split(":")[0] for n in reminders()})
    assert titles == ["Due on " + period.due.isoformat(), "Overdue"]
    assert (
        reminders().filter(title__startswith="Overdue: Aachen's progress reports for").count() == 2
    )


def test_a_late_reminder_comes_even_if_the_early_one_was_missed(team, period):
    assert remind_editors(period.due + datetime.timedelta(days=40)) == 2
    assert all(n.title.startswith("Overdue") for n in reminders())


def test_no_reminder_once_every_open_action_reported_on_the_period(team, period, endorsed):
    city = endorsed.contract.city
    today = period.due - datetime.timedelta(days=REMIND_DAYS_BEFORE)
    report_all(city, endorsed, period.end, today)
    assert remind_editors(today) == 0
    assert remind_editors(period.due + DAY) == 0
    assert not reminders().exists()


def test_a_report_before_the_period_does_not_count_for_it(team, period, endorsed):
    """Reports dated before the period began (here: the day before) report on the one before."""
    city = endorsed.contract.city
    report_all(city, endorsed, period.start - DAY, period.due)
    assert remind_editors(period.due + DAY) == 2


def test_completed_and_cancelled_actions_report_no_more(team, period, endorsed):
    city = endorsed.contract.city
    heating, zone, biowaste = endorsed.actions.order_by("position", "pk")
    today = period.due
    before = period.start - DAY
    for action, status, percent in ((heating, "completed", 100), (zone, "cancelled", 10)):
        services.report_progress(
            city, action,
            services.ReportInput(reported_on=before, status=status, percent_done=percent,
                                 spend_to_date=Decimal(1000)),
            by=None, today=today,
        )  # fmt: skip
    assert remind_editors(today) == 2
    assert reminders().first().body.startswith("1 action(s)")
    services.report_progress(
        city, biowaste, services.ReportInput(reported_on=period.end, status="planned",
                                             percent_done=0), by=None, today=today,
    )  # fmt: skip
    assert remind_editors(period.due + DAY) == 0


def test_a_quarterly_plan_reminds_after_each_quarter(team, endorsed, make_person):
    city = endorsed.contract.city
    services.update_plan(city, reporting_months=3, publish_emissions=False, base_version=0,
                         by=team["coordinator"])  # fmt: skip
    quarter = period_containing(timezone.localdate(), 3)
    assert remind_editors(quarter.due - datetime.timedelta(days=REMIND_DAYS_BEFORE)) == 2
    assert quarter.end.isoformat() in reminders().first().title


def test_inactive_editors_are_not_reminded(team, period):
    team["editor"].is_active = False
    team["editor"].save(update_fields=["is_active"])
    assert remind_editors(period.due) == 1
    assert reminders().get().recipient == team["coordinator"]


def test_the_command_reports_how_many_were_sent(team, period):
    out = io.StringIO()
    call_command("remind_progress", "--today", period.due.isoformat(), stdout=out)
    assert out.getvalue() == "2 reminder(s) sent.\n"
    out = io.StringIO()
    call_command("remind_progress", "--today", period.due.isoformat(), stdout=out)
    assert out.getvalue() == "0 reminder(s) sent.\n"


def test_the_command_runs_for_today_by_default(team):
    out = io.StringIO()
    call_command("remind_progress", stdout=out)
    assert out.getvalue() == "0 reminder(s) sent.\n"


@pytest.mark.parametrize("day", ["31/12/2026", "2026-02-30", "tomorrow"])
def test_the_command_refuses_a_date_it_cannot_read(day):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind_progress", "--today", day, stdout=io.StringIO())


def test_the_command_says_to_run_it_daily():
    from cityzero.monitoring.management.commands.remind_progress import Command

    assert "Run it daily." in Command.help
