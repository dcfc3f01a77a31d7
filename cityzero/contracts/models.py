"""Climate City Contracts as stored: one contract per city, numbered iterations, and their modules.

The parts that figures and checks are computed from (actions, their funding, impact pathways,
indicators, signatories, residual-emission removals) are models of their own. The rest of the
template's tables and narratives live in :class:`ModuleContent`, one row per module, whose shape is
declared in :mod:`cityzero.contracts.modules`. Nothing computed is stored: the target table, the
checklist and the investment totals come from :mod:`cityzero.ghg.contract` on every read.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import City, LabelRound, Visibility
from cityzero.core.vocabularies import FieldOfAction, GovernmentLevel, SystemicLever
from cityzero.inventories.models import Inventory

MAX_TONNES = Decimal("1e12")
MAX_EUROS = Decimal("1e13")


def _tonnes(label) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=18,
        decimal_places=3,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_TONNES)],
    )


def _euros(label, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_EUROS)],
        **kwargs,
    )


def _indicator_value(label) -> models.DecimalField:
    return models.DecimalField(label, max_digits=20, decimal_places=4, null=True, blank=True)


class Contract(models.Model):
    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="contract")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Climate City Contract of {self.city}"


class IterationStatus(models.TextChoices):
    """Where an iteration is on its way to the Mission Label; the moves are in ``reviews.workflow``."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FEEDBACK = "feedback", _("Platform feedback")
    COMMISSION_REVIEW = "commission", _("Commission review")
    REVISIONS_REQUESTED = "revisions", _("Revisions requested")
    ENDORSED = "endorsed", _("Endorsed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


IN_REVIEW = frozenset(
    {IterationStatus.SUBMITTED, IterationStatus.FEEDBACK, IterationStatus.COMMISSION_REVIEW}
)


class Iteration(models.Model):
    """One version of the contract; editable while a draft, frozen once submitted."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="iterations")
    number = models.PositiveSmallIntegerField(_("iteration"))
    status = models.CharField(
        _("status"), max_length=12, choices=IterationStatus.choices, default=IterationStatus.DRAFT
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    baseline = models.ForeignKey(
        Inventory,
        verbose_name=_("baseline inventory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_year = models.PositiveSmallIntegerField(
        _("target year"),
        default=2030,
        validators=[MinValueValidator(2024), MaxValueValidator(2050)],
    )
    target_share = models.DecimalField(
        _("reduction target (% of the baseline)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    label_round = models.ForeignKey(
        LabelRound,
        verbose_name=_("Mission Label round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="endorsed_iterations",
    )
    version = models.PositiveIntegerField(default=1)  # any change to the iteration or its parts
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["contract", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_iteration_number"),
            models.CheckConstraint(
                condition=models.Q(label_round__isnull=True)
                | models.Q(status=IterationStatus.ENDORSED),
                name="label_only_when_endorsed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract.city} CCC, iteration {self.number}"

    @property
    def city_id(self) -> int:
        return self.contract.city_id

    @property
    def is_draft(self) -> bool:
        return self.status == IterationStatus.DRAFT

    @property
    def in_review(self) -> bool:
        return self.status in IN_REVIEW


class IterationPart(models.Model):
    """Something that belongs to one iteration and is copied into the next one.

    ``key`` stays the same across copies, so that two iterations can be compared item by item.
    """

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class ModuleContent(models.Model):
    """A module's narratives and tables, shaped by its spec in ``contracts.modules``."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="modules")
    module = models.CharField(max_length=20)
    data = models.JSONField(default=dict)  # text as entered: {"fields": {...}, "tables": {...}}
    html = models.JSONField(default=dict)  # Markdown fields rendered once and sanitised
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["iteration", "module"], name="one_module_content")
        ]

    def __str__(self) -> str:
        return f"{self.iteration}: {self.module}"


class ImpactPathway(IterationPart):
    """B-1: how one field of action, through one lever, changes the system."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="pathways")
    name = models.CharField(_("name"), max_length=200)
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices
    )
    lever = models.CharField(_("systemic lever"), max_length=20, choices=SystemicLever.choices)
    early_changes = models.TextField(_("early changes (1–2 years)"), blank=True)
    late_outcomes = models.TextField(_("late outcomes (3–4 years)"), blank=True)
    direct_impacts = models.TextField(_("direct impacts (emission reductions)"), blank=True)
    indirect_impacts = models.TextField(_("indirect impacts (co-benefits)"), blank=True)

    class Meta(IterationPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PREPARATION = "preparation", _("In preparation")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Action(IterationPart):
    """B-2: one action of the portfolio, or of an existing plan (counted apart, never twice)."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="actions")
    name = models.CharField(_("name"), max_length=200)
    action_type = models.CharField(_("type"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(blank=True)
    existing_plan = models.BooleanField(
        _("from an existing plan"),
        default=False,
        help_text=_("Reductions of existing plans fill row 3 of the target table, not row 5."),
    )
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices, blank=True
    )
    lever = models.CharField(
        _("systemic lever"), max_length=20, choices=SystemicLever.choices, blank=True
    )
    pathway = models.ForeignKey(
        ImpactPathway,
        verbose_name=_("impact pathway"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    responsible = models.CharField(_("responsible body"), max_length=200, blank=True)
    scale = models.CharField(_("scale"), max_length=200, blank=True)
    stakeholders = models.TextField(_("stakeholders"), blank=True)
    implementation_notes = models.TextField(_("implementation notes"), blank=True)
    renewable_mwh = models.DecimalField(
        _("renewable energy generated (MWh/yr)"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    substituted_mwh = models.DecimalField(
        _("energy or fuel substituted (MWh/yr)"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    reduction_buildings = _tonnes(_("reduction, buildings (t CO2e/yr by 2030)"))
    reduction_transport = _tonnes(_("reduction, transport (t CO2e/yr by 2030)"))
    reduction_waste = _tonnes(_("reduction, waste (t CO2e/yr by 2030)"))
    reduction_ippu = _tonnes(_("reduction, IPPU (t CO2e/yr by 2030)"))
    reduction_afolu = _tonnes(_("reduction, AFOLU (t CO2e/yr by 2030)"))
    capex = _euros(_("capital cost (€)"), null=True, blank=True)
    opex = _euros(_("operating cost to 2030 (€)"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("start"), null=True, blank=True, validators=[MinValueValidator(2000)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("end"), null=True, blank=True, validators=[MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )

    class Meta(IterationPart.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_year__isnull=True)
                | models.Q(end_year__isnull=True)
                | models.Q(start_year__lte=models.F("end_year")),
                name="action_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reduction_total(self) -> Decimal:
        return sum((getattr(self, name) for name in REDUCTION_FIELDS.values()), Decimal(0))

    @property
    def total_cost(self) -> Decimal | None:
        if self.capex is None and self.opex is None:
            return None
        return (self.capex or Decimal(0)) + (self.opex or Decimal(0))


REDUCTION_FIELDS = {
    "buildings": "reduction_buildings",
    "transport": "reduction_transport",
    "waste": "reduction_waste",
    "ippu": "reduction_ippu",
    "afolu": "reduction_afolu",
}


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal budget")
    REGIONAL = "regional", _("Regional government")
    NATIONAL = "national", _("National government")
    EU_GRANT = "eu_grant", _("EU grant")
    LOAN = "loan", _("Loan (EIB, national promotional bank, commercial)")
    BOND = "bond", _("Green bond")
    PRIVATE = "private", _("Private investment")
    CITIZENS = "citizens", _("Citizens and cooperatives")
    OTHER = "other", _("Other")


class ActionFunding(models.Model):
    """IP-B2: capital toward one action's cost from one source."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=12, choices=FundingSource.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    amount = _euros(_("amount (€)"))
    secured = models.BooleanField(_("secured"), default=False)

    class Meta:
        ordering = ["action", "pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.source} {self.amount}"


class Indicator(IterationPart):
    """B-3: an indicator with its 2025/2027/2030 targets and its metadata sheet."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    pathway = models.ForeignKey(
        ImpactPathway,
        verbose_name=_("impact pathway"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    unit = models.CharField(_("unit"), max_length=60)
    definition = models.TextField(_("definition"), blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    interval = models.CharField(_("collection interval"), max_length=60, blank=True)
    baseline_value = _indicator_value(_("baseline value"))
    target_2025 = _indicator_value(_("target 2025"))
    target_2027 = _indicator_value(_("target 2027"))
    target_2030 = _indicator_value(_("target 2030"))

    class Meta(IterationPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class Signatory(IterationPart):
    """Commitments, 5: an institution that signs, with its individual commitment."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="signatories")
    institution = models.CharField(_("institution"), max_length=200)
    sector = models.CharField(_("sector or area"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=GovernmentLevel.choices)
    legal_form = models.CharField(_("legal form"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=200)
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    commitment = models.TextField(_("individual commitment"), blank=True)
    commitment_html = models.TextField(blank=True)

    class Meta(IterationPart.Meta):
        pass

    def __str__(self) -> str:
        return self.institution


class RemovalKind(models.TextChoices):
    SINK = "sink", _("Carbon sink in the city (e.g. forests, soils)")
    OFFSET = "offset", _("Offset (compensation outside the city)")


class Removal(IterationPart):
    """B-2.3: how residual emissions are dealt with, in t CO2e per year by 2030."""

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="removals")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=RemovalKind.choices)
    tco2e = _tonnes(_("t CO2e per year by 2030"))
    description = models.TextField(_("description"), blank=True)

    class Meta(IterationPart.Meta):
        pass

    def __str__(self) -> str:
        return self.name


class CommentSide(models.TextChoices):
    """Who spoke, as it was when they wrote: the city answers everyone else."""

    CITY = "city", _("City team")
    ADVISOR = "advisor", _("City advisor")
    REVIEWER = "reviewer", _("Reviewer")
    STAFF = "staff", _("Platform staff")
    COMMISSION = "commission", _("European Commission")


class ModuleComment(models.Model):
    """A comment on one module of an iteration, anchored to the module, a table row or an item.

    A comment without ``parent`` opens a thread; replies point at it. Threads are resolved
    explicitly, never by time.
    """

    iteration = models.ForeignKey(Iteration, on_delete=models.CASCADE, related_name="comments")
    module = models.CharField(max_length=20)
    anchor = models.CharField(_("about"), max_length=120, blank=True)  # see contracts.anchors
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(max_length=12, choices=CommentSide.choices, default=CommentSide.CITY)
    body = models.TextField(_("comment"), max_length=5000)
    body_html = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["iteration", "module", "created_at", "pk"]
        indexes = [models.Index(fields=["iteration", "parent"], name="comment_threads")]

    def __str__(self) -> str:
        return f"{self.iteration}: comment on {self.module}"
