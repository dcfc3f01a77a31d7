from typing import Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from cityzero.accounts.permissions import can
from cityzero.knowledge import selectors
from cityzero.knowledge.models import Entry, EntryKind, Language

router = Router(tags=["knowledge"])


class SearchParams(Schema):
    q: str = Field("", max_length=500, description='Words; "quoted words" as a phrase')
    tag: list[str] = Field([], max_length=12, description="Tag codes; an entry carries them all")
    kind: Literal[("", *tuple(EntryKind.values))] = ""  # type: ignore[valid-type]
    language: Literal[("", *tuple(Language.values))] = ""  # type: ignore[valid-type]
    sort: Literal["relevance", "date"] = "relevance"
    page: int = Field(1, ge=1, le=10_000)


class EntrySummaryOut(Schema):
    slug: str
    title: str
    summary: str
    kind: str
    language: str
    year: int | None
    organisation: str
    tags: list[str]
    url: str


class TagCountOut(Schema):
    code: str
    name: str
    facet: str
    count: int


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    results: list[EntrySummaryOut]
    tags: list[TagCountOut]


class LinkOut(Schema):
    url: str
    label: str


class EntryOut(EntrySummaryOut):
    body: str
    body_html: str
    licence: str
    cities: list[str]
    links: list[LinkOut]
    published_at: str | None


def _summary(entry: Entry) -> dict:
    return {
        "slug": entry.slug, "title": entry.title, "summary": entry.summary, "kind": entry.kind,
        "language": entry.language, "year": entry.year, "organisation": entry.organisation,
        "tags": [tag.code for tag in entry.tags.all()],
        "url": reverse("knowledge:entry", args=[entry.slug]),
    }  # fmt: skip


@router.get("/knowledge", response=SearchOut, summary="Search the Knowledge Repository")
def search(request: HttpRequest, params: Query[SearchParams]):
    filters = selectors.Filters(
        text=params.q, tags=tuple(dict.fromkeys(params.tag)), kind=params.kind,
        language=params.language, sort=params.sort, page=params.page,
    )  # fmt: skip
    results = selectors.search_entries(filters)
    return {
        "total": results.total,
        "page": params.page,
        "pages": results.pages,
        "results": [_summary(entry) for entry in results.entries],
        "tags": [
            {"code": fc.tag.code, "name": fc.tag.name, "facet": fc.tag.facet, "count": fc.count}
            for _facet, counts in results.facets
            for fc in counts
        ],
    }


@router.get("/knowledge/{slug}", response=EntryOut, summary="One knowledge entry")
def entry(request: HttpRequest, slug: str):
    found = Entry.objects.filter(slug=slug).prefetch_related("tags", "links", "cities").first()
    if found is None or not can(request.user, "knowledge.view", found):
        raise Http404("There is no such published entry.")
    return {
        **_summary(found),
        "body": found.body,
        "body_html": found.body_html,
        "licence": found.licence,
        "cities": [city.slug for city in found.cities.all()],
        "links": [{"url": link.url, "label": link.label} for link in found.links.all()],
        "published_at": found.published_at.isoformat() if found.published_at else None,
    }
