"""`cityzero inventory show|import|export` for data people."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityzero.cities.models import City
from cityzero.inventories import selectors
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


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def city_or_error(slug: str) -> City:
    try:
        return City.objects.get(slug=slug)
    except City.DoesNotExist:
        raise CommandError(f"There is no city {slug!r}.") from None
