"""GHG inventories as stored: the rows exactly as entered or imported.

Every figure is computed from the rows by the pure core in ``cityzero.ghg``; nothing computed is
stored, so a change to a factor or a rule shows everywhere at once.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import City, Country, Visibility

FIRST_YEAR = 1990
LAST_YEAR = 2100


class GwpChoice(models.TextChoices):
    AR5 = "AR5", _("IPCC AR5 (GWP100)")
    AR6 = "AR6", _("IPCC AR6 (GWP100)")


class InventoryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class Inventory(models.Model):
    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="inventories")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    gwp_set = models.CharField(_("GWP values"), max_length=3, choices=GwpChoice.choices)
    status = models.CharField(
        _("status"), max_length=5, choices=InventoryStatus.choices, default=InventoryStatus.DRAFT
    )
    visibility = models.CharField(
        _("visible to"), max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    illustrative = models.BooleanField(_("illustrative content"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["city", "-year"]
        verbose_name_plural = _("inventories")
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="one_inventory_per_city_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="inventory_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.year}"

    @property
    def is_final(self) -> bool:
        return self.status == InventoryStatus.FINAL


class InventoryRow(models.Model):
    """One line item in the documented import layout (see ``interchange``)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()
    gpc_ref = models.CharField(_("GPC reference"), max_length=12)
    description = models.CharField(_("description"), max_length=300, blank=True)
    carrier = models.CharField(_("energy carrier"), max_length=60, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    emission_factor = models.DecimalField(
        _("emission factor"), max_digits=24, decimal_places=10, null=True, blank=True
    )
    ef_unit = models.CharField(_("factor unit"), max_length=40, blank=True)
    gas = models.CharField(_("gas"), max_length=10, blank=True)
    notation_key = models.CharField(_("notation key"), max_length=2, blank=True)
    explanation = models.CharField(_("explanation"), max_length=1000, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["inventory", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inventory", "position"], name="one_row_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.gpc_ref} {self.description}"


class ExclusionKind(models.TextChoices):
    EU_ETS = "eu_ets", _("Installation under the EU ETS")
    MINOR = "minor", _("Minor source (all together at most 5%)")


class Exclusion(models.Model):
    """A source declared out of the mission scope, by GPC reference number."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="exclusions")
    kind = models.CharField(_("kind"), max_length=10, choices=ExclusionKind.choices)
    gpc_ref = models.CharField(_("GPC reference"), max_length=12)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inventory", "gpc_ref"], name="one_exclusion_per_ref")
        ]

    def __str__(self) -> str:
        return f"{self.inventory}: {self.gpc_ref} excluded"


class FactorFields(models.Model):
    carrier = models.CharField(_("energy carrier"), max_length=60)
    gas = models.CharField(_("gas"), max_length=10, default="CO2e")
    value = models.DecimalField(
        _("value"), max_digits=20, decimal_places=8, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=40, default="t CO2e/MWh")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    source = models.CharField(_("source"), max_length=300)
    version = models.CharField(_("version"), max_length=60, blank=True)

    class Meta:
        abstract = True


class NationalFactor(FactorFields):
    """A national factor (typically grid electricity) for a country and year, kept by staff."""

    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["country", "carrier", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "carrier", "gas", "year"], name="one_national_factor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.carrier} {self.year}: {self.value} {self.unit}"


class LocalFactor(FactorFields):
    """A city's own factor: district heating, local electricity, green-power purchases."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="local_factors")

    class Meta:
        ordering = ["city", "carrier", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "carrier", "gas", "year"], name="one_local_factor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.carrier} {self.year}: {self.value} {self.unit}"


def _source_path(document: "SourceDocument", filename: str) -> str:
    # Never the name the user gave: a random one with the checked extension.
    return f"inventory-sources/{uuid.uuid4().hex}.{document.extension}"


class SourceDocument(models.Model):
    """A file that backs the inventory's figures: a utility statement, a national report."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_source_path)
    filename = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inventory", "title", "pk"]

    def __str__(self) -> str:
        return self.title
