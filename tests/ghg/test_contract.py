import dataclasses
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cityzero.ghg.contract import (
    FIELD_NAMES,
    GPC_SECTORS,
    LEVER_NAMES,
    SECTOR_NAMES,
    ActionFigures,
    CheckItem,
    ContractFacts,
    ContractSector,
    FieldOfAction,
    Funding,
    Lever,
    Removal,
    TargetTable,
    abatement_curve,
    baseline_by_sector,
    check_contract,
    pathway,
    portfolio_summary,
    target_table,
)
from cityzero.ghg.projection import mission_gap

B, T, W, P, A = (  # Buildings, Transport, Waste, IPPU (P), AFOLU
    ContractSector.BUILDINGS,
    ContractSector.TRANSPORT,
    ContractSector.WASTE,
    ContractSector.IPPU,
    ContractSector.AFOLU,
)

# 1,000,000 t CO2e in all
BASELINE = {B: 500_000.0, T: 300_000.0, W: 50_000.0, P: 100_000.0, A: 50_000.0}


def action(
    name,
    reductions,
    *,
    existing=False,
    field=FieldOfAction.ENERGY_SYSTEMS,
    lever=Lever.TECHNOLOGY,
    pathway="p-energy",
    capex=1_000_000.0,
    opex=None,
    responsible="",
    fundings=None,
):
    cost = (capex or 0.0) + (opex or 0.0)
    return ActionFigures(
        key=name.lower().replace(" ", "-"),
        name=name,
        existing_plan=existing,
        field=field,
        lever=lever,
        pathway=pathway,
        reductions=reductions,
        capex=capex,
        opex=opex,
        responsible=responsible,
        fundings=(Funding("City budget", cost),) if fundings is None else fundings,
    )


# The hand-worked table:
#
#              (1) baseline  (2) target 80%  (3) existing  (4) gap   (5) portfolio  shortfall  (6) residual
# Buildings        500,000       400,000       100,000      300,000     350,000          0       100,000
# Transport        300,000       240,000             0      240,000     227,500     12,500        60,000
# Waste             50,000        40,000             0       40,000      40,000          0        10,000
# IPPU             100,000        80,000             0       80,000      80,000          0        20,000
# AFOLU             50,000        40,000             0       40,000      40,000          0        10,000
# Total          1,000,000       800,000       100,000      700,000     737,500     12,500       200,000
#
# Buildings' 50,000 t surplus does not close Transport's 12,500 t shortfall: total gap − total
# portfolio would be −37,500, but the Total shortfall is the sum of the sectors' shortfalls.
HAND_ACTIONS = (
    action("Renovation programme 2019", {B: 100_000.0}, existing=True),
    action("Heat pumps", {B: 350_000.0}),
    action("Bus electrification", {T: 200_000.0}),
    action("Cycling network", {T: 27_500.0}),
    action("Biowaste collection", {W: 40_000.0}),
    action("Cement plant CCS", {P: 80_000.0}),
    action("Peatland rewetting", {A: 40_000.0}),
)


def test_target_table_by_hand():
    table = target_table(BASELINE, HAND_ACTIONS)

    def cols(row):
        return (
            row.baseline,
            row.target,
            row.existing,
            row.gap,
            row.portfolio,
            row.shortfall,
            row.residual,
        )

    assert [r.sector for r in table.rows] == [B, T, W, P, A, None]
    assert cols(table.row(B)) == (500_000, 400_000, 100_000, 300_000, 350_000, 0, 100_000)
    assert cols(table.row(T)) == (300_000, 240_000, 0, 240_000, 227_500, 12_500, 60_000)
    assert cols(table.row(W)) == (50_000, 40_000, 0, 40_000, 40_000, 0, 10_000)
    assert cols(table.row(P)) == (100_000, 80_000, 0, 80_000, 80_000, 0, 20_000)
    assert cols(table.row(A)) == (50_000, 40_000, 0, 40_000, 40_000, 0, 10_000)
    assert cols(table.total) == (1_000_000, 800_000, 100_000, 700_000, 737_500, 12_500, 200_000)
    assert table.target_share == 0.8


def test_surplus_in_one_sector_does_not_close_another_sectors_gap():
    table = target_table(BASELINE, HAND_ACTIONS)
    assert table.total.gap - table.total.portfolio == -37_500
    assert table.total.shortfall == 12_500


def test_sector_share_overrides_the_overall_share():
    table = target_table(BASELINE, HAND_ACTIONS, sector_shares={A: 0.5})
    # AFOLU: target 25,000, gap 25,000, portfolio 40,000 → no shortfall; residual 25,000
    assert (table.row(A).target, table.row(A).gap, table.row(A).residual) == (
        25_000,
        25_000,
        25_000,
    )
    assert table.row(B).target == 400_000
    # 800,000 − 40,000 + 25,000
    assert table.total.target == 785_000
    assert table.total.residual == 215_000


def test_gap_is_negative_when_existing_plans_exceed_the_target():
    table = target_table(BASELINE, [action("Coal exit", {B: 450_000.0}, existing=True)])
    assert table.row(B).gap == -50_000
    assert table.row(B).shortfall == 0


def test_existing_plans_and_new_actions_are_counted_apart():
    table = target_table(BASELINE, HAND_ACTIONS)
    assert table.row(B).existing == 100_000
    assert table.row(B).portfolio == 350_000


def test_missing_sectors_count_as_zero_baseline():
    table = target_table({T: 1_000.0}, [])
    assert table.row(W).baseline == 0
    assert table.total.baseline == 1_000


def test_pct_is_relative_to_the_rows_baseline():
    table = target_table(BASELINE, HAND_ACTIONS)
    assert table.row(T).pct(table.row(T).shortfall) == pytest.approx(12_500 / 300_000 * 100)
    assert table.total.pct(table.total.residual) == pytest.approx(20.0)


def test_pct_is_none_without_baseline():
    assert target_table({}, []).total.pct(0.0) is None


def test_table_rows_match_mission_gap_for_mission_shares():
    table = target_table(BASELINE, HAND_ACTIONS, target_share=0.9)
    row = table.row(B)
    gap = mission_gap(
        row.baseline, existing_plans=row.existing, portfolio=row.portfolio, reduction_share=0.9
    )
    assert (row.target, row.gap, row.shortfall, row.residual) == (
        gap.reduction_target,
        gap.gap,
        gap.shortfall,
        gap.residual,
    )


def test_a_draft_may_state_a_target_below_the_mission():
    assert target_table(BASELINE, [], target_share=0.5).total.target == 500_000


@pytest.mark.parametrize("share", [-0.1, 1.2, math.nan])
def test_shares_outside_zero_to_one_are_refused(share):
    with pytest.raises(ValueError, match="between 0 and 1"):
        target_table(BASELINE, [], target_share=share)


def test_sector_shares_outside_zero_to_one_are_refused():
    with pytest.raises(ValueError, match="Transport target share"):
        target_table(BASELINE, [], sector_shares={T: 1.5})


def test_negative_baselines_are_refused():
    with pytest.raises(ValueError, match="AFOLU baseline"):
        target_table({**BASELINE, A: -10.0}, [])


def test_unknown_sectors_are_refused_rather_than_dropped():
    with pytest.raises(ValueError, match="unknown sectors: other"):
        target_table({"other": 10.0}, [])  # type: ignore[dict-item]


sector_values = st.floats(min_value=0, max_value=1e7, allow_nan=False)
reductions = st.dictionaries(
    st.sampled_from(list(ContractSector)), st.floats(min_value=-1e5, max_value=1e7)
)
random_actions = st.lists(
    st.builds(lambda r, existing: action("x", r, existing=existing), reductions, st.booleans()),
    max_size=8,
)
shares = st.floats(min_value=0, max_value=1)


@st.composite
def tables(draw):
    return target_table(
        draw(st.dictionaries(st.sampled_from(list(ContractSector)), sector_values)),
        draw(random_actions),
        target_share=draw(shares),
        sector_shares=draw(st.dictionaries(st.sampled_from(list(ContractSector)), shares)),
    )


COLUMNS = ("baseline", "target", "existing", "gap", "portfolio", "shortfall", "residual")


@given(tables())
def test_total_row_is_the_sum_of_the_sector_rows(table: TargetTable):
    for column in COLUMNS:
        parts = [getattr(r, column) for r in table.rows[:-1]]
        assert getattr(table.total, column) == pytest.approx(math.fsum(parts), abs=1e-6)


@given(tables())
def test_shortfall_is_the_gap_the_portfolio_leaves(table: TargetTable):
    for row in table.rows[:-1]:
        assert row.shortfall == max(0.0, row.gap - row.portfolio)


@given(tables())
def test_residual_and_target_make_the_baseline(table: TargetTable):
    for row in table.rows:
        assert row.residual + row.target == pytest.approx(row.baseline, abs=1e-6)
        assert row.gap == pytest.approx(row.target - row.existing, abs=1e-6)


# --- baseline by sector, vocabularies -------------------------------------------------------


def test_baseline_by_sector_sums_scopes_per_contract_sector():
    by_sector_scope = {
        "I.1": 100.0,
        "I.2": 50.0,
        "II.1": 30.0,
        "III.3": 5.0,
        "VI.1": 99.0,
        "X.1": 7.0,
    }
    assert baseline_by_sector(by_sector_scope) == {B: 150.0, T: 30.0, W: 5.0, P: 0.0, A: 0.0}


def test_baseline_by_sector_takes_bare_gpc_sectors_too():
    assert baseline_by_sector({"I": 10.0, "IV": 4.0})[P] == 4.0


def test_baseline_by_sector_lists_sectors_in_table_order():
    assert list(baseline_by_sector({"V.1": 1.0, "I.1": 2.0})) == [B, T, W, P, A]


def test_vocabularies_have_a_name_for_every_member():
    assert list(GPC_SECTORS.values()) == list(ContractSector)
    assert set(SECTOR_NAMES) == set(ContractSector)
    assert FIELD_NAMES[FieldOfAction.MOBILITY] == "Mobility & transport"
    assert set(FIELD_NAMES) == set(FieldOfAction)
    assert LEVER_NAMES[Lever.DEMOCRACY] == "Democracy/participation"
    assert set(LEVER_NAMES) == set(Lever)


# --- action figures --------------------------------------------------------------------------


def test_action_figures_add_up():
    a = action(
        "Heat pumps",
        {B: 3_000.0, T: 1_000.0},
        capex=300_000.0,
        opex=100_000.0,
        fundings=(Funding("ERDF", 150_000.0), Funding("Green loan", 50_000.0, secured=False)),
    )
    assert a.reduction_tco2e == 4_000
    assert a.total_cost == 400_000
    assert a.covered == 200_000
    assert a.capital_gap == 200_000
    assert a.cost_per_tonne == 100


def test_unstated_capex_or_opex_counts_as_zero_but_both_unstated_is_no_cost():
    assert action("x", {}, capex=None, opex=5.0).total_cost == 5
    assert action("x", {}, capex=None, opex=None, fundings=()).total_cost is None
    assert action("x", {}, capex=None, opex=None, fundings=()).capital_gap is None


def test_overfunded_action_has_no_capital_gap():
    assert action("x", {}, capex=10.0, fundings=(Funding("EU", 25.0),)).capital_gap == 0


def test_cost_per_tonne_needs_a_cost_and_a_reduction():
    assert action("x", {B: 0.0}).cost_per_tonne is None
    assert action("x", {B: -5.0}).cost_per_tonne is None
    assert action("x", {B: 5.0}, capex=None, opex=None).cost_per_tonne is None


# --- the checklist ---------------------------------------------------------------------------

PATHWAYS = {"p-energy": "Heat", "p-mobility": "Car-free centre", "p-waste": "Zero waste"}

# Closes every gap of the hand-worked table: Buildings 300,000 + Transport 240,000 + 40,000 +
# 80,000 + 40,000 = 700,000 = the total gap.
GREEN_ACTIONS = (
    action("Renovation programme 2019", {B: 100_000.0}, existing=True, pathway=""),
    action("Heat pumps", {B: 300_000.0}),
    action(
        "Bus electrification",
        {T: 200_000.0},
        field=FieldOfAction.MOBILITY,
        pathway="p-mobility",
    ),
    action("Cycling network", {T: 40_000.0}, field=FieldOfAction.MOBILITY, pathway="p-mobility"),
    action(
        "Biowaste collection",
        {W: 40_000.0},
        field=FieldOfAction.WASTE_CIRCULAR,
        pathway="p-waste",
    ),
    action("Cement plant CCS", {P: 80_000.0}),
    action("Peatland rewetting", {A: 40_000.0}, field=FieldOfAction.GREEN_INFRASTRUCTURE),
)

GREEN_REMOVALS = (
    Removal("Urban forest", "sink", 120_000.0),
    Removal("Certified removals", "offset", 80_000.0),
)


def make_facts(*, actions=GREEN_ACTIONS, target_share=0.8, baseline=None, **changes):
    facts = ContractFacts(
        baseline_year=2019,
        baseline_blocking_problems=(),
        inventory_has_exclusions=False,
        exclusions_declared="",
        council_decision="Council resolution 2022/117 of 3 May 2022",
        target_year=2030,
        table=target_table(
            BASELINE if baseline is None else baseline, actions, target_share=target_share
        ),
        actions=tuple(actions),
        removals=GREEN_REMOVALS,
        residual_strategy="Urban forest growth and certified removals for what remains.",
        pathways=PATHWAYS,
        pathways_with_indicators=frozenset(PATHWAYS),
        signatories=3,
        signatories_with_commitment=3,
    )
    return dataclasses.replace(facts, **changes)


CODES = [
    "baseline",
    "baseline_year_recent",
    "baseline_not_covid",
    "baseline_coverage",
    "exclusions_declared",
    "council_decision",
    "target_year",
    "target_share",
    "residual_share",
    "residual_strategy",
    "gap_closed",
    "reductions_within_baseline",
    "actions_present",
    "actions_tied",
    "indicators",
    "costs_stated",
    "capital_gap",
    "signatories",
]
ADVICE = {"baseline_not_covid", "capital_gap"}


def failing(facts: ContractFacts) -> set[str]:
    return {c.code for c in check_contract(facts) if not c.passed}


def item(facts: ContractFacts, code: str) -> CheckItem:
    (found,) = [c for c in check_contract(facts) if c.code == code]
    return found


def test_green_contract_passes_every_check_in_order():
    checks = check_contract(make_facts())
    assert [c.code for c in checks] == CODES
    assert [c for c in checks if not c.passed] == []
    assert all(c.message for c in checks)


def test_only_covid_year_and_capital_gap_are_advice():
    assert {c.code for c in check_contract(make_facts()) if not c.blocking} == ADVICE


def test_every_item_names_the_module_to_fix_it_in():
    modules = {c.code: c.module for c in check_contract(make_facts())}
    # Module codes of cityzero.contracts.modules, or "settings" (the baseline and target form).
    assert set(modules.values()) == {
        "goal", "settings", "baseline", "actions", "residual", "indicators", "signatories", "ip_b2",
    }  # fmt: skip
    assert modules["council_decision"] == "goal"
    assert modules["target_share"] == "settings"
    assert modules["costs_stated"] == "actions"
    assert modules["capital_gap"] == "ip_b2"
    assert modules["residual_strategy"] == "residual"


def test_no_baseline_fails_every_baseline_check():
    facts = make_facts(baseline_year=None)
    assert failing(facts) == {
        "baseline",
        "baseline_year_recent",
        "baseline_not_covid",
        "baseline_coverage",
    }
    assert "Choose one under Baseline and target" in item(facts, "baseline").message


def test_baseline_older_than_2018_fails():
    facts = make_facts(baseline_year=2017)
    assert failing(facts) == {"baseline_year_recent"}
    assert "2017 is older than 2018" in item(facts, "baseline_year_recent").message


def test_baseline_of_2018_is_recent_enough():
    assert failing(make_facts(baseline_year=2018)) == set()


@pytest.mark.parametrize("year", [2020, 2021])
def test_covid_baseline_is_advised_against_without_blocking(year):
    facts = make_facts(baseline_year=year)
    assert failing(facts) == {"baseline_not_covid"}
    assert not item(facts, "baseline_not_covid").blocking


def test_baseline_coverage_lists_the_inventory_problems():
    problem = (
        "3 BASIC reference numbers have neither data nor a notation key: I.1.1, I.1.2, II.1.1."
    )
    facts = make_facts(baseline_blocking_problems=(problem,))
    assert failing(facts) == {"baseline_coverage"}
    assert problem in item(facts, "baseline_coverage").message
    assert "1 problem to fix" in item(facts, "baseline_coverage").message


def test_undeclared_exclusions_fail():
    facts = make_facts(inventory_has_exclusions=True, exclusions_declared="  ")
    assert failing(facts) == {"exclusions_declared"}
    assert "Commitments → Goal" in item(facts, "exclusions_declared").message


def test_declared_exclusions_pass():
    facts = make_facts(
        inventory_has_exclusions=True, exclusions_declared="EU ETS installations in the port."
    )
    assert failing(facts) == set()


def test_missing_council_decision_fails():
    facts = make_facts(council_decision=" ")
    assert failing(facts) == {"council_decision"}
    assert item(facts, "council_decision").message == (
        "Add a council decision reference in Commitments → Goal."
    )


def test_target_year_after_2030_fails():
    facts = make_facts(target_year=2035)
    assert failing(facts) == {"target_year"}
    assert "2035 is after 2030" in item(facts, "target_year").message


def test_target_below_80_percent_fails_target_and_residual_share():
    # 75%: target 750,000, residual 250,000; removals raised to cover it so only the shares fail.
    facts = make_facts(
        target_share=0.75,
        removals=(*GREEN_REMOVALS, Removal("Wetlands", "sink", 50_000.0)),
    )
    # residual = baseline − target, so the two shares always fail together
    assert failing(facts) == {"target_share", "residual_share"}
    message = item(facts, "target_share").message
    assert "75%" in message and "750,000 t CO2e of 1,000,000 t CO2e" in message
    assert "800,000" in message
    assert "250,000" in item(facts, "residual_share").message


def test_target_share_allows_float_rounding_at_exactly_80_percent():
    baseline = {B: 956_034.3, T: 947_827.5}
    table = target_table(baseline, [])
    # in floats these come out as 0.7999999999999999 and 0.19999999999999998
    assert table.total.target / table.total.baseline < 0.8
    assert table.total.residual / table.total.baseline > 1 - 0.8
    facts = make_facts(baseline=baseline, actions=())
    assert item(facts, "target_share").passed
    assert item(facts, "residual_share").passed


def test_baseline_without_emissions_fails_the_target_share():
    facts = make_facts(baseline={})
    assert "no emissions" in item(facts, "target_share").message
    assert not item(facts, "target_share").passed
    assert not item(facts, "residual_share").passed


def test_removals_short_of_the_residual_fail_with_the_split():
    facts = make_facts(
        removals=(
            Removal("Urban forest", "sink", 120_000.0),
            Removal("Credits", "offset", 30_000.0),
        )
    )
    assert failing(facts) == {"residual_strategy"}
    message = item(facts, "residual_strategy").message
    assert "cover 150,000 t CO2e (sinks 120,000, offsets 30,000)" in message
    assert "residual 200,000 t CO2e" in message
    assert "remaining 50,000 t CO2e" in message


def test_blank_residual_strategy_fails():
    facts = make_facts(residual_strategy="")
    assert failing(facts) == {"residual_strategy"}
    assert "Describe the strategy" in item(facts, "residual_strategy").message


def test_no_residual_needs_no_strategy():
    facts = make_facts(target_share=1.0, removals=(), residual_strategy="")
    assert item(facts, "residual_strategy").passed


def test_removal_kind_is_sink_or_offset():
    with pytest.raises(ValueError, match="sink or an offset"):
        Removal("Trees", "tree", 1.0)


def test_shortfall_fails_gap_closed_naming_the_sector():
    facts = make_facts(actions=HAND_ACTIONS)
    assert failing(facts) == {"gap_closed"}
    message = item(facts, "gap_closed").message
    assert "Transport: 12,500 t CO2e/yr short" in message
    assert "Buildings" not in message


def test_every_sector_with_a_shortfall_is_named():
    actions = [a for a in GREEN_ACTIONS if a.name not in {"Cycling network", "Cement plant CCS"}]
    message = item(make_facts(actions=actions), "gap_closed").message
    assert "Transport: 40,000 t CO2e/yr short; IPPU: 80,000 t CO2e/yr short" in message
    assert "leaves 120,000 t CO2e/yr" in message


def test_reductions_beyond_a_sectors_baseline_fail():
    # existing 20,000 + portfolio 40,000 = 60,000 > 50,000; the gap (20,000) is still closed
    peat_law = action("Peat law", {A: 20_000.0}, existing=True, pathway="")
    facts = make_facts(actions=(*GREEN_ACTIONS, peat_law))
    assert failing(facts) == {"reductions_within_baseline"}
    message = item(facts, "reductions_within_baseline").message
    assert "AFOLU: reductions of 60,000 t CO2e/yr exceed its baseline of 50,000 t CO2e" in message
    assert "(actions: Peatland rewetting, Peat law)" in message
    assert "Buildings" not in message


def test_only_existing_plans_fail_actions_present():
    existing = [
        action(SECTOR_NAMES[s], {s: BASELINE[s] * 0.8}, existing=True, pathway="")
        for s in ContractSector
    ]
    facts = make_facts(actions=existing)
    assert failing(facts) == {"actions_present"}


def test_action_without_field_fails_actions_tied():
    facts = make_facts(actions=(*GREEN_ACTIONS, action("Campaign", {}, field=None)))
    assert failing(facts) == {"actions_tied"}
    assert "'Campaign' has no field of action" in item(facts, "actions_tied").message


def test_action_tied_to_a_missing_pathway_fails_actions_tied():
    facts = make_facts(
        actions=(*GREEN_ACTIONS, action("Campaign", {}, lever=None, pathway="p-gone"))
    )
    assert failing(facts) == {"actions_tied"}
    assert (
        "'Campaign' has no systemic lever and the impact pathway 'p-gone', which does not exist"
        in item(facts, "actions_tied").message
    )


def test_actions_tied_names_at_most_five_actions():
    untied = [action(f"Action {n}", {}, pathway="") for n in range(7)]
    message = item(make_facts(actions=(*GREEN_ACTIONS, *untied)), "actions_tied").message
    assert message.startswith("7 actions not tied")
    assert "'Action 4' has no impact pathway and 2 more" in message
    assert "Action 5" not in message


def test_existing_plans_need_no_pathway():
    assert GREEN_ACTIONS[0].pathway == ""
    assert item(make_facts(), "actions_tied").passed


def test_pathway_without_indicator_fails():
    facts = make_facts(pathways_with_indicators=frozenset({"p-energy", "p-waste"}))
    assert failing(facts) == {"indicators"}
    assert "1 impact pathway the actions use has no indicator: 'Car-free centre'" in (
        item(facts, "indicators").message
    )


def test_unused_pathway_needs_no_indicator():
    facts = make_facts(pathways=PATHWAYS | {"p-unused": "Unused"})
    assert failing(facts) == set()


def test_action_without_cost_fails_costs_stated():
    facts = make_facts(
        actions=(*GREEN_ACTIONS, action("Campaign", {}, capex=None, opex=None, fundings=()))
    )
    assert failing(facts) == {"costs_stated"}
    assert "1 action without a cost: Campaign" in item(facts, "costs_stated").message


def test_unfunded_cost_is_advice_with_the_gap_in_euros():
    underfunded = action("Tram line", {}, capex=2_000_000.0, fundings=(Funding("EIB", 500_000.0),))
    facts = make_facts(actions=(*GREEN_ACTIONS, underfunded))
    assert failing(facts) == {"capital_gap"}
    check = item(facts, "capital_gap")
    assert not check.blocking
    assert "€1,500,000 of the portfolio's cost has no funding yet, in 1 action" in check.message


def test_one_actions_surplus_funding_does_not_cover_anothers_gap():
    over = action("A", {}, capex=10.0, fundings=(Funding("EU", 30.0),))
    under = action("B", {}, capex=10.0, fundings=())
    message = item(make_facts(actions=(*GREEN_ACTIONS, over, under)), "capital_gap").message
    assert message.startswith("€10 of the portfolio's cost")


def test_no_signatories_fails():
    facts = make_facts(signatories=0, signatories_with_commitment=0)
    assert failing(facts) == {"signatories"}
    assert "no signatories" in item(facts, "signatories").message


def test_signatory_without_commitment_fails():
    facts = make_facts(signatories_with_commitment=2)
    assert failing(facts) == {"signatories"}
    assert "1 signatory of 3 has no commitment text" in item(facts, "signatories").message


# --- portfolio summary, abatement curve, pathway --------------------------------------------


def test_portfolio_summary_counts_new_actions_only():
    actions = [
        action("Old plan", {B: 1_000.0}, existing=True, capex=9_999.0),
        action(
            "Heat pumps",
            {B: 400.0},
            capex=30_000.0,
            opex=10_000.0,
            responsible="Energy agency",
            fundings=(Funding("ERDF", 25_000.0), Funding("City budget", 5_000.0)),
        ),
        action(
            "Bike lanes",
            {T: 100.0},
            field=FieldOfAction.MOBILITY,
            capex=10_000.0,
            responsible="Roads department",
            fundings=(Funding("City budget", 10_000.0),),
        ),
        action(
            "Campaign",
            {T: 50.0},
            field=None,
            capex=None,
            opex=None,
            fundings=(Funding("ERDF", 1_000.0),),
        ),
    ]
    s = portfolio_summary(actions)
    assert s.total_cost == 50_000  # 40,000 + 10,000; the campaign states no cost
    assert s.covered == 41_000
    assert s.capital_gap == 10_000  # heat pumps 40,000 − 30,000; bike lanes fully funded
    assert s.reduction_tco2e == 550
    assert s.cost_per_tonne == 100  # 50,000 € / 500 t of the costed actions
    assert s.by_field == {
        FieldOfAction.ENERGY_SYSTEMS: 40_000,
        FieldOfAction.MOBILITY: 10_000,
        None: 0,
    }
    assert s.by_responsible == {"": 0, "Energy agency": 40_000, "Roads department": 10_000}
    assert s.by_source == {"City budget": 15_000, "ERDF": 26_000}
    assert s.reduction_by_field == {
        FieldOfAction.ENERGY_SYSTEMS: 400,
        FieldOfAction.MOBILITY: 100,
        None: 50,
    }


def test_portfolio_summary_without_costed_actions_has_no_cost_per_tonne():
    s = portfolio_summary([action("x", {B: 5.0}, capex=None, opex=None)])
    assert s.cost_per_tonne is None
    assert s.total_cost == 0


def test_abatement_curve_runs_from_the_cheapest_tonne():
    actions = [
        action("Tram", {T: 100.0}, capex=50_000.0),  # 500 €/t
        action("LED", {B: 1_000.0}, capex=-20_000.0),  # saves money: −20 €/t
        action("Boilers", {B: 200.0}, capex=20_000.0),  # 100 €/t
        action("Attics", {B: 50.0}, capex=5_000.0),  # 100 €/t, first by name
        action("Old plan", {B: 10.0}, existing=True, capex=1.0),
        action("No cost", {B: 10.0}, capex=None, opex=None),
        action("No reduction", {B: 0.0}, capex=1.0),
    ]
    assert abatement_curve(actions) == [
        ("LED", 1_000, -20),
        ("Attics", 50, 100),
        ("Boilers", 200, 100),
        ("Tram", 100, 500),
    ]


def test_pathway_runs_from_the_baseline_to_each_2030_value():
    series = pathway(2020, 1_000.0, 1_100.0, 300.0, 500.0, 200.0)
    assert list(series) == ["bau", "existing", "portfolio", "target"]
    assert {name: points[0] for name, points in series.items()} == {
        "bau": (2020, 1_000),
        "existing": (2020, 1_000),
        "portfolio": (2020, 1_000),
        "target": (2020, 1_000),
    }
    assert {name: points[-1] for name, points in series.items()} == {
        "bau": (2030, 1_100),
        "existing": (2030, 800),
        "portfolio": (2030, 300),
        "target": (2030, 200),
    }


def test_pathway_has_one_point_a_year_on_a_straight_line():
    points = pathway(2020, 1_000.0, 1_100.0, 300.0, 500.0, 200.0)["target"]
    assert [year for year, _ in points] == list(range(2020, 2031))
    steps = [b - a for (_, a), (_, b) in itertools.pairwise(points)]
    assert steps == pytest.approx([-80.0] * 10)


def test_pathway_portfolio_stops_at_zero():
    series = pathway(2019, 1_000.0, 900.0, 600.0, 500.0, 200.0)
    assert series["portfolio"][-1] == (2030, 0)


def test_pathway_in_the_target_year_is_one_point():
    assert pathway(2030, 10.0, 10.0, 1.0, 1.0, 2.0)["target"] == [(2030, 2.0)]


def test_pathway_refuses_a_target_year_before_the_base_year():
    with pytest.raises(ValueError, match="before the base year"):
        pathway(2022, 1.0, 1.0, 0.0, 0.0, 0.2, target_year=2021)


def test_green_signatories_message_counts_them():
    assert item(make_facts(), "signatories").message == "3 signatories, each with a commitment."


def test_a_near_miss_of_80_percent_is_not_rounded_up():
    facts = make_facts(
        target_share=0.796, removals=(*GREEN_REMOVALS, Removal("Wetlands", "sink", 4_000.0))
    )
    assert failing(facts) == {"target_share", "residual_share"}
    assert "by 79.6%, 796,000 t CO2e" in item(facts, "target_share").message
    assert "are 20.4% of the baseline" in item(facts, "residual_share").message
