"""The community's pages read a fixed number of queries, whatever the number of groups, posts,
events, files, members and people: each page is measured with one and with three of each."""

import pytest
from django.urls import reverse

from cityzero.community.services.files import share_file
from cityzero.community.services.people import update_profile
from tests.community.factories import add, discuss, make_event, make_group, person
from tests.knowledge.factories import pdf, taxonomy

pytestmark = pytest.mark.django_db

# The session, the user and the count of unread notifications in the navigation: on every page
# signed in.
SIGNED_IN = 3


@pytest.fixture
def world(settings):
    """``build(n)``: n groups of each visibility the person is in, and n of everything in one."""
    settings.COMMUNITY_POSTS_PER_WINDOW = 1000
    taxonomy()

    def build(n: int):
        me = person("Mia Member")
        for i in range(n):
            for visibility in ("public", "private", "secret"):
                group = make_group(f"{visibility} {i}", visibility)
                add(group, me)
                discuss(group, me, title=f"Talk {visibility} {i}", body=f"Body {visibility} {i}")
                share_file(group, upload=pdf(), by=me)
                make_event(group)
            make_event(None, title=f"Webinar {i}")
            colleague = add(group, person(f"Colleague {i}"))
            profile = colleague.profile
            update_profile(
                colleague,
                visible=True,
                handle=profile.handle,
                job_title="Planner",
                bio="",
                languages=["de"],
                expertise=[],
            )
        target = make_group("Target")
        add(target, me)
        for i in range(n):
            discussion = discuss(target, me, title=f"Target talk {i}", body=f"Target {i}")
            for j in range(n):
                from cityzero.community.services.discussions import reply

                reply(discussion, body=f"Reply {i}.{j}", by=add(target))
            make_event(target, title=f"Target event {i}")
            share_file(target, upload=pdf(), by=me)
        return me, target, discussion

    return build


PAGES = [
    # (name, queries beyond those of every signed-in page)
    ("groups", 4),  # count, page, the person's roles (may they open a group?)
    ("group", 8),  # the group, the person's roles and places, their place here, 3 feed streams
    ("feed", 7),  # the person's roles, 6 feed streams
    ("discussions", 7),
    ("discussion", 7),
    ("events", 4),
    ("group_events", 7),
    ("files", 6),
    ("members", 6),
    ("people", 5),  # the tags to filter by, count, page, expertise, cities
    ("notifications", 2),  # count, page
]


def url(name: str, target, discussion) -> str:
    if name in ("groups", "feed", "events", "people", "notifications"):
        return reverse(f"community:{name}")
    if name == "discussion":
        return reverse("community:discussion", args=[target.slug, discussion.pk])
    return reverse(f"community:{name}", args=[target.slug])


@pytest.mark.parametrize("n", [1, 3])
@pytest.mark.parametrize(("name", "extra"), PAGES, ids=[name for name, _ in PAGES])
def test_a_page_reads_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, n, name, extra
):
    me, target, discussion = world(n)
    client.force_login(me)
    address = url(name, target, discussion)
    with django_assert_num_queries(SIGNED_IN + extra):
        response = client.get(address)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 3])
def test_the_directory_reads_three_queries_for_an_anonymous_visitor(
    client, world, django_assert_num_queries, n
):
    world(n)
    with django_assert_num_queries(2):  # count, page
        page = client.get(reverse("community:groups")).content.decode()
    assert page.count('class="group-card"') == 2 * n + 1  # public and private, not secret
