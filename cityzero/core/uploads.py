"""Uploaded files: what types the platform accepts, checked by their content, and how big.

A file is accepted when its extension is on the list *and* its first bytes say it is that kind
of file (``filetype`` reads the signatures, and opens Office/OpenDocument zips to tell them
apart); text formats have no signature, so they must decode as UTF-8 without control bytes.
The name a user gave is never used to store the file.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import filetype
from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from cityzero.core.models import StoredFile


@dataclass(frozen=True, slots=True)
class FileKind:
    extension: str
    mime: str
    text: bool = False


PDF = FileKind("pdf", "application/pdf")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet")
PNG = FileKind("png", "image/png")
JPEG = FileKind("jpg", "image/jpeg")
CSV = FileKind("csv", "text/csv", text=True)
TXT = FileKind("txt", "text/plain", text=True)
MARKDOWN = FileKind("md", "text/markdown", text=True)

# Evidence and source documents: reports, spreadsheets, scans, plain data.
DOCUMENTS = (PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG, CSV, TXT, MARKDOWN)
EXTENSION_ALIASES = {"jpeg": "jpg", "markdown": "md"}
SNIFF_BYTES = 64 * 1024
_CONTROL = set(range(0, 32)) - {9, 10, 13}


def _extension(name: str) -> str:
    suffix = PurePath(name).suffix.lower().lstrip(".")
    return EXTENSION_ALIASES.get(suffix, suffix)


def _looks_like_text(head: bytes, *, cut: bool) -> bool:
    # A head cut at the sniff limit may end inside a multi-byte character: allow that tail.
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if not cut or error.start < len(head) - 3 or error.reason != "unexpected end of data":
            return False
        text = head[: error.start].decode("utf-8")
    return not any(ord(char) in _CONTROL for char in text)


def _matches(kind: FileKind, head: bytes, *, cut: bool) -> bool:
    if kind.text:
        return _looks_like_text(head, cut=cut)
    guessed = filetype.guess(head)
    return guessed is not None and guessed.mime == kind.mime


def check_upload(upload: UploadedFile, kinds: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """The kind of an acceptable upload; ``forms.ValidationError`` saying what is wrong otherwise."""
    allowed = ", ".join(f".{kind.extension}" for kind in kinds)
    if upload.size is not None and upload.size > max_bytes:
        raise forms.ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 2**20:.1f}", "limit": f"{max_bytes / 2**20:g}"}
        )
    if not upload.size:
        raise forms.ValidationError(_("The file is empty."))
    extension = _extension(upload.name or "")
    kind = next((k for k in kinds if k.extension == extension), None)
    if kind is None:
        raise forms.ValidationError(
            _("Files of this type are not accepted. Choose one of: %(allowed)s.")
            % {"allowed": allowed}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if not _matches(kind, head, cut=len(head) == SNIFF_BYTES):
        raise forms.ValidationError(
            _("The file's content is not a .%(extension)s file, whatever its name says.")
            % {"extension": kind.extension}
        )
    return kind


class CheckedFileField(forms.FileField):
    """A file field that accepts only ``kinds`` up to ``max_bytes``; ``clean`` sets ``.kind``."""

    def __init__(self, *, kinds: tuple[FileKind, ...], max_bytes: int, **kwargs) -> None:
        self.kinds = kinds
        self.max_bytes = max_bytes
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ",".join(f".{kind.extension}" for kind in kinds)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.kind = check_upload(upload, self.kinds, self.max_bytes)
        return upload


# --- keeping and serving checked uploads --------------------------------------------------------


def _shown_name(name: str, extension: str) -> str:
    try:
        return get_valid_filename(PurePath(name or "").name)[:200]
    except SuspiciousFileOperation:
        return f"file.{extension}"


def stored_fields(upload: Any, *, by) -> dict[str, Any]:
    """A ``StoredFile``'s fields for an upload ``CheckedFileField`` checked (it set ``.kind``):
    a random stored name, never the name the user gave, which is kept (cleaned) for downloads."""
    extension = upload.kind.extension
    return {
        "stored_name": f"{uuid.uuid4().hex}.{extension}",
        "name": _shown_name(upload.name, extension),
        "content_type": upload.kind.mime,
        "size": upload.size,
        "uploaded_by": by,
    }


def save_files(pairs: Iterable[tuple["StoredFile", Any]]) -> None:
    """Store each upload and save its row: all of them or, on an error, no file left behind."""
    saved: list[StoredFile] = []
    current: StoredFile | None = None
    try:
        for current, upload in pairs:
            current.file.save(current.stored_name, upload, save=False)
            saved.append(current)
            current.save()
    except Exception:
        for row in saved:
            row.file.delete(save=False)  # no row, so no file either
        if current is not None and current not in saved:  # a partial copy may be on disk
            field = current.file.field
            current.file.storage.delete(field.generate_filename(current, current.stored_name))
        raise


def download(stored: "StoredFile", *, private: bool = True) -> FileResponse:
    """The file as a download, never shown inline; ``private`` keeps it out of shared caches."""
    try:
        opened = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is missing; tell the platform staff.")) from None
    response = FileResponse(
        opened, as_attachment=True, filename=stored.name or "file", content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def _delete_stored_file(sender, instance: "StoredFile", **kwargs) -> None:
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def delete_files_with_rows(*models: type) -> None:
    """Remove a file's stored copy once the deletion of its row is committed."""
    for model in models:
        post_delete.connect(
            _delete_stored_file, sender=model, dispatch_uid=f"stored-file-{model._meta.label}"
        )
