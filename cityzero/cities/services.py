from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.cities import needs
from cityzero.cities.models import (
    MAX_AREA_NOTE,
    City,
    DossierSection,
    NeedsAnswer,
    NeedsArea,
    NeedsAssessment,
    SectionRevision,
)
from cityzero.cities.sections import (
    EMPTY_SNAPSHOT,
    SECTION_FIELDS,
    SPECS,
    describe_changes,
    snapshot,
)
from cityzero.cities.selectors import section_row_values
from cityzero.community.services import notify
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


# --- The support needs assessment ---------------------------------------------------------------

EARLIEST_ASSESSMENT = date(2020, 1, 1)


@dataclass
class NeedsInput:
    assessed_on: date
    answers: dict[str, int]  # question code → level; unscored statements are left out
    areas: dict[str, tuple[str, str]]  # area code → (support, note)


class NeedsEditConflict(Exception):
    """Someone corrected the assessment after the editor loaded it; nothing was written."""

    def __init__(self, current: NeedsAssessment) -> None:
        super().__init__(f"Needs assessment {current.pk} is at version {current.version}")
        self.current = current


def _check_needs(city: City, data: NeedsInput, *, exclude_pk: int | None = None) -> None:
    problems = needs.check_answers(data.answers)
    if data.assessed_on > timezone.localdate():
        problems.append(_("The assessment date cannot be in the future."))
    if data.assessed_on < EARLIEST_ASSESSMENT:
        problems.append(
            _("Give a date from %(date)s on.") % {"date": f"{EARLIEST_ASSESSMENT:%d %b %Y}"}
        )
    for code, (support, note) in data.areas.items():
        if code not in needs.AREA_BY_CODE or support not in needs.Support.values:
            problems.append(_("Unknown area or support level: %(code)s.") % {"code": code})
        elif len(note) > MAX_AREA_NOTE:
            problems.append(
                _("Keep the note on %(area)s to %(n)s characters or fewer.")
                % {"area": needs.AREA_BY_CODE[code].name, "n": f"{MAX_AREA_NOTE:,}"}
            )
    same_day = NeedsAssessment.objects.filter(city=city, assessed_on=data.assessed_on)
    if same_day.exclude(pk=exclude_pk).exists():
        problems.append(
            _("There is already an assessment dated %(date)s: correct that one instead.")
            % {"date": f"{data.assessed_on:%d %b %Y}"}
        )
    if problems:
        raise ValidationError(problems)


def _write_needs(assessment: NeedsAssessment, data: NeedsInput) -> None:
    assessment.answers.all().delete()
    assessment.areas.all().delete()
    NeedsAnswer.objects.bulk_create(
        NeedsAnswer(assessment=assessment, question=code, score=score)
        for code, score in data.answers.items()
    )
    NeedsArea.objects.bulk_create(
        NeedsArea(assessment=assessment, area=code, support=support, note=note.strip())
        for code, (support, note) in data.areas.items()
    )


@transaction.atomic
def record_needs_assessment(city: City, *, data: NeedsInput, by) -> NeedsAssessment:
    """A new assessment, which becomes the city's current one if it is the newest; the team is
    told."""
    _check_needs(city, data)
    assessment = NeedsAssessment.objects.create(
        city=city, assessed_on=data.assessed_on, assessor=by, updated_at=timezone.now(),
        updated_by=by,
    )  # fmt: skip
    _write_needs(assessment, data)
    team = get_user_model().objects.filter(memberships__city=city)
    notify(
        team,
        source=f"needs-assessment:{assessment.pk}",
        title=_("%(city)s: a new support needs assessment") % {"city": city.name},
        body=_("Your city's advisor recorded the support needs assessment of %(date)s.")
        % {"date": f"{data.assessed_on:%d %b %Y}"},
        url=reverse("cities:needs", args=[city.slug]),
    )
    return assessment


@transaction.atomic
def revise_needs_assessment(
    assessment: NeedsAssessment, *, data: NeedsInput, base_version: int, by
) -> NeedsAssessment:
    """Correct the current assessment; older ones are history and stay as they were."""
    locked = (
        NeedsAssessment.objects.select_for_update().select_related("city").get(pk=assessment.pk)
    )
    if locked.version != base_version:
        raise NeedsEditConflict(locked)
    newest = NeedsAssessment.objects.filter(city=locked.city).order_by("-assessed_on").first()
    if newest is None or newest.pk != locked.pk:
        raise ValidationError(
            _("Only the current assessment may be corrected; older ones are kept as they were.")
        )
    _check_needs(locked.city, data, exclude_pk=locked.pk)
    locked.assessed_on = data.assessed_on
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.updated_by = by
    locked.save(update_fields=["assessed_on", "version", "updated_at", "updated_by"])
    _write_needs(locked, data)
    return locked
