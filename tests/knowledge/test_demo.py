"""The Knowledge Repository's demo content (data/entries.json) and its loader."""

import re
from collections import Counter

import pytest

from cityzero.core.markdown import render_markdown
from cityzero.knowledge.demo import demo_spec, load_demo_knowledge
from cityzero.knowledge.models import Collection, Entry, EntryKind, EntryStatus, Tag
from cityzero.knowledge.selectors import Filters, search_entries
from cityzero.knowledge.taxonomy import TAGS
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

# A word in the entry's language that the entry does not contain as written, only inflected
# otherwise (a plural, a singular, a definite form…): the search finds it by its stem.
IN_THEIR_LANGUAGE = [
    ("de", "Wärmenetz", "Wärmenetze im Bestand: Wie Stadtwerke alte Quartiere anschließen"),
    ("de", "Bürgerrats", "Bürgerräte zum Klimaschutz: Leitfaden für Kommunen"),
    ("fr", "rénovations", "Rénover les copropriétés : un guide pour les collectivités"),
    ("fr", "arbre", "Des cours d'école transformées en îlots de fraîcheur"),
    ("es", "vecino", "Supermanzanas: devolver la calle a los vecinos"),
    ("es", "legumbre", "Compra pública de alimentos sostenibles: guía para ayuntamientos"),
    ("it", "condominio", "Comunità energetiche nei condomini popolari"),
    ("nl", "fietsenstalling", "Fietsparkeren bij stations: een handreiking voor gemeenten"),
    ("sv", "fjärrvärmen", "Fjärrvärme från spillvärme i en mellanstor svensk stad"),
]


@pytest.fixture
def loaded(db):
    return load_demo_knowledge(by=None)


def test_at_least_80_entries_are_published_and_marked_illustrative(loaded):
    entries = Entry.objects.all()
    assert loaded.entries == entries.count() >= 80
    assert set(entries.values_list("status", "illustrative")) == {(EntryStatus.PUBLISHED, True)}


def test_every_tag_of_the_taxonomy_is_on_at_least_two_entries(loaded):
    counts = Counter(Entry.tags.through.objects.values_list("tag__code", flat=True))
    assert {spec.code for spec in TAGS} == set(counts)
    assert min(counts.values()) >= 2


def test_every_kind_of_entry_is_there(loaded):
    assert set(Entry.objects.values_list("kind", flat=True)) == set(EntryKind.values)


def test_entries_keep_to_the_shape_the_content_was_written_for():
    for item in demo_spec()["entries"]:
        words = len(re.findall(r"\w+", item["body"]))
        assert 150 <= words <= 500, item["title"]
        assert 2 <= len(item["tags"]) <= 6, item["title"]
        assert 2019 <= item["year"] <= 2026, item["title"]
        assert all(link["url"].startswith("https://example.org/") for link in item["links"])


def test_at_least_eight_entries_are_written_in_other_languages(loaded):
    languages = Counter(Entry.objects.exclude(language="en").values_list("language", flat=True))
    assert sum(languages.values()) >= 8
    assert set(languages) == {"de", "fr", "es", "it", "nl", "sv"}


@pytest.mark.parametrize(("language", "word", "title"), IN_THEIR_LANGUAGE)
def test_an_entry_in_another_language_is_found_by_an_inflected_word(loaded, language, word, title):
    entry = Entry.objects.get(title=title)
    written = re.findall(r"[^\W_]+", f"{entry.title} {entry.summary} {entry.body}".casefold())
    assert entry.language == language and word.casefold() not in written
    found = [e.title for e in search_entries(Filters(text=word)).entries]
    assert title in found


def test_every_non_english_entry_has_a_stemming_query_in_the_test():
    others = {item["title"] for item in demo_spec()["entries"] if item["language"] != "en"}
    assert others == {title for _language, _word, title in IN_THEIR_LANGUAGE}


def test_collections_hold_their_entries_in_the_curators_order(loaded):
    for spec in demo_spec()["collections"]:
        collection = Collection.objects.get(slug=spec["slug"])
        titles = [item.entry.title for item in collection.items.select_related("entry")]
        assert (collection.title, titles) == (spec["title"], spec["entries"])
    assert list(Collection.objects.values_list("title", flat=True)) == [
        "Focus on: Financing",
        "Focus on: Social Innovation",
        "Focus on: Impact Pathways & Monitoring",
        "Quick Reads",
    ]


def test_loading_again_creates_nothing(loaded):
    counts = (Entry.objects.count(), Collection.objects.count(), Tag.objects.count())
    again = load_demo_knowledge(by=None)
    assert (again.entries, again.collections, again.kept) == (0, 0, loaded.entries)
    assert (Entry.objects.count(), Collection.objects.count(), Tag.objects.count()) == counts


def test_bodies_are_stored_as_sanitised_html(loaded):
    for entry in Entry.objects.all():
        assert entry.body_html == render_markdown(entry.body)
        assert "<h2>" in entry.body_html and "<script" not in entry.body_html


def test_entries_link_the_mission_cities_named_when_they_exist(db):
    aachen = CityFactory(name="Aachen", slug="aachen")
    load_demo_knowledge(by=None)
    assert aachen.knowledge.count() == 2
    assert all(entry.illustrative for entry in aachen.knowledge.all())
