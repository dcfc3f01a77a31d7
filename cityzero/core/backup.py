"""The whole platform in one file and back: every row (Django's serialisation) and every uploaded
file, with a manifest that says what is inside and a SHA-256 of each file.

An archive is a gzipped tar of ``manifest.json``, ``data.json`` and ``media/...``. A restore goes
into a migrated database at the same migrations, empty or (with ``replace``) emptied first; it
checks the manifest, the migrations and every file's checksum before it writes anything, and
loads the rows in one transaction. Content types, permissions and sessions are not kept: migrate
makes the first two, and sessions are only sign-ins.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
FIXTURE_FORMAT = "exactjson"  # Django's JSON to the microsecond (cityzero.core.serializers)
EXCLUDED = ["contenttypes", "auth.permission", "sessions"]


class BackupError(Exception):
    """The archive cannot be restored here; the message says why. Nothing was written."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    archive.addfile(info, io.BytesIO(data))


def _row_counts(data: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in data:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return dict(sorted(counts.items()))


def back_up(path: Path) -> dict:
    """Write the archive to ``path``; return its manifest."""
    buffer = io.StringIO()
    call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, format=FIXTURE_FORMAT,
                 stdout=buffer)  # fmt: skip
    data = buffer.getvalue().encode()
    root = Path(settings.MEDIA_ROOT)
    files = {str(p.relative_to(root).as_posix()): p.read_bytes() for p in _media_files()}
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "migrations": _applied_migrations(),
        "rows": _row_counts(json.loads(data)),
        "data_sha256": _sha256(data),
        "files": {name: _sha256(content) for name, content in files.items()},
    }
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add(archive, "data.json", data)
        for name, content in files.items():
            _add(archive, f"media/{name}", content)
    return manifest


@dataclass
class _Contents:
    manifest: dict
    data: bytes
    files: dict[str, bytes]  # path below MEDIA_ROOT → content


def _safe_media_name(member: tarfile.TarInfo) -> str:
    name = PurePosixPath(member.name)
    if (
        not member.isfile()
        or name.is_absolute()
        or ".." in name.parts
        or name.parts[:1] != ("media",)
        or len(name.parts) < 2
    ):
        raise BackupError(f"The archive holds an entry it may not: {member.name!r}.")
    return PurePosixPath(*name.parts[1:]).as_posix()


def _read(path: Path) -> _Contents:
    manifest, data, files = None, None, {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if member.name in ("manifest.json", "data.json") and member.isfile():
                    content = archive.extractfile(member).read()  # type: ignore[union-attr]
                    if member.name == "manifest.json":
                        manifest = json.loads(content)
                    else:
                        data = content
                    continue
                name = _safe_media_name(member)
                files[name] = archive.extractfile(member).read()  # type: ignore[union-attr]
    except (OSError, EOFError, ValueError, tarfile.TarError) as error:
        raise BackupError(f"This is not a CityZero backup (a .tar.gz): {error}.") from None
    if not isinstance(manifest, dict) or data is None:
        raise BackupError("The archive has no manifest.json or no data.json.")
    return _Contents(manifest, data, files)


def _check(contents: _Contents) -> None:
    manifest = contents.manifest
    if manifest.get("format") != FORMAT:
        raise BackupError(f"The archive is format {manifest.get('format')!r}; this is {FORMAT}.")
    if _sha256(contents.data) != manifest.get("data_sha256"):
        raise BackupError("data.json does not match its checksum: the archive is damaged.")
    listed = manifest.get("files", {})
    if set(listed) != set(contents.files):
        raise BackupError("The archive's files are not the ones its manifest lists.")
    for name, content in contents.files.items():
        if _sha256(content) != listed[name]:
            raise BackupError(f"{name} does not match its checksum: the archive is damaged.")
    missing = [m for m in manifest.get("migrations", []) if m not in _applied_migrations()]
    if missing:
        raise BackupError(
            "The archive was made at migrations this database does not have yet "
            f"(e.g. {missing[0][0]}.{missing[0][1]}): run `cityzero migrate` first."
        )


def _has_data() -> bool:
    return any(
        model.objects.exists()
        for model in apps.get_models()
        if model._meta.app_label not in {"contenttypes", "auth", "sessions"}
        or model._meta.model_name == "group"
    )


def restore(path: Path, *, replace: bool = False) -> dict:
    """Load the archive at ``path``; return its manifest. BackupError when it cannot be."""
    contents = _read(path)
    _check(contents)
    if _has_data() and not replace:
        raise BackupError(
            "This database holds data already. Restore into an empty one, or pass --replace "
            "to delete everything here first."
        )
    with tempfile.TemporaryDirectory() as folder:
        fixture = Path(folder) / f"data.{FIXTURE_FORMAT}"
        fixture.write_bytes(contents.data)
        with transaction.atomic():
            if replace:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(fixture), verbosity=0)
    root = Path(settings.MEDIA_ROOT)
    if replace:
        for stale in _media_files():
            stale.unlink()
    for name, content in contents.files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    cache.clear()  # pages, summaries and search indexes were built from other data
    return contents.manifest
