"""Inline SVG charts: well-formed, geometry true to the numbers, labels escaped."""

import re
import xml.etree.ElementTree as ET

import pytest

from cityzero.inventories.charts import carrier_flow_svg, sector_bars_svg, trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def nodes(root: ET.Element, kind: str) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if kind in rect.get("class", "").split()]


def height(element: ET.Element) -> float:
    return float(element.get("height"))


def band_thicknesses(band: ET.Element) -> tuple[float, float]:
    """(thickness where the band leaves the carrier, where it enters the sector)."""
    numbers = [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", band.get("d"))]
    return numbers[15] - numbers[1], numbers[9] - numbers[7]


def bands(root: ET.Element) -> dict[str, ET.Element]:
    return {band.find(f"{SVG}title").text: band for band in root.iter(f"{SVG}path")}


def texts(root: ET.Element) -> list[str]:
    return [text.text for text in root.iter(f"{SVG}text")]


# Carrier flows


def test_flow_chart_is_well_formed_and_titled():
    root = parse(carrier_flow_svg([("Diesel", "II Transportation", 800.0)]))

    assert root.get("aria-labelledby") == "flow-chart-title"
    assert root.find(f"{SVG}title").get("id") == "flow-chart-title"
    assert root.find(f"{SVG}title").text == "Emissions from energy carriers to sectors (t CO2e)"


def test_flow_node_heights_are_proportional_to_carrier_totals():
    root = parse(carrier_flow_svg([("Diesel", "I", 100.0), ("Natural gas", "I", 300.0)]))

    first, second = nodes(root, "flow-carrier")

    assert height(first) == pytest.approx(3 * height(second), rel=0.01)


def test_flow_band_thicknesses_follow_the_values():
    root = parse(carrier_flow_svg([("Natural gas", "I", 300.0), ("Diesel", "I", 100.0)]))
    by_title = bands(root)

    gas = band_thicknesses(by_title["Natural gas → I: 300 t CO2e"])
    diesel = band_thicknesses(by_title["Diesel → I: 100 t CO2e"])

    assert gas[0] == pytest.approx(3 * diesel[0], rel=0.01)
    assert gas[1] == pytest.approx(3 * diesel[1], rel=0.01)


def test_flow_sector_node_is_as_tall_as_its_carriers_together():
    root = parse(carrier_flow_svg([("Natural gas", "I", 300.0), ("Diesel", "I", 100.0)]))

    (sector,) = nodes(root, "flow-sector")

    assert height(sector) == pytest.approx(sum(map(height, nodes(root, "flow-carrier"))), abs=0.1)


def test_flow_carriers_are_sorted_by_total_descending():
    flows = [("Diesel", "I", 100.0), ("Natural gas", "I", 300.0), ("Diesel", "II", 250.0)]
    root = parse(carrier_flow_svg(flows))

    tops = [(float(rect.get("y")), rect) for rect in nodes(root, "flow-carrier")]
    order = [text for text in texts(root) if text in {"Diesel", "Natural gas"}]

    assert [height(rect) for _y, rect in sorted(tops, key=lambda pair: pair[0])] == sorted(
        (height(rect) for _y, rect in tops), reverse=True
    )
    assert order == ["Diesel", "Natural gas"]


def test_flow_sectors_keep_their_order_of_first_appearance():
    flows = [("Gas", "III Waste", 10.0), ("Diesel", "I Stationary", 900.0), ("Gas", "II", 5.0)]
    root = parse(carrier_flow_svg(flows))

    sectors = sorted(nodes(root, "flow-sector"), key=lambda rect: float(rect.get("y")))
    labels = [text for text in texts(root) if text in {"III Waste", "I Stationary", "II"}]

    assert labels == ["III Waste", "I Stationary", "II"]
    assert height(sectors[1]) > height(sectors[0])  # drawn top to bottom in that order


def test_flow_tiny_node_stays_visible():
    root = parse(carrier_flow_svg([("Diesel", "I", 1_000_000.0), ("Biogas", "I", 1.0)]))

    assert min(map(height, nodes(root, "flow-carrier"))) == 2.0


def test_flow_labels_carry_their_totals():
    root = parse(carrier_flow_svg([("Diesel", "I", 1_200.0), ("Diesel", "II", 34_000.0)]))

    assert "35,200" in texts(root)
    assert "34,000" in texts(root)


def test_flow_ignores_zero_and_negative_flows():
    flows = [("Diesel", "I", 100.0), ("Coal", "I", 0.0), ("Peat", "II", -5.0)]
    root = parse(carrier_flow_svg(flows))

    assert len(nodes(root, "flow-carrier")) == 1
    assert len(nodes(root, "flow-sector")) == 1
    assert {"Coal", "Peat", "II"}.isdisjoint(texts(root))


@pytest.mark.parametrize("flows", [[], [("Coal", "I", 0.0), ("Peat", "II", -5.0)]])
def test_flow_without_positive_flows_is_empty(flows):
    assert carrier_flow_svg(flows) == ""


def test_flow_band_titles_use_thousands_separators():
    root = parse(carrier_flow_svg([("Diesel", "II Transportation", 1_234_567.4)]))

    assert list(bands(root)) == ["Diesel → II Transportation: 1,234,567 t CO2e"]


def test_flow_escapes_labels():
    carrier, sector = "<script>alert(1)</script>", "Waste & water"
    svg = carrier_flow_svg([(carrier, sector, 10.0)])

    assert "<script>" not in svg
    assert {carrier, sector} <= set(texts(parse(svg)))


def test_flow_chart_grows_with_the_number_of_nodes():
    few = parse(carrier_flow_svg([(f"C{n}", "I", 10.0) for n in range(2)]))
    many = parse(carrier_flow_svg([(f"C{n}", "I", 10.0) for n in range(12)]))

    assert float(many.get("viewBox").split()[3]) > float(few.get("viewBox").split()[3])


# The inventory pages' named charts


@pytest.mark.parametrize(
    ("svg", "chart_id", "title"),
    [
        (
            sector_bars_svg([("I Stationary energy", 1_234.0)]),
            "sector-chart-title",
            "Emissions by sector (t CO2e)",
        ),
        (
            trend_svg([(2019, {"basic": 1.0}), (2022, {"basic": 2.0})], [("basic", "GPC BASIC")]),
            "trend-chart-title",
            "Emissions over the years (t CO2e)",
        ),
    ],
)
def test_inventory_charts_keep_their_titles_and_ids(svg, chart_id, title):
    root = parse(svg)
    heading = root.find(f"{SVG}title")

    assert (root.get("aria-labelledby"), heading.get("id"), heading.text) == (
        chart_id,
        chart_id,
        title,
    )
