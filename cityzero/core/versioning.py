"""Optimistic locking of a row keyed by (city, something): advance its version or say who won."""

from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone


def claim_version(
    model: type[models.Model], *, base_version: int, by: Any, conflict: type[Exception], **key: Any
) -> Any:
    """Advance the row's version from ``base_version`` (0: not there yet), or raise ``conflict``
    with the row as it is now (unsaved when it does not exist)."""
    now = timezone.now()
    if base_version == 0:
        try:
            with transaction.atomic():
                return model.objects.create(**key, version=1, updated_at=now, updated_by=by)
        except IntegrityError:
            raise conflict(model.objects.get(**key)) from None
    claimed = model.objects.filter(**key, version=base_version).update(
        version=F("version") + 1, updated_at=now, updated_by=by
    )
    if not claimed:
        raise conflict(model.objects.filter(**key).first() or model(**key))
    return model.objects.get(**key)
