import pytest

from cityzero.ghg.factors import EmissionFactor, FactorKind, FactorSet
from cityzero.ghg.gases import AR5, AR6, Gas
from cityzero.ghg.inventory import (
    InventoryError,
    LineItem,
    NotationKey,
    RowKind,
    calculate,
    validate,
)


def one(item, factors, gwp=AR5, **kw):
    return calculate([item], factors, gwp, **kw)[0]


def test_natural_gas_thousand_mwh_is_202_tco2(ipcc):
    r = one(LineItem("I.1.1", carrier="natural_gas", quantity=1000, unit="MWh"), ipcc)
    assert r.tonnes == {Gas.CO2: pytest.approx(202.0)}
    assert r.tco2e == pytest.approx(202.0)


def test_result_shows_the_factor_and_its_source(ipcc):
    r = one(LineItem("I.1.1", carrier="natural_gas", quantity=1000, unit="MWh"), ipcc)
    (applied,) = r.factors
    assert applied.kind is FactorKind.IPCC_DEFAULT
    assert applied.factor.value == 0.202
    assert "IPCC 2006" in applied.factor.source
    assert "56.1 t CO2/TJ" in applied.factor.note


def test_ten_thousand_litres_of_diesel(ipcc):
    # 10,000 l × 0.84 kg/l × 43.0 GJ/t = 361.2 GJ = 100.333 MWh × 0.267 t/MWh = 26.789 t CO2
    r = one(LineItem("II.1.1", carrier="diesel", quantity=10_000, unit="l"), ipcc)
    assert r.tco2e == pytest.approx(26.789)
    assert r.factors[0].activity == pytest.approx(100.3333333)


def test_reported_methane_is_weighted_by_the_declared_gwp(ipcc):
    item = LineItem("III.1.1", quantity=10, unit="t CH4")
    assert one(item, ipcc, AR5).tco2e == pytest.approx(280.0)
    assert one(item, ipcc, AR6).tco2e == pytest.approx(279.0)


def test_fossil_methane_uses_the_ar6_fossil_gwp(ipcc):
    r = one(LineItem("I.8.1", quantity=1, unit="t CH4"), ipcc, AR6)
    assert r.tco2e == pytest.approx(29.8)


def test_co2e_row_keeps_the_gas_named_in_the_gas_column(ipcc):
    r = one(LineItem("IV.2", quantity=50, unit="t CO2e", gas="HFCs"), ipcc)
    assert r.co2e == {Gas.HFCS: 50.0}
    assert r.tonnes == {}


def test_notation_key_row_contributes_nothing(ipcc):
    r = one(LineItem("I.7.1", notation_key="no", explanation="no coal mines in the city"), ipcc)
    assert (r.kind, r.notation_key, r.tco2e) == (RowKind.NOTATION, NotationKey.NO, 0.0)


def test_biogenic_co2_goes_to_the_memo_item(ipcc):
    # 100 t wood × 11.8 GJ/t = 1,180 GJ = 327.78 MWh × 0.360 = 118.0 t CO2, counted 0
    r = one(LineItem("I.1.1", carrier="wood", quantity=100, unit="t"), ipcc)
    assert r.tco2e == 0.0
    assert r.biogenic_co2_t == pytest.approx(118.0)


def test_directly_reported_landfill_gas_co2_is_memo(ipcc):
    r = one(LineItem("III.1.1", carrier="landfill_gas", quantity=5, unit="t CO2"), ipcc)
    assert (r.tco2e, r.biogenic_co2_t) == (0.0, 5.0)


def test_row_factor_beats_the_factor_set(ipcc):
    item = LineItem(
        "I.1.1",
        carrier="natural_gas",
        quantity=1000,
        unit="MWh",
        emission_factor=0.2,
        ef_unit="t CO2/MWh",
    )
    r = one(item, ipcc)
    assert r.tco2e == pytest.approx(200.0)
    assert r.factors[0].kind is FactorKind.USER


def test_vehicle_km_with_a_per_km_factor(ipcc):
    item = LineItem(
        "II.1.1",
        carrier="bus",
        quantity=1_000_000,
        unit="vkm",
        emission_factor=1.1,
        ef_unit="kg CO2e/vkm",
    )
    assert one(item, ipcc).tco2e == pytest.approx(1100.0)


def test_national_electricity_factor_for_the_inventory_country():
    national = FactorSet(
        [
            EmissionFactor(
                "electricity",
                Gas.CO2,
                0.4,
                "t CO2/MWh",
                "test",
                year=2022,
                kind=FactorKind.NATIONAL,
                country="DE",
            )
        ]
    )
    r = one(
        LineItem("I.1.2", carrier="electricity", quantity=100, unit="MWh"),
        national,
        country="DE",
        year=2023,
    )
    assert r.tco2e == pytest.approx(40.0)
    assert r.notes == ("no 2023 factor; the 2022 factor is used",)


@pytest.mark.parametrize(
    ("item", "column", "message"),
    [
        (
            LineItem("I.1.9", carrier="diesel", quantity=1, unit="l"),
            "gpc_ref",
            "GPC has no reference I.1.9",
        ),
        (
            LineItem("I.1.2", carrier="electricity", quantity=5, unit="l"),
            "unit",
            "'l' cannot measure Grid electricity",
        ),
        (
            LineItem("I.1.2", carrier="electricity", quantity=5, unit="MWh"),
            "emission_factor",
            "no emission factor for Grid electricity",
        ),
        (
            LineItem("I.1.1", carrier="unobtainium", quantity=5, unit="t"),
            "carrier",
            "not a known carrier",
        ),
        (
            LineItem("I.1.1", carrier="diesel", quantity=-5, unit="l"),
            "quantity",
            "cannot be negative",
        ),
        (
            LineItem("I.1.1", carrier="diesel", quantity=1e20, unit="l"),
            "quantity",
            "implausibly large",
        ),
        (
            LineItem("I.1.1", carrier="diesel", quantity=float("nan"), unit="l"),
            "quantity",
            "not a number",
        ),
        (LineItem("I.1.1", carrier="diesel", unit="l"), "quantity", "quantity is required"),
        (LineItem("I.1.1", carrier="diesel", quantity=1), "unit", "a unit is required"),
        (LineItem("I.1.1", quantity=1, unit="MWh"), "carrier", "a carrier is required"),
        (
            LineItem("I.1.1", notation_key="XX", explanation="x"),
            "notation_key",
            "not a notation key",
        ),
        (LineItem("I.1.1", notation_key="NE"), "explanation", "needs an explanation"),
        (
            LineItem("I.1.1", notation_key="IE", explanation="elsewhere"),
            "explanation",
            "must say where",
        ),
        (
            LineItem("I.1.1", notation_key="NO", quantity=3, explanation="none"),
            "quantity",
            "has no quantity",
        ),
        (LineItem("IV.2", quantity=5, unit="t HFCs"), "unit", "family of gases"),
        (LineItem("I.1.1", quantity=5, unit="t CH4", gas="N2O"), "gas", "gas column says N2O"),
        (
            LineItem("I.1.1", quantity=5, unit="t CO2", emission_factor=1.0),
            "emission_factor",
            "leave the factor columns empty",
        ),
        (
            LineItem("I.1.1", carrier="diesel", quantity=5, unit="l", emission_factor=2.6),
            "ef_unit",
            "needs its unit",
        ),
        (
            LineItem(
                "I.1.1",
                carrier="diesel",
                quantity=5,
                unit="l",
                emission_factor=2.6,
                ef_unit="kg CO2/vkm",
            ),
            "ef_unit",
            "factor is per vkm",
        ),
        (
            LineItem(
                "I.1.1",
                carrier="diesel",
                quantity=5,
                unit="l",
                emission_factor=2.6,
                ef_unit="kg CO2 per l",
            ),
            "ef_unit",
            "not an emission factor unit",
        ),
        (
            LineItem(
                "I.1.1",
                carrier="diesel",
                quantity=5,
                unit="l",
                emission_factor=2.6,
                ef_unit="kg CO2/l",
                gas="CH4",
            ),
            "gas",
            "gas column says CH4",
        ),
    ],
)
def test_impossible_rows_are_reported_by_row_and_column(ipcc, item, column, message):
    (error,) = validate([item], ipcc, AR5, first_row=14)
    assert (error.row, error.column) == (14, column)
    assert message in error.message


def test_every_bad_row_is_reported_not_only_the_first(ipcc):
    items = [
        LineItem("X"),
        LineItem("I.1.1", carrier="diesel", quantity=1, unit="l"),
        LineItem("I.1.1", notation_key="NE"),
    ]
    with pytest.raises(InventoryError) as info:
        calculate(items, ipcc, AR5, first_row=2)
    assert [(e.row, e.column) for e in info.value.errors] == [(2, "gpc_ref"), (4, "explanation")]
    assert str(info.value.errors[0]).startswith("Row 2, column gpc_ref:")


def test_afolu_removals_may_be_negative(ipcc):
    assert one(LineItem("V.2", quantity=-100, unit="t CO2"), ipcc).tco2e == -100.0
