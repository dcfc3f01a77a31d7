from django.contrib import admin

from cityzero.contracts.models import Iteration


@admin.register(Iteration)
class IterationAdmin(admin.ModelAdmin):
    """Staff inspect iterations here; the workflow moves them. A submitted one never changes."""

    list_display = ["contract", "number", "status", "visibility", "label_round", "updated_at"]
    list_filter = ["status", "visibility", "label_round"]
    list_select_related = ["contract__city", "label_round"]
    search_fields = ["contract__city__name"]
    fields = ["contract", "number", "status", "visibility", "baseline", "target_year",
              "target_share", "copied_from", "label_round", "version", "updated_by"]  # fmt: skip
    readonly_fields = ["contract", "number", "status", "baseline", "copied_from", "label_round",
                       "version", "updated_by"]  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # iterations start from the contract pages, with their parts

    def has_change_permission(self, request, obj: Iteration | None = None) -> bool:
        frozen = obj is not None and not obj.is_draft
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj: Iteration | None = None) -> bool:
        frozen = obj is not None and not obj.is_draft
        return not frozen and super().has_delete_permission(request, obj)
