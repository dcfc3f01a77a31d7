"""Knowledge entries in and out as CSV or JSON, for curators.

One row (or JSON object) per entry; ``tags`` and ``cities`` are codes and slugs separated by
``;``, ``links`` are ``address|label`` pairs separated by ``;`` (lists in JSON). A file is checked
whole before anything is saved, and every problem comes back with its row and column.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from cityzero.cities.models import City
from cityzero.inventories.interchange import neutralise, unescape
from cityzero.knowledge.models import MAX_BODY, Entry, EntryKind, Language, Tag
from cityzero.knowledge.services import MAX_LINKS, MAX_TAGS, save_entry

COLUMNS = ("slug", "title", "summary", "body", "kind", "language", "year", "organisation",
           "licence", "tags", "cities", "links")  # fmt: skip
REQUIRED = ("title", "summary", "kind", "tags")
LISTS = ("tags", "cities", "links")
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
LIMITS = {"slug": 220, "title": 200, "summary": 1000, "body": MAX_BODY, "organisation": 200,
          "licence": 100}  # fmt: skip


@dataclass
class Checked:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# --- writing ------------------------------------------------------------------------------------


def _record(entry: Entry) -> dict[str, Any]:
    return {
        "slug": entry.slug, "title": entry.title, "summary": entry.summary, "body": entry.body,
        "kind": entry.kind, "language": entry.language, "year": entry.year,
        "organisation": entry.organisation, "licence": entry.licence,
        "tags": [tag.code for tag in entry.tags.all()],
        "cities": [city.slug for city in entry.cities.all()],
        "links": [{"url": link.url, "label": link.label} for link in entry.links.all()],
    }  # fmt: skip


def _entries(entries):
    return entries.prefetch_related("tags", "cities", "links").order_by("pk")


def write_json(entries) -> bytes:
    records = [_record(entry) for entry in _entries(entries)]
    return json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8")


def write_csv(entries) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in _entries(entries):
        record = _record(entry)
        record["tags"] = ";".join(record["tags"])
        record["cities"] = ";".join(record["cities"])
        record["links"] = ";".join(f"{link['url']}|{link['label']}" for link in record["links"])
        writer.writerow([neutralise("" if record[c] is None else str(record[c])) for c in COLUMNS])
    return out.getvalue().encode("utf-8")


# --- reading ------------------------------------------------------------------------------------


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _links(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, list):
        items = [(str(v.get("url", "")), str(v.get("label", ""))) if isinstance(v, dict)
                 else (str(v), "") for v in value]  # fmt: skip
    else:
        items = [tuple([*part.split("|", 1), ""][:2]) for part in _split(value)]
    return [(url.strip(), label.strip()) for url, label in items]


def _records(name: str, data: bytes) -> list[dict[str, Any]]:
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text.")) from None
    if name.lower().endswith(".json"):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("The JSON is malformed (line %(line)s).") % {"line": error.lineno}
            ) from None
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise ValidationError(_("The JSON must be a list of entries (objects)."))
        return records
    if name.lower().endswith(".csv"):
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                _("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        return [{k: unescape(v or "") for k, v in row.items() if k in COLUMNS} for row in reader]
    raise ValidationError(_("Import a .csv or a .json file."))


class _Lookups:
    def __init__(self) -> None:
        self.tags = {tag.code: tag for tag in Tag.objects.all()}
        self.cities = dict(City.objects.values_list("slug", "pk"))


def _check_row(record: dict[str, Any], lookups: _Lookups) -> tuple[dict[str, Any], dict[str, str]]:
    problems: dict[str, str] = {}
    unknown = sorted(set(record) - set(COLUMNS))
    if unknown:
        problems["—"] = _("unknown columns: %(columns)s") % {"columns": ", ".join(unknown)}
    text = {c: str(record.get(c) or "").strip() for c in COLUMNS if c not in LISTS}
    for column in REQUIRED:
        if column not in LISTS and not text[column]:
            problems[column] = _("required")
    for column, limit in LIMITS.items():
        if len(text[column]) > limit:
            problems[column] = _("longer than %(n)s characters") % {"n": f"{limit:,}"}
    if text["slug"] and not SLUG.fullmatch(text["slug"]):
        problems["slug"] = _("letters, digits, hyphens and underscores only")
    if text["kind"] and text["kind"] not in EntryKind.values:
        problems["kind"] = _("not one of: %(values)s") % {"values": ", ".join(EntryKind.values)}
    text["language"] = text["language"] or Language.ENGLISH
    if text["language"] not in Language.values:
        problems["language"] = _("not a language code of the repository")
    year = None
    if text["year"]:
        try:
            year = int(text["year"])
        except ValueError:
            year = 0
        if not 1990 <= year <= 2100:
            problems["year"] = _("not a year between 1990 and 2100")
    codes = _split(record.get("tags"))
    bad = [c for c in codes if c not in lookups.tags]
    if not codes or bad or len(codes) > MAX_TAGS:
        problems["tags"] = (
            _("unknown tags: %(tags)s") % {"tags": ", ".join(bad)} if bad
            else _("between 1 and %(n)s tag codes") % {"n": MAX_TAGS}
        )  # fmt: skip
    slugs = _split(record.get("cities"))
    if [s for s in slugs if s not in lookups.cities]:
        problems["cities"] = _("unknown cities: %(cities)s") % {
            "cities": ", ".join(s for s in slugs if s not in lookups.cities)
        }
    links = _links(record.get("links"))
    try:
        for url, _label in links:
            URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        problems["links"] = _("an address is not a web address (http or https)")
    if len(links) > MAX_LINKS:
        problems["links"] = _("at most %(n)s links") % {"n": MAX_LINKS}
    row = {**text, "year": year, "tags": [lookups.tags[c] for c in codes if c in lookups.tags],
           "cities": [lookups.cities[s] for s in slugs if s in lookups.cities], "links": links}  # fmt: skip
    return row, problems


def read(name: str, data: bytes) -> Checked:
    """Every row checked; ``errors`` name the row (as numbered in the file) and the column."""
    checked = Checked()
    try:
        records = _records(name, data)
    except ValidationError as error:
        checked.errors = list(error.messages)
        return checked
    if len(records) > MAX_ROWS:
        checked.errors = [_("At most %(n)s entries per file.") % {"n": f"{MAX_ROWS:,}"}]
        return checked
    lookups = _Lookups()
    first = 2 if name.lower().endswith(".csv") else 1  # CSV row 1 is the header
    for number, record in enumerate(records, start=first):
        row, problems = _check_row(record, lookups)
        checked.rows.append(row)
        checked.errors += [
            _("Row %(row)s, %(column)s: %(problem)s")
            % {"row": number, "column": column, "problem": problem}
            for column, problem in problems.items()
        ]
    slugs = [row["slug"] for row in checked.rows if row["slug"]]
    twice = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if twice:
        checked.errors.append(
            _("These slugs appear more than once: %(slugs)s.") % {"slugs": ", ".join(twice)}
        )
    if not records:
        checked.errors.append(_("The file holds no entries."))
    return checked


@transaction.atomic
def import_entries(rows: list[dict[str, Any]], *, by) -> tuple[int, int]:
    """Save checked rows, published: a row whose slug exists updates that entry. (new, changed)"""
    existing = Entry.objects.in_bulk([r["slug"] for r in rows if r["slug"]], field_name="slug")
    created = updated = 0
    for row in rows:
        entry = existing.get(row["slug"]) or Entry(slug=row["slug"])
        updated, created = (updated + 1, created) if entry.pk else (updated, created + 1)
        for name in ("title", "summary", "body", "kind", "language", "year", "organisation",
                     "licence"):  # fmt: skip
            setattr(entry, name, row[name])
        save_entry(entry, tags=row["tags"], cities=row["cities"], links=row["links"], by=by,
                   publish=True)  # fmt: skip
    return created, updated
