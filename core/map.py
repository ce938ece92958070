"""The world map of the offices, drawn server-side as SVG.

The country shapes are Natural Earth's (1:110m, vendored from the ``world-atlas`` npm package under
``static/vendor/world-atlas/``). ``python manage.py build_world_map`` decodes that TopoJSON once,
projects it with the Natural Earth I projection and writes SVG path data per ISO alpha-2 code to
``static/img/world-map.json`` (committed). Pages read that file and shade the countries an office
covers, with a link-marker per office at its coordinates.
"""

import json
import math
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from django.conf import settings

TOPOJSON_PATH = Path(settings.BASE_DIR) / "static/vendor/world-atlas/countries-110m.json"
MAP_DATA_PATH = Path(settings.BASE_DIR) / "static/img/world-map.json"

WIDTH = 1000
# Latitudes shown: Antarctica is left out, the Arctic islands kept.
NORTH, SOUTH = 84.0, -57.0
# Shapes without an ISO code in Natural Earth, drawn with the country that the ISO list counts them in.
UNCODED = {"Somaliland": "SO", "N. Cyprus": "CY"}
LEFT_OUT = {"AQ"}


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al. 2011), in radians-scaled units."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


_X_MAX = natural_earth(180, 0)[0]
_SCALE = WIDTH / (2 * _X_MAX)
_Y_TOP = natural_earth(0, NORTH)[1]
HEIGHT = round((_Y_TOP - natural_earth(0, SOUTH)[1]) * _SCALE)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Map coordinates (0..WIDTH, 0..HEIGHT) of a longitude/latitude."""
    lat = max(min(lat, 89.9), -89.9)
    x, y = natural_earth(lon, lat)
    return round((x + _X_MAX) * _SCALE, 1), round((_Y_TOP - y) * _SCALE, 1)


def _decode_arcs(topology) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def _unwrap(ring):
    """A ring whose longitudes never jump across the antimeridian (world-atlas stitches Russia
    and Fiji into one piece), drawn a second time one world-width over when it goes past ±180:
    the map's edge clips what falls outside."""
    unwrapped = []
    offset = 0.0
    previous = None
    for lon, lat in ring:
        if previous is not None:
            if lon + offset - previous > 180:
                offset -= 360
            elif lon + offset - previous < -180:
                offset += 360
        previous = lon + offset
        unwrapped.append((previous, lat))
    copies = [unwrapped]
    longitudes = [lon for lon, _lat in unwrapped]
    if max(longitudes) > 180:
        copies.append([(lon - 360, lat) for lon, lat in unwrapped])
    if min(longitudes) < -180:
        copies.append([(lon + 360, lat) for lon, lat in unwrapped])
    return copies


def _path(rings, precision: int = 0) -> str:
    """Compact SVG path data: a relative outline per ring, at ``precision`` decimals."""
    parts = []
    for ring in (copy for original in rings if original for copy in _unwrap(original)):
        points = []
        for lon, lat in ring:
            x, y = project(lon, lat)
            point = (round(x, precision), round(y, precision))
            if not points or points[-1] != point:
                points.append(point)
        if len(points) < 3:
            continue
        steps = "".join(
            _fmt(x1 - x0, precision, first=i == 0) + _fmt(y1 - y0, precision)
            for i, ((x0, y0), (x1, y1)) in enumerate(pairwise(points))
        )
        head = points[0]
        parts.append(f"M{_fmt(head[0], precision, True)}{_fmt(head[1], precision)}l{steps}z")
    return "".join(parts)


def _fmt(value: float, precision: int, first: bool = False) -> str:
    """A number for path data, with the separator it needs (a minus sign separates itself)."""
    text = f"{value:.{precision}f}"
    if text in ("-0", "-0.0"):
        text = "0"
    if text.endswith(".0"):
        text = text[:-2]
    if first or text.startswith("-"):
        return text
    return f" {text}"


def build_map_data(topology: dict) -> dict:
    """Projected path data per ISO alpha-2 code from a world-atlas TopoJSON topology."""
    from django_countries import countries

    arcs = _decode_arcs(topology)
    shapes: dict[str, list] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name", "")
        code = countries.alpha2(geometry["id"]) if geometry.get("id") else UNCODED.get(name, "")
        if not code or code in LEFT_OUT:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        shapes.setdefault(code, []).extend(rings)
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "source": "Natural Earth 1:110m via world-atlas 2.0.2 (ISC); Natural Earth I projection",
        # Whole units are precise enough at this width; a country too small for them keeps one
        # decimal so that it still shows.
        "countries": {
            code: _path(rings) or _path(rings, precision=1)
            for code, rings in sorted(shapes.items())
        },
    }


def write_map_data(source: Path = TOPOJSON_PATH, target: Path = MAP_DATA_PATH) -> dict:
    data = build_map_data(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    return data


@lru_cache(maxsize=1)
def map_data() -> dict:
    return json.loads(MAP_DATA_PATH.read_text(encoding="utf-8"))


def office_map(offices, covered_codes) -> dict:
    """What a template needs to draw the map: every country's shape, shaded when covered, and
    a marker per office that has coordinates.

    ``offices`` are Office rows (with ``latitude``/``longitude``); ``covered_codes`` maps an ISO
    alpha-2 code to what covers it (a Coverage row).
    """
    data = map_data()
    covered = {str(code).upper(): value for code, value in dict(covered_codes).items()}
    shapes = [
        {"code": code, "path": path, "covered": code in covered, "coverage": covered.get(code)}
        for code, path in data["countries"].items()
    ]
    markers = []
    for office in offices:
        if office.latitude is None or office.longitude is None:
            continue
        x, y = project(float(office.longitude), float(office.latitude))
        markers.append({"office": office, "x": x, "y": y})
    return {
        "width": data["width"],
        "height": data["height"],
        "shapes": shapes,
        "markers": markers,
    }
