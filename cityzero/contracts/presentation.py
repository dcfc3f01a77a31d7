"""How a contract iteration is shown: the same tables, charts and texts on the pages and in the
PDF and XLSX exports."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.contracts import selectors
from cityzero.contracts.charts import abatement_curve_svg, gap_waterfall_svg, pathway_svg
from cityzero.contracts.modules import Module
from cityzero.contracts.selectors import TARGET_COLUMNS
from cityzero.core.charts import bar_chart_svg
from cityzero.core.vocabularies import FieldOfAction, SystemicLever
from cityzero.ghg import contract as ccc

SECTOR_LABELS = {
    "buildings": gettext_lazy("Buildings (stationary energy)"),
    "transport": gettext_lazy("Transport"),
    "waste": gettext_lazy("Waste"),
    "ippu": gettext_lazy("Industrial processes and product use (IPPU)"),
    "afolu": gettext_lazy("Agriculture, forestry and other land use (AFOLU)"),
}


def target_rows(table: ccc.TargetTable) -> list[dict]:
    """The target and residual emissions table with each value's share of the row's baseline."""
    return [
        {
            "label": SECTOR_LABELS[row.sector.value] if row.sector else _("Total"),
            "total": row.sector is None,
            "cells": [
                (getattr(row, name), None if name == "baseline" else row.pct(getattr(row, name)))
                for name in TARGET_COLUMNS
            ],
        }
        for row in table.rows
    ]


def charts(overview: selectors.Overview) -> list[dict]:
    """The overview's charts, each with its heading; a chart with nothing to draw is left out."""
    total = overview.table.total
    portfolio = overview.portfolio
    field_labels = dict(FieldOfAction.choices)
    by_field = [
        (
            str(field_labels.get(field.value, field.value)) if field else _("No field of action"),
            cost,
        )
        for field, cost in portfolio.by_field.items()
        if cost > 0
    ]
    charts = [
        (_("Pathway to 2030"), pathway_svg(overview.pathway)),
        (
            _("The gap, step by step"),
            gap_waterfall_svg(total.baseline, total.existing, total.portfolio, total.residual),
            _(
                "All sectors added up. The table counts each sector's shortfall on its own: "
                "a surplus in one sector does not close another sector's gap."
            ),
        ),
        (
            _("Cost per tonne of each action"),
            abatement_curve_svg(ccc.abatement_curve(overview.actions)),
        ),
        (
            _("Portfolio cost by field of action"),
            bar_chart_svg(by_field, title=_("Cost by field of action (€)"), chart_id="field-chart"),
        ),
    ]
    return [
        {"heading": heading, "svg": svg, "note": note[0] if note else ""}
        for heading, svg, *note in charts
        if svg
    ]


def _choice_label(column, value: str) -> str:
    return str(dict(column.choices).get(value, value))


def read_view(module: Module, parts: selectors.Parts) -> dict:
    """The module's stored narratives and tables as the reader sees them."""
    stored = parts.content(module.code)
    values = stored.get("fields", {})
    fields = [
        {
            "label": column.label,
            "markdown": column.kind == "markdown",
            "value": parts.html(module.code, column.name)
            if column.kind == "markdown"
            else _choice_label(column, values.get(column.name, "")),
        }
        for column in module.fields
    ]
    tables = [
        {
            "table": table,
            "rows": [
                [_choice_label(c, row.get(c.name, "")) for c in table.columns]
                for row in stored.get("tables", {}).get(table.name, [])
            ],
        }
        for table in module.tables
    ]
    return {"fields": fields, "tables": tables}


def investment_breakdowns(portfolio: ccc.PortfolioSummary) -> list[tuple[str, list]]:
    """IP-B2's totals: the portfolio's cost by field of action and by responsible body, and
    the capital each source covers."""
    fields = dict(FieldOfAction.choices)
    return [
        (
            _("Cost by field of action"),
            [(fields.get(f.value, f.value) if f else _("No field of action"), v)
             for f, v in portfolio.by_field.items()],
        ),
        (
            _("Cost by responsible body"),
            [(name or _("Not stated"), v) for name, v in portfolio.by_responsible.items()],
        ),
        (_("Capital covered by each source"), list(portfolio.by_source.items())),
    ]  # fmt: skip


def pathway_grid(pathways: list) -> list[tuple[str, list[list]]]:
    """B-1 as the template draws it: fields of action down, systemic levers across, each cell
    the pathways of that pair."""
    return [
        (
            field_label,
            [[p for p in pathways if (p.field_of_action, p.lever) == (field, lever)]
             for lever, _label in SystemicLever.choices],
        )
        for field, field_label in FieldOfAction.choices
    ]  # fmt: skip
