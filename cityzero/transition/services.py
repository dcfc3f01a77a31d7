"""Writes of the Climate Transition Map: a city reports its progress on a step."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityzero.cities.models import City
from cityzero.core.cache import bump_public_data_version
from cityzero.core.versioning import claim_version
from cityzero.transition.models import (
    MAX_NOTE,
    MAX_URL,
    StepProgress,
    StepProgressRevision,
    StepStatus,
)
from cityzero.transition.phases import STEP_BY_CODE

EVIDENCE_SCHEMES = ["http", "https"]
FIELDS = ("status", "note", "evidence_url")

BAD_EVIDENCE_URL = gettext_lazy(
    "Give a web address starting with https:// or http://, e.g. https://example.org/plan.pdf"
)
validate_evidence_url = URLValidator(schemes=EVIDENCE_SCHEMES, message=BAD_EVIDENCE_URL)


class EditConflict(Exception):
    """Someone saved the step's progress after the editor loaded it; nothing was written."""

    def __init__(self, current: StepProgress) -> None:
        super().__init__(f"Progress {current.pk} is at version {current.version}")
        self.current = current


def _clean(step_code: str, status: str, note: str, evidence_url: str) -> tuple[str, str]:
    """The note and link as they are stored; ValidationError naming each field that is wrong."""
    errors: dict[str, list[str]] = {}
    if step_code not in STEP_BY_CODE:
        errors["step"] = [_("There is no step “%(code)s” on the map.") % {"code": step_code[:60]}]
    if status not in StepStatus.values:
        errors["status"] = [_("Choose one of: not started, in progress, done.")]
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        errors["note"] = [
            _("Keep the note to %(max)s characters; it has %(n)s.")
            % {"max": f"{MAX_NOTE:,}", "n": f"{len(note):,}"}
        ]
    evidence_url = (evidence_url or "").strip()
    if evidence_url:
        if len(evidence_url) > MAX_URL:
            errors["evidence_url"] = [_("Keep the link to %(max)s characters.") % {"max": MAX_URL}]
        else:
            try:
                validate_evidence_url(evidence_url)
            except ValidationError as error:
                errors["evidence_url"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return note, evidence_url


@transaction.atomic
def report_progress(
    city: City,
    step_code: str,
    *,
    status: str,
    note: str = "",
    evidence_url: str = "",
    base_version: int,
    by,
) -> StepProgressRevision | None:
    """Save the city's progress on one step and record who changed what.

    ``base_version`` is the version the editor saw (0: nothing reported yet). Returns None when
    nothing differs from what is saved (nothing is written).
    """
    note, evidence_url = _clean(step_code, status, note, evidence_url)
    existing = StepProgress.objects.filter(city=city, step=step_code).first()
    if existing is not None and existing.version != base_version:
        raise EditConflict(existing)
    if existing is None and base_version != 0:
        raise EditConflict(StepProgress(city=city, step=step_code))
    new = {"status": status, "note": note, "evidence_url": evidence_url}
    old = (
        {name: getattr(existing, name) for name in FIELDS}
        if existing
        else {"status": StepStatus.NOT_STARTED, "note": "", "evidence_url": ""}
    )
    if old == new:
        return None

    progress = claim_version(
        StepProgress,
        city=city,
        step=step_code,
        base_version=base_version,
        by=by,
        conflict=EditConflict,
    )
    for name, value in new.items():
        setattr(progress, name, value)
    progress.save(update_fields=[*FIELDS])
    revision = StepProgressRevision.objects.create(
        progress=progress,
        version=progress.version,
        author=by,
        changed=[name for name in FIELDS if old[name] != new[name]],
        **new,
    )
    transaction.on_commit(bump_public_data_version)
    return revision
