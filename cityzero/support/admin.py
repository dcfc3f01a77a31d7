"""Read-only: requests move through their pages (``services``), so that every step is checked,
recorded and announced."""

from django.contrib import admin

from cityzero.core.admin import ReadOnlyInline
from cityzero.support.models import (
    ExpertRequest,
    RequestAttachment,
    RequestMessage,
    RequestTransition,
)


class MessageInline(ReadOnlyInline):
    model = RequestMessage
    fields = ["created_at", "author", "side", "is_answer", "body"]


class AttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at", "message"]


class TransitionInline(ReadOnlyInline):
    model = RequestTransition
    fields = ["created_at", "step", "source", "target", "actor", "expert"]


@admin.register(ExpertRequest)
class ExpertRequestAdmin(admin.ModelAdmin):
    list_display = ["topic", "city", "status", "expert", "submitted_at", "due_on"]
    list_filter = ["status", "field_of_action"]
    search_fields = ["topic", "city__name"]
    list_select_related = ["city", "expert"]
    inlines = [MessageInline, AttachmentInline, TransitionInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
