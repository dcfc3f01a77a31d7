from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cityzero.cities.models import City
from cityzero.core.cache import bump_public_data_version
from cityzero.ghg.carriers import get_carrier
from cityzero.ghg.factors import EmissionFactor, FactorError, FactorKind
from cityzero.ghg.gases import GWP_SETS, parse_gas
from cityzero.ghg.gpc import GpcError, parse_ref
from cityzero.ghg.inventory import validate
from cityzero.inventories import interchange, selectors
from cityzero.inventories.models import (
    Exclusion,
    Inventory,
    InventoryRow,
    InventoryStatus,
    LocalFactor,
    SourceDocument,
)


def _check_draft(inventory: Inventory) -> None:
    if inventory.is_final:
        raise ValidationError(
            _("The %(year)s inventory is final and cannot change. Start a new year instead.")
            % {"year": inventory.year}
        )


@transaction.atomic
def create_inventory(
    city: City, year: int, *, gwp_set: str, by, visibility: str = "team"
) -> Inventory:
    inventory = Inventory(
        city=city, year=year, gwp_set=gwp_set, visibility=visibility, updated_by=by
    )
    inventory.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            inventory.save()
    except IntegrityError:
        raise ValidationError(
            _("%(city)s already has an inventory for %(year)s.") % {"city": city, "year": year}
        ) from None
    return inventory


@transaction.atomic
def copy_inventory(source: Inventory, year: int, *, by) -> Inventory:
    """Start a new year from an earlier one: same rows, factors and exclusions, as a draft."""
    copy = create_inventory(
        source.city, year, gwp_set=source.gwp_set, by=by, visibility=source.visibility
    )
    rows = list(InventoryRow.objects.filter(inventory=source).order_by("position"))
    for row in rows:
        row.pk, row.inventory = None, copy
    InventoryRow.objects.bulk_create(rows)
    exclusions = list(Exclusion.objects.filter(inventory=source))
    for exclusion in exclusions:
        exclusion.pk, exclusion.inventory = None, copy
    Exclusion.objects.bulk_create(exclusions)
    return copy


@transaction.atomic
def replace_rows(
    inventory: Inventory, records: list[dict[str, str]], *, by, base_version: int | None = None
) -> Inventory:
    """Store already validated rows (text cells in the import layout) in place of the old ones.

    With ``base_version`` (the version the editor loaded), refuse if someone saved meanwhile.
    """
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    _check_draft(inventory)
    if base_version is not None and base_version != inventory.version:
        raise ValidationError(
            _(
                "Someone else changed these rows while you were editing (by %(who)s). Nothing of "
                "yours was saved: reload the rows, make your change again and save."
            )
            % {"who": inventory.updated_by or _("an import")}
        )
    InventoryRow.objects.filter(inventory=inventory).delete()
    InventoryRow.objects.bulk_create(
        InventoryRow(inventory=inventory, position=position, **_row_values(record))
        for position, record in enumerate(records)
    )
    return _touch(inventory, by)


NUMBER_COLUMNS = {"quantity", "emission_factor"}


def _row_values(record: dict[str, str]) -> dict[str, str | None]:
    """Text cells as stored: an empty number is no number, not zero."""
    return {
        name: None if name in NUMBER_COLUMNS and value == "" else value
        for name, value in record.items()
    }


def _touch(inventory: Inventory, by) -> Inventory:
    Inventory.objects.filter(pk=inventory.pk).update(version=F("version") + 1, updated_by=by)
    transaction.on_commit(bump_public_data_version)
    inventory.refresh_from_db()
    return inventory


@transaction.atomic
def finalise_inventory(inventory: Inventory, *, by) -> Inventory:
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    _check_draft(inventory)
    inventory.status = InventoryStatus.FINAL
    inventory.save(update_fields=["status"])
    return _touch(inventory, by)


class ImportRejected(Exception):
    """The file has errors; nothing was saved. ``errors`` say where, in the user's words."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def check_file(inventory: Inventory, filename: str, data: bytes) -> interchange.ParsedFile:
    """Read a file and check every row, layout and accounting alike; errors in ``.errors``."""
    parsed = interchange.read_file(filename, data)
    problems = validate(
        parsed.items,
        selectors.factor_set_for(inventory),
        GWP_SETS[inventory.gwp_set],
        country=inventory.city.country_id,
        year=inventory.year,
    )
    errors = sorted([*parsed.errors, *parsed.renumber(problems)], key=lambda e: e.row)
    return interchange.ParsedFile(parsed.rows, errors, parsed.format)


def import_file(inventory: Inventory, *, filename: str, data: bytes, by) -> Inventory:
    """Check the whole file, then replace the inventory's rows with it, or save nothing.

    Every error is reported at once: those of the layout and those of the accounting (unknown
    units, missing factors…) for the rows whose layout is right.
    """
    _check_draft(inventory)
    parsed = check_file(inventory, filename, data)
    if parsed.errors:
        raise ImportRejected([interchange.describe(e) for e in parsed.errors])
    return replace_rows(inventory, parsed.records, by=by)


def save_edited_rows(
    inventory: Inventory, records: list[dict[str, str]], *, base_version: int, by
) -> Inventory:
    """The row editor's save: the same checks as an import, lines numbered from 1."""
    _check_draft(inventory)
    parsed = check_file(inventory, "editor.csv", interchange.write_csv(records))
    if parsed.errors:
        raise ImportRejected([interchange.describe(e, as_lines=True) for e in parsed.errors])
    return replace_rows(inventory, parsed.records, by=by, base_version=base_version)


def preview_edited_rows(
    inventory: Inventory, records: list[dict[str, str]]
) -> tuple[list[str], dict | None]:
    """The editor's rows checked and summed without saving: (errors, summary if no errors)."""
    parsed = check_file(inventory, "editor.csv", interchange.write_csv(records))
    if parsed.errors:
        return [interchange.describe(e, as_lines=True) for e in parsed.errors], None
    return [], selectors.unsaved_summary(inventory, parsed.items)


def export_file(inventory: Inventory, file_format: str) -> bytes:
    writer = {"csv": interchange.write_csv, "xlsx": interchange.write_xlsx}[file_format]
    return writer(selectors.row_records(inventory))


@transaction.atomic
def add_exclusion(inventory: Inventory, *, kind: str, gpc_ref: str, reason: str, by) -> Exclusion:
    """Declare a source out of the mission scope (EU ETS installation, minor source)."""
    _check_draft(inventory)
    try:
        ref = parse_ref(gpc_ref).ref
    except GpcError as error:
        raise ValidationError(str(error)) from None
    if Exclusion.objects.filter(inventory=inventory, gpc_ref=ref).exists():
        raise ValidationError(_("%(ref)s is already excluded.") % {"ref": ref})
    exclusion = Exclusion.objects.create(inventory=inventory, kind=kind, gpc_ref=ref, reason=reason)
    _touch(inventory, by)
    return exclusion


@transaction.atomic
def remove_exclusion(exclusion: Exclusion, *, by) -> None:
    _check_draft(exclusion.inventory)
    exclusion.delete()
    _touch(exclusion.inventory, by)


@transaction.atomic
def add_local_factor(city: City, *, by, **fields) -> LocalFactor:
    """A city's own factor; refused unless the pure core accepts its carrier, gas and unit."""
    factor = LocalFactor(city=city, **fields)
    try:
        EmissionFactor(
            carrier=get_carrier(factor.carrier).code,
            gas=parse_gas(factor.gas),
            value=float(factor.value),
            unit=factor.unit,
            source=factor.source,
            kind=FactorKind.LOCAL,
        )
    except (ValueError, FactorError) as error:
        raise ValidationError(str(error)) from None
    factor.carrier = get_carrier(factor.carrier).code
    factor.full_clean(exclude=["city"], validate_constraints=False)
    try:
        with transaction.atomic():
            factor.save()
    except IntegrityError:
        raise ValidationError(
            _("There is already a %(year)s factor for %(carrier)s and %(gas)s.")
            % {"year": factor.year, "carrier": factor.carrier, "gas": factor.gas}
        ) from None
    return factor


MAX_DOCUMENTS = 50


@transaction.atomic
def add_source_document(inventory: Inventory, *, title: str, upload, by) -> SourceDocument:
    """Attach a file checked by ``CheckedFileField`` (its ``.kind``) to a draft inventory."""
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    _check_draft(inventory)
    if inventory.documents.count() >= MAX_DOCUMENTS:
        raise ValidationError(
            _("An inventory can have at most %(count)d source documents. Remove one first.")
            % {"count": MAX_DOCUMENTS}
        )
    document = SourceDocument(
        inventory=inventory,
        title=title,
        filename=get_valid_filename(PurePath(upload.name).name)[:200],
        extension=upload.kind.extension,
        content_type=upload.kind.mime,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save("upload", upload, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)  # no row, so no file either
        raise
    return document


@transaction.atomic
def remove_source_document(document: SourceDocument, *, by) -> None:
    _check_draft(document.inventory)
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored))
