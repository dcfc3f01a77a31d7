"""Checks that explain themselves: each says what is wrong, where, and what to do about it.

Rows that cannot be calculated at all are errors raised by :func:`cityzero.ghg.inventory.calculate`;
these checks look at a calculated inventory as a whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cityzero.ghg.carriers import CarrierKind
from cityzero.ghg.factors import FactorKind, FactorSet
from cityzero.ghg.gpc import GRID_GENERATION_REF, Level, refs_at
from cityzero.ghg.inventory import RowKind, RowResult
from cityzero.ghg.totals import ExclusionKind, Totals
from cityzero.ghg.units import UnitError, convert, parse_ef_unit

EARLIEST_BASE_YEAR = 2018
COVID_YEARS = frozenset({2020, 2021})
MAX_MINOR_EXCLUSIONS_SHARE = 0.05
#: A row's own factor outside [default ÷ 2, default × 2] is probably in the wrong unit.
FACTOR_RATIO_LIMIT = 2.0


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Check:
    code: str
    severity: Severity
    message: str
    refs: tuple[str, ...] = ()
    rows: tuple[int, ...] = ()


def check_basic_completeness(results: Sequence[RowResult]) -> list[Check]:
    """Every BASIC reference number needs data or a notation key: missing is not zero."""
    present = {r.ref.ref for r in results}
    missing = tuple(r.ref for r in refs_at(Level.BASIC) if r.ref not in present)
    if not missing:
        return []
    return [
        Check(
            "basic_incomplete",
            Severity.ERROR,
            f"{len(missing)} BASIC reference numbers have neither data nor a notation key: "
            f"{', '.join(missing)}. Add a row for each, or NO/IE/NE/C with an explanation.",
            refs=missing,
        )
    ]


def check_base_year(year: int) -> list[Check]:
    if year >= EARLIEST_BASE_YEAR:
        return []
    return [
        Check(
            "base_year_old",
            Severity.WARNING,
            f"The inventory year {year} is older than {EARLIEST_BASE_YEAR}; the Mission asks for a "
            f"baseline ideally not older than {EARLIEST_BASE_YEAR} (or a BAU 2030 projection).",
        )
    ]


def check_covid_year(year: int) -> list[Check]:
    if year not in COVID_YEARS:
        return []
    return [
        Check(
            "covid_year",
            Severity.WARNING,
            f"{year} was a COVID year: activity (transport above all) was unusually low, so it makes a "
            "poor baseline. Prefer 2019 or 2022 or later.",
        )
    ]


def check_exclusions(totals: Totals) -> list[Check]:
    """Minor exclusions may together be at most 5% of the mission-scope total before exclusions."""
    checks: list[Check] = []
    whole = totals.mission.before_exclusions_tco2e
    minor = [e for e in totals.mission.excluded if e.exclusion.kind is ExclusionKind.MINOR]
    minor_t = sum(e.tco2e for e in minor)
    if whole > 0 and minor_t > MAX_MINOR_EXCLUSIONS_SHARE * whole:
        checks.append(
            Check(
                "exclusions_over_5_percent",
                Severity.ERROR,
                f"Minor sources excluded from the mission scope add up to {minor_t:,.0f} tCO2e, "
                f"{minor_t / whole:.1%} of {whole:,.0f} tCO2e; at most 5% may be left out. "
                "Include some of them again.",
                refs=tuple(sorted({ref for e in minor for ref in e.exclusion.refs})),
                rows=tuple(sorted({row for e in minor for row in e.rows})),
            )
        )
    for e in totals.mission.excluded:
        if not e.rows:
            checks.append(
                Check(
                    "exclusion_matches_nothing",
                    Severity.WARNING,
                    f"The declared exclusion '{e.exclusion.reason}' matches no row in the mission scope.",
                    refs=tuple(sorted(e.exclusion.refs)),
                )
            )
    return checks


def _activity_rows(
    results: Sequence[RowResult], *, scope: int, carrier_kind: CarrierKind
) -> list[RowResult]:
    """Activity rows of one scope whose carrier is of one kind."""
    return [
        r
        for r in results
        if r.scope == scope
        and r.kind is RowKind.ACTIVITY
        and r.carrier is not None
        and r.carrier.kind is carrier_kind
    ]


def check_double_counting(results: Sequence[RowResult]) -> list[Check]:
    checks: list[Check] = []
    grid_in_scope_1 = _activity_rows(results, scope=1, carrier_kind=CarrierKind.GRID_ENERGY)
    if grid_in_scope_1:
        checks.append(
            Check(
                "grid_energy_in_scope_1",
                Severity.ERROR,
                "Grid-supplied electricity, heat, steam or cooling is entered under a scope 1 reference. "
                "Its consumption is scope 2 (I.x.2, II.x.2); the power plants' own emissions belong in "
                f"{GRID_GENERATION_REF}. Counting both would count the same tonnes twice.",
                refs=tuple(sorted({r.ref.ref for r in grid_in_scope_1})),
                rows=tuple(r.row for r in grid_in_scope_1),
            )
        )
    generation = [
        r for r in results if r.ref.reported_separately and r.kind is not RowKind.NOTATION
    ]
    if generation:
        amount = sum(r.tco2e for r in generation)
        checks.append(
            Check(
                "grid_generation_reported_separately",
                Severity.INFO,
                f"{amount:,.0f} tCO2e from energy generation supplied to the grid ({GRID_GENERATION_REF}) "
                "are reported separately and not added to any total: the electricity consumers' scope 2 "
                "already counts them.",
                refs=(GRID_GENERATION_REF,),
                rows=tuple(r.row for r in generation),
            )
        )
    return checks


def check_unit_factor_mismatch(results: Sequence[RowResult], defaults: FactorSet) -> list[Check]:
    """Carriers in the wrong scope, and row factors far from the default (a kg/t slip, kWh/MWh…)."""
    checks: list[Check] = []
    fuel_in_scope_2 = _activity_rows(results, scope=2, carrier_kind=CarrierKind.FUEL)
    if fuel_in_scope_2:
        checks.append(
            Check(
                "fuel_in_scope_2",
                Severity.WARNING,
                "Fuel burnt in the city is scope 1 (I.x.1, II.x.1); scope 2 is grid-supplied energy. "
                "Move these rows, or use the carrier electricity, district_heat, steam or district_cooling.",
                refs=tuple(sorted({r.ref.ref for r in fuel_in_scope_2})),
                rows=tuple(r.row for r in fuel_in_scope_2),
            )
        )
    for r in results:
        for applied in r.factors:
            if applied.kind is not FactorKind.USER or r.carrier is None:
                continue
            default = defaults.resolve(r.carrier.code, gas=applied.factor.gas)
            if default is None or default.kind is FactorKind.USER or not default.factors:
                continue
            reference = default.factors[0]
            ref_mass, _, ref_activity = parse_ef_unit(reference.unit)
            try:
                per_row_unit = convert(1.0, applied.activity_unit, ref_activity, r.carrier)
            except UnitError:
                continue
            row_mass, _, _ = parse_ef_unit(applied.factor.unit)
            # both in t gas per the default's activity unit
            row_value = applied.factor.value * row_mass / per_row_unit
            ref_value = reference.value * ref_mass
            if ref_value <= 0:
                continue
            ratio = row_value / ref_value
            if ratio > FACTOR_RATIO_LIMIT or ratio < 1 / FACTOR_RATIO_LIMIT:
                checks.append(
                    Check(
                        "factor_far_from_default",
                        Severity.WARNING,
                        f"Row {r.row}: the factor {applied.factor.value:g} {applied.factor.unit} is "
                        f"{ratio:.3g} times the default ({reference.value:g} {reference.unit}, "
                        f"{reference.kind}). Check its unit.",
                        refs=(r.ref.ref,),
                        rows=(r.row,),
                    )
                )
    for r in results:
        for applied in r.factors:
            if applied.note:
                checks.append(
                    Check(
                        "factor_year_differs",
                        Severity.INFO,
                        f"Row {r.row}: {applied.note} ({applied.factor.describe()}).",
                        refs=(r.ref.ref,),
                        rows=(r.row,),
                    )
                )
    return checks


def run_checks(
    results: Sequence[RowResult], totals: Totals, *, year: int, defaults: FactorSet
) -> list[Check]:
    """All checks, errors first. ``defaults`` is the set row factors are compared with."""
    checks = [
        *check_basic_completeness(results),
        *check_base_year(year),
        *check_covid_year(year),
        *check_exclusions(totals),
        *check_double_counting(results),
        *check_unit_factor_mismatch(results, defaults),
    ]
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(checks, key=lambda c: order[c.severity])
