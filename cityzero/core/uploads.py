"""Uploaded files: what types the platform accepts, checked by their content, and how big.

A file is accepted when its extension is on the list *and* its first bytes say it is that kind
of file (``filetype`` reads the signatures, and opens Office/OpenDocument zips to tell them
apart); text formats have no signature, so they must decode as UTF-8 without control bytes.
The name a user gave is never used to store the file.
"""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _


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
