"""Invalidate cached public pages when knowledge they show changes (admin edits included);
remove an attached file's stored copy when its row goes (an entry deleted takes its files)."""

from django.db import transaction
from django.db.models.signals import post_delete

from cityzero.core.cache import invalidate_on_change
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


def _delete_stored_file(sender, instance: EntryFile, **kwargs) -> None:
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


post_delete.connect(_delete_stored_file, sender=EntryFile, dispatch_uid="knowledge-file-delete")
