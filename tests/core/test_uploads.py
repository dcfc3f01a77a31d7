import io
import zipfile

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from cityzero.core.uploads import DOCUMENTS, PDF, XLSX, CheckedFileField, check_upload

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    "name, data, extension",
    [
        ("statement.pdf", PDF_BYTES, "pdf"),
        ("Statement.PDF", PDF_BYTES, "pdf"),
        ("sales.xlsx", xlsx_bytes(), "xlsx"),
        ("meter.png", PNG_BYTES, "png"),
        ("sales.csv", "year;MWh\n2022;1 000\nKöln;é\n".encode(), "csv"),
        ("notes.markdown", b"# Notes\n\nFrom the utility.", "md"),
    ],
)
def test_files_of_an_accepted_kind_pass(name, data, extension):
    assert check_upload(upload(name, data), DOCUMENTS, 1024 * 1024).extension == extension


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.exe", b"MZ\x90\x00", "not accepted. Choose one of: .pdf"),
        ("report", PDF_BYTES, "not accepted"),
        ("report.pdf", b"<html><script>alert(1)</script>", "not a .pdf file"),
        ("sales.xlsx", PDF_BYTES, "not a .xlsx file"),
        ("data.csv", b"\x00\x01\x02binary", "not a .csv file"),
        ("data.csv", "caf\xe9".encode("latin-1"), "not a .csv file"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", PDF_BYTES + b" " * 2000, "the limit is 0.00195312 MB"),
    ],
)
def test_wrong_spoofed_empty_or_big_files_are_refused(name, data, message):
    with pytest.raises(forms.ValidationError, match=message):
        check_upload(upload(name, data), DOCUMENTS, 2048)


def test_a_zip_named_xlsx_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(forms.ValidationError, match=r"not a \.xlsx file"):
        check_upload(upload("sales.xlsx", buffer.getvalue()), (XLSX,), 1024 * 1024)


def test_text_cut_inside_a_character_at_the_sniff_limit_still_passes(monkeypatch):
    monkeypatch.setattr("cityzero.core.uploads.SNIFF_BYTES", 4)
    assert check_upload(upload("a.csv", "abcé".encode()), DOCUMENTS, 1024).extension == "csv"


def test_the_field_offers_only_its_kinds_and_remembers_the_kind():
    field = CheckedFileField(kinds=(PDF,), max_bytes=1024)
    assert field.widget.attrs["accept"] == ".pdf"
    cleaned = field.clean(upload("a.pdf", PDF_BYTES))
    assert cleaned.kind is PDF
