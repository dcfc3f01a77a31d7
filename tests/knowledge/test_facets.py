"""The search's facet index: bitmaps read back exactly, and rebuilt whenever knowledge changes."""

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from cityzero.knowledge import facets
from cityzero.knowledge.models import Entry, EntryStatus
from cityzero.knowledge.selectors import Filters, search_entries
from cityzero.knowledge.services import moderate
from tests.knowledge.factories import make_entry, taxonomy


@given(
    st.sets(st.integers(min_value=0, max_value=3000)),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_positions_reads_back_the_bitmaps_positions_in_order(found, start, length):
    bitmap = facets._bitmap(found, 3001)
    assert facets.positions(bitmap) == sorted(found)
    assert facets.positions(bitmap, start, start + length) == sorted(found)[start : start + length]
    assert bitmap.bit_count() == len(found)


def test_counts_leave_out_what_holds_none_of_the_selection():
    selected = 0b1011
    assert facets.counts(selected, {"a": 0b0011, "b": 0b0100, "c": 0b1111}) == {"a": 2, "c": 3}


@pytest.fixture
def tags(db):
    return taxonomy()


def energy_count() -> int:
    results = search_entries(Filters())
    return next(
        (c.count for _facet, counted in results.facets for c in counted if c.tag.code == "energy"),
        0,
    )


@pytest.mark.django_db
def test_the_index_holds_published_entries_newest_first_with_their_tags(tags):
    older = make_entry("Older heat plan", ("energy",))
    newer = make_entry("Newer heat plan", ("energy", "finance"))
    make_entry("A draft", ("energy",), status=EntryStatus.PENDING)
    index = facets.current()
    assert index.ids == (newer.pk, older.pk)
    assert index.tags[tags["energy"].pk] == 0b11
    assert index.tags[tags["finance"].pk] == 0b01
    assert index.kinds == {"guide": 0b11}


@pytest.mark.django_db
def test_a_search_after_a_change_counts_the_change(tags):
    make_entry("Heat plan", ("energy",))
    assert energy_count() == 1
    pending = make_entry("Heat pumps", ("energy",), status=EntryStatus.PENDING)
    assert energy_count() == 1
    moderate(pending, "approve", by=None)
    assert energy_count() == 2
    pending.tags.remove(tags["energy"])  # a tag taken off (the admin does this)
    assert energy_count() == 1
    Entry.objects.get(pk=pending.pk).delete()
    assert search_entries(Filters()).total == 1


@pytest.mark.django_db
def test_a_cleared_cache_never_brings_back_an_index_built_before(tags):
    make_entry("Heat plan", ("energy",))
    assert facets.current().ids
    cache.clear()
    Entry.objects.all().update(status=EntryStatus.REJECTED)  # no signal: only the token tells
    assert facets.current().ids == ()
