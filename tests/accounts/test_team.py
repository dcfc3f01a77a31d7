"""Inviting people into a city's team, accepting, and managing roles."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityzero.accounts.models import CityMembership, CityRole, Invitation, TeamEvent
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, make_person):
    client.force_login(make_person("coordinator"))
    return client


def invite(client, city, email="new@example.org", role="editor"):
    return client.post(reverse("accounts:invite", args=[city.slug]), {"email": email, "role": role})


def test_invitation_email_carries_a_working_link(
    coordinator_client, client, city, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator_client, city)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@example.org"]
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    invitee = UserFactory(email="new@example.org")
    client.force_login(invitee)
    response = client.post(urlsplit(link).path)
    assert response.status_code == 302
    assert CityMembership.objects.get(user=invitee, city=city).role == CityRole.EDITOR


def test_signup_then_accept_invitation(coordinator_client, client, city):
    invite(coordinator_client, city, email="fresh@example.org", role="viewer")
    token = Invitation.objects.get().token
    client.logout()
    client.post(
        reverse("account_signup"),
        {
            "email": "fresh@example.org",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )
    address = EmailAddress.objects.get(email="fresh@example.org")
    assert address.verified is False  # verification is mandatory
    address.verified = True
    address.save()
    client.force_login(address.user)
    client.post(reverse("accounts:invitation", args=[token]))
    assert CityMembership.objects.filter(
        user=address.user, city=city, role=CityRole.VIEWER
    ).exists()


@pytest.mark.parametrize(
    "email, role, message",
    [
        ("not-an-email", "editor", "Enter a valid email address"),
        ("", "editor", "This field is required"),
        ("a@example.org", "mayor", "Select a valid choice"),
        ("a" * 250 + "@example.org", "editor", "at most 254 characters"),
    ],
)
def test_bad_invitations_are_refused(coordinator_client, city, email, role, message):
    response = invite(coordinator_client, city, email=email, role=role)
    assert response.status_code == 422 and message in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused(coordinator_client, city):
    member = MembershipFactory(city=city)
    response = invite(coordinator_client, city, email=member.user.email.upper())
    assert response.status_code == 422 and "already in this city" in response.content.decode()


def test_invitation_for_another_address_cannot_be_accepted(coordinator_client, client, city):
    invite(coordinator_client, city, email="meant@example.org")
    client.force_login(UserFactory(email="someone.else@example.org"))
    token = Invitation.objects.get().token
    response = client.post(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 409 and "sent to meant@example.org" in response.content.decode()
    assert not CityMembership.objects.filter(user__email="someone.else@example.org").exists()


def test_expired_invitation_cannot_be_accepted(coordinator_client, client, city):
    invite(coordinator_client, city, email="late@example.org")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(email="late@example.org"))
    response = client.post(reverse("accounts:invitation", args=[Invitation.objects.get().token]))
    assert response.status_code == 409 and "expired" in response.content.decode()


def test_unknown_invitation_token_is_not_found(client, make_person):
    client.force_login(make_person("member"))
    assert client.get(reverse("accounts:invitation", args=["nope"])).status_code == 404


def test_the_last_coordinator_cannot_step_down(client, make_person, city):
    coordinator = make_person("coordinator")
    client.force_login(coordinator)
    membership = CityMembership.objects.get(user=coordinator)
    client.post(
        reverse("accounts:change_role", args=[city.slug, membership.pk]), {"role": "viewer"}
    )
    assert CityMembership.objects.get(pk=membership.pk).role == CityRole.COORDINATOR


def test_membership_of_another_city_cannot_be_changed_through_this_city(
    coordinator_client, city, other_city
):
    stranger = MembershipFactory(city=other_city, role=CityRole.VIEWER)
    response = coordinator_client.post(
        reverse("accounts:change_role", args=[city.slug, stranger.pk]), {"role": "editor"}
    )
    assert response.status_code == 404
    assert CityMembership.objects.get(pk=stranger.pk).role == CityRole.VIEWER


def test_bad_role_change_is_refused(coordinator_client, city):
    member = MembershipFactory(city=city, role=CityRole.VIEWER)
    coordinator_client.post(
        reverse("accounts:change_role", args=[city.slug, member.pk]), {"role": "owner"}
    )
    assert CityMembership.objects.get(pk=member.pk).role == CityRole.VIEWER


@pytest.mark.parametrize("count", [1, 3])
def test_team_page_queries_do_not_grow_with_members(
    client, make_person, city, count, django_assert_num_queries
):
    client.force_login(make_person("coordinator"))
    for _ in range(count):
        MembershipFactory(city=city)
    client.get(reverse("accounts:team", args=[city.slug]))  # warm the session
    with django_assert_num_queries(10):  # the page and the unread-notification count
        assert client.get(reverse("accounts:team", args=[city.slug])).status_code == 200


def test_every_change_to_the_team_is_recorded(coordinator_client, city):
    invite(coordinator_client, city, email="joiner@example.org", role="viewer")
    invite(coordinator_client, city, email="never@example.org")
    pending = Invitation.objects.get(email="never@example.org")
    coordinator_client.post(reverse("accounts:revoke", args=[city.slug, pending.pk]))
    joiner = UserFactory(email="joiner@example.org")
    joiner_client = Client()
    joiner_client.force_login(joiner)
    joiner_client.post(
        reverse("accounts:invitation", args=[Invitation.objects.get(email=joiner.email).token])
    )
    membership = CityMembership.objects.get(user=joiner)
    coordinator_client.post(
        reverse("accounts:change_role", args=[city.slug, membership.pk]), {"role": "editor"}
    )
    coordinator_client.post(reverse("accounts:remove", args=[city.slug, membership.pk]))
    events = TeamEvent.objects.order_by("id").values_list("kind", "subject_email", "role")
    assert list(events) == [
        ("invited", "joiner@example.org", "viewer"),
        ("invited", "never@example.org", "editor"),
        ("withdrawn", "never@example.org", "editor"),
        ("joined", "joiner@example.org", "viewer"),
        ("role_changed", "joiner@example.org", "editor"),
        ("removed", "joiner@example.org", "editor"),
    ]
    page = coordinator_client.get(reverse("accounts:team", args=[city.slug])).content.decode()
    assert "joiner@example.org: removed (Editor)" in page


def test_refused_changes_record_nothing(coordinator_client, city):
    coordinator_client.post(reverse("accounts:invite", args=[city.slug]), {"email": "bad"})
    assert not TeamEvent.objects.exists()


def test_an_invitee_without_an_account_is_shown_how_to_accept(coordinator_client, city):
    invite(coordinator_client, city, email="fresh@example.org")
    token = Invitation.objects.get().token
    anonymous = Client()
    page = anonymous.get(reverse("accounts:invitation", args=[token])).content.decode()
    assert "sign in with fresh@example.org" in page and reverse("account_signup") in page
    refused = anonymous.post(reverse("accounts:invitation", args=[token]))
    assert refused.status_code == 302 and refused.url.startswith(reverse("account_login"))
    assert not CityMembership.objects.filter(user__email="fresh@example.org").exists()
