"""What a comment is about: a whole module, one row of one of its tables, or one of its items.

Anchors are short strings stored with the comment — ``""`` (the module), ``row:<table>:<n>``
(the n-th row, counted from 1) or ``item:<key>`` (an action, indicator, pathway… by its key, which
stays the same in the next iteration, so that a reviewer's remark can be followed there).
"""

from django.utils.translation import gettext as _

from cityzero.contracts.modules import Module
from cityzero.contracts.selectors import PART_LISTS, Parts, Thread

WHOLE_MODULE = ""


def _row_label(table_label: object, number: int, row: dict) -> str:
    first = next((str(value) for value in row.values() if value not in (None, "")), "")
    first = first if len(first) <= 60 else first[:57] + "…"
    label = _("%(table)s, row %(number)s") % {"table": table_label, "number": number}
    return f"{label}: {first}" if first else label


def anchor_choices(module: Module, parts: Parts) -> list[tuple[str, str]]:
    """Every anchor a new comment on this module may have, with its label, in page order."""
    choices = [(WHOLE_MODULE, _("The module as a whole"))]
    tables = parts.content(module.code).get("tables", {})
    for table in module.tables:
        for number, row in enumerate(tables.get(table.name, []), start=1):
            choices.append((f"row:{table.name}:{number}", _row_label(table.label, number, row)))
    own = PART_LISTS.get(module.code)
    for item in getattr(parts, own) if own else []:
        choices.append((f"item:{item.key}", str(item)))
    return choices


def anchor_labels(module: Module, parts: Parts) -> dict[str, str]:
    return dict(anchor_choices(module, parts))


def describe(threads: list[Thread], module: Module, parts: Parts) -> list[Thread]:
    """Say what each thread is about, as the iteration ``parts`` holds it now."""
    labels = anchor_labels(module, parts)
    for thread in threads:
        thread.about = labels.get(thread.root.anchor, _("something no longer in this iteration"))
    return threads
