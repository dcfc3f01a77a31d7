"""Collaboration: groups with their members, discussions, events and files; people's profiles;
notifications with each person's preferences and digests; reports and the moderation log.

Markdown is rendered once on save and sanitised (``core.markdown``). Who may see or do what is
answered by ``accounts.permissions`` only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.core.models import StoredFile

MAX_GROUP_NAME = 120
MAX_SUMMARY = 300
MAX_DESCRIPTION = 10_000  # characters of Markdown
MAX_TITLE = 200
MAX_POST = 10_000
MAX_BIO = 600
MAX_REASON = 1_000


# --- groups -----------------------------------------------------------------------------------------


class GroupVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone signed in joins and reads")
    PRIVATE = "private", _("Private: listed; members join on request and read")
    SECRET = "secret", _("Secret: invitation only; only members know it exists")


class GroupKind(models.TextChoices):
    """DOMAIN §4: the portal's three kinds of group."""

    THEMATIC = "thematic", _("Thematic")
    PROGRAMME = "programme", _("Programme")
    CAPABILITY = "capability", _("Capability building")


class Group(models.Model):
    name = models.CharField(_("name"), max_length=MAX_GROUP_NAME)
    slug = models.SlugField(_("address"), max_length=140, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=GroupKind.choices)
    visibility = models.CharField(
        _("visibility"),
        max_length=8,
        choices=GroupVisibility.choices,
        default=GroupVisibility.PUBLIC,
    )
    summary = models.CharField(_("summary"), max_length=MAX_SUMMARY)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=GroupVisibility.values),
                name="group_visibility_known",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=GroupKind.values), name="group_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_secret(self) -> bool:
        return self.visibility == GroupVisibility.SECRET


class GroupRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")


# Roles that look after a group: its requests, invitations, content and bans.
KEEPERS = frozenset({GroupRole.OWNER, GroupRole.MODERATOR})


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Member")
    INVITED = "invited", _("Invited")
    REQUESTED = "requested", _("Asked to join")
    BANNED = "banned", _("Banned")


class GroupMembership(models.Model):
    """One person's place in a group: a member (with a role), invited, asking to join, or banned.

    Leaving, a declined request and a declined invitation delete the row; a ban keeps it, so that
    the banned person cannot join, ask or be invited again until a moderator lifts the ban.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=GroupRole.choices, default=GroupRole.MEMBER
    )
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    message = models.CharField(_("message"), max_length=MAX_REASON, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "user"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_place_per_group"),
            models.CheckConstraint(
                condition=models.Q(status__in=MembershipStatus.values),
                name="group_membership_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=GroupRole.values), name="group_role_known"
            ),
        ]
        indexes = [models.Index(fields=["user", "status"], name="memberships_of_user")]

    def __str__(self) -> str:
        return f"{self.user} in {self.group}: {self.get_status_display()}"


# --- content: discussions, events, files ------------------------------------------------------------


class ContentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")
    REMOVED = "removed", _("Removed by a moderator")


class Discussion(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="discussions")
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Follows its opening post's moderation, so that lists need not look at the posts.
    status = models.CharField(
        max_length=8, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField()
    reply_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["group", "-last_post_at"], name="discussions_by_activity")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A message in a discussion: the opening post (no parent) or a reply to another post."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("message"), max_length=MAX_POST)
    body_html = models.TextField(editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)  # spam.fingerprint of the body
    status = models.CharField(
        max_length=8, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["author", "created_at"], name="posts_by_author")]

    def __str__(self) -> str:
        return f"{self.discussion}: #{self.pk}"

    @property
    def is_opening(self) -> bool:
        return self.parent_id is None


class EventFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("In person and online")


class Event(models.Model):
    """An event of a group (seen by whoever may read the group) or of the whole platform.

    ``starts_at``/``ends_at`` are stored in UTC; ``time_zone`` (IANA) is the zone the organisers
    gave the times in, and the zone the event is shown in.
    """

    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("title"), max_length=MAX_TITLE)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    format = models.CharField(_("format"), max_length=10, choices=EventFormat.choices)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    waiting_list = models.BooleanField(_("waiting list when full"), default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on each change
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(format__in=EventFormat.values), name="event_format_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.event}: {self.get_status_display()}"


class SharedFile(StoredFile):
    """A file shared in a group: members only, served through a permission-checked view."""

    UPLOAD_FOLDER = "community"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="files")
    description = models.CharField(_("description"), max_length=MAX_SUMMARY, blank=True)
    status = models.CharField(
        max_length=8, choices=ContentStatus.choices, default=ContentStatus.VISIBLE
    )

    class Meta(StoredFile.Meta):
        ordering = ["-uploaded_at", "-pk"]


# --- moderation -------------------------------------------------------------------------------------


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abusive, hateful or harassing")
    PRIVACY = "privacy", _("Shares personal data without consent")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Report(models.Model):
    """Someone tells the moderators that a post, an event or a file should not be there."""

    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    file = models.ForeignKey(
        SharedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    target_label = models.CharField(max_length=MAX_TITLE)  # what it was, when it is gone
    reason = models.CharField(_("reason"), max_length=10, choices=ReportReason.choices)
    note = models.CharField(_("details"), max_length=MAX_REASON, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(post__isnull=True, event__isnull=True)
                    | models.Q(post__isnull=True, file__isnull=True)
                    | models.Q(event__isnull=True, file__isnull=True)
                ),
                name="report_has_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target_label}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("hid")
    RESTORE = "restore", _("restored")
    REMOVE = "remove", _("removed")
    DISMISS = "dismiss", _("dismissed a report on")
    BAN = "ban", _("banned")
    UNBAN = "unban", _("lifted the ban on")
    EXPEL = "expel", _("removed from the group")
    ROLE = "role", _("changed the role of")


class ModerationEntry(models.Model):
    """The moderation log: who did what to which content or person, when, and why."""

    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=8, choices=ModerationAction.choices)
    target_kind = models.CharField(max_length=10)  # post, discussion, event, file, member
    target_id = models.PositiveBigIntegerField(null=True)
    target_label = models.CharField(max_length=MAX_TITLE)
    reason = models.CharField(_("reason"), max_length=MAX_REASON)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("moderation log")

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.target_label}"


# --- people ------------------------------------------------------------------------------------------


class Profile(models.Model):
    """What a person shows in the directory. Hidden unless they choose to show it; the handle
    (``@handle``) is how others mention them in a group's discussions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    handle = models.SlugField(_("handle"), max_length=40, unique=True)
    visible = models.BooleanField(_("show my profile in the directory"), default=False)
    job_title = models.CharField(_("role"), max_length=120, blank=True)
    bio = models.TextField(_("short bio"), max_length=MAX_BIO, blank=True)
    # The languages' codes between commas (",de,en,"), so that one ``contains`` finds a language
    # on every database.
    language_codes = models.CharField(max_length=120, blank=True, default="")
    expertise = models.ManyToManyField(
        "knowledge.Tag", verbose_name=_("expertise"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["handle"]

    def __str__(self) -> str:
        return f"@{self.handle}"

    @property
    def languages(self) -> list[str]:
        return [code for code in self.language_codes.split(",") if code]


class TopicFollow(models.Model):
    """A knowledge tag someone follows: new published entries with it appear in their feed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_topics"
    )
    tag = models.ForeignKey("knowledge.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="follow_tag_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.tag}"


# --- notifications -----------------------------------------------------------------------------------


class Delivery(models.TextChoices):
    PLATFORM = "platform", _("In the platform only")
    EMAIL = "email", _("In the platform and by email at once")
    DIGEST = "digest", _("In the platform and in a daily email digest")
    OFF = "off", _("Not at all")


class NotificationPreference(models.Model):
    """How a person wants to hear about one kind of event (``notices.KINDS``); without a row,
    the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=20)
    delivery = models.CharField(max_length=8, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values), name="delivery_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} → {self.delivery}"


class Digest(models.Model):
    """One daily email gathering a person's notifications; each notification joins one digest
    at most. ``sent_at`` stays empty until the email has gone, so a failed send is retried with
    the same notifications."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Digest for {self.recipient} of {self.created_at:%Y-%m-%d}"


class Notification(models.Model):
    """Something a person should know about, shown in the platform and sent by email once.

    ``source`` names the event (e.g. ``transition:12``): one person is told about one event once.
    ``kind`` (``notices.KINDS``) is what the person's preferences are about; ``delivery`` is how
    the preference said to deliver it when it was made. A notification about a group's content
    names its ``group``, so that it disappears for whoever may no longer know the group.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    source = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, default="other")
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.EMAIL)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        Digest, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "source"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="unread_notifications"),
            models.Index(fields=["delivery", "digest"], name="notifications_for_digest"),
        ]

    def __str__(self) -> str:
        return self.title
