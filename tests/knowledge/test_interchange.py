"""Curators' CSV/JSON import and export: round trip, every error by row and column, all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cityzero.knowledge import interchange
from cityzero.knowledge.models import Entry, Tag
from cityzero.knowledge.selectors import published
from cityzero.knowledge.services import load_tags, save_entry

pytestmark = pytest.mark.django_db

HEADER = "slug,title,summary,body,kind,language,year,organisation,licence,tags,cities,links\n"


@pytest.fixture
def tags(db):
    load_tags()
    return {tag.code: tag for tag in Tag.objects.all()}


def entry(tags, title, **fields):
    made = Entry(title=title, summary=f"About {title}.", kind="guide", language="en", **fields)
    return save_entry(made, tags=[tags["energy"], tags["district-heating"]], by=None,
                      publish=True, links=[("https://example.org/a", "Report")])  # fmt: skip


@pytest.mark.parametrize("name", ["entries.csv", "entries.json"])
def test_export_then_import_gives_back_the_same_entries(tags, city, name):
    made = entry(tags, "=SUM(A1) heat networks", body="# Heat\n\nText; with | bars.", year=2024)
    made.cities.set([city])
    write = interchange.write_json if name.endswith(".json") else interchange.write_csv
    data = write(published())
    before = interchange._record(Entry.objects.get())
    Entry.objects.all().delete()
    checked = interchange.read(name, data)
    assert checked.errors == []
    assert interchange.import_entries(checked.rows, by=None) == (1, 0)
    assert interchange._record(Entry.objects.get()) == before


def test_csv_export_neutralises_formulas(tags):
    entry(tags, "=HYPERLINK(evil)")
    assert b"'=HYPERLINK(evil)" in interchange.write_csv(published())


def test_a_row_with_an_existing_slug_updates_that_entry(tags):
    made = entry(tags, "Old title")
    data = HEADER + f"{made.slug},New title,New summary,,report,en,,,,energy,,\n"
    checked = interchange.read("x.csv", data.encode())
    assert interchange.import_entries(checked.rows, by=None) == (0, 1)
    made.refresh_from_db()
    assert (made.title, made.kind, made.version) == ("New title", "report", 2)


def test_every_problem_is_named_by_row_and_column_and_nothing_is_saved(tags):
    rows = [
        ",Fine,Summary,,guide,en,2020,,,energy,,",
        ",,,,novel,xx1,1890,,,unknown-tag,atlantis,notaurl|x",
        "bad slug!,T,S,,guide,en,,,,energy,,",
    ]
    checked = interchange.read("x.csv", (HEADER + "\n".join(rows) + "\n").encode())
    assert checked.errors == [
        "Row 3, title: required",
        "Row 3, summary: required",
        "Row 3, kind: not one of: case_study, guide, tool, report, dataset, training, funding, "
        "event",
        "Row 3, language: not a language code of the repository",
        "Row 3, year: not a year between 1990 and 2100",
        "Row 3, tags: unknown tags: unknown-tag",
        "Row 3, cities: unknown cities: atlantis",
        "Row 3, links: an address is not a web address (http or https)",
        "Row 4, slug: letters, digits, hyphens and underscores only",
    ]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.txt", b"a", "Import a .csv or a .json file."),
        ("x.csv", b"\xff\xfe\x00", "The file is not UTF-8 text."),
        ("x.csv", b"title,summary\nA,B\n", "Columns missing: kind, tags."),
        ("x.json", b"{not json", "The JSON is malformed (line 1)."),
        ("x.json", b'{"title": "x"}', "The JSON must be a list of entries (objects)."),
        ("x.json", b"[]", "The file holds no entries."),
        ("x.csv", HEADER.encode() + b",A,B,,guide,en,,,,energy,,\n" * 2
         + b"dup,A,B,,guide,en,,,,energy,,\ndup,A,B,,guide,en,,,,energy,,\n",
         "These slugs appear more than once: dup."),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_with_the_reason(tags, name, data, message):
    assert message in interchange.read(name, data).errors


def test_a_huge_file_or_too_many_rows_is_refused(tags, monkeypatch):
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 100)
    assert interchange.read("x.csv", b"x" * 101).errors == ["The file is larger than 10 MB."]
    monkeypatch.setattr(interchange, "MAX_FILE_BYTES", 10**7)
    monkeypatch.setattr(interchange, "MAX_ROWS", 2)
    data = json.dumps([{"title": "t"}] * 3).encode()
    assert interchange.read("x.json", data).errors == ["At most 2 entries per file."]


def test_unknown_json_keys_are_named(tags):
    data = json.dumps([{"title": "T", "summary": "S", "kind": "guide", "tags": ["energy"],
                        "author": "x"}]).encode()  # fmt: skip
    assert interchange.read("x.json", data).errors == ["Row 1, —: unknown columns: author"]


def test_the_command_exports_and_imports(tags, tmp_path):
    entry(tags, "Solar roofs")
    path = tmp_path / "out.json"
    out = io.StringIO()
    call_command("knowledge", "export", str(path), stdout=out)
    assert out.getvalue() == f"Exported 1 entries to {path}.\n"
    Entry.objects.all().delete()
    call_command("knowledge", "import", str(path), stdout=out)
    assert Entry.objects.get().title == "Solar roofs"
    path.write_text("[]")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("knowledge", "import", str(path), stdout=out)
