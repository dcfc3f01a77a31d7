"""A bitmap index, in memory, of what the search page filters and counts published entries by.

Counting, for each of 40 tags, 8 types and 16 languages, how many of a search's matches carry it
is what makes a faceted search slow in SQL once a query matches tens of thousands of entries.
Here every published entry has a position, 0 for the newest, and every tag, type and language a
bitmap of its entries' positions (a Python ``int``): a filter is an AND, a count a bit count,
and "newest first" is simply the lowest positions first.

Each process keeps one index and rebuilds it when knowledge changes (a token in the shared cache,
replaced by the signals in ``knowledge.signals`` and by bulk loaders) or when it is older than
``MAX_AGE_S`` seconds, whatever changed the data.
"""

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction

from cityzero.knowledge.models import Entry, EntryStatus

VERSION_KEY = "cityzero:knowledge-facets-version"
MAX_AGE_S = 600.0
# The bit offsets set in each byte value, for reading positions out of a bitmap a byte at a time.
K = TypeVar("K")
_OFFSETS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


@dataclass(frozen=True)
class FacetIndex:
    version: str
    built_at: float
    ids: tuple[int, ...]  # position -> entry id, newest first
    position: dict[int, int]  # entry id -> position
    tags: dict[int, int]  # tag pk -> bitmap
    kinds: dict[str, int]
    languages: dict[str, int]

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def bitmap(self, positions: Iterable[int]) -> int:
        return _bitmap(positions, len(self.ids))

    def narrowed(self, *, tags: Iterable[int] = (), kind: str = "", language: str = "") -> int:
        """The published entries carrying every one of these tags, of this type and language."""
        selected = self.everything
        for tag in tags:
            selected &= self.tags.get(tag, 0)
        if kind:
            selected &= self.kinds.get(kind, 0)
        if language:
            selected &= self.languages.get(language, 0)
        return selected


def counts(selected: int, bitmaps: dict[K, int]) -> dict[K, int]:
    """How many of the selected positions each bitmap holds (keys holding none left out)."""
    return {key: n for key, bits in bitmaps.items() if (n := (bits & selected).bit_count())}


def positions(bitmap: int, start: int = 0, stop: int | None = None) -> list[int]:
    """The positions set in ``bitmap``, lowest first, from the ``start``-th to the ``stop``-th."""
    found: list[int] = []
    skip = start
    wanted = None if stop is None else stop - start
    for byte_number, value in enumerate(bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")):
        if not value:
            continue
        offsets = _OFFSETS[value]
        if skip >= len(offsets):
            skip -= len(offsets)
            continue
        base = byte_number * 8
        found.extend(base + offset for offset in offsets[skip:])
        skip = 0
        if wanted is not None and len(found) >= wanted:
            return found[:wanted]
    return found


def _bitmap(positions: Iterable[int], size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


def build(version: str) -> FacetIndex:
    published = (
        Entry.objects.filter(status=EntryStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .values_list("pk", "kind", "language")
    )
    tagged = Entry.tags.through.objects.values_list("entry_id", "tag_id")
    with connection.cursor() as cursor:  # rows as the driver gives them: tuples, no models
        cursor.execute(*published.query.sql_with_params())
        rows = cursor.fetchall()
        position = {pk: n for n, (pk, _kind, _language) in enumerate(rows)}
        by_tag: dict[int, list[int]] = defaultdict(list)
        cursor.execute(*tagged.query.sql_with_params())
        while chunk := cursor.fetchmany(50_000):
            for entry_id, tag_id in chunk:
                if (n := position.get(entry_id)) is not None:  # of a published entry
                    by_tag[tag_id].append(n)
    by_kind: dict[str, list[int]] = defaultdict(list)
    by_language: dict[str, list[int]] = defaultdict(list)
    for n, (_pk, kind, language) in enumerate(rows):
        by_kind[kind].append(n)
        by_language[language].append(n)
    size = len(rows)
    return FacetIndex(
        version=version,
        built_at=time.monotonic(),
        ids=tuple(pk for pk, _kind, _language in rows),
        position=position,
        tags={tag: _bitmap(found, size) for tag, found in by_tag.items()},
        kinds={kind: _bitmap(found, size) for kind, found in by_kind.items()},
        languages={language: _bitmap(found, size) for language, found in by_language.items()},
    )


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # a new cache (or one cleared): a token no index was built under
        cache.add(VERSION_KEY, uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


_current: FacetIndex | None = None


def current() -> FacetIndex:
    """This process's index of the published entries, rebuilt first if knowledge changed."""
    global _current
    version = _version()
    index = _current
    if index is None or index.version != version or time.monotonic() - index.built_at > MAX_AGE_S:
        index = _current = build(version)
    return index


def _replace_version() -> None:
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)


def changed() -> None:
    """Knowledge changed: every process rebuilds its index before its next search. Once now,
    for searches in this transaction, and once more on commit, in case another process rebuilt
    it in between from what was committed before."""
    _replace_version()
    transaction.on_commit(_replace_version)
