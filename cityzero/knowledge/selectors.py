"""Reads of the Knowledge Repository: search with facets, entry pages, collections."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from cityzero.knowledge import search
from cityzero.knowledge.models import Entry, EntryKind, EntryStatus, Tag
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


def _filtered(filters: Filters, query: search.Query) -> QuerySet[Entry]:
    entries = published()
    if query:
        entries = entries.filter(pk__in=search.matching(query))
    for code in filters.tags:
        entries = entries.filter(tags__code=code)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.language:
        entries = entries.filter(language=filters.language)
    return entries


def _ordered_ids(filters: Filters, query: search.Query, entries: QuerySet[Entry]) -> list[int]:
    if query and filters.sort == "relevance":
        ranks = search.ranked(query)
        found = entries.values_list("pk", "title_key")
        exact = query.key
        # An exact title match first, then by rank, then newest (higher pk) first.
        return [pk for pk, key in sorted(found, key=lambda r: (r[1] != exact, -ranks[r[0]], -r[0]))]
    return list(entries.order_by("-published_at", "-pk").values_list("pk", flat=True))


def _page_entries(ids: list[int]) -> list[Entry]:
    by_pk = {
        entry.pk: entry
        for entry in Entry.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("facet", "position", "name"))
        )
    }
    return [by_pk[pk] for pk in ids if pk in by_pk]


def _facets(entries: QuerySet[Entry], filters: Filters) -> list[tuple[Any, list[FacetCount]]]:
    counts = dict(
        Tag.objects.filter(entries__in=entries.values("pk"))
        .values_list("pk")
        .annotate(n=Count("entries"))
        .order_by()
    )
    by_facet: dict[str, list[FacetCount]] = defaultdict(list)
    for tag in Tag.objects.all():
        count = counts.get(tag.pk, 0)
        selected = tag.code in filters.tags
        if count or selected:
            by_facet[tag.facet].append(FacetCount(tag, count, selected))
    return [(Facet(code).label, by_facet[code]) for code in Facet.values if by_facet.get(code)]


def _kinds(entries: QuerySet[Entry]) -> list[tuple[str, Any, int]]:
    counts = dict(entries.values_list("kind").annotate(n=Count("pk")).order_by())
    return [(code, label, counts[code]) for code, label in EntryKind.choices if code in counts]


def search_entries(filters: Filters) -> Results:
    """One page of published entries for the filters, with live counts for every facet."""
    query = search.parse(filters.text)
    entries = _filtered(filters, query)
    ids = _ordered_ids(filters, query, entries)
    start = (max(1, filters.page) - 1) * PAGE_SIZE
    page = _page_entries(ids[start : start + PAGE_SIZE])
    for entry in page:
        text = entry.summary if not query else _best_passage(entry, query)
        entry.snippet = search.highlight(text, query, entry.language)
    return Results(filters, query, len(ids), page, _facets(entries, filters), _kinds(entries))


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
