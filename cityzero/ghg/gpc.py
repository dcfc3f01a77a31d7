"""The GPC tree: sectors, sub-sectors, reference numbers and what each total includes.

Source: Global Protocol for Community-Scale Greenhouse Gas Emission Inventories (GPC, WRI/C40/
ICLEI 2014), Table 4.1 (sectors, sub-sectors, scopes) and the BASIC / BASIC+ reporting levels, as
summarised in ``/work/shared/DOMAIN.md`` §6 and cross-checked against CityCatalyst's GPC reference
table (Open-Earth-Foundation/CityCatalyst, ``app/src/util/GHGI/data/gpc-reference-table.json``).

Reference numbers read ``sector.subsector.n``. For sectors I and II, ``n`` is the scope (1, 2, 3),
except ``I.4.4``: energy generation supplied to the grid, a scope 1 source that is *reported
separately* and never added into BASIC, BASIC+ or the mission scope (it would count the same
tonnes again as scope 2 of the electricity consumers). For waste (III) ``n`` is not the scope:

* ``III.x.1`` waste generated and treated in the city (scope 1, BASIC),
* ``III.x.2`` waste generated in the city, treated outside (scope 3, BASIC),
* ``III.x.3`` waste generated outside, treated in the city (scope 1, in no city-induced total).

IPPU (``IV.1``, ``IV.2``) and AFOLU (``V.1``–``V.3``) are scope 1, BASIC+. ``VI.1`` is other scope 3.

The mission scope (EU Cities Mission, DOMAIN §2.4) is scopes 1+2 of stationary energy, transport,
waste, IPPU and AFOLU plus scope 3 of waste generated in the city and treated outside: BASIC plus
IPPU and AFOLU, without T&D losses and transboundary transport. Declared exclusions (EU ETS
installations, minor sources) are subtracted in :mod:`cityzero.ghg.totals`. Like BASIC it leaves out
``I.4.4`` and ``III.x.3`` (an assumption: the Info Kit does not name these references).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class GpcError(ValueError):
    """A reference number that does not exist in the GPC."""


class Level(StrEnum):
    BASIC = "basic"
    BASIC_PLUS = "basic_plus"
    MISSION = "mission"


class Block(StrEnum):
    """Groups of reference numbers that the totals add or drop as a whole (for reconciliation)."""

    STATIONARY_1_2 = "Stationary energy, scopes 1+2"
    STATIONARY_TD_LOSSES = "Stationary energy, scope 3 (T&D losses)"
    GRID_GENERATION = "Energy generation supplied to the grid (reported separately)"
    TRANSPORT_1_2 = "Transportation, scopes 1+2"
    TRANSPORT_3 = "Transportation, scope 3 (transboundary journeys, T&D losses)"
    WASTE_CITY = "Waste generated in the city (scopes 1+3)"
    WASTE_IMPORTED = "Waste generated outside, treated in the city"
    IPPU = "IPPU"
    AFOLU = "AFOLU"
    OTHER_SCOPE_3 = "Other scope 3"


@dataclass(frozen=True, slots=True)
class Sector:
    code: str  # "I" … "VI"
    name: str


@dataclass(frozen=True, slots=True)
class SubSector:
    ref: str  # "I.1", "IV.2"
    name: str
    sector: str


@dataclass(frozen=True, slots=True)
class GpcRef:
    """One reportable GPC reference number and where it counts."""

    ref: str
    sector: str
    subsector: str
    scope: int
    name: str
    block: Block
    levels: frozenset[Level]
    reported_separately: bool = False

    @property
    def in_basic(self) -> bool:
        return Level.BASIC in self.levels

    @property
    def in_basic_plus(self) -> bool:
        return Level.BASIC_PLUS in self.levels

    @property
    def in_mission(self) -> bool:
        return Level.MISSION in self.levels


SECTORS: dict[str, Sector] = {
    s.code: s
    for s in (
        Sector("I", "Stationary energy"),
        Sector("II", "Transportation"),
        Sector("III", "Waste"),
        Sector("IV", "Industrial processes and product use (IPPU)"),
        Sector("V", "Agriculture, forestry and other land use (AFOLU)"),
        Sector("VI", "Other scope 3"),
    )
}

SUBSECTORS: dict[str, SubSector] = {
    s.ref: s
    for s in (
        SubSector("I.1", "Residential buildings", "I"),
        SubSector("I.2", "Commercial and institutional buildings and facilities", "I"),
        SubSector("I.3", "Manufacturing industries and construction", "I"),
        SubSector("I.4", "Energy industries", "I"),
        SubSector("I.5", "Agriculture, forestry and fishing activities", "I"),
        SubSector("I.6", "Non-specified sources", "I"),
        SubSector(
            "I.7",
            "Fugitive emissions from mining, processing, storage and transportation of coal",
            "I",
        ),
        SubSector("I.8", "Fugitive emissions from oil and natural gas systems", "I"),
        SubSector("II.1", "On-road transportation", "II"),
        SubSector("II.2", "Railways", "II"),
        SubSector("II.3", "Waterborne navigation", "II"),
        SubSector("II.4", "Aviation", "II"),
        SubSector("II.5", "Off-road transportation", "II"),
        SubSector("III.1", "Solid waste disposal", "III"),
        SubSector("III.2", "Biological treatment of waste", "III"),
        SubSector("III.3", "Incineration and open burning", "III"),
        SubSector("III.4", "Wastewater treatment and discharge", "III"),
        SubSector("IV.1", "Industrial processes", "IV"),
        SubSector("IV.2", "Product use", "IV"),
        SubSector("V.1", "Livestock", "V"),
        SubSector("V.2", "Land", "V"),
        SubSector("V.3", "Aggregate sources and non-CO2 emission sources on land", "V"),
        SubSector("VI.1", "Other scope 3", "VI"),
    )
}

_BASIC_ALL = frozenset({Level.BASIC, Level.BASIC_PLUS, Level.MISSION})
_BASIC_PLUS_ONLY = frozenset({Level.BASIC_PLUS})
_PLUS_AND_MISSION = frozenset({Level.BASIC_PLUS, Level.MISSION})
_NONE: frozenset[Level] = frozenset()


def _build() -> dict[str, GpcRef]:
    refs: list[GpcRef] = []

    def add(
        ref: str,
        scope: int,
        name: str,
        block: Block,
        levels: frozenset[Level],
        *,
        sep: bool = False,
    ) -> None:
        sector = ref.split(".")[0]
        subsector = ".".join(ref.split(".")[:2])
        refs.append(GpcRef(ref, sector, subsector, scope, name, block, levels, sep))

    for n in range(1, 7):
        sub = f"I.{n}"
        add(
            f"{sub}.1",
            1,
            "Fuel combustion within the city boundary",
            Block.STATIONARY_1_2,
            _BASIC_ALL,
        )
        add(
            f"{sub}.2",
            2,
            "Grid-supplied energy consumed within the city boundary",
            Block.STATIONARY_1_2,
            _BASIC_ALL,
        )
        add(
            f"{sub}.3",
            3,
            "Transmission and distribution losses from grid-supplied energy",
            Block.STATIONARY_TD_LOSSES,
            _BASIC_PLUS_ONLY,
        )
    add(
        "I.4.4", 1, "Energy generation supplied to the grid", Block.GRID_GENERATION, _NONE, sep=True
    )
    add("I.7.1", 1, "Fugitive emissions within the city boundary", Block.STATIONARY_1_2, _BASIC_ALL)
    add("I.8.1", 1, "Fugitive emissions within the city boundary", Block.STATIONARY_1_2, _BASIC_ALL)

    for n in range(1, 6):
        sub = f"II.{n}"
        add(
            f"{sub}.1",
            1,
            "Fuel combustion within the city boundary",
            Block.TRANSPORT_1_2,
            _BASIC_ALL,
        )
        add(
            f"{sub}.2",
            2,
            "Grid-supplied energy consumed within the city boundary",
            Block.TRANSPORT_1_2,
            _BASIC_ALL,
        )
        if n != 5:  # GPC Table 4.1 has no scope 3 for off-road transportation
            add(
                f"{sub}.3",
                3,
                "Transboundary journeys outside the city and T&D losses",
                Block.TRANSPORT_3,
                _BASIC_PLUS_ONLY,
            )

    for n in range(1, 5):
        sub = f"III.{n}"
        add(f"{sub}.1", 1, "Generated and treated within the city", Block.WASTE_CITY, _BASIC_ALL)
        add(
            f"{sub}.2",
            3,
            "Generated within the city, treated outside",
            Block.WASTE_CITY,
            _BASIC_ALL,
        )
        add(
            f"{sub}.3", 1, "Generated outside the city, treated within", Block.WASTE_IMPORTED, _NONE
        )

    add("IV.1", 1, "Industrial processes within the city boundary", Block.IPPU, _PLUS_AND_MISSION)
    add("IV.2", 1, "Product use within the city boundary", Block.IPPU, _PLUS_AND_MISSION)
    add("V.1", 1, "Livestock within the city boundary", Block.AFOLU, _PLUS_AND_MISSION)
    add("V.2", 1, "Land within the city boundary", Block.AFOLU, _PLUS_AND_MISSION)
    add(
        "V.3",
        1,
        "Aggregate sources and non-CO2 emission sources on land",
        Block.AFOLU,
        _PLUS_AND_MISSION,
    )
    add("VI.1", 3, "Other scope 3", Block.OTHER_SCOPE_3, _NONE)
    return {r.ref: r for r in refs}


REFS: dict[str, GpcRef] = _build()

#: The reference number that is reported separately and never added into totals.
GRID_GENERATION_REF = "I.4.4"

_REF_PATTERN = re.compile(r"^(I|II|III|IV|V|VI)\.(\d)(?:\.(\d))?$")
_REF_IN_TEXT = re.compile(r"\b(?:VI|IV|V|III|II|I)\.\d(?:\.\d)?\b")


def parse_ref(text: str) -> GpcRef:
    """Return the reference for ``"I.1.1"``; raise :class:`GpcError` saying why it is not one."""
    ref = text.strip().upper()
    if not _REF_PATTERN.match(ref):
        raise GpcError(
            f"'{text}' is not a GPC reference number; write it like I.1.1, II.1.2, III.1.2 or IV.1"
        )
    found = REFS.get(ref)
    if found is None:
        subsector = ".".join(ref.split(".")[:2])
        if subsector in SUBSECTORS:
            valid = ", ".join(r for r in REFS if REFS[r].subsector == subsector)
            raise GpcError(f"GPC has no reference {ref}; {subsector} has {valid}")
        raise GpcError(f"GPC has no sub-sector {subsector} (reference {ref})")
    return found


def refs_in_text(text: str) -> list[GpcRef]:
    """The valid reference numbers named in a free text (used for "IE: included in I.2.1")."""
    return [REFS[m] for m in _REF_IN_TEXT.findall(text.upper()) if m in REFS]


def refs_at(level: Level) -> list[GpcRef]:
    """Every reference number that a total at ``level`` includes, in GPC order."""
    return [r for r in REFS.values() if level in r.levels]


def subsector_name(ref: str) -> str:
    return SUBSECTORS[ref].name


def sector_name(code: str) -> str:
    return SECTORS[code].name
