"""The shared inline SVG charts: well-formed, geometry true to the numbers, labels escaped."""

import xml.etree.ElementTree as ET

import pytest

from cityzero.core.charts import (
    BAR_COLOUR,
    BAR_WIDTH,
    LABEL_WIDTH,
    NEGATIVE_VALUE_ROOM,
    SINK_COLOUR,
    Axis,
    bar_chart_svg,
    line_chart_svg,
    nice_ceiling,
    svg_open,
)

SVG = "{http://www.w3.org/2000/svg}"
SERIES = [("basic", "GPC BASIC"), ("mission", "Mission scope")]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


def bars(rows: list[tuple[str, float]]) -> list[ET.Element]:
    return list(parse(bar_chart_svg(rows, title="Bars", chart_id="bars-title")).iter(f"{SVG}rect"))


def line_chart(points, series=SERIES) -> str:
    return line_chart_svg(points, series, title="Lines", chart_id="lines-title")


def polylines(root: ET.Element, key: str) -> list[list[str]]:
    return [
        line.get("points").split()
        for line in root.iter(f"{SVG}polyline")
        if line.get("data-series") == key
    ]


# Opener and axes


def test_svg_open_labels_the_chart_by_its_escaped_title():
    root = parse(svg_open(100, 50.26, "x-title", "Costs & <savings>") + "</svg>")

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x-title"
    assert root.get("viewBox") == "0 0 100 50.3"
    assert root.find(f"{SVG}title").text == "Costs & <savings>"


def test_nice_ceiling_rounds_up_to_one_two_two_and_a_half_or_five():
    assert [nice_ceiling(v) for v in (1_830, 2_000, 2_001, 4_100, 9_000, 0.7)] == [
        2_000,
        2_000,
        2_500,
        5_000,
        10_000,
        1,
    ]


def test_axis_over_positive_values_ends_at_the_nice_ceiling():
    assert Axis.spanning(1_830).ticks() == [0, 500, 1_000, 1_500, 2_000]


def test_axis_takes_the_smaller_side_in_as_many_steps_as_it_needs():
    assert Axis.spanning(410, -80).ticks() == [-100, 0, 100, 200, 300, 400, 500]


def test_axis_when_the_negative_side_is_the_larger():
    assert Axis.spanning(30, -1_830).ticks() == [-2_000, -1_500, -1_000, -500, 0, 500]


def test_axis_labels_have_thousands_separators_and_the_decimals_the_step_needs():
    assert Axis.spanning(1_234_567).label(1_000_000) == "1,000,000"
    assert Axis.spanning(0.7).label(0.2) == "0.2"


# Bar chart


def test_bar_chart_is_titled_by_its_chart_id():
    root = parse(bar_chart_svg([("A", 1.0)], title="Cost by field (€)", chart_id="field-title"))

    assert root.get("aria-labelledby") == "field-title"
    assert root.find(f"{SVG}title").get("id") == "field-title"
    assert root.find(f"{SVG}title").text == "Cost by field (€)"


def test_bar_lengths_are_proportional_to_the_values():
    largest, other = bars([("A", 1_500.0), ("B", 500.0)])

    assert float(largest.get("width")) == BAR_WIDTH
    assert float(other.get("width")) == 120.0


def test_bar_values_have_thousands_separators():
    svg = bar_chart_svg([("A", 1_234_567.4)], title="T", chart_id="t")

    assert "1,234,567" in texts(parse(svg))


def test_bars_without_negative_values_start_after_the_labels():
    rows = [("A", 10.0), ("B", 0.0)]

    assert {float(bar.get("x")) for bar in bars(rows)} == {LABEL_WIDTH}
    assert not list(
        parse(bar_chart_svg(rows, title="T", chart_id="t")).iter(f"{SVG}line")
    )  # no zero line


def test_negative_bar_is_drawn_green_to_the_left_of_the_zero_line():
    source, sink = bars([("Energy", 300.0), ("AFOLU", -100.0)])
    zero = LABEL_WIDTH + NEGATIVE_VALUE_ROOM + 90.0  # 100 of the 400 the bars span, of 360 px

    assert float(source.get("x")) == zero
    assert float(source.get("width")) == 270.0
    assert float(sink.get("x")) + float(sink.get("width")) == zero
    assert float(sink.get("width")) == 90.0
    assert (source.get("fill"), sink.get("fill")) == (BAR_COLOUR, SINK_COLOUR)


def test_negative_bars_get_a_zero_line_and_room_for_their_values():
    root = parse(bar_chart_svg([("A", 300.0), ("B", -100.0)], title="T", chart_id="t"))

    (zero,) = root.iter(f"{SVG}line")
    assert float(zero.get("x1")) == LABEL_WIDTH + NEGATIVE_VALUE_ROOM + 90.0
    assert root.get("viewBox").split()[2] == str(LABEL_WIDTH + BAR_WIDTH + 120 + 80)
    assert "-100" in texts(root)


def test_bar_chart_escapes_labels():
    label = "<script>alert(1)</script> & Co"
    svg = bar_chart_svg([(label, 1.0)], title="T", chart_id="t")

    assert "<script>" not in svg
    assert label in texts(parse(svg))


def test_bar_chart_without_rows_is_empty():
    assert bar_chart_svg([], title="T", chart_id="t") == ""


# Line chart


def test_line_chart_is_titled_by_its_chart_id_and_has_a_legend():
    root = parse(line_chart([(2019, {"basic": 1.0}), (2022, {"basic": 2.0})]))

    assert root.get("aria-labelledby") == "lines-title"
    assert root.find(f"{SVG}title").get("id") == "lines-title"
    assert root.find(f"{SVG}title").text == "Lines"
    assert {"GPC BASIC", "Mission scope"} <= set(texts(root))


def test_line_axis_tops_out_at_the_nice_maximum():
    points = [(2019, {"basic": 1_200.0}), (2022, {"basic": 1_830.0})]
    root = parse(line_chart(points))

    grid = list(root.iter(f"{SVG}line"))
    assert "2,000" in texts(root)
    assert "2,500" not in texts(root)
    assert 4 <= sum(line.get("class") == "trend-grid" for line in grid) - 1 <= 5


def test_line_value_at_the_maximum_touches_the_top_gridline():
    points = [(2019, {"basic": 500.0}), (2022, {"basic": 2_000.0})]
    root = parse(line_chart(points))

    top_gridline = min(
        float(line.get("y1"))
        for line in root.iter(f"{SVG}line")
        if line.get("class") == "trend-grid"
    )
    (line,) = polylines(root, "basic")

    assert float(line[1].split(",")[1]) == top_gridline


def test_line_years_are_spaced_evenly_even_when_they_skip():
    points = [(2015, {"basic": 1.0}), (2016, {"basic": 2.0}), (2022, {"basic": 3.0})]
    root = parse(line_chart(points))

    xs = [float(point.split(",")[0]) for point in polylines(root, "basic")[0]]

    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    assert [t for t in texts(root) if t in {"2015", "2016", "2022"}] == ["2015", "2016", "2022"]


def test_line_missing_value_breaks_the_line():
    points = [
        (2018, {"basic": 10.0, "mission": 9.0}),
        (2019, {"basic": 11.0, "mission": 8.0}),
        (2020, {"mission": 7.0}),
        (2021, {"basic": 12.0, "mission": 6.0}),
        (2022, {"basic": 13.0, "mission": 5.0}),
    ]
    root = parse(line_chart(points))

    assert [len(segment) for segment in polylines(root, "basic")] == [2, 2]
    assert [len(segment) for segment in polylines(root, "mission")] == [5]


def test_line_series_differ_in_colour_and_dash_pattern():
    points = [(2019, {"basic": 1.0, "mission": 2.0}), (2022, {"basic": 2.0, "mission": 3.0})]
    root = parse(line_chart(points))

    (basic,) = [line for line in root.iter(f"{SVG}polyline") if line.get("data-series") == "basic"]
    (mission,) = [
        line for line in root.iter(f"{SVG}polyline") if line.get("data-series") == "mission"
    ]

    assert basic.get("stroke") != mission.get("stroke")
    assert basic.get("stroke-dasharray") != mission.get("stroke-dasharray")


def test_line_markers_explain_their_values():
    points = [(2019, {"basic": 1_234_567.0}), (2022, {"basic": 1_830.4, "mission": 950.0})]
    root = parse(line_chart(points))

    titles = [circle.find(f"{SVG}title").text for circle in root.iter(f"{SVG}circle")]

    assert titles == [
        "GPC BASIC 2019: 1,234,567 t CO2e",
        "GPC BASIC 2022: 1,830 t CO2e",
        "Mission scope 2022: 950 t CO2e",
    ]


@pytest.mark.parametrize("points", [[], [(2022, {"basic": 5.0})]])
def test_line_chart_with_fewer_than_two_years_is_empty(points):
    assert line_chart(points) == ""


def test_line_chart_escapes_labels():
    label = "<script>x</script> & Co"
    svg = line_chart([(2019, {"k": 1.0}), (2022, {"k": 2.0})], [("k", label)])

    assert "<script>" not in svg
    assert label in texts(parse(svg))
