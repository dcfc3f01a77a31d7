"""Files shared in a group, checked by ``core.uploads`` and stored under a random name."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityzero.community.models import MAX_SUMMARY, Group, SharedFile
from cityzero.core.uploads import save_files, stored_fields

MAX_FILES_PER_GROUP = 500


@transaction.atomic
def share_file(group: Group, *, upload: Any, description: str = "", by) -> SharedFile:
    """Keep an upload that ``CheckedFileField`` checked (it set ``.kind``)."""
    description = description.strip()
    if len(description) > MAX_SUMMARY:
        raise ValidationError(_("Keep the description to %(n)s characters.") % {"n": MAX_SUMMARY})
    if SharedFile.objects.filter(group=group).count() >= MAX_FILES_PER_GROUP:
        raise ValidationError(
            _("The group holds %(n)s files, its limit: ask a moderator to remove old ones.")
            % {"n": MAX_FILES_PER_GROUP}
        )
    shared = SharedFile(group=group, description=description, **stored_fields(upload, by=by))
    save_files([(shared, upload)])
    Group.objects.filter(pk=group.pk).update(last_activity_at=timezone.now())
    return shared
