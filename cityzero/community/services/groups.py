"""Groups and their members: creating and changing groups, joining, asking, inviting, roles,
leaving, removing and banning. A group always keeps at least one owner.

Who may act is the views' question (``accounts.permissions``); what is possible given everyone's
place in the group is answered here. Every change to someone else's place is in the moderation
log.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cityzero.accounts.permissions import forget_roles, roles_of
from cityzero.community import selectors
from cityzero.community.models import (
    KEEPERS,
    MAX_DESCRIPTION,
    MAX_GROUP_NAME,
    MAX_REASON,
    MAX_SUMMARY,
    Group,
    GroupKind,
    GroupMembership,
    GroupRole,
    GroupVisibility,
    MembershipStatus,
    ModerationAction,
)
from cityzero.community.services.moderation import given_reason, record
from cityzero.community.services.notifications import notify
from cityzero.community.services.people import ensure_profile
from cityzero.core.markdown import render_markdown

# Addresses under /groups/ that are pages, not groups (see urls.py).
RESERVED_SLUGS = frozenset({"new"})


def group_url(group: Group) -> str:
    return reverse("community:group", args=[group.slug])


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "group"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_group(name: str, kind: str, visibility: str, summary: str, description: str) -> None:
    problems = []
    if not name.strip():
        problems.append(_("Give the group a name."))
    elif len(name.strip()) > MAX_GROUP_NAME:
        problems.append(_("Keep the name to %(n)s characters.") % {"n": MAX_GROUP_NAME})
    if kind not in GroupKind.values:
        problems.append(_("Choose the kind of group."))
    if visibility not in GroupVisibility.values:
        problems.append(_("Choose who may see the group."))
    if not summary.strip():
        problems.append(_("Say in a sentence what the group is for."))
    elif len(summary.strip()) > MAX_SUMMARY:
        problems.append(_("Keep the summary to %(n)s characters.") % {"n": MAX_SUMMARY})
    if len(description) > MAX_DESCRIPTION:
        problems.append(
            _("Keep the description to %(n)s characters.") % {"n": f"{MAX_DESCRIPTION:,}"}
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def create_group(
    *, name: str, kind: str, visibility: str, summary: str, description: str = "", owner, by
) -> Group:
    """Staff open a group and name its first owner."""
    _check_group(name, kind, visibility, summary, description)
    if not owner.is_active:
        raise ValidationError(_("The owner must have an active account."))
    group = Group.objects.create(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        visibility=visibility,
        summary=summary.strip(),
        description=description.strip(),
        description_html=render_markdown(description.strip()),
        created_by=by,
        last_activity_at=timezone.now(),
    )
    GroupMembership.objects.create(
        group=group, user=owner, role=GroupRole.OWNER, status=MembershipStatus.ACTIVE, invited_by=by
    )
    ensure_profile(owner)
    forget_roles(owner)
    return group


@transaction.atomic
def update_group(
    group: Group, *, name: str, kind: str, visibility: str, summary: str, description: str, by
) -> Group:
    _check_group(name, kind, visibility, summary, description)
    group.name, group.kind, group.visibility = name.strip(), kind, visibility
    group.summary, group.description = summary.strip(), description.strip()
    group.description_html = render_markdown(group.description)
    group.save(
        update_fields=["name", "kind", "visibility", "summary", "description", "description_html"]
    )
    return group


def _locked_place(group: Group, user: Any) -> GroupMembership | None:
    return GroupMembership.objects.select_for_update().filter(group=group, user=user).first()


def _refuse_if_placed(place: GroupMembership | None) -> None:
    if place is None:
        return
    messages = {
        MembershipStatus.ACTIVE: _("You are a member of this group already."),
        MembershipStatus.INVITED: _("You are invited to this group: accept the invitation."),
        MembershipStatus.REQUESTED: _(
            "You have asked to join already; the moderators will answer."
        ),
        MembershipStatus.BANNED: _("You may not join this group."),
    }
    raise ValidationError(messages[place.status])


def _tell_keepers(group: Group, *, source: str, title: str, body: str = "", url: str = "") -> None:
    notify(
        selectors.keepers(group),
        source=source,
        title=title,
        body=body,
        url=url or reverse("community:members", args=[group.slug]),
        kind="group",
        group=group,
    )


@transaction.atomic
def join_group(group: Group, *, user) -> GroupMembership:
    """Anyone signed in joins a public group at once."""
    if group.visibility != GroupVisibility.PUBLIC:
        raise ValidationError(_("Only public groups are open to join; ask to join instead."))
    _refuse_if_placed(_locked_place(group, user))
    place = GroupMembership.objects.create(group=group, user=user, status=MembershipStatus.ACTIVE)
    ensure_profile(user)
    forget_roles(user)
    return place


@transaction.atomic
def ask_to_join(group: Group, *, user, message: str = "") -> GroupMembership:
    """Someone asks to join a private group; its owners and moderators are told."""
    if group.visibility != GroupVisibility.PRIVATE:
        raise ValidationError(_("Only private groups take requests to join."))
    if len(message.strip()) > MAX_REASON:
        raise ValidationError(_("Keep the message to %(n)s characters.") % {"n": f"{MAX_REASON:,}"})
    _refuse_if_placed(_locked_place(group, user))
    place = GroupMembership.objects.create(
        group=group, user=user, status=MembershipStatus.REQUESTED, message=message.strip()
    )
    forget_roles(user)
    _tell_keepers(
        group,
        source=f"group:{group.pk}:request:{place.pk}",
        title=_("%(name)s asks to join %(group)s")
        % {"name": user.display_name, "group": group.name},
        body=message.strip(),
    )
    return place


@transaction.atomic
def answer_request(place: GroupMembership, *, approve: bool, by) -> GroupMembership | None:
    """A moderator lets the person in, or declines; the person is told either way."""
    place = _place_of(place)
    if place.status != MembershipStatus.REQUESTED:
        raise ValidationError(_("This request has been answered already."))
    group, person, pk = place.group, place.user, place.pk
    if approve:
        place.status = MembershipStatus.ACTIVE
        place.save(update_fields=["status", "updated_at"])
        ensure_profile(person)
        title = _("Welcome to %(group)s") % {"group": group.name}
    else:
        place.delete()
        title = _("Your request to join %(group)s was declined") % {"group": group.name}
    forget_roles(person)
    notify(
        [person],
        source=f"group:{group.pk}:answer:{pk}",
        title=title,
        url=group_url(group),
        kind="group",
        group=group,
    )
    return place if approve else None


@transaction.atomic
def invite(group: Group, *, email: str, by, message: str = "") -> GroupMembership:
    """Invite someone with an account on the platform; they are told, and accept or decline.

    Someone who asked to join is let in at once.
    """
    person = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise ValidationError(
            _(
                "Nobody with the address %(email)s has an account on CityZero. Ask them to sign "
                "up first, then invite them."
            )
            % {"email": email.strip()}
        )
    place = _locked_place(group, person)
    if place is not None and place.status == MembershipStatus.REQUESTED:
        return answer_request(place, approve=True, by=by)
    if place is not None:
        messages = {
            MembershipStatus.ACTIVE: _("%(name)s is a member already."),
            MembershipStatus.INVITED: _("%(name)s is invited already."),
            MembershipStatus.BANNED: _("%(name)s is banned from this group: lift the ban first."),
        }
        raise ValidationError(messages[place.status] % {"name": person.display_name})
    place = GroupMembership.objects.create(
        group=group,
        user=person,
        status=MembershipStatus.INVITED,
        invited_by=by,
        message=message.strip()[:MAX_REASON],
    )
    forget_roles(person)
    notify(
        [person],
        source=f"group:{group.pk}:invitation:{place.pk}",
        kind="group",
        group=group,
        title=_("%(name)s invites you to the group %(group)s")
        % {"name": by.display_name, "group": group.name},
        body=message.strip(),
        url=group_url(group),
    )
    return place


@transaction.atomic
def answer_invitation(group: Group, *, user, accept: bool) -> GroupMembership | None:
    place = _locked_place(group, user)
    if place is None or place.status != MembershipStatus.INVITED:
        raise ValidationError(_("There is no invitation to answer."))
    forget_roles(user)
    if not accept:
        place.delete()
        return None
    place.status = MembershipStatus.ACTIVE
    place.save(update_fields=["status", "updated_at"])
    ensure_profile(user)
    return place


def _owners_left(group: Group, *, without: GroupMembership) -> int:
    return (
        GroupMembership.objects.select_for_update()
        .filter(group=group, role=GroupRole.OWNER, status=MembershipStatus.ACTIVE)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def leave_group(group: Group, *, user) -> None:
    """Leave a group, or withdraw a request to join; the last owner hands over first."""
    place = _locked_place(group, user)
    if place is None or place.status not in {MembershipStatus.ACTIVE, MembershipStatus.REQUESTED}:
        raise ValidationError(_("You are not a member of this group."))
    if place.role == GroupRole.OWNER and not _owners_left(group, without=place):
        raise ValidationError(
            _("You are the group's only owner: make another member owner before you leave.")
        )
    place.delete()
    forget_roles(user)


def _outranks(by, group: Group, place: GroupMembership) -> bool:
    """Staff and owners act on anyone; moderators on plain members only."""
    roles = roles_of(by)
    if roles.is_staff:
        return True
    mine = roles.group_place(group.pk)
    if mine is None or mine[1] != MembershipStatus.ACTIVE or mine[0] not in KEEPERS:
        return False
    return mine[0] == GroupRole.OWNER or place.role == GroupRole.MEMBER


def _place_of(place: GroupMembership) -> GroupMembership:
    """The place, locked and as it is now; gone, it has been dealt with by someone else."""
    found = (
        GroupMembership.objects.select_for_update(of=("self",))
        .select_related("group", "user")
        .filter(pk=place.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("This has been answered already: the person's place is gone."))
    return found


@transaction.atomic
def change_role(place: GroupMembership, *, role: str, by) -> GroupMembership:
    """Owners (and staff) give members their roles; the last owner keeps theirs."""
    place = _place_of(place)
    group = place.group
    if role not in GroupRole.values:
        raise ValidationError(_("Choose owner, moderator or member."))
    if place.status != MembershipStatus.ACTIVE:
        raise ValidationError(_("Only members have a role."))
    if place.role == role:
        return place
    if place.role == GroupRole.OWNER and not _owners_left(group, without=place):
        raise ValidationError(
            _("%(name)s is the group's only owner: make someone else owner first.")
            % {"name": place.user.display_name}
        )
    before = place.get_role_display()
    place.role = role
    place.save(update_fields=["role", "updated_at"])
    forget_roles(place.user)
    entry = record(
        group,
        by=by,
        action=ModerationAction.ROLE,
        kind="member",
        target_id=place.user_id,
        label=place.user.display_name,
        reason=f"{before} → {place.get_role_display()}",
    )
    notify(
        [place.user],
        source=f"group:{group.pk}:role:{entry.pk}",
        title=_("You are now %(role)s of %(group)s")
        % {"role": place.get_role_display().lower(), "group": group.name},
        url=group_url(group),
        kind="group",
        group=group,
    )
    return place


@transaction.atomic
def remove_member(place: GroupMembership, *, by, reason: str, ban: bool) -> GroupMembership | None:
    """Take someone out of the group (``ban``: and keep them out) with the reason, logged.

    Moderators remove and ban plain members; owners and staff anyone but the last owner. A ban
    also applies to someone invited or asking to join.
    """
    reason = given_reason(reason)
    place = _place_of(place)
    group, person = place.group, place.user
    if place.status == MembershipStatus.BANNED:
        raise ValidationError(_("%(name)s is banned already.") % {"name": person.display_name})
    if not _outranks(by, group, place):
        raise ValidationError(_("Only the group's owners take out its owners and moderators."))
    if person.pk == by.pk:
        raise ValidationError(_("Leave the group instead."))
    if place.role == GroupRole.OWNER and not _owners_left(group, without=place):
        raise ValidationError(_("The group's only owner stays; make someone else owner first."))
    action = ModerationAction.BAN if ban else ModerationAction.EXPEL
    record(
        group,
        by=by,
        action=action,
        kind="member",
        target_id=person.pk,
        label=person.display_name,
        reason=reason,
    )
    forget_roles(person)
    if not ban:
        place.delete()
        return None
    place.status, place.role = MembershipStatus.BANNED, GroupRole.MEMBER
    place.message = ""
    place.save(update_fields=["status", "role", "message", "updated_at"])
    return place


@transaction.atomic
def lift_ban(place: GroupMembership, *, by, reason: str) -> None:
    reason = given_reason(reason)
    place = _place_of(place)
    if place.status != MembershipStatus.BANNED:
        raise ValidationError(_("%(name)s is not banned.") % {"name": place.user.display_name})
    record(
        place.group,
        by=by,
        action=ModerationAction.UNBAN,
        kind="member",
        target_id=place.user_id,
        label=place.user.display_name,
        reason=reason,
    )
    place.delete()
    forget_roles(place.user)


@transaction.atomic
def withdraw_invitation(place: GroupMembership, *, by) -> None:
    place = _place_of(place)
    if place.status != MembershipStatus.INVITED:
        raise ValidationError(_("There is no invitation to withdraw."))
    place.delete()
    forget_roles(place.user)
