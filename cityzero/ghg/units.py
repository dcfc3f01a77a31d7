"""Units, through one pint registry: energy, fuel mass and volume, vehicle-km, masses of gases.

Conversions between measures go through the carrier's physical properties, never by hand:
volume --density--> mass --NCV--> energy (and back). ``toe`` is pint's tonne of oil equivalent,
41.868 GJ (the IEA/OECD definition).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from cityzero.ghg.carriers import Carrier, Measure
from cityzero.ghg.gases import Gas, parse_gas

ureg: pint.UnitRegistry[float] = pint.UnitRegistry()
ureg.define("vehicle_kilometre = [vehicle_distance] = vkm = vehicle_km")

_DIMENSIONS: dict[Measure, str] = {
    Measure.ENERGY: "[energy]",
    Measure.MASS: "[mass]",
    Measure.VOLUME: "[volume]",
    Measure.VEHICLE_DISTANCE: "[vehicle_distance]",
}

# Words users write that pint reads differently or not at all.
_SPELLINGS = {
    "m3": "m**3",
    "nm3": "m**3",
    "litre": "l",
    "litres": "l",
    "liter": "l",
    "liters": "l",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",  # metric tonne: GPC inventories never mean short tons
    "tons": "t",
    "kt": "kilotonne",  # pint reads "kt" as knot
    "vehicle-km": "vkm",
    "veh-km": "vkm",
    "vehicle km": "vkm",
}


class UnitError(ValueError):
    pass


def normalise_unit(text: str) -> str:
    unit = text.strip()
    return _SPELLINGS.get(unit.lower(), unit)


@lru_cache(maxsize=1024)
def measure_of(unit: str) -> Measure:
    """Which measure a unit string measures; :class:`UnitError` if it is none we support."""
    if not _pint_may_read(normalise_unit(unit)):
        raise UnitError(f"'{unit[:40]}' is not a unit we know")
    try:
        parsed = ureg.parse_units(normalise_unit(unit))
    except (
        pint.errors.UndefinedUnitError,
        pint.errors.DefinitionSyntaxError,
        ValueError,
        TypeError,
        AttributeError,
    ) as exc:
        raise UnitError(f"'{unit}' is not a unit we know") from exc
    for measure, dimension in _DIMENSIONS.items():
        if parsed.dimensionality == ureg.get_dimensionality(dimension):
            return measure
    raise UnitError(f"'{unit}' does not measure energy, mass, volume or vehicle-km")


@lru_cache(maxsize=4096)
def unit_factor(from_unit: str, to_unit: str) -> float:
    """Multiply a magnitude in ``from_unit`` by this to get ``to_unit`` (same measure only)."""
    try:
        q = ureg.Quantity(1.0, normalise_unit(from_unit)).to(normalise_unit(to_unit))
    except pint.errors.DimensionalityError as exc:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}") from exc
    return float(q.magnitude)


# Canonical units for the chain volume ↔ mass ↔ energy.
_CANONICAL = {
    Measure.VOLUME: "l",
    Measure.MASS: "t",
    Measure.ENERGY: "GJ",
    Measure.VEHICLE_DISTANCE: "vkm",
}
_CHAIN = (Measure.VOLUME, Measure.MASS, Measure.ENERGY)


def _step(value: float, src: Measure, dst: Measure, carrier: Carrier) -> float:
    """One step along the chain, in canonical units (l, t, GJ)."""
    if {src, dst} == {Measure.VOLUME, Measure.MASS}:
        if carrier.density_kg_per_l is None:
            raise UnitError(
                f"{carrier.name} has no density: enter it by mass or energy, not volume"
            )
        tonnes_per_litre = carrier.density_kg_per_l / 1000.0
        return value * tonnes_per_litre if src is Measure.VOLUME else value / tonnes_per_litre
    if carrier.ncv_gj_per_t is None:
        raise UnitError(f"{carrier.name} has no net calorific value: enter it as energy, not mass")
    return value * carrier.ncv_gj_per_t if src is Measure.MASS else value / carrier.ncv_gj_per_t


def convert(value: float, from_unit: str, to_unit: str, carrier: Carrier) -> float:
    """Convert an amount of ``carrier`` between units, across measures where the carrier allows."""
    src, dst = measure_of(from_unit), measure_of(to_unit)
    for measure, unit in ((src, from_unit), (dst, to_unit)):
        if measure not in carrier.measures:
            raise UnitError(
                f"'{unit}' cannot measure {carrier.name}; use {describe_units(carrier)}"
            )
    if src is dst:
        return value * unit_factor(from_unit, to_unit)
    if src not in _CHAIN or dst not in _CHAIN:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}")
    amount = value * unit_factor(from_unit, _CANONICAL[src])
    i, j = _CHAIN.index(src), _CHAIN.index(dst)
    direction = 1 if j > i else -1
    for k in range(i, j, direction):
        amount = _step(amount, _CHAIN[k], _CHAIN[k + direction], carrier)
    return amount * unit_factor(_CANONICAL[dst], to_unit)


_EXAMPLES = {
    Measure.ENERGY: "kWh, MWh, GWh, GJ, TJ or toe",
    Measure.MASS: "kg or t",
    Measure.VOLUME: "l or m3",
    Measure.VEHICLE_DISTANCE: "vkm",
}


def describe_units(carrier: Carrier) -> str:
    return " or ".join(_EXAMPLES[m] for m in Measure if m in carrier.measures)


_GAS_MASS = re.compile(r"^\s*(kg|t|kt|Mt|tonnes?|g)\s+([A-Za-z0-9\-]+)\s*$")


def parse_gas_mass(unit: str) -> tuple[float, Gas] | None:
    """``"t CH4"`` → (1.0, CH4); ``"kg CO2e"`` → (0.001, CO2E); ``None`` if not a mass of a gas."""
    m = _GAS_MASS.match(unit)
    if m is None:
        return None
    try:
        gas = parse_gas(m.group(2))
    except ValueError:
        return None
    return unit_factor(m.group(1), "t"), gas


def parse_ef_unit(unit: str) -> tuple[float, Gas, str]:
    """``"t CO2/MWh"`` → (tonnes per mass unit, gas, activity unit); :class:`UnitError` otherwise."""
    numerator, sep, denominator = unit.partition("/")
    mass = parse_gas_mass(numerator)
    if not sep or mass is None or not denominator.strip():
        raise UnitError(
            f"'{unit}' is not an emission factor unit; write it like t CO2/MWh, kg CO2e/vkm or t CH4/TJ"
        )
    activity = denominator.strip()
    measure_of(activity)
    return mass[0], mass[1], activity


def _per_unit(unit: str) -> tuple[str, str]:
    """``"t CO2e / capita"`` → ("t CO2e", "capita"); ``"km"`` → ("km", "")."""
    for separator in ("/", " per "):
        numerator, found, denominator = unit.partition(separator)
        if found:
            return numerator.strip(), " ".join(denominator.lower().split())
    return unit.strip(), ""


def _same(from_unit: str, to_unit: str) -> bool:
    return " ".join(from_unit.lower().split()) == " ".join(to_unit.lower().split())


#: A power with a small whole exponent, as pint's preprocessor writes it ("m**(2)", "s^-1").
_SMALL_POWER = re.compile(r"(?:\*\*|\^)\s*\(?\s*[-+]?\d{1,2}\s*\)?")
_CHAINED_POWER = re.compile(r"(?:\*\*|\^)\s*\(?\s*[-+]?\d+\s*\)?\s*(?:\*\*|\^)")
_NAME = re.compile(r"[^\W\d]\w*")  # unit names may hold digits: CO2, m3, PM10
MAX_UNIT = 100


def _pint_may_read(unit: str) -> bool:
    """Whether ``unit`` is safe to hand to pint's parser, which computes the numbers in it: no
    bare numbers and only small, unchained powers ("9**9**9" would take hours)."""
    if len(unit) > MAX_UNIT:
        return False
    text = pint.util.string_preprocessor(unit)  # "m²" → "m**(2)", "10⁹⁹" → "10**(99)"
    if _CHAINED_POWER.search(text):
        return False
    return not any(char.isdigit() for char in _NAME.sub("", _SMALL_POWER.sub("", text)))


def _magnitude_factor(from_unit: str, to_unit: str) -> float | None:
    """The factor between two amounts without a "per" part, or None if they cannot be compared."""
    if _same(from_unit, to_unit):
        return 1.0
    gas_from, gas_to = parse_gas_mass(from_unit), parse_gas_mass(to_unit)
    if gas_from is not None or gas_to is not None:
        if gas_from is None or gas_to is None or gas_from[1] != gas_to[1]:
            return None
        return gas_from[0] / gas_to[0]
    if not (_pint_may_read(from_unit) and _pint_may_read(to_unit)):
        return None
    try:
        factor = unit_factor(from_unit, to_unit)
        zero = ureg.Quantity(0.0, normalise_unit(from_unit)).to(normalise_unit(to_unit))
    except Exception:  # pint's parser raises many kinds of error on text it cannot read
        return None
    if zero.magnitude != 0 or not (math.isfinite(factor) and factor > 0):
        return None  # °C and °F are offsets, not multiples: no factor converts them
    return factor


def quantity_factor(from_unit: str, to_unit: str) -> float:
    """Multiply a value in ``from_unit`` by this to get it in ``to_unit``: the same unit as typed
    (1), masses of the same gas ("kt CO2e" → "t CO2e"), any two units pint relates ("GWh" → "MWh"),
    each optionally "per" the same thing ("kg CO2e/capita" → "t CO2e per capita").

    :class:`UnitError` when the two measure different things (MWh and t CO2e, % and homes).
    """
    (amount_from, per_from), (amount_to, per_to) = _per_unit(from_unit), _per_unit(to_unit)
    if not amount_from or not amount_to:
        raise UnitError("give the unit")  # a bare number is not "in the indicator's unit"
    if _same(from_unit, to_unit):
        return 1.0
    factor = _magnitude_factor(amount_from, amount_to) if per_from == per_to else None
    if factor is None:
        raise UnitError(f"cannot convert {from_unit} to {to_unit}")
    return factor
