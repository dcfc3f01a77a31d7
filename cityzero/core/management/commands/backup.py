from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from cityzero.core.backup import back_up


class Command(BaseCommand):
    help = (
        "Write the whole platform (every row and every uploaded file) to one .tar.gz archive "
        "that `cityzero restore` reads back."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: cityzero-backup-<date and time>.tar.gz here)",
        )

    def handle(self, *args, output: Path | None = None, **options) -> None:
        path = output or Path(f"cityzero-backup-{timezone.now():%Y%m%dT%H%M%S}.tar.gz")
        manifest = back_up(path)
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"{path}: {rows} rows and {len(manifest['files'])} files.")
