"""The mission's fixed vocabularies (DOMAIN.md §2.4), shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldOfAction(models.TextChoices):
    ENERGY_SYSTEMS = "energy", _("Energy systems")
    BUILT_ENVIRONMENT = "buildings", _("Built environment")
    MOBILITY = "mobility", _("Mobility & transport")
    WASTE = "waste", _("Waste & circular economy")
    GREEN_INFRASTRUCTURE = "green", _("Green infrastructure & nature-based solutions")


class GovernmentLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("EU")


class SystemicLever(models.TextChoices):
    TECHNOLOGY = "technology", _("Technology/infrastructure")
    GOVERNANCE = "governance", _("Governance & policy")
    SOCIAL_INNOVATION = "social_innovation", _("Social innovation")
    DEMOCRACY = "democracy", _("Democracy/participation")
    LEARNING = "learning", _("Learning & capabilities")
    FINANCE = "finance", _("Finance & funding")
