"""Model pieces shared by the apps: an uploaded file kept under a random name."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def stored_file_path(instance: "StoredFile", filename: str) -> str:
    return f"{instance.UPLOAD_FOLDER}/{instance.stored_name}"


class StoredFile(models.Model):
    """An upload checked by ``core.uploads``, stored under a random name in ``UPLOAD_FOLDER``,
    offered for download under the (cleaned) name its uploader gave it."""

    UPLOAD_FOLDER: ClassVar[str]

    file = models.FileField(upload_to=stored_file_path)
    stored_name = models.CharField(max_length=80)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
