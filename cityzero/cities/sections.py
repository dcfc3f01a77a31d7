"""What each dossier section holds, and how two saved versions of a section differ."""

from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cityzero.cities.models import (
    Barrier,
    CapacityPriority,
    Collaboration,
    DossierSection,
    InvestmentNeed,
    SectionKind,
    SectionRow,
    Skill,
    Stakeholder,
    Visibility,
)


@dataclass(frozen=True)
class SectionSpec:
    kind: SectionKind
    description: Any
    narrative_label: Any
    row_model: type[SectionRow] | None = None
    row_fields: tuple[str, ...] = ()
    rows_label: Any = ""
    has_ambition: bool = False
    has_total: bool = False

    @property
    def related_name(self) -> str | None:
        if self.row_model is None:
            return None
        return self.row_model._meta.get_field("section").remote_field.related_name

    @property
    def row_value_names(self) -> list[str]:
        """Row fields as `.values()` names them: foreign keys by their `_id` column."""
        assert self.row_model is not None
        return [
            f"{name}_id" if self.row_model._meta.get_field(name).is_relation else name
            for name in self.row_fields
        ]

    @property
    def label_field(self) -> str:
        """The row field that names a row in the history ("Added stakeholder: Energy agency")."""
        return self.row_fields[0]


SPECS: dict[str, SectionSpec] = {
    spec.kind.value: spec
    for spec in (
        SectionSpec(
            SectionKind.VISION,
            _("Where the city wants to be, and what it commits to reach by 2030."),
            _("Vision"),
            has_ambition=True,
        ),
        SectionSpec(
            SectionKind.INVESTMENT,
            _("The investment the city estimates it needs to reach climate neutrality, in euros."),
            _("Notes on the estimate"),
            row_model=InvestmentNeed,
            row_fields=("field_of_action", "amount_eur", "note"),
            rows_label=_("Investment need by field of action"),
            has_total=True,
        ),
        SectionSpec(
            SectionKind.CAPACITY,
            _("Where the city most needs to build capacity."),
            _("Introduction"),
            row_model=CapacityPriority,
            row_fields=("title", "field_of_action", "description"),
            rows_label=_("Priorities"),
        ),
        SectionSpec(
            SectionKind.STAKEHOLDERS,
            _("Who matters for the transition, and how much influence and interest they have."),
            _("Introduction"),
            row_model=Stakeholder,
            row_fields=("name", "type", "level", "role", "influence", "interest"),
            rows_label=_("Stakeholders"),
        ),
        SectionSpec(
            SectionKind.COLLABORATIONS,
            _("Partner cities, networks and programmes the city works with."),
            _("Introduction"),
            row_model=Collaboration,
            row_fields=("name", "kind", "partner_city", "description"),
            rows_label=_("Collaborations"),
        ),
        SectionSpec(
            SectionKind.SKILLS,
            _("Skills the city has in house, and skills it is missing."),
            _("Introduction"),
            row_model=Skill,
            row_fields=("name", "status", "note"),
            rows_label=_("Skills"),
        ),
        SectionSpec(
            SectionKind.BARRIERS,
            _("What stands in the way of the transition."),
            _("Introduction"),
            row_model=Barrier,
            row_fields=("description", "typology", "field_of_action"),
            rows_label=_("Barriers"),
        ),
    )
}

SECTION_FIELDS = ("visibility", "narrative_md", "ambition_md", "total_investment_eur")


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if hasattr(value, "pk"):
        return value.pk
    return str(value)


def snapshot(section_values: dict[str, Any], rows: list[dict[str, Any]], spec: SectionSpec) -> dict:
    """A JSON-ready record of one version of a section: its own fields and its rows in order."""
    return {
        "fields": {name: _plain(section_values.get(name)) for name in SECTION_FIELDS},
        "rows": [{name: _plain(row.get(name)) for name in spec.row_fields} for row in rows],
    }


def _same(old: Any, new: Any) -> bool:
    return old == new or (old in (None, "") and new in (None, ""))


def describe_changes(old: dict, new: dict, spec: SectionSpec) -> list[dict[str, Any]]:
    """What changed between two snapshots, as structured entries the history page renders."""
    changes: list[dict[str, Any]] = [
        {"change": "field", "field": name, "old": old["fields"].get(name), "new": value}
        for name, value in new["fields"].items()
        if not _same(old["fields"].get(name), value)
    ]
    old_rows = {str(row[spec.label_field]): row for row in old["rows"]}
    new_rows = {str(row[spec.label_field]): row for row in new["rows"]}
    for label, row in new_rows.items():
        if label not in old_rows:
            changes.append({"change": "added", "label": label})
        elif old_rows[label] != row:
            changed = sorted(k for k in row if row[k] != old_rows[label].get(k))
            changes.append({"change": "edited", "label": label, "fields": changed})
    changes.extend(
        {"change": "removed", "label": label} for label in old_rows if label not in new_rows
    )
    return changes


EMPTY_SNAPSHOT: dict = {"fields": {}, "rows": []}


def _field_label(name: str, spec: SectionSpec) -> str:
    if name == "narrative_md":
        return str(spec.narrative_label)
    return capfirst(str(DossierSection._meta.get_field(name).verbose_name))


def _display(name: str, value: Any) -> str:
    if name == "visibility" and value in Visibility.values:
        return str(Visibility(value).label)
    if name == "total_investment_eur" and value not in (None, ""):
        return f"€{int(value):,}"
    return str(value) if value not in (None, "") else str(_("(empty)"))


def _row_label(label: str, spec: SectionSpec) -> str:
    field = spec.row_model._meta.get_field(spec.label_field) if spec.row_model else None
    if field is not None and field.choices:
        return str(dict(field.choices).get(label, label))
    return label


def change_sentences(changes: list[dict[str, Any]], spec: SectionSpec) -> list[str]:
    """The history page's plain-language account of one revision's changes."""
    sentences = []
    for change in changes:
        kind = change["change"]
        if kind == "field" and change["field"] in ("narrative_md", "ambition_md"):
            sentences.append(
                _("%(field)s rewritten") % {"field": _field_label(change["field"], spec)}
            )
        elif kind == "field":
            sentences.append(
                _("%(field)s: %(old)s → %(new)s")
                % {
                    "field": _field_label(change["field"], spec),
                    "old": _display(change["field"], change["old"]),
                    "new": _display(change["field"], change["new"]),
                }
            )
        elif kind == "added":
            sentences.append(_("Added “%(row)s”") % {"row": _row_label(change["label"], spec)})
        elif kind == "removed":
            sentences.append(_("Removed “%(row)s”") % {"row": _row_label(change["label"], spec)})
        else:
            fields = ", ".join(
                str(spec.row_model._meta.get_field(name).verbose_name) for name in change["fields"]
            )
            sentences.append(
                _("Changed “%(row)s” (%(fields)s)")
                % {"row": _row_label(change["label"], spec), "fields": fields}
            )
    return sentences
