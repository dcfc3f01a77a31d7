"""Energy carriers and activities: what they can be measured in and how to convert between them.

Net calorific values (NCV, GJ/t) come from the shipped IPCC 2006 table
(``data/emission_factors_ipcc2006.csv``: IPCC 2006 Guidelines Vol. 2, Table 1.2).

IPCC 2006 Vol. 2 gives no densities. The densities below are **typical values**, labelled as such
on every carrier; a city with measured values (e.g. from its fuel supplier or national energy
statistics) should enter the quantity in tonnes or energy instead:

* gas/diesel oil 0.84 kg/l — typical road diesel at 15 °C (EN 590 allows 0.820–0.845 kg/l);
* motor gasoline 0.745 kg/l — typical petrol at 15 °C (EN 228 allows 0.720–0.775 kg/l);
* LPG 0.54 kg/l — typical liquid propane/butane mix;
* kerosene and jet kerosene 0.80 kg/l — typical (Jet A-1 specification 0.775–0.840 kg/l);
* residual fuel oil 0.98 kg/l — typical heavy fuel oil;
* biodiesel 0.88 kg/l — typical FAME (EN 14214 allows 0.86–0.90 kg/l);
* natural gas 0.8 kg/m³ — typical at standard conditions (composition-dependent, 0.7–0.9 kg/m³).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class Measure(StrEnum):
    ENERGY = "energy"
    MASS = "mass"
    VOLUME = "volume"
    VEHICLE_DISTANCE = "vehicle_distance"


class CarrierKind(StrEnum):
    FUEL = "fuel"
    GRID_ENERGY = "grid_energy"  # electricity, district heat/cooling, steam: scope 2 when consumed
    VEHICLE = "vehicle"  # vehicle-km with per-km factors
    WASTE = "waste"  # tonnes of waste, with waste-treatment factors


@dataclass(frozen=True, slots=True)
class Carrier:
    code: str
    name: str
    kind: CarrierKind
    measures: frozenset[Measure]
    ncv_gj_per_t: float | None = None
    density_kg_per_l: float | None = None  # for gases: kg/m³ ÷ 1000, i.e. still kg per litre
    density_source: str = ""
    biogenic: bool = False  # CO2 from it is a memo item, 0 in totals
    fossil: bool = True  # CH4 from it is fossil methane (AR6 distinguishes)


IPCC_CSV = "emission_factors_ipcc2006.csv"

_NAMES = {
    "natural_gas": "Natural gas",
    "gas_diesel_oil": "Gas/diesel oil",
    "motor_gasoline": "Motor gasoline",
    "liquefied_petroleum_gases": "Liquefied petroleum gases (LPG)",
    "residual_fuel_oil": "Residual fuel oil",
    "other_kerosene": "Other kerosene",
    "jet_kerosene": "Jet kerosene",
    "anthracite": "Anthracite",
    "other_bituminous_coal": "Other bituminous coal",
    "sub_bituminous_coal": "Sub-bituminous coal",
    "lignite": "Lignite",
    "peat": "Peat",
    "coke": "Coke",
    "municipal_solid_waste_fossil_and_biogenic": "Municipal solid waste (as fuel)",
    "other_primary_solid_biomass": "Other primary solid biomass",
    "landfill_gas": "Landfill gas",
    "biodiesels": "Biodiesels",
}

_TYPICAL = "typical value (IPCC 2006 gives no densities); enter tonnes or energy if you know better"

# kg per litre; natural gas 0.8 kg/m³ = 0.0008 kg/l.
_DENSITIES: dict[str, float] = {
    "gas_diesel_oil": 0.84,
    "motor_gasoline": 0.745,
    "liquefied_petroleum_gases": 0.54,
    "other_kerosene": 0.80,
    "jet_kerosene": 0.80,
    "residual_fuel_oil": 0.98,
    "biodiesels": 0.88,
    "natural_gas": 0.0008,
}

_BIOGENIC = {"other_primary_solid_biomass", "landfill_gas", "biodiesels"}


def _ipcc_ncvs() -> dict[str, float | None]:
    text = (
        resources.files("cityzero.ghg")
        .joinpath("data")
        .joinpath(IPCC_CSV)
        .read_text(encoding="utf-8")
    )
    return {
        row["fuel"]: (float(row["ncv_GJ_per_t"]) if row["ncv_GJ_per_t"] else None)
        for row in csv.DictReader(text.splitlines())
    }


def _build() -> dict[str, Carrier]:
    carriers: list[Carrier] = []
    for code, ncv in _ipcc_ncvs().items():
        density = _DENSITIES.get(code)
        measures = {Measure.ENERGY}
        if ncv is not None:
            measures.add(Measure.MASS)
            if density is not None:
                measures.add(Measure.VOLUME)
        carriers.append(
            Carrier(
                code,
                _NAMES.get(code, code.replace("_", " ").capitalize()),
                CarrierKind.FUEL,
                frozenset(measures),
                ncv_gj_per_t=ncv,
                density_kg_per_l=density,
                density_source=_TYPICAL if density is not None else "",
                biogenic=code in _BIOGENIC,
                fossil=code not in _BIOGENIC,
            )
        )
    carriers.append(
        Carrier(
            "biogas",
            "Biogas",
            CarrierKind.FUEL,
            frozenset({Measure.ENERGY}),
            biogenic=True,
            fossil=False,
        )
    )
    energy = frozenset({Measure.ENERGY})
    for code, name in (
        ("electricity", "Grid electricity"),
        ("district_heat", "District heat"),
        ("district_cooling", "District cooling"),
        ("steam", "Steam"),
    ):
        carriers.append(Carrier(code, name, CarrierKind.GRID_ENERGY, energy))
    vkm = frozenset({Measure.VEHICLE_DISTANCE})
    for code, name in (
        ("passenger_car", "Passenger car"),
        ("light_commercial_vehicle", "Light commercial vehicle"),
        ("heavy_goods_vehicle", "Heavy goods vehicle"),
        ("bus", "Bus"),
        ("motorcycle", "Motorcycle"),
    ):
        carriers.append(Carrier(code, name, CarrierKind.VEHICLE, vkm))
    for code, name in (
        ("municipal_solid_waste", "Municipal solid waste"),
        ("organic_waste", "Organic waste"),
        ("wastewater", "Wastewater"),
    ):
        waste_measures = frozenset(
            {Measure.MASS, Measure.VOLUME} if code == "wastewater" else {Measure.MASS}
        )
        carriers.append(Carrier(code, name, CarrierKind.WASTE, waste_measures, fossil=False))
    return {c.code: c for c in carriers}


CARRIERS: dict[str, Carrier] = _build()

ALIASES: dict[str, str] = {
    "diesel": "gas_diesel_oil",
    "gas_oil": "gas_diesel_oil",
    "heating_oil": "gas_diesel_oil",
    "gasoline": "motor_gasoline",
    "petrol": "motor_gasoline",
    "lpg": "liquefied_petroleum_gases",
    "kerosene": "other_kerosene",
    "fuel_oil": "residual_fuel_oil",
    "heavy_fuel_oil": "residual_fuel_oil",
    "biodiesel": "biodiesels",
    "wood": "other_primary_solid_biomass",
    "biomass": "other_primary_solid_biomass",
    "msw": "municipal_solid_waste",
    "power": "electricity",
    "heat": "district_heat",
}


class UnknownCarrier(ValueError):
    pass


def get_carrier(code: str) -> Carrier:
    key = code.strip().lower().replace(" ", "_").replace("-", "_")
    key = ALIASES.get(key, key)
    found = CARRIERS.get(key)
    if found is None:
        raise UnknownCarrier(
            f"'{code}' is not a known carrier; use one of {', '.join(sorted(CARRIERS))}"
        )
    return found
