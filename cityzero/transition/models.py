"""A city's progress on the Climate Transition Map: one row per step it has reported on.

The steps themselves are content (``phases.py``), not data: progress refers to them by code.
Every saved change is kept as a revision (who, when, what), like dossier sections.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import City

MAX_NOTE = 2000
MAX_URL = 500


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class StepProgress(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="transition_progress")
    step = models.CharField(_("step"), max_length=60)
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.NOT_STARTED
    )
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=MAX_URL, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["city", "step"]
        verbose_name = _("step progress")
        verbose_name_plural = _("step progress")
        constraints = [
            models.UniqueConstraint(fields=["city", "step"], name="one_progress_per_step"),
            models.CheckConstraint(
                condition=models.Q(status__in=StepStatus.values), name="progress_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.step}: {self.get_status_display()}"


class StepProgressRevision(models.Model):
    """Who changed a city's progress on a step, when, and to what: one row per saved version."""

    progress = models.ForeignKey(StepProgress, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=StepStatus.choices)
    note = models.TextField(max_length=MAX_NOTE, blank=True)
    evidence_url = models.URLField(max_length=MAX_URL, blank=True)
    changed = models.JSONField(default=list)  # names of the fields this version changed

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "version"], name="one_progress_revision_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.progress} v{self.version}"
