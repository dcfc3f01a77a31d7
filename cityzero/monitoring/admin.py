"""Progress reports and indicator values are records: dated, kept, and written only through the
city's progress pages (``services``), so that every one is checked and attributed. The admin lists
and shows them; only a city's reporting plan may be changed here."""

from django.contrib import admin
from django.utils import timezone

from cityzero.core.admin import ReadOnlyInline, RecordAdmin
from cityzero.monitoring.models import (
    ActionReport,
    EvidenceFile,
    IndicatorSetup,
    IndicatorValue,
    MonitoringPlan,
)


class EvidenceInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ActionReport)
class ActionReportAdmin(RecordAdmin):
    list_display = ["action", "city", "reported_on", "status", "percent_done", "spend_to_date",
                    "public", "created_by"]  # fmt: skip
    list_filter = ["status", "public", "reported_on"]
    search_fields = ["city__name", "action__name", "note"]
    list_select_related = ["city", "action", "created_by"]
    date_hierarchy = "reported_on"
    readonly_fields = ["city", "action_key", "action", "reported_on", "status", "percent_done",
                       "spend_to_date", "next_milestone", "milestone_on", "note",
                       "evidence_links", "public", "created_at", "created_by"]  # fmt: skip
    inlines = [EvidenceInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(RecordAdmin):
    list_display = ["indicator", "city", "measured_on", "value", "quality", "source",
                    "created_by"]  # fmt: skip
    list_filter = ["quality", "measured_on"]
    search_fields = ["city__name", "indicator__name", "source"]
    list_select_related = ["city", "indicator", "created_by"]
    readonly_fields = ["city", "indicator_key", "indicator", "measured_on", "value", "entered_as",
                       "source", "quality", "note", "created_at", "created_by"]  # fmt: skip


@admin.register(MonitoringPlan)
class MonitoringPlanAdmin(admin.ModelAdmin):
    list_display = ["city", "reporting_months", "publish_emissions", "version", "updated_at",
                    "updated_by"]  # fmt: skip
    list_filter = ["reporting_months", "publish_emissions"]
    search_fields = ["city__name"]
    list_select_related = ["city", "updated_by"]
    fields = ["city", "reporting_months", "publish_emissions", "version", "updated_at",
              "updated_by"]  # fmt: skip
    readonly_fields = ["city", "version", "updated_at", "updated_by"]

    def has_add_permission(self, request) -> bool:
        return False  # a city's team sets its plan up on its progress page

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # A new version, so that an editor holding the old one is told someone else changed it.
        obj.version += 1
        obj.updated_at = timezone.now()
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(IndicatorSetup)
class IndicatorSetupAdmin(RecordAdmin):
    list_display = ["indicator_key", "city", "computed_from", "public", "updated_at", "updated_by"]
    list_filter = ["computed_from", "public"]
    search_fields = ["city__name"]
    list_select_related = ["city", "updated_by"]
    readonly_fields = ["city", "indicator_key", "computed_from", "public", "updated_at",
                       "updated_by"]  # fmt: skip
