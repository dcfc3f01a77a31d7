from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from cityzero.accounts.models import (
    AdvisorAssignment,
    CityMembership,
    Invitation,
    TeamEvent,
    User,
)
from cityzero.core.admin import RecordAdmin


class MembershipInline(admin.TabularInline):
    model = CityMembership
    extra = 0
    autocomplete_fields = ["city"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "platform_role", "is_active", "last_login"]
    list_filter = ["platform_role", "is_active", "is_superuser"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined", "is_staff"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["full_name"]}),
        (_("Roles"), {"fields": ["platform_role", "is_active", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        # Only superusers may create superusers.
        extra = [] if request.user.is_superuser else ["is_superuser"]
        return [*self.readonly_fields, *extra]

    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(CityMembership)
class CityMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "created_at"]
    list_filter = ["role", "city__country"]
    search_fields = ["user__email", "city__name"]
    autocomplete_fields = ["user", "city"]


@admin.register(AdvisorAssignment)
class AdvisorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["advisor", "city", "assigned_by", "created_at"]
    list_filter = ["city__country"]
    search_fields = ["advisor__email", "city__name"]
    autocomplete_fields = ["advisor", "city"]
    readonly_fields = ["assigned_by"]

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.assigned_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "city",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "city__name"]
    readonly_fields = ["token", "invited_by", "accepted_by", "accepted_at"]


@admin.register(TeamEvent)
class TeamEventAdmin(RecordAdmin):
    """The audit trail is read-only, for staff too."""

    list_display = ["created_at", "city", "kind", "subject_email", "role", "actor"]
    list_filter = ["kind"]
    search_fields = ["city__name", "subject_email", "actor__email"]
    list_select_related = ["city", "actor"]
