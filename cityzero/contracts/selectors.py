"""Reads of Climate City Contracts: an iteration with all its parts in a fixed number of queries,
and everything computed from it by the pure core (target table, checklist, investment totals)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from cityzero.accounts.permissions import can
from cityzero.cities.models import City
from cityzero.contracts.models import (
    REDUCTION_FIELDS,
    Action,
    CommentSide,
    Contract,
    ImpactPathway,
    Indicator,
    Iteration,
    IterationStatus,
    ModuleComment,
    ModuleContent,
    Removal,
    Signatory,
)
from cityzero.contracts.modules import MODULES
from cityzero.ghg import contract as ccc
from cityzero.ghg.projection import Drivers
from cityzero.inventories.models import Inventory
from cityzero.inventories.selectors import inventory_summary, outlook_2030


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def contract_of(slug: str) -> Contract:
    return Contract.objects.select_related("city__country").get(city__slug=slug)


def readable_iterations(contract: Contract, user: Any) -> list[Iteration]:
    iterations = contract.iterations.select_related(
        "contract__city", "baseline", "label_round"
    ).order_by("-number")
    return [i for i in iterations if can(user, "contract.view", i)]


def iteration_for(slug: str, number: int, user: Any) -> Iteration:
    """The iteration if this person may read it; Iteration.DoesNotExist otherwise."""
    iteration = Iteration.objects.select_related(
        "contract__city__country", "baseline", "label_round"
    ).get(contract__city__slug=slug, number=number)
    if not can(user, "contract.view", iteration):
        raise Iteration.DoesNotExist
    return iteration


# The parts each module keeps in models of its own.
PART_LISTS = {"pathways": "pathways", "actions": "actions", "indicators": "indicators",
              "signatories": "signatories", "residual": "removals"}  # fmt: skip
GENERATED_FROM_BASELINE = frozenset({"baseline"})


@dataclass
class Parts:
    """An iteration's parts, each list read with one query."""

    iteration: Iteration
    pathways: list[ImpactPathway]
    actions: list[Action]
    indicators: list[Indicator]
    signatories: list[Signatory]
    removals: list[Removal]
    contents: dict[str, ModuleContent]
    threads: dict[str, list["Thread"]] = field(default_factory=dict)

    def content(self, code: str) -> dict[str, Any]:
        found = self.contents.get(code)
        return found.data if found else {"fields": {}, "tables": {}}

    def field(self, code: str, name: str) -> str:
        return str(self.content(code).get("fields", {}).get(name, ""))

    def html(self, code: str, name: str) -> str:
        found = self.contents.get(code)
        return found.html.get(name, "") if found else ""

    def filled(self, code: str) -> bool:
        """Whether the module holds anything: a text, a table row or one of its parts."""
        stored = self.content(code)
        if any(stored.get("fields", {}).values()) or any(stored.get("tables", {}).values()):
            return True
        own = PART_LISTS.get(code)
        if own:
            return bool(getattr(self, own))
        return code in GENERATED_FROM_BASELINE and self.iteration.baseline_id is not None

    def version(self, code: str) -> int:
        found = self.contents.get(code)
        return found.version if found else 0


def iteration_parts(iteration: Iteration, *, with_comments: bool = False) -> Parts:
    parts = Parts(
        iteration=iteration,
        pathways=list(ImpactPathway.objects.filter(iteration=iteration)),
        actions=list(
            Action.objects.filter(iteration=iteration)
            .select_related("pathway")
            .prefetch_related("fundings")
        ),
        indicators=list(Indicator.objects.filter(iteration=iteration).select_related("pathway")),
        signatories=list(Signatory.objects.filter(iteration=iteration)),
        removals=list(Removal.objects.filter(iteration=iteration)),
        contents={c.module: c for c in ModuleContent.objects.filter(iteration=iteration)},
    )
    if with_comments:
        parts.threads = threads_by_module(iteration)
    return parts


@dataclass
class Thread:
    """A comment and its replies; ``about`` is filled in by ``anchors.describe``."""

    root: ModuleComment
    replies: list[ModuleComment] = field(default_factory=list)
    about: str = ""

    @property
    def resolved(self) -> bool:
        return self.root.resolved_at is not None

    @property
    def last(self) -> ModuleComment:
        return self.replies[-1] if self.replies else self.root

    @property
    def awaits_city(self) -> bool:
        """Open, and the last word is not the city's: the city has something to answer."""
        return not self.resolved and self.last.side != CommentSide.CITY


def threads_by_module(iteration: Iteration) -> dict[str, list[Thread]]:
    """Every thread of the iteration, grouped by module, oldest first, in one query."""
    threads: dict[int, Thread] = {}
    by_module: dict[str, list[Thread]] = defaultdict(list)
    comments = ModuleComment.objects.filter(iteration=iteration).select_related(
        "author", "resolved_by"
    )
    for comment in comments.order_by("created_at", "pk"):
        if comment.parent_id is None:
            threads[comment.pk] = Thread(comment)
            by_module[comment.module].append(threads[comment.pk])
        elif comment.parent_id in threads:
            threads[comment.parent_id].replies.append(comment)
    return dict(by_module)


def action_figures(action: Action) -> ccc.ActionFigures:
    return ccc.ActionFigures(
        key=str(action.key),
        name=action.name,
        existing_plan=action.existing_plan,
        field=ccc.FieldOfAction(action.field_of_action) if action.field_of_action else None,
        lever=ccc.Lever(action.lever) if action.lever else None,
        pathway=str(action.pathway.key) if action.pathway else "",
        reductions={
            ccc.ContractSector(sector): float(getattr(action, name))
            for sector, name in REDUCTION_FIELDS.items()
        },
        capex=_number(action.capex),
        opex=_number(action.opex),
        responsible=action.responsible,
        fundings=tuple(
            ccc.Funding(f.get_source_display(), float(f.amount), f.secured)
            for f in action.fundings.all()
        ),
    )


@dataclass
class Overview:
    """Everything the overview page, the exports and the checklist show for one iteration."""

    iteration: Iteration
    parts: Parts
    baseline_summary: dict[str, Any] | None

    @cached_property
    def actions(self) -> tuple[ccc.ActionFigures, ...]:
        return tuple(action_figures(a) for a in self.parts.actions)

    @cached_property
    def baseline(self) -> dict[ccc.ContractSector, float]:
        summary = self.baseline_summary
        if not summary or summary.get("errors"):
            return {sector: 0.0 for sector in ccc.ContractSector}
        return ccc.baseline_by_sector(summary.get("mission_by_sector", {}))

    @cached_property
    def table(self) -> ccc.TargetTable:
        return ccc.target_table(
            self.baseline, self.actions, target_share=float(self.iteration.target_share) / 100
        )

    @cached_property
    def portfolio(self) -> ccc.PortfolioSummary:
        return ccc.portfolio_summary(self.actions)

    @cached_property
    def removals_tco2e(self) -> float:
        return sum(float(r.tco2e) for r in self.parts.removals)

    @cached_property
    def checks(self) -> list[ccc.CheckItem]:
        return ccc.check_contract(self.facts)

    @property
    def blocking(self) -> list[ccc.CheckItem]:
        return [c for c in self.checks if c.blocking and not c.passed]

    @cached_property
    def facts(self) -> ccc.ContractFacts:
        parts, iteration, summary = self.parts, self.iteration, self.baseline_summary or {}
        baseline = iteration.baseline
        return ccc.ContractFacts(
            baseline_year=baseline.year if baseline else None,
            baseline_blocking_problems=tuple(
                c["message"] for c in summary.get("checks", []) if c["severity"] == "error"
            )
            + tuple(summary.get("errors", [])),
            inventory_has_exclusions=bool(summary.get("exclusions")),
            exclusions_declared=parts.field("goal", "exclusions"),
            council_decision=parts.field("goal", "council_decision"),
            target_year=iteration.target_year,
            table=self.table,
            actions=self.actions,
            removals=tuple(ccc.Removal(r.name, r.kind, float(r.tco2e)) for r in parts.removals),
            residual_strategy=parts.field("residual", "strategy"),
            pathways={str(p.key): p.name for p in parts.pathways},
            pathways_with_indicators=frozenset(
                str(i.pathway.key) for i in parts.indicators if i.pathway
            ),
            signatories=len(parts.signatories),
            signatories_with_commitment=sum(1 for s in parts.signatories if s.commitment.strip()),
        )

    @cached_property
    def bau_2030(self) -> float | None:
        summary = self.baseline_summary
        if not summary or self.iteration.baseline is None:
            return None
        outlook = outlook_2030(summary, self.iteration.baseline.year, Drivers())
        return float(outlook["bau_2030"]) if outlook else None

    @cached_property
    def pathway(self) -> dict[str, list[tuple[int, float]]]:
        baseline = self.iteration.baseline
        total = self.table.total
        if baseline is None or baseline.year > self.iteration.target_year:
            return {}
        return ccc.pathway(
            baseline.year,
            total.baseline,
            self.bau_2030 if self.bau_2030 is not None else total.baseline,
            total.existing,
            total.portfolio,
            total.residual,
            target_year=self.iteration.target_year,
        )

    def module_progress(self) -> list[tuple[Any, bool, int]]:
        """(module, whether anything is filled in, blocking checks pointing at it), in order."""
        counts: dict[str, int] = defaultdict(int)
        for check in self.blocking:
            counts[check.module] += 1
        return [
            (module, self.parts.filled(module.code), counts.get(module.code, 0))
            for module in MODULES
        ]


def overview(iteration: Iteration, parts: Parts | None = None) -> Overview:
    parts = parts or iteration_parts(iteration)
    summary = inventory_summary(iteration.baseline) if iteration.baseline else None
    return Overview(iteration, parts, summary)


# The columns of the target and residual emissions table, in the template's order.
TARGET_COLUMNS = ("baseline", "target", "existing", "gap", "portfolio", "shortfall", "residual")

# Modules whose pages show figures computed from the rest of the contract.
COMPUTED_MODULES = frozenset({"baseline", "policies", "actions", "residual", "ip_b1", "ip_b2"})


def baseline_choices(city_id: int) -> QuerySet[Inventory]:
    """The city's inventories, newest first, to pick the baseline from."""
    return Inventory.objects.filter(city_id=city_id).order_by("-year")


# --- endorsed contracts, for the label registry ---------------------------------------------


def latest_endorsed(city: Any) -> QuerySet[Iteration]:
    """The city's newest endorsed contract iteration (as a subquery: ``city`` is an OuterRef)."""
    endorsed = Iteration.objects.filter(contract__city=city, status=IterationStatus.ENDORSED)
    return endorsed.order_by("-number")[:1]


_EUROS = DecimalField(max_digits=24, decimal_places=2)
_TONNES = DecimalField(max_digits=24, decimal_places=3)
_NEW_ACTION = Q(actions__existing_plan=False)


@dataclass(frozen=True)
class EndorsedContract:
    """The public summary of a city's endorsed contract iteration.

    The figures are those of its new actions (the portfolio), as on the contract's overview
    page: actions taken over from existing plans are counted apart and not included.
    """

    number: int
    target_year: int
    target_share: Decimal  # percent of the baseline
    baseline_year: int | None
    actions: int
    investment_eur: Decimal | None  # capex + opex; None when no new action states a cost
    reductions_tco2e: Decimal  # per year, by the target year
    url: str


def endorsed_contracts(
    cities: QuerySet[City], slugs: dict[int, str]
) -> dict[int, EndorsedContract]:
    """Each city's newest endorsed iteration with its portfolio figures, in one query."""
    first, *others = (F(f"actions__{name}") for name in REDUCTION_FIELDS.values())
    reductions = sum(others, first)
    zero = Value(Decimal(0), output_field=_EUROS)
    rows = (
        Iteration.objects.filter(
            contract__city__in=cities.values("pk"),
            pk=Subquery(latest_endorsed(OuterRef("contract__city")).values("pk")),
        )
        .order_by()
        .values("pk", "number", "target_year", "target_share", "baseline__year", "contract__city")
        .annotate(
            n_actions=Count("actions", filter=_NEW_ACTION),
            n_costed=Count(
                "actions",
                filter=_NEW_ACTION
                & (Q(actions__capex__isnull=False) | Q(actions__opex__isnull=False)),
            ),
            investment=Sum(
                Coalesce("actions__capex", zero) + Coalesce("actions__opex", zero),
                filter=_NEW_ACTION,
                output_field=_EUROS,
            ),
            reductions=Sum(reductions, filter=_NEW_ACTION, output_field=_TONNES),
        )
    )
    return {
        row["contract__city"]: EndorsedContract(
            number=row["number"],
            target_year=row["target_year"],
            target_share=row["target_share"],
            baseline_year=row["baseline__year"],
            actions=row["n_actions"],
            investment_eur=row["investment"] if row["n_costed"] else None,
            reductions_tco2e=row["reductions"] or Decimal(0),
            url=reverse("contracts:overview", args=[slugs[row["contract__city"]], row["number"]]),
        )
        for row in rows
    }
