"""Content that is not a user's: the illustrative demo entries and collections, and synthetic
entries for scale tests.

The demo entries (``data/entries.json``) are written for this project and marked illustrative;
they go through ``services.save_entry`` like a curator's. Synthetic entries are many and go in
bulk, keeping ``save_entry``'s invariants by hand (see ``load_synthetic_entries``).
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from cityzero.cities.models import City
from cityzero.core.cache import bump_public_data_version
from cityzero.knowledge import facets, search, services
from cityzero.knowledge.models import (
    Collection,
    CollectionItem,
    Entry,
    EntryStatus,
    Tag,
)
from cityzero.knowledge.synthetic import SLUG_PREFIX, synthetic_entries

DEMO_FILE = Path(__file__).resolve().parent / "data" / "entries.json"
SYNTHETIC_BATCH = 2_000


@dataclass(frozen=True)
class DemoTally:
    entries: int  # created by this run
    collections: int  # created by this run
    kept: int  # entries that were there already
    collections_kept: int


def demo_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return spec


@transaction.atomic
def load_demo_knowledge(*, by=None) -> DemoTally:
    """The demo entries and collections that are missing (an entry is known by its title)."""
    services.load_tags()
    spec = demo_spec()
    tags = {tag.code: tag for tag in Tag.objects.all()}
    known = set(Entry.objects.values_list("title", flat=True))
    created = 0
    for item in spec["entries"]:
        if item["title"] in known:
            continue
        entry = Entry(
            title=item["title"], summary=item["summary"], body=item["body"], kind=item["kind"],
            language=item["language"], year=item["year"], organisation=item["organisation"],
            licence=item["licence"], illustrative=True,
        )  # fmt: skip
        services.save_entry(
            entry,
            tags=[tags[code] for code in item["tags"]],
            cities=City.objects.filter(slug__in=item.get("cities", [])),
            links=[(link["url"], link["label"]) for link in item.get("links", [])],
            by=by,
            publish=True,
        )
        created += 1
    collections = 0
    by_title = dict(Entry.objects.filter(illustrative=True).values_list("title", "pk"))
    for position, item in enumerate(spec["collections"]):
        collection, made = Collection.objects.get_or_create(
            slug=item["slug"],
            defaults={"title": item["title"], "description": item["description"],
                      "position": position},
        )  # fmt: skip
        if not made:
            continue  # staff may have curated it since: leave it as it is
        collections += 1
        CollectionItem.objects.bulk_create(
            CollectionItem(collection=collection, entry_id=by_title[title], position=n)
            for n, title in enumerate(t for t in item["entries"] if t in by_title)
        )
    return DemoTally(
        entries=created,
        collections=collections,
        kept=len(spec["entries"]) - created,
        collections_kept=len(spec["collections"]) - collections,
    )


def load_synthetic_entries(count: int, *, seed: int = 0, batch_size: int = SYNTHETIC_BATCH) -> int:
    """Add ``count`` published synthetic entries in bulk; the stream continues where an earlier
    run with the same seed stopped. How many were added.

    What ``save_entry`` does one entry at a time is done here a batch at a time: the title key,
    a unique slug, sanitised HTML (the generator's, equal to ``render_markdown``'s), published
    status and date, tags, and the search index.
    """
    services.load_tags()
    tag_ids = dict(Tag.objects.values_list("code", "pk"))
    start = Entry.objects.filter(slug__startswith=f"{SLUG_PREFIX}-{seed}-").count()
    through = Entry.tags.through
    made = 0
    stream = synthetic_entries(count, seed=seed, start=start)
    while made < count:
        fields = [next(stream) for _ in range(min(batch_size, count - made))]
        with transaction.atomic():
            entries = Entry.objects.bulk_create(
                Entry(
                    **{key: value for key, value in item.items() if key != "tags"},
                    title_key=search.title_key(item["title"]),
                    status=EntryStatus.PUBLISHED,
                    illustrative=True,
                )
                for item in fields
            )
            through.objects.bulk_create(
                through(entry_id=entry.pk, tag_id=tag_ids[code])
                for entry, item in zip(entries, fields, strict=True)
                for code in item["tags"]
            )
            search.index(entries)
        made += len(entries)
    bump_public_data_version()  # bulk_create sends no signals: cached pages must go,
    facets.changed()  # and the facet index
    return made
