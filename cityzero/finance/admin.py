"""Staff keep the funding types and the matching rules here; every save applies to the next
request (see ``signals``). Saved results are the cities' own: staff may only read or delete them.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from cityzero.finance.models import FundingType, MatchingRule, SavedResult
from cityzero.finance.questionnaire import RULE_QUESTIONS


def answer_codes_help() -> str:
    """Every question a rule may use, with its answer codes, for the rule forms."""
    return format_html_join(
        "",
        "<br><code>{}</code> ({}): {}",
        (
            (code, question.label, ", ".join(option.code for option in question.options))
            for code, question in RULE_QUESTIONS.items()
        ),
    )


class MatchingRuleForm(forms.ModelForm):
    class Meta:
        model = MatchingRule
        fields = ["funding_type", "question", "values", "effect", "weight", "reason", "position",
                  "active"]  # fmt: skip

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["values"]
        field.help_text = format_html_join("", "{}{}", [(field.help_text, answer_codes_help())])


class MatchingRuleInline(admin.TabularInline):
    model = MatchingRule
    form = MatchingRuleForm
    extra = 1
    fields = ["question", "values", "effect", "weight", "reason", "position", "active"]
    ordering = ["position", "pk"]


@admin.register(FundingType)
class FundingTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "category", "ticket_min_eur", "ticket_max_eur", "position",
                    "active"]  # fmt: skip
    list_filter = ["category", "active"]
    list_editable = ["position", "active"]
    search_fields = ["name", "code", "summary"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["knowledge_entries"]
    readonly_fields = ["updated_at"]
    inlines = [MatchingRuleInline]


@admin.register(MatchingRule)
class MatchingRuleAdmin(admin.ModelAdmin):
    """All rules in one list, including those that apply to every funding type."""

    form = MatchingRuleForm
    list_display = ["__str__", "funding_type", "question", "values", "effect", "weight", "active"]
    list_editable = ["weight", "active"]
    list_filter = ["effect", "question", "active", "funding_type"]
    list_select_related = ["funding_type"]
    search_fields = ["reason", "values", "funding_type__name"]


@admin.register(SavedResult)
class SavedResultAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "public", "saved_by", "created_at"]
    list_filter = ["public"]
    list_select_related = ["city", "saved_by"]
    search_fields = ["title", "city__name"]
    fields = ["title", "city", "note", "public", "saved_by", "created_at", "answers"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
