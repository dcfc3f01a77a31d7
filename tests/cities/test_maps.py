import json
import re
from pathlib import Path

import pytest

from cityzero.cities.maps import (
    BACKGROUND,
    COUNTRY_FILL,
    MAP_FILE,
    STATUS_COLOURS,
    MapPoint,
    RoundBar,
    europe_map,
    europe_map_svg,
    label_timeline_svg,
    project,
)

CITIES_FILE = Path(MAP_FILE).with_name("mission_cities.json")


def country(name: str) -> dict[str, str]:
    return next(c for c in europe_map()["countries"] if c["name"] == name)


def path_points(d: str) -> list[tuple[float, float]]:
    """Absolute points of a path made of `M x y l dx dy dx dy … z` rings."""
    points = []
    for start_x, start_y, steps in re.findall(r"M(-?[\d.]+) (-?[\d.]+)l([^z]*)z", d):
        x, y = float(start_x), float(start_y)
        points.append((x, y))
        numbers = [float(n) for n in re.findall(r"-?[\d.]+", steps)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


def path_bounds(d: str) -> tuple[float, float, float, float]:
    xs, ys = zip(*path_points(d), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def inside(point: tuple[float, float], bounds: tuple[float, float, float, float]) -> bool:
    x, y = point
    return bounds[0] <= x <= bounds[2] and bounds[1] <= y <= bounds[3]


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted([luminance(a), luminance(b)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mission_points() -> list[MapPoint]:
    cities = json.loads(CITIES_FILE.read_text(encoding="utf-8"))
    return [
        MapPoint(
            c["name"],
            f"/cities/{i}/",
            "labelled" if c["label_round"] else "selected",
            c["longitude"],
            c["latitude"],
        )
        for i, c in enumerate(cities)
    ]


def test_map_file_is_small_and_has_malta_and_cyprus():
    assert MAP_FILE.stat().st_size < 40 * 1024
    assert {"Malta", "Cyprus", "France", "Iceland", "Turkey", "Israel"} <= {
        c["name"] for c in europe_map()["countries"]
    }
    assert country("Kosovo")["id"] == "Kosovo"  # no ISO code: the name stands in
    assert country("France")["id"] == "250"


def test_centre_projects_to_the_offsets():
    params = europe_map()["projection"]
    assert (params["center_longitude"], params["center_latitude"]) == (10, 52)
    assert project(10, 52) == pytest.approx((params["x_offset"], params["y_offset"]))


def test_north_is_up_and_east_is_right():
    x, y = project(10, 52)
    assert project(10, 60)[1] < y
    assert project(20, 52)[0] > x


def test_paris_lies_in_france_and_valletta_in_malta():
    assert inside(project(2.3522, 48.8566), path_bounds(country("France")["d"]))
    assert inside(project(14.5146, 35.8989), path_bounds(country("Malta")["d"]))
    assert not inside(project(2.3522, 48.8566), path_bounds(country("Malta")["d"]))


def test_every_mission_city_projects_into_the_view_box():
    x0, y0, width, height = europe_map()["view_box"]
    assert width == 1000
    for point in mission_points():
        assert inside(
            project(point.longitude, point.latitude), (x0, y0, x0 + width, y0 + height)
        ), point.name


def test_map_svg_is_accessible():
    svg = europe_map_svg(mission_points())
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'aria-labelledby="europe-map-title europe-map-desc"' in svg
    assert '<title id="europe-map-title">' in svg and '<desc id="europe-map-desc">' in svg
    assert svg.count("<a href=") == 112
    assert 'aria-label="Paris — Mission Label awarded"' in svg
    assert 'aria-label="Tartu — Mission city"' in svg
    assert "style" not in svg


def test_map_legend_shows_the_statuses_present():
    svg = europe_map_svg(
        [MapPoint("A", "/a/", "labelled", 10, 50), MapPoint("B", "/b/", "applicant", 12, 50)]
    )
    legend = svg[svg.index('class="map-legend"') :]
    assert "Mission Label awarded" in legend and "Applicant" in legend
    assert "Not a mission city" not in legend
    assert STATUS_COLOURS["labelled"] in legend and STATUS_COLOURS["applicant"] in legend


def test_names_and_urls_are_escaped():
    svg = europe_map_svg([MapPoint("<script>alert(1)</script>", '/x/?a=1&b="2"', "none", 10, 50)])
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert 'href="/x/?a=1&amp;b=&quot;2&quot;"' in svg


@pytest.mark.parametrize("colour", STATUS_COLOURS.values())
def test_status_colours_contrast_at_least_3_to_1(colour):
    assert contrast(colour, BACKGROUND) >= 3
    assert contrast(colour, COUNTRY_FILL) >= 3


def test_timeline_prints_counts_and_cumulative_total():
    svg = label_timeline_svg(
        [RoundBar("Oct 2023", 10), RoundBar("Mar 2024", 23), RoundBar("<b>", 3)]
    )
    assert 'aria-labelledby="label-timeline-title label-timeline-desc"' in svg
    assert svg.count("<rect") == 3 + 1  # three bars and the legend swatch
    assert ">10</text>" in svg and ">23</text>" in svg and ">36</text>" in svg  # 36 = 10 + 23 + 3
    assert "Oct 2023: 10. Mar 2024: 23." in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert "<polyline" in svg and "style" not in svg


def test_timeline_without_rounds_renders():
    svg = label_timeline_svg([])
    assert svg.endswith("</svg>") and "<polyline" not in svg
