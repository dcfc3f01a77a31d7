"""Staff define cohorts and calls here: the application form, the eligibility rules and the
scoring criteria are rows of the call. Applications, assessments and programme records change
through their pages (``services``), where every step is checked, recorded and announced."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cityzero.core.admin import ReadOnlyInline, RecordAdmin
from cityzero.core.markdown import render_markdown
from cityzero.programmes import eligibility, services
from cityzero.programmes.models import (
    Application,
    ApplicationTransition,
    Call,
    Cohort,
    CohortMember,
    Criterion,
    EligibilityRule,
    PilotActivity,
    Question,
    Tranche,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = [
        "position",
        "code",
        "label",
        "kind",
        "required",
        "fact",
        "options",
        "min_value",
        "max_value",
        "max_length",
        "help_text",
    ]


class RuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0
    fields = ["position", "kind", "params"]
    verbose_name = _("eligibility rule")
    verbose_name_plural = _("eligibility rules (checks: %(checks)s)") % {
        "checks": ", ".join(eligibility.CHECKS)
    }


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "description", "weight", "max_score"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "opens_on", "closes_on", "published"]
    list_filter = ["published", "cohort__kind"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["results_published_at", "results_published_by"]
    inlines = [QuestionInline, RuleInline, CriterionInline]

    def save_model(self, request, obj, form, change) -> None:
        services.save_call(obj)


class MemberInline(admin.TabularInline):
    model = CohortMember
    extra = 0
    autocomplete_fields = ["city"]
    readonly_fields = ["application"]
    fields = ["city", "joined_on", "source", "application"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "capacity"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberInline]


class TransitionInline(ReadOnlyInline):
    model = ApplicationTransition
    fields = ["created_at", "step", "source", "target", "actor", "message"]


@admin.register(Application)
class ApplicationAdmin(RecordAdmin):
    list_display = ["city", "call", "status", "submitted_at"]
    list_filter = ["status", "call"]
    search_fields = ["city__name"]
    inlines = [TransitionInline]


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ["trigger", "share_pct", "amount_eur", "released_at", "released_by"]


@admin.register(PilotActivity)
class PilotActivityAdmin(admin.ModelAdmin):
    """Started on the pilot activity page, where the grant is split into tranches."""

    list_display = ["title", "lead_city", "cohort", "grant_eur"]
    list_filter = ["cohort"]
    fields = ["title", "summary_md", "starts_on", "ends_on"]
    inlines = [TrancheInline]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        obj.summary_html = render_markdown(obj.summary_md)
        super().save_model(request, obj, form, change)
