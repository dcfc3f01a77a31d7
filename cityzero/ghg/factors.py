"""Emission factors, factor sets and the order in which a row finds its factor.

Resolution order for a row: the factor entered on the row (user) > a local factor (district heat,
local electricity, green-power purchases) > a national factor for the inventory's country and year
> the IPCC 2006 default. The first *kind* that has any factor for the carrier wins, with all its
gases — mixing kinds could add a CO2e factor to separate CO2/CH4/N2O factors and count twice.

The shipped default set is the IPCC table in ``data/emission_factors_ipcc2006.csv``; see
:data:`IPCC_SOURCE`. It uses the table's t CO2/MWh column (net calorific basis, t/TJ × 0.0036,
rounded to three decimals as Covenant of Mayors inventories quote them), so that 1,000 MWh of
natural gas is 202 t CO2; the t/TJ value is kept in each factor's ``note``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources

from cityzero.ghg.carriers import IPCC_CSV, get_carrier
from cityzero.ghg.gases import Gas, parse_gas
from cityzero.ghg.units import parse_ef_unit

IPCC_SOURCE = (
    "IPCC 2006 Guidelines for National Greenhouse Gas Inventories, Vol. 2 (Energy), Tables 1.2–1.4, "
    "default values; t/MWh = t/TJ × 0.0036 (net calorific value). CO2 only: CH4/N2O factors not "
    "included. Biomass, biogas and landfill gas CO2 counts 0 in totals when sustainable (memo item)."
)
IPCC_VERSION = "2006"


class FactorKind(StrEnum):
    USER = "user"
    LOCAL = "local"
    NATIONAL = "national"
    IPCC_DEFAULT = "ipcc_default"


PRIORITY: tuple[FactorKind, ...] = (
    FactorKind.USER,
    FactorKind.LOCAL,
    FactorKind.NATIONAL,
    FactorKind.IPCC_DEFAULT,
)


class FactorError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    carrier: str
    gas: Gas
    value: float
    unit: str  # e.g. "t CO2/MWh"; its gas must agree with ``gas``
    source: str
    version: str = ""
    year: int | None = None
    kind: FactorKind = FactorKind.USER
    country: str = ""  # ISO 3166-1 alpha-2, national factors only
    note: str = ""

    def __post_init__(self) -> None:
        _, unit_gas, _ = parse_ef_unit(self.unit)
        if unit_gas is not self.gas:
            raise FactorError(f"factor unit {self.unit} is for {unit_gas}, not {self.gas}")
        if self.value < 0:
            raise FactorError(f"emission factor for {self.carrier} is negative ({self.value})")

    def describe(self) -> str:
        bits = [f"{self.value:g} {self.unit}", self.kind.value]
        if self.country:
            bits.append(self.country)
        if self.year is not None:
            bits.append(str(self.year))
        return f"{' · '.join(bits)} — {self.source}" + (
            f" ({self.version})" if self.version else ""
        )


@dataclass(frozen=True, slots=True)
class ResolvedFactors:
    """The factors a row uses, with where they came from and why."""

    kind: FactorKind
    factors: tuple[EmissionFactor, ...]
    note: str = ""


@dataclass(slots=True)
class FactorSet:
    factors: list[EmissionFactor] = field(default_factory=list)
    name: str = ""
    _by_carrier: dict[str, list[EmissionFactor]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_carrier = {}
        for f in self.factors:
            self._by_carrier.setdefault(f.carrier, []).append(f)
        groups: dict[tuple[str, FactorKind, str, int | None], set[Gas]] = {}
        for f in self.factors:
            key = (f.carrier, f.kind, f.country, f.year)
            gases = groups.setdefault(key, set())
            if f.gas in gases:
                raise FactorError(
                    f"two {f.kind} factors for {f.carrier} and {f.gas} ({f.country} {f.year})"
                )
            gases.add(f.gas)
            if Gas.CO2E in gases and len(gases) > 1:
                raise FactorError(
                    f"{f.kind} factors for {f.carrier} mix CO2e with single gases; that would count twice"
                )

    def __add__(self, other: FactorSet) -> FactorSet:
        return FactorSet([*self.factors, *other.factors], name=self.name or other.name)

    def resolve(
        self,
        carrier: str,
        *,
        country: str = "",
        year: int | None = None,
        gas: Gas | None = None,
    ) -> ResolvedFactors | None:
        """Highest-priority factors for ``carrier`` (and ``gas`` if given); ``None`` if there are none."""
        code = get_carrier(carrier).code
        candidates = [f for f in self._by_carrier.get(code, ()) if gas is None or f.gas is gas]
        for kind in (FactorKind.LOCAL, FactorKind.NATIONAL, FactorKind.IPCC_DEFAULT):
            of_kind = [f for f in candidates if f.kind is kind]
            if kind is FactorKind.NATIONAL:
                of_kind = [f for f in of_kind if country and f.country.upper() == country.upper()]
            if not of_kind:
                continue
            chosen_year, note = _closest_year({f.year for f in of_kind}, year)
            return ResolvedFactors(kind, tuple(f for f in of_kind if f.year == chosen_year), note)
        return None


def _closest_year(years: set[int | None], wanted: int | None) -> tuple[int | None, str]:
    """The factor year to use: the inventory year; an undated factor; the latest earlier year;
    else the earliest later year. The note says when the year differs from the inventory's."""
    dated = sorted(y for y in years if y is not None)
    if wanted is None:
        return (dated[-1] if dated else None), ""
    if wanted in years:
        return wanted, ""
    if None in years:
        return None, ""
    earlier = [y for y in dated if y < wanted]
    chosen = earlier[-1] if earlier else dated[0]
    return chosen, f"no {wanted} factor; the {chosen} factor is used"


def user_factor(
    carrier: str, value: float, unit: str, *, gas: str = "", source: str = ""
) -> EmissionFactor:
    """The factor entered on a row; the gas comes from the unit unless the row names it."""
    _, unit_gas, _ = parse_ef_unit(unit)
    if gas and parse_gas(gas) is not unit_gas:
        raise FactorError(f"the gas column says {gas} but the factor unit {unit} is for {unit_gas}")
    code = get_carrier(carrier).code if carrier else ""
    return EmissionFactor(
        code, unit_gas, value, unit, source or "entered on the row", kind=FactorKind.USER
    )


def load_ipcc_defaults() -> FactorSet:
    """The shipped IPCC 2006 default CO2 factors (t CO2/MWh, NCV basis)."""
    text = (
        resources.files("cityzero.ghg")
        .joinpath("data")
        .joinpath(IPCC_CSV)
        .read_text(encoding="utf-8")
    )
    factors = [
        EmissionFactor(
            carrier=row["fuel"],
            gas=Gas.CO2,
            value=float(row["co2_t_per_MWh"]),
            unit="t CO2/MWh",
            source=IPCC_SOURCE,
            version=IPCC_VERSION,
            kind=FactorKind.IPCC_DEFAULT,
            note=f"{row['co2_t_per_TJ']} t CO2/TJ; carbon content {row['ipcc_carbon_content_kgC_per_GJ']} kg C/GJ",
        )
        for row in csv.DictReader(text.splitlines())
    ]
    return FactorSet(factors, name="IPCC 2006 defaults")


def factor_set(*parts: Iterable[EmissionFactor]) -> FactorSet:
    return FactorSet([f for part in parts for f in part])
