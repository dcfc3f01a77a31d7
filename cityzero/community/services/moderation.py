"""Moderation: people report posts, events and files; a group's owners and moderators (or the
staff, for the platform's own events) hide, restore or remove them, or dismiss the report. Every
action goes in the moderation log with who, what, when and why."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.accounts.models import PlatformRole
from cityzero.community import selectors
from cityzero.community.models import (
    MAX_REASON,
    ContentStatus,
    Discussion,
    Event,
    Group,
    ModerationAction,
    ModerationEntry,
    Post,
    Report,
    ReportReason,
    SharedFile,
)
from cityzero.community.services.notifications import notify

Content = Post | Event | SharedFile


def given_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why: it goes in the moderation log."))
    if len(reason) > MAX_REASON:
        raise ValidationError(_("Keep the reason to %(n)s characters.") % {"n": f"{MAX_REASON:,}"})
    return reason


def record(
    group: Group | None,
    *,
    by,
    action: str,
    kind: str,
    target_id: int | None,
    label: str,
    reason: str,
) -> ModerationEntry:
    return ModerationEntry.objects.create(
        group=group,
        actor=by,
        action=action,
        target_kind=kind,
        target_id=target_id,
        target_label=label[:200],
        reason=reason,
    )


def kind_of_content(content: Content) -> str:
    return {Post: "post", Event: "event", SharedFile: "file"}[type(content)]


def group_of(content: Content) -> Group | None:
    return content.discussion.group if isinstance(content, Post) else content.group


def describe(content: Content) -> str:
    if isinstance(content, Post):
        who = content.author.display_name if content.author else _("a former member")
        return _("%(who)s’s post in “%(title)s”") % {"who": who, "title": content.discussion.title}
    if isinstance(content, Event):
        return _("the event “%(title)s”") % {"title": content.title}
    return _("the file “%(name)s”") % {"name": content.name}


def moderation_url(group: Group | None) -> str:
    if group is None:
        return reverse("community:platform_moderation")
    return reverse("community:moderation", args=[group.slug])


def _moderators(group: Group | None) -> Any:
    if group is not None:
        return selectors.keepers(group)
    return get_user_model().objects.filter(platform_role=PlatformRole.STAFF, is_active=True)


@transaction.atomic
def report_content(content: Content, *, reason: str, note: str = "", by) -> Report:
    """Tell the moderators; one open report per person and piece of content."""
    if reason not in ReportReason.values:
        raise ValidationError(_("Choose why you report it."))
    note = note.strip()
    if len(note) > MAX_REASON:
        raise ValidationError(_("Keep the details to %(n)s characters.") % {"n": f"{MAX_REASON:,}"})
    if reason == ReportReason.OTHER and not note:
        raise ValidationError(_("Say what is wrong with it."))
    kind = kind_of_content(content)
    if Report.objects.filter(reporter=by, resolved_at__isnull=True, **{kind: content}).exists():
        raise ValidationError(_("You have reported this already; the moderators will look at it."))
    group = group_of(content)
    report = Report.objects.create(
        group=group,
        reporter=by,
        reason=reason,
        note=note,
        target_label=describe(content)[:200],
        **{kind: content},
    )
    notify(
        [person for person in _moderators(group) if person.pk != by.pk],
        source=f"flag:{report.pk}",
        kind="moderation",
        group=group,
        title=_("Reported: %(what)s") % {"what": report.target_label},
        body=f"{report.get_reason_display()}. {note}".strip(),
        url=moderation_url(group),
    )
    return report


def _locked(content: Content) -> Content:
    model = type(content)
    related = ["discussion__group", "author"] if model is Post else ["group"]
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=content.pk)


def _settle_reports(content: Content, *, by) -> None:
    Report.objects.filter(resolved_at__isnull=True, **{kind_of_content(content): content}).update(
        resolved_at=timezone.now(), resolved_by=by
    )


def _set_discussion(post: Post, status: str) -> None:
    if post.is_opening:
        Discussion.objects.filter(pk=post.discussion_id).update(status=status)


_NEXT = {
    ModerationAction.HIDE: ({ContentStatus.VISIBLE}, ContentStatus.HIDDEN),
    ModerationAction.RESTORE: ({ContentStatus.HIDDEN}, ContentStatus.VISIBLE),
    ModerationAction.REMOVE: ({ContentStatus.VISIBLE, ContentStatus.HIDDEN}, ContentStatus.REMOVED),
}


@transaction.atomic
def moderate(content: Content, *, action: str, reason: str, by) -> ModerationEntry:
    """Hide (reversibly), restore, or remove for good; settles the open reports on it."""
    reason = given_reason(reason)
    if action not in _NEXT:
        raise ValidationError(_("Choose to hide, restore or remove it."))
    content = _locked(content)
    allowed, target = _NEXT[action]
    if content.status not in allowed:
        raise ValidationError(
            _("This is %(status)s: it cannot be %(action)s.")
            % {
                "status": content.get_status_display().lower(),
                "action": ModerationAction(action).label,
            }
        )
    group = group_of(content)
    entry = record(
        group,
        by=by,
        action=action,
        kind=kind_of_content(content),
        target_id=content.pk,
        label=describe(content),
        reason=reason,
    )
    _settle_reports(content, by=by)
    if isinstance(content, SharedFile) and target == ContentStatus.REMOVED:
        content.delete()  # the stored copy goes once this commits (signals)
        return entry
    content.status = target
    fields = ["status"]
    if isinstance(content, Post):
        _set_discussion(content, target)
        if target == ContentStatus.REMOVED:
            content.body = content.body_html = ""
            fields += ["body", "body_html"]
    content.save(update_fields=fields)
    return entry


@transaction.atomic
def dismiss_report(report: Report, *, reason: str, by) -> ModerationEntry:
    reason = given_reason(reason)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.resolved_at is not None:
        raise ValidationError(_("This report has been dealt with already."))
    report.resolved_at, report.resolved_by = timezone.now(), by
    report.save(update_fields=["resolved_at", "resolved_by"])
    target_id = report.post_id or report.event_id or report.file_id
    kind = "post" if report.post_id else "event" if report.event_id else "file"
    return record(
        report.group,
        by=by,
        action=ModerationAction.DISMISS,
        kind=kind,
        target_id=target_id,
        label=report.target_label,
        reason=reason,
    )
