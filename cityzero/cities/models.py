from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.cities.needs import HIGHEST, LOWEST, Support
from cityzero.core.vocabularies import FieldOfAction, GovernmentLevel

MAX_EUR = 10**13  # ten trillion euros: larger figures are typing mistakes
EUR_VALIDATORS = [MinValueValidator(0), MaxValueValidator(MAX_EUR)]


def euros(verbose_name, **options):
    """Whole euros, never negative, never absurd."""
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=0, validators=EUR_VALIDATORS, **options
    )


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    numeric_code = models.CharField(_("ISO 3166-1 numeric code"), max_length=3, blank=True)
    name = models.CharField(_("name"), max_length=100)
    eu_member = models.BooleanField(_("EU member state"), default=False)
    horizon_associated = models.BooleanField(_("associated to Horizon Europe"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class LabelRound(models.Model):
    """A named round in which the Commission awarded Mission Labels."""

    code = models.SlugField(_("code"), max_length=20, unique=True, help_text=_("e.g. 2024-03"))
    name = models.CharField(_("name"), max_length=120)
    awarded_on = models.DateField(_("awarded on"))
    date_is_month_only = models.BooleanField(
        _("only the month is known"), default=False, help_text=_("Show the date as month and year.")
    )
    event = models.CharField(_("event"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["awarded_on"]

    def __str__(self) -> str:
        return self.name


class MissionStatus(models.TextChoices):
    NONE = "none", _("Not a mission city")
    APPLICANT = "applicant", _("Applicant")
    SELECTED = "selected", _("Mission city")
    LABELLED = "labelled", _("Mission Label awarded")


MISSION_CITY_STATUSES = (MissionStatus.SELECTED, MissionStatus.LABELLED)


class City(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities")
    mission_status = models.CharField(
        _("mission status"),
        max_length=16,
        choices=MissionStatus.choices,
        default=MissionStatus.NONE,
    )
    label_round = models.ForeignKey(
        LabelRound, on_delete=models.PROTECT, null=True, blank=True, related_name="cities"
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    illustrative = models.BooleanField(
        _("illustrative content"),
        default=False,
        help_text=_("The dossier holds made-up demonstration content, not the city's own."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("cities")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(mission_status=MissionStatus.LABELLED, label_round__isnull=False)
                    | (
                        ~models.Q(mission_status=MissionStatus.LABELLED)
                        & models.Q(label_round__isnull=True)
                    )
                ),
                name="label_round_iff_labelled",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="coordinates_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Platform members")
    TEAM = "team", _("City team")


class SectionKind(models.TextChoices):
    VISION = "vision", _("Vision and 2030 ambition")
    INVESTMENT = "investment", _("Investment needs")
    CAPACITY = "capacity", _("Capacity-building priorities")
    STAKEHOLDERS = "stakeholders", _("Stakeholders")
    COLLABORATIONS = "collaborations", _("Collaborations")
    SKILLS = "skills", _("Skills")
    BARRIERS = "barriers", _("Barriers")


class DossierSection(models.Model):
    """One section of a city's dossier: the unit that is edited, versioned and given a visibility."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("section"), max_length=20, choices=SectionKind.choices)
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    narrative_md = models.TextField(_("text"), blank=True, max_length=20000)
    narrative_html = models.TextField(blank=True, editable=False)
    # Only the vision section uses the ambition; only the investment section the total.
    ambition_md = models.TextField(_("2030 ambition"), blank=True, max_length=20000)
    ambition_html = models.TextField(blank=True, editable=False)
    total_investment_eur = euros(_("total investment need (€)"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["city", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["city", "kind"], name="one_section_per_kind"),
            models.CheckConstraint(
                condition=models.Q(total_investment_eur__isnull=True)
                | models.Q(total_investment_eur__gte=0),
                name="investment_total_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.get_kind_display()}"


class SectionRow(models.Model):
    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class InvestmentNeed(SectionRow):
    section = models.ForeignKey(
        DossierSection, on_delete=models.CASCADE, related_name="investment_needs"
    )
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices
    )
    amount_eur = euros(_("amount (€)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(SectionRow.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_eur__gte=0), name="investment_need_not_negative"
            ),
            models.UniqueConstraint(
                fields=["section", "field_of_action"], name="one_need_per_field"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_field_of_action_display()}: €{self.amount_eur}"


class CapacityPriority(SectionRow):
    section = models.ForeignKey(
        DossierSection, on_delete=models.CASCADE, related_name="capacity_priorities"
    )
    title = models.CharField(_("priority"), max_length=200)
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)

    def __str__(self) -> str:
        return self.title


class StakeholderType(models.TextChoices):
    PUBLIC = "public", _("Public authority")
    BUSINESS = "business", _("Business")
    UTILITY = "utility", _("Utility or municipal company")
    CIVIL_SOCIETY = "civil", _("Civil society")
    ACADEMIA = "academia", _("Research and academia")
    FINANCE = "finance", _("Finance")
    CITIZENS = "citizens", _("Citizens")


class Rating(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Stakeholder(SectionRow):
    section = models.ForeignKey(
        DossierSection, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=StakeholderType.choices)
    level = models.CharField(_("level"), max_length=10, choices=GovernmentLevel.choices)
    role = models.CharField(_("role"), max_length=300, blank=True)
    influence = models.CharField(_("influence"), max_length=10, choices=Rating.choices)
    interest = models.CharField(_("interest"), max_length=10, choices=Rating.choices)

    def __str__(self) -> str:
        return self.name


class CollaborationKind(models.TextChoices):
    PARTNER_CITY = "city", _("Partner city")
    NETWORK = "network", _("Network")
    PROGRAMME = "programme", _("Programme")


class Collaboration(SectionRow):
    section = models.ForeignKey(
        DossierSection, on_delete=models.CASCADE, related_name="collaborations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CollaborationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    partner_city = models.ForeignKey(
        City, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("partner city on the platform"),
    )  # fmt: skip
    description = models.CharField(_("description"), max_length=500, blank=True)

    def __str__(self) -> str:
        return self.name


class SkillStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    MISSING = "missing", _("Missing")


class Skill(SectionRow):
    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(_("skill"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=SkillStatus.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class BarrierTypology(models.TextChoices):
    REGULATORY = "regulatory", _("Regulatory and legal")
    FINANCIAL = "financial", _("Financial")
    TECHNICAL = "technical", _("Technical")
    CAPACITY = "capacity", _("Capacity and skills")
    GOVERNANCE = "governance", _("Governance and coordination")
    SOCIAL = "social", _("Social and cultural")
    DATA = "data", _("Data and knowledge")
    MARKET = "market", _("Market")


class Barrier(SectionRow):
    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="barriers")
    typology = models.CharField(_("typology"), max_length=12, choices=BarrierTypology.choices)
    description = models.CharField(_("description"), max_length=1000)
    field_of_action = models.CharField(
        _("field of action"), max_length=20, choices=FieldOfAction.choices, blank=True
    )

    def __str__(self) -> str:
        return self.description[:60]


class SectionRevision(models.Model):
    """Who changed a dossier section, when, and what: one row per saved version."""

    section = models.ForeignKey(DossierSection, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField()
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["section", "version"], name="one_revision_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.version}"


def tonnes(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, null=True, blank=True)


def percent(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )


class PublishedFigures(models.Model):
    """What a city's published Climate City Contract states: reported, not computed, figures.

    Bases differ from city to city (baseline year, BAU 2030, CO2 only, partial scope): the
    basis and notes fields say what each figure means, and empty means "not stated".
    """

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="published_figures")
    source_document = models.CharField(_("source document"), max_length=200)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_tco2e = tonnes(_("baseline emissions (tCO2e)"))
    stationary_energy_tco2e = tonnes(_("stationary energy / buildings (tCO2e)"))
    electricity_tco2e = tonnes(_("electricity, reported separately (tCO2e)"))
    transport_tco2e = tonnes(_("transport (tCO2e)"))
    waste_tco2e = tonnes(_("waste (tCO2e)"))
    ippu_tco2e = tonnes(_("IPPU (tCO2e)"))
    ippu_note = models.CharField(_("IPPU note"), max_length=200, blank=True)
    afolu_tco2e = tonnes(_("AFOLU (tCO2e, negative for sinks)"))
    latest_inventory_year = models.PositiveSmallIntegerField(
        _("latest inventory year"), null=True, blank=True
    )
    latest_inventory_tco2e = tonnes(_("latest inventory (tCO2e)"))
    target_reduction_pct = percent(_("2030 reduction target (%)"))
    residual_pct = percent(_("residual emissions (%)"))
    target_basis = models.CharField(_("what the target refers to"), max_length=200, blank=True)
    investment_need_eur = euros(_("investment need (€)"), null=True, blank=True)
    investment_basis = models.CharField(_("what the investment covers"), max_length=300, blank=True)
    n_actions = models.PositiveSmallIntegerField(_("number of actions"), null=True, blank=True)
    n_actions_basis = models.CharField(
        _("how the actions were counted"), max_length=100, blank=True
    )
    sources = models.JSONField(
        _("source lines"), default=dict, blank=True, help_text=_("Figure group → lines cited.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("published figures")
        verbose_name_plural = _("published figures")

    def __str__(self) -> str:
        return f"{self.city}: {self.source_document}"

    SECTOR_FIELDS = (
        "stationary_energy_tco2e",
        "electricity_tco2e",
        "transport_tco2e",
        "waste_tco2e",
        "ippu_tco2e",
        "afolu_tco2e",
    )

    def sectors(self) -> list[tuple[str, object]]:
        """(label, value or None) per sector, in the contract template's order."""
        return [
            (str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SECTOR_FIELDS
        ]


# --- The support needs assessment (questionnaire in ``needs.py``) ------------------------------

MAX_AREA_NOTE = 2000


class NeedsAssessment(models.Model):
    """A city's support needs assessment as its advisor recorded it on one date.

    Assessments are kept: the newest (by date) is the current one, older ones are its history.
    Only the current one may still be corrected; each correction advances ``version``.
    """

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="needs_assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("assessed by"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["city", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "assessed_on"], name="one_needs_assessment_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} – {self.assessed_on:%Y-%m-%d}"


class NeedsArea(models.Model):
    """The advisor's view of one capacity area: how much support it needs, and a note."""

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("area"), max_length=20)
    support = models.CharField(
        _("support needed"), max_length=10, choices=Support.choices, default=Support.NONE
    )
    note = models.TextField(_("note"), max_length=MAX_AREA_NOTE, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_needs_area_each"),
            models.CheckConstraint(
                condition=models.Q(support__in=Support.values),
                name="needs_support_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.area}"


class NeedsAnswer(models.Model):
    """One scored statement; statements left unscored have no row (not assessed, not zero)."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.CharField(_("statement"), max_length=40)
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="one_needs_answer_each"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=LOWEST, score__lte=HIGHEST),
                name="needs_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.question} = {self.score}"
