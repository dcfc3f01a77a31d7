"""Totals by sector, sub-sector, scope and gas; BASIC, BASIC+ and the mission scope side by side.

Every total says what it includes and leaves out (:class:`LevelTotal`), and
:func:`reconcile` lists the signed steps from one total to another, so a reader can always see why
two figures differ. ``total_tco2e`` is every counted row: all reference numbers except energy
generation supplied to the grid (``I.4.4``), which is reported separately and never added.
Biogenic CO2 is a memo item in every view.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from cityzero.ghg.gases import Gas
from cityzero.ghg.gpc import REFS, Block, Level
from cityzero.ghg.inventory import RowResult

K = TypeVar("K")


class ExclusionKind(StrEnum):
    EU_ETS = "eu_ets"  # installations under the EU Emissions Trading System
    MINOR = "minor"  # minor sources, together at most 5% of the total


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A declared exclusion from the mission scope: whole reference numbers, or single rows."""

    reason: str
    kind: ExclusionKind
    refs: frozenset[str] = frozenset()
    rows: frozenset[int] = frozenset()

    def applies_to(self, result: RowResult) -> bool:
        return result.ref.ref in self.refs or result.row in self.rows


@dataclass(frozen=True, slots=True)
class BlockAmount:
    block: Block
    tco2e: float


@dataclass(frozen=True, slots=True)
class ExcludedAmount:
    exclusion: Exclusion
    tco2e: float
    rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LevelTotal:
    name: str
    tco2e: float
    included: tuple[BlockAmount, ...]  # before exclusions
    left_out: tuple[BlockAmount, ...]  # reported in the inventory, not part of this total
    excluded: tuple[ExcludedAmount, ...] = ()
    by_sector: dict[str, float] = field(default_factory=dict)  # this total, after exclusions

    @property
    def excluded_tco2e(self) -> float:
        return math.fsum(e.tco2e for e in self.excluded)

    @property
    def before_exclusions_tco2e(self) -> float:
        return math.fsum(b.tco2e for b in self.included)


@dataclass(frozen=True, slots=True)
class ReconciliationStep:
    from_total: str
    to_total: str
    label: str
    tco2e: float  # signed: add this to ``from_total`` on the way to ``to_total``


@dataclass(frozen=True, slots=True)
class Totals:
    total_tco2e: float
    by_sector: dict[str, float]
    by_subsector: dict[str, float]
    by_scope: dict[int, float]
    by_gas: dict[Gas, float]
    by_ref: dict[str, float]
    by_sector_scope: dict[tuple[str, int], float]
    by_carrier_sector: dict[tuple[str, str], float]  # carrier code ("" = none) × sector
    reported_separately_tco2e: float
    memo_biogenic_co2_t: float
    total: LevelTotal
    basic: LevelTotal
    basic_plus: LevelTotal
    mission: LevelTotal
    reconciliation: tuple[ReconciliationStep, ...]

    @property
    def basic_tco2e(self) -> float:
        return self.basic.tco2e

    @property
    def basic_plus_tco2e(self) -> float:
        return self.basic_plus.tco2e

    @property
    def mission_scope_tco2e(self) -> float:
        return self.mission.tco2e


def _sum_by(pairs: Iterable[tuple[K, float]]) -> dict[K, float]:
    parts: dict[K, list[float]] = defaultdict(list)
    for key, value in pairs:
        parts[key].append(value)
    return {key: math.fsum(values) for key, values in parts.items()}


def _level_total(
    name: str,
    counted: Sequence[RowResult],
    by_block: dict[Block, float],
    level: Level | None,
    exclusions: Sequence[Exclusion] = (),
) -> LevelTotal:
    blocks_in = {r.block for r in REFS.values() if level is None or level in r.levels}
    blocks_in.discard(Block.GRID_GENERATION)
    included = tuple(BlockAmount(b, by_block[b]) for b in Block if b in blocks_in and b in by_block)
    left_out = tuple(
        BlockAmount(b, by_block[b]) for b in Block if b not in blocks_in and b in by_block
    )
    excluded: list[ExcludedAmount] = []
    taken: set[int] = set()
    for exclusion in exclusions:
        rows = [
            r
            for r in counted
            if r.ref.block in blocks_in and r.row not in taken and exclusion.applies_to(r)
        ]
        taken.update(r.row for r in rows)
        excluded.append(
            ExcludedAmount(exclusion, math.fsum(r.tco2e for r in rows), tuple(r.row for r in rows))
        )
    remaining = [r for r in counted if r.ref.block in blocks_in and r.row not in taken]
    # Summed from the rows, not as included minus excluded: that difference of two rounded sums
    # can lose the digits of a small result.
    tco2e = math.fsum(r.tco2e for r in remaining)
    by_sector = _sum_by((r.sector, r.tco2e) for r in remaining)
    return LevelTotal(name, tco2e, included, left_out, tuple(excluded), by_sector)


def reconcile(a: LevelTotal, b: LevelTotal) -> list[ReconciliationStep]:
    """Signed steps that take total ``a`` to total ``b``: blocks added or dropped, exclusions."""
    steps: list[ReconciliationStep] = []
    a_blocks = {x.block: x.tco2e for x in a.included}
    b_blocks = {x.block: x.tco2e for x in b.included}
    for block, amount in a_blocks.items():
        if block not in b_blocks:
            steps.append(ReconciliationStep(a.name, b.name, f"leave out {block}", -amount))
    for block, amount in b_blocks.items():
        if block not in a_blocks:
            steps.append(ReconciliationStep(a.name, b.name, f"add {block}", amount))
    for e in a.excluded:
        steps.append(
            ReconciliationStep(a.name, b.name, f"undo exclusion: {e.exclusion.reason}", e.tco2e)
        )
    for e in b.excluded:
        steps.append(
            ReconciliationStep(
                a.name, b.name, f"declared exclusion: {e.exclusion.reason}", -e.tco2e
            )
        )
    return steps


def _carrier_code(result: RowResult) -> str:
    return result.carrier.code if result.carrier else ""


def totals(results: Sequence[RowResult], exclusions: Sequence[Exclusion] = ()) -> Totals:
    """All totals of an inventory; ``exclusions`` apply to the mission scope only."""
    counted = [r for r in results if not r.ref.reported_separately]
    separate = [r for r in results if r.ref.reported_separately]
    by_block = _sum_by((r.ref.block, r.tco2e) for r in counted)
    total = _level_total("Total", counted, by_block, None)
    basic = _level_total("BASIC", counted, by_block, Level.BASIC)
    basic_plus = _level_total("BASIC+", counted, by_block, Level.BASIC_PLUS)
    mission = _level_total("Mission scope", counted, by_block, Level.MISSION, exclusions)
    steps = [*reconcile(total, basic), *reconcile(basic, basic_plus), *reconcile(basic, mission)]
    return Totals(
        total_tco2e=math.fsum(r.tco2e for r in counted),
        by_sector=_sum_by((r.sector, r.tco2e) for r in counted),
        by_subsector=_sum_by((r.subsector, r.tco2e) for r in counted),
        by_scope=_sum_by((r.scope, r.tco2e) for r in counted),
        by_gas=_sum_by((gas, v) for r in counted for gas, v in r.co2e.items()),
        by_ref=_sum_by((r.ref.ref, r.tco2e) for r in counted),
        by_sector_scope=_sum_by(((r.sector, r.scope), r.tco2e) for r in counted),
        by_carrier_sector=_sum_by(((_carrier_code(r), r.sector), r.tco2e) for r in counted),
        reported_separately_tco2e=math.fsum(r.tco2e for r in separate),
        memo_biogenic_co2_t=math.fsum(r.biogenic_co2_t for r in results),
        total=total,
        basic=basic,
        basic_plus=basic_plus,
        mission=mission,
        reconciliation=tuple(steps),
    )
