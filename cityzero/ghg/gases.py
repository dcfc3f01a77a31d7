"""The seven Kyoto gases and the GWP100 sets an inventory can declare.

Sources:
* AR5: IPCC Fifth Assessment Report, WG1, Chapter 8, Table 8.A.1 (GWP100 without climate-carbon
  feedbacks): CH4 28, N2O 265, SF6 23,500, NF3 16,100.
* AR6: IPCC Sixth Assessment Report, WG1, Chapter 7, Table 7.15 and Table 7.SM.7: CH4 27.9
  (fossil origin 29.8, which includes the CO2 from its oxidation), N2O 273, SF6 25,200, NF3 17,400.

HFCs and PFCs are families of many gases with different GWPs; cities report them already converted,
in t CO2e, so they carry a GWP of 1 here. ``CO2E`` is not a gas: it marks rows that are reported
(or whose factor is given) as CO2 equivalent and so cannot be split by gas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Gas(StrEnum):
    CO2 = "CO2"
    CH4 = "CH4"
    N2O = "N2O"
    HFCS = "HFCs"
    PFCS = "PFCs"
    SF6 = "SF6"
    NF3 = "NF3"
    CO2E = "CO2e"


SEVEN_GASES: tuple[Gas, ...] = (Gas.CO2, Gas.CH4, Gas.N2O, Gas.HFCS, Gas.PFCS, Gas.SF6, Gas.NF3)

#: Gases that are reported directly in t CO2e (families, or already aggregated).
REPORTED_AS_CO2E: frozenset[Gas] = frozenset({Gas.HFCS, Gas.PFCS, Gas.CO2E})

_ALIASES = {g.value.lower(): g for g in Gas} | {
    "co2eq": Gas.CO2E,
    "co2-eq": Gas.CO2E,
    "co2-e": Gas.CO2E,
    "hfc": Gas.HFCS,
    "pfc": Gas.PFCS,
}


def parse_gas(text: str) -> Gas:
    gas = _ALIASES.get(text.strip().lower())
    if gas is None:
        names = ", ".join(g.value for g in Gas)
        raise ValueError(f"'{text}' is not a gas; use one of {names}")
    return gas


@dataclass(frozen=True, slots=True)
class GwpSet:
    name: str
    values: dict[Gas, float] = field(hash=False)
    ch4_fossil: float | None = None
    source: str = ""

    def factor(self, gas: Gas, *, fossil: bool = False) -> float:
        """t CO2e per t of ``gas``."""
        if gas is Gas.CH4 and fossil and self.ch4_fossil is not None:
            return self.ch4_fossil
        return self.values[gas]


_ONE = {Gas.CO2: 1.0, Gas.HFCS: 1.0, Gas.PFCS: 1.0, Gas.CO2E: 1.0}

AR5 = GwpSet(
    "AR5",
    _ONE | {Gas.CH4: 28.0, Gas.N2O: 265.0, Gas.SF6: 23_500.0, Gas.NF3: 16_100.0},
    source="IPCC AR5 WG1 Table 8.A.1, GWP100",
)
AR6 = GwpSet(
    "AR6",
    _ONE | {Gas.CH4: 27.9, Gas.N2O: 273.0, Gas.SF6: 25_200.0, Gas.NF3: 17_400.0},
    ch4_fossil=29.8,
    source="IPCC AR6 WG1 Table 7.15 / 7.SM.7, GWP100",
)
GWP_SETS: dict[str, GwpSet] = {"AR5": AR5, "AR6": AR6}
