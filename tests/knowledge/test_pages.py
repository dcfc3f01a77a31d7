"""The Knowledge Repository's public pages: search, entries, collections (SQLite and PostgreSQL)."""

import re

import pytest
from django.urls import reverse

from cityzero.knowledge import facets
from cityzero.knowledge.models import CollectionItem, Entry, EntryStatus
from cityzero.knowledge.selectors import PAGE_SIZE
from cityzero.knowledge.services import add_comment, save_entry
from tests.knowledge.factories import make_entry, sample_repository, taxonomy

pytestmark = pytest.mark.django_db

SEARCH = "/knowledge/"


@pytest.fixture
def tags(db):
    return taxonomy()


@pytest.fixture
def repository(tags, city, make_person):
    return sample_repository(contributor=make_person("member"), city=city)


def text_of(response) -> str:
    return response.content.decode()


def result_titles(response) -> list[str]:
    return re.findall(r'<h3 class="result-title"><a href="[^"]+">([^<]+)</a>', text_of(response))


# --- search ---------------------------------------------------------------------------------------


def test_search_finds_published_entries_with_highlighted_snippets_and_tags(client, repository):
    response = client.get(SEARCH, {"q": "heat network"})
    assert response.status_code == 200
    assert result_titles(response) == ["District heating in a Nordic city"]
    page = text_of(response)
    assert "About district <mark>heating</mark> in a nordic city." in page
    assert 'href="/knowledge/?tag=district-heating">District heating and cooling</a>' in page
    assert "Case study · 2023 · Example Energy Agency" in page


def test_search_without_words_lists_every_published_entry_newest_first(client, repository):
    response = client.get(SEARCH)
    assert result_titles(response) == [
        "Issuing a green municipal bond",
        "Running a citizens&#x27; assembly on climate",
        "District heating in a Nordic city",
    ]
    assert "Solar roofs on schools" not in text_of(response)  # pending


def test_facet_checkboxes_show_live_counts_and_filter(client, repository):
    page = text_of(client.get(SEARCH, {"tag": "energy"}))
    assert re.search(r'value="energy" id="tag-energy" checked>\s*<label for="tag-energy">'
                     r'Energy systems <span class="count">\(1<', page)  # fmt: skip
    assert 'id="tag-green-finance"' not in page  # no entry left with it
    both = client.get(SEARCH, {"tag": ["finance", "green-finance"]})
    assert result_titles(both) == ["Issuing a green municipal bond"]


def test_type_language_and_sort_filter_the_results(client, repository):
    assert result_titles(client.get(SEARCH, {"type": "case_study"})) == [
        "District heating in a Nordic city"
    ]
    assert result_titles(client.get(SEARCH, {"language": "de"})) == []
    dated = client.get(SEARCH, {"q": "city", "sort": "date"})
    assert result_titles(dated)[0] == "Issuing a green municipal bond"


def test_type_options_count_entries_until_a_type_is_chosen(client, repository):
    assert '<option value="guide">Guide (2)</option>' in text_of(client.get(SEARCH))
    chosen = text_of(client.get(SEARCH, {"type": "guide"}))
    assert '<option value="guide" selected>Guide</option>' in chosen


def test_unknown_tags_are_left_out_and_said(client, repository):
    response = client.get(SEARCH, {"tag": ["energy", "no-such-tag"]})
    assert response.status_code == 200
    assert "There is no tag “no-such-tag”; it was left out." in text_of(response)
    assert result_titles(response) == ["District heating in a Nordic city"]


def test_unknown_type_and_language_are_ignored_and_said(client, repository):
    response = client.get(SEARCH, {"type": "poem", "language": "tlh"})
    assert response.status_code == 200
    assert len(result_titles(response)) == 3
    assert "There is no type “poem”" in text_of(response)
    assert "There is no language “tlh”" in text_of(response)


@pytest.mark.parametrize("page", ["x", "-3", "0", "", "1.5", "99999999999999999999"])
def test_a_page_that_is_not_a_page_number_shows_a_page(client, repository, page):
    response = client.get(SEARCH, {"page": page})
    assert response.status_code == 200
    assert len(result_titles(response)) == 3


def test_a_very_long_search_is_cut_to_500_characters(client, repository):
    response = client.get(SEARCH, {"q": "heat " * 300})
    assert response.status_code == 200
    assert "Only the first 500 characters of your search were used." in text_of(response)
    assert 'maxlength="500"' in text_of(response)


def test_script_in_a_search_or_a_summary_is_escaped(client, tags):
    make_entry("Heat", summary="<script>alert(1)</script> District heating for all.")
    page = text_of(client.get(SEARCH, {"q": "heating"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; District <mark>heating</mark>" in page
    empty = text_of(client.get(SEARCH, {"q": '"><script>alert(2)</script>'}))
    assert "<script>alert(2)" not in empty
    assert 'value="&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"' in empty


def test_pagination_keeps_the_search_and_clamps_to_the_last_page(client, tags):
    for n in range(PAGE_SIZE + 3):
        make_entry(f"Heat pump guide {n}", ("energy", "buildings"))
    first = text_of(client.get(SEARCH, {"q": "heat", "tag": "energy"}))
    assert "Page 1 of 2" in first
    assert 'href="?q=heat&amp;tag=energy&amp;page=2"' in first
    beyond = client.get(SEARCH, {"q": "heat", "tag": "energy", "page": "7"})
    assert len(result_titles(beyond)) == 3 and "Page 2 of 2" in text_of(beyond)


def test_empty_results_say_what_was_searched_and_link_to_each_filter_removed(client, repository):
    response = client.get(SEARCH, {"q": "geothermal", "tag": ["energy", "phase-act"],
                                   "type": "tool", "language": "en"})  # fmt: skip
    page = text_of(response)
    assert response.status_code == 200 and result_titles(response) == []
    assert "No published entry matches all of:" in page
    links = dict(re.findall(r"<li>(.+?) — <a href=\"([^\"]+)\">search without it</a></li>", page))
    assert links == {
        "the words “geothermal”": "/knowledge/?tag=energy&amp;tag=phase-act&amp;type=tool&amp;language=en",
        "the tag “Energy systems”": "/knowledge/?q=geothermal&amp;tag=phase-act&amp;type=tool&amp;language=en",
        "the tag “4 Act”": "/knowledge/?q=geothermal&amp;tag=energy&amp;type=tool&amp;language=en",
        "the type “Tool”": "/knowledge/?q=geothermal&amp;tag=energy&amp;tag=phase-act&amp;language=en",
        "the language “English”": "/knowledge/?q=geothermal&amp;tag=energy&amp;tag=phase-act&amp;type=tool",
    }  # fmt: skip


def test_empty_results_suggest_popular_tags_and_collections(client, repository):
    page = text_of(client.get(SEARCH, {"q": "geothermal"}))
    assert "Popular tags" in page
    assert 'href="/knowledge/?tag=energy">Energy systems</a> <span class="muted">(1)' in page
    assert 'href="/knowledge/collections/focus-on-financing/">Focus on: Financing</a>' in page


def test_the_search_page_lists_the_collections(client, repository):
    page = text_of(client.get(SEARCH))
    assert re.search(r"Focus on: Financing</a> <span class=\"muted\">\(2 entries\)", page)


def test_htmx_gets_the_results_and_the_facets_out_of_band(client, repository):
    response = client.get(SEARCH, {"q": "heating"}, headers={"HX-Request": "true"})
    page = text_of(response)
    assert "<html" not in page
    assert result_titles(response) == ["District heating in a Nordic city"]
    assert '<div id="knowledge-facets" hx-swap-oob="innerHTML">' in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restore_gets_the_whole_page(client, repository):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in text_of(client.get(SEARCH, headers=headers))


def test_the_search_form_works_without_javascript(client, repository):
    page = text_of(client.get(SEARCH))
    form = re.search(r'<form id="knowledge-search" method="get" action="/knowledge/"', page)
    assert form and re.search(r'<button type="submit">Search</button>', page)


def test_the_search_page_is_cached_for_visitors_until_an_entry_changes(client, repository):
    assert "Geothermal" not in text_of(client.get(SEARCH))
    Entry.objects.filter(pk=repository["bonds"].pk).update(title="Geothermal")  # no signal
    assert "Geothermal" not in text_of(client.get(SEARCH))  # from the cache
    entry = repository["assembly"]
    entry.title = "Geothermal wells"
    save_entry(entry, tags=list(entry.tags.all()), by=None)
    assert "Geothermal wells" in text_of(client.get(SEARCH))


@pytest.mark.parametrize("n", [1, 10])
def test_the_search_page_runs_the_same_queries_for_1_or_10_results(
    client, tags, n, django_assert_num_queries
):
    for i in range(n):
        make_entry(f"Heat network {i}", ("energy", "district-heating", "phase-act"), year=2020)
    facets.current()  # built once per change, not per search
    with django_assert_num_queries(7):
        response = client.get(SEARCH, {"q": "heat", "tag": "energy"})
    assert len(result_titles(response)) == n


# --- an entry -------------------------------------------------------------------------------------


def test_the_entry_page_shows_everything_about_the_entry(client, repository, city):
    response = client.get(reverse("knowledge:entry", args=[repository["heating"].slug]))
    page = text_of(response)
    assert response.status_code == 200
    assert "<h2>What they did</h2>" in page and "<strong>40,000 homes</strong>" in page
    assert f'<a href="/cities/{city.slug}/">{city.name}</a>' in page
    assert '<a href="/knowledge/?tag=district-heating"' in page
    assert '<a href="https://example.org/heat" rel="noopener nofollow">The full report</a>' in page
    file = repository["heating"].files.get()
    assert (
        f'href="/knowledge/{repository["heating"].slug}/files/{file.pk}/" download>heat_network.pdf'
        in page
    )
    assert "CC BY 4.0" in page and "Example Energy Agency" in page
    assert '<a href="/knowledge/collections/focus-on-financing/">Focus on: Financing</a>' in page
    assert "Sign in to comment" in page
    assert "csrfmiddlewaretoken" not in page  # cached for visitors: no per-person token


def test_a_missing_entry_is_not_found(client, tags):
    assert client.get("/knowledge/no-such-entry/").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("member", 404), ("editor", 404), ("contributor", 200), ("staff", 200)],
)
@pytest.mark.parametrize("state", [EntryStatus.PENDING, EntryStatus.CHANGES_REQUESTED,
                                   EntryStatus.REJECTED])  # fmt: skip
def test_an_unpublished_entry_is_seen_only_by_its_contributor_and_staff(
    client, tags, make_person, who, status, state, settings_without_mfa
):
    contributor = make_person("member")
    entry = make_entry("Draft", contributor=contributor, status=state)
    person = contributor if who == "contributor" else make_person(who)
    if person is not None:
        client.force_login(person)
    assert client.get(reverse("knowledge:entry", args=[entry.slug])).status_code == status


def test_the_contributor_reads_the_status_and_the_moderators_note(client, tags, make_person):
    contributor = make_person("member")
    entry = make_entry("Draft", contributor=contributor, status=EntryStatus.CHANGES_REQUESTED)
    client.force_login(contributor)
    page = text_of(client.get(reverse("knowledge:entry", args=[entry.slug])))
    assert "Changes requested." in page and "Please name the source." in page
    assert f'href="/knowledge/{entry.slug}/edit/"' in page


def test_script_in_the_body_is_removed_and_in_the_title_escaped(client, tags):
    entry = make_entry("<script>alert('t')</script>Heat",
                       body="Hello <script>alert('b')</script><img src=x onerror=alert(1)> "
                            "[x](javascript:alert(2))")  # fmt: skip
    page = text_of(client.get(reverse("knowledge:entry", args=[entry.slug])))
    assert "<script>alert" not in page and "onerror" not in page and "javascript:" not in page
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;Heat" in page


@pytest.mark.parametrize("n", [1, 5])
def test_the_entry_page_runs_the_same_queries_for_1_or_5_tags_and_comments(
    client, tags, make_person, city, other_city, n, django_assert_num_queries
):
    codes = ("energy", "buildings", "mobility", "waste", "green")[:n]
    entry = make_entry("Heat", codes, cities=[city, other_city][: min(n, 2)],
                       links=[(f"https://example.org/{i}", "") for i in range(n)])  # fmt: skip
    for i in range(n):
        add_comment(entry, body=f"Comment {i}", by=make_person("member"))
    with django_assert_num_queries(7):
        response = client.get(reverse("knowledge:entry", args=[entry.slug]))
    assert text_of(response).count('<li id="comment-') == n


def test_the_entry_page_is_cached_for_visitors_until_someone_comments(
    client, repository, make_person
):
    url = reverse("knowledge:entry", args=[repository["assembly"].slug])
    assert "No comments yet." in text_of(client.get(url))
    add_comment(repository["assembly"], body="Very useful.", by=make_person("member"))
    assert "Very useful." in text_of(client.get(url))


# --- collections ----------------------------------------------------------------------------------


def test_a_collection_lists_its_published_entries_in_order(client, repository):
    CollectionItem.objects.create(collection=repository["collection"], entry=repository["pending"],
                                  position=0)  # fmt: skip
    response = client.get(reverse("knowledge:collection", args=["focus-on-financing"]))
    assert response.status_code == 200
    assert result_titles(response) == ["Issuing a green municipal bond",
                                       "District heating in a Nordic city"]  # fmt: skip
    assert "How cities pay for the transition." in text_of(response)


def test_an_unknown_collection_is_not_found(client, tags):
    assert client.get(reverse("knowledge:collection", args=["nothing"])).status_code == 404


def test_the_main_navigation_links_the_knowledge_repository(client, tags):
    page = text_of(client.get(SEARCH))
    assert '<a href="/knowledge/" aria-current="page">Knowledge</a>' in page
