import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformRole(models.TextChoices):
    NONE = "", _("Platform member")
    STAFF = "staff", _("Platform staff")
    ADVISOR = "advisor", _("City advisor")
    REVIEWER = "reviewer", _("Reviewer")
    COMMISSION_OFFICER = "officer", _("Commission officer")


# Roles whose accounts can change what others see platform-wide: they must use two-factor login.
ROLES_REQUIRING_TWO_FACTOR = {
    PlatformRole.STAFF,
    PlatformRole.REVIEWER,
    PlatformRole.COMMISSION_OFFICER,
}


class CityRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class CityZeroUserManager(UserManager):
    """Users sign in with their email address; there is no separate username."""

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.update(is_superuser=True, platform_role=PlatformRole.STAFF)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    platform_role = models.CharField(
        _("platform role"), max_length=16, choices=PlatformRole.choices, blank=True, default=""
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = CityZeroUserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # Admin access follows the platform role, so there is one source of truth for "staff".
        self.is_staff = self.platform_role == PlatformRole.STAFF
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class CityMembership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=CityRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "city"], name="one_membership_per_city")
        ]
        ordering = ["city", "role", "user"]

    def __str__(self) -> str:
        return f"{self.user} – {self.city} ({self.get_role_display()})"


class AdvisorAssignment(models.Model):
    """A Climate-Neutral City Advisor assigned by staff to a city."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="advised_cities",
        limit_choices_to={"platform_role": PlatformRole.ADVISOR},
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="advisor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["advisor", "city"], name="one_assignment_per_city")
        ]

    def __str__(self) -> str:
        return f"{self.advisor} advises {self.city}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=CityRole.choices)
    token = models.CharField(
        max_length=64, unique=True, default=new_invitation_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.city} ({self.get_role_display()})"


class TeamEventKind(models.TextChoices):
    INVITED = "invited", _("invited")
    JOINED = "joined", _("joined")
    ROLE_CHANGED = "role_changed", _("role changed")
    REMOVED = "removed", _("removed")
    INVITATION_WITHDRAWN = "withdrawn", _("invitation withdrawn")
    ADVISOR_ASSIGNED = "advisor_assigned", _("assigned as city advisor")
    ADVISOR_REMOVED = "advisor_removed", _("no longer city advisor")


class TeamEvent(models.Model):
    """Who changed a city's team, when, and how: the audit trail of access rights."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="team_events")
    kind = models.CharField(max_length=16, choices=TeamEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject_email = models.EmailField()
    role = models.CharField(max_length=16, choices=CityRole.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.city}: {self.subject_email} {self.get_kind_display()}"


class ApiToken(models.Model):
    """A personal token for machine clients; only a hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
