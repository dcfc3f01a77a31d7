from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from cityzero.contracts import selectors
from cityzero.contracts.models import Iteration

router = Router(tags=["contracts"])


def _money(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@router.get(
    "/cities/{slug}/contract/{number}",
    response=dict[str, Any],
    summary="A contract iteration's target table, actions, portfolio totals and checklist",
)
def contract_iteration(request: HttpRequest, slug: str, number: int):
    try:
        iteration = selectors.iteration_for(slug, number, request.user)
    except Iteration.DoesNotExist:
        raise Http404("No such contract iteration that you may read.") from None
    overview = selectors.overview(iteration)
    portfolio = overview.portfolio
    return {
        "city": slug,
        "iteration": iteration.number,
        "status": iteration.status,
        "baseline_year": iteration.baseline.year if iteration.baseline else None,
        "target_year": iteration.target_year,
        "target_share_pct": float(iteration.target_share),
        "target_table": [
            {
                "sector": row.sector.value if row.sector else "total",
                **{name: round(getattr(row, name), 3) for name in selectors.TARGET_COLUMNS},
            }
            for row in overview.table.rows
        ],
        "portfolio": {
            "reduction_tco2e": round(portfolio.reduction_tco2e, 3),
            "total_cost_eur": _money(portfolio.total_cost),
            "covered_eur": _money(portfolio.covered),
            "capital_gap_eur": _money(portfolio.capital_gap),
            "cost_per_tonne_eur": _money(portfolio.cost_per_tonne),
        },
        "actions": [
            {
                "key": a.key,
                "name": a.name,
                "existing_plan": a.existing_plan,
                "field_of_action": a.field.value if a.field else None,
                "lever": a.lever.value if a.lever else None,
                "reductions_tco2e": {s.value: v for s, v in a.reductions.items()},
                "total_cost_eur": _money(a.total_cost),
                "cost_per_tonne_eur": _money(a.cost_per_tonne),
            }
            for a in overview.actions
        ],
        "checks": [
            {"code": c.code, "passed": c.passed, "blocking": c.blocking, "message": c.message}
            for c in overview.checks
        ],
    }
