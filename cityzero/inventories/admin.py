from django.contrib import admin

from cityzero.inventories.models import Exclusion, Inventory, LocalFactor, NationalFactor


@admin.register(NationalFactor)
class NationalFactorAdmin(admin.ModelAdmin):
    list_display = ["country", "carrier", "gas", "year", "value", "unit", "source"]
    list_filter = ["carrier", "year"]
    search_fields = ["country__name", "source"]
    autocomplete_fields = ["country"]


@admin.register(LocalFactor)
class LocalFactorAdmin(admin.ModelAdmin):
    list_display = ["city", "carrier", "gas", "year", "value", "unit", "source"]
    list_filter = ["carrier", "year"]
    search_fields = ["city__name", "source"]
    autocomplete_fields = ["city"]


class ExclusionInline(admin.TabularInline):
    model = Exclusion
    extra = 0


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin):
    """Rows are changed through imports and the editor, so each change bumps the version."""

    list_display = ["city", "year", "gwp_set", "status", "visibility", "version", "updated_at"]
    list_filter = ["status", "year", "gwp_set"]
    search_fields = ["city__name"]
    list_select_related = ["city"]
    readonly_fields = ["city", "year", "version", "updated_by"]
    inlines = [ExclusionInline]

    def has_add_permission(self, request) -> bool:
        return False
