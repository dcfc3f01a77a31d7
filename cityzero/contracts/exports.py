"""A contract iteration as a PDF document and as an XLSX workbook, from the same overview, tables
and charts the pages show (:mod:`cityzero.contracts.presentation`).

The PDF is rendered offline: :class:`OfflineFetcher` loads ``data:`` URLs only, and there is no
base URL, so no image or stylesheet a text may name is ever fetched from the network or the disk.
"""

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import groupby
from typing import Any

from django.db import models
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cityzero.contracts import presentation
from cityzero.contracts.forms import PART_FORMS, FundingForm
from cityzero.contracts.interchange import add_actions_sheet, append_row
from cityzero.contracts.models import Action
from cityzero.contracts.modules import BY_CODE, MODULES, Module
from cityzero.contracts.presentation import SECTOR_LABELS, read_view, target_rows
from cityzero.contracts.selectors import TARGET_COLUMNS, Overview
from cityzero.ghg import contract as ccc

TEMPLATE = "contracts/pdf/contract.html"

#: The target table's column headings, as on the pages (``contracts/_target_table.html``).
TARGET_HEADINGS = {
    "baseline": gettext_lazy("(1) Baseline"),
    "target": gettext_lazy("(2) Reduction target 2030"),
    "existing": gettext_lazy("(3) Existing plans"),
    "gap": gettext_lazy("(4) Emissions gap = (2) − (3)"),
    "portfolio": gettext_lazy("(5) Contract actions"),
    "shortfall": gettext_lazy("Shortfall"),
    "residual": gettext_lazy("(6) Residual = (1) − (2)"),
}
#: Each action's outline in the PDF: what the portfolio table does not already show.
ACTION_OUTLINE = ("action_type", "existing_plan", "field_of_action", "lever", "pathway",
                  "responsible", "scale", "stakeholders", "implementation_notes", "renewable_mwh",
                  "substituted_mwh", "start_year", "end_year", "status")  # fmt: skip
INDICATOR_METADATA = ("definition", "calculation", "data_source", "interval")
PATHWAY_OUTLINE = ("early_changes", "late_outcomes", "direct_impacts", "indirect_impacts")
OUTLINE_HEADINGS = {
    "pathways": gettext_lazy("Pathway outlines"),
    "actions": gettext_lazy("Action outlines"),
    "indicators": gettext_lazy("Indicator metadata"),
}

SHEET_NAME_LENGTH = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class OfflineFetcher(URLFetcher):
    """Loads ``data:`` URLs only; any other URL (http, https, file, ftp …) is refused, and kept
    in :attr:`refused`."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"Only data: URLs are loaded when rendering a PDF, not {url}")
        return super().fetch(url, headers)


# --- PDF ----------------------------------------------------------------------------------------


def contract_pdf(overview: Overview) -> bytes:
    """The whole iteration as an A4 PDF: cover, contents, every module, charts and checklist."""
    return contract_document(overview).write_pdf()


def contract_document(overview: Overview, *, fetcher: OfflineFetcher | None = None) -> Document:
    """The laid-out document (its pages hold the text), before it is written as a PDF."""
    html = render_to_string(TEMPLATE, pdf_context(overview))
    return HTML(string=html, url_fetcher=fetcher or OfflineFetcher()).render()


def pdf_context(overview: Overview) -> dict[str, Any]:
    iteration, parts = overview.iteration, overview.parts
    city = iteration.contract.city
    baseline = iteration.baseline
    running_head = _("%(city)s · Climate City Contract, iteration %(number)s") % {
        "city": city.name,
        "number": iteration.number,
    }
    return {
        "city": city,
        "iteration": iteration,
        "overview": overview,
        "parts": parts,
        "last_change": last_change(overview),
        "illustrative": bool(baseline and baseline.illustrative),
        "parts_of_contract": [
            {"part": part, "modules": [_module_entry(overview, module) for module in modules]}
            for part, modules in groupby(MODULES, key=lambda module: module.part)
        ],
        "target_rows": target_rows(overview.table),
        "charts": presentation.charts(overview),
        "checks": [
            (_check_result(check), check, BY_CODE.get(check.module)) for check in overview.checks
        ],
        "actions": list(zip(parts.actions, overview.actions, strict=True)),
        "baseline_rows": _baseline_rows(overview),
        # _computed.html shows the portfolio's figures without a table for this module.
        "figures_only": BY_CODE["actions"],
        "page_numbers": css_content(_("Page %(page)s of %(pages)s")),
        "running_head": css_string(running_head),
    }


def last_change(overview: Overview) -> datetime:
    """When the iteration or one of its modules' texts last changed."""
    contents = overview.parts.contents.values()
    return max([overview.iteration.updated_at, *(content.updated_at for content in contents)])


def _module_entry(overview: Overview, module: Module) -> dict[str, Any]:
    parts = overview.parts
    outlines: list[Outline] = []
    if module.code == "actions":
        outlines = [
            _action_outline(a, f) for a, f in zip(parts.actions, overview.actions, strict=True)
        ]
    elif module.code == "pathways":
        outlines = [outline(p, PATHWAY_OUTLINE, title=p.name) for p in parts.pathways]
    elif module.code == "indicators":
        outlines = [outline(i, INDICATOR_METADATA, title=f"{i.name} ({i.unit})")
                    for i in parts.indicators]  # fmt: skip
    read = read_view(module, parts)
    return {
        "module": module,
        "anchor": f"module-{module.code}",
        "read": read,
        "empty": module.kind == "content"
        and not module.tables
        and not any(field["value"] for field in read["fields"]),
        "outlines": outlines,
        "outlines_heading": OUTLINE_HEADINGS.get(module.code, ""),
    }


@dataclass(frozen=True, slots=True)
class Outline:
    """An action, pathway or indicator spelt out: its short facts run on in one paragraph, each
    longer text gets one of its own."""

    title: str
    facts: list[tuple[Any, str]]
    texts: list[tuple[Any, str]]
    html: str = ""  # sanitised Markdown


def outline(obj: models.Model, names: Sequence[str], *, title: str, html: str = "") -> Outline:
    facts, texts = [], []
    for name in names:
        value = shown(obj, name)
        if value and getattr(obj, name) is not False:  # an unset flag says nothing
            field = obj._meta.get_field(name)
            (texts if isinstance(field, models.TextField) else facts).append(
                (field.verbose_name, value)
            )
    return Outline(title, facts, texts, html)


def _action_outline(action: Action, figures: ccc.ActionFigures) -> Outline:
    found = outline(action, ACTION_OUTLINE, title=action.name, html=action.description_html)
    money = [(_("Total cost (€)"), figures.total_cost), (_("€ per t CO2e"), figures.cost_per_tonne)]
    found.facts.extend(
        (label, floatformat(value, "0g")) for label, value in money if value is not None
    )
    fundings = [
        _("%(source)s: €%(amount)s (%(secured)s)")
        % {
            "source": " – ".join(filter(None, [funding.get_source_display(), funding.detail])),
            "amount": floatformat(funding.amount, "0g"),
            "secured": _("secured") if funding.secured else _("not secured"),
        }
        for funding in action.fundings.all()
    ]
    if fundings:
        found.facts.append((_("Funding"), "; ".join(fundings)))
    return found


def _check_result(check: ccc.CheckItem) -> str:
    if check.passed:
        return _("Passed")
    return _("Blocks submission") if check.blocking else _("Advice")


def _baseline_rows(overview: Overview) -> list[tuple[Any, float | None]]:
    """The baseline's totals by boundary, then its mission scope by sector (t CO2e)."""
    summary = overview.baseline_summary
    if not summary or summary.get("errors"):
        return []
    boundaries = [
        (_("GPC BASIC"), summary.get("basic_tco2e")),
        (_("GPC BASIC+"), summary.get("basic_plus_tco2e")),
        (_("Mission scope (the contract's baseline)"), summary.get("mission_scope_tco2e")),
        (_("Business as usual 2030 (no change in drivers)"), overview.bau_2030),
    ]
    sectors = [
        (_("Mission scope: %(sector)s") % {"sector": SECTOR_LABELS[sector.value]}, value)
        for sector, value in overview.baseline.items()
    ]
    return boundaries + sectors


def shown(obj: models.Model, name: str) -> str:
    """A field's value as the PDF prints it: decimals with their digits grouped, whole numbers
    (years) as they are."""
    value = display_value(obj, name)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return floatformat(value, "-3g")
    return str(value)


def display_value(obj: models.Model, name: str) -> Any:
    """A field's value for readers: a choice's label, a related object's name, yes or no."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None:
        return None
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, models.Model):
        return str(value)
    return value


def css_content(text: str) -> str:
    """A translated text with ``%(page)s``-style placeholders as the value of a CSS ``content``
    property: the words as CSS strings, each placeholder as ``counter(name)``."""
    pieces = _PLACEHOLDER.split(text)
    out = [
        f"counter({piece})" if index % 2 else css_string(piece.replace("%%", "%"))
        for index, piece in enumerate(pieces)
        if piece
    ]
    return " ".join(out) or '""'


def css_string(text: str) -> str:
    """Text as a quoted CSS string that cannot end the string or the ``<style>`` element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + " ".join(escaped.splitlines()) + '"'


# --- XLSX ---------------------------------------------------------------------------------------


def contract_xlsx(overview: Overview) -> bytes:
    """The iteration's tables as a workbook: one sheet per table, values only, no formulas."""
    parts = overview.parts
    workbook = Workbook(write_only=True)
    titles = SheetTitles()

    _add_sheet(workbook, titles.unique(_("Target table")), *_target_sheet(overview.table))
    add_actions_sheet(workbook, parts.actions, title=titles.unique(_("Actions")))
    fundings = [(action, funding) for action in parts.actions for funding in action.fundings.all()]
    funding_fields = FundingForm._meta.fields
    _add_sheet(
        workbook,
        titles.unique(_("Funding")),
        [_("Action"), *_labels(FundingForm._meta.model, funding_fields)],
        [[action.name, *_values(funding, funding_fields)] for action, funding in fundings],
    )
    for title, code, objects in (
        (_("Pathways"), "pathways", parts.pathways),
        (_("Indicators"), "indicators", parts.indicators),
        (_("Signatories"), "signatories", parts.signatories),
        (_("Sinks and offsets"), "residual", parts.removals),
    ):
        names = PART_FORMS[code]._meta.fields
        _add_sheet(
            workbook,
            titles.unique(title),
            _labels(PART_FORMS[code]._meta.model, names),
            [_values(obj, names) for obj in objects],
        )
    _add_sheet(
        workbook,
        titles.unique(_("Checklist")),
        [_("Result"), _("Check"), _("Module"), _("Code")],
        [[_check_result(c), c.message, _module_heading(c.module), c.code] for c in overview.checks],
    )
    texts = []
    for module in MODULES:
        stored = parts.content(module.code)
        for table in module.tables:
            rows = stored.get("tables", {}).get(table.name, [])
            _add_sheet(
                workbook,
                titles.unique(f"{module.number} {table.label}"),
                table.labels,
                [[_cell(column, row.get(column.name, "")) for column in table.columns]
                 for row in rows],
            )  # fmt: skip
        for column in module.fields:
            value = stored.get("fields", {}).get(column.name, "")
            texts.append([module.heading, column.label, _cell(column, value)])
    _add_sheet(workbook, titles.unique(_("Texts")), [_("Module"), _("Field"), _("Text")], texts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _target_sheet(table: ccc.TargetTable) -> tuple[list[Any], list[list[Any]]]:
    """One row per sector and the total; each column in t CO2e, then as % of the baseline."""
    header: list[Any] = [_("Sector")]
    for name in TARGET_COLUMNS:
        header.append(_("%(column)s (t CO2e)") % {"column": TARGET_HEADINGS[name]})
        if name != "baseline":
            header.append(_("%(column)s (%% of the baseline)") % {"column": TARGET_HEADINGS[name]})
    rows = []
    for row in target_rows(table):
        values: list[Any] = [row["label"]]
        for name, (value, pct) in zip(TARGET_COLUMNS, row["cells"], strict=True):
            values.append(value)
            if name != "baseline":
                values.append(pct)
        rows.append(values)
    return header, rows


def _add_sheet(
    workbook: Any, title: str, header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> None:
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    labels = [capfirst(str(label)) for label in header]
    for index, label in enumerate(labels):
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(40, max(14, len(label)))
    append_row(sheet, labels, bold=True)
    for row in rows:
        append_row(sheet, row)


def _labels(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(name).verbose_name) for name in names]


def _values(obj: models.Model, names: Sequence[str]) -> list[Any]:
    return [display_value(obj, name) for name in names]


def _cell(column: Any, text: str) -> Any:
    """A stored module cell for the workbook: a number as a number, a choice as its label."""
    if not text:
        return None
    if column.kind in ("decimal", "integer"):
        try:
            return Decimal(text)
        except InvalidOperation:
            return text
    if column.kind == "choice":
        return str(dict(column.choices).get(text, text))
    return text


def _module_heading(code: str) -> str:
    module = BY_CODE.get(code)
    return module.heading if module else _("Baseline and target")


class SheetTitles:
    """Sheet names as spreadsheet programs accept them: at most 31 characters, none of
    ``[]:*?/\\``, not starting or ending with ``'``, and unique regardless of case."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, title: str) -> str:
        base = _SHEET_FORBIDDEN.sub(" ", str(title)).strip().strip("'") or "Sheet"
        candidate, number = base[:SHEET_NAME_LENGTH].rstrip(), 1
        while candidate.casefold() in self.used:
            number += 1
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        self.used.add(candidate.casefold())
        return candidate
