"""Invalidate cached public pages when calls, cohorts or programmes change (admin edits and
memberships included); remove a stored file once its row is gone."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete

from cityzero.core.cache import bump_public_data_version, invalidate_on_change
from cityzero.programmes.models import (
    ActivityReport,
    Answer,
    Application,
    Call,
    Cohort,
    CohortMember,
    Criterion,
    Deliverable,
    EligibilityRule,
    PilotActivity,
    Question,
    Tranche,
    TwinningGroup,
)

invalidate_on_change(
    Cohort,
    Call,
    Question,
    EligibilityRule,
    Criterion,
    Application,
    CohortMember,
    PilotActivity,
    Tranche,
    TwinningGroup,
    Deliverable,
)


def _memberships_changed(**kwargs) -> None:
    """Rows made in bulk or through many-to-many sets send no ``post_save``: bump on commit."""
    transaction.on_commit(bump_public_data_version)


for through in (PilotActivity.partner_cities.through, TwinningGroup.twins.through):
    m2m_changed.connect(_memberships_changed, sender=through, dispatch_uid=f"programmes-{through}")


def _delete_stored_file(sender, instance: Answer | ActivityReport, **kwargs) -> None:
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


for model in (Answer, ActivityReport):
    post_delete.connect(_delete_stored_file, sender=model, dispatch_uid=f"programmes-file-{model}")
