"""Ask an expert: a city's question, routed by staff to a thematic expert, answered in a thread.

A request's way through its statuses is the table in ``workflow.py``; each step taken is kept as
a ``RequestTransition`` (who, when, from, to). Markdown is rendered once on save and sanitised.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityzero.core.models import StoredFile
from cityzero.core.vocabularies import FieldOfAction
from cityzero.support.workdays import working_days_between

MAX_TOPIC = 200
MAX_QUESTION = 10_000  # characters of Markdown


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ROUTED = "routed", _("With an expert")
    ANSWERED = "answered", _("Answered")
    REOPENED = "reopened", _("Follow-up question")
    CLOSED = "closed", _("Closed")


# Waiting for an answer: these are measured against the response-time target.
AWAITING_ANSWER = frozenset({RequestStatus.SUBMITTED, RequestStatus.ROUTED, RequestStatus.REOPENED})
OPEN = frozenset(RequestStatus) - {RequestStatus.CLOSED}


class ExpertRequest(models.Model):
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="expert_requests"
    )
    topic = models.CharField(_("topic"), max_length=MAX_TOPIC)
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices, blank=True
    )
    question = models.TextField(_("question"), max_length=MAX_QUESTION)
    question_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="expert_requests",
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    due_on = models.DateField(
        _("answer due on"), help_text=_("The response-time target, in working days.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    consent_at = models.DateTimeField(_("consent to publish given at"), null=True, blank=True)
    published_entry = models.ForeignKey(
        "knowledge.Entry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="expert_request_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values), name="request_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def awaits_answer(self) -> bool:
        return self.status in AWAITING_ANSWER

    @property
    def is_overdue(self) -> bool:
        """Still waiting for an answer after the target date (an answer on the day is in time)."""
        return self.awaits_answer and timezone.localdate() > self.due_on

    @property
    def working_days_left(self) -> int:
        """Working days from today to the target date; negative once it has passed."""
        return working_days_between(timezone.localdate(), self.due_on)

    @property
    def working_days_overdue(self) -> int:
        """Working days past the target date while the request waits; 0 otherwise."""
        return -self.working_days_left if self.is_overdue else 0

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None


class Side(models.TextChoices):
    CITY = "city", _("City team")
    EXPERT = "expert", _("Expert")
    STAFF = "staff", _("Platform staff")


class RequestMessage(models.Model):
    """One message in a request's thread; ``is_answer`` marks an expert's (or staff's) answer."""

    request = models.ForeignKey(ExpertRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=6, choices=Side.choices)
    body = models.TextField(_("message"), max_length=MAX_QUESTION)
    body_html = models.TextField(editable=False)
    is_answer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_side_display()}"


class RequestAttachment(StoredFile):
    """A file attached to the question (no message) or to a reply."""

    UPLOAD_FOLDER = "support"

    request = models.ForeignKey(ExpertRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        RequestMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )


class RequestTransition(models.Model):
    """One step of a request (``workflow.STEPS``): who took it, when, from and to which status."""

    request = models.ForeignKey(ExpertRequest, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=RequestStatus.choices, blank=True)
    target = models.CharField(max_length=10, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.request}: {self.source or '–'} → {self.target}"
