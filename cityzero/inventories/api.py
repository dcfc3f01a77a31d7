import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status

from cityzero.accounts.permissions import can
from cityzero.accounts.tokens import TokenAuth
from cityzero.cities.models import City
from cityzero.inventories import interchange, selectors, services
from cityzero.inventories.models import Inventory

router = Router(tags=["inventories"])

FILE_TYPES = {
    "text/csv": "upload.csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "upload.xlsx",
}


class Problems(Schema):
    detail: str
    errors: list[str] = []


@router.get(
    "/cities/{slug}/inventories/{year}",
    response=dict[str, Any],
    summary="An inventory's totals (BASIC, BASIC+, mission scope, by sector, scope and gas) and checks",
)
def inventory_summary(request: HttpRequest, slug: str, year: int):
    try:
        inventory = selectors.city_inventory(slug, year, request.user)
    except Inventory.DoesNotExist:
        raise Http404("No inventory for this city and year that you may read.") from None
    return selectors.inventory_summary(inventory)


@router.post(
    "/cities/{slug}/inventories/{year}",
    auth=TokenAuth(),
    response={200: dict[str, Any], 403: Problems, 413: Problems, 415: Problems, 422: Problems},
    summary="Replace an inventory's rows (creating the inventory if needed) from CSV, XLSX or JSON",
    description=(
        'Send the documented layout as `text/csv` or XLSX, or JSON `{"rows": [{column: value}]}`.'
        " The whole file is checked first; on any error nothing is saved and every error is listed."
    ),
)
def import_inventory(request: HttpRequest, slug: str, year: int):
    city = City.objects.filter(slug=slug).select_related("country").first()
    if city is None:
        raise Http404("No city with this slug.")
    if len(request.body) > interchange.MAX_BYTES:
        return Status(413, {"detail": "The body is larger than 5 MB."})
    try:
        filename, data = _upload(request)
    except ValueError as error:
        return Status(415, {"detail": str(error)})
    except BadRows as bad:
        return Status(422, {"detail": "Nothing was imported.", "errors": bad.errors})
    inventory = Inventory.objects.filter(city=city, year=year).select_related("city").first()
    if inventory is None and not can(request.user, "inventory.create", city):
        return Status(403, {"detail": "You may not add inventories for this city."})
    if inventory is not None and not can(request.user, "inventory.edit", inventory):
        return Status(403, {"detail": "You may not change this inventory (or it is final)."})
    try:
        # A new inventory is only kept if its rows are: a rejected file leaves nothing behind.
        with transaction.atomic():
            if inventory is None:
                inventory = services.create_inventory(city, year, gwp_set="AR6", by=request.user)
            inventory = services.import_file(
                inventory, filename=filename, data=data, by=request.user
            )
    except ValidationError as error:
        return Status(422, {"detail": "The inventory cannot be created.", "errors": error.messages})
    except services.ImportRejected as rejected:
        return Status(422, {"detail": "Nothing was imported.", "errors": rejected.errors})
    return Status(200, selectors.inventory_summary(inventory))


class BadRows(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _json_row_problems(rows: list[dict]) -> list[str]:
    """Keys that are not columns and values that are not text, numbers or null, by row index."""
    problems = []
    for index, row in enumerate(rows):
        unknown = sorted(set(row) - set(interchange.COLUMNS))
        if unknown:
            problems.append(
                f"rows[{index}]: unknown column(s) {', '.join(unknown)}; "
                f"the columns are {', '.join(interchange.COLUMNS)}"
            )
        for key, value in row.items():
            if key in interchange.COLUMNS and not isinstance(value, str | int | float | None):
                problems.append(f"rows[{index}].{key}: give text, a number or null")
    return problems


def _upload(request: HttpRequest) -> tuple[str, bytes]:
    content_type = request.content_type or ""
    if content_type in FILE_TYPES:
        return FILE_TYPES[content_type], request.body
    if content_type == "application/json":
        try:
            rows = json.loads(request.body)["rows"]
        except (ValueError, KeyError, TypeError):
            raise ValueError('Send JSON as {"rows": [{"gpc_ref": …}, …]}.') from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError('"rows" must be a list of objects, one per line item.')
        if problems := _json_row_problems(rows):
            raise BadRows(problems)
        return "upload.csv", interchange.write_csv(rows)
    raise ValueError("Send text/csv, XLSX or application/json.")
