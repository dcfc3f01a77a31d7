from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from cityzero.cities.models import City, DossierSection, SectionRevision
from cityzero.cities.sections import (
    EMPTY_SNAPSHOT,
    SECTION_FIELDS,
    SPECS,
    describe_changes,
    snapshot,
)
from cityzero.cities.selectors import section_row_values
from cityzero.core.cache import bump_public_data_version
from cityzero.core.markdown import render_markdown
from cityzero.core.versioning import claim_version


@dataclass
class SectionInput:
    visibility: str
    narrative_md: str = ""
    ambition_md: str = ""
    total_investment_eur: Decimal | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)

    def section_values(self) -> dict[str, Any]:
        return {
            "visibility": self.visibility,
            "narrative_md": self.narrative_md,
            "ambition_md": self.ambition_md,
            "total_investment_eur": self.total_investment_eur,
        }


class EditConflict(Exception):
    """Someone saved the section after the editor loaded it; nothing was written."""

    def __init__(self, current: DossierSection) -> None:
        super().__init__(f"Section {current.pk} is at version {current.version}")
        self.current = current


def current_snapshot(section: DossierSection) -> dict:
    if section.pk is None:
        return EMPTY_SNAPSHOT
    values = {name: getattr(section, name) for name in SECTION_FIELDS}
    return snapshot(values, section_row_values(section), SPECS[section.kind])


@transaction.atomic
def update_section(
    city: City, kind: str, *, data: SectionInput, base_version: int, by
) -> SectionRevision | None:
    """Save a new version of one dossier section, recording who changed what.

    Returns None when the submitted content equals the saved one (nothing is written).
    """
    spec = SPECS[kind]
    existing = DossierSection.objects.filter(city=city, kind=kind).first()
    if existing is not None and existing.version != base_version:
        raise EditConflict(existing)
    old = current_snapshot(existing) if existing else EMPTY_SNAPSHOT
    new = snapshot(data.section_values(), data.rows, spec)
    if existing is not None and old == new:
        return None

    section = claim_version(
        DossierSection,
        city=city,
        kind=kind,
        base_version=base_version,
        by=by,
        conflict=EditConflict,
    )
    section.visibility = data.visibility
    section.narrative_md = data.narrative_md
    section.narrative_html = render_markdown(data.narrative_md)
    section.ambition_md = data.ambition_md if spec.has_ambition else ""
    section.ambition_html = render_markdown(section.ambition_md)
    section.total_investment_eur = data.total_investment_eur if spec.has_total else None
    section.full_clean(exclude=["city"], validate_unique=False)
    section.save()
    if spec.row_model is not None:
        _replace_rows(section, spec, data.rows)
    revision = SectionRevision.objects.create(
        section=section,
        version=section.version,
        author=by,
        snapshot=new,
        changes=describe_changes(old, new, spec),
    )
    transaction.on_commit(bump_public_data_version)
    return revision


def _replace_rows(section: DossierSection, spec, rows: list[dict[str, Any]]) -> None:
    spec.row_model.objects.filter(section=section).delete()
    spec.row_model.objects.bulk_create(
        spec.row_model(section=section, position=position, **row)
        for position, row in enumerate(rows)
    )
