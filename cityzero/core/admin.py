"""Admin pieces shared by the apps."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """Rows shown with their parent that only the platform's own pages may change."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
