"""The Knowledge Repository's pages: search, entries, contributions, moderation, collections."""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cityzero.accounts.permissions import can
from cityzero.core.cache import cache_public_page, cached_by_data_version
from cityzero.core.uploads import download
from cityzero.knowledge import interchange, selectors, services
from cityzero.knowledge.forms import (
    CommentForm,
    EntryForm,
    ImportForm,
    ModerationForm,
    query_string,
    search_input,
)
from cityzero.knowledge.models import (
    Bookmark,
    Collection,
    Entry,
    EntryKind,
    EntryStatus,
    Language,
    Tag,
)

# --- search ---------------------------------------------------------------------------------------


def _tag_codes() -> frozenset[str]:
    return cached_by_data_version(  # type: ignore[return-value]
        "knowledge-tag-codes", lambda: frozenset(Tag.objects.values_list("code", flat=True))
    )


def _removals(filters: selectors.Filters, results: selectors.Results) -> list[tuple[str, str]]:
    """(what, query string of the same search without it) for each filter in use."""
    names = {fc.tag.code: fc.tag.name for _facet, counts in results.facets for fc in counts}
    found = []
    if filters.text:
        found.append((_("the words “%(q)s”") % {"q": filters.text}, query_string(filters, q="")))
    for code in filters.tags:
        what = _("the tag “%(tag)s”") % {"tag": names.get(code, code)}
        found.append((what, query_string(filters, tag=[c for c in filters.tags if c != code])))
    if filters.kind:
        what = _("the type “%(type)s”") % {"type": EntryKind(filters.kind).label}
        found.append((what, query_string(filters, type="")))
    if filters.language:
        what = _("the language “%(language)s”") % {"language": Language(filters.language).label}
        found.append((what, query_string(filters, language="")))
    return found


@cache_public_page
def search(request: HttpRequest) -> HttpResponse:
    asked = search_input(request.GET, known_tags=_tag_codes())
    filters = asked.filters
    results = selectors.search_entries(filters)
    if results.total and filters.page > results.pages:
        filters = replace(filters, page=results.pages)
        results = selectors.search_entries(filters)
    context = {
        "filters": filters,
        "results": results,
        "notices": asked.notices,
        "page": Paginator(range(results.total), selectors.PAGE_SIZE).get_page(filters.page),
        "query": query_string(filters),
        "languages": Language.choices,
        "kind_counts": _kind_options(filters, results),
        "collections": selectors.collection_list(),
    }
    if not results.total:
        context["removals"] = _removals(filters, results)
        context["popular_tags"] = selectors.popular_tags()
    partial = request.htmx and not request.htmx.history_restore_request
    template = "knowledge/_search_update.html" if partial else "knowledge/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _kind_options(filters: selectors.Filters, results: selectors.Results) -> list[tuple]:
    """(code, label, count or None): counts only while no type is chosen, as they are then live."""
    counts = {code: n for code, _label, n in results.kinds}
    live = not filters.kind
    return [
        (code, label, counts.get(code, 0) if live else None) for code, label in EntryKind.choices
    ]


# --- an entry -------------------------------------------------------------------------------------


def _readable(request: HttpRequest, slug: str) -> Entry:
    """The entry with everything its page shows; 404 for whoever may not read it."""
    try:
        entry = selectors.entry_page(slug)
    except Entry.DoesNotExist:
        raise Http404(_("There is no such entry.")) from None
    if not can(request.user, "knowledge.view", entry):
        raise Http404(_("There is no such entry."))
    return entry


def _render_entry(request, entry: Entry, *, comment_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "entry": entry,
        "may_edit": can(user, "knowledge.edit", entry),
        "may_moderate": can(user, "knowledge.moderate", None),
        "may_comment": can(user, "knowledge.comment", entry),
        "bookmarked": user.is_authenticated
        and Bookmark.objects.filter(user=user, entry=entry).exists(),
        "comment_form": comment_form or CommentForm(),
        "published": entry.status == EntryStatus.PUBLISHED,
    }
    return render(request, "knowledge/entry.html", context, status=status)


@cache_public_page
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    return _render_entry(request, _readable(request, slug))


@login_required
@require_POST
def comment(request: HttpRequest, slug: str) -> HttpResponse:
    entry = _readable(request, slug)
    if not can(request.user, "knowledge.comment", entry):
        raise PermissionDenied(_("Sign in to comment."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(entry, body=form.cleaned_data["body"], by=request.user)
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(reverse("knowledge:entry", args=[slug]) + "#comments")
    return _render_entry(request, entry, comment_form=form, status=422)


@login_required
@require_POST
def bookmark(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Entry, slug=slug)
    if not can(request.user, "knowledge.view", entry):
        raise Http404(_("There is no such entry."))
    if not can(request.user, "knowledge.bookmark", entry):
        raise PermissionDenied(_("Sign in to bookmark entries."))
    bookmarked = services.toggle_bookmark(entry, user=request.user)
    if request.htmx:
        return render(request, "knowledge/_bookmark.html", {"entry": entry, "bookmarked": bookmarked,
                                                            "announce": True})  # fmt: skip
    if bookmarked:
        messages.success(request, _("Bookmarked. Find it under “My bookmarks”."))
    else:
        messages.success(request, _("Bookmark removed."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("knowledge:entry", args=[slug])
    return redirect(back)


def entry_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A file of an entry, to whoever may read the entry; always a download, never shown inline."""
    entry = get_object_or_404(Entry, slug=slug)
    if not can(request.user, "knowledge.view", entry):
        raise Http404(_("There is no such entry."))
    return download(
        get_object_or_404(entry.files, pk=pk), private=entry.status != EntryStatus.PUBLISHED
    )


# --- contributing and editing ---------------------------------------------------------------------


@login_required
def contribute(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "knowledge.contribute", None):
        raise PermissionDenied(_("Sign in to contribute."))
    moderator = can(request.user, "knowledge.moderate", None)
    if request.method != "POST":
        return _render_form(request, EntryForm(moderator=moderator))
    form = EntryForm(request.POST, request.FILES, moderator=moderator)
    if not form.is_valid():
        return _render_form(request, form, status=422)
    data = form.cleaned_data
    try:
        entry = services.save_entry(
            form.instance, tags=data["tags"], cities=data["cities"], links=data["links_text"],
            files=data["files"], by=request.user, publish=moderator and data.get("publish", False),
        )  # fmt: skip
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, form, status=422)
    if entry.status == EntryStatus.PUBLISHED:
        messages.success(request, _("The entry is published."))
    else:
        messages.success(
            request,
            _("Thank you! Your entry is waiting for moderation. You will be told when the "
              "moderators have read it."),
        )  # fmt: skip
    return redirect("knowledge:entry", slug=entry.slug)


def _render_form(request, form: EntryForm, *, entry: Entry | None = None, conflict=None,
                 status: int = 200) -> HttpResponse:  # fmt: skip
    context = {"form": form, "entry": entry, "conflict": conflict}
    return render(request, "knowledge/entry_form.html", context, status=status)


@login_required
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.select_related("contributor"), slug=slug)
    if not can(request.user, "knowledge.view", entry):
        raise Http404(_("There is no such entry."))
    if not can(request.user, "knowledge.edit", entry):
        raise PermissionDenied(
            _("Only the platform staff change a published entry, and only its contributor an "
              "entry waiting for moderation.")
        )  # fmt: skip
    if request.method != "POST":
        return _render_form(request, EntryForm(instance=entry), entry=entry)
    form = EntryForm(request.POST, request.FILES or None, instance=entry)
    if not form.is_valid():
        return _render_form(request, form, entry=entry, status=422)
    data = form.cleaned_data
    try:
        services.save_entry(
            entry, tags=data["tags"], cities=data["cities"], links=data["links_text"],
            files=data["files"], remove_files=data["remove_files"], by=request.user,
            base_version=data["version"],
        )  # fmt: skip
    except services.EditConflict as conflict:
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version  # saving again overwrites theirs
        return _render_form(request, form, entry=entry, conflict=conflict.current, status=409)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_form(request, form, entry=entry, status=422)
    if entry.contributor_id == request.user.pk and entry.status == EntryStatus.CHANGES_REQUESTED:
        services.resubmit(entry)
        messages.success(request, _("Saved and sent back to the moderators. Thank you!"))
    elif entry.status == EntryStatus.PENDING:
        messages.success(request, _("Saved. The entry is still waiting for moderation."))
    else:
        messages.success(request, _("Saved."))
    return redirect("knowledge:entry", slug=entry.slug)


# --- moderation -----------------------------------------------------------------------------------

DONE = {
    "approve": gettext_lazy("“%(title)s” is published; its contributor is told."),
    "changes": gettext_lazy("Changes requested on “%(title)s”; its contributor is told."),
    "reject": gettext_lazy("“%(title)s” is rejected; its contributor is told why."),
}


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "knowledge.moderate", None):
        raise PermissionDenied(_("Only the platform staff moderate contributions."))
    failed, status = None, 200
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if not form.is_valid() and "entry" in form.errors:
            messages.warning(request, _("That entry is no longer waiting for moderation."))
            return redirect("knowledge:moderation")
        if form.is_valid():
            entry, decision = form.cleaned_data["entry"], form.cleaned_data["decision"]
            try:
                services.moderate(entry, decision, by=request.user, note=form.cleaned_data["note"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, str(DONE[decision]) % {"title": entry.title})
                return redirect("knowledge:moderation")
        failed, status = form, 422
    context = {"queue": selectors.moderation_queue(), "failed": failed}
    return render(request, "knowledge/moderation.html", context, status=status)


# --- bookmarks and collections --------------------------------------------------------------------


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    context = {
        "entries": selectors.bookmarked_entries(request.user),
        "contributions": selectors.contributions(request.user),
    }
    return render(request, "knowledge/bookmarks.html", context)


@cache_public_page
def collection(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Collection, slug=slug)
    context = {"collection": found, "entries": selectors.collection_entries(found)}
    return render(request, "knowledge/collection.html", context)


# --- curation: import and export ------------------------------------------------------------------

EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _may_curate(request: HttpRequest) -> None:
    if not can(request.user, "knowledge.moderate", None):
        raise PermissionDenied(_("Only the platform staff import and export entries."))


@login_required
def curate(request: HttpRequest) -> HttpResponse:
    _may_curate(request)
    form, errors, status = ImportForm(), [], 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            checked = interchange.read(upload.name, upload.read(interchange.MAX_FILE_BYTES + 1))
            if not checked.errors:
                created, updated = interchange.import_entries(checked.rows, by=request.user)
                messages.success(
                    request,
                    _("Imported: %(new)s new and %(changed)s changed entries.")
                    % {"new": created, "changed": updated},
                )
                return redirect("knowledge:curate")
            errors = checked.errors
        status = 422
    context = {"form": form, "errors": errors, "published": selectors.published().count()}
    return render(request, "knowledge/curate.html", context, status=status)


@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    _may_curate(request)
    if fmt not in EXPORT_TYPES:
        raise Http404(_("Export as CSV or JSON."))
    write = interchange.write_json if fmt == "json" else interchange.write_csv
    response = HttpResponse(write(selectors.published()), content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="knowledge-entries.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
