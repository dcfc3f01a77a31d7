"""Calls and applications, cohorts, pilot activities and twinning (DOMAIN §1, §5).

A call fills a cohort. Its application form (``Question``), eligibility rules (``EligibilityRule``,
checks from ``eligibility.CHECKS``) and scoring criteria (``Criterion``) are data that staff edit.
An application's way through its statuses is the table in ``workflow.py``; every step taken is
kept as an ``ApplicationTransition`` (who, when, from, to). Nothing of an application changes
after it is submitted, except its status.

Dates of calls are days in the platform's time zone (``settings.TIME_ZONE``): a call opens at
00:00 on its first day and takes submissions until 23:59:59 on its closing day, by the server's
clock.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import euros
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.programmes import eligibility
from cityzero.programmes.eligibility import GCOM_STATUSES, Fact
from cityzero.programmes.modules import DELIVERABLES, modules_done

MAX_DESCRIPTION = 20_000
MAX_TEXT_ANSWER = 10_000
MAX_JUSTIFICATION = 5_000
MAX_GRANT_EUR = 100_000_000


class ProgrammeKind(models.TextChoices):
    MISSION = "mission", _("EU Cities Mission")
    UTM = "utm", _("Urban Transitions Mission")
    PILOT = "pilot", _("Pilot Cities Programme")
    TWINNING = "twinning", _("Twinning Learning Programme")


class Cohort(models.Model):
    """The cities taking part in one round of a programme; a call fills it up to its capacity."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("programme"), max_length=10, choices=ProgrammeKind.choices)
    capacity = models.PositiveIntegerField(
        _("capacity (cities)"),
        validators=[MinValueValidator(1), MaxValueValidator(10_000)],
        help_text=_(
            "How many cities the cohort takes; a multi-city application takes a place "
            "for each of its cities."
        ),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="cohort_capacity"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ProgrammeKind.values), name="cohort_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CallPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


def start_of_day(day: datetime.date) -> datetime.datetime:
    """00:00 of ``day`` in the platform's time zone, as an aware time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class Call(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary = models.CharField(_("summary"), max_length=500)
    description_md = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"),
        help_text=_("Submissions are taken until 23:59 on this day, in the platform's time zone."),
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public pages.")
    )
    allows_partners = models.BooleanField(
        _("multi-city applications"),
        default=False,
        help_text=_("A lead city may apply with partner cities."),
    )
    max_partners = models.PositiveSmallIntegerField(
        _("partner cities at most"), default=0, validators=[MaxValueValidator(20)]
    )
    # A past call's published figures, stated rather than made up as applications.
    reported_applicants = models.PositiveIntegerField(
        _("applicants (published)"), null=True, blank=True
    )
    reported_eligible = models.PositiveIntegerField(
        _("eligible (published)"), null=True, blank=True
    )
    reported_selected = models.PositiveIntegerField(
        _("selected (published)"), null=True, blank=True
    )
    reported_source = models.CharField(
        _("source of the published figures"), max_length=300, blank=True
    )
    results_published_at = models.DateTimeField(_("selection made on"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("A call closes on or after the day it opens.")})
        if not self.allows_partners and self.max_partners:
            raise ValidationError(
                {"max_partners": _("Allow multi-city applications, or set this to 0.")}
            )

    @property
    def opens_at(self) -> datetime.datetime:
        return start_of_day(self.opens_on)

    @property
    def deadline(self) -> datetime.datetime:
        """The first moment after the closing day: submissions must come before it."""
        return start_of_day(self.closes_on + datetime.timedelta(days=1))

    def phase(self, now: datetime.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallPhase.UPCOMING
        return CallPhase.OPEN if now < self.deadline else CallPhase.CLOSED

    @property
    def decided(self) -> bool:
        return self.results_published_at is not None


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice from a list")
    DATE = "date", _("Date")
    FILE = "file", _("File")


# The kind of question that can answer each declared eligibility fact.
FACT_QUESTION_KIND = {
    Fact.POPULATION: QuestionKind.NUMBER,
    Fact.GCOM_STATUS: QuestionKind.CHOICE,
    Fact.GCOM_DATE: QuestionKind.DATE,
    Fact.CLIMATE_ACTION_PLAN: QuestionKind.YES_NO,
    Fact.COMMITS_RESOURCES: QuestionKind.YES_NO,
    Fact.COMMITTED_TO_2050: QuestionKind.YES_NO,
    Fact.MISSION_COMMITMENT: QuestionKind.YES_NO,
}
FACT_CHOICES = [
    (Fact.POPULATION.value, _("Population")),
    (Fact.GCOM_STATUS.value, _("Global Covenant of Mayors: status")),
    (Fact.GCOM_DATE.value, _("Global Covenant of Mayors: date signed or expected")),
    (Fact.CLIMATE_ACTION_PLAN.value, _("Has a city-wide climate action plan")),
    (Fact.COMMITS_RESOURCES.value, _("Commits resources")),
    (Fact.COMMITTED_TO_2050.value, _("Committed to climate neutrality by 2050")),
    (Fact.MISSION_COMMITMENT.value, _("Commits to the Mission's goal")),
]


class Question(models.Model):
    """One question of a call's application form; ``fact`` binds it to an eligibility fact."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("help"), max_length=500, blank=True)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_('Choice questions: a list of [code, label] pairs, e.g. [["yes", "Yes"]].'),
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    max_length = models.PositiveIntegerField(
        _("longest text (characters)"),
        default=5000,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TEXT_ANSWER)],
    )
    fact = models.CharField(
        _("answers the eligibility fact"), max_length=30, choices=FACT_CHOICES, blank=True
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="one_question_per_code"),
            models.UniqueConstraint(
                fields=["call", "fact"], condition=~models.Q(fact=""), name="one_question_per_fact"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=QuestionKind.values), name="question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(str(code), str(label)) for code, label in self.options or []]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == QuestionKind.CHOICE and not _valid_options(self.options):
            errors["options"] = _("Give at least two [code, label] pairs with different codes.")
        if self.fact and FACT_QUESTION_KIND.get(Fact(self.fact)) != self.kind:
            expected = QuestionKind(FACT_QUESTION_KIND[Fact(self.fact)]).label
            errors["kind"] = _("This fact is answered by a question of kind “%(kind)s”.") % {
                "kind": expected
            }
        elif self.fact == Fact.GCOM_STATUS and {c for c, _l in self.choices} != set(GCOM_STATUSES):
            errors["options"] = _("The codes must be exactly: %(codes)s.") % {
                "codes": ", ".join(GCOM_STATUSES)
            }
        bounds = (self.min_value, self.max_value)
        if None not in bounds and bounds[0] > bounds[1]:
            errors["max_value"] = _("The largest number is smaller than the smallest.")
        if errors:
            raise ValidationError(errors)


def _valid_options(options: object) -> bool:
    if not isinstance(options, list) or len(options) < 2:
        return False
    pairs = [o for o in options if isinstance(o, list | tuple) and len(o) == 2 and all(o)]
    return len(pairs) == len(options) and len({str(code) for code, _l in pairs}) == len(pairs)


class EligibilityRule(models.Model):
    """One rule of a call: a check from ``eligibility.CHECKS`` with its parameters."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("check"), max_length=40, choices=[(code, code) for code in eligibility.CHECKS]
    )
    params = models.JSONField(
        _("parameters"), default=dict, blank=True, help_text=_('e.g. {"min": 50000}')
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.kind

    def clean(self) -> None:
        if problems := eligibility.problems(self.kind, self.params or {}):
            raise ValidationError({"params": problems})

    @property
    def rule(self) -> eligibility.Rule:
        return eligibility.Rule(self.kind, self.params or {})


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("what assessors look for"), max_length=1000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, max_score__gte=1), name="criterion_weight_scale"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    UNDER_ASSESSMENT = "assessment", _("Under assessment")
    SCORED = "scored", _("Scored")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("lead city"),
    )
    partners = models.ManyToManyField(
        "cities.City",
        blank=True,
        related_name="partner_applications",
        verbose_name=_("partner cities"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The eligibility check as it was made at submission: verdicts and the overall outcome.
    eligibility = models.JSONField(default=list, blank=True, editable=False)
    eligibility_outcome = models.CharField(max_length=10, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "city"], name="one_application_per_city"),
            models.CheckConstraint(
                condition=models.Q(status__in=ApplicationStatus.values),
                name="application_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} → {self.call}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @cached_property
    def city_ids(self) -> frozenset[int]:
        """The lead city's and the partners' ids (prefetch ``partners`` to read them at once)."""
        return frozenset({self.city_id, *(city.pk for city in self.partners.all())})


def answer_path(instance: "Answer", filename: str) -> str:
    return f"programmes/applications/{instance.stored_name}"


class Answer(models.Model):
    """The answer to one question: ``value`` (text, a number as text, true/false, an ISO date)
    or, for file questions, a file stored under a random name."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to=answer_path, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer_each")
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.question.code}"


class ApplicationTransition(models.Model):
    """One step of an application (``workflow.STEPS``); no actor: the platform took it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    step = models.CharField(max_length=20)
    source = models.CharField(max_length=12, choices=ApplicationStatus.choices, blank=True)
    target = models.CharField(max_length=12, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.source or '–'} → {self.target}"


class Assessment(models.Model):
    """An assessor's task on one application, and once submitted, their final scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assessments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programme_assessments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="one_assessment_per_assessor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.application}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"))
    justification = models.TextField(_("justification"), max_length=MAX_JUSTIFICATION)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_score_each")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class CohortMember(models.Model):
    """A city in a cohort: selected through an application, or recorded from published data."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    city = models.ForeignKey(
        "cities.City", on_delete=models.PROTECT, related_name="cohort_memberships"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_on = models.DateField(_("joined on"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["city__name"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "city"], name="one_membership_per_cohort")
        ]

    def __str__(self) -> str:
        return f"{self.city} in {self.cohort}"


class PilotActivity(models.Model):
    """A pilot activity of one city or several, with its grant paid in tranches."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="activities")
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    summary_md = models.TextField(_("summary"), max_length=MAX_DESCRIPTION, blank=True)
    summary_html = models.TextField(blank=True, editable=False)
    lead_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        related_name="led_activities",
        verbose_name=_("lead city"),
    )
    partner_cities = models.ManyToManyField(
        "cities.City",
        blank=True,
        related_name="partner_activities",
        verbose_name=_("partner cities"),
    )
    fields_of_action = models.JSONField(_("fields of action"), default=list)
    levers = models.JSONField(_("systemic levers"), default=list, blank=True)
    grant_eur = euros(_("grant (€)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = _("pilot activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="activity_dates"
            ),
            models.CheckConstraint(
                condition=models.Q(grant_eur__gt=0, grant_eur__lte=MAX_GRANT_EUR),
                name="activity_grant_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def city_ids(self) -> frozenset[int]:
        return frozenset({self.lead_city_id, *(city.pk for city in self.partner_cities.all())})

    @property
    def field_labels(self) -> list[str]:
        labels = dict(FieldOfAction.choices)
        return [str(labels.get(code, code)) for code in self.fields_of_action]

    @property
    def lever_labels(self) -> list[str]:
        labels = dict(SystemicLever.choices)
        return [str(labels.get(code, code)) for code in self.levers]

    @property
    def released_tranches(self) -> int:
        """How many tranches are paid out (prefetch ``tranches``)."""
        return sum(tranche.is_released for tranche in self.tranches.all())


class TrancheTrigger(models.TextChoices):
    START = "start", _("Grant agreement signed")
    INTERIM = "interim", _("Interim report approved")
    FINAL = "final", _("Final report approved")


class Tranche(models.Model):
    activity = models.ForeignKey(PilotActivity, on_delete=models.CASCADE, related_name="tranches")
    trigger = models.CharField(_("paid when"), max_length=10, choices=TrancheTrigger.choices)
    share_pct = models.PositiveSmallIntegerField(_("share (%)"))
    amount_eur = euros(_("amount (€)"))
    released_at = models.DateTimeField(_("released on"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["activity", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "trigger"], name="one_tranche_per_trigger"),
            models.CheckConstraint(
                condition=models.Q(share_pct__gte=1, share_pct__lte=100), name="tranche_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_trigger_display()}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Changes requested")


def report_path(instance: "ActivityReport", filename: str) -> str:
    return f"programmes/reports/{instance.stored_name}"


class ActivityReport(models.Model):
    """An interim or final report of a pilot activity, written by its cities, approved by staff."""

    activity = models.ForeignKey(PilotActivity, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    body_md = models.TextField(_("report"), max_length=MAX_DESCRIPTION)
    body_html = models.TextField(editable=False)
    file = models.FileField(upload_to=report_path, blank=True)
    stored_name = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(
        _("note to the cities"), max_length=MAX_JUSTIFICATION, blank=True
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"],
                condition=~models.Q(status=ReportStatus.RETURNED),
                name="one_live_report_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_kind_display()}"


class TwinningGroup(models.Model):
    """Twin cities learning from a pilot activity: a pair (one twin) or a trio (two)."""

    activity = models.ForeignKey(
        PilotActivity, on_delete=models.PROTECT, related_name="twinning_groups"
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="twinning_groups"
    )
    twins = models.ManyToManyField("cities.City", related_name="twinning_groups")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="twinning_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"Twinning #{self.pk} on {self.activity}"

    @cached_property
    def city_ids(self) -> frozenset[int]:
        """The pilot's lead city and the twins (prefetch ``twins``)."""
        return frozenset({self.activity.lead_city_id, *(city.pk for city in self.twins.all())})

    @property
    def modules_done(self) -> int:
        """How many of the three modules have every deliverable in (prefetch ``deliverables``)."""
        return len(modules_done({deliverable.code for deliverable in self.deliverables.all()}))


class Deliverable(models.Model):
    """A twinning deliverable (``modules.DELIVERABLES``) as the twins handed it in."""

    group = models.ForeignKey(TwinningGroup, on_delete=models.CASCADE, related_name="deliverables")
    code = models.CharField(
        max_length=30, choices=[(code, d.title) for code, d in DELIVERABLES.items()]
    )
    body_md = models.TextField(_("text"), max_length=MAX_DESCRIPTION)
    body_html = models.TextField(editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "code"], name="one_deliverable_each")
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.code}"
