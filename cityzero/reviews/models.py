from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.contracts.models import Iteration, IterationStatus
from cityzero.reviews.rubric import CRITERIA, Recommendation, Score


class Transition(models.Model):
    """One step of an iteration on its way to the label: who took it, when, and what they said."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="transitions")
    step = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=IterationStatus.choices)
    target = models.CharField(max_length=12, choices=IterationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), max_length=5000, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.iteration}: {self.source} → {self.target}"


class Stage(models.TextChoices):
    FEEDBACK = "feedback", _("Platform feedback")
    COMMISSION = "commission", _("Commission review")


class Expertise(models.TextChoices):
    ADVISOR = "advisor", _("City advisor")
    THEMATIC = "thematic", _("Thematic expert")
    EIB = "eib", _("EIB expert")
    JRC = "jrc", _("JRC expert")


class Assignment(models.Model):
    """A reviewer's task on one submitted iteration (or one module of it), and its result."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    module = models.CharField(
        _("module"), max_length=20, blank=True, help_text=_("Empty: the whole submission.")
    )
    expertise = models.CharField(_("as"), max_length=12, choices=Expertise.choices)
    due_on = models.DateField(_("due on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    summary = models.TextField(_("summary for the city"), max_length=10000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["iteration", "reviewer", "stage", "module"], name="one_assignment_per_task"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} reviews {self.iteration}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_due(self) -> bool:
        """Work remains: not submitted, and the iteration is in this task's stage (same codes)."""
        return not self.is_submitted and self.iteration.status == self.stage


class RubricScore(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(
        _("criterion"), max_length=20, choices=[(c.code, c.name) for c in CRITERIA]
    )
    score = models.PositiveSmallIntegerField(_("score"), choices=Score.choices)
    justification = models.TextField(_("justification"), max_length=5000)

    class Meta:
        ordering = ["assignment", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_from_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment}: {self.criterion} {self.score}"
