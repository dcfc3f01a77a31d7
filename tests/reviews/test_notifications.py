"""Who is told of each step, in the platform and by email, and that nobody is told twice."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from cityzero.accounts.models import CityRole, PlatformRole
from cityzero.community.models import Notification
from cityzero.community.services import notify
from cityzero.contracts import services as contracts
from cityzero.reviews import services
from tests.factories import AdvisorAssignmentFactory, MembershipFactory, UserFactory
from tests.reviews.conftest import assign

pytestmark = pytest.mark.django_db

SITE = "https://cityzero.example"


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


LINK = f"{SITE}/cities/aachen/contract/1/review/"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def cast(city, other_city, editor, staff, officer, reviewer):
    """Everyone who might be told, by name; the acting editor, staff and officer among them."""

    def user(name: str, role: str = PlatformRole.NONE, **fields):
        return UserFactory(email=f"{name}@example.org", full_name=name.title(),
                           platform_role=role, **fields)  # fmt: skip

    def member(name: str, of, role: str, **fields):
        return MembershipFactory(user=user(name, **fields), city=of, role=role).user

    people = {
        "editor": editor,
        "staff": staff,
        "officer": officer,
        "reviewer": reviewer,
        "coordinator": member("coordinator", city, CityRole.COORDINATOR),
        "viewer": member("viewer", city, CityRole.VIEWER),
        "advisor": AdvisorAssignmentFactory(
            city=city, advisor=user("advisor", PlatformRole.ADVISOR)
        ).advisor,
        "second_staff": user("second_staff", PlatformRole.STAFF),
        "second_officer": user("second_officer", PlatformRole.COMMISSION_OFFICER),
        # never told
        "former_viewer": member("former_viewer", city, CityRole.VIEWER, is_active=False),
        "inactive_staff": user("inactive_staff", PlatformRole.STAFF, is_active=False),
        "member": user("member"),
        "editor_elsewhere": member("editor_elsewhere", other_city, CityRole.EDITOR),
        "advisor_elsewhere": AdvisorAssignmentFactory(
            city=other_city, advisor=user("advisor_elsewhere", PlatformRole.ADVISOR)
        ).advisor,
        "unassigned_reviewer": user("unassigned_reviewer", PlatformRole.REVIEWER),
    }
    return people


TOLD = {"coordinator", "editor", "viewer", "advisor", "reviewer"}
# step: (the status it starts from, who takes it, who is told)
STEPS = {
    "submit": ("draft", "editor", {"coordinator", "viewer", "advisor", "staff", "second_staff"}),
    "open_feedback": ("submitted", "staff", TOLD),
    "request_changes": ("feedback", "staff", TOLD),
    "forward": ("feedback", "staff", TOLD | {"second_staff", "officer", "second_officer"}),
    "request_revisions": ("commission", "officer", TOLD),
    "endorse": ("commission", "officer", TOLD),
    "withdraw": ("commission", "editor",
                 {"coordinator", "viewer", "advisor", "reviewer", "staff", "second_staff"}),
}  # fmt: skip


def names(people: dict, users) -> list[str]:
    by_pk = {person.pk: name for name, person in people.items()}
    return sorted(by_pk[user.pk] for user in users)


@pytest.mark.parametrize("code", sorted(STEPS))
def test_each_step_tells_the_people_involved_once_and_never_the_actor(
    bring, iteration, cast, label_round, code, mailoutbox, django_capture_on_commit_callbacks
):
    source, actor, told = STEPS[code]
    bring(iteration, source)
    if source != "draft":
        assign(iteration, cast["reviewer"], by=cast["staff"])
    Notification.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition = services.take_step(iteration, code, by=cast[actor], message="Because.",
                                        label_round=label_round)  # fmt: skip
    notifications = Notification.objects.filter(source=f"transition:{transition.pk}")
    assert names(cast, [n.recipient for n in notifications]) == sorted(told)
    assert Notification.objects.count() == len(told)
    assert sorted(to for mail in mailoutbox for to in mail.to) == sorted(
        f"{cast[name].email}" for name in told
    )
    assert all(len(mail.to) == 1 for mail in mailoutbox)


def test_the_email_carries_the_prefix_the_message_and_the_absolute_link(
    bring, iteration, cast, mailoutbox, django_capture_on_commit_callbacks
):
    bring(iteration, "feedback")
    mailoutbox.clear()
    cast["staff"].full_name = "Sam Staff"
    with django_capture_on_commit_callbacks(execute=True):
        services.take_step(iteration, "request_changes", by=cast["staff"],
                           message="Cost the district heating.")  # fmt: skip
    mail = next(m for m in mailoutbox if m.to == ["coordinator@example.org"])
    assert mail.subject == "[CityZero] Aachen, contract iteration 1: Revisions requested"
    message, _signature = mail.body.split("\n\n-- \n")  # the signature: how to stop emails
    assert message == (
        f"Sam Staff: Ask the city for changes.\n\nCost the district heating.\n\n{LINK}"
    )
    notification = Notification.objects.get(recipient=cast["coordinator"],
                                            source__startswith="transition:",
                                            title__endswith="Revisions requested")  # fmt: skip
    assert notification.body == "Sam Staff: Ask the city for changes.\n\nCost the district heating."
    assert notification.url == "/cities/aachen/contract/1/review/"


def test_a_step_the_platform_takes_is_told_in_the_platforms_name(iteration, bring, cast):
    bring(iteration, "submitted")
    services.take_step(iteration, "open_feedback", by=None)
    notification = Notification.objects.get(recipient=cast["coordinator"],
                                            title__endswith="Platform feedback")  # fmt: skip
    assert notification.body == "The platform: Start platform feedback."


def test_emails_leave_only_after_the_step_is_committed(
    bring, iteration, cast, mailoutbox, django_capture_on_commit_callbacks
):
    bring(iteration, "submitted")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.take_step(iteration, "open_feedback", by=cast["staff"])
    assert mailoutbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 4  # coordinator, editor, viewer, advisor


def test_a_refused_step_tells_nobody(
    bring, iteration, cast, mailoutbox, django_capture_on_commit_callbacks
):
    bring(iteration, "submitted")
    count = Notification.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError, match="not possible"),
    ):
        services.take_step(iteration, "endorse", by=cast["officer"])
    assert Notification.objects.count() == count and callbacks == [] and mailoutbox == []


def test_reviewers_carried_over_to_a_resubmission_are_told_of_it(
    bring, iteration, cast, django_capture_on_commit_callbacks, mailoutbox
):
    bring(iteration, "feedback")
    assign(iteration, cast["reviewer"], by=cast["staff"])
    services.take_step(iteration, "request_changes", by=cast["staff"], message="Cost it.")
    second = contracts.start_next_iteration(iteration.contract, by=cast["editor"])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transition = services.take_step(second, "submit", by=cast["editor"])
    told = Notification.objects.filter(source=f"transition:{transition.pk}")
    assert names(cast, [n.recipient for n in told]) == sorted(
        {"coordinator", "viewer", "advisor", "reviewer", "staff", "second_staff"}
    )
    assert told.get(recipient=cast["reviewer"]).title == ("Aachen, contract iteration 2: Submitted")


def test_notifying_twice_about_one_event_tells_nobody_twice(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    first = [cast["coordinator"], cast["viewer"]]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(first, source="transition:99", title="Moved", url="/x/") == 2
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(first, source="transition:99", title="Moved", url="/x/") == 0
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([*first, cast["advisor"]], source="transition:99", title="Moved") == 1
    assert Notification.objects.filter(source="transition:99").count() == 3
    assert sorted(to for mail in mailoutbox for to in mail.to) == [
        "advisor@example.org", "coordinator@example.org", "viewer@example.org",
    ]  # fmt: skip


def test_the_same_person_twice_in_one_call_is_told_once(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    viewer = cast["viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([viewer, viewer], source="transition:7", title="Moved") == 1
    assert [mail.to for mail in mailoutbox] == [["viewer@example.org"]]


def test_inactive_people_are_not_notified(cast, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify([cast["former_viewer"], cast["inactive_staff"], cast["viewer"]],
                      source="transition:5", title="Moved")  # fmt: skip
    assert sent == 1
    assert [n.recipient for n in Notification.objects.all()] == [cast["viewer"]]
    assert [mail.to for mail in mailoutbox] == [["viewer@example.org"]]


def test_a_relative_url_becomes_absolute_and_a_missing_one_is_left_out(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify([cast["viewer"]], source="a:1", title="With link", body="Read it.", url="/labels/")
        notify([cast["viewer"]], source="a:2", title="Without link", body="Nothing to open.")
    bodies = {mail.subject: mail.body.split("\n\n-- \n")[0] for mail in mailoutbox}
    assert bodies == {
        "[CityZero] With link": f"Read it.\n\n{SITE}/labels/",
        "[CityZero] Without link": "Nothing to open.",
    }


def test_a_mail_server_that_is_down_does_not_undo_or_break_the_step(
    bring, iteration, cast, settings, caplog, django_capture_on_commit_callbacks
):
    bring(iteration, "submitted")
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        transition = services.take_step(iteration, "open_feedback", by=cast["staff"])
    iteration.refresh_from_db()
    assert iteration.status == "feedback"
    assert Notification.objects.filter(source=f"transition:{transition.pk}").count() == 4
    assert "mail server down" in caplog.text
