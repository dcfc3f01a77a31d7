"""The Climate City Contract's numbers and its mission-rule checklist (DOMAIN §2, §2.4).

The target and residual emissions table follows the 2024 template, one row per sector and a Total:
(1) baseline; (2) reduction target 2030; (3) reduction through existing plans; (4) emissions gap
= (2) − (3); (5) reduction through the contract's action portfolio; (6) residual emissions
= (1) − (2). Actions of existing plans (row 3) are kept apart from the contract's new actions
(row 5), so no reduction counts twice.

:func:`check_contract` turns the mission rules into a checklist: every item is always returned,
passed or not, says what is wrong and where to fix it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from cityzero.ghg.checks import COVID_YEARS, EARLIEST_BASE_YEAR
from cityzero.ghg.projection import MISSION_REDUCTION, MISSION_TARGET_YEAR

#: Shares compared with the mission's 80%/20% allow for float rounding (0.8 × x / x ≠ 0.8).
SHARE_TOLERANCE = 1e-9
#: Tonnes below this count as zero (sums of floats rarely land on exactly 0).
TONNE_TOLERANCE = 1e-6
#: Checklist messages name at most this many actions or pathways.
MAX_NAMED = 5


class ContractSector(StrEnum):
    """Rows of the target and residual emissions table, in this order."""

    BUILDINGS = "buildings"
    TRANSPORT = "transport"
    WASTE = "waste"
    IPPU = "ippu"
    AFOLU = "afolu"


GPC_SECTORS: dict[str, ContractSector] = {
    "I": ContractSector.BUILDINGS,  # stationary energy
    "II": ContractSector.TRANSPORT,
    "III": ContractSector.WASTE,
    "IV": ContractSector.IPPU,
    "V": ContractSector.AFOLU,
}

SECTOR_NAMES: dict[ContractSector, str] = {
    ContractSector.BUILDINGS: "Buildings",
    ContractSector.TRANSPORT: "Transport",
    ContractSector.WASTE: "Waste",
    ContractSector.IPPU: "IPPU",
    ContractSector.AFOLU: "AFOLU",
}


class FieldOfAction(StrEnum):
    ENERGY_SYSTEMS = "energy"
    BUILT_ENVIRONMENT = "buildings"
    MOBILITY = "mobility"
    WASTE_CIRCULAR = "waste"
    GREEN_INFRASTRUCTURE = "green"


FIELD_NAMES: dict[FieldOfAction, str] = {
    FieldOfAction.ENERGY_SYSTEMS: "Energy systems",
    FieldOfAction.BUILT_ENVIRONMENT: "Built environment",
    FieldOfAction.MOBILITY: "Mobility & transport",
    FieldOfAction.WASTE_CIRCULAR: "Waste & circular economy",
    FieldOfAction.GREEN_INFRASTRUCTURE: "Green infrastructure & nature-based solutions",
}


class Lever(StrEnum):
    TECHNOLOGY = "technology"
    GOVERNANCE = "governance"
    SOCIAL_INNOVATION = "social_innovation"
    DEMOCRACY = "democracy"
    LEARNING = "learning"
    FINANCE = "finance"


LEVER_NAMES: dict[Lever, str] = {
    Lever.TECHNOLOGY: "Technology/infrastructure",
    Lever.GOVERNANCE: "Governance & policy",
    Lever.SOCIAL_INNOVATION: "Social innovation",
    Lever.DEMOCRACY: "Democracy/participation",
    Lever.LEARNING: "Learning & capabilities",
    Lever.FINANCE: "Finance & funding",
}


def baseline_by_sector(by_sector_scope: Mapping[str, float]) -> dict[ContractSector, float]:
    """Mission-scope tCO2e keyed "GPC sector.scope" ("I.1", "III.3") summed per contract sector.

    Sector VI (other scope 3) and unknown sectors are not part of the table and are left out.
    """
    parts: dict[ContractSector, list[float]] = {s: [] for s in ContractSector}
    for key, value in by_sector_scope.items():
        sector = GPC_SECTORS.get(key.split(".", 1)[0].strip())
        if sector is not None:
            parts[sector].append(value)
    return {sector: math.fsum(values) for sector, values in parts.items()}


# --- actions and their money ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Funding:
    """Euros toward one action's cost."""

    source: str
    amount: float
    secured: bool = True


@dataclass(frozen=True, slots=True)
class ActionFigures:
    key: str
    name: str
    # True = an action of an existing plan (row 3), kept apart from the contract's new actions
    # (row 5) so nothing counts twice.
    existing_plan: bool
    field: FieldOfAction | None
    lever: Lever | None
    pathway: str  # impact pathway key; "" = tied to none
    reductions: Mapping[ContractSector, float]  # tCO2e per year by 2030
    capex: float | None  # € to 2030; None = not stated
    opex: float | None
    responsible: str = ""  # body responsible (stakeholder)
    fundings: tuple[Funding, ...] = ()

    @property
    def reduction_tco2e(self) -> float:
        return math.fsum(self.reductions.values())

    @property
    def total_cost(self) -> float | None:
        if self.capex is None and self.opex is None:
            return None
        return (self.capex or 0.0) + (self.opex or 0.0)

    @property
    def covered(self) -> float:
        return math.fsum(f.amount for f in self.fundings)

    @property
    def capital_gap(self) -> float | None:
        cost = self.total_cost
        return None if cost is None else max(0.0, cost - self.covered)

    @property
    def cost_per_tonne(self) -> float | None:
        cost, reduction = self.total_cost, self.reduction_tco2e
        if cost is None or reduction <= 0:
            return None
        return cost / reduction


def _new(actions: Iterable[ActionFigures]) -> list[ActionFigures]:
    return [a for a in actions if not a.existing_plan]


# --- the target and residual emissions table ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetRow:
    sector: ContractSector | None  # None = the Total row
    baseline: float  # (1)
    target: float  # (2) reduction target 2030
    existing: float  # (3) reduction through existing plans
    gap: float  # (4) = (2) − (3); negative when existing plans already do more than the target
    portfolio: float  # (5) reduction through the contract's new actions
    shortfall: float  # gap the portfolio does not close: max(0, (4) − (5)); stays residual
    residual: float  # (6) = (1) − (2)

    def pct(self, value: float) -> float | None:
        """``value`` as a percentage of this row's baseline; None when the baseline is 0."""
        if self.baseline == 0:
            return None
        return value / self.baseline * 100


@dataclass(frozen=True, slots=True)
class TargetTable:
    rows: tuple[TargetRow, ...]  # the five sectors in ContractSector order, then Total
    target_share: float

    @property
    def total(self) -> TargetRow:
        return self.rows[-1]

    def row(self, sector: ContractSector) -> TargetRow:
        for r in self.rows:
            if r.sector == sector:
                return r
        raise KeyError(sector)


def _check_share(share: float, what: str) -> None:
    if not 0.0 <= share <= 1.0:  # also refuses NaN
        raise ValueError(f"{what} must be a fraction between 0 and 1 (0.8 for 80%), not {share}")


def _check_sectors(keys: Iterable[str], what: str) -> None:
    unknown = sorted(str(k) for k in keys if k not in set(ContractSector))
    if unknown:
        raise ValueError(f"{what} has unknown sectors: {', '.join(unknown)}")


def target_table(
    baseline: Mapping[ContractSector, float],
    actions: Sequence[ActionFigures],
    *,
    target_share: float = MISSION_REDUCTION,
    sector_shares: Mapping[ContractSector, float] | None = None,
) -> TargetTable:
    """The table from baseline tCO2e per sector and the actions' reductions.

    A share below the mission's 80% is allowed here (a draft may state one);
    :func:`check_contract` flags it. ``projection.mission_gap`` refuses such shares, so the row
    arithmetic (the same as its) is done here.
    """
    sector_shares = sector_shares or {}
    _check_share(target_share, "The target share")
    _check_sectors(baseline, "The baseline")
    _check_sectors(sector_shares, "The sector shares")
    for sector, share in sector_shares.items():
        _check_share(share, f"The {SECTOR_NAMES[ContractSector(sector)]} target share")
    for sector, value in baseline.items():
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(
                f"The {SECTOR_NAMES[ContractSector(sector)]} baseline must be a finite number of "
                f"tCO2e, zero or more, not {value}"
            )

    rows: list[TargetRow] = []
    for sector in ContractSector:
        base = baseline.get(sector, 0.0)
        target = base * sector_shares.get(sector, target_share)
        existing = math.fsum(a.reductions.get(sector, 0.0) for a in actions if a.existing_plan)
        portfolio = math.fsum(a.reductions.get(sector, 0.0) for a in _new(actions))
        gap = target - existing
        rows.append(
            TargetRow(
                sector=sector,
                baseline=base,
                target=target,
                existing=existing,
                gap=gap,
                portfolio=portfolio,
                shortfall=max(0.0, gap - portfolio),
                residual=base - target,
            )
        )

    def column(name: str) -> float:
        return math.fsum(getattr(r, name) for r in rows)

    # The total shortfall is the sum of the sectors' shortfalls, not max(0, total gap − total
    # portfolio): a surplus in one sector (more reductions than its gap) does not close another
    # sector's gap — those tonnes are emitted elsewhere and stay residual until closed there.
    rows.append(
        TargetRow(
            sector=None,
            baseline=column("baseline"),
            target=column("target"),
            existing=column("existing"),
            gap=column("gap"),
            portfolio=column("portfolio"),
            shortfall=column("shortfall"),
            residual=column("residual"),
        )
    )
    return TargetTable(rows=tuple(rows), target_share=target_share)


# --- the checklist -----------------------------------------------------------------------------


REMOVAL_KINDS = ("sink", "offset")


@dataclass(frozen=True, slots=True)
class Removal:
    """One item of the B-2.3 residual-emissions strategy, tCO2e per year in 2030."""

    name: str
    kind: str  # "sink" | "offset"
    tco2e: float

    def __post_init__(self) -> None:
        if self.kind not in REMOVAL_KINDS:
            raise ValueError(f"A removal is a sink or an offset, not {self.kind!r}")
        if not (math.isfinite(self.tco2e) and self.tco2e >= 0):
            raise ValueError(f"A removal's tCO2e must be zero or more, not {self.tco2e}")


@dataclass(frozen=True, slots=True)
class CheckItem:
    code: str
    passed: bool
    blocking: bool  # False = advice: the contract may be submitted anyway
    message: str
    # where to fix it: a module code of the contract ("goal", "baseline", "actions", "residual",
    # "indicators", "signatories", "ip_b2"), or "settings" for the baseline and target
    module: str


@dataclass(frozen=True, slots=True)
class ContractFacts:
    baseline_year: int | None  # None = no baseline inventory chosen
    baseline_blocking_problems: tuple[str, ...]  # e.g. BASIC completeness failures, as messages
    inventory_has_exclusions: bool
    exclusions_declared: str  # the commitments' declared exclusion text
    council_decision: str
    target_year: int
    table: TargetTable
    actions: tuple[ActionFigures, ...]
    removals: tuple[Removal, ...]
    residual_strategy: str
    pathways: Mapping[str, str]  # the impact pathways that exist (B-1): key → name
    pathways_with_indicators: frozenset[str]  # keys
    signatories: int
    signatories_with_commitment: int


def _t(value: float) -> str:
    return f"{value:,.0f} t CO2e"


def _eur(value: float) -> str:
    return f"€{value:,.0f}"


def _listed(items: Sequence[str], *, sep: str = "; ", limit: int = MAX_NAMED) -> str:
    shown = sep.join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def _pct(share: float) -> str:
    """Whole percentages, one decimal where rounding would hide a miss (79.6% is not 80%)."""
    return f"{share:.0%}" if abs(share * 100 - round(share * 100)) < 0.05 else f"{share:.1%}"


class _Checklist:
    def __init__(self) -> None:
        self.items: list[CheckItem] = []

    def add(self, code: str, module: str, passed: bool, ok: str, problem: str) -> None:
        self.add_item(code, module, passed, ok, problem, blocking=True)

    def advise(self, code: str, module: str, passed: bool, ok: str, problem: str) -> None:
        self.add_item(code, module, passed, ok, problem, blocking=False)

    def add_item(
        self, code: str, module: str, passed: bool, ok: str, problem: str, *, blocking: bool
    ) -> None:
        self.items.append(CheckItem(code, passed, blocking, ok if passed else problem, module))


def _check_baseline(facts: ContractFacts, out: _Checklist) -> None:
    year = facts.baseline_year
    choose = "Choose a baseline inventory under Baseline and target first."
    out.add(
        "baseline",
        "baseline",
        year is not None,
        f"The baseline is the {year} inventory.",
        "No baseline inventory is chosen. Choose one under Baseline and target.",
    )
    out.add(
        "baseline_year_recent",
        "baseline",
        year is not None and year >= EARLIEST_BASE_YEAR,
        f"The baseline year {year} is {EARLIEST_BASE_YEAR} or later.",
        choose
        if year is None
        else f"The baseline year {year} is older than {EARLIEST_BASE_YEAR}. Choose an inventory "
        f"of {EARLIEST_BASE_YEAR} or later, or a BAU 2030 projection, under Baseline and target.",
    )
    out.advise(
        "baseline_not_covid",
        "baseline",
        year is not None and year not in COVID_YEARS,
        f"The baseline year {year} is not a COVID year.",
        choose
        if year is None
        else f"{year} was a COVID year: activity, transport above all, was unusually low, so it "
        "makes a poor baseline. Prefer 2019 or 2022 or later under Baseline and target.",
    )
    problems = facts.baseline_blocking_problems
    out.add(
        "baseline_coverage",
        "baseline",
        year is not None and not problems,
        "The baseline inventory covers what the mission asks for.",
        choose
        if year is None
        else f"The baseline inventory has {_plural(len(problems), 'problem')} to fix first: "
        + " ".join(problems),
    )


def _check_commitments(facts: ContractFacts, out: _Checklist) -> None:
    out.add(
        "exclusions_declared",
        "goal",
        not facts.inventory_has_exclusions or bool(facts.exclusions_declared.strip()),
        "Exclusions from the mission scope are declared."
        if facts.inventory_has_exclusions
        else "The baseline excludes nothing from the mission scope.",
        "The baseline leaves sources out of the mission scope, but the commitments declare no "
        "exclusions. Describe the excluded areas or sectors in Commitments → Goal.",
    )
    out.add(
        "council_decision",
        "goal",
        bool(facts.council_decision.strip()),
        "The goal is backed by a council decision.",
        "Add a council decision reference in Commitments → Goal.",
    )
    out.add(
        "target_year",
        "settings",
        facts.target_year <= MISSION_TARGET_YEAR,
        f"Climate neutrality is aimed for by {facts.target_year}.",
        f"The target year {facts.target_year} is after {MISSION_TARGET_YEAR}; the mission aims "
        f"for climate neutrality by {MISSION_TARGET_YEAR}. Change it under Baseline and target.",
    )


def _check_targets(facts: ContractFacts, out: _Checklist) -> None:
    total = facts.table.total
    no_emissions = "The baseline has no emissions, so {} cannot be worked out. Check the baseline."
    share = total.target / total.baseline if total.baseline > 0 else 0.0
    out.add(
        "target_share",
        "settings",
        total.baseline > 0 and share >= MISSION_REDUCTION - SHARE_TOLERANCE,
        f"The target reduces emissions by {_pct(share)}, {_t(total.target)} of {_t(total.baseline)}.",
        no_emissions.format("the target share")
        if total.baseline <= 0
        else f"The target reduces emissions by {_pct(share)}, {_t(total.target)} of "
        f"{_t(total.baseline)}; the mission asks for at least {MISSION_REDUCTION:.0%} "
        f"({_t(total.baseline * MISSION_REDUCTION)}). Raise the target under Baseline and target.",
    )
    max_residual = 1 - MISSION_REDUCTION
    residual_share = total.residual / total.baseline if total.baseline > 0 else 0.0
    out.add(
        "residual_share",
        "settings",
        total.baseline > 0 and residual_share <= max_residual + SHARE_TOLERANCE,
        f"Residual emissions are {_pct(residual_share)} of the baseline, {_t(total.residual)}.",
        no_emissions.format("the residual share")
        if total.baseline <= 0
        else f"Residual emissions are {_pct(residual_share)} of the baseline, {_t(total.residual)}; "
        f"at most {max_residual:.0%} ({_t(total.baseline * max_residual)}) may remain. Raise "
        "the target under Baseline and target.",
    )


def _check_residual(facts: ContractFacts, out: _Checklist) -> None:
    residual = facts.table.total.residual
    sinks = math.fsum(r.tco2e for r in facts.removals if r.kind == "sink")
    offsets = math.fsum(r.tco2e for r in facts.removals if r.kind == "offset")
    removed = sinks + offsets
    split = f"sinks {sinks:,.0f}, offsets {offsets:,.0f}"
    enough = removed >= residual - TONNE_TOLERANCE
    described = bool(facts.residual_strategy.strip())
    if residual <= TONNE_TOLERANCE:
        # A 100% target leaves nothing to offset, so no strategy is needed either.
        passed, ok = True, "The target leaves no residual emissions to offset."
    else:
        passed = enough and described
        ok = f"Sinks and offsets of {_t(removed)} ({split}) cover the residual {_t(residual)}."
    problems = []
    if not enough:
        problems.append(
            f"Sinks and offsets cover {_t(removed)} ({split}) of the residual "
            f"{_t(residual)}. Add sinks or offsets for the remaining {_t(residual - removed)} in "
            "Residual emissions."
        )
    if not described:
        problems.append("Describe the strategy for residual emissions in Residual emissions.")
    out.add("residual_strategy", "residual", passed, ok, " ".join(problems))


def _check_gap(facts: ContractFacts, out: _Checklist) -> None:
    table = facts.table
    short = [
        f"{SECTOR_NAMES[sector]}: {table.row(sector).shortfall:,.0f} t CO2e/yr short"
        for sector in ContractSector
        if table.row(sector).shortfall > TONNE_TOLERANCE
    ]
    out.add(
        "gap_closed",
        "actions",
        table.total.shortfall <= TONNE_TOLERANCE,
        "The action portfolio closes the emissions gap in every sector.",
        f"The action portfolio leaves {table.total.shortfall:,.0f} t CO2e/yr of the gap open — "
        f"{'; '.join(short)}. A surplus in one sector does not close another's gap. Add actions "
        "or raise their reductions in Actions.",
    )
    over = []
    for sector in ContractSector:
        r = table.row(sector)
        reduced = r.existing + r.portfolio
        if reduced > r.baseline + TONNE_TOLERANCE:
            names = [a.name for a in facts.actions if a.reductions.get(sector, 0.0) > 0]
            over.append(
                f"{SECTOR_NAMES[sector]}: reductions of {reduced:,.0f} t CO2e/yr exceed its "
                f"baseline of {_t(r.baseline)} (actions: {_listed(names, sep=', ')})"
            )
    out.add(
        "reductions_within_baseline",
        "actions",
        not over,
        "No sector's reductions exceed its baseline emissions.",
        "A sector cannot reduce more than it emits — "
        + "; ".join(over)
        + ". Correct the reductions in Actions.",
    )


def _check_actions(facts: ContractFacts, out: _Checklist) -> None:
    new = _new(facts.actions)
    out.add(
        "actions_present",
        "actions",
        bool(new),
        f"The portfolio has {_plural(len(new), 'new action')}.",
        "The portfolio has no actions of its own yet (actions of existing plans do not count). "
        "Add the contract's actions in Actions.",
    )
    untied = []
    for a in new:
        lacks = []
        if a.field is None:
            lacks.append("no field of action")
        if a.lever is None:
            lacks.append("no systemic lever")
        if not a.pathway:
            lacks.append("no impact pathway")
        elif a.pathway not in facts.pathways:
            lacks.append(f"the impact pathway '{a.pathway}', which does not exist")
        if lacks:
            untied.append(f"'{a.name}' has {' and '.join(lacks)}")
    out.add(
        "actions_tied",
        "actions",
        not untied,
        "Every action has a field of action, a systemic lever and an impact pathway."
        if new
        else "There are no actions to tie to impact pathways yet.",
        f"{_plural(len(untied), 'action')} not tied to the impact pathways: {_listed(untied)}. "
        "Choose a field of action, a lever and an existing impact pathway for each in Actions.",
    )
    used = sorted({a.pathway for a in new if a.pathway in facts.pathways})
    without = [p for p in used if p not in facts.pathways_with_indicators]
    out.add(
        "indicators",
        "indicators",
        not without,
        "Every impact pathway the actions use has an indicator."
        if used
        else "No action uses an impact pathway yet, so no indicators are needed.",
        f"{_plural(len(without), 'impact pathway')} the actions use "
        f"{'has' if len(without) == 1 else 'have'} no indicator: "
        f"{_listed([repr(facts.pathways[p]) for p in without])}. "
        "Add at least one indicator for each in Indicators.",
    )


def _check_investment(facts: ContractFacts, out: _Checklist) -> None:
    new = _new(facts.actions)
    uncosted = [a.name for a in new if a.total_cost is None]
    out.add(
        "costs_stated",
        "actions",
        not uncosted,
        "Every action states its cost.",
        f"{_plural(len(uncosted), 'action')} without a cost: {_listed(uncosted)}. Enter capex "
        "or opex to 2030 for each in Actions.",
    )
    gaps = [(a, a.capital_gap or 0.0) for a in new]
    gapped = [a for a, gap in gaps if gap > TONNE_TOLERANCE]
    total_gap = math.fsum(gap for _, gap in gaps)
    unsecured = math.fsum(f.amount for a in new for f in a.fundings if not f.secured)
    pending = f" ({_eur(unsecured)} of the funding is not yet secured)" if unsecured > 0 else ""
    out.advise(
        "capital_gap",
        "ip_b2",
        total_gap <= TONNE_TOLERANCE,
        f"Funding covers the stated cost of every action{pending}.",
        f"{_eur(total_gap)} of the portfolio's cost has no funding yet, in "
        f"{_plural(len(gapped), 'action')}{pending}. Add funding to each action in Actions.",
    )


def _check_signatories(facts: ContractFacts, out: _Checklist) -> None:
    n, signed = facts.signatories, facts.signatories_with_commitment
    missing = n - signed
    out.add(
        "signatories",
        "signatories",
        n >= 1 and signed == n,
        f"{_plural(n, 'signatory', 'signatories')}, each with a commitment.",
        "The contract has no signatories. Add them in Commitments → Signatories."
        if n < 1
        else f"{_plural(missing, 'signatory', 'signatories')} of {n} {'has' if missing == 1 else 'have'} no "
        "commitment text. Add each signatory's commitment in Commitments → Signatories.",
    )


def check_contract(facts: ContractFacts) -> list[CheckItem]:
    """Every mission rule, passed or not, in a fixed order."""
    out = _Checklist()
    _check_baseline(facts, out)
    _check_commitments(facts, out)
    _check_targets(facts, out)
    _check_residual(facts, out)
    _check_gap(facts, out)
    _check_actions(facts, out)
    _check_investment(facts, out)
    _check_signatories(facts, out)
    return out.items


# --- portfolio figures for the Investment Plan and the charts ---------------------------------


@dataclass(frozen=True, slots=True)
class PortfolioSummary:
    """The contract's new actions only; costs not stated count as 0 in the sums."""

    total_cost: float
    covered: float
    capital_gap: float  # sum of the actions' gaps: one action's surplus funding covers no other
    reduction_tco2e: float
    cost_per_tonne: float | None  # of the actions that state a cost
    by_field: dict[FieldOfAction | None, float]  # cost
    by_responsible: dict[str, float]  # cost; "" = not stated
    by_source: dict[str, float]  # funding
    reduction_by_field: dict[FieldOfAction | None, float]


def _by_field(
    pairs: Iterable[tuple[FieldOfAction | None, float]],
) -> dict[FieldOfAction | None, float]:
    parts: dict[FieldOfAction | None, list[float]] = {}
    for key, value in pairs:
        parts.setdefault(key, []).append(value)
    order: list[FieldOfAction | None] = [*FieldOfAction, None]
    return {key: math.fsum(parts[key]) for key in order if key in parts}


def _by_key(pairs: Iterable[tuple[str, float]]) -> dict[str, float]:
    parts: dict[str, list[float]] = {}
    for key, value in pairs:
        parts.setdefault(key, []).append(value)
    return {key: math.fsum(parts[key]) for key in sorted(parts)}


def portfolio_summary(actions: Sequence[ActionFigures]) -> PortfolioSummary:
    new = _new(actions)
    costed = [a for a in new if a.total_cost is not None]
    costed_cost = math.fsum(a.total_cost or 0.0 for a in costed)
    costed_reduction = math.fsum(a.reduction_tco2e for a in costed)
    return PortfolioSummary(
        total_cost=math.fsum(a.total_cost or 0.0 for a in new),
        covered=math.fsum(a.covered for a in new),
        capital_gap=math.fsum(a.capital_gap or 0.0 for a in new),
        reduction_tco2e=math.fsum(a.reduction_tco2e for a in new),
        cost_per_tonne=costed_cost / costed_reduction if costed and costed_reduction > 0 else None,
        by_field=_by_field((a.field, a.total_cost or 0.0) for a in new),
        by_responsible=_by_key((a.responsible.strip(), a.total_cost or 0.0) for a in new),
        by_source=_by_key((f.source, f.amount) for a in new for f in a.fundings),
        reduction_by_field=_by_field((a.field, a.reduction_tco2e) for a in new),
    )


def abatement_curve(actions: Sequence[ActionFigures]) -> list[tuple[str, float, float]]:
    """(name, width tCO2e/yr, height €/tCO2e) per new action with a reduction and a cost,
    cheapest tonne first."""
    bars = [
        (a.name, a.reduction_tco2e, per_tonne)
        for a in _new(actions)
        if (per_tonne := a.cost_per_tonne) is not None
    ]
    return sorted(bars, key=lambda bar: (bar[2], bar[0]))


def pathway(
    base_year: int,
    baseline: float,
    bau_2030: float,
    existing: float,
    portfolio: float,
    target_emissions: float,
    *,
    target_year: int = MISSION_TARGET_YEAR,
) -> dict[str, list[tuple[int, float]]]:
    """Emission paths for the chart, straight lines from the baseline to each 2030 value.

    "bau" ends at the BAU projection, "existing" at BAU less existing plans, "portfolio" at that
    less the contract's actions, "target" at the emissions the target allows. Emissions below
    zero make no sense, so "existing" and "portfolio" stop at 0.
    """
    if target_year < base_year:
        raise ValueError(f"the target year {target_year} is before the base year {base_year}")
    ends = {
        "bau": bau_2030,
        "existing": max(0.0, bau_2030 - existing),
        "portfolio": max(0.0, bau_2030 - existing - portfolio),
        "target": target_emissions,
    }
    span = target_year - base_year

    def line(end: float) -> list[tuple[int, float]]:
        if span == 0:
            return [(target_year, end)]
        # baseline × (1 − f) + end × f lands exactly on both end points
        return [
            (year, baseline * (1 - f) + end * f)
            for year in range(base_year, target_year + 1)
            for f in [(year - base_year) / span]
        ]

    return {name: line(end) for name, end in ends.items()}
