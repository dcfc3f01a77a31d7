"""Business-as-usual 2030 projection and the mission target (DOMAIN §2.4).

BAU: each sector's baseline grows with population and with that sector's activity per person;
grid-supplied energy (scope 2) also follows the grid-factor trend. All three are stated per year and
compound: ``E(t) = E0 × (1+p)^n × (1+a_sector)^n × (1+g)^n`` (the last term for scope 2 only),
with ``n = t − base year``.

Target: at least 80% below the baseline by 2030; the residual, at most 20%, may be offset.
Gap arithmetic as in the 2024 Climate City Contract template: (4) gap = (2) target reduction − (3)
reduction by existing plans; (6) residual = (1) baseline − (2).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

MISSION_TARGET_YEAR = 2030
MISSION_REDUCTION = 0.80


@dataclass(frozen=True, slots=True)
class Drivers:
    population_growth: float = 0.0  # per year, 0.01 = +1%/yr
    activity_growth: dict[str, float] = field(
        default_factory=dict
    )  # per person per year, by sector
    grid_factor_trend: float = 0.0  # per year, −0.03 = grid 3% cleaner every year

    def __post_init__(self) -> None:
        rates = [self.population_growth, self.grid_factor_trend, *self.activity_growth.values()]
        if any(not math.isfinite(r) or r <= -1 for r in rates):
            raise ValueError("growth rates are fractions per year above −1 (e.g. 0.01 for +1%)")


@dataclass(frozen=True, slots=True)
class Projection:
    base_year: int
    target_year: int
    baseline_tco2e: float
    by_year: dict[int, float]  # total per year, base year to target year
    by_sector: dict[str, float]  # target year
    drivers: Drivers

    @property
    def target_year_tco2e(self) -> float:
        return self.by_year[self.target_year]


def project_bau(
    baseline: Mapping[tuple[str, int], float],
    *,
    base_year: int,
    drivers: Drivers,
    target_year: int = MISSION_TARGET_YEAR,
) -> Projection:
    """BAU projection from baseline tCO2e per (sector, scope), e.g. ``Totals.by_sector_scope``."""
    if target_year < base_year:
        raise ValueError(f"the target year {target_year} is before the base year {base_year}")

    def at(year: int) -> dict[str, float]:
        n = year - base_year
        sectors: dict[str, list[float]] = {}
        for (sector, scope), value in baseline.items():
            growth = (1 + drivers.population_growth) ** n * (
                1 + drivers.activity_growth.get(sector, 0.0)
            ) ** n
            if scope == 2:
                growth *= (1 + drivers.grid_factor_trend) ** n
            sectors.setdefault(sector, []).append(value * growth)
        return {s: math.fsum(v) for s, v in sectors.items()}

    by_year = {y: math.fsum(at(y).values()) for y in range(base_year, target_year + 1)}
    return Projection(
        base_year,
        target_year,
        math.fsum(baseline.values()),
        by_year,
        at(target_year),
        drivers,
    )


@dataclass(frozen=True, slots=True)
class MissionGap:
    baseline: float  # (1)
    reduction_target: float  # (2) = 80% of (1)
    existing_plans: float  # (3)
    gap: float  # (4) = (2) − (3)
    portfolio: float  # (5) reductions by the Climate City Contract's actions
    shortfall: float  # gap not yet closed by the portfolio: max(0, (4) − (5))
    residual: float  # (6) = (1) − (2), at most 20% of (1), may be offset
    target_emissions: float  # emissions allowed in 2030 = (6)

    @property
    def on_track(self) -> bool:
        return self.shortfall <= 0


def mission_gap(
    baseline: float,
    *,
    existing_plans: float = 0.0,
    portfolio: float = 0.0,
    reduction_share: float = MISSION_REDUCTION,
) -> MissionGap:
    if reduction_share < MISSION_REDUCTION:
        raise ValueError(
            f"the mission target is at least {MISSION_REDUCTION:.0%} reduction by 2030"
        )
    target = baseline * reduction_share
    gap = target - existing_plans
    residual = baseline - target
    return MissionGap(
        baseline=baseline,
        reduction_target=target,
        existing_plans=existing_plans,
        gap=gap,
        portfolio=portfolio,
        shortfall=max(0.0, gap - portfolio),
        residual=residual,
        target_emissions=residual,
    )
