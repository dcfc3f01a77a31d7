"""Writes of the Knowledge Repository: one function per use case, one transaction each."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cityzero.community.services import notify
from cityzero.core.markdown import comment_text, render_markdown
from cityzero.core.uploads import save_files, stored_fields
from cityzero.knowledge import search
from cityzero.knowledge.models import (
    MAX_BODY,
    Bookmark,
    Entry,
    EntryComment,
    EntryFile,
    EntryLink,
    EntryStatus,
    Tag,
)
from cityzero.knowledge.taxonomy import TAGS

MAX_TAGS = 12
MAX_LINKS = 10
MAX_FILES = 10


class EditConflict(Exception):
    """Someone saved the entry after the editor loaded it; nothing was saved."""

    def __init__(self, current: Entry) -> None:
        super().__init__("edit conflict")
        self.current = current


def load_tags() -> tuple[int, int]:
    """Seed the taxonomy; a tag staff have edited or added is kept as it is. (created, kept)"""
    existing = set(Tag.objects.values_list("code", flat=True))
    missing = [
        Tag(code=spec.code, facet=spec.facet, name=spec.name, description=spec.description,
            position=position)
        for position, spec in enumerate(TAGS)
        if spec.code not in existing
    ]  # fmt: skip
    Tag.objects.bulk_create(missing)
    return len(missing), len(existing)


# Addresses under /knowledge/ that are pages, not entries (see urls.py).
RESERVED_SLUGS = frozenset({"contribute", "moderation", "bookmarks", "collections", "curate"})


def _unique_slug(title: str, pk: int | None) -> str:
    base = slugify(title)[:200] or "entry"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Entry.objects.filter(slug=slug).exclude(pk=pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check(fields: dict[str, Any], tags: list[Tag], links: list[tuple[str, str]]) -> None:
    errors = []
    if not fields.get("title", "").strip():
        errors.append(_("Give the entry a title."))
    if not fields.get("summary", "").strip():
        errors.append(_("Write a summary."))
    if len(fields.get("body", "")) > MAX_BODY:
        errors.append(_("Keep the body to %(n)s characters or fewer.") % {"n": f"{MAX_BODY:,}"})
    if not tags:
        errors.append(_("Choose at least one tag."))
    if len(tags) > MAX_TAGS:
        errors.append(_("Choose at most %(n)s tags.") % {"n": MAX_TAGS})
    if len(links) > MAX_LINKS:
        errors.append(_("Give at most %(n)s links.") % {"n": MAX_LINKS})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_entry(
    entry: Entry,
    *,
    tags: Iterable[Tag],
    cities: Iterable[Any] = (),
    links: Iterable[tuple[str, str]] = (),
    by,
    publish: bool = False,
    base_version: int | None = None,
    files: Iterable[Any] = (),
    remove_files: Iterable[EntryFile] = (),
) -> Entry:
    """Create or change an entry with its tags, cities, links and files, and (re)index it.

    A new entry waits for moderation unless ``publish`` (staff curating) says otherwise. With
    ``base_version`` (the version the editor loaded) a change saved meanwhile raises
    ``EditConflict``. ``files`` are uploads checked by ``CheckedFileField`` (their ``.kind``).
    """
    tags, links = list(tags), list(links)
    _check(vars(entry), tags, links)
    if entry.pk is not None and base_version is not None:
        current = Entry.objects.select_for_update().get(pk=entry.pk)
        if current.version != base_version:
            raise EditConflict(current)
    entry.title = entry.title.strip()
    entry.summary = entry.summary.strip()
    entry.title_key = search.title_key(entry.title)
    entry.slug = entry.slug or _unique_slug(entry.title, entry.pk)
    entry.body_html = render_markdown(entry.body)
    if entry.pk is None:
        entry.contributor = entry.contributor or by
    else:
        entry.version += 1
    if publish:
        entry.status = EntryStatus.PUBLISHED
        entry.published_at = entry.published_at or timezone.now()
    entry.save()
    entry.tags.set(tags)
    entry.cities.set(list(cities))
    entry.links.all().delete()
    EntryLink.objects.bulk_create(
        EntryLink(entry=entry, url=url, label=label, position=n)
        for n, (url, label) in enumerate(links)
    )
    _change_files(entry, list(files), list(remove_files), by=by)
    search.index([entry])
    return entry


def _change_files(entry: Entry, uploads: list[Any], removed: list[EntryFile], *, by) -> None:
    removed = [f for f in removed if f.entry_id == entry.pk]
    kept = entry.files.exclude(pk__in=[f.pk for f in removed])
    if uploads and kept.count() + len(uploads) > MAX_FILES:
        raise ValidationError(
            _("An entry can have at most %(n)s files; remove some first.") % {"n": MAX_FILES}
        )
    for gone in removed:
        gone.delete()  # its stored copy goes after the commit (signals)
    save_files(
        (EntryFile(entry=entry, **stored_fields(upload, by=by)), upload) for upload in uploads
    )


def _tell_contributor(entry: Entry, title: str, body: str = "") -> None:
    if entry.contributor is not None:
        notify([entry.contributor], source=f"entry:{entry.pk}:{entry.version}:{entry.status}",
               title=title, body=body, url=reverse("knowledge:entry", args=[entry.slug]))  # fmt: skip


@transaction.atomic
def moderate(entry: Entry, decision: str, *, by, note: str = "") -> Entry:
    """Approve (publish), ask for changes, or reject with a reason; the contributor is told."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    note = note.strip()
    if entry.status == EntryStatus.PUBLISHED and decision != "reject":
        raise ValidationError(_("This entry is published already."))
    if decision in {"changes", "reject"} and not note:
        raise ValidationError(_("Tell the contributor why."))
    if decision == "approve":
        entry.status, entry.published_at = EntryStatus.PUBLISHED, timezone.now()
        title = _("Your entry “%(title)s” is published") % {"title": entry.title}
    elif decision == "changes":
        entry.status = EntryStatus.CHANGES_REQUESTED
        title = _("Changes requested on your entry “%(title)s”") % {"title": entry.title}
    elif decision == "reject":
        entry.status, entry.published_at = EntryStatus.REJECTED, None
        title = _("Your entry “%(title)s” was not accepted") % {"title": entry.title}
    else:
        raise ValidationError(_("There is no such decision."))
    entry.moderation_note = note
    entry.save(update_fields=["status", "published_at", "moderation_note", "updated_at"])
    _tell_contributor(entry, title, note)
    return entry


@transaction.atomic
def resubmit(entry: Entry) -> Entry:
    """The contributor has made the requested changes: back to the moderation queue."""
    if entry.status != EntryStatus.CHANGES_REQUESTED:
        raise ValidationError(_("Only an entry with changes requested goes back to the queue."))
    entry.status = EntryStatus.PENDING
    entry.save(update_fields=["status", "updated_at"])
    return entry


@transaction.atomic
def add_comment(entry: Entry, *, body: str, by) -> EntryComment:
    body = comment_text(body)
    if entry.status != EntryStatus.PUBLISHED:
        raise ValidationError(_("Comments open once the entry is published."))
    return EntryComment.objects.create(
        entry=entry, author=by, body=body, body_html=render_markdown(body)
    )


def toggle_bookmark(entry: Entry, *, user) -> bool:
    """Bookmark the entry, or drop the bookmark; whether it is bookmarked now."""
    deleted, _count = Bookmark.objects.filter(user=user, entry=entry).delete()
    if deleted:
        return False
    Bookmark.objects.get_or_create(user=user, entry=entry)
    return True
