from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from cityzero.inventories import selectors
from cityzero.inventories.models import Inventory

router = Router(tags=["inventories"])


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
