import pytest

from cityzero.knowledge.models import Entry, EntryStatus, Tag
from cityzero.knowledge.services import load_tags, save_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(db):
    load_tags()
    return {tag.code: tag for tag in Tag.objects.all()}


def entry(tags, title, codes=("energy",), *, published=True, **fields):
    made = Entry(title=title, summary=f"About {title}.", kind="guide", language="en", **fields)
    return save_entry(made, tags=[tags[c] for c in codes], by=None, publish=published,
                      links=[("https://example.org/x", "More")])  # fmt: skip


def test_search_returns_a_page_with_tag_counts(client, tags):
    entry(tags, "District heating in Aarhus", ("energy", "district-heating"), year=2023)
    entry(tags, "Heating with heat pumps", ("buildings",))
    entry(tags, "Pending heating", published=False)
    data = client.get("/api/v1/knowledge", {"q": "heating"}).json()
    assert data["total"] == 2 and data["page"] == 1 and data["pages"] == 1
    assert {r["title"] for r in data["results"]} == {"District heating in Aarhus",
                                                       "Heating with heat pumps"}  # fmt: skip
    assert {t["code"]: t["count"] for t in data["tags"]} == {
        "energy": 1, "district-heating": 1, "buildings": 1,
    }  # fmt: skip
    first = next(r for r in data["results"] if r["year"] == 2023)
    assert first["tags"] == ["energy", "district-heating"]
    assert first["url"] == "/knowledge/district-heating-in-aarhus/"


def test_search_filters_by_several_tags(client, tags):
    entry(tags, "Heat networks", ("energy", "district-heating"))
    entry(tags, "Solar", ("energy",))
    url = "/api/v1/knowledge?tag=energy&tag=district-heating"
    assert [r["title"] for r in client.get(url).json()["results"]] == ["Heat networks"]


@pytest.mark.parametrize(
    "params",
    [{"kind": "novel"}, {"language": "klingon"}, {"sort": "random"}, {"page": "0"},
     {"page": "x"}, {"q": "x" * 501}],
)  # fmt: skip
def test_bad_search_parameters_are_refused(client, params):
    assert client.get("/api/v1/knowledge", params).status_code == 422


def test_an_entry_in_full(client, tags):
    made = entry(tags, "Green bonds", body="# How\n\n<script>x</script>Issue one.")
    data = client.get(f"/api/v1/knowledge/{made.slug}").json()
    assert data["body"].startswith("# How")
    assert "<script>" not in data["body_html"]
    assert data["links"] == [{"url": "https://example.org/x", "label": "More"}]
    assert data["published_at"] is not None


def test_an_unpublished_entry_is_not_found_except_by_its_contributor(client, tags, make_person):
    member = make_person("member")
    made = entry(tags, "Draft", published=False)
    Entry.objects.filter(pk=made.pk).update(contributor=member)
    assert made.status == EntryStatus.PENDING
    assert client.get(f"/api/v1/knowledge/{made.slug}").status_code == 404
    client.force_login(member)
    assert client.get(f"/api/v1/knowledge/{made.slug}").status_code == 200
    assert client.get("/api/v1/knowledge/no-such-entry").status_code == 404
