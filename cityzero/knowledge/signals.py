"""Invalidate cached public pages and the search's facet index when knowledge they show changes
(admin edits included); remove an attached file's stored copy when its row goes (an entry deleted
takes its files)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from cityzero.core.cache import invalidate_on_change
from cityzero.core.uploads import delete_files_with_rows
from cityzero.knowledge import facets
from cityzero.knowledge.models import (
    Collection,
    CollectionItem,
    Entry,
    EntryComment,
    EntryFile,
    EntryLink,
    Tag,
)

invalidate_on_change(Tag, Entry, EntryLink, EntryFile, EntryComment, Collection, CollectionItem)


def _facets_changed(**kwargs) -> None:
    facets.changed()


for sender in (Entry, Tag):
    post_save.connect(_facets_changed, sender=sender, dispatch_uid=f"facets-save-{sender.__name__}")
    post_delete.connect(
        _facets_changed, sender=sender, dispatch_uid=f"facets-delete-{sender.__name__}"
    )
m2m_changed.connect(_facets_changed, sender=Entry.tags.through, dispatch_uid="facets-entry-tags")


delete_files_with_rows(EntryFile)
