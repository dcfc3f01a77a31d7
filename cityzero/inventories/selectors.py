"""Reads: an inventory's rows turned into the pure core's inputs, and its computed summary."""

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.cache import cache as django_cache
from django.db.models import Q, QuerySet, prefetch_related_objects

from cityzero.accounts.permissions import roles_of, visibilities_for
from cityzero.core.cache import public_data_version
from cityzero.ghg import checks as ghg_checks
from cityzero.ghg import totals as ghg_totals
from cityzero.ghg.factors import EmissionFactor, FactorKind, FactorSet, load_ipcc_defaults
from cityzero.ghg.gases import GWP_SETS, parse_gas
from cityzero.ghg.inventory import InventoryError, LineItem, RowResult, calculate
from cityzero.ghg.projection import MISSION_TARGET_YEAR, Drivers, mission_gap, project_bau
from cityzero.inventories.models import (
    Inventory,
    InventoryRow,
    LocalFactor,
    NationalFactor,
)

SUMMARY_SECONDS = 3600
ROW_FIELDS = (
    "gpc_ref", "description", "carrier", "quantity", "unit", "emission_factor", "ef_unit",
    "gas", "notation_key", "explanation", "source",
)  # fmt: skip


@cache
def ipcc_defaults() -> FactorSet:
    return load_ipcc_defaults()


def _factor(
    row: NationalFactor | LocalFactor, kind: FactorKind, country: str = ""
) -> EmissionFactor:
    return EmissionFactor(
        carrier=row.carrier,
        gas=parse_gas(row.gas),
        value=float(row.value),
        unit=row.unit,
        source=row.source,
        version=row.version,
        year=row.year,
        kind=kind,
        country=country,
    )


def factor_set_for(inventory: Inventory) -> FactorSet:
    """IPCC defaults, the country's national factors and the city's own, in one set."""
    return _factor_sets([inventory])[inventory.city_id]


def _factor_sets(inventories: list[Inventory]) -> dict[int, FactorSet]:
    """One factor set per city, read with two queries however many cities there are."""
    cities = {i.city_id: i.city for i in inventories}
    national: dict[str, list[EmissionFactor]] = {}
    for f in NationalFactor.objects.filter(country_id__in={c.country_id for c in cities.values()}):
        national.setdefault(f.country_id, []).append(_factor(f, FactorKind.NATIONAL, f.country_id))
    local: dict[int, list[EmissionFactor]] = {}
    for f in LocalFactor.objects.filter(city_id__in=cities):
        local.setdefault(f.city_id, []).append(_factor(f, FactorKind.LOCAL))
    return {
        city_id: ipcc_defaults()
        + FactorSet([*national.get(city.country_id, []), *local.get(city_id, [])], name=str(city))
        for city_id, city in cities.items()
    }


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def line_items(inventory: Inventory) -> list[LineItem]:
    return [
        LineItem(
            **{
                name: getattr(row, name)
                for name in ROW_FIELDS
                if name not in ("quantity", "emission_factor")
            },
            quantity=_number(row.quantity),
            emission_factor=_number(row.emission_factor),
        )
        for row in inventory.rows.all()
    ]


def row_records(inventory: Inventory) -> list[dict[str, str]]:
    """The stored rows as text cells, exactly as exported (decimals without float rounding)."""
    records = []
    for row in InventoryRow.objects.filter(inventory=inventory).order_by("position"):
        record = {}
        for name in ROW_FIELDS:
            value = getattr(row, name)
            record[name] = (
                ""
                if value is None
                else _plain_decimal(value)
                if isinstance(value, Decimal)
                else value
            )
        records.append(record)
    return records


def _plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _exclusions(inventory: Inventory) -> list[ghg_totals.Exclusion]:
    return [
        ghg_totals.Exclusion(
            reason=e.reason, kind=ghg_totals.ExclusionKind(e.kind), refs=frozenset({e.gpc_ref})
        )
        for e in inventory.exclusions.all()
    ]


def _rounded(mapping: dict[Any, float]) -> dict[str, float]:
    return {str(key): round(value, 3) for key, value in mapping.items()}


def _summary(
    inventory: Inventory, factors: FactorSet, items: list[LineItem] | None = None
) -> dict[str, Any]:
    """The summary of the inventory's stored rows, or of ``items`` in their place."""
    items = line_items(inventory) if items is None else items
    base = {
        "city": inventory.city.slug,
        "year": inventory.year,
        "gwp_set": inventory.gwp_set,
        "status": inventory.status,
        "rows": len(items),
    }
    try:
        results: list[RowResult] = calculate(
            items,
            factors,
            GWP_SETS[inventory.gwp_set],
            country=inventory.city.country_id,
            year=inventory.year,
        )
    except InventoryError as error:
        return base | {"errors": [str(e) for e in error.errors]}
    totals = ghg_totals.totals(results, _exclusions(inventory))
    checks = ghg_checks.run_checks(results, totals, year=inventory.year, defaults=ipcc_defaults())
    population = inventory.city.population
    return base | {
        "errors": [],
        "total_tco2e": round(totals.total_tco2e, 3),
        "per_capita_tco2e": round(totals.total_tco2e / population, 3) if population else None,
        "by_sector": _rounded(totals.by_sector),
        "by_subsector": _rounded(totals.by_subsector),
        "by_scope": _rounded(totals.by_scope),
        "by_gas": _rounded({gas.value: t for gas, t in totals.by_gas.items()}),
        "by_sector_scope": _rounded(
            {f"{s}.{scope}": t for (s, scope), t in totals.by_sector_scope.items()}
        ),
        "by_carrier_sector": _rounded(
            {f"{carrier}|{sector}": t for (carrier, sector), t in totals.by_carrier_sector.items()}
        ),
        "basic_tco2e": round(totals.basic_tco2e, 3),
        "basic_plus_tco2e": round(totals.basic_plus_tco2e, 3),
        "mission_scope_tco2e": round(totals.mission_scope_tco2e, 3),
        "mission_by_sector": _rounded(totals.mission.by_sector),
        "exclusions": [
            {
                "reason": e.exclusion.reason,
                "kind": e.exclusion.kind.value,
                "tco2e": round(e.tco2e, 3),
            }
            for e in totals.mission.excluded
        ],
        "reported_separately_tco2e": round(totals.reported_separately_tco2e, 3),
        "memo_biogenic_co2_t": round(totals.memo_biogenic_co2_t, 3),
        "reconciliation": [
            {"from": s.from_total, "to": s.to_total, "label": s.label, "tco2e": round(s.tco2e, 3)}
            for s in totals.reconciliation
        ],
        "lines": [_line(r) for r in results],
        "checks": [
            {
                "code": c.code,
                "severity": c.severity.value,
                "message": c.message,
                "refs": list(c.refs),
                "rows": list(c.rows),
            }
            for c in checks
        ],
    }


def _line(result: RowResult) -> dict[str, Any]:
    """One row's result and the factors it used, with where each factor came from."""
    item = result.item
    return {
        "row": result.row,
        "gpc_ref": result.ref.ref,
        "description": item.description,
        "kind": result.kind.value,
        "quantity": item.quantity,
        "unit": item.unit,
        "notation_key": result.notation_key.value if result.notation_key else "",
        "tco2e": round(result.tco2e, 3),
        "biogenic_co2_t": round(result.biogenic_co2_t, 3),
        "factors": [
            {
                "gas": applied.factor.gas.value,
                "value": applied.factor.value,
                "unit": applied.factor.unit,
                "kind": applied.kind.value,
                "source": applied.factor.source,
                "version": applied.factor.version,
                "year": applied.factor.year,
                "country": applied.factor.country,
                "note": applied.note,
                "tonnes": round(applied.tonnes, 3),
                "memo": applied.memo,
            }
            for applied in result.factors
        ],
        "notes": list(result.notes),
    }


def _summary_key(inventory: Inventory) -> str:
    # Factor tables are public data: their changes bump the public data version.
    return f"cityzero:inventory-summary:{inventory.pk}:{inventory.version}:{public_data_version()}"


def inventory_summaries(inventories: list[Inventory]) -> dict[int, dict[str, Any]]:
    """Totals, the three scopes side by side and the checks, per inventory id.

    Cached until the rows, the factors or the exclusions change; what is not cached is computed
    with a fixed number of queries however many inventories there are.
    """
    keys = {inventory.pk: _summary_key(inventory) for inventory in inventories}
    found = django_cache.get_many(list(keys.values()))
    missing = [inventory for inventory in inventories if keys[inventory.pk] not in found]
    if missing:
        prefetch_related_objects(missing, "rows", "exclusions")
        factor_sets = _factor_sets(missing)
        computed = {keys[i.pk]: _summary(i, factor_sets[i.city_id]) for i in missing}
        django_cache.set_many(computed, SUMMARY_SECONDS)
        found |= computed
    return {inventory.pk: found[keys[inventory.pk]] for inventory in inventories}


def inventory_summary(inventory: Inventory) -> dict[str, Any]:
    return inventory_summaries([inventory])[inventory.pk]


def unsaved_summary(inventory: Inventory, items: list[LineItem]) -> dict[str, Any]:
    """What the inventory's summary would be with ``items`` as its rows; nothing is cached."""
    return _summary(inventory, factor_set_for(inventory), items)


def city_inventory(slug: str, year: int, user: Any) -> Inventory:
    """The inventory if this person may read it; Inventory.DoesNotExist otherwise."""
    inventory = Inventory.objects.select_related("city__country").get(city__slug=slug, year=year)
    if inventory.visibility not in visibilities_for(roles_of(user), inventory.city_id):
        raise Inventory.DoesNotExist
    return inventory


def city_inventories(city_id: int, user: Any) -> QuerySet[Inventory]:
    levels = visibilities_for(roles_of(user), city_id)
    return (
        Inventory.objects.filter(city_id=city_id, visibility__in=levels)
        .select_related("city")
        .order_by("-year")
    )


MAX_COMPARED = 6


def comparable_cities(user: Any) -> list[tuple[str, str]]:
    """(slug, name) of cities with an inventory this person may read; for the compare form."""
    roles = roles_of(user)
    shared = ["public", "members"] if roles.authenticated else ["public"]
    own_cities = set(roles.city_roles) | set(roles.advised_city_ids)
    readable = Inventory.objects.all()
    if not roles.is_staff:
        readable = readable.filter(Q(visibility__in=shared) | Q(city_id__in=own_cities))
    pairs = readable.values_list("city__slug", "city__name").distinct().order_by("city__name")
    return [(slug, name) for slug, name in pairs if slug]


def latest_readable_inventories(slugs: list[str], user: Any) -> list[Inventory]:
    """Each named city's newest inventory that this person may read, in the order asked."""
    roles = roles_of(user)
    found: dict[str, Inventory] = {}
    for inventory in (
        Inventory.objects.filter(city__slug__in=slugs[:MAX_COMPARED])
        .select_related("city__country")
        .order_by("city_id", "-year")
    ):
        slug = inventory.city.slug
        if slug not in found and inventory.visibility in visibilities_for(roles, inventory.city_id):
            found[slug] = inventory
    return [found[slug] for slug in slugs if slug in found]


def yearly_totals(inventories: list[Inventory]) -> list[dict[str, Any]]:
    """One line per inventory year: the totals a trend shows, oldest first."""
    summaries = inventory_summaries(inventories)
    return [
        {"inventory": inventory, "summary": summaries[inventory.pk]}
        for inventory in sorted(inventories, key=lambda i: i.year)
    ]


def outlook_2030(
    summary: dict[str, Any], base_year: int, drivers: Drivers
) -> dict[str, Any] | None:
    """BAU 2030 from this inventory with the stated drivers, and the mission's 80% target."""
    if summary.get("errors") or "by_sector_scope" not in summary:
        return None
    baseline = {
        (sector, int(scope)): value
        for key, value in summary["by_sector_scope"].items()
        for sector, scope in [key.rsplit(".", 1)]
    }
    target_year = max(base_year, MISSION_TARGET_YEAR)
    projection = project_bau(
        baseline, base_year=base_year, drivers=drivers, target_year=target_year
    )
    gap = mission_gap(summary["mission_scope_tco2e"])
    return {
        "by_year": [(year, round(value)) for year, value in projection.by_year.items()],
        "bau_2030": round(projection.target_year_tco2e),
        "reduction_target": round(gap.reduction_target),
        "target_emissions": round(gap.target_emissions),
    }
