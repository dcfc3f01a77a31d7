"""The inventory file layout: one CSV or XLSX layout for import and export.

A file is a table. Row 1 is the header; every later row is one line item. The header names these
eleven columns, each exactly once (any order; case and surrounding spaces are ignored). Export writes
them in this order:

``gpc_ref``
    Required on every row. A GPC reference number such as ``I.1.1``, ``II.1.2``, ``III.1.2`` or
    ``IV.1``. It must exist in the GPC (:mod:`cityzero.ghg.gpc`).
``description``
    Optional free text: what the row is ("Gas for district heating, utility data").
``carrier``
    The energy carrier or activity (``natural_gas``, ``electricity``, ``diesel`` …). Required for
    activity data; optional for directly reported emissions; not needed for a notation key.
``quantity``
    A number: the activity data, or the emissions themselves when ``unit`` is a mass of a gas.
    Required unless the row has a notation key; **a row with a notation key has no quantity**.
    Digits with a point as the decimal separator (``1234.5``; ``1.2e3`` is read too); no thousands
    separators and no decimal comma. Not negative, except AFOLU removals (sector V) reported directly
    in a mass of a gas; at most 10¹²; at most 6 decimal places.
``unit``
    Required when there is a quantity. A unit that fits the carrier (``MWh``, ``GJ``, ``l``, ``m3``,
    ``t``, ``vkm`` …) for activity data. **A mass of a gas — ``t CO2``, ``t CH4``, ``t N2O``,
    ``t CO2e`` (or kg) — means the quantity is directly reported emissions**, not activity data.
``emission_factor``
    Optional number, with at most 10 decimal places. **Leave ``emission_factor`` and ``ef_unit``
    both blank to use the inventory's factor set** (IPCC 2006 defaults, national and local factors).
    Filled in, it is a factor for this row only, with its unit in ``ef_unit``. Blank for directly
    reported emissions and notation keys.
``ef_unit``
    The unit of ``emission_factor``: a mass of a gas per activity unit, like ``t CO2/MWh``,
    ``kg CO2e/vkm`` or ``t CH4/TJ``. Required exactly when ``emission_factor`` is filled in.
``gas``
    Optional. For a factor from the factor set: pick the factor of this gas only. For emissions in
    ``t CO2e``: the gas they are (HFCs and PFCs are reported this way). Otherwise blank.
``notation_key``
    ``NO`` (not occurring), ``IE`` (included elsewhere), ``NE`` (not estimated) or ``C``
    (confidential), for a source without figures. Blank on rows with a quantity.
``explanation``
    Free text. Required with a notation key; for ``IE`` it must name the reference number where the
    emissions are included ("included in I.2.1").
``source``
    Optional free text: where the data (and a row's own factor) come from.

Which columns a row fills in, by kind of row:

=====================  ====================================================================
activity data          gpc_ref, carrier, quantity, unit; optionally emission_factor + ef_unit
                       (blank: the inventory's factor set), gas
reported emissions     gpc_ref, quantity, unit = a mass of a gas (``t CO2e`` …); optionally
                       carrier, gas; factor columns blank
notation key           gpc_ref, notation_key, explanation; quantity, unit and factor blank
=====================  ====================================================================

Files
    CSV: UTF-8, with or without a byte order mark (export writes one, so spreadsheet programs read
    the accents right), comma-separated (a header row separated by semicolons is read too), quoted
    as RFC 4180; export ends lines with CRLF. XLSX: the first worksheet; cells hold values, never
    formulas (a formula cell is an error: paste values instead); cells right of column 64 are not
    read. At most 5 MB (:data:`MAX_BYTES`), 20,000 line items (:data:`MAX_ROWS`) and 64 columns.
    Empty rows are skipped; row numbers in messages are the rows of the file (the header is row 1).

Text
    Free text (description, explanation, source) is kept as it is, except that line breaks become
    ``\\n``. The other text columns lose surrounding spaces. Control characters are refused.
    A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written
    with a ``'`` in front, so that no spreadsheet program runs it as a formula; on import, a ``'``
    in front of one of those characters is removed again. Export → import gives the same rows.

Import checks the shape of the whole file and reports every problem by row and column
(:class:`cityzero.ghg.inventory.RowError`). Whether the rows can be calculated (units that fit
the carrier, factors that exist …) is :func:`cityzero.ghg.inventory.validate`'s job.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from cityzero.ghg.gpc import GpcError, parse_ref
from cityzero.ghg.inventory import LineItem, NotationKey, RowError
from cityzero.ghg.units import parse_gas_mass

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "FileError",
    "ParsedFile",
    "ParsedRow",
    "describe",
    "neutralise",
    "read_csv",
    "read_file",
    "read_xlsx",
    "unescape",
    "value_text",
    "write_csv",
    "write_xlsx",
]

COLUMNS: tuple[str, ...] = (
    "gpc_ref",
    "description",
    "carrier",
    "quantity",
    "unit",
    "emission_factor",
    "ef_unit",
    "gas",
    "notation_key",
    "explanation",
    "source",
)
NUMBER_COLUMNS = frozenset({"quantity", "emission_factor"})
TEXT_COLUMNS = tuple(c for c in COLUMNS if c not in NUMBER_COLUMNS)
#: Kept exactly as written (line breaks aside); the other text columns are codes and lose spaces.
FREE_TEXT_COLUMNS = frozenset({"description", "explanation", "source"})
#: The longest text each column stores (``InventoryRow``'s field lengths).
MAX_LENGTHS: dict[str, int] = {
    "gpc_ref": 12,
    "description": 300,
    "carrier": 60,
    "unit": 40,
    "ef_unit": 40,
    "gas": 10,
    "notation_key": 2,
    "explanation": 1000,
    "source": 500,
}
#: Decimal places each number column stores (``InventoryRow``'s ``decimal_places``).
MAX_DECIMALS: dict[str, int] = {"quantity": 6, "emission_factor": 10}
#: Larger than any city's activity or any factor; beyond this a number is a typo.
MAX_NUMBER = Decimal("1e12")

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
#: Rows of the sheet read at most, empty ones included (a sheet formatted down to row 1,048,576).
MAX_SHEET_ROWS = 5 * MAX_ROWS
MAX_COLUMNS = 64
#: An XLSX is a zip: its unpacked parts may be larger than the file, but not without bound.
MAX_UNPACKED_BYTES = 20 * MAX_BYTES
MAX_ZIP_MEMBERS = 1_000

#: Characters a spreadsheet program may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED = re.compile(r"^'+[=+\-@\t\r]")
#: Characters neither stored nor expressible in XLSX (XML 1.0): C0 controls but tab and newlines.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?[\d\s.,'\u00a0\u202f]*\d[\d\s.,'\u00a0\u202f]*$")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class FileError(RowError):
    """A problem with the whole file (size, encoding, format); ``row`` is 0, ``column`` empty."""

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One line item as read: its row in the file, its cells as text, and the item."""

    row: int
    #: Every column of :data:`COLUMNS`, as text ready to store: numbers as exact decimal text
    #: (empty: no number), codes trimmed, free text as written.
    cells: dict[str, str]
    item: LineItem

    def decimal(self, column: str) -> Decimal | None:
        text = self.cells[column]
        return Decimal(text) if text else None


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """What a file holds. Store nothing unless :attr:`errors` is empty."""

    rows: list[ParsedRow]
    errors: list[RowError]
    format: str  # "csv" or "xlsx"

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def items(self) -> list[LineItem]:
        return [r.item for r in self.rows]

    @property
    def records(self) -> list[dict[str, str]]:
        return [dict(r.cells) for r in self.rows]

    def renumber(self, errors: Iterable[RowError], first_row: int = 1) -> list[RowError]:
        """Errors of ``validate(self.items, …, first_row=first_row)`` with the file's row numbers.

        Empty rows are skipped on import, so the n-th item is not always on row n + 1.
        """
        renumbered = []
        for error in errors:
            index = error.row - first_row
            row = self.rows[index].row if 0 <= index < len(self.rows) else error.row
            renumbered.append(RowError(row, error.column, error.message))
        return renumbered


def describe(error: RowError, *, as_lines: bool = False) -> str:
    """An error as a sentence for people, in the active language.

    ``as_lines``: for the row editor, which has no header row, so file row 2 is its line 1.
    """
    if isinstance(error, FileError) or not error.row:
        return error.message
    values = {
        "row": error.row,
        "line": error.row - 1,
        "column": error.column,
        "message": error.message,
    }
    if as_lines:
        if not error.column:
            return _("Line %(line)s: %(message)s") % values
        return _("Line %(line)s, column %(column)s: %(message)s") % values
    if not error.column:
        return _("Row %(row)s: %(message)s") % values
    return _("Row %(row)s, column %(column)s: %(message)s") % values


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    """A cell before the column decides what it means. ``kind``: text, formula, error or date."""

    text: str
    kind: str = "text"


_EMPTY = _Cell("")


class _Refused(Exception):
    """The file as a whole cannot be read; the message says why."""


def read_file(name: str, data: bytes) -> ParsedFile:
    """Read an uploaded file, CSV or XLSX, by its content first and its name second."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    fmt = "xlsx" if extension in ("xlsx", "xlsm") or data.startswith(_ZIP_MAGIC) else "csv"
    if len(data) > MAX_BYTES:
        return _refused(fmt, _too_large(len(data)))
    if extension == "ods":
        return _refused(
            fmt,
            _(
                "OpenDocument spreadsheets (.ods) cannot be imported; save the sheet as .xlsx or "
                "as CSV (UTF-8)."
            ),
        )
    if data.startswith(_OLE_MAGIC):
        return _refused(
            "xlsx",
            _(
                "This is an old Excel workbook (.xls) or a password-protected one; save it as .xlsx "
                "without a password, or as CSV (UTF-8)."
            ),
        )
    if fmt == "xlsx":
        return read_xlsx(data)
    return read_csv(data)


def read_csv(data: bytes) -> ParsedFile:
    """Read a CSV file in the documented layout (UTF-8, with or without BOM)."""
    if len(data) > MAX_BYTES:
        return _refused("csv", _too_large(len(data)))
    try:
        text = _decode(data)
        return _parse("csv", _csv_rows(text))
    except _Refused as refused:
        return _refused("csv", str(refused))


def read_xlsx(data: bytes) -> ParsedFile:
    """Read the first worksheet of an XLSX workbook in the documented layout."""
    if len(data) > MAX_BYTES:
        return _refused("xlsx", _too_large(len(data)))
    try:
        _check_zip(data)
        return _read_workbook(data)
    except _Refused as refused:
        return _refused("xlsx", str(refused))


def _refused(fmt: str, message: str) -> ParsedFile:
    return ParsedFile([], [FileError(0, "", message)], fmt)


def _too_large(size: int) -> str:
    return _(
        "The file is %(size)s MB; files of at most %(max)s MB can be imported. Split it, or "
        "leave out what is not a line item."
    ) % {"size": f"{size / 1024 / 1024:.1f}", "max": MAX_BYTES // 1024 // 1024}


def _too_many_rows() -> str:
    return _(
        "The file has more than %(max)s rows; import at most %(max)s line items at a time."
    ) % {"max": f"{MAX_ROWS:,}"}


def _not_xlsx() -> str:
    return _(
        "The file cannot be read as an XLSX workbook. Save it again as .xlsx (Excel workbook) "
        "or as CSV (UTF-8)."
    )


def _decode(data: bytes) -> str:
    if not data.strip():
        raise _Refused(_("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Refused(
            _(
                "The file is UTF-16 text; save it as “CSV UTF-8 (comma delimited)” and import "
                "that file."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Refused(
            _(
                "The file is not UTF-8 text (the first character that is not is on line "
                "%(line)s). Save it as “CSV UTF-8 (comma delimited)” and import that file."
            )
            % {"line": line}
        ) from None


def _csv_rows(text: str) -> Iterator[list[_Cell]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if "," not in first_line and ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                raise _Refused(_too_many_columns())
            yield [_Cell(value) for value in record]
    except csv.Error as exc:
        raise _Refused(
            _("The CSV file cannot be read near line %(line)s: %(problem)s.")
            % {"line": reader.line_num, "problem": exc}
        ) from None


def _too_many_columns() -> str:
    return _("The file has more than %(max)s columns; the layout has %(count)s.") % {
        "max": MAX_COLUMNS,
        "count": len(COLUMNS),
    }


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _Refused(_not_xlsx()) from None
    if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise _Refused(
            _(
                "The workbook unpacks to more than %(max)s MB; import at most %(rows)s line items "
                "at a time, without pictures or other sheets."
            )
            % {"max": MAX_UNPACKED_BYTES // 1024 // 1024, "rows": f"{MAX_ROWS:,}"}
        )


def _read_workbook(data: bytes) -> ParsedFile:
    import openpyxl  # only needed here; keeps the import of this module light

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a broken or foreign file can fail anywhere inside openpyxl
        raise _Refused(_not_xlsx()) from None
    try:
        if not workbook.worksheets:
            raise _Refused(_("The workbook has no worksheet."))
        sheet = workbook.worksheets[0]
        try:
            return _parse("xlsx", _sheet_rows(sheet))
        except _Refused:
            raise
        except Exception:
            raise _Refused(_not_xlsx()) from None
    finally:
        workbook.close()


def _sheet_rows(sheet: Any) -> Iterator[list[_Cell]]:
    # The <dimension> a file declares may lie: read the rows as they are, at most one column
    # more than allowed (cells further right are not read).
    sheet.reset_dimensions()
    number = 0
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
        if number > MAX_SHEET_ROWS:
            raise _Refused(_too_many_rows())
        width = len(row)
        while width and getattr(row[width - 1], "value", None) is None:
            width -= 1  # openpyxl pads every row to max_col
        if width > MAX_COLUMNS:
            raise _Refused(_too_many_columns())
        yield [_xlsx_cell(cell) for cell in row[:width]]
    if number == 0:
        raise _Refused(_("The first worksheet is empty."))


def _xlsx_cell(cell: Any) -> _Cell:
    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", None)
    if value is None:
        return _EMPTY
    if data_type == "f":
        return _Cell(str(getattr(value, "text", value)), "formula")
    if data_type == "e":
        return _Cell(str(value), "error")
    if isinstance(value, bool):
        return _Cell("TRUE" if value else "FALSE")
    if isinstance(value, int):
        return _Cell(str(value))
    if isinstance(value, float):
        return _Cell(_canonical(Decimal(repr(value))) if math.isfinite(value) else str(value))
    if isinstance(value, datetime | date | time):
        return _Cell(value.isoformat(), "date")
    if isinstance(value, timedelta):
        return _Cell(str(value), "date")
    return _Cell(str(value))


def _parse(fmt: str, rows: Iterator[list[_Cell]]) -> ParsedFile:
    errors: list[RowError] = []
    header = next(rows, None)
    if header is None:
        raise _Refused(_("The file is empty."))
    positions, unnamed, header_errors = _header(header)
    errors.extend(header_errors)
    if positions is None:
        return ParsedFile([], errors, fmt)
    parsed: list[ParsedRow] = []
    reported_unnamed: set[int] = set()
    count = 0
    for number, cells in enumerate(rows, start=2):
        if not any(c.text.strip() for c in cells):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _Refused(_too_many_rows())
        for index, cell in enumerate(cells):
            outside = index in unnamed or index >= len(header)
            if outside and cell.text.strip() and index not in reported_unnamed:
                reported_unnamed.add(index)
                errors.append(
                    RowError(
                        number,
                        _letter(index),
                        _(
                            "this column has values but no name in row 1; name it or remove it "
                            "(the columns are: %(columns)s)"
                        )
                        % {"columns": ", ".join(COLUMNS)},
                    )
                )
        row_cells = {
            name: cells[index] if index < len(cells) else _EMPTY
            for name, index in positions.items()
        }
        row, row_errors = _row(number, row_cells)
        # A missing column is reported once, in row 1, not again in every row.
        errors.extend(e for e in row_errors if e.column in positions)
        if row is not None:
            parsed.append(row)
    return ParsedFile(parsed, errors, fmt)


def _header(cells: list[_Cell]) -> tuple[dict[str, int] | None, list[int], list[RowError]]:
    """Where each column is, the columns without a name, and what is wrong with the header."""
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = cell.text.strip().lower()
        if not name:
            unnamed.append(index)
        elif name in COLUMNS:
            if name in positions:
                errors.append(
                    RowError(
                        1,
                        name,
                        _("the column appears twice (columns %(first)s and %(second)s)")
                        % {"first": _letter(positions[name]), "second": _letter(index)},
                    )
                )
            else:
                positions[name] = index
    if not positions:
        found = ", ".join(f"'{c.text.strip()}'" for c in cells if c.text.strip())
        return (
            None,
            unnamed,
            [
                RowError(
                    1,
                    "",
                    _("row 1 must name the columns: %(columns)s (found: %(found)s)")
                    % {"columns": ", ".join(COLUMNS), "found": found or _("nothing")},
                )
            ],
        )
    for index, cell in enumerate(cells):
        name = cell.text.strip().lower()
        if name and name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            message = _("'%(name)s' is not a column of the layout") % {"name": cell.text.strip()}
            if close and close[0] not in positions:
                message += "; " + _("did you mean '%(column)s'?") % {"column": close[0]}
            errors.append(RowError(1, _letter(index), message))
    for name in COLUMNS:
        if name not in positions:
            errors.append(
                RowError(
                    1,
                    name,
                    _("the column is missing; row 1 must name all of: %(columns)s")
                    % {"columns": ", ".join(COLUMNS)},
                )
            )
    return positions, unnamed, errors


def _letter(index: int) -> str:
    """The spreadsheet column letter of a 0-based position: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _row(number: int, raw: dict[str, _Cell]) -> tuple[ParsedRow | None, list[RowError]]:
    problems: dict[str, str] = {}
    text: dict[str, str] = {}
    numbers: dict[str, Decimal | None] = {}

    for column in COLUMNS:
        cell = raw.get(column, _EMPTY)
        if cell.kind == "formula":
            problems[column] = _("formulas are not accepted — paste values")
        elif cell.kind == "error":
            problems[column] = _("'%(value)s' is a spreadsheet error, not a value") % {
                "value": cell.text
            }
        elif column in NUMBER_COLUMNS:
            if cell.kind == "date":
                problems[column] = _(
                    "the cell is a date (%(value)s), not a number; format the column as numbers"
                ) % {"value": cell.text}
                continue
            try:
                numbers[column] = _number(cell.text)
            except ValueError as exc:
                problems[column] = str(exc)
        else:
            try:
                text[column] = _text(column, cell.text)
            except ValueError as exc:
                problems[column] = str(exc)

    ref = None
    if "gpc_ref" not in problems:
        if not text["gpc_ref"]:
            problems["gpc_ref"] = _("a GPC reference number is required, e.g. I.1.1")
        else:
            try:
                ref = parse_ref(text["gpc_ref"])
                text["gpc_ref"] = ref.ref
            except GpcError as exc:
                problems["gpc_ref"] = str(exc)

    key = text.get("notation_key", "").upper()
    if "notation_key" not in problems and key:
        if key in NotationKey.__members__:
            text["notation_key"] = key
        else:
            problems["notation_key"] = _(
                "'%(value)s' is not a notation key; use NO, IE, NE or C"
            ) % {"value": text["notation_key"]}

    quantity = numbers.get("quantity")
    if "quantity" not in problems:
        if key and quantity is not None:
            problems["quantity"] = _(
                "a row with notation key %(key)s has no quantity; leave it empty"
            ) % {"key": key}
        elif not key and quantity is None and "notation_key" not in problems:
            problems["quantity"] = _(
                "a quantity is required, or a notation key (NO, IE, NE, C) with an explanation"
            )
        elif quantity is not None:
            _check_number(problems, "quantity", quantity)
            direct = "unit" in text and parse_gas_mass(text["unit"]) is not None
            afolu_removal = ref is not None and ref.sector == "V" and direct
            if quantity < 0 and not afolu_removal and "quantity" not in problems:
                problems["quantity"] = _(
                    "quantities cannot be negative (only AFOLU removals, reported directly in "
                    "t CO2 or t CO2e, can)"
                )
    if quantity is not None and "unit" not in problems and not text.get("unit"):
        problems["unit"] = _(
            "a unit is required, e.g. MWh, l, t, vkm or t CO2 for reported emissions"
        )

    factor = numbers.get("emission_factor")
    if factor is not None and "emission_factor" not in problems:
        _check_number(problems, "emission_factor", factor)
        if factor < 0 and "emission_factor" not in problems:
            problems["emission_factor"] = _("an emission factor cannot be negative")
        if "ef_unit" not in problems and not text.get("ef_unit"):
            problems["ef_unit"] = _(
                "an emission factor needs its unit, e.g. t CO2/MWh or kg CO2e/vkm"
            )
    elif "emission_factor" not in problems and text.get("ef_unit"):
        problems["emission_factor"] = _(
            "ef_unit is %(unit)s but the emission factor is empty; fill in both, or leave both "
            "empty to use the inventory's factor set"
        ) % {"unit": text["ef_unit"]}

    if problems:
        errors = [RowError(number, c, problems[c]) for c in COLUMNS if c in problems]
        return None, errors
    cells: dict[str, str] = {}
    values: dict[str, Any] = {}
    for column in COLUMNS:
        if column in NUMBER_COLUMNS:
            value = numbers[column]
            cells[column] = "" if value is None else _canonical(value)
            values[column] = None if value is None else float(value)
        else:
            cells[column] = values[column] = text[column]
    item = LineItem(**values)
    return ParsedRow(number, cells, item), []


def _text(column: str, value: str) -> str:
    value = unescape(value).replace("\r\n", "\n").replace("\r", "\n")
    if column not in FREE_TEXT_COLUMNS:
        value = value.strip()
    bad = _FORBIDDEN.search(value)
    if bad:
        raise ValueError(
            _("the text contains a control character (U+%(code)04X); remove it")
            % {"code": ord(bad.group())}
        )
    if len(value) > MAX_LENGTHS[column]:
        raise ValueError(
            _("the text is %(length)s characters long; at most %(max)s fit")
            % {"length": len(value), "max": MAX_LENGTHS[column]}
        )
    return value


def _number(value: str) -> Decimal | None:
    """The exact decimal in a cell; ``None`` if empty; ``ValueError`` saying what is wrong."""
    text = value.strip()
    if not text:
        return None
    if _NUMBER.match(text):
        number = Decimal(text)
        return Decimal(0) if number == 0 else number  # no "-0"
    if "," in text and _DECIMAL_COMMA.match(text):
        if text.count(",") == 1 and not re.search(r"[.\s'\u00a0\u202f]", text):
            hint = _("write %(number)s") % {"number": text.replace(",", ".")}
        else:
            hint = _("write the digits without thousands separators, like 1234567.5")
        raise ValueError(
            _(
                "'%(value)s' is not a number: use a point as the decimal separator and no "
                "thousands separators (%(hint)s)"
            )
            % {"value": text, "hint": hint}
        )
    raise ValueError(_("'%(value)s' is not a number") % {"value": text})


def _check_number(problems: dict[str, str], column: str, number: Decimal) -> None:
    if abs(number) > MAX_NUMBER:
        problems[column] = _(
            "%(value)s is implausibly large (more than 10^12); check the number and its unit"
        ) % {"value": value_text(number)}
        return
    exponent = number.normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if decimals > MAX_DECIMALS[column]:
        problems[column] = _(
            "%(value)s has %(decimals)s decimal places; at most %(max)s are kept"
        ) % {"value": value_text(number), "decimals": decimals, "max": MAX_DECIMALS[column]}


def _canonical(number: Decimal) -> str:
    """Exact plain decimal text without exponent or trailing zeros: 1.50E+3 → "1500"."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def value_text(value: object) -> str:
    """A number as exact decimal text (``""`` for none): Decimal, int, float or numeric text."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and _NUMBER.match(value.strip()):
        number = Decimal(value.strip())
    else:
        raise ValueError(f"{value!r} is not a number")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a number")
    return _canonical(number)


# --- formula injection --------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """A text cell as written: a ``'`` in front if a spreadsheet could take it for a formula.

    Text that already starts with ``'`` before such a character gets one more, so that
    :func:`unescape` gives back exactly the text.
    """
    if text.startswith(FORMULA_STARTS) or _ESCAPED.match(text):
        return "'" + text
    return text


def unescape(text: str) -> str:
    """Undo :func:`neutralise`: drop one ``'`` in front of ``'``s and a formula character."""
    return text[1:] if _ESCAPED.match(text) else text


# --- writing ------------------------------------------------------------------------------------

Row = Mapping[str, object] | LineItem


def _as_mapping(row: Row) -> Mapping[str, object]:
    if isinstance(row, LineItem):
        return {f.name: getattr(row, f.name) for f in fields(LineItem)}
    return row


def _out_cells(row: Row) -> list[tuple[str, bool]]:
    """(text, is a number) for each column; a number column that holds no number is text."""
    values = _as_mapping(row)
    cells = []
    for column in COLUMNS:
        value = values.get(column)
        if column in NUMBER_COLUMNS:
            try:
                number = value_text(value)
            except ValueError:
                cells.append((neutralise(str(value)), False))
            else:
                cells.append((number, bool(number)))
        else:
            cells.append((neutralise("" if value is None else str(value)), False))
    return cells


def write_csv(rows: Iterable[Row]) -> bytes:
    """The rows as a CSV file in the documented layout: UTF-8 with BOM, CRLF line ends.

    A row is a mapping from column name to value (text; numbers as ``Decimal``, ``int``, ``float``
    or decimal text; ``None`` or ``""`` for empty) or a :class:`LineItem`. Missing keys are empty.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([text for text, _number in _out_cells(row)])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(rows: Iterable[Row]) -> bytes:
    """The rows as an XLSX workbook in the documented layout (one sheet, values only).

    Numbers are number cells when a spreadsheet's floating point holds them exactly, otherwise text
    cells with the exact decimal; text is always a text cell, never a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Inventory")[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(index)].width = 40 if column in FREE_TEXT_COLUMNS else 14
    bold = Font(bold=True)

    def text_cell(text: str, *, header: bool = False) -> Any:
        cell = WriteOnlyCell(sheet)
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
        cell.data_type = "s"  # never "f": text that starts with "=" stays text
        if header:
            cell.font = bold
        return cell

    sheet.append([text_cell(column, header=True) for column in COLUMNS])
    for row in rows:
        out = []
        for text, is_number in _out_cells(row):
            if is_number and _float_exact(text):
                cell = WriteOnlyCell(sheet, value=float(text))
                cell.data_type = "n"
                out.append(cell)
            else:
                out.append(text_cell(text))
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _float_exact(text: str) -> bool:
    """Whether a spreadsheet number cell gives this decimal back (≤ 15–17 significant digits)."""
    try:
        return _canonical(Decimal(repr(float(text)))) == text
    except (InvalidOperation, ValueError, OverflowError):
        return False
