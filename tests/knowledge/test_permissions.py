"""Who may read, contribute, edit, comment on, bookmark and moderate knowledge entries."""

import pytest

from cityzero.accounts.permissions import can
from cityzero.knowledge.models import Entry, EntryStatus
from tests.conftest import ROLE_NAMES

KNOWLEDGE_ACTIONS = (
    "knowledge.view",
    "knowledge.contribute",
    "knowledge.edit",
    "knowledge.comment",
    "knowledge.bookmark",
    "knowledge.moderate",
)
SIGNED_IN = frozenset(ROLE_NAMES) - {"anonymous"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize(
    ("action", "allowed"),
    [("knowledge.contribute", SIGNED_IN), ("knowledge.comment", SIGNED_IN),
     ("knowledge.bookmark", SIGNED_IN), ("knowledge.moderate", {"staff"})],
)  # fmt: skip
def test_actions_on_the_repository_follow_the_role(make_person, role, action, allowed):
    assert can(make_person(role), action, None) is (role in allowed)


@pytest.mark.parametrize("role", ROLE_NAMES)
@pytest.mark.parametrize("status", list(EntryStatus))
def test_entries_are_read_when_published_or_by_their_contributor_and_staff(
    make_person, role, status
):
    entry = Entry(title="x", status=status, contributor=None)
    readers = set(ROLE_NAMES) if status == EntryStatus.PUBLISHED else {"staff"}
    assert can(make_person(role), "knowledge.view", entry) is (role in readers)


@pytest.mark.parametrize("status", list(EntryStatus))
def test_a_contributor_reads_and_edits_their_entry_until_it_is_published(make_person, status):
    member = make_person("member")
    entry = Entry(title="x", status=status, contributor=member)
    assert can(member, "knowledge.view", entry)
    assert can(member, "knowledge.edit", entry) is (status != EntryStatus.PUBLISHED)
    other = make_person("editor")
    assert can(other, "knowledge.edit", entry) is False


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_staff_edit_a_published_entry(make_person, role):
    entry = Entry(title="x", status=EntryStatus.PUBLISHED, contributor=None)
    assert can(make_person(role), "knowledge.edit", entry) is (role == "staff")
