"""Read-only: progress is reported by the city team through its map, so that every change is
recorded as a revision (services.report_progress)."""

from django.contrib import admin

from cityzero.transition.models import StepProgress, StepProgressRevision


class RevisionInline(admin.TabularInline):
    model = StepProgressRevision
    fields = ["version", "created_at", "author", "status", "note", "evidence_url", "changed"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["city", "step", "status", "updated_at", "updated_by"]
    list_filter = ["status", "step"]
    search_fields = ["city__name", "step", "note"]
    list_select_related = ["city", "updated_by"]
    readonly_fields = ["city", "step", "status", "note", "evidence_url", "version", "updated_at",
                       "updated_by"]  # fmt: skip
    inlines = [RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
