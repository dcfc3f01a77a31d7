"""Inventory rows in, emissions per row out.

A row (:class:`LineItem`, the columns of the documented CSV/XLSX layout) is one of:

* activity data × emission factor — a carrier, a quantity in a unit that fits the carrier, and
  either a factor on the row (``emission_factor`` + ``ef_unit``) or one from the factor set;
* directly reported emissions — the unit is a mass of a gas (``t CO2``, ``t CH4``, ``t N2O``,
  ``t CO2e``); for ``t CO2e`` the ``gas`` column may say which gas it is (HFCs, PFCs must be
  reported this way);
* a notation key (NO, IE, NE, C) with no quantity and a required explanation; IE must name the
  reference number where the emissions are included.

CO2 from biogenic carriers (biomass, biogas, landfill gas, biodiesel) is a memo item: it is kept in
``biogenic_co2_t`` and counts 0 in every total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cityzero.ghg.carriers import Carrier, UnknownCarrier, get_carrier
from cityzero.ghg.factors import (
    EmissionFactor,
    FactorKind,
    FactorSet,
    ResolvedFactors,
    user_factor,
)
from cityzero.ghg.gases import REPORTED_AS_CO2E, Gas, GwpSet, parse_gas
from cityzero.ghg.gpc import GpcError, GpcRef, parse_ref, refs_in_text
from cityzero.ghg.units import UnitError, convert, parse_ef_unit, parse_gas_mass

#: Larger than any city's activity in any unit we accept; beyond this a number is a typo.
MAX_QUANTITY = 1e13


class NotationKey(StrEnum):
    NO = "NO"  # not occurring
    IE = "IE"  # included elsewhere
    NE = "NE"  # not estimated
    C = "C"  # confidential


NOTATION_MEANINGS: dict[NotationKey, str] = {
    NotationKey.NO: "not occurring",
    NotationKey.IE: "included elsewhere",
    NotationKey.NE: "not estimated",
    NotationKey.C: "confidential",
}


class RowKind(StrEnum):
    ACTIVITY = "activity"
    DIRECT = "direct"
    NOTATION = "notation"


@dataclass(frozen=True, slots=True)
class LineItem:
    gpc_ref: str
    description: str = ""
    carrier: str = ""
    quantity: float | None = None
    unit: str = ""
    emission_factor: float | None = None
    ef_unit: str = ""
    gas: str = ""
    notation_key: str = ""
    explanation: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class AppliedFactor:
    """One factor as applied to a row: the factor, its provenance, and the numbers it produced."""

    factor: EmissionFactor
    kind: FactorKind
    activity: float  # the row's quantity in the factor's activity unit
    activity_unit: str
    tonnes: float  # tonnes of ``factor.gas``
    memo: bool  # biogenic CO2: reported, not counted
    note: str = ""


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    item: LineItem
    ref: GpcRef
    kind: RowKind
    tonnes: dict[Gas, float] = field(default_factory=dict)  # counted tonnes per gas
    co2e: dict[Gas, float] = field(default_factory=dict)  # counted t CO2e per gas
    biogenic_co2_t: float = 0.0  # memo item, not in totals
    factors: tuple[AppliedFactor, ...] = ()
    notation_key: NotationKey | None = None
    notes: tuple[str, ...] = ()

    @property
    def tco2e(self) -> float:
        return math.fsum(self.co2e.values())

    @property
    def sector(self) -> str:
        return self.ref.sector

    @property
    def subsector(self) -> str:
        return self.ref.subsector

    @property
    def scope(self) -> int:
        return self.ref.scope

    @property
    def carrier(self) -> Carrier | None:
        return get_carrier(self.item.carrier) if self.item.carrier else None


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


class InventoryError(ValueError):
    """Rows that cannot be calculated; ``errors`` lists every one of them."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class _Problem(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column = column
        self.message = message
        super().__init__(message)


def calculate(
    items: Sequence[LineItem],
    factors: FactorSet,
    gwp: GwpSet,
    *,
    country: str = "",
    year: int | None = None,
    first_row: int = 1,
) -> list[RowResult]:
    """Emissions of every row; :class:`InventoryError` with every impossible row if any.

    ``country`` and ``year`` pick national factors; ``first_row`` numbers the rows in messages
    (2 for a CSV with a header line).
    """
    results: list[RowResult] = []
    errors: list[RowError] = []
    for offset, item in enumerate(items):
        row = first_row + offset
        try:
            results.append(_calculate_row(row, item, factors, gwp, country=country, year=year))
        except _Problem as problem:
            errors.append(RowError(row, problem.column, problem.message))
    if errors:
        raise InventoryError(errors)
    return results


def validate(
    items: Sequence[LineItem],
    factors: FactorSet,
    gwp: GwpSet,
    *,
    country: str = "",
    year: int | None = None,
    first_row: int = 1,
) -> list[RowError]:
    """Every row error, without raising (empty list: the rows can be calculated)."""
    try:
        calculate(items, factors, gwp, country=country, year=year, first_row=first_row)
    except InventoryError as exc:
        return exc.errors
    return []


def _calculate_row(
    row: int, item: LineItem, factors: FactorSet, gwp: GwpSet, *, country: str, year: int | None
) -> RowResult:
    try:
        ref = parse_ref(item.gpc_ref)
    except GpcError as exc:
        raise _Problem("gpc_ref", str(exc)) from exc
    if item.notation_key.strip():
        return _notation_row(row, item, ref)
    quantity = _quantity(item, ref)
    if not item.unit.strip():
        raise _Problem(
            "unit", "a unit is required, e.g. MWh, l, t, vkm or t CO2 for reported emissions"
        )
    direct = parse_gas_mass(item.unit)
    if direct is not None:
        return _direct_row(row, item, ref, quantity, direct, gwp)
    return _activity_row(row, item, ref, quantity, factors, gwp, country=country, year=year)


def _notation_row(row: int, item: LineItem, ref: GpcRef) -> RowResult:
    try:
        key = NotationKey(item.notation_key.strip().upper())
    except ValueError as exc:
        raise _Problem(
            "notation_key", f"'{item.notation_key}' is not a notation key; use NO, IE, NE or C"
        ) from exc
    if item.quantity is not None:
        raise _Problem("quantity", f"a row with notation key {key} has no quantity; leave it empty")
    if not item.explanation.strip():
        raise _Problem(
            "explanation", f"notation key {key} ({NOTATION_MEANINGS[key]}) needs an explanation"
        )
    if key is NotationKey.IE and not [
        r for r in refs_in_text(item.explanation) if r.ref != ref.ref
    ]:
        raise _Problem(
            "explanation",
            "IE (included elsewhere) must say where: name the reference number, e.g. 'included in I.2.1'",
        )
    return RowResult(row, item, ref, RowKind.NOTATION, notation_key=key)


def _quantity(item: LineItem, ref: GpcRef) -> float:
    q = item.quantity
    if q is None:
        raise _Problem(
            "quantity",
            "a quantity is required, or a notation key (NO, IE, NE, C) with an explanation",
        )
    if not math.isfinite(q):
        raise _Problem("quantity", f"'{q}' is not a number")
    if abs(q) > MAX_QUANTITY:
        raise _Problem("quantity", f"{q:g} is implausibly large; check the unit")
    if q < 0 and not (ref.sector == "V" and parse_gas_mass(item.unit) is not None):
        raise _Problem(
            "quantity",
            "quantities cannot be negative (only AFOLU removals, reported directly in t CO2 or t CO2e, can)",
        )
    return q


def _is_fossil(ref: GpcRef, carrier: Carrier | None) -> bool:
    if ref.subsector in ("I.7", "I.8"):
        return True
    return carrier is not None and carrier.fossil


def _carrier(item: LineItem) -> Carrier | None:
    if not item.carrier.strip():
        return None
    try:
        return get_carrier(item.carrier)
    except UnknownCarrier as exc:
        raise _Problem("carrier", str(exc)) from exc


def _direct_row(
    row: int, item: LineItem, ref: GpcRef, quantity: float, direct: tuple[float, Gas], gwp: GwpSet
) -> RowResult:
    tonnes_per_unit, unit_gas = direct
    if item.emission_factor is not None or item.ef_unit.strip():
        raise _Problem(
            "emission_factor",
            f"'{item.unit}' is reported emissions; leave the factor columns empty",
        )
    carrier = _carrier(item)
    gas = unit_gas
    if item.gas.strip():
        column_gas = _gas_column(item)
        if unit_gas is Gas.CO2E:
            gas = column_gas
        elif column_gas is not unit_gas:
            raise _Problem("gas", f"the unit is {item.unit} but the gas column says {item.gas}")
    if unit_gas in (Gas.HFCS, Gas.PFCS):
        raise _Problem(
            "unit",
            f"{unit_gas} are a family of gases: report them in t CO2e with {unit_gas} in the gas column",
        )
    tonnes = quantity * tonnes_per_unit
    if unit_gas is Gas.CO2E or gas in REPORTED_AS_CO2E:
        return RowResult(row, item, ref, RowKind.DIRECT, co2e={gas: tonnes})
    if carrier is not None and carrier.biogenic and gas is Gas.CO2:
        return RowResult(
            row,
            item,
            ref,
            RowKind.DIRECT,
            biogenic_co2_t=tonnes,
            notes=("biogenic CO2: memo item",),
        )
    co2e = tonnes * gwp.factor(gas, fossil=_is_fossil(ref, carrier))
    return RowResult(row, item, ref, RowKind.DIRECT, tonnes={gas: tonnes}, co2e={gas: co2e})


def _gas_column(item: LineItem) -> Gas:
    try:
        return parse_gas(item.gas)
    except ValueError as exc:
        raise _Problem("gas", str(exc)) from exc


def _resolve(
    item: LineItem, carrier: Carrier, factors: FactorSet, *, country: str, year: int | None
) -> ResolvedFactors:
    if item.emission_factor is not None:
        if not math.isfinite(item.emission_factor):
            raise _Problem("emission_factor", f"'{item.emission_factor}' is not a number")
        if not item.ef_unit.strip():
            raise _Problem(
                "ef_unit", "an emission factor needs its unit, e.g. t CO2/MWh or kg CO2e/vkm"
            )
        try:
            _, unit_gas, _ = parse_ef_unit(item.ef_unit)
        except UnitError as exc:
            raise _Problem("ef_unit", str(exc)) from exc
        if item.gas.strip() and _gas_column(item) is not unit_gas:
            raise _Problem(
                "gas",
                f"the gas column says {item.gas} but the factor unit {item.ef_unit} is for {unit_gas}",
            )
        if item.emission_factor < 0:
            raise _Problem("emission_factor", "an emission factor cannot be negative")
        factor = user_factor(carrier.code, item.emission_factor, item.ef_unit, source=item.source)
        return ResolvedFactors(FactorKind.USER, (factor,))
    if item.ef_unit.strip():
        raise _Problem(
            "emission_factor", f"ef_unit is {item.ef_unit} but the emission factor is empty"
        )
    gas = _gas_column(item) if item.gas.strip() else None
    resolved = factors.resolve(carrier.code, country=country, year=year, gas=gas)
    if resolved is None:
        what = f"{carrier.name}" + (f" and {gas}" if gas else "")
        raise _Problem(
            "emission_factor",
            f"the factor set has no emission factor for {what}"
            + (f" in {country}" if country else "")
            + "; enter one in emission_factor and ef_unit",
        )
    return resolved


def _activity_row(
    row: int,
    item: LineItem,
    ref: GpcRef,
    quantity: float,
    factors: FactorSet,
    gwp: GwpSet,
    *,
    country: str,
    year: int | None,
) -> RowResult:
    carrier = _carrier(item)
    if carrier is None:
        raise _Problem(
            "carrier",
            "a carrier is required for activity data (or report emissions in t CO2, t CO2e…)",
        )
    try:
        convert(1.0, item.unit, item.unit, carrier)
    except UnitError as exc:
        raise _Problem("unit", str(exc)) from exc
    resolved = _resolve(item, carrier, factors, country=country, year=year)
    fossil = _is_fossil(ref, carrier)
    applied: list[AppliedFactor] = []
    tonnes: dict[Gas, float] = {}
    co2e: dict[Gas, float] = {}
    memo = 0.0
    for factor in resolved.factors:
        tonnes_per_mass, gas, activity_unit = parse_ef_unit(factor.unit)
        try:
            activity = convert(quantity, item.unit, activity_unit, carrier)
        except UnitError as exc:
            column = "ef_unit" if resolved.kind is FactorKind.USER else "unit"
            raise _Problem(column, f"the factor is per {activity_unit}: {exc}") from exc
        t = activity * factor.value * tonnes_per_mass
        is_memo = carrier.biogenic and gas is Gas.CO2
        applied.append(
            AppliedFactor(factor, resolved.kind, activity, activity_unit, t, is_memo, resolved.note)
        )
        if is_memo:
            memo += t
            continue
        if gas not in REPORTED_AS_CO2E:
            tonnes[gas] = tonnes.get(gas, 0.0) + t
        co2e[gas] = co2e.get(gas, 0.0) + t * gwp.factor(gas, fossil=fossil)
    notes = tuple(n for n in (resolved.note, "biogenic CO2: memo item" if memo else "") if n)
    return RowResult(
        row,
        item,
        ref,
        RowKind.ACTIVITY,
        tonnes,
        co2e,
        biogenic_co2_t=memo,
        factors=tuple(applied),
        notes=notes,
    )
