"""Reads: an inventory's rows turned into the pure core's inputs, and its computed summary."""

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.cache import cache as django_cache
from django.db.models import QuerySet

from cityzero.accounts.permissions import roles_of, visibilities_for
from cityzero.core.cache import public_data_version
from cityzero.ghg import checks as ghg_checks
from cityzero.ghg import totals as ghg_totals
from cityzero.ghg.factors import EmissionFactor, FactorKind, FactorSet, load_ipcc_defaults
from cityzero.ghg.gases import GWP_SETS, parse_gas
from cityzero.ghg.inventory import InventoryError, LineItem, RowResult, calculate
from cityzero.inventories.models import (
    Exclusion,
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
    city = inventory.city
    national = [
        _factor(f, FactorKind.NATIONAL, city.country_id)
        for f in NationalFactor.objects.filter(country_id=city.country_id)
    ]
    local = [_factor(f, FactorKind.LOCAL) for f in LocalFactor.objects.filter(city=city)]
    return ipcc_defaults() + FactorSet([*national, *local], name=f"{city} factors")


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
        for e in Exclusion.objects.filter(inventory=inventory)
    ]


def _rounded(mapping: dict[Any, float]) -> dict[str, float]:
    return {str(key): round(value, 3) for key, value in mapping.items()}


def _summary(inventory: Inventory) -> dict[str, Any]:
    factors = factor_set_for(inventory)
    base = {
        "city": inventory.city.slug,
        "year": inventory.year,
        "gwp_set": inventory.gwp_set,
        "status": inventory.status,
        "rows": inventory.rows.count(),
    }
    try:
        results: list[RowResult] = calculate(
            line_items(inventory),
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
        "basic_tco2e": round(totals.basic_tco2e, 3),
        "basic_plus_tco2e": round(totals.basic_plus_tco2e, 3),
        "mission_scope_tco2e": round(totals.mission_scope_tco2e, 3),
        "reported_separately_tco2e": round(totals.reported_separately_tco2e, 3),
        "memo_biogenic_co2_t": round(totals.memo_biogenic_co2_t, 3),
        "reconciliation": [
            {"from": s.from_total, "to": s.to_total, "label": s.label, "tco2e": round(s.tco2e, 3)}
            for s in totals.reconciliation
        ],
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


def inventory_summary(inventory: Inventory) -> dict[str, Any]:
    """Totals, the three scopes side by side and the checks; recomputed when the rows change."""
    # Factor tables are public data: their changes bump the public data version.
    key = f"cityzero:inventory-summary:{inventory.pk}:{inventory.version}:{public_data_version()}"
    summary = django_cache.get(key)
    if summary is None:
        summary = _summary(inventory)
        django_cache.set(key, summary, SUMMARY_SECONDS)
    return summary


def city_inventory(slug: str, year: int, user: Any) -> Inventory:
    """The inventory if this person may read it; Inventory.DoesNotExist otherwise."""
    inventory = Inventory.objects.select_related("city__country").get(city__slug=slug, year=year)
    if inventory.visibility not in visibilities_for(roles_of(user), inventory.city_id):
        raise Inventory.DoesNotExist
    return inventory


def city_inventories(city_id: int, user: Any) -> QuerySet[Inventory]:
    levels = visibilities_for(roles_of(user), city_id)
    return Inventory.objects.filter(city_id=city_id, visibility__in=levels).order_by("-year")
