from django.contrib import admin

from cityzero.core.admin import ReadOnlyInline, RecordAdmin
from cityzero.reviews.models import Assignment, RubricScore, Transition


@admin.register(Transition)
class TransitionAdmin(RecordAdmin):
    """The workflow's record: read here, written only by taking steps."""

    list_display = ["iteration", "step", "source", "target", "actor", "created_at"]
    list_filter = ["step", "target"]
    list_select_related = ["iteration__contract__city", "actor"]


class RubricScoreInline(ReadOnlyInline):
    model = RubricScore


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """Assign on the submission page, where conflicts of interest are checked; fix deadlines here."""

    list_display = ["iteration", "reviewer", "stage", "module", "due_on", "submitted_at"]
    list_filter = ["stage", "expertise"]
    list_select_related = ["iteration__contract__city", "reviewer"]
    fields = ["iteration", "reviewer", "stage", "module", "expertise", "due_on", "recommendation",
              "summary", "submitted_at"]  # fmt: skip
    readonly_fields = ["iteration", "reviewer", "stage", "module", "expertise", "recommendation",
                       "summary", "submitted_at"]  # fmt: skip
    inlines = [RubricScoreInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj: Assignment | None = None) -> bool:
        done = obj is not None and obj.is_submitted
        return not done and super().has_change_permission(request, obj)
