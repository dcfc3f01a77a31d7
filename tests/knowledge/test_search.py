"""Search correctness, the same on SQLite and PostgreSQL (the suite runs on both)."""

import pytest

from cityzero.knowledge import search
from cityzero.knowledge.models import Entry, EntryStatus, Tag
from cityzero.knowledge.selectors import Filters, search_entries
from cityzero.knowledge.services import load_tags, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(db):
    load_tags()
    return {tag.code: tag for tag in Tag.objects.all()}


def entry(tags, title, summary="", body="", *, codes=("energy",), language="en", kind="guide",
          status=EntryStatus.PUBLISHED):  # fmt: skip
    made = save_entry(
        Entry(title=title, summary=summary or title, body=body, language=language, kind=kind),
        tags=[tags[c] for c in codes], by=None, publish=status == EntryStatus.PUBLISHED,
    )  # fmt: skip
    return made


def titles(text="", **filters):
    return [e.title for e in search_entries(Filters(text=text, **filters)).entries]


def test_words_are_stemmed_in_the_entrys_language(tags):
    entry(tags, "Heating networks in Nordic cities", body="District heating networks grew.")
    entry(tags, "Wärmenetze in Städten", body="Die Fernwärme wächst in vielen Städten.",
          language="de")  # fmt: skip
    assert titles("network") == ["Heating networks in Nordic cities"]
    assert titles("heated") == ["Heating networks in Nordic cities"]
    assert titles("stadt") == ["Wärmenetze in Städten"]  # German plural, umlaut folded
    assert titles("wachsen") == []  # "wächst" stems to "wachst", not "wachs"


def test_all_words_are_required_and_phrases_keep_their_order(tags):
    entry(tags, "Citizens' assembly guide", body="How to run a citizens assembly on climate.")
    entry(tags, "Assembly of heat pumps", body="Citizens install heat pumps together.")
    assert sorted(titles("citizens assembly")) == ["Assembly of heat pumps",
                                                    "Citizens' assembly guide"]  # fmt: skip
    assert titles('"citizens assembly"') == ["Citizens' assembly guide"]
    assert titles("assembly bonds") == []


def test_an_exact_title_match_comes_first_then_title_before_body(tags):
    entry(tags, "Green bonds", summary="A how-to.", body="Issue a green bond in five steps.")
    entry(tags, "Financing the transition", body="Green bonds, loans and grants compared.")
    entry(tags, "Green bonds for small cities", body="Pooling issuance.")
    assert titles("green bonds")[0] == "Green bonds"
    assert titles("green bonds")[-1] == "Financing the transition"


def test_only_published_entries_are_found(tags):
    entry(tags, "Draft about solar", status=EntryStatus.PENDING)
    entry(tags, "Solar roofs")
    assert titles("solar") == ["Solar roofs"]


def test_facets_filter_and_count(tags):
    entry(tags, "Solar roofs", codes=("energy", "renewables"), kind="case_study")
    entry(tags, "Solar car parks", codes=("energy", "mobility"))
    entry(tags, "Cycle lanes", codes=("mobility",))
    results = search_entries(Filters(text="solar"))
    counts = {fc.tag.code: fc.count for _facet, group in results.facets for fc in group}
    assert counts == {"energy": 2, "renewables": 1, "mobility": 1}
    assert titles("solar", tags=("mobility",)) == ["Solar car parks"]
    assert titles("", tags=("mobility",)) == ["Cycle lanes", "Solar car parks"]  # newest first
    assert titles("solar", kind="case_study") == ["Solar roofs"]
    assert {code: n for code, _label, n in results.kinds} == {"case_study": 1, "guide": 1}


def test_the_snippet_marks_the_matched_words_and_escapes_the_rest(tags):
    entry(tags, "Heat", summary="<script>x</script> District heating for all.")
    (found,) = search_entries(Filters(text="heating")).entries
    assert str(found.snippet) == (
        "&lt;script&gt;x&lt;/script&gt; District <mark>heating</mark> for all."
    )


def test_a_query_of_symbols_or_nothing_lists_everything_newest_first(tags):
    entry(tags, "First")
    entry(tags, "Second")
    assert titles("") == ["Second", "First"]
    assert titles("!!! ???") == ["Second", "First"]


def test_query_syntax_characters_are_harmless(tags):
    entry(tags, "Heat pumps")
    for text in ['heat"', "heat AND OR NOT", "heat*", "heat:pumps", "(heat", "heat & | !", "'"]:
        search_entries(Filters(text=text))  # no database error


def test_changing_or_deleting_an_entry_updates_the_index(tags):
    made = entry(tags, "Solar roofs")
    made.title = made.summary = "Wind turbines"
    save_entry(made, tags=[tags["energy"]], by=None)
    assert titles("solar") == [] and titles("wind") == ["Wind turbines"]
    made.delete()
    assert titles("wind") == []
    assert search.ranked(search.parse("wind")) == {}
