"""What changed between two iterations of a contract, module by module, in words."""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from cityzero.contracts.modules import MODULES, Module, Table
from cityzero.contracts.selectors import PART_LISTS, Parts

SKIPPED_FIELDS = {"id", "iteration", "key", "position", "version", "description_html",
                  "commitment_html"}  # fmt: skip


@dataclass(frozen=True)
class ModuleChanges:
    module: Module
    changes: list[str]


def _short(value: Any) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _field_changes(module: Module, old: dict, new: dict) -> list[str]:
    return [
        _("%(field)s: “%(old)s” → “%(new)s”")
        % {
            "field": column.label,
            "old": _short(old.get(column.name)),
            "new": _short(new.get(column.name)),
        }
        for column in module.fields
        if old.get(column.name, "") != new.get(column.name, "")
    ]


def _table_changes(table: Table, old: list[dict], new: list[dict]) -> list[str]:
    key = table.key_column
    old_rows = {row.get(key, ""): row for row in old}
    new_rows = {row.get(key, ""): row for row in new}
    changes = [
        _("%(table)s: added “%(row)s”") % {"table": table.label, "row": _short(name)}
        for name in new_rows
        if name not in old_rows
    ]
    changes += [
        _("%(table)s: removed “%(row)s”") % {"table": table.label, "row": _short(name)}
        for name in old_rows
        if name not in new_rows
    ]
    for name, row in new_rows.items():
        before = old_rows.get(name)
        if before is not None and before != row:
            columns = [str(c.label) for c in table.columns if before.get(c.name) != row.get(c.name)]
            changes.append(
                _("%(table)s: “%(row)s” changed (%(columns)s)")
                % {"table": table.label, "row": _short(name), "columns": ", ".join(columns)}
            )
    return changes


def _comparable(part: models.Model) -> dict[str, Any]:
    values = {}
    for f in part._meta.concrete_fields:
        if f.name in SKIPPED_FIELDS:
            continue
        value = getattr(part, f.name)
        values[str(f.verbose_name)] = str(value.key) if isinstance(value, models.Model) else value
    return values


def _part_changes(old: list[models.Model], new: list[models.Model]) -> list[str]:
    old_parts = {part.key: part for part in old}
    new_parts = {part.key: part for part in new}
    changes = [_("added “%(name)s”") % {"name": part} for k, part in new_parts.items()
               if k not in old_parts]  # fmt: skip
    changes += [_("removed “%(name)s”") % {"name": part} for k, part in old_parts.items()
                if k not in new_parts]  # fmt: skip
    for k, part in new_parts.items():
        if k not in old_parts:
            continue
        before, after = _comparable(old_parts[k]), _comparable(part)
        fields = [name for name in after if before.get(name) != after[name]]
        if fields:
            changes.append(
                _("“%(name)s” changed: %(fields)s") % {"name": part, "fields": ", ".join(fields)}
            )
    return changes


def compare_iterations(old: Parts, new: Parts) -> list[ModuleChanges]:
    """Every module with what changed from ``old`` to ``new``; unchanged modules have no lines."""
    result = []
    for module in MODULES:
        before, after = old.content(module.code), new.content(module.code)
        changes = _field_changes(module, before.get("fields", {}), after.get("fields", {}))
        for table in module.tables:
            changes += _table_changes(
                table,
                before.get("tables", {}).get(table.name, []),
                after.get("tables", {}).get(table.name, []),
            )
        if module.code in PART_LISTS:
            name = PART_LISTS[module.code]
            changes += _part_changes(getattr(old, name), getattr(new, name))
        result.append(ModuleChanges(module, changes))
    return result
