from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cityzero.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load an archive `cityzero backup` wrote into this (migrated) database and MEDIA_ROOT. "
        "The database must be empty unless --replace is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete every row and uploaded file here first",
        )

    def handle(self, *args, archive: Path, replace: bool = False, **options) -> None:
        try:
            manifest = restore(archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Restored {rows} rows and {len(manifest['files'])} files from {archive} "
            f"(made {manifest['created_at']})."
        )
