from django.contrib import admin

from cityzero.cities.models import (
    City,
    Country,
    DossierSection,
    LabelRound,
    NeedsAnswer,
    NeedsArea,
    NeedsAssessment,
    PublishedFigures,
    SectionRevision,
)
from cityzero.core.admin import ReadOnlyInline


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "eu_member", "horizon_associated"]
    list_filter = ["eu_member", "horizon_associated"]
    search_fields = ["name", "code"]


@admin.register(LabelRound)
class LabelRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "awarded_on", "event"]
    search_fields = ["name", "event"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "mission_status",
        "label_round",
        "population",
        "illustrative",
    ]
    list_filter = ["mission_status", "label_round", "country__eu_member", "country"]
    search_fields = ["name", "slug", "country__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["country", "label_round"]
    autocomplete_fields = ["country"]


class RevisionInline(admin.TabularInline):
    model = SectionRevision
    extra = 0
    can_delete = False
    fields = ["version", "author", "created_at", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DossierSection)
class DossierSectionAdmin(admin.ModelAdmin):
    """Read-only here: sections are edited on the city's pages so every change is versioned."""

    list_display = ["city", "kind", "visibility", "version", "updated_by", "updated_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["city__name"]
    list_select_related = ["city", "updated_by"]
    readonly_fields = [
        "city",
        "kind",
        "visibility",
        "narrative_md",
        "ambition_md",
        "total_investment_eur",
        "version",
    ]
    inlines = [RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublishedFigures)
class PublishedFiguresAdmin(admin.ModelAdmin):
    list_display = [
        "city",
        "baseline_year",
        "baseline_tco2e",
        "target_reduction_pct",
        "target_basis",
    ]
    list_filter = ["baseline_year"]
    search_fields = ["city__name", "source_document", "notes"]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]


class NeedsAreaInline(ReadOnlyInline):
    model = NeedsArea
    fields = ["area", "support", "note"]


class NeedsAnswerInline(ReadOnlyInline):
    model = NeedsAnswer
    fields = ["question", "score"]


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(admin.ModelAdmin):
    """Read-only: advisors record assessments on the city's pages (with the checks and history)."""

    list_display = ["city", "assessed_on", "assessor", "version", "updated_at"]
    list_select_related = ["city", "assessor"]
    search_fields = ["city__name"]
    date_hierarchy = "assessed_on"
    inlines = [NeedsAreaInline, NeedsAnswerInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
