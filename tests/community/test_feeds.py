"""The personal feed (the person's groups, cities and followed topics) and a group's feed: what
they show, what they leave out, and paging through them without losing or repeating anything."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityRole
from cityzero.community import selectors
from cityzero.community.models import Post
from cityzero.community.services.discussions import reply
from cityzero.community.services.files import share_file
from cityzero.community.services.moderation import moderate
from cityzero.community.services.people import follow_topics
from cityzero.contracts.services import start_contract
from cityzero.knowledge.models import EntryStatus
from cityzero.reviews.models import Transition
from cityzero.transition.services import report_progress
from tests.community.factories import add, discuss, make_event, make_group, person
from tests.factories import MembershipFactory
from tests.knowledge.factories import make_entry, pdf, taxonomy

pytestmark = pytest.mark.django_db


def titles(page) -> list[str]:
    return [f"{item.who}: {item.title}" if item.who else item.title for item in page.items]


@pytest.fixture
def erika(city):
    user = person("Erika Weber")
    MembershipFactory(user=user, city=city, role=CityRole.EDITOR)
    return user


def test_the_feed_gathers_groups_cities_and_followed_topics_newest_first(
    erika, city, other_city, settings
):
    tags = taxonomy()
    mine = make_group("Heat planning")
    add(mine, erika)
    colleague = add(mine, person("Carl Colleague"))
    discuss(mine, colleague, title="Heat tender")
    make_event(mine, title="Heat workshop", by=colleague)
    share_file(mine, upload=pdf("heat map.pdf"), by=colleague)
    make_event(None, title="Platform webinar", by=person("Sam Staff"))
    report_progress(city, "political-commitment", status="done", base_version=0, by=erika)
    iteration = start_contract(city, baseline=None, by=None)
    Transition.objects.create(iteration=iteration, step="submit", source="draft",
                              target="submitted", actor=erika, created_at=timezone.now())  # fmt: skip
    follow_topics(erika, [tags["mobility"]])
    make_entry("Bus lanes that work", ("mobility",))
    make_entry("About Aachen", ("energy",), cities=[city])
    page = selectors.personal_feed(erika)
    assert titles(page) == [
        "New in the Knowledge Repository: “About Aachen”",
        "New in the Knowledge Repository: “Bus lanes that work”",
        "Erika Weber: moved contract iteration 1 to “Submitted”",
        "Erika Weber: reported “1.1 Secure political commitment” as done",
        "Sam Staff: announced the event “Platform webinar”",
        "Carl Colleague: shared the file “heat_map.pdf”",
        "Carl Colleague: announced the event “Heat workshop”",
        "Carl Colleague: started the discussion “Heat tender”",
    ]
    assert page.next_cursor is None


def test_the_feed_leaves_out_what_is_not_the_persons(erika, other_city):
    taxonomy()
    not_mine = make_group("Cycling")  # public, but she is not a member
    discuss(not_mine, add(not_mine), title="Cycle lanes")
    report_progress(other_city, "political-commitment", status="done", base_version=0,
                    by=person())  # fmt: skip
    make_entry("About Valencia", ("energy",), cities=[other_city])
    make_entry("Unfollowed topic", ("mobility",))
    make_entry("Not yet published", ("energy",), status=EntryStatus.PENDING)
    mine = make_group("Heat")
    add(mine, erika)
    hidden = discuss(mine, add(mine), title="Hidden talk").posts.get()
    moderate(hidden, action="hide", reason="Spam.", by=person())
    assert selectors.personal_feed(erika).items == []


def test_paging_through_the_feed_loses_and_repeats_nothing(erika, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 100
    group = make_group("Heat")
    add(group, erika)
    talk = discuss(group, erika, body="post 0")
    for n in range(1, 25):
        reply(talk, body=f"post {n}", by=erika)
    # Several at the same moment: the cursor still orders them.
    Post.objects.filter(body__in=["post 10", "post 11", "post 12"]).update(
        created_at=timezone.now() - timedelta(days=1)
    )
    first = selectors.personal_feed(erika, size=10)
    second = selectors.personal_feed(erika, first.next_cursor, size=10)
    third = selectors.personal_feed(erika, second.next_cursor, size=10)
    seen = [item.position.key for page in (first, second, third) for item in page.items]
    assert len(seen) == 25 and len(set(seen)) == 25
    assert (len(first.items), len(second.items), len(third.items)) == (10, 10, 5)
    assert third.next_cursor is None


def test_the_feed_page_pages_with_a_cursor_and_ignores_a_bad_one(client, erika, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 100
    group = make_group("Heat")
    add(group, erika)
    talk = discuss(group, erika, body="post 0")
    for n in range(1, 22):
        reply(talk, body=f"post {n}", by=erika)
    client.force_login(erika)
    page = client.get(reverse("community:feed")).content.decode()
    assert page.count('class="feed-item') == 20 and "Older activity" in page
    cursor = selectors.personal_feed(erika).next_cursor
    older = client.get(reverse("community:feed") + f"?before={cursor}").content.decode()
    assert older.count('class="feed-item') == 2 and "Back to the newest" in older
    for bad in ("nonsense", "1.post", "99999999999999999999.post.1", "1.po<st.1"):
        response = client.get(reverse("community:feed"), {"before": bad})
        assert response.status_code == 200
        assert response.content.decode().count('class="feed-item') == 20


def test_a_groups_feed_shows_its_own_activity_only(erika):
    heat, other = make_group("Heat"), make_group("Other")
    discuss(heat, add(heat), title="Heat talk")
    discuss(other, add(other), title="Other talk")
    assert [item.title for item in selectors.group_feed(heat).items] == [
        "started the discussion “Heat talk”"
    ]


def test_a_posts_summary_in_the_feed_is_its_plain_text(erika):
    group = make_group("Heat")
    add(group, erika)
    discuss(group, erika, body="What about **district heat** & <b>cooling</b>?")
    (item,) = selectors.group_feed(group).items
    assert item.summary == "What about district heat & cooling?"
