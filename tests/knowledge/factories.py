"""Knowledge entries for page, moderation and browser tests, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cityzero.core.uploads import PDF
from cityzero.knowledge.models import Collection, CollectionItem, Entry, EntryStatus, Tag
from cityzero.knowledge.services import load_tags, moderate, save_entry
from tests.core.test_uploads import PDF_BYTES


def taxonomy() -> dict[str, Tag]:
    load_tags()
    return {tag.code: tag for tag in Tag.objects.all()}


def pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    """A PDF upload as ``CheckedFileField`` leaves it: checked, with its kind."""
    upload = SimpleUploadedFile(name, PDF_BYTES)
    upload.kind = PDF
    return upload


def make_entry(
    title: str,
    codes: tuple[str, ...] = ("energy",),
    *,
    status: str = EntryStatus.PUBLISHED,
    contributor=None,
    cities=(),
    links=(),
    files=(),
    **fields,
) -> Entry:
    """An entry saved as a contributor would (pending), then brought to ``status``."""
    tags = {tag.code: tag for tag in Tag.objects.filter(code__in=codes)}
    if len(tags) != len(codes):
        tags = {code: tag for code, tag in taxonomy().items() if code in codes}
    fields.setdefault("summary", f"About {title.lower()}.")
    fields.setdefault("kind", "guide")
    entry = Entry(title=title, contributor=contributor, **fields)
    entry = save_entry(entry, tags=[tags[c] for c in codes], cities=cities, links=links,
                       files=files, by=contributor)  # fmt: skip
    if status == EntryStatus.PUBLISHED:
        entry = moderate(entry, "approve", by=None)
    elif status in {EntryStatus.CHANGES_REQUESTED, EntryStatus.REJECTED}:
        decision = "changes" if status == EntryStatus.CHANGES_REQUESTED else "reject"
        entry = moderate(entry, decision, by=None, note="Please name the source.")
    return entry


def sample_repository(*, contributor=None, city=None) -> dict[str, Entry]:
    """A few published entries in a collection, one pending: enough for every knowledge page."""
    taxonomy()
    heating = make_entry(
        "District heating in a Nordic city",
        ("energy", "district-heating", "phase-act"),
        kind="case_study", year=2023, organisation="Example Energy Agency", licence="CC BY 4.0",
        body="## What they did\n\nThe city connected **40,000 homes** to a heat network.",
        cities=[city] if city else [], links=[("https://example.org/heat", "The full report")],
        files=[pdf("heat network.pdf")], contributor=contributor,
    )  # fmt: skip
    assembly = make_entry(
        "Running a citizens' assembly on climate",
        ("citizen-assemblies", "co-creation", "phase-mandate"),
        kind="guide", year=2022, organisation="Example Democracy Lab",
        summary="A step-by-step guide to recruiting, running and following up an assembly.",
    )  # fmt: skip
    bonds = make_entry(
        "Issuing a green municipal bond",
        ("finance", "green-finance", "ccc-investment-plan"),
        kind="guide", year=2024, summary="How a mid-sized city prepared its first green bond.",
    )  # fmt: skip
    pending = make_entry(
        "Solar roofs on schools", ("energy", "renewables"), status=EntryStatus.PENDING,
        contributor=contributor, summary="Schools as power stations.",
    )  # fmt: skip
    focus = Collection.objects.create(
        title="Focus on: Financing", slug="focus-on-financing",
        description="How cities pay for the transition.",
    )  # fmt: skip
    CollectionItem.objects.create(collection=focus, entry=bonds, position=1)
    CollectionItem.objects.create(collection=focus, entry=heating, position=2)
    return {"heating": heating, "assembly": assembly, "bonds": bonds, "pending": pending,
            "collection": focus}  # fmt: skip
