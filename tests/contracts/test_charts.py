"""The contract's inline SVG charts: well-formed, geometry true to the numbers, labels escaped."""

import xml.etree.ElementTree as ET

import pytest

from cityzero.contracts.charts import (
    MACC_LEFT,
    WATERFALL_PLOT_HEIGHT,
    abatement_curve_svg,
    gap_waterfall_svg,
    pathway_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
PATHWAY = {
    "bau": [(2020, 1_000.0), (2025, 1_100.0), (2030, 1_200.0)],
    "existing": [(2020, 1_000.0), (2025, 900.0), (2030, 800.0)],
    "portfolio": [(2020, 1_000.0), (2025, 700.0), (2030, 400.0)],
    "target": [(2020, 1_000.0), (2025, 600.0), (2030, 200.0)],
}
# 600 t CO2e/yr over the 600 px of the plot: one pixel a tonne.
CURVE = [("Street lights", 100.0, -50.0), ("Retrofit", 300.0, 20.0), ("Buses", 200.0, 80.0)]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def of_class(root: ET.Element, kind: str) -> list[ET.Element]:
    return [element for element in root.iter() if element.get("class") == kind]


def box(rect: ET.Element) -> tuple[float, float, float, float]:
    """(x, y, width, height)"""
    return tuple(float(rect.get(name)) for name in ("x", "y", "width", "height"))


def title_of(root: ET.Element) -> tuple[str, str, str]:
    title = root.find(f"{SVG}title")
    return root.get("aria-labelledby"), title.get("id"), title.text


# Pathway


def test_pathway_is_titled():
    root = parse(pathway_svg(PATHWAY))

    assert title_of(root) == ("pathway-chart-title",) * 2 + ("Pathway to 2030 (t CO2e)",)


def test_pathway_draws_the_four_paths_with_their_labels():
    root = parse(pathway_svg(PATHWAY))

    drawn = [line.get("data-series") for line in root.iter(f"{SVG}polyline")]

    assert drawn == ["bau", "existing", "portfolio", "target"]
    assert {
        "Business as usual",
        "With existing plans",
        "With the contract's actions",
        "Mission target (residual)",
    } <= set(texts(root))


def test_pathway_puts_each_year_on_the_axis_once():
    root = parse(pathway_svg(PATHWAY))

    assert [text for text in texts(root) if text.startswith("20")] == ["2020", "2025", "2030"]


def test_pathway_marker_titles_name_the_path_and_the_year():
    root = parse(pathway_svg(PATHWAY))

    titles = [circle.find(f"{SVG}title").text for circle in root.iter(f"{SVG}circle")]

    assert "With the contract's actions 2030: 400 t CO2e" in titles
    assert len(titles) == 12


def test_pathway_leaves_out_keys_it_does_not_know():
    root = parse(pathway_svg({**PATHWAY, "<other>": [(2020, 5.0), (2030, 5.0)]}))

    assert len(list(root.iter(f"{SVG}polyline"))) == 4


@pytest.mark.parametrize("series", [{}, {"bau": [], "target": []}, {"other": [(2020, 1.0)]}])
def test_pathway_without_paths_is_empty(series):
    assert pathway_svg(series) == ""


# Waterfall: baseline 1,000, existing plans 250, contract actions 400, 350 remain, target 200.


def waterfall(target: float = 200.0, *, existing: float = 250.0, portfolio: float = 400.0):
    return parse(gap_waterfall_svg(1_000.0, existing, portfolio, target))


def test_waterfall_is_titled():
    assert title_of(waterfall()) == ("waterfall-chart-title",) * 2 + (
        "From the baseline to 2030 (t CO2e/yr)",
    )


def test_waterfall_baseline_is_full_height_from_zero():
    baseline = box(of_class(waterfall(), "waterfall-bar")[0])

    assert baseline[3] == WATERFALL_PLOT_HEIGHT


def test_waterfall_existing_plans_hang_from_the_top_of_the_baseline():
    baseline, existing, _actions, _remaining = map(box, of_class(waterfall(), "waterfall-bar"))

    assert existing[1] == baseline[1]
    assert existing[3] == 250 / 1_000 * WATERFALL_PLOT_HEIGHT


def test_waterfall_contract_actions_hang_from_the_bottom_of_the_existing_plans():
    _baseline, existing, actions, _remaining = map(box, of_class(waterfall(), "waterfall-bar"))

    assert actions[1] == existing[1] + existing[3]
    assert actions[3] == 400 / 1_000 * WATERFALL_PLOT_HEIGHT


def test_waterfall_remaining_stands_on_the_axis_at_its_share_of_the_baseline():
    baseline, *_steps, remaining = map(box, of_class(waterfall(), "waterfall-bar"))

    assert remaining[3] == pytest.approx((1_000 - 250 - 400) / 1_000 * WATERFALL_PLOT_HEIGHT)
    assert remaining[1] + remaining[3] == baseline[1] + baseline[3]


def test_waterfall_remaining_is_never_below_zero():
    root = waterfall(existing=700.0, portfolio=600.0)
    *_steps, remaining = map(box, of_class(root, "waterfall-bar"))

    assert remaining[3] == 0.0
    assert texts(root)[-4:-2] == ["0", "Remaining in 2030"]  # value and name of the last bar


def test_waterfall_target_line_lies_at_the_target():
    root = waterfall()
    baseline = box(of_class(root, "waterfall-bar")[0])
    (line,) = of_class(root, "waterfall-target")
    axis = baseline[1] + baseline[3]

    assert float(line.get("y1")) == axis - 200 / 1_000 * WATERFALL_PLOT_HEIGHT
    assert line.get("y1") == line.get("y2")
    assert {"Mission target", "200"} <= set(texts(root))


def test_waterfall_marks_the_shortfall_between_target_and_remaining():
    root = waterfall(200.0)
    *_steps, remaining = map(box, of_class(root, "waterfall-bar"))
    (shortfall,) = of_class(root, "waterfall-shortfall")
    (line,) = of_class(root, "waterfall-target")

    assert box(shortfall)[1] == remaining[1]
    assert box(shortfall)[1] + box(shortfall)[3] == float(line.get("y1"))
    assert shortfall.find(f"{SVG}title").text == "Shortfall: 150 t CO2e/yr"
    assert {"Shortfall", "150"} <= set(texts(root))


@pytest.mark.parametrize("target", [350.0, 400.0])
def test_waterfall_without_shortfall_when_the_target_is_reached(target):
    root = waterfall(target)

    assert of_class(root, "waterfall-shortfall") == []
    assert "Shortfall" not in texts(root)


def test_waterfall_labels_each_bar_with_its_value():
    root = parse(gap_waterfall_svg(1_000_000.0, 250_000.0, 400_000.0, 200_000.0))

    assert {"1,000,000", "−250,000", "−400,000", "350,000"} <= set(texts(root))


@pytest.mark.parametrize("baseline", [0.0, -5.0])
def test_waterfall_without_baseline_is_empty(baseline):
    assert gap_waterfall_svg(baseline, 0.0, 0.0, 0.0) == ""


# Marginal abatement cost curve


def macc(curve=CURVE) -> ET.Element:
    return parse(abatement_curve_svg(curve))


def test_macc_is_titled():
    assert title_of(macc()) == ("macc-chart-title",) * 2 + (
        "Cost of each action per tonne (marginal abatement cost curve)",
    )


def test_macc_widths_are_proportional_to_the_reductions():
    lights, retrofit, buses = map(box, of_class(macc(), "macc-bar"))

    assert (lights[2], retrofit[2], buses[2]) == (100.0, 300.0, 200.0)


def test_macc_bar_starts_where_the_earlier_bars_end():
    lights, retrofit, buses = map(box, of_class(macc(), "macc-bar"))

    assert lights[0] == MACC_LEFT
    assert buses[0] == MACC_LEFT + lights[2] + retrofit[2]


def test_macc_heights_are_proportional_to_the_costs():
    lights, retrofit, buses = map(box, of_class(macc(), "macc-bar"))

    assert buses[3] == pytest.approx(4 * retrofit[3], abs=0.1)
    assert lights[3] == pytest.approx(2.5 * retrofit[3], abs=0.1)


def test_macc_saving_hangs_below_the_zero_line_and_a_cost_stands_on_it():
    root = macc()
    lights, retrofit, _buses = map(box, of_class(root, "macc-bar"))
    (zero,) = of_class(root, "macc-zero")

    assert lights[1] == float(zero.get("y1"))
    assert retrofit[1] + retrofit[3] == float(zero.get("y1"))


def test_macc_gridlines_are_round_and_reach_both_sides():
    root = macc()
    grid = [float(line.get("y1")) for line in of_class(root, "macc-grid")]
    (zero,) = of_class(root, "macc-zero")

    assert [t for t in texts(root) if t.lstrip("-").isdigit()][:9] == [
        "-60", "-40", "-20", "0", "20", "40", "60", "80", "100",
    ]  # fmt: skip
    assert float(zero.get("y1")) == grid[3]


def test_macc_x_axis_counts_up_the_reductions():
    assert {"0", "200", "400", "600"} <= set(texts(macc()))


def test_macc_bars_explain_themselves():
    titles = [bar.find(f"{SVG}title").text for bar in of_class(macc(), "macc-bar")]

    assert titles == [
        "Street lights: 100 t CO2e/yr at -50 €/t CO2e",
        "Retrofit: 300 t CO2e/yr at 20 €/t CO2e",
        "Buses: 200 t CO2e/yr at 80 €/t CO2e",
    ]


def test_macc_names_wide_bars_and_numbers_narrow_ones_in_a_legend():
    curve = [("Wide", 500.0, 10.0), ("Narrow", 50.0, 20.0), ("Thin", 50.0, 30.0)]
    root = macc(curve)

    assert [label.text for label in of_class(root, "macc-label")] == ["Wide", "1", "2"]
    assert [entry.text for entry in of_class(root, "macc-legend")] == ["1. Narrow", "2. Thin"]


def test_macc_numbers_a_bar_too_narrow_for_its_name():
    root = macc([("A rather long name for an action", 100.0, 10.0), ("Other", 500.0, 20.0)])

    assert [label.text for label in of_class(root, "macc-label")] == ["1", "Other"]


def test_macc_without_narrow_bars_has_no_legend():
    assert of_class(macc(), "macc-legend") == []


def test_macc_leaves_out_actions_without_a_reduction():
    root = macc([("None", 0.0, 10.0), *CURVE])

    assert len(of_class(root, "macc-bar")) == 3


@pytest.mark.parametrize("curve", [[], [("None", 0.0, 10.0)]])
def test_macc_without_reductions_is_empty(curve):
    assert abatement_curve_svg(curve) == ""


def test_macc_escapes_names():
    name = "<script>alert(1)</script> & Co"
    svg = abatement_curve_svg([(name, 999.0, 5.0), (name, 1.0, 6.0)])  # named, then numbered
    root = parse(svg)

    assert "<script>" not in svg
    assert [label.text for label in of_class(root, "macc-label")] == [name, "1"]
    assert [entry.text for entry in of_class(root, "macc-legend")] == [f"1. {name}"]
    assert of_class(root, "macc-bar")[0].find(f"{SVG}title").text.startswith(f"{name}: ")


def test_macc_bar_titles_use_thousands_separators():
    root = parse(abatement_curve_svg([("A", 1_234_567.0, 1_500.0)]))

    assert "A: 1,234,567 t CO2e/yr at 1,500 €/t CO2e" in [
        bar.find(f"{SVG}title").text for bar in of_class(root, "macc-bar")
    ]
