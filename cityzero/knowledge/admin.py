from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.core.markdown import render_markdown
from cityzero.knowledge import search, services
from cityzero.knowledge.models import (
    Collection,
    CollectionItem,
    Entry,
    EntryComment,
    EntryFile,
    EntryLink,
    EntryStatus,
    Tag,
)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """The taxonomy: staff rename, describe, reorder and add tags; entries keep theirs."""

    list_display = ["name", "code", "facet", "position"]
    list_filter = ["facet"]
    list_editable = ["position"]
    search_fields = ["name", "code", "description"]


class EntryLinkInline(admin.TabularInline):
    model = EntryLink
    extra = 0
    max_num = services.MAX_LINKS
    fields = ["url", "label", "position"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class EntryFileInline(admin.TabularInline):
    """Files are uploaded through the entry's edit page, where their content is checked."""

    model = EntryFile
    extra = 0
    fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class EntryAdminForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["title", "slug", "summary", "body", "kind", "language", "year", "organisation",
                  "licence", "tags", "cities", "illustrative"]  # fmt: skip

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in services.RESERVED_SLUGS:
            raise ValidationError(_("“%(slug)s” is the address of a page; choose another.")
                                  % {"slug": slug})  # fmt: skip
        return slug

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > services.MAX_TAGS:
            raise ValidationError(_("Choose at most %(n)s tags.") % {"n": services.MAX_TAGS})
        return tags


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Staff curate entries here; moderation decisions go through the queue or the actions below,
    so that contributors are told. Saving re-renders the body and re-indexes the entry."""

    form = EntryAdminForm
    list_display = ["title", "kind", "language", "status", "contributor", "published_at"]
    list_filter = ["status", "kind", "language", "illustrative", "tags"]
    list_select_related = ["contributor"]
    search_fields = ["title", "summary", "organisation", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags"]
    autocomplete_fields = ["cities"]
    readonly_fields = ["status", "moderation_note", "contributor", "published_at", "version"]
    fields = [*EntryAdminForm.Meta.fields, *readonly_fields]
    inlines = [EntryLinkInline, EntryFileInline]
    actions = ["approve"]

    def save_model(self, request, obj: Entry, form, change: bool) -> None:
        obj.title = obj.title.strip()
        obj.title_key = search.title_key(obj.title)
        obj.body_html = render_markdown(obj.body)
        if change:
            obj.version += 1  # whoever has the entry open on the site is told of this change
        else:
            obj.contributor = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        search.index([form.instance])

    @admin.action(description=gettext_lazy("Approve and publish (the contributors are told)"))
    def approve(self, request, queryset) -> None:
        done = 0
        for entry in queryset.exclude(status=EntryStatus.PUBLISHED):
            services.moderate(entry, "approve", by=request.user)
            done += 1
        self.message_user(request, _("%(n)s entries published.") % {"n": done}, messages.SUCCESS)


@admin.register(EntryComment)
class EntryCommentAdmin(admin.ModelAdmin):
    """Staff remove comments that break the rules; nobody edits what someone else wrote."""

    list_display = ["entry", "author", "created_at"]
    list_select_related = ["entry", "author"]
    search_fields = ["body", "entry__title"]
    fields = ["entry", "author", "body", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 1
    fields = ["entry", "position"]
    autocomplete_fields = ["entry"]
    ordering = ["position", "pk"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CollectionItemInline]
