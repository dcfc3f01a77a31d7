import pytest

from cityzero.ghg.projection import Drivers, mission_gap, project_bau


def test_bau_compounds_population_activity_and_grid_trend():
    baseline = {("I", 1): 1000.0, ("I", 2): 500.0, ("II", 1): 800.0}
    drivers = Drivers(population_growth=0.01, activity_growth={"II": 0.02}, grid_factor_trend=-0.05)
    p = project_bau(baseline, base_year=2020, drivers=drivers)
    n = 10
    expected_i = 1000 * 1.01**n + 500 * 1.01**n * 0.95**n
    expected_ii = 800 * 1.01**n * 1.02**n
    assert p.by_sector == pytest.approx({"I": expected_i, "II": expected_ii})
    assert p.target_year_tco2e == pytest.approx(expected_i + expected_ii)
    assert p.by_year[2020] == pytest.approx(2300.0)
    assert sorted(p.by_year) == list(range(2020, 2031))


def test_no_growth_keeps_the_baseline():
    p = project_bau({("III", 1): 42.0}, base_year=2019, drivers=Drivers())
    assert set(p.by_year.values()) == {42.0}


def test_growth_rates_below_minus_one_are_refused():
    with pytest.raises(ValueError, match="fractions per year"):
        Drivers(population_growth=-1.5)


def test_mission_gap_arithmetic():
    g = mission_gap(1_000_000, existing_plans=300_000, portfolio=450_000)
    assert (g.reduction_target, g.gap, g.residual) == pytest.approx((800_000, 500_000, 200_000))
    assert g.shortfall == pytest.approx(50_000)
    assert not g.on_track


def test_mission_gap_closed_by_the_portfolio():
    assert mission_gap(100.0, existing_plans=30.0, portfolio=50.0).on_track


def test_targets_below_80_percent_are_refused():
    with pytest.raises(ValueError, match="at least 80%"):
        mission_gap(100.0, reduction_share=0.5)
