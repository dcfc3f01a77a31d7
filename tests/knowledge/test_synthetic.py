"""Synthetic entries for scale tests: the generator and `cityzero generate_knowledge`."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cityzero.core.markdown import render_markdown
from cityzero.knowledge import search
from cityzero.knowledge.models import Entry, EntryKind, EntryStatus, Language
from cityzero.knowledge.selectors import Filters, search_entries
from cityzero.knowledge.synthetic import synthetic_entries
from cityzero.knowledge.taxonomy import BY_CODE


def test_the_same_seed_makes_the_same_entries():
    assert list(synthetic_entries(30, seed=7)) == list(synthetic_entries(30, seed=7))


def test_another_seed_makes_other_entries():
    first = [item["title"] + item["body"] for item in synthetic_entries(30, seed=7)]
    other = [item["title"] + item["body"] for item in synthetic_entries(30, seed=8)]
    assert not set(first) & set(other)


def test_a_stream_started_later_continues_the_same_entries():
    assert list(synthetic_entries(5, seed=7, start=10)) == list(synthetic_entries(15, seed=7))[10:]


def test_entries_are_valid_entries():
    for item in synthetic_entries(300, seed=1):
        assert item["title"] and len(item["title"]) <= 200
        assert item["summary"] and len(item["summary"]) <= 1000
        assert item["kind"] in EntryKind.values and item["language"] in Language.values
        assert 2019 <= item["year"] == item["published_at"].year <= 2026
        assert 2 <= len(item["tags"]) <= 6 and all(code in BY_CODE for code in item["tags"])


def test_the_html_made_with_the_body_is_what_render_markdown_makes_of_it():
    for item in synthetic_entries(200, seed=2):
        assert item["body_html"] == render_markdown(item["body"])


def test_kinds_languages_and_tags_are_spread():
    items = list(synthetic_entries(3000, seed=3))
    languages = Counter(item["language"] for item in items)
    assert set(Counter(item["kind"] for item in items)) == set(EntryKind.values)
    assert set(languages) == {"en", "de", "fr", "es", "it", "nl", "sv"}
    assert 0.7 < languages["en"] / len(items) < 0.9
    assert set(BY_CODE) == {code for item in items for code in item["tags"]}


@pytest.mark.django_db
def test_the_command_adds_published_illustrative_searchable_entries():
    call_command("generate_knowledge", "300", "--seed", "5", stdout=StringIO())
    entries = Entry.objects.all()
    assert entries.count() == 300
    assert set(entries.values_list("status", "illustrative", "organisation")) == {
        (EntryStatus.PUBLISHED, True, "Synthetic")
    }
    assert Entry.tags.through.objects.count() == sum(
        len(item["tags"]) for item in synthetic_entries(300, seed=5)
    )
    first = entries.get(slug="synthetic-5-0")
    assert first.title_key == search.title_key(first.title)
    results = search_entries(Filters(text=first.title))
    assert results.entries[0] == first  # the exact title comes first


@pytest.mark.django_db
def test_two_word_topic_queries_find_a_small_share_of_the_entries():
    call_command("generate_knowledge", "1500", "--seed", "11", stdout=StringIO())
    for text in ("district heating", "heat pumps", "green bonds", "citizens assembly"):
        share = search_entries(Filters(text=text)).total / 1500
        assert 0.001 <= share <= 0.08, (text, share)


@pytest.mark.django_db
def test_running_the_command_again_continues_the_stream():
    call_command("generate_knowledge", "10", "--seed", "4", stdout=StringIO())
    call_command("generate_knowledge", "10", "--seed", "4", stdout=StringIO())
    titles = list(Entry.objects.order_by("pk").values_list("title", flat=True))
    assert titles == [item["title"] for item in synthetic_entries(20, seed=4)]


@pytest.mark.django_db
def test_the_command_refuses_a_count_below_one():
    with pytest.raises(CommandError, match="positive number"):
        call_command("generate_knowledge", "0")
