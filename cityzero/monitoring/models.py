"""Implementation monitoring after the label: progress reports on the endorsed contract's actions,
measured values of its indicators, and each city's reporting plan.

Reports and values name the action or indicator by its ``key``, which stays the same when the
contract is carried into a new iteration, so the history of an action reads on across iterations;
the foreign key keeps the row it was reported against (an endorsed iteration never changes).
Nothing is edited in place: every report and value is dated and kept.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import City
from cityzero.contracts.models import MAX_EUROS, Action, Indicator
from cityzero.core.models import StoredFile
from cityzero.ghg.progress import REPORTING_MONTHS

MAX_NOTE = 2000
MAX_MILESTONE = 200
MAX_SOURCE = 200
MAX_LINKS = 5
MAX_URL = 500


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")


#: Actions in these states report no more.
CLOSED = frozenset({ImplementationStatus.COMPLETED, ImplementationStatus.CANCELLED})


class DataQuality(models.TextChoices):
    MEASURED = "measured", _("Measured")
    CALCULATED = "calculated", _("Calculated from measured data")
    ESTIMATED = "estimated", _("Estimated")
    MODELLED = "modelled", _("Modelled")


class ComputedMetric(models.TextChoices):
    """What an indicator can be computed from the city's GHG inventories instead of typed."""

    TOTAL = "total", _("Total emissions in the mission scope (t CO2e)")
    PER_CAPITA = "per_capita", _("Emissions per resident (t CO2e per capita)")
    BUILDINGS = "buildings", _("Emissions of buildings (t CO2e)")
    TRANSPORT = "transport", _("Emissions of transport (t CO2e)")
    WASTE = "waste", _("Emissions of waste (t CO2e)")
    IPPU = "ippu", _("Emissions of IPPU (t CO2e)")
    AFOLU = "afolu", _("Emissions of AFOLU (t CO2e)")


class MonitoringPlan(models.Model):
    """How often the city reports and whether its emissions against the pathway are public."""

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="monitoring_plan")
    reporting_months = models.PositiveSmallIntegerField(
        _("reporting period"),
        choices=[
            (3, _("Every quarter")),
            (6, _("Every half year")),
            (12, _("Every year")),
        ],
        default=6,
    )
    publish_emissions = models.BooleanField(
        _("publish emissions against the pathway"),
        default=False,
        help_text=_("Only public inventories are ever shown on the public progress page."),
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reporting_months__in=REPORTING_MONTHS),
                name="reporting_months_known",
            )
        ]

    def __str__(self) -> str:
        return f"Monitoring plan of {self.city}"


class ActionReport(models.Model):
    """Where one action of the endorsed contract stood on a date, as its city reported it."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="action_reports")
    action_key = models.UUIDField()
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField(_("situation on"))
    status = models.CharField(_("status"), max_length=12, choices=ImplementationStatus.choices)
    percent_done = models.PositiveSmallIntegerField(
        _("done (%)"), validators=[MaxValueValidator(100)]
    )
    spend_to_date = models.DecimalField(
        _("spent to date (€)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_EUROS)],
    )
    next_milestone = models.CharField(_("next milestone"), max_length=MAX_MILESTONE, blank=True)
    milestone_on = models.DateField(_("expected on"), null=True, blank=True)
    note = models.TextField(_("progress note"), max_length=MAX_NOTE, blank=True)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    public = models.BooleanField(_("publish on the progress page"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["city", "action_key", "-reported_on"], name="action_history"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImplementationStatus.values),
                name="report_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(percent_done__lte=100), name="report_percent_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(spend_to_date__isnull=True)
                | models.Q(spend_to_date__gte=Decimal(0)),
                name="report_spend_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.reported_on}: {self.get_status_display()}"


class EvidenceFile(StoredFile):
    """A document backing a progress report; public when the report is."""

    UPLOAD_FOLDER = "monitoring"

    report = models.ForeignKey(ActionReport, on_delete=models.CASCADE, related_name="files")


class IndicatorSetup(models.Model):
    """How the city keeps one indicator: typed or computed from its inventories, public or not."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="indicator_setups")
    indicator_key = models.UUIDField()
    computed_from = models.CharField(
        _("computed from the GHG inventories"),
        max_length=12,
        choices=ComputedMetric.choices,
        blank=True,
    )
    public = models.BooleanField(_("publish on the progress page"), default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator_key"], name="one_setup_per_indicator"
            ),
            models.CheckConstraint(
                condition=models.Q(computed_from__in=["", *ComputedMetric.values]),
                name="computed_metric_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city}: indicator {self.indicator_key}"


class IndicatorValue(models.Model):
    """One measured value of an indicator, in the indicator's unit (converted if it was given in
    another unit of the same measure, which ``entered_as`` keeps)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="indicator_values")
    indicator_key = models.UUIDField()
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    entered_as = models.CharField(_("as entered"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=MAX_SOURCE)
    quality = models.CharField(_("data quality"), max_length=12, choices=DataQuality.choices)
    note = models.TextField(_("note"), max_length=MAX_NOTE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["measured_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator_key", "measured_on"], name="one_value_per_date"
            ),
            models.CheckConstraint(
                condition=models.Q(quality__in=DataQuality.values), name="value_quality_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} on {self.measured_on}: {self.value}"
