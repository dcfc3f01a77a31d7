"""Threaded comments anchored to a module, a table row or an item: the service and the page."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityzero.accounts.models import PlatformRole
from cityzero.community.models import Notification
from cityzero.contracts import services
from cityzero.contracts.models import Action, ImpactPathway, ModuleComment
from cityzero.contracts.modules import BY_CODE
from cityzero.contracts.selectors import threads_by_module
from cityzero.reviews.models import Assignment
from tests.contracts.conftest import add
from tests.contracts.test_services import submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANCHOR_REFUSED = "Choose what the comment is about from the list."
REPLY_REFUSED = "Reply to a thread of this iteration."
GOAL, PRIORITIES, ACTIONS = BY_CODE["goal"], BY_CODE["priorities"], BY_CODE["actions"]


def save_priorities(iteration, *names: str):
    rows = [{"priority": name, "description": ""} for name in names]
    content = iteration.modules.filter(module="priorities").first()
    return services.save_module(iteration, PRIORITIES, fields={"principles": ""},
                                tables={"priorities": rows},
                                base_version=content.version if content else 0, by=None)  # fmt: skip


def comment(iteration, body="Why?", *, module=GOAL, side="reviewer", by=None, **fields):
    return services.add_comment(iteration, module=module, body=body, by=by, side=side, **fields)


def refused(call, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.messages == [message]


# The service


def test_a_comment_on_the_whole_module(iteration):
    opened = comment(iteration, "  Is the council decision *signed*?  ", side="advisor")
    assert (opened.module, opened.anchor, opened.parent, opened.side) == ("goal", "", None,
                                                                          "advisor")  # fmt: skip
    assert opened.body == "Is the council decision *signed*?"
    assert opened.body_html == "<p>Is the council decision <em>signed</em>?</p>"


def test_a_comment_on_a_table_row(iteration):
    save_priorities(iteration, "Heat", "Mobility")
    opened = comment(iteration, module=PRIORITIES, anchor="row:priorities:2")
    assert (opened.module, opened.anchor) == ("priorities", "row:priorities:2")


@pytest.mark.parametrize("anchor", ["row:priorities:3", "row:priorities:0", "row:principles:1",
                                    "row:priorities:x", "priorities", "item:"])  # fmt: skip
def test_a_row_or_anchor_the_module_does_not_have_is_refused(iteration, anchor):
    save_priorities(iteration, "Heat", "Mobility")
    refused(lambda: comment(iteration, module=PRIORITIES, anchor=anchor), ANCHOR_REFUSED)
    assert not ModuleComment.objects.exists()


def test_a_comment_on_an_item_by_its_key(iteration):
    action = add(iteration, Action(name="District heating"))
    opened = comment(iteration, module=ACTIONS, anchor=f"item:{action.key}")
    assert opened.anchor == f"item:{action.key}"


def test_an_item_of_another_module_or_unknown_key_is_refused(iteration):
    pathway = add(iteration, ImpactPathway(name="Heat", field_of_action="energy",
                                           lever="technology"))  # fmt: skip
    add(iteration, Action(name="District heating"))
    for anchor in (f"item:{pathway.key}", f"item:{uuid.uuid4()}"):
        refused(lambda a=anchor: comment(iteration, module=ACTIONS, anchor=a), ANCHOR_REFUSED)
    assert not ModuleComment.objects.exists()


def test_an_empty_comment_is_refused(iteration):
    refused(lambda: comment(iteration, " \n "), "Write a comment first.")


def test_a_comment_over_5000_characters_is_refused(iteration):
    refused(
        lambda: comment(iteration, "x" * 5001), "Keep the comment to 5,000 characters or fewer."
    )
    assert comment(iteration, "x" * 5000).body == "x" * 5000


def test_a_reply_joins_the_parents_thread_whatever_module_it_names(iteration):
    save_priorities(iteration, "Heat")
    root = comment(iteration, module=PRIORITIES, anchor="row:priorities:1")
    reply = comment(iteration, "Because of the heat plan.", module=GOAL, side="city", parent=root)
    assert (reply.parent, reply.module, reply.anchor) == (root, "priorities", "row:priorities:1")


def test_a_reply_reopens_a_resolved_thread(iteration):
    reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
    root = comment(iteration, by=reviewer)
    services.resolve_thread(root, by=reviewer)
    root.refresh_from_db()
    assert root.resolved_at is not None and root.resolved_by == reviewer
    comment(iteration, "Not quite.", side="city", parent=root)
    root.refresh_from_db()
    assert (root.resolved_at, root.resolved_by) == (None, None)


def test_a_reply_to_a_reply_is_refused(iteration):
    root = comment(iteration)
    reply = comment(iteration, "Answer.", side="city", parent=root)
    refused(lambda: comment(iteration, "Nested.", parent=reply), REPLY_REFUSED)
    assert ModuleComment.objects.count() == 2


def test_a_reply_to_another_iterations_thread_is_refused(iteration):
    root = comment(iteration)
    second = services.start_next_iteration(submit(iteration).contract, by=None)
    refused(lambda: comment(second, "Answer.", side="city", parent=root), REPLY_REFUSED)
    assert not ModuleComment.objects.filter(iteration=second).exists()


def test_a_submitted_iteration_is_still_discussed(iteration):
    submit(iteration)
    root = comment(iteration, "Why this target?")
    assert comment(iteration, "Council asked.", side="city", parent=root).parent == root


def test_resolving_keeps_who_resolved_first(iteration):
    first, second = UserFactory(), UserFactory()
    root = comment(iteration)
    services.resolve_thread(root, by=first)
    services.resolve_thread(root, by=second)
    root.refresh_from_db()
    assert root.resolved_by == first


def test_a_reply_cannot_be_resolved_on_its_own(iteration):
    reply = comment(iteration, "Answer.", side="city", parent=comment(iteration))
    refused(lambda: services.resolve_thread(reply, by=None),
            "Resolve the thread, not one of its replies.")  # fmt: skip
    reply.refresh_from_db()
    assert reply.resolved_at is None


# Threads as read


def test_a_thread_awaits_the_city_until_it_has_the_last_word(iteration):
    root = comment(iteration, side="reviewer")
    [thread] = threads_by_module(iteration)["goal"]
    assert thread.awaits_city and not thread.resolved
    comment(iteration, "Answer.", side="city", parent=root)
    [thread] = threads_by_module(iteration)["goal"]
    assert not thread.awaits_city and thread.last.body == "Answer."
    comment(iteration, "Not enough.", side="commission", parent=root)
    [thread] = threads_by_module(iteration)["goal"]
    assert thread.awaits_city


def test_a_resolved_thread_awaits_nobody(iteration):
    root = comment(iteration, side="advisor")
    services.resolve_thread(root, by=None)
    [thread] = threads_by_module(iteration)["goal"]
    assert thread.resolved and not thread.awaits_city


def test_a_thread_the_city_opened_awaits_nobody(iteration):
    comment(iteration, "A note for the reviewers.", side="city")
    [thread] = threads_by_module(iteration)["goal"]
    assert not thread.awaits_city


def test_threads_are_grouped_by_module_oldest_first_with_their_replies(iteration):
    first = comment(iteration, "First")
    comment(iteration, "On actions", module=ACTIONS)
    second = comment(iteration, "Second")
    comment(iteration, "Reply to first", side="city", parent=first)
    comment(iteration, "Reply to second", side="city", parent=second)
    comment(iteration, "Again to first", side="staff", parent=first)
    grouped = threads_by_module(iteration)
    assert sorted(grouped) == ["actions", "goal"]
    assert [(t.root.body, [r.body for r in t.replies]) for t in grouped["goal"]] == [
        ("First", ["Reply to first", "Again to first"]),
        ("Second", ["Reply to second"]),
    ]


@pytest.mark.parametrize("count", [1, 4])
def test_threads_are_read_with_one_query(iteration, count, django_assert_num_queries):
    author = UserFactory()
    for n in range(count):
        root = comment(iteration, f"Thread {n}", by=author)
        comment(iteration, "Reply", side="city", by=author, parent=root)
        services.resolve_thread(root, by=author)
    with django_assert_num_queries(1):
        grouped = threads_by_module(iteration)
        assert [t.root.resolved_by for t in grouped["goal"]] == [author] * count
        assert [t.replies[0].author for t in grouped["goal"]] == [author] * count


# Through the module page


def module_url(code: str = "goal") -> str:
    return reverse("contracts:module", args=["aachen", 1, code])


@pytest.fixture
def submitted(iteration, settings_without_mfa):
    """Aachen's iteration 1, submitted and team-only, under review."""
    return submit(iteration)


def person(make_person, role: str, iteration):
    if role == "assigned_reviewer":
        reviewer = UserFactory(platform_role=PlatformRole.REVIEWER)
        Assignment.objects.create(iteration=iteration, reviewer=reviewer, stage="feedback",
                                  expertise="thematic", due_on=datetime.date(2030, 1, 31))  # fmt: skip
        return reviewer
    return make_person(role)


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role, status, side",
    [
        ("editor", 302, "city"),
        ("coordinator", 302, "city"),
        ("advisor_of_city", 302, "advisor"),
        ("assigned_reviewer", 302, "reviewer"),
        ("officer", 302, "commission"),
        ("staff", 302, "staff"),
        ("viewer", 403, None),  # reads the discussion, does not take part
        ("member", 404, None),
        ("editor_of_other_city", 404, None),
        ("advisor_elsewhere", 404, None),
        ("reviewer", 404, None),  # not assigned to this submission
        ("anonymous", 404, None),
    ],
)
def test_who_opens_a_thread_on_a_submission_and_in_whose_name(
    client, make_person, submitted, role, status, side
):
    user = person(make_person, role, submitted)
    response = signed_in(client, user).post(module_url(), {"action": "comment", "body": "Why?"})
    assert response.status_code == status
    if side is None:
        assert not ModuleComment.objects.exists()
    else:
        assert response["Location"] == module_url() + "#comments"
        stored = ModuleComment.objects.get()
        assert (stored.author, stored.side, stored.body) == (user, side, "Why?")


def test_the_page_shows_what_each_thread_is_about(client, make_person, iteration):
    save_priorities(iteration, "Heat", "Cycling")
    comment(iteration, "Which streets?", module=PRIORITIES, anchor="row:priorities:2")
    comment(iteration, "How many?", module=PRIORITIES)
    page = signed_in(client, make_person("editor")).get(module_url("priorities")).content.decode()
    assert "About: Key priorities, row 2: Cycling" in page
    assert "About: The module as a whole" in page
    assert page.count("awaiting the city's answer") == 2


def test_a_row_that_is_gone_is_said_to_be_gone(client, make_person, iteration):
    save_priorities(iteration, "Heat", "Cycling")
    comment(iteration, "Which streets?", module=PRIORITIES, anchor="row:priorities:2")
    save_priorities(iteration, "Heat")
    page = signed_in(client, make_person("editor")).get(module_url("priorities")).content.decode()
    assert "About: something no longer in this iteration" in page


def test_a_reply_through_the_page_goes_into_the_thread(client, make_person, submitted):
    root = comment(submitted, "Why?", side="reviewer")
    editor = make_person("editor")
    response = signed_in(client, editor).post(
        module_url(), {"action": "reply", "thread": root.pk, "body": "Council asked for it."}
    )
    assert response.status_code == 302
    reply = ModuleComment.objects.get(parent=root)
    assert (reply.author, reply.side, reply.body) == (editor, "city", "Council asked for it.")


def test_an_anchored_comment_through_the_page(client, make_person, iteration):
    action = add(iteration, Action(name="District heating"))
    response = signed_in(client, make_person("advisor_of_city")).post(
        module_url("actions"),
        {"action": "comment", "anchor": f"item:{action.key}", "body": "Costs?"},
    )
    assert response.status_code == 302
    assert ModuleComment.objects.get().anchor == f"item:{action.key}"


@pytest.mark.parametrize(
    "resolver, status",
    [("author", 302), ("staff", 302), ("editor", 403), ("advisor_of_city", 403),
     ("officer", 403), ("other_reviewer", 403)],
)  # fmt: skip
def test_only_the_threads_author_or_staff_resolve_it(
    client, make_person, submitted, resolver, status
):
    author = person(make_person, "assigned_reviewer", submitted)
    root = comment(submitted, "Why?", by=author)
    user = {"author": author, "other_reviewer": person(make_person, "assigned_reviewer",
                                                       submitted)}.get(resolver)  # fmt: skip
    user = user or make_person(resolver)
    response = signed_in(client, user).post(module_url(), {"action": "resolve",
                                                           "thread": root.pk})  # fmt: skip
    assert response.status_code == status
    root.refresh_from_db()
    assert (root.resolved_by == user) is (status == 302)
    assert (root.resolved_at is not None) is (status == 302)


@pytest.mark.parametrize(
    "data, status",
    [
        ({"action": "comment", "body": "   "}, 422),
        ({"action": "comment", "body": "x" * 5001}, 422),
        ({"action": "comment", "body": "Why?", "anchor": "row:nothing:1"}, 422),
        ({"action": "reply", "thread": "{root}", "body": ""}, 422),
        ({"action": "reply", "thread": "{root}", "body": "x" * 5001}, 422),
        ({"action": "reply", "thread": "first", "body": "Answer."}, 404),
        ({"action": "reply", "body": "Answer."}, 404),
        ({"action": "reply", "thread": "{elsewhere}", "body": "Answer."}, 404),
        ({"action": "reply", "thread": "{reply}", "body": "Answer."}, 404),
        ({"action": "reply", "thread": "999999", "body": "Answer."}, 404),
        ({"action": "resolve", "thread": "1.5"}, 404),
        ({"action": "resolve", "thread": "{elsewhere}"}, 404),
    ],
)
def test_bad_discussion_input_is_refused_and_nothing_is_saved(
    client, make_person, iteration, settings_without_mfa, data, status
):
    root = comment(iteration, "Why?")
    reply = comment(iteration, "Answer.", side="city", parent=root)
    elsewhere = comment(iteration, "On actions.", module=ACTIONS)
    ids = {"root": root.pk, "reply": reply.pk, "elsewhere": elsewhere.pk}
    data = {name: value.format(**ids) for name, value in data.items()}
    response = signed_in(client, make_person("staff")).post(module_url(), data)
    assert response.status_code == status
    assert ModuleComment.objects.count() == 3
    assert not ModuleComment.objects.filter(resolved_at__isnull=False).exists()


def test_a_refused_comment_is_shown_again_with_the_reason(client, make_person, iteration):
    response = signed_in(client, make_person("editor")).post(
        module_url(), {"action": "comment", "body": "x" * 5001}
    )
    assert response.status_code == 422
    assert "Ensure this value has at most 5000 characters (it has 5001)." in (
        response.content.decode()
    )


# Who is told about a comment


def test_a_remark_from_outside_the_city_goes_to_its_editors_and_a_reply_to_the_thread(
    iteration, make_person, django_capture_on_commit_callbacks, mailoutbox
):
    editor, coordinator, viewer = (make_person(r) for r in ("editor", "coordinator", "viewer"))
    advisor = make_person("advisor_of_city")
    with django_capture_on_commit_callbacks(execute=True):
        opened = comment(iteration, "Which rate?", side="advisor", by=advisor)
    told = set(Notification.objects.filter(source=f"comment:{opened.pk}")
               .values_list("recipient__email", flat=True))  # fmt: skip
    assert told == {editor.email, coordinator.email}  # viewers do not answer; the author knows
    assert sorted(m.to[0] for m in mailoutbox) == sorted(told)
    note = Notification.objects.filter(source=f"comment:{opened.pk}").first()
    assert note.url == f"/cities/aachen/contract/1/goal/#thread-{opened.pk}"
    assert "Which rate?" in note.body
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment(iteration, "40%.", side="city", by=editor, parent=opened)
    told = set(Notification.objects.filter(source=f"comment:{reply.pk}")
               .values_list("recipient__email", flat=True))  # fmt: skip
    assert told == {advisor.email}  # a city reply goes to the thread, not to the team again
    assert viewer.email not in {m.to[0] for m in mailoutbox}
