"""`cityzero backup` and `cityzero restore`: the whole platform round-trips without a difference,
and a damaged or foreign archive is refused with nothing written."""

import datetime
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cityzero.cities.models import City
from cityzero.core.backup import EXCLUDED, FIXTURE_FORMAT, BackupError, back_up, restore
from cityzero.core.uploads import PDF
from cityzero.monitoring import selectors, services
from cityzero.monitoring.models import ActionReport, EvidenceFile
from tests.core.test_uploads import PDF_BYTES

# Flushing and loading commit as a restore does (PostgreSQL refuses to TRUNCATE tables with
# rows written earlier in the same transaction).
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> tuple[list, dict[str, str]]:
    """Every row as dumpdata gives it, and every uploaded file's checksum."""
    out = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, format=FIXTURE_FORMAT,
                 stdout=out)  # fmt: skip
    rows = sorted(json.loads(out.getvalue()), key=lambda r: (r["model"], str(r["pk"])))
    root = Path(settings.MEDIA_ROOT)
    files = {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }
    return rows, files


def wipe() -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()


@pytest.fixture
def platform():
    """The demo platform, plus an evidence file on one of Valencia's actions."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    valencia = City.objects.get(slug="valencia")
    action = selectors.endorsed_iteration(valencia).actions.first()
    upload = SimpleUploadedFile("meter readings.pdf", PDF_BYTES)
    upload.kind = PDF
    data = services.ReportInput(
        reported_on=datetime.date(2026, 1, 5), status="in_progress", percent_done=10
    )
    services.report_progress(valencia, action, data, files=[upload], by=None)
    return snapshot()


def test_a_backup_restored_into_an_empty_platform_differs_in_nothing(platform, tmp_path):
    archive = tmp_path / "cityzero.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    wipe()
    assert snapshot() == ([], {})

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert snapshot() == platform
    assert EvidenceFile.objects.count() == 1 and platform[1]  # files went round too
    assert "Restored" in out.getvalue()


def test_restoring_over_existing_data_needs_replace(platform, tmp_path):
    archive = tmp_path / "cityzero.tar.gz"
    back_up(archive)
    ActionReport.objects.all().delete()
    with pytest.raises(CommandError, match="holds data already"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert ActionReport.objects.count() == 0  # nothing written

    restore(archive, replace=True)
    assert snapshot() == platform


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy an archive, passing each (name, bytes) through ``change`` (None drops it)."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source:
            content = source.extractfile(member).read()
            changed = change(member.name, content)
            if changed is not None:
                name, content = changed
                info = tarfile.TarInfo(name)
                info.size = len(content)
                copy.addfile(info, io.BytesIO(content))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n, c: (n, c + b" ") if n == "data.json" else (n, c), "data.json does not match"),
        (lambda n, c: (n, b"x" + c) if n.startswith("media/") else (n, c), "does not match its"),
        (lambda n, c: None if n.startswith("media/") else (n, c), "not the ones its manifest"),
        (lambda n, c: ("../../evil.txt", c) if n.startswith("media/") else (n, c), "may not"),
        (lambda n, c: None if n == "manifest.json" else (n, c), "no manifest.json"),
    ],
    ids=["data-changed", "file-changed", "file-missing", "path-traversal", "no-manifest"],
)
def test_a_damaged_archive_is_refused_and_nothing_is_written(platform, tmp_path, change, message):
    archive, damaged = tmp_path / "good.tar.gz", tmp_path / "damaged.tar.gz"
    back_up(archive)
    _rewrite(archive, damaged, change)
    wipe()
    with pytest.raises(BackupError, match=message):
        restore(damaged)
    assert snapshot() == ([], {})
    assert not (tmp_path.parent / "evil.txt").exists()


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match="not a CityZero backup"):
        restore(junk)


def test_an_archive_from_newer_migrations_is_refused(platform, tmp_path):
    archive, newer = tmp_path / "good.tar.gz", tmp_path / "newer.tar.gz"
    back_up(archive)

    def from_the_future(name, content):
        if name != "manifest.json":
            return name, content
        manifest = json.loads(content)
        manifest["migrations"].append(["monitoring", "9999_from_the_future"])
        return name, json.dumps(manifest).encode()

    _rewrite(archive, newer, from_the_future)
    wipe()
    with pytest.raises(BackupError, match="run `cityzero migrate` first"):
        restore(newer)
