"""The action portfolio as an XLSX sheet: one layout for export and import, so that a file exported
from an iteration reads back into the same rows.

Row 1 names the columns of :data:`ACTION_COLUMNS`, each once, in any order (case and surrounding
spaces are ignored); every later row is one action. ``key`` is the action's key: kept when it is
one of the iteration's actions (the row changes that action), otherwise left empty for a new one.
``field_of_action``, ``lever`` and ``status`` hold their stored codes (``energy``, ``technology``,
``planned`` …), ``pathway`` the name of one of the iteration's impact pathways, ``existing_plan``
``yes`` or ``no``. Numbers are number cells or digits with a point; an empty reduction counts as 0,
an empty status as ``planned``, an empty ``existing_plan`` as ``no`` — as the page's form starts.

Import reads the sheet named "Actions" if there is one (the contract workbook has it), otherwise
the first. It checks the whole file and runs every row through :class:`ActionForm`, the page's own
form, so a file obeys the same rules as the page; it keeps nothing when anything is wrong. The file
plumbing (size, zip checks, read-only parsing, formula cells, number text, ``'``-escaping of text
that would run as a formula) is the inventory import's, from :mod:`cityzero.inventories.interchange`.
"""

from __future__ import annotations

import difflib
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.db import models
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from cityzero.contracts.forms import ActionForm
from cityzero.contracts.models import Action, ActionStatus, ImpactPathway, Iteration
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.ghg.inventory import RowError
from cityzero.inventories.interchange import (
    _EMPTY,
    _OLE_MAGIC,
    _ZIP_MAGIC,
    MAX_BYTES,
    MAX_COLUMNS,
    _canonical,
    _Cell,
    _check_zip,
    _letter,
    _not_xlsx,
    _number,
    _Refused,
    _sheet_rows,
    _too_many_columns,
    _too_many_rows,
    describe,
    neutralise,
    unescape,
    value_text,
)

__all__ = [
    "ACTION_COLUMNS",
    "MAX_ACTIONS",
    "ParsedActions",
    "action_values",
    "append_row",
    "read_actions",
    "write_actions",
]

#: The action form's fields in its order ("type" for ``action_type``), after the action's key.
ACTION_COLUMNS: tuple[str, ...] = (
    "key",
    *("type" if name == "action_type" else name for name in ActionForm.Meta.fields),
)
#: The form (and model) field behind each column; ``key`` is not edited through the form.
FORM_FIELDS: dict[str, str] = {
    column: "action_type" if column == "type" else column
    for column in ACTION_COLUMNS
    if column != "key"
}
COLUMN_OF_FIELD = {name: column for column, name in FORM_FIELDS.items()}
NUMBER_COLUMNS = frozenset(
    column
    for column, name in FORM_FIELDS.items()
    if isinstance(Action._meta.get_field(name), models.DecimalField | models.IntegerField)
)
CODE_COLUMNS: dict[str, Sequence[tuple[str, Any]]] = {
    "field_of_action": FieldOfAction.choices,
    "lever": SystemicLever.choices,
    "status": ActionStatus.choices,
}
#: Long free text keeps its line breaks and spaces inside; the sheet shows it in wide columns.
WIDE_COLUMNS = frozenset({"name", "description", "stakeholders", "implementation_notes"})
YES, NO = "yes", "no"
TRUE_TEXTS = frozenset({"yes", "true", "1"})
FALSE_TEXTS = frozenset({"no", "false", "0", ""})

MAX_ACTIONS = 1000


def sheet_title() -> str:
    return _("Actions")


@dataclass(frozen=True, slots=True)
class ParsedActions:
    """What a file holds. ``rows`` are in file order and empty whenever ``errors`` is not.

    Each row is a dict of :class:`Action` field values (``pathway`` an :class:`ImpactPathway` of
    the iteration or ``None``), ready for ``Action(iteration=…, **row)``. It has a ``key`` only when
    the file's key is one of the iteration's actions: that row updates that action.
    """

    rows: list[dict[str, Any]]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


# --- writing ------------------------------------------------------------------------------------


def action_values(action: Action) -> list[Any]:
    """One action as the cells of :data:`ACTION_COLUMNS`: codes, names, numbers as numbers."""
    special = {
        "key": str(action.key),
        "type": action.action_type,
        "existing_plan": YES if action.existing_plan else NO,
        "pathway": action.pathway.name if action.pathway else "",
    }
    return [
        special[column] if column in special else getattr(action, column)
        for column in ACTION_COLUMNS
    ]


def append_row(sheet: Any, values: Iterable[Any], *, bold: bool = False) -> None:
    """Append one row to a write-only sheet: numbers as number cells where a spreadsheet keeps
    them exactly (else their exact decimal text), everything else as text that never runs as a
    formula."""
    font = Font(bold=True) if bold else None
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        cell.value, cell.data_type = _typed(value)
        if font:
            cell.font = font
        cells.append(cell)
    sheet.append(cells)


def _typed(value: Any) -> tuple[Any, str]:
    """A cell's value and openpyxl data type: "n" for a number, "s" for text (never "f")."""
    if value is None or value == "":
        return None, "n"
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            text = value_text(value)
        except ValueError:  # not finite
            return str(value), "s"
        if value_text(float(text)) == text:
            return (float(text) if "." in text else int(text)), "n"
        return text, "s"
    return ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value))), "s"


def add_actions_sheet(workbook: Any, actions: Iterable[Action], *, title: str) -> None:
    """The actions in the import layout, as a sheet of a write-only workbook."""
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(ACTION_COLUMNS):
        sheet.column_dimensions[_letter(index)].width = 40 if column in WIDE_COLUMNS else 16
    append_row(sheet, ACTION_COLUMNS, bold=True)
    for action in actions:
        append_row(sheet, action_values(action))


def write_actions(actions: Iterable[Action]) -> bytes:
    """An XLSX workbook with one sheet, "Actions", in the layout :func:`read_actions` reads."""
    workbook = openpyxl.Workbook(write_only=True)
    add_actions_sheet(workbook, actions, title=sheet_title())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------------


def read_actions(filename: str, data: bytes, *, iteration: Iteration) -> ParsedActions:
    """Read and check every action of an uploaded XLSX file against ``iteration``."""
    try:
        header, rows = _read_sheet(filename, data)
    except _Refused as refused:
        return ParsedActions([], [str(refused)])
    positions, errors = _header(header)
    if errors:
        return ParsedActions([], [describe(e) for e in errors])
    checker = _RowChecker(iteration)
    parsed: list[dict[str, Any]] = []
    reported: set[int] = set()
    named = set(positions.values())
    for number, cells in rows:
        for index, cell in enumerate(cells):
            if index not in named and index not in reported and cell.text.strip():
                reported.add(index)
                errors.append(RowError(number, _letter(index), _unnamed_column()))
        by_column = {c: cells[i] if i < len(cells) else _EMPTY for c, i in positions.items()}
        row, row_errors = checker.check(number, by_column)
        errors.extend(row_errors)
        if row is not None:
            parsed.append(row)
    if errors:
        return ParsedActions([], [describe(e) for e in errors])
    return ParsedActions(parsed, [])


def _read_sheet(filename: str, data: bytes) -> tuple[list[_Cell], list[tuple[int, list[_Cell]]]]:
    """The header and the non-empty rows (with their row numbers) of the actions sheet."""
    if len(data) > MAX_BYTES:
        raise _Refused(
            _("The file is %(size)s MB; files of at most %(max)s MB can be imported.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}", "max": MAX_BYTES // 1024 // 1024}
        )
    if not data.strip():
        raise _Refused(_("The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise _Refused(
            _(
                "This is an old Excel workbook (.xls) or a password-protected one; save it as "
                ".xlsx without a password."
            )
        )
    if not data.startswith(_ZIP_MAGIC):
        raise _Refused(_not_a_workbook(filename, data))
    try:
        _check_zip(data)
    except _Refused as refused:
        if str(refused) == _not_xlsx():
            raise _Refused(_not_a_workbook(filename, data)) from None
        raise _Refused(
            _(
                "The workbook unpacks to too much data; keep only the actions sheet, without pictures."
            )
        ) from None

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # a broken or foreign file can fail anywhere inside openpyxl
        raise _Refused(_not_a_workbook(filename, data)) from None
    try:
        names = {sheet_title(), "Actions"}
        sheets = [s for s in workbook.worksheets if s.title in names] or workbook.worksheets
        if not sheets:
            raise _Refused(_("The workbook has no worksheet."))
        return _collect(sheets[0])
    except _Refused:
        raise
    except Exception:
        raise _Refused(_not_a_workbook(filename, data)) from None
    finally:
        workbook.close()


def _collect(sheet: Any) -> tuple[list[_Cell], list[tuple[int, list[_Cell]]]]:
    """Read the rows before checking any: a file with too many actions is refused at once."""
    # The inventory reader's size messages speak of its own layout; say them for this one.
    reworded = {
        _too_many_columns(): _("The sheet has more than %(max)s columns; the layout has %(count)s.")
        % {"max": MAX_COLUMNS, "count": len(ACTION_COLUMNS)},
        _too_many_rows(): _too_many_actions(),
        _("The first worksheet is empty."): _("The sheet %(sheet)s is empty.")
        % {"sheet": sheet.title},
    }
    cells_by_row: Iterator[list[_Cell]] = _sheet_rows(sheet)
    rows: list[tuple[int, list[_Cell]]] = []
    try:
        header = next(cells_by_row)
        for number, cells in enumerate(cells_by_row, start=2):
            if not any(cell.text.strip() for cell in cells):
                continue
            if len(rows) == MAX_ACTIONS:
                raise _Refused(_too_many_actions())
            rows.append((number, cells))
    except _Refused as refused:
        raise _Refused(reworded.get(str(refused), str(refused))) from None
    return header, rows


def _not_a_workbook(filename: str, data: bytes) -> str:
    sample = data[:4096]
    try:
        sample.decode("utf-8")
        text = b"\x00" not in sample
    except UnicodeDecodeError as exc:
        text = exc.start >= len(sample) - 3  # only a character cut off at the sample's end
    if not text:
        return _(
            "%(name)s cannot be read as an XLSX workbook. Save it again as .xlsx (Excel "
            "workbook) and import that file."
        ) % {"name": filename}
    return _(
        "%(name)s is text (CSV or similar), not an XLSX workbook, whatever its name says. Open it "
        "in a spreadsheet program, save it as .xlsx (Excel workbook) and import that file."
    ) % {"name": filename}


def _too_many_actions() -> str:
    return _(
        "The file has more than %(max)s actions; import at most %(max)s actions at a time."
    ) % {"max": f"{MAX_ACTIONS:,}"}


def _unnamed_column() -> str:
    return _("this column has values but no name in row 1; name it or remove it")


def _header(cells: list[_Cell]) -> tuple[dict[str, int], list[RowError]]:
    """Where each column is, and what is wrong with row 1."""
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, cell in enumerate(cells):
        name = cell.text.strip().lower()
        if not name:
            continue
        if name in positions:
            message = _("the column %(name)s appears twice (columns %(first)s and %(second)s)")
            values = {"name": name, "first": _letter(positions[name]), "second": _letter(index)}
            errors.append(RowError(1, _letter(index), message % values))
        elif name in ACTION_COLUMNS:
            positions[name] = index
        else:
            message = _("'%(name)s' is not a column of the layout") % {"name": cell.text.strip()}
            close = difflib.get_close_matches(name, ACTION_COLUMNS, n=1)
            if close:
                message += "; " + _("did you mean '%(column)s'?") % {"column": close[0]}
            errors.append(RowError(1, _letter(index), message))
    missing = [column for column in ACTION_COLUMNS if column not in positions]
    if missing:
        errors.append(
            RowError(
                1,
                "",
                _("columns missing: %(missing)s; row 1 must name all of: %(columns)s")
                % {"missing": ", ".join(missing), "columns": ", ".join(ACTION_COLUMNS)},
            )
        )
    return positions, errors


class _RowChecker:
    """Turns one row of cells into an action's values, with the iteration's pathways and keys."""

    def __init__(self, iteration: Iteration) -> None:
        self.iteration = iteration
        self.pathways: dict[str, list[ImpactPathway]] = {}
        for pathway in ImpactPathway.objects.filter(iteration=iteration):
            self.pathways.setdefault(pathway.name.strip().casefold(), []).append(pathway)
        self.keys = set(Action.objects.filter(iteration=iteration).values_list("key", flat=True))
        self.seen_keys: dict[uuid.UUID, int] = {}

    def check(
        self, number: int, cells: dict[str, _Cell]
    ) -> tuple[dict[str, Any] | None, list[RowError]]:
        problems: dict[str, str] = {}
        texts: dict[str, str] = {}
        for column, cell in cells.items():
            try:
                texts[column] = _cell_text(column, cell)
            except ValueError as exc:
                problems[column] = str(exc)

        key = self._key(texts.get("key", ""), number, problems)
        pathway = self._pathway(texts.get("pathway", ""), problems)
        data: dict[str, Any] = {}
        for column, name in FORM_FIELDS.items():
            if column in problems or column == "pathway":
                continue
            value: Any = texts[column]
            if column == "existing_plan":
                value = self._yes_no(value, problems)
            elif column in CODE_COLUMNS:
                value = self._code(column, value, problems)
            if value == "" and Action._meta.get_field(name).has_default():
                value = Action._meta.get_field(name).get_default()  # as the page's form starts
            data[name] = value

        form = ActionForm(data, iteration=self.iteration)
        form.is_valid()
        for name, messages in form.errors.items():
            column = COLUMN_OF_FIELD.get(name, "")
            if (column not in problems and column in cells) or not column:
                problems[column] = " ".join(messages)
        if problems:
            order = {column: index for index, column in enumerate(ACTION_COLUMNS)}
            return None, [
                RowError(number, column, problems[column])
                for column in sorted(problems, key=lambda c: order.get(c, len(order)))
            ]
        row = {name: form.cleaned_data[name] for name in FORM_FIELDS.values()}
        row["pathway"] = pathway
        if key is not None:
            row["key"] = key
        return row, []

    def _key(self, text: str, number: int, problems: dict[str, str]) -> uuid.UUID | None:
        if not text or "key" in problems:
            return None
        try:
            key = uuid.UUID(text)
        except ValueError:
            problems["key"] = _(
                "'%(value)s' is not an action key; leave the cell empty for a new action"
            ) % {"value": text}
            return None
        if key in self.seen_keys:
            problems["key"] = _(
                "row %(row)s has the same key; each action can be in the file only once"
            ) % {"row": self.seen_keys[key]}
            return None
        self.seen_keys[key] = number
        return key if key in self.keys else None

    def _pathway(self, text: str, problems: dict[str, str]) -> ImpactPathway | None:
        if not text or "pathway" in problems:
            return None
        found = self.pathways.get(text.casefold(), [])
        if len(found) == 1:
            return found[0]
        if found:
            problems["pathway"] = _(
                "%(count)s impact pathways are called '%(value)s'; rename one of them under B-1"
            ) % {"count": len(found), "value": text}
        elif not self.pathways:
            problems["pathway"] = _(
                "'%(value)s' is not an impact pathway: this iteration has none yet; add it under "
                "B-1 first, or leave the cell empty"
            ) % {"value": text}
        else:
            names = sorted(p.name for group in self.pathways.values() for p in group)
            problems["pathway"] = _(
                "'%(value)s' is not an impact pathway of this iteration; use one of: %(names)s, "
                "or leave the cell empty"
            ) % {"value": text, "names": ", ".join(names)}
        return None

    @staticmethod
    def _yes_no(text: str, problems: dict[str, str]) -> bool | None:
        folded = text.casefold()
        if folded in TRUE_TEXTS:
            return True
        if folded in FALSE_TEXTS:
            return False
        problems["existing_plan"] = _("'%(value)s' is neither yes nor no") % {"value": text}
        return None

    @staticmethod
    def _code(column: str, text: str, problems: dict[str, str]) -> str:
        codes = [code for code, _label in CODE_COLUMNS[column]]
        if not text or text.casefold() in codes:
            return text.casefold()
        problems[column] = _("'%(value)s' is not a code of %(column)s; use one of: %(codes)s") % {
            "value": text,
            "column": column,
            "codes": ", ".join(f"{code} ({label})" for code, label in CODE_COLUMNS[column]),
        }
        return text


def _cell_text(column: str, cell: _Cell) -> str:
    """A cell's value as form text; ``ValueError`` saying what is wrong with it."""
    if cell.kind == "formula":
        raise ValueError(_("formulas are not accepted — paste values"))
    if cell.kind == "error":
        raise ValueError(
            _("'%(value)s' is a spreadsheet error, not a value") % {"value": cell.text}
        )
    if column in NUMBER_COLUMNS:
        if cell.kind == "date":
            raise ValueError(
                _("the cell is a date (%(value)s), not a number; format the column as numbers")
                % {"value": cell.text}
            )
        number = _number(cell.text)
        return "" if number is None else _canonical(number)
    return unescape(cell.text).replace("\r\n", "\n").replace("\r", "\n").strip()
