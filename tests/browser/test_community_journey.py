"""The community in a real browser: two members discuss in a group and the one mentioned is told;
a post that comes too fast or from a robot is refused in words; every community page passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from cityzero.community.models import GroupRole
from cityzero.community.services import groups as group_services
from cityzero.community.services.files import share_file
from cityzero.community.services.moderation import report_content
from cityzero.community.services.notifications import unsubscribe_token
from cityzero.community.services.people import update_profile
from tests.browser.conftest import sign_in, sign_in_with_cookie
from tests.browser.test_contract_journey import field
from tests.browser.test_journeys import assert_no_axe_violations
from tests.community.factories import add, discuss, make_event, make_group, person, staff
from tests.knowledge.factories import pdf, taxonomy

pytestmark = pytest.mark.browser


def show_profile(user, job_title: str) -> None:
    profile = group_services.ensure_profile(user)
    update_profile(user, visible=True, handle=profile.handle, job_title=job_title, bio="",
                   languages=["en"], expertise=[])  # fmt: skip


@pytest.fixture
def heat_group(settings_without_mfa):
    owner = person("Olga Owner")
    group = make_group("Heat planning", owner=owner, summary="Cities planning heat networks.")
    erika = add(group, person("Erika Weber", email="erika@example.org"))
    pablo = person("Pablo Ruiz", email="pablo@example.org")  # joins in the journey
    group_services.ensure_profile(pablo)
    show_profile(pablo, "Climate coordinator, València")
    return {"group": group, "owner": owner, "erika": erika, "pablo": pablo}


def signed_in(new_context, user, next_url: str = "") -> Page:
    page = new_context().new_page()
    sign_in(page, user, next_url=next_url)
    return page


def test_two_members_discuss_and_the_one_mentioned_is_told(new_context, heat_group):
    # Pablo finds the group in the directory and joins it.
    pablo = signed_in(new_context, heat_group["pablo"])
    pablo.get_by_role("link", name="Groups", exact=True).click()
    expect(pablo.get_by_role("heading", level=1)).to_have_text("Groups")
    pablo.get_by_label("Search for").fill("heat")
    pablo.get_by_role("button", name="Find groups").click()
    pablo.get_by_role("link", name="Heat planning").click()
    pablo.get_by_role("button", name="Join the group").click()
    expect(pablo.get_by_role("status")).to_contain_text("Welcome to Heat planning.")
    assert_no_axe_violations(pablo)

    # Erika looks up whom to mention, then starts a discussion naming Pablo.
    erika = signed_in(new_context, heat_group["erika"], "/groups/heat-planning/")
    erika.get_by_role("link", name="Discussions").click()
    erika.get_by_role("link", name="Find a member to mention").click()
    erika.get_by_label("Name or handle begins with").fill("pab")
    erika.get_by_role("button", name="Find", exact=True).click()
    expect(erika.locator(".mention-list")).to_contain_text("@pablo-ruiz Pablo Ruiz")
    assert_no_axe_violations(erika)
    erika.go_back()
    erika.go_back()
    field(erika, "Title").fill("Tendering a heat network")
    field(erika, "Message").fill("Which **award criteria** worked for you, @pablo-ruiz?")
    erika.get_by_role("button", name="Start the discussion").click()
    expect(erika.get_by_role("heading", level=2, name="Tendering a heat network")).to_be_visible()
    expect(erika.locator(".post strong").first).to_have_text("Erika Weber")
    expect(erika.locator(".prose strong")).to_have_text("award criteria")
    assert_no_axe_violations(erika)

    # Pablo sees the unread badge, opens the notification and lands on the post.
    pablo.goto("/")
    notifications = pablo.get_by_role("link", name=re.compile(r"^Notifications 1 unread"))
    expect(notifications).to_be_visible()
    notifications.click()
    assert_no_axe_violations(pablo)
    pablo.get_by_role("button", name="Erika Weber mentioned you in “Tendering a heat network”"
                      ).click()  # fmt: skip
    expect(pablo).to_have_url(re.compile(r"/groups/heat-planning/discussions/\d+/#post-\d+$"))

    # He answers that very post; Erika is told of the reply.
    pablo.get_by_role("link", name=re.compile("^Reply to the post of Erika Weber")).click()
    expect(pablo.get_by_role("heading", name="Your reply to the post above")).to_be_visible()
    field(pablo, "Your reply").fill("Price 40%, CO₂ per MWh 35%, household fees 25%.")
    pablo.get_by_role("button", name="Post the reply").click()
    expect(pablo.locator(".post.depth-1")).to_contain_text("household fees 25%")
    erika.goto("/notifications/")
    expect(erika.get_by_role("list").filter(has_text="Pablo Ruiz replied in")).to_be_visible()


def test_a_post_too_fast_or_from_a_robot_is_refused_in_words(new_context, heat_group, settings):
    settings.COMMUNITY_POSTS_PER_WINDOW = 1
    discussion = discuss(heat_group["group"], heat_group["erika"], body="First")
    erika = signed_in(new_context, heat_group["erika"],
                      f"/groups/heat-planning/discussions/{discussion.pk}/")  # fmt: skip
    erika.get_by_role("textbox", name="Your reply").fill("Second, at once")
    erika.get_by_role("button", name="Post the reply").click()
    expect(erika.get_by_role("heading", level=1)).to_have_text("Slow down a little")
    expect(erika.get_by_role("alert")).to_contain_text("Your message was not posted: wait")
    assert_no_axe_violations(erika)

    settings.COMMUNITY_POSTS_PER_WINDOW = 100
    erika.go_back()
    erika.evaluate("document.querySelector('input[name=website]').value = 'http://spam.example'")
    erika.get_by_role("button", name="Post the reply").click()
    expect(erika.get_by_role("heading", level=1)).to_have_text("Your message was not posted")
    assert_no_axe_violations(erika)


@pytest.fixture
def community(city, settings_without_mfa):
    """A group with one of everything, for the page scans."""
    taxonomy()
    owner = person("Olga Owner")
    group = make_group("Heat planning", owner=owner, description="A **warm** welcome.")
    member = add(group, person("Mia Member"))
    add(group, person("Mo Moderator"), role=GroupRole.MODERATOR)
    show_profile(member, "Energy planner")
    group_services.ask_to_join(make_group("Pilots", "private", owner=owner), user=person("Ada"))
    discussion = discuss(group, member, body="What about **district heat**?")
    post = discussion.posts.get()
    report_content(post, reason="spam", by=owner)
    event = make_event(group, by=owner, capacity=10)
    share_file(group, upload=pdf("heat map.pdf"), by=member)
    make_event(None, title="Webinar")
    places = {p.user.full_name: p.pk for p in group.memberships.select_related("user")}
    return {
        "owner": owner, "member": member, "staff": staff(), "group": group,
        "discussion": discussion.pk, "post": post.pk, "event": event.pk,
        "place": places["Mia Member"], "token": unsubscribe_token(member, "mention"),
    }  # fmt: skip


PAGES = [
    (None, "/groups/"),
    (None, "/groups/heat-planning/"),
    (None, "/events/"),
    (None, "/events/{event}/"),
    ("member", "/groups/"),
    ("member", "/groups/heat-planning/"),
    ("member", "/groups/pilots/"),
    ("member", "/groups/heat-planning/discussions/"),
    ("member", "/groups/heat-planning/discussions/{discussion}/"),
    ("member", "/groups/heat-planning/discussions/{discussion}/?reply_to={post}"),
    ("member", "/groups/heat-planning/mentions/?q=mi"),
    ("member", "/groups/heat-planning/events/"),
    ("member", "/events/{event}/"),
    ("member", "/groups/heat-planning/files/"),
    ("member", "/groups/heat-planning/members/"),
    ("member", "/community/report/post/{post}/"),
    ("member", "/feed/"),
    ("member", "/feed/topics/"),
    ("member", "/people/"),
    ("member", "/people/mia-member/"),
    ("member", "/people/me/"),
    ("member", "/notifications/"),
    ("member", "/notifications/settings/"),
    (None, "/notifications/unsubscribe/{token}/"),
    ("owner", "/groups/heat-planning/members/"),
    ("owner", "/groups/pilots/members/"),
    ("owner", "/groups/heat-planning/members/{place}/remove/"),
    ("owner", "/groups/heat-planning/moderation/"),
    ("owner", "/community/moderate/post/{post}/"),
    ("owner", "/groups/heat-planning/settings/"),
    ("owner", "/groups/heat-planning/events/new/"),
    ("owner", "/events/{event}/"),
    ("owner", "/events/{event}/edit/"),
    ("staff", "/groups/new/"),
    ("staff", "/events/new/"),
    ("staff", "/community/moderation/"),
]


@pytest.mark.parametrize(("who", "address"), PAGES)
def test_axe_finds_no_violations_on_community_pages(new_context, live_server, community, who,
                                                    address):  # fmt: skip
    context = new_context()
    if who is not None:
        sign_in_with_cookie(context, live_server, community[who])
    page = context.new_page()
    response = page.goto(address.format(**community))
    assert response is not None and response.status == 200, address
    assert_no_axe_violations(page)
