import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cityzero.ghg.gases import AR5
from cityzero.ghg.gpc import REFS, Block
from cityzero.ghg.inventory import LineItem, calculate
from cityzero.ghg.totals import Exclusion, ExclusionKind, totals

ETS = Exclusion("steelworks under the EU ETS", ExclusionKind.EU_ETS, refs=frozenset({"IV.1"}))

# A small inventory, every figure by hand (AR5):
SMALL = [
    LineItem("I.1.1", carrier="natural_gas", quantity=1000, unit="MWh"),  # 202
    LineItem(
        "I.1.2",
        carrier="electricity",
        quantity=500,
        unit="MWh",
        emission_factor=0.3,
        ef_unit="t CO2/MWh",
    ),  # 150
    LineItem(
        "I.1.3",
        carrier="electricity",
        quantity=25,
        unit="MWh",
        emission_factor=0.3,
        ef_unit="t CO2/MWh",
    ),  # 7.5
    LineItem("II.1.1", carrier="diesel", quantity=10_000, unit="l"),  # 26.789
    LineItem("II.1.3", quantity=40, unit="t CO2"),  # 40
    LineItem("III.1.1", quantity=10, unit="t CH4"),  # 280
    LineItem("III.1.2", quantity=100, unit="t CO2e"),  # 100
    LineItem("III.1.3", quantity=50, unit="t CO2e"),  # 50, waste from outside
    LineItem("IV.1", quantity=300, unit="t CO2"),  # 300, excluded from the mission scope (ETS)
    LineItem("V.1", quantity=1, unit="t N2O"),  # 265
    LineItem("I.4.4", quantity=1000, unit="t CO2"),  # reported separately
    LineItem("VI.1", quantity=20, unit="t CO2e"),  # 20
    LineItem("I.2.1", carrier="wood", quantity=100, unit="t"),  # 0, memo 118
    LineItem("I.7.1", notation_key="NO", explanation="no coal mining"),
]
BASIC = 202 + 150 + 26.789 + 280 + 100  # 758.789
BASIC_PLUS = BASIC + 7.5 + 40 + 300 + 265  # 1,371.289
MISSION = BASIC + 300 + 265 - 300  # 1,023.789
TOTAL = BASIC_PLUS + 50 + 20  # 1,441.289


@pytest.fixture
def small(ipcc):
    return totals(calculate(SMALL, ipcc, AR5), [ETS])


def test_basic_basic_plus_and_mission_scope_side_by_side(small):
    assert small.basic_tco2e == pytest.approx(BASIC)
    assert small.basic_plus_tco2e == pytest.approx(BASIC_PLUS)
    assert small.mission_scope_tco2e == pytest.approx(MISSION)
    assert small.total_tco2e == pytest.approx(TOTAL)


def test_grid_generation_and_biogenic_co2_stay_out_of_totals(small):
    assert small.reported_separately_tco2e == 1000.0
    assert small.memo_biogenic_co2_t == pytest.approx(118.0)


def test_mission_scope_lists_its_exclusion(small):
    (excluded,) = small.mission.excluded
    assert (excluded.tco2e, excluded.rows) == (300.0, (9,))
    assert small.mission.before_exclusions_tco2e == pytest.approx(MISSION + 300)


def test_reconciliation_from_basic_to_basic_plus(small):
    steps = {s.label: s.tco2e for s in small.reconciliation if s.to_total == "BASIC+"}
    assert steps == pytest.approx(
        {
            f"add {Block.STATIONARY_TD_LOSSES}": 7.5,
            f"add {Block.TRANSPORT_3}": 40.0,
            f"add {Block.IPPU}": 300.0,
            f"add {Block.AFOLU}": 265.0,
        }
    )


def test_reconciliation_from_basic_to_mission_scope(small):
    steps = {s.label: s.tco2e for s in small.reconciliation if s.to_total == "Mission scope"}
    assert steps == pytest.approx(
        {
            f"add {Block.IPPU}": 300.0,
            f"add {Block.AFOLU}": 265.0,
            "declared exclusion: steelworks under the EU ETS": -300.0,
        }
    )


def test_reconciliation_from_total_to_basic(small):
    steps = {s.label: s.tco2e for s in small.reconciliation if s.from_total == "Total"}
    assert steps == pytest.approx(
        {
            f"leave out {Block.STATIONARY_TD_LOSSES}": -7.5,
            f"leave out {Block.TRANSPORT_3}": -40.0,
            f"leave out {Block.WASTE_IMPORTED}": -50.0,
            f"leave out {Block.IPPU}": -300.0,
            f"leave out {Block.AFOLU}": -265.0,
            f"leave out {Block.OTHER_SCOPE_3}": -20.0,
        }
    )


def test_totals_by_scope(small):
    assert small.by_scope == pytest.approx(
        {1: 202 + 26.789 + 280 + 50 + 300 + 265, 2: 150, 3: 7.5 + 40 + 100 + 20}
    )


_REFS = sorted(REFS)
_UNITS = ["t CO2", "t CH4", "t N2O", "t CO2e", "t SF6", "kg CO2"]

rows = st.lists(
    st.builds(
        LineItem,
        gpc_ref=st.sampled_from(_REFS),
        quantity=st.floats(min_value=0, max_value=1e6, allow_nan=False),
        unit=st.sampled_from(_UNITS),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(
    items=rows,
    excluded_refs=st.sets(st.sampled_from(_REFS), max_size=3),
    excluded_rows=st.sets(st.integers(1, 30), max_size=3),
)
def test_totals_equal_the_sum_of_their_parts(ipcc, items, excluded_refs, excluded_rows):
    exclusions = [
        Exclusion("refs", ExclusionKind.EU_ETS, refs=frozenset(excluded_refs)),
        Exclusion("rows", ExclusionKind.MINOR, rows=frozenset(excluded_rows)),
    ]
    t = totals(calculate(items, ipcc, AR5), exclusions)
    for grouping in (
        t.by_sector,
        t.by_subsector,
        t.by_scope,
        t.by_gas,
        t.by_ref,
        t.by_sector_scope,
        t.by_carrier_sector,
    ):
        assert math.fsum(grouping.values()) == pytest.approx(t.total_tco2e, rel=1e-9, abs=1e-6)
    assert t.total.tco2e == pytest.approx(t.total_tco2e, rel=1e-9, abs=1e-6)
    for level in (t.basic, t.basic_plus, t.mission):
        whole = math.fsum(b.tco2e for b in (*level.included, *level.left_out))
        assert whole == pytest.approx(t.total_tco2e, rel=1e-9, abs=1e-6)
        by_sector = math.fsum(level.by_sector.values())
        assert by_sector == pytest.approx(level.tco2e, rel=1e-9, abs=1e-6)
    for start, end in ((t.total, t.basic), (t.basic, t.basic_plus), (t.basic, t.mission)):
        steps = [
            s.tco2e
            for s in t.reconciliation
            if (s.from_total, s.to_total) == (start.name, end.name)
        ]
        # Floats are exact to a fraction of the largest operand, not of a small result.
        scale = abs(start.tco2e) + math.fsum(abs(step) for step in steps)
        tolerance = 1e-9 * scale + 1e-6
        assert start.tco2e + math.fsum(steps) == pytest.approx(end.tco2e, abs=tolerance)


def test_emissions_flow_from_carriers_to_sectors(small):
    flows = small.by_carrier_sector
    assert flows[("natural_gas", "I")] == pytest.approx(202)
    assert flows[("electricity", "I")] == pytest.approx(150 + 7.5)
    assert flows[("gas_diesel_oil", "II")] == pytest.approx(26.789, abs=1e-3)  # "diesel"
    assert flows[("", "III")] == pytest.approx(280 + 100 + 50)  # reported without a carrier
    assert flows[("other_primary_solid_biomass", "I")] == 0  # biogenic CO2 is a memo item
    assert flows[("", "I")] == 0  # a notation key; I.4.4 is reported separately, not a flow


def test_each_total_is_split_by_sector_after_exclusions(small):
    # Mission: I 202 + 150 (I.1.3 is BASIC+ only), II 26.789, III 280 + 100, V 265;
    # IV's only row (300) is excluded as an EU ETS installation, so IV has no emissions left.
    assert small.mission.by_sector == pytest.approx(
        {"I": 352, "II": 26.789, "III": 380, "V": 265}, abs=1e-3
    )
    assert small.basic.by_sector == pytest.approx({"I": 352, "II": 26.789, "III": 380}, abs=1e-3)


def test_a_small_level_total_keeps_its_digits_after_a_large_exclusion(ipcc):
    """Found by hypothesis: included minus excluded lost the digits of a 0.002 t result."""
    items = [
        LineItem(gpc_ref="I.1.1", quantity=123_456.789, unit="t CO2e"),
        LineItem(gpc_ref="I.2.1", quantity=0.002, unit="t CO2e"),
    ]
    exclusions = [Exclusion("rows", ExclusionKind.MINOR, rows=frozenset({1}))]
    t = totals(calculate(items, ipcc, AR5), exclusions)
    assert t.mission.tco2e == 0.002
    assert math.fsum(t.mission.by_sector.values()) == 0.002
