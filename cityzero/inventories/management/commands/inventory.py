"""`cityzero inventory show|import|export` for data people."""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityzero.cities.models import City
from cityzero.inventories import selectors, services
from cityzero.inventories.models import Inventory


class Command(BaseCommand):
    help = "Show, import or export a city's GHG inventory for one year."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, help_text in (
            ("show", "print the totals and checks"),
            ("import", "replace the rows from a CSV or XLSX file"),
            ("export", "write the rows to a CSV or XLSX file"),
        ):
            action = actions.add_parser(name, help=help_text)
            action.add_argument("--city", required=True, help="city slug")
            action.add_argument("--year", required=True, type=int)
            if name == "show":
                action.add_argument("--json", action="store_true", help="print JSON")
            else:
                action.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(**options)

    def _inventory(self, city: str, year: int) -> Inventory:
        try:
            return Inventory.objects.select_related("city__country").get(city__slug=city, year=year)
        except Inventory.DoesNotExist:
            raise CommandError(f"{city} has no inventory for {year}.") from None

    def _show(self, *, city: str, year: int, **options: Any) -> None:
        summary = selectors.inventory_summary(self._inventory(city, year))
        if options["json"]:
            self.stdout.write(_dumps(summary))
            return
        if summary["errors"]:
            raise CommandError("\n".join(summary["errors"]))
        for name in ("total_tco2e", "basic_tco2e", "basic_plus_tco2e", "mission_scope_tco2e"):
            self.stdout.write(f"{name:22} {summary[name]:>16,.3f}")
        for check in summary["checks"]:
            self.stdout.write(f"[{check['severity']}] {check['message']}")

    def _import(self, *, city: str, year: int, file: Path, **options: Any) -> None:
        try:
            inventory = self._inventory(city, year)
        except CommandError:
            inventory = services.create_inventory(city_or_error(city), year, gwp_set="AR6", by=None)
        data = _read(file)
        try:
            inventory = services.import_file(inventory, filename=file.name, data=data, by=None)
        except (services.ImportRejected, ValidationError) as error:
            messages = getattr(error, "errors", None) or error.messages
            raise CommandError("Nothing was imported:\n" + "\n".join(messages)) from None
        self.stdout.write(f"Imported {inventory.rows.count()} rows into {inventory}.")

    def _export(self, *, city: str, year: int, file: Path, **options: Any) -> None:
        file_format = file.suffix.lower().lstrip(".")
        if file_format not in ("csv", "xlsx"):
            raise CommandError("Name the file .csv or .xlsx.")
        file.write_bytes(services.export_file(self._inventory(city, year), file_format))
        self.stdout.write(f"Wrote {file}.")


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}") from None


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def city_or_error(slug: str) -> City:
    try:
        return City.objects.get(slug=slug)
    except City.DoesNotExist:
        raise CommandError(f"There is no city {slug!r}.") from None
