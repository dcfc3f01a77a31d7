"""The community's write endpoints for the authorization matrix
(``tests/accounts/test_authorization_matrix.py``): each sends one write as the matrix's person and
returns a callable telling whether it took effect.

The matrix's people hold city roles; for groups, the city's team holds places in a private group
owned by someone outside the matrix: the coordinator as a second owner, the editor as moderator,
the viewer as a plain member. Everyone else is an outsider, who knows of a private group but may
not read it (403); staff look after every group.
"""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cityzero.accounts.models import CityMembership, CityRole
from cityzero.community.models import (
    Event,
    Group,
    GroupMembership,
    GroupRole,
    MembershipStatus,
    NotificationPreference,
    Post,
    Registration,
    Report,
    SharedFile,
    TopicFollow,
)
from cityzero.community.notices import KINDS
from cityzero.community.services import groups as group_services
from cityzero.community.services.moderation import report_content
from tests.community.factories import add, discuss, make_event, make_group, person
from tests.community.test_events import form_data as event_form
from tests.core.test_uploads import PDF_BYTES
from tests.knowledge.factories import taxonomy

PLACE_OF_CITY_ROLE = {
    CityRole.COORDINATOR: GroupRole.OWNER,
    CityRole.EDITOR: GroupRole.MODERATOR,
    CityRole.VIEWER: GroupRole.MEMBER,
}


def team_group(city, visibility: str = "private") -> Group:
    group = make_group("Pilots", visibility, owner=person("Outside Owner"))
    for membership in CityMembership.objects.filter(city=city).select_related("user"):
        add(group, membership.user, role=PLACE_OF_CITY_ROLE[membership.role])
    return group


def signed_in_user(client):
    """The person the client is signed in as, or None."""
    pk = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=pk) if pk else None


class CommunityWrites:
    def _open_group(self, client, city):
        data = {"name": "Heat", "kind": "thematic", "visibility": "public", "summary": "Heat."}
        response = client.post(reverse("community:group_new"), data)
        return response, lambda: Group.objects.filter(name="Heat").exists()

    def _change_group_settings(self, client, city):
        group = team_group(city)
        data = {"name": "Renamed", "kind": "thematic", "visibility": "private", "summary": "S"}
        response = client.post(reverse("community:group_settings", args=[group.slug]), data)
        return response, lambda: Group.objects.get(pk=group.pk).name == "Renamed"

    def _join_group(self, client, city):
        group = team_group(city, "public")
        before = group.memberships.count()
        response = client.post(reverse("community:join", args=[group.slug]))
        return response, lambda: group.memberships.count() == before + 1

    def _ask_to_join_group(self, client, city):
        group = team_group(city)
        response = client.post(reverse("community:ask_to_join", args=[group.slug]), {})
        return response, lambda: group.memberships.filter(status="requested").exists()

    def _accept_group_invitation(self, client, city):
        """The person is invited, unless they have a place already (the city's team)."""
        group = team_group(city)
        user = signed_in_user(client)
        invited = user is not None and not group.memberships.filter(user=user).exists()
        if invited:
            GroupMembership.objects.create(group=group, user=user, status="invited")
        url = reverse("community:answer_invitation", args=[group.slug])
        response = client.post(url, {"answer": "accept"})
        return (
            response,
            lambda: invited and group.memberships.filter(user=user, status="active").exists(),
        )

    def _leave_group(self, client, city):
        group = team_group(city)
        before = group.memberships.count()
        response = client.post(reverse("community:leave", args=[group.slug]))
        return response, lambda: group.memberships.count() == before - 1

    def _invite_to_group(self, client, city):
        group = team_group(city)
        guest = person(email="guest@example.org")
        url = reverse("community:invite", args=[group.slug])
        response = client.post(url, {"email": "guest@example.org"})
        return response, lambda: group.memberships.filter(user=guest, status="invited").exists()

    def _answer_join_request(self, client, city):
        group = team_group(city)
        asking = group_services.ask_to_join(group, user=person())
        url = reverse("community:answer_request", args=[group.slug, asking.pk])
        response = client.post(url, {"answer": "approve"})
        return response, lambda: GroupMembership.objects.get(pk=asking.pk).status == "active"

    def _withdraw_group_invitation(self, client, city):
        group = team_group(city)
        invited = GroupMembership.objects.create(group=group, user=person(), status="invited")
        response = client.post(reverse("community:withdraw", args=[group.slug, invited.pk]))
        return response, lambda: not GroupMembership.objects.filter(pk=invited.pk).exists()

    def _change_group_role(self, client, city):
        group = team_group(city)
        member = group.memberships.get(user=add(group))
        url = reverse("community:change_role", args=[group.slug, member.pk])
        response = client.post(url, {"role": "moderator"})
        return response, lambda: GroupMembership.objects.get(pk=member.pk).role == "moderator"

    def _ban_from_group(self, client, city):
        group = team_group(city)
        member = group.memberships.get(user=add(group))
        url = reverse("community:remove_member", args=[group.slug, member.pk])
        response = client.post(url, {"reason": "Spam.", "ban": "yes"})
        return response, lambda: GroupMembership.objects.get(pk=member.pk).status == "banned"

    def _lift_group_ban(self, client, city):
        group = team_group(city)
        banned = GroupMembership.objects.create(
            group=group, user=person(), status=MembershipStatus.BANNED
        )
        url = reverse("community:lift_ban", args=[group.slug, banned.pk])
        response = client.post(url, {"reason": "Apologised."})
        return response, lambda: not GroupMembership.objects.filter(pk=banned.pk).exists()

    def _start_discussion(self, client, city):
        group = team_group(city)
        url = reverse("community:discussions", args=[group.slug])
        response = client.post(url, {"title": "Heat", "body": "Who has a plan?"})
        return response, lambda: group.discussions.exists()

    def _reply_in_discussion(self, client, city):
        group = team_group(city)
        discussion = discuss(group, add(group))
        url = reverse("community:reply", args=[group.slug, discussion.pk])
        response = client.post(url, {"body": "We do."})
        return response, lambda: discussion.posts.count() == 2

    def _share_group_file(self, client, city):
        group = team_group(city)
        url = reverse("community:files", args=[group.slug])
        response = client.post(url, {"file": SimpleUploadedFile("plan.pdf", PDF_BYTES)})
        return response, lambda: SharedFile.objects.filter(group=group).exists()

    def _announce_group_event(self, client, city):
        group = team_group(city)
        url = reverse("community:group_event_new", args=[group.slug])
        response = client.post(url, event_form())
        return response, lambda: Event.objects.filter(group=group).exists()

    def _announce_platform_event(self, client, city):
        response = client.post(reverse("community:event_new"), event_form())
        return response, lambda: Event.objects.filter(group=None).exists()

    def _change_event(self, client, city):
        event = make_event(team_group(city))
        url = reverse("community:event_edit", args=[event.pk])
        response = client.post(url, event_form(title="Renamed"))
        return response, lambda: Event.objects.get(pk=event.pk).title == "Renamed"

    def _cancel_event(self, client, city):
        event = make_event(team_group(city))
        response = client.post(reverse("community:event_cancel", args=[event.pk]))
        return response, lambda: Event.objects.get(pk=event.pk).is_cancelled

    def _register_for_event(self, client, city):
        event = make_event(team_group(city))
        response = client.post(reverse("community:register", args=[event.pk]))
        return response, lambda: event.registrations.exists()

    def _cancel_event_registration(self, client, city):
        """The person is registered (even if they could not register themselves)."""
        event = make_event(team_group(city))
        user = signed_in_user(client)
        if user is not None:
            Registration.objects.create(event=event, user=user, status="confirmed")
        response = client.post(reverse("community:unregister", args=[event.pk]))
        return response, lambda: user is not None and not event.registrations.exists()

    def _report_post(self, client, city):
        group = team_group(city)
        post = discuss(group, add(group)).posts.get()
        url = reverse("community:report", args=["post", post.pk])
        response = client.post(url, {"reason": "spam"})
        return response, lambda: Report.objects.filter(post=post).exists()

    def _moderate_post(self, client, city):
        group = team_group(city)
        post = discuss(group, add(group)).posts.get()
        url = reverse("community:moderate", args=["post", post.pk])
        response = client.post(url, {"action": "hide", "reason": "Advert."})
        return response, lambda: Post.objects.get(pk=post.pk).status == "hidden"

    def _dismiss_report(self, client, city):
        group = team_group(city)
        post = discuss(group, add(group)).posts.get()
        report = report_content(post, reason="spam", by=add(group))
        url = reverse("community:dismiss_report", args=[report.pk])
        response = client.post(url, {"reason": "Fair."})
        return response, lambda: Report.objects.get(pk=report.pk).resolved_at is not None

    def _follow_topics(self, client, city):
        taxonomy()
        response = client.post(reverse("community:topics"), {"tags": ["energy"]})
        return response, lambda: TopicFollow.objects.exists()

    def _edit_own_profile(self, client, city):
        response = client.post(reverse("community:my_profile"), {"handle": "my-handle"})
        return (
            response,
            lambda: get_user_model().objects.filter(profile__handle="my-handle").exists(),
        )

    def _choose_notification_settings(self, client, city):
        data = {kind.code: "email" for kind in KINDS} | {"mention": "off"}
        response = client.post(reverse("community:preferences"), data)
        return response, lambda: NotificationPreference.objects.filter(kind="mention").exists()
