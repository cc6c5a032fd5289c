#!/usr/bin/env python3
"""Build the boundaries of Hong Kong and Macao for the county level.

Run from the repository root, after data/build_counties.py:

    python3 data/build_sar_boundaries.py COUNTRIES_10M_JSON

The county map (data/counties.geojson) has no unit for the two SARs, but its
country outline (data/provinces.geojson, layer `country`, cut from the same
TopoJSON) covers them. So each SAR is the part of the country outline that no
county unit covers, near the SAR's Natural Earth outline:

1. Edge cancellation: every segment of the country outline (interior on the
   left), and every segment of every county unit reversed; a segment met by
   its reverse cancels. What is left bounds the country minus the units
   (the SARs, Taiwan, Kinmen and slivers along the coast), stitched into rings.
2. A ring is a SAR's when it holds at least a fifth of the vertices of the
   SAR's Natural Earth outline (the SAR's main bodies), or when it touches no
   county unit (an island) and lies within 5.5 km of that outline. Slivers
   along the Shenzhen and Zhuhai coasts touch their units and are left out,
   and so is a ring that crosses itself (one 1.3 km² island near Ma Wan, a
   bowtie of the source's simplification).

The SARs then share their land borders with the Shenzhen and Zhuhai units
vertex for vertex, so circles dissolve them by edge cancellation with no
overlap. COUNTRIES_10M_JSON is `countries-10m.json` of the npm package
world-atlas 2.0.2 (`npm pack world-atlas@2.0.2`), a quantized TopoJSON
redistribution of Natural Earth's 1:10m Admin 0 countries, version 4.1.0
(public domain; the package is ISC-licensed), used to pick the rings and as a
check on their areas. Standard library only; deterministic. Writes:

- data/sar_boundaries.geojson   two features, property `id` = the SARs' node ids
                                (`hong-kong`, `macao`), WGS84 MultiPolygons,
                                RFC 7946 ring order, the vertices of
                                data/counties.geojson and data/provinces.geojson

The binary reads it beside data/counties.geojson as one set of unit boundaries
(src/geometry/boundaries.rs). Prints each SAR's area to stderr and exits
non-zero when a check fails.
"""
import hashlib
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
# The TopoJSON decoding and the shoelace area of the county build, shared.
from build_counties import decode_arcs, ring_points, signed_area  # noqa: E402

OUT = Path(__file__).parent
DECIMALS = 4  # as data/counties.geojson
# ISO 3166-1 numeric code in world-atlas -> node id in data/cities.csv.
SARS = (("344", "hong-kong", "Hong Kong"), ("446", "macao", "Macao"))
# Geodesic areas of the Natural Earth 1:10m outlines (km²), within 2 %: a check
# that the TopoJSON was decoded right (the 1:10m outlines leave out the small
# islands and recent reclamation).
NE_KM2 = {"hong-kong": 1039.0, "macao": 29.9}
# Land areas (km²), about: Hong Kong 1,106, Macao 33 (the figures of the task
# brief; the official ones move with reclamation). The derived outlines must be
# within 3 % of them.
OFFICIAL_KM2 = {"hong-kong": 1106.0, "macao": 33.0}
ISLAND_KM = 5.5
R_KM = 6371.0088  # mean Earth radius


def geodesic_km2(ring):
    """Area of a closed lon/lat ring on the sphere (km², unsigned)."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += math.radians(x2 - x1) * (2 + math.sin(math.radians(y1)) + math.sin(math.radians(y2)))
    return abs(s) * R_KM * R_KM / 2


def rfc7946_ring(points, exterior):
    """Rounded, consecutive duplicates dropped, closed, exterior counter-clockwise
    and holes clockwise; None when fewer than three distinct points are left."""
    pts = []
    for lon, lat in points:
        p = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not pts or p != pts[-1]:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    a = signed_area(pts)
    if len(pts) < 4 or a == 0:
        return None
    if (a > 0) != exterior:
        pts.reverse()
    return pts


def fmt(v):
    return f"{v:.{DECIMALS}f}".rstrip("0").rstrip(".")


def remainder_rings(country, units):
    """Rings bounding the country minus the units (lists of polygons of rings
    of (lon, lat)), each ring with whether one of its segments is a unit's."""
    left = {}
    for polys, from_unit in ((country, False), (units, True)):
        for poly in polys:
            for ring in poly:
                pts = [tuple(p) for p in ring]
                for a, b in zip(pts, pts[1:]):
                    if a == b:
                        continue
                    if from_unit:
                        a, b = b, a
                    if left.get((b, a)):
                        left[(b, a)].pop()
                        if not left[(b, a)]:
                            del left[(b, a)]
                    else:
                        left.setdefault((a, b), []).append(from_unit)
    out = {}
    for (a, b), srcs in sorted(left.items()):
        for s in srcs:
            out.setdefault(a, []).append((b, s))
    rings = []
    for start in sorted(out):
        while out.get(start):
            ring, touches, v = [start], False, start
            while True:
                if not out.get(v):
                    sys.exit(f"remainder ring open at {v}")
                w, s = out[v].pop()
                ring.append(w)
                touches |= s
                v = w
                if v == start:
                    break
            rings.append((ring, touches))
    return rings


def crosses_itself(ring):
    """Whether two segments of the ring cross or touch away from their shared
    ends (a bowtie left by the source's simplification)."""
    def orient(p, q, r):
        v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
        return (v > 0) - (v < 0)

    def on(p, q, r):
        return (orient(p, q, r) == 0 and min(p[0], q[0]) <= r[0] <= max(p[0], q[0])
                and min(p[1], q[1]) <= r[1] <= max(p[1], q[1]))
    segs = list(zip(ring, ring[1:]))
    for i, (a, b) in enumerate(segs):
        for c, d in segs[i + 1:]:
            if max(a[0], b[0]) < min(c[0], d[0]) or max(c[0], d[0]) < min(a[0], b[0]) \
                    or max(a[1], b[1]) < min(c[1], d[1]) or max(c[1], d[1]) < min(a[1], b[1]):
                continue
            if orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0:
                return True
            if any(r not in (p, q) and on(p, q, r) for p, q, r in ((a, b, c), (a, b, d), (c, d, a), (c, d, b))):
                return True
    return False


def point_in_ring(x, y, ring):
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def km_to_outline(ring, polys):
    """Least distance (km, local equirectangular) from the ring's vertices to
    the outline's vertices and back: 0 when they cross or one holds the other."""
    pts = [p for poly in polys for r in poly for p in r]
    if any(point_in_ring(x, y, ring) for x, y in pts) or any(
            point_in_ring(x, y, poly[0]) for poly in polys for x, y in ring):
        return 0.0
    k = math.cos(math.radians(ring[0][1]))
    return min(math.hypot((x - u) * k, y - v) for x, y in ring for u, v in pts) * 111.32


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 data/build_sar_boundaries.py COUNTRIES_10M_JSON (world-atlas 2.0.2)")
    src = Path(sys.argv[1])
    raw = src.read_bytes()
    topo = json.loads(raw)
    arcs = decode_arcs(topo)
    by_code = {g.get("id"): g for g in topo["objects"]["countries"]["geometries"]}
    ok = True
    ne = {}
    for code, node, name in SARS:
        g = by_code.get(code)
        if g is None or g["properties"].get("name") != name:
            sys.exit(f"{src}: no country {code} named {name!r}")
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        ne[node] = [[rfc7946_ring(ring_points(arcs, r), k == 0) for k, r in enumerate(p)] for p in polys]
        ne[node] = [[r for r in p if r is not None] for p in ne[node] if p[0] is not None]
        km2 = sum(geodesic_km2(p[0]) - sum(geodesic_km2(h) for h in p[1:]) for p in ne[node])
        good = abs(km2 / NE_KM2[node] - 1) < 0.02
        ok &= good
        print(f"{node}: Natural Earth outline {km2:.1f} km² (expected {NE_KM2[node]}){'' if good else '  <-- FAIL'}",
              file=sys.stderr)

    def geometries(path):
        with open(OUT / path, encoding="utf-8") as f:
            return json.load(f)["features"]
    units = [p for f in geometries("counties.geojson") for p in f["geometry"]["coordinates"]]
    country = [p for f in geometries("provinces.geojson") if f["properties"]["layer"] == "country"
               for p in f["geometry"]["coordinates"]]
    rings = remainder_rings(country, units)
    lines = []
    for code, node, name in SARS:
        ne_pts = [p for poly in ne[node] for r in poly for p in r]
        shells, holes = [], []
        for ring, touches in rings:
            if signed_area(ring) < 0:
                holes.append(ring)
                continue
            held = sum(point_in_ring(x, y, ring) for x, y in ne_pts) / len(ne_pts)
            if held >= 0.2 or (not touches and km_to_outline(ring, ne[node]) <= ISLAND_KM):
                if crosses_itself(ring):
                    print(f"{node}: ring at {ring[0]} ({geodesic_km2(ring):.2f} km²) crosses itself in the "
                          "county map's country outline: left out", file=sys.stderr)
                    continue
                shells.append(ring)
        polys = [[s] + [h for h in holes if all(point_in_ring(x, y, s) for x, y in h[:-1])] for s in shells]
        polys.sort(key=lambda p: (-geodesic_km2(p[0]), p[0][0]))
        km2 = sum(geodesic_km2(p[0]) - sum(geodesic_km2(h) for h in p[1:]) for p in polys)
        good = abs(km2 / OFFICIAL_KM2[node] - 1) < 0.03
        ok &= good
        print(f"{node}: {len(polys)} polygons, {sum(len(r) for p in polys for r in p)} positions, {km2:.1f} km² "
              f"(land area about {OFFICIAL_KM2[node]:.0f}){'' if good else '  <-- FAIL'}", file=sys.stderr)
        coords = "[" + ",".join(
            "[" + ",".join("[" + ",".join(f"[{fmt(x)},{fmt(y)}]" for x, y in r) + "]" for r in p) + "]"
            for p in polys) + "]"
        props = {"id": node, "name": name,
                 "source": "the country outline of china-counties less every county unit; rings picked with "
                           f"Natural Earth 1:10m Admin 0 v4.1.0 (world-atlas 2.0.2, ISO {code})"}
        lines.append('{"type":"Feature","properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
                     + ',"geometry":{"type":"MultiPolygon","coordinates":' + coords + "}}")
    path = OUT / "sar_boundaries.geojson"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n")
    print(f"{path.name}: {path.stat().st_size:,} bytes; Natural Earth from {src.name} "
          f"(sha256 {hashlib.sha256(raw).hexdigest()[:16]})", file=sys.stderr)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
