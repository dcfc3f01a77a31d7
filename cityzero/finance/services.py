"""Writes of the Finance Guidance Tool: a city team saves, publishes and deletes results."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cityzero.cities.models import City
from cityzero.finance import questionnaire, selectors
from cityzero.finance.guidance import to_snapshot
from cityzero.finance.models import MAX_NOTE, SavedResult

MAX_TITLE = 200


def _clean_text(title: str, note: str) -> tuple[str, str]:
    title, note = (title or "").strip(), (note or "").replace("\r\n", "\n").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the saved result a title, e.g. the project's name.")]
    elif len(title) > MAX_TITLE:
        errors["title"] = [_("Keep the title to %(max)s characters.") % {"max": MAX_TITLE}]
    if len(note) > MAX_NOTE:
        errors["note"] = [
            _("Keep the note to %(max)s characters; it has %(n)s.")
            % {"max": f"{MAX_NOTE:,}", "n": f"{len(note):,}"}
        ]
    if errors:
        raise ValidationError(errors)
    return title, note


@transaction.atomic
def save_result(
    city: City, *, answers: dict[str, list[str]], title: str, note: str = "", public: bool, by
) -> SavedResult:
    """Check the answers again, rank the funding types as they are now and keep that ranking
    for the city. ``answers`` are query-string values; ValidationError names what is wrong."""
    checked = questionnaire.check(answers)
    if checked.errors:
        raise ValidationError(checked.errors)
    title, note = _clean_text(title, note)
    guidance = selectors.guidance_for(checked.answers)
    return SavedResult.objects.create(
        city=city,
        title=title,
        note=note,
        answers=checked.answers,
        snapshot=to_snapshot(guidance),
        public=public,
        saved_by=by,
    )


@transaction.atomic
def set_result_public(result: SavedResult, *, public: bool) -> SavedResult:
    result.public = public
    result.save(update_fields=["public", "updated_at"])
    return result


@transaction.atomic
def delete_result(result: SavedResult) -> None:
    result.delete()
