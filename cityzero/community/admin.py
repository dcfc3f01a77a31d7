"""Groups are kept through their pages (``services``), so that every change to someone's place is
checked and logged; the admin shows them, and lets staff look into reports and the log."""

from django.contrib import admin

from cityzero.community.models import (
    Event,
    Group,
    GroupMembership,
    ModerationEntry,
    Profile,
    Report,
)
from cityzero.core.admin import ReadOnlyInline


class MembershipInline(ReadOnlyInline):
    model = GroupMembership
    fields = ["user", "role", "status", "created_at"]
    readonly_fields = ["created_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "visibility", "last_activity_at"]
    list_filter = ["kind", "visibility"]
    search_fields = ["name", "summary"]
    inlines = [MembershipInline]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "group", "starts_at", "time_zone", "status", "cancelled_at"]
    list_filter = ["status", "format"]
    search_fields = ["title"]
    list_select_related = ["group"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["target_label", "reason", "group", "created_at", "resolved_at"]
    list_filter = ["reason"]
    list_select_related = ["group"]


@admin.register(ModerationEntry)
class ModerationEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "group", "actor", "action", "target_label", "reason"]
    list_filter = ["action"]
    list_select_related = ["group", "actor"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["handle", "user", "visible", "updated_at"]
    list_filter = ["visible"]
    search_fields = ["handle", "user__full_name"]
    list_select_related = ["user"]
