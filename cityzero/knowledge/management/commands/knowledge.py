from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cityzero.knowledge import interchange
from cityzero.knowledge.selectors import published


class Command(BaseCommand):
    help = (
        "Export the published knowledge entries to, or import entries from, a .csv or .json file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("file", type=Path)

    def handle(self, *args, action: str, file: Path, **options) -> None:
        if action == "export":
            write = interchange.write_json if file.suffix == ".json" else interchange.write_csv
            file.write_bytes(write(published()))
            self.stdout.write(f"Exported {published().count()} entries to {file}.")
            return
        checked = interchange.read(file.name, file.read_bytes())
        if checked.errors:
            raise CommandError("Nothing imported:\n" + "\n".join(checked.errors))
        created, updated = interchange.import_entries(checked.rows, by=None)
        self.stdout.write(f"Imported {created} new and {updated} changed entries.")
