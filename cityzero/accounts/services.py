from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.models import (
    AdvisorAssignment,
    CityMembership,
    CityRole,
    Invitation,
    PlatformRole,
    TeamEvent,
    TeamEventKind,
    User,
)
from cityzero.accounts.permissions import forget_roles
from cityzero.cities.models import City
from cityzero.community.services import notify


@transaction.atomic
def invite_member(city: City, *, email: str, role: str, by: User) -> Invitation:
    """Invite someone by email to join a city's team; the link in the email accepts it."""
    email = email.strip().lower()
    if CityMembership.objects.filter(city=city, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already in this city's team.") % {"email": email})
    Invitation.objects.filter(
        city=city, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        city=city,
        email=email,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    TeamEvent.objects.create(
        city=city, kind=TeamEventKind.INVITED, actor=by, subject_email=email, role=role
    )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[invitation.token])
    context = {"invitation": invitation, "link": link, "inviter": by}
    transaction.on_commit(
        lambda: send_mail(
            _("You are invited to join %(city)s on CityZero") % {"city": city.name},
            render_to_string("accounts/email/invitation.txt", context),
            None,
            [email],
        )
    )
    return invitation


def invitation_problem(invitation: Invitation, user: User) -> str | None:
    """Why this user cannot accept this invitation, or None when they can."""
    if invitation.revoked_at:
        return _("This invitation was withdrawn. Ask the city's coordinator for a new one.")
    if invitation.accepted_at:
        return _("This invitation has already been used.")
    if invitation.expires_at < timezone.now():
        return _("This invitation has expired. Ask the city's coordinator for a new one.")
    if not user.emailaddress_set.filter(email__iexact=invitation.email, verified=True).exists():
        return _(
            "This invitation was sent to %(email)s. Sign in with that address (and verify it) to accept it."
        ) % {"email": invitation.email}
    return None


@transaction.atomic
def accept_invitation(invitation: Invitation, *, by: User) -> CityMembership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation, by)
    if problem:
        raise ValidationError(problem)
    membership, _created = CityMembership.objects.update_or_create(
        user=by, city=invitation.city, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    TeamEvent.objects.create(
        city=invitation.city,
        kind=TeamEventKind.JOINED,
        actor=by,
        subject_email=by.email,
        role=invitation.role,
    )
    forget_roles(by)
    return membership


def _ensure_a_coordinator_remains(membership: CityMembership, new_role: str | None) -> None:
    if membership.role != CityRole.COORDINATOR or new_role == CityRole.COORDINATOR:
        return
    others = CityMembership.objects.filter(city=membership.city, role=CityRole.COORDINATOR).exclude(
        pk=membership.pk
    )
    if not others.exists():
        raise ValidationError(
            _("A city needs at least one coordinator. Make someone else coordinator first.")
        )


@transaction.atomic
def change_member_role(membership: CityMembership, *, role: str, by: User) -> CityMembership:
    membership = CityMembership.objects.select_for_update().get(pk=membership.pk)
    _ensure_a_coordinator_remains(membership, role)
    membership.role = role
    membership.save(update_fields=["role"])
    TeamEvent.objects.create(
        city=membership.city,
        kind=TeamEventKind.ROLE_CHANGED,
        actor=by,
        subject_email=membership.user.email,
        role=role,
    )
    return membership


@transaction.atomic
def remove_member(membership: CityMembership, *, by: User) -> None:
    membership = CityMembership.objects.select_for_update().get(pk=membership.pk)
    _ensure_a_coordinator_remains(membership, None)
    membership.delete()
    TeamEvent.objects.create(
        city=membership.city,
        kind=TeamEventKind.REMOVED,
        actor=by,
        subject_email=membership.user.email,
        role=membership.role,
    )


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: User) -> None:
    withdrawn = Invitation.objects.filter(
        pk=invitation.pk, accepted_at=None, revoked_at=None
    ).update(revoked_at=timezone.now())
    if withdrawn:
        TeamEvent.objects.create(
            city=invitation.city,
            kind=TeamEventKind.INVITATION_WITHDRAWN,
            actor=by,
            subject_email=invitation.email,
            role=invitation.role,
        )


@transaction.atomic
def assign_advisor(city: City, *, advisor: User, by: User) -> AdvisorAssignment:
    """Make someone with the advisor role a Climate-Neutral City Advisor of the city; they are told."""
    if advisor.platform_role != PlatformRole.ADVISOR or not advisor.is_active:
        raise ValidationError(
            _("%(name)s is not a city advisor. Give them the advisor role first.")
            % {"name": advisor}
        )
    assignment, created = AdvisorAssignment.objects.get_or_create(
        advisor=advisor, city=city, defaults={"assigned_by": by}
    )
    if not created:
        raise ValidationError(
            _("%(name)s already advises %(city)s.") % {"name": advisor, "city": city.name}
        )
    TeamEvent.objects.create(
        city=city, kind=TeamEventKind.ADVISOR_ASSIGNED, actor=by, subject_email=advisor.email
    )
    forget_roles(advisor)
    notify(
        [advisor],
        source=f"advisor:{assignment.pk}",
        title=_("You now advise %(city)s") % {"city": city.name},
        body=_("The platform staff made you a city advisor of %(city)s.") % {"city": city.name},
        url=reverse("cities:detail", args=[city.slug]),
    )
    return assignment


@transaction.atomic
def remove_advisor(assignment: AdvisorAssignment, *, by: User) -> None:
    removed, _count = AdvisorAssignment.objects.filter(pk=assignment.pk).delete()
    if removed:
        TeamEvent.objects.create(
            city=assignment.city,
            kind=TeamEventKind.ADVISOR_REMOVED,
            actor=by,
            subject_email=assignment.advisor.email,
        )
        forget_roles(assignment.advisor)
