"""Reads of the Knowledge Repository: search with facets, entry pages, collections."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cityzero.cities.models import City
from cityzero.knowledge import facets, search
from cityzero.knowledge.models import (
    Bookmark,
    Collection,
    Entry,
    EntryComment,
    EntryKind,
    EntryStatus,
    Tag,
)
from cityzero.knowledge.taxonomy import Facet

PAGE_SIZE = 20
SORTS = ("relevance", "date")


@dataclass(frozen=True)
class Filters:
    text: str = ""
    tags: tuple[str, ...] = ()  # tag codes; an entry must carry every one
    kind: str = ""
    language: str = ""
    sort: str = "relevance"  # "relevance" needs text; without text, newest first
    page: int = 1


@dataclass(frozen=True)
class FacetCount:
    tag: Tag
    count: int
    selected: bool


@dataclass
class Results:
    filters: Filters
    query: search.Query
    total: int
    entries: list[Entry]
    facets: list[tuple[Any, list[FacetCount]]] = field(default_factory=list)  # (facet, counts)
    kinds: list[tuple[str, Any, int]] = field(default_factory=list)  # (code, label, count)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def published() -> QuerySet[Entry]:
    return Entry.objects.filter(status=EntryStatus.PUBLISHED)


# --- search -------------------------------------------------------------------------------------
#
# The text index gives the matching entries and their ranks (one query); the facet index in memory
# (``facets``) filters them, counts them by tag, type and language, and orders them newest first.
# ``bench/knowledge.py`` measures it over 100,000 entries.


@dataclass(frozen=True)
class _Found:
    total: int
    ids: list[int]  # this page's
    kinds: dict[str, int]
    tags: dict[int, int]  # tag pk: entries


def _found(index: facets.FacetIndex, selected: int, page: list[int]) -> _Found:
    return _Found(
        total=selected.bit_count(),
        ids=[index.ids[n] for n in page],
        kinds=facets.counts(selected, index.kinds),
        tags=facets.counts(selected, index.tags),
    )


def _search(filters: Filters, query: search.Query, tags: list[Tag], start: int) -> _Found:
    """Published entries matching the text and the filters, by relevance or newest first."""
    required = {tag.pk for tag in tags if tag.code in filters.tags}
    if len(required) < len(set(filters.tags)):  # a tag that does not exist: nothing matches
        return _Found(0, [], {}, {})
    index = facets.current()
    stop = start + PAGE_SIZE
    narrowed = bool(required or filters.kind or filters.language)
    selected = index.narrowed(tags=required, kind=filters.kind, language=filters.language)
    if not query:
        return _found(index, selected, facets.positions(selected, start, stop))
    position = index.position
    ranks = {
        n: rank for pk, rank in search.ranked(query).items() if (n := position.get(pk)) is not None
    }
    selected &= index.bitmap(ranks)
    if filters.sort != "relevance":
        return _found(index, selected, facets.positions(selected, start, stop))
    # An exact title match first, then by rank, then newest (higher pk) first. (The candidates
    # are published: no status to filter by, which would lead SQLite away from the title index.)
    exact = set(Entry.objects.filter(title_key=query.key).values_list("pk", flat=True))
    ids = index.ids
    candidates = facets.positions(selected) if narrowed else list(ranks)
    candidates.sort(key=lambda n: (ids[n] not in exact, -ranks[n], -ids[n]))
    return _found(index, selected, candidates[start:stop])


def _page_entries(ids: list[int]) -> list[Entry]:
    by_pk = {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("facet", "position", "name"))
        )
    }
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _facets(
    tags: list[Tag], counts: dict[int, int], filters: Filters
) -> list[tuple[Any, list[FacetCount]]]:
    by_facet: dict[str, list[FacetCount]] = defaultdict(list)
    for tag in tags:
        count = counts.get(tag.pk, 0)
        selected = tag.code in filters.tags
        if count or selected:
            by_facet[tag.facet].append(FacetCount(tag, count, selected))
    return [(Facet(code).label, by_facet[code]) for code in Facet.values if by_facet.get(code)]


def _kinds(counts: dict[str, int]) -> list[tuple[str, Any, int]]:
    return [(code, label, counts[code]) for code, label in EntryKind.choices if counts.get(code)]


def search_entries(filters: Filters) -> Results:
    """One page of published entries for the filters, with live counts for every facet."""
    query = search.parse(filters.text)
    tags = list(Tag.objects.all())
    start = (max(1, filters.page) - 1) * PAGE_SIZE
    found = _search(filters, query, tags, start)
    page = _page_entries(found.ids)
    for entry in page:
        text = entry.summary if not query else _best_passage(entry, query)
        entry.snippet = search.highlight(text, query, entry.language)
    return Results(
        filters, query, found.total, page, _facets(tags, found.tags, filters), _kinds(found.kinds)
    )


def _best_passage(entry: Entry, query: search.Query) -> str:
    """The summary if it holds a query word, else the body, else the summary."""
    stems = query.stems()
    for text in (entry.summary, entry.body):
        if stems & set(search.index_words(text, entry.language)):
            return text
    return entry.summary


def tags_by_facet() -> list[tuple[Any, list[Tag]]]:
    grouped: dict[str, list[Tag]] = defaultdict(list)
    for tag in Tag.objects.all():
        grouped[tag.facet].append(tag)
    return [(Facet(code).label, grouped[code]) for code in Facet.values if grouped.get(code)]


def entries_tagged(codes: list[str] | tuple[str, ...], *, limit: int = 5) -> list[Entry]:
    """Published entries carrying any of these tags, those with the most of them first."""
    if not codes:
        return []
    return list(
        published()
        .filter(tags__code__in=codes)
        .annotate(shared=Count("tags", filter=Q(tags__code__in=codes)))
        .order_by("-shared", "-published_at", "-pk")[:limit]
    )


# --- pages: an entry, collections, bookmarks, the moderation queue ------------------------------


def entry_page(slug: str) -> Entry:
    """An entry with all its page shows, whatever its status: ask ``can(…, "knowledge.view")``."""
    return (
        Entry.objects.select_related("contributor")
        .prefetch_related(
            "tags",
            Prefetch("cities", queryset=City.objects.order_by("name")),
            "links",
            "files",
            Prefetch("comments", queryset=EntryComment.objects.select_related("author")),
            "collections",
        )
        .get(slug=slug)
    )


def popular_tags(*, limit: int = 12) -> list[Tag]:
    """The tags on most published entries (``.n``), for a search that found nothing."""
    return list(
        Tag.objects.filter(entries__status=EntryStatus.PUBLISHED)
        .annotate(n=Count("entries"))
        .order_by("-n", "name")[:limit]
    )


def collection_list() -> list[Collection]:
    """Collections holding at least one published entry, with how many (``.n``)."""
    return list(
        Collection.objects.annotate(
            n=Count("items", filter=Q(items__entry__status=EntryStatus.PUBLISHED))
        ).filter(n__gt=0)
    )


def collection_entries(collection: Collection) -> list[Entry]:
    """The collection's published entries in the curators' order, with their tags."""
    ids = collection.items.filter(entry__status=EntryStatus.PUBLISHED).values_list(
        "entry_id", flat=True
    )
    return _page_entries(list(ids))


def bookmarked_entries(user: Any) -> list[Entry]:
    """The person's bookmarks, newest first, of entries they may still read."""
    ids = (
        Bookmark.objects.filter(user=user)
        .filter(Q(entry__status=EntryStatus.PUBLISHED) | Q(entry__contributor=user))
        .values_list("entry_id", flat=True)
    )
    return _page_entries(list(ids))


def contributions(user: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(contributor=user).order_by("-created_at", "-pk")


def moderation_queue() -> QuerySet[Entry]:
    """Entries waiting for moderation, the longest waiting first."""
    return (
        Entry.objects.filter(status=EntryStatus.PENDING)
        .select_related("contributor")
        .prefetch_related("tags", "links", "files")
        .order_by("created_at", "pk")
    )
