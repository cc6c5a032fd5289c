#!/usr/bin/env python3
"""Build the county-level links of the embedded dataset (issue 13, step 3).

Run from the repository root, after data/build_counties.py and data/build_dataset.py:

    python3 data/build_county_links.py           # write the two files
    python3 data/build_county_links.py --check   # exit 1 if the committed files differ from a build

Standard library only, deterministic (byte-identical on every run), about a second.
It reads only files in data/:

- counties.csv, county_neighbours.csv, counties.geojson   the county-level units
- cities.csv                                              the prefecture-level nodes
- src/county_stations.csv, src/county_rail_links.csv      stations and rail runs

and writes:

- data/county_links.csv   links between county units and city nodes, with the
                          columns of data/links.csv (data/README.md, section 8):
                          road links between neighbouring units, a road link from
                          every unit to its prefecture centre, and the rail runs of
                          src/county_rail_links.csv with stations replaced by the
                          unit that holds them;
- data/counties.csv       rewritten with its columns access_hsr_min and
                          access_rail_min (the last two before `point`) recomputed:
                          the modelled road minutes from the unit's point (its seat
                          or pole, data/README.md section 7) to its main station of
                          that kind; empty when the unit has none. The other
                          columns are copied unchanged.

The road-time model ("model:road v1") is the function `road_minutes`; its
parameters are the constants below, fitted by data/src/check_county_roads.py
against the driving times in data/src/driving_times.csv.
"""
import csv
import io
import json
import math
import sys
from pathlib import Path

DATA = Path(__file__).parent

# --- Road model v1 (fitted by data/src/check_county_roads.py --fit on the units' seats, December
# 2026; T, v_expressway and long_km at the edge of its grid; data/README.md 8.2) ---
# minutes = TERMINAL_MIN + road_km * (share of the road in each end unit / that unit's speed),
# road_km = CIRCUITY * great-circle km. Each end unit takes half of the link; the speed of an
# end is set by its class (density of its resident population), and on long hops the
# non-urban ends run at expressway speed.
PARAMS = {
    "circuity": 1.0,  # road km per great-circle km
    "terminal_min": 8.0,  # fixed minutes per link: leaving and joining roads, junctions
    "dense_per_km2": 3000.0,  # an end unit at or above this density is "urban"
    "mid_per_km2": 500.0,  # at or above this (and below dense) it is "suburban"
    "v_urban": 55.0,  # km/h in urban units
    "v_suburban": 60.0,  # km/h in suburban units
    "v_rural": 60.0,  # km/h in rural units on short hops
    "v_expressway": 110.0,  # km/h for non-urban ends on hops of at least long_km
    "long_km": 50.0,  # great-circle km from which a hop counts as long
    "plateau": 1.4,  # time factor when an end lies in Tibet or Qinghai (as in build_dataset.py)
}
PLATEAU_PROVINCES = {"Tibet", "Qinghai"}
# Units with no land border and no fixed link to the mainland: joined to their
# prefecture centre by ferry, not by road (data/README.md, section 8).
FERRY_UNITS = {"210224", "330922", "460301", "460302", "460303"}
FERRY = {"speed_kmh": 25.0, "terminal_min": 30.0, "circuity": 1.1}
# Road links at least this long and at least this fast are written as `expressway`.
EXPRESSWAY_MIN_KM, EXPRESSWAY_MIN_KMH = 30.0, 50.0

# Rail: how a county_rail_links.csv mode becomes a links.csv mode (data/README.md, 2.4:
# `hsr` is design speed >= 200 km/h). Intercity lines slower than this on average, stops
# included, are 160 km/h designs or suburban services and become `rail`.
INTERCITY_HSR_MIN_KMH = 100.0
STATION_KIND_MODE = {"hsr": "hsr", "intercity": "hsr", "rail": "rail", "metro-regional": "rail"}

LINK_COLUMNS = ["from", "to", "mode", "minutes", "km", "services_per_day", "line", "opened", "oneway", "source"]


def read_csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fail(msg):
    sys.exit(f"build_county_links.py: {msg}")


def haversine_km(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


# --- Point in polygon, for the unit that holds each city centre ----------------------

def load_polygons():
    """id -> list of polygons (list of rings of (lon, lat)) from counties.geojson."""
    polys = {}
    with open(DATA / "counties.geojson", encoding="utf-8") as f:
        gj = json.load(f)
    for feat in gj["features"]:
        polys[str(feat["properties"]["id"])] = feat["geometry"]["coordinates"]
    return polys


def in_ring(x, y, ring):
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def unit_at(polys, candidates, lon, lat):
    """The first candidate unit whose polygon holds the point, else the nearest by vertex."""
    for cid in candidates:
        for poly in polys[cid]:
            if in_ring(lon, lat, poly[0]) and not any(in_ring(lon, lat, h) for h in poly[1:]):
                return cid
    best = None
    for cid in candidates:
        d = min(haversine_km(lon, lat, x, y) for poly in polys[cid] for x, y in poly[0])
        if best is None or d < best[0]:
            best = (d, cid)
    return best[1] if best else None


# --- The road model ------------------------------------------------------------------

def speed_class(unit, p=PARAMS):
    d = unit["pop_2020"] / max(unit["area_km2"], 0.01)
    if d >= p["dense_per_km2"]:
        return "urban"
    if d >= p["mid_per_km2"]:
        return "suburban"
    return "rural"


def end_speed(cls, long_hop, p=PARAMS):
    if cls == "urban":
        return p["v_urban"]
    if long_hop:
        return p["v_expressway"]
    return p["v_suburban"] if cls == "suburban" else p["v_rural"]


def road_minutes(gc_km, end_a, end_b, p=PARAMS):
    """Modelled road km and minutes between two points `gc_km` apart.

    `end_a`, `end_b` are (speed class, plateau?) of the units the two points lie in;
    half of the road runs in each.
    """
    km = p["circuity"] * gc_km
    long_hop = gc_km >= p["long_km"]
    hours = 0.0
    for cls, plateau in (end_a, end_b):
        v = end_speed(cls, long_hop, p)
        hours += 0.5 * km / v * (p["plateau"] if plateau else 1.0)
    return km, p["terminal_min"] + 60.0 * hours


def model_tag(p=PARAMS):
    # Short, because it is repeated on every modelled row (the embedded file
    # is parsed on every county-level load); the README section spells it out.
    return ("model:road v1 (data/README.md 8.2: circuity {circuity}, +{terminal_min} min, "
            "{v_urban}/{v_suburban}/{v_rural} km/h, {v_expressway} on hops >= {long_km} km)").format(**p)


def fmt_num(v, nd=1):
    s = f"{v:.{nd}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


# --- Loading -------------------------------------------------------------------------

def load_units():
    units = {}
    for r in read_csv("counties.csv"):
        units[r["id"]] = {
            "id": r["id"], "name_zh": r["name_zh"], "prefecture": r["prefecture"], "province": r["province"],
            "pop_2020": int(r["pop_2020"]), "area_km2": float(r["area_km2"]),
            "lon": float(r["lon"]), "lat": float(r["lat"]), "row": r,
        }
    return units


def load_cities():
    return {r["id"]: {"id": r["id"], "province": r["province"], "lon": float(r["lon"]), "lat": float(r["lat"])}
            for r in read_csv("cities.csv")}


class Nodes:
    """Node coordinates and road-model end classes for county units and city centres."""

    def __init__(self, units, cities, polys, p=PARAMS):
        self.units, self.cities, self.p = units, cities, p
        by_pref = {}
        for u in units.values():
            by_pref.setdefault(u["prefecture"], []).append(u["id"])
        # The unit holding each city centre gives the centre's speed class.
        self.centre_unit = {}
        for cid, c in sorted(cities.items()):
            cands = sorted(by_pref.get(cid, []))
            if cands:
                self.centre_unit[cid] = unit_at(polys, cands, c["lon"], c["lat"])

    def point(self, nid):
        n = self.units.get(nid) or self.cities[nid]
        return n["lon"], n["lat"]

    def end(self, nid, p=None):
        p = p or self.p
        if nid in self.units:
            u = self.units[nid]
        else:
            u = self.units.get(self.centre_unit.get(nid))
            if u is None:  # Hong Kong, Macao: no units; urban
                return ("urban", False)
        return (speed_class(u, p), u["province"] in PLATEAU_PROVINCES)


def ring_contains(ring, x, y):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def home_units(units, cities):
    """city id -> the unit of that prefecture whose polygon holds the city's centre point
    (data/counties.geojson); a centre in no unit's polygon has none."""
    with open(DATA / "counties.geojson", encoding="utf-8") as fh:
        shapes = json.load(fh)["features"]
    by_pref = {}
    for f in shapes:
        uid = str(f["properties"].get("id") or f["properties"].get("adcode"))
        if uid in units:
            by_pref.setdefault(units[uid]["prefecture"], []).append((uid, f["geometry"]))
    home = {}
    for cid, c in sorted(cities.items()):
        x, y = float(c["lon"]), float(c["lat"])
        for uid, g in sorted(by_pref.get(cid, [])):
            polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
            if any(ring_contains(p[0], x, y) and not any(ring_contains(h, x, y) for h in p[1:]) for p in polys):
                home[cid] = uid
                break
    return home


def road_pairs(units, cities, neighbours):
    """(a, b, kind) for every modelled link: neighbour pairs, then unit -> prefecture centre
    (kind `home` for the unit that holds the centre)."""
    pairs = []
    for r in neighbours:
        pairs.append((r["a"], r["b"], "neighbour"))
    home = home_units(units, cities)
    for uid in sorted(units):
        pref = units[uid]["prefecture"]
        if pref not in cities:
            fail(f"counties.csv: unit {uid} names prefecture {pref!r}, which is not in cities.csv")
        pairs.append((uid, pref, "home" if home.get(pref) == uid else "centre"))
    return pairs


def road_rows(nodes, pairs, p=PARAMS):
    """Rows of the modelled links (dicts with LINK_COLUMNS)."""
    tag = model_tag(p)
    rows = []
    for a, b, kind in pairs:
        (x1, y1), (x2, y2) = nodes.point(a), nodes.point(b)
        gc = haversine_km(x1, y1, x2, y2)
        if kind in ("centre", "home") and a in FERRY_UNITS:
            km = FERRY["circuity"] * gc
            minutes = FERRY["terminal_min"] + 60.0 * km / FERRY["speed_kmh"]
            mode = "ferry"
            src = (f"model:ferry v1 (km = {FERRY['circuity']} x great-circle; minutes = {FERRY['terminal_min']:.0f} + km at "
                   f"{FERRY['speed_kmh']:.0f} km/h; an island unit with no fixed link, not calibrated; data/README.md 8)")
        else:
            km, minutes = road_minutes(gc, nodes.end(a, p), nodes.end(b, p), p)
            mode = None  # set below, from the figures as written
            src = tag + {"neighbour": "; neighbouring units (county_neighbours.csv)",
                         "centre": "; unit to its prefecture centre",
                         "home": "; unit to the centre inside it (driving only, no terminal minutes)"}[kind]
            if kind == "home":
                # The centre lies in this unit: the link crosses town, it does not leave
                # one unit for another, so it pays no terminal minutes.
                minutes -= p["terminal_min"]
        # At least one minute and 0.1 km, so that a unit whose point is at the centre
        # still has a positive link.
        minutes = max(1.0, minutes)
        km = max(0.1, km)
        if mode is None:
            # Classified on the rounded figures of the file, so that a reader computing
            # km / minutes finds every expressway at EXPRESSWAY_MIN_KMH or more.
            kw, mw = float(fmt_num(km)), float(fmt_num(minutes))
            mode = "expressway" if kw >= EXPRESSWAY_MIN_KM and kw / mw * 60.0 >= EXPRESSWAY_MIN_KMH else "road"
        rows.append({"from": a, "to": b, "mode": mode, "minutes": fmt_num(minutes), "km": fmt_num(km),
                     "services_per_day": "", "line": "", "opened": "", "oneway": "", "source": src})
    return rows


# --- Rail ------------------------------------------------------------------------------

def station_table(units, cities):
    """station_zh -> station row with its node id (the unit, or a city id for Hong Kong)."""
    by_adcode_city = {}
    for r in read_csv("cities.csv"):
        if r["adcode"]:
            by_adcode_city[r["adcode"]] = r["id"]
    stations = {}
    for i, s in enumerate(read_csv("src/county_stations.csv"), start=2):
        code = s["adcode"]
        if code in units:
            node = code
        elif code in by_adcode_city and not any(u["prefecture"] == by_adcode_city[code] for u in units.values()):
            node = by_adcode_city[code]  # 810000: Hong Kong has no county unit
        else:
            fail(f"src/county_stations.csv line {i}: adcode {code!r} of {s['station_zh']} is neither a unit nor a city")
        if s["station_zh"] in stations:
            fail(f"src/county_stations.csv line {i}: station {s['station_zh']} repeated")
        stations[s["station_zh"]] = dict(s, node=node, lon=float(s["lon"]), lat=float(s["lat"]))
    return stations


def rail_rows(nodes, stations, cities):
    """Rail links between nodes, merged per (pair, mode); and the (node, mode) -> stations map."""
    best = {}
    served = {}  # (node, mode) -> {station_zh: services}
    dropped_same = 0
    for i, r in enumerate(read_csv("src/county_rail_links.csv"), start=2):
        ends = []
        for col in ("from_station", "to_station"):
            name = r[col]
            if name in stations:
                ends.append((stations[name]["node"], name))
            elif name in cities:
                ends.append((name, None))
            else:
                fail(f"src/county_rail_links.csv line {i}: {col} {name!r} is neither a station nor a city id")
        minutes, km = float(r["minutes"]), float(r["km"])
        if not (minutes > 0 and km > 0):
            fail(f"src/county_rail_links.csv line {i}: minutes and km must be positive")
        mode = r["mode"]
        note = []
        if mode == "intercity":
            if km / minutes * 60 < INTERCITY_HSR_MIN_KMH:
                mode = "rail"
                note.append(f"mode: intercity line at {km / minutes * 60:.0f} km/h average, written as rail")
            else:
                mode = "hsr"
                note.append("mode: intercity line (design >= 200 km/h), written as hsr")
        elif mode not in ("hsr", "rail"):
            fail(f"src/county_rail_links.csv line {i}: unknown mode {mode!r}")
        (a, sa), (b, sb) = ends
        if a == b:
            dropped_same += 1
            continue
        services = int(r["services_per_day"]) if r["services_per_day"] else 0
        for node, st in ends:
            if st is not None:
                served.setdefault((node, mode), {}).setdefault(st, 0)
                served[(node, mode)][st] += services
        # km stays the station-to-station figure of the source: a node's point is its
        # representative point, not its station, and the road between the two is the
        # unit's access_hsr_min / access_rail_min in counties.csv.
        src = r["source"]
        names = [x for x in (sa, sb) if x]
        if names:
            src += "; station -> unit: " + ", ".join(f"{n} in {stations[n]['node']}" for n in names)
        if note:
            src += "; " + "; ".join(note)
        row = {"from": a, "to": b, "mode": mode, "minutes": fmt_num(minutes), "km": fmt_num(km),
               "services_per_day": r["services_per_day"], "line": r["line"], "opened": r["opened"], "oneway": "",
               "source": src, "_min": minutes, "_line": i}
        key = (min(a, b), max(a, b), mode)
        best.setdefault(key, []).append(row)
    rows = []
    merged = 0
    for key in sorted(best):
        cands = sorted(best[key], key=lambda x: (x["_min"], x["_line"]))
        keep = dict(cands[0])
        if len(cands) > 1:
            merged += len(cands) - 1
            others = "; ".join(f"{c['line']} {fmt_num(c['_min'])} min (line {c['_line']})" for c in cands[1:])
            keep["source"] += f"; merged: fastest of {len(cands)} runs between these nodes, also {others}"
        rows.append(keep)
    return rows, served, dropped_same, merged


def main_stations(nodes, stations, served, p=PARAMS):
    """(unit, mode) -> (station, access minutes): the busiest station of that mode in the unit."""
    out = {}
    for (node, mode), sts in sorted(served.items()):
        if node not in nodes.units:
            continue
        u = nodes.units[node]

        def access(st):
            s = stations[st]
            gc = haversine_km(u["lon"], u["lat"], s["lon"], s["lat"])
            e = nodes.end(node, p)
            return road_minutes(gc, e, e, p)[1]

        st = sorted(sts, key=lambda s: (-sts[s], access(s), s))[0]
        out[(node, mode)] = (st, access(st))
    return out


def links_text(rows):
    f = io.StringIO()
    w = csv.DictWriter(f, LINK_COLUMNS, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return f.getvalue()


def counties_text(access):
    """counties.csv with its access columns replaced (or inserted before a last `point` column)."""
    with open(DATA / "counties.csv", encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        body = list(r)
    extra = ["access_hsr_min", "access_rail_min"]
    # `point` (seat or pole, written by build_counties.py) stays the last column.
    tail = [h for h in ("point",) if h in header]
    keep = [i for i, h in enumerate(header) if h not in extra and h not in tail]
    keep_tail = [header.index(h) for h in tail]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([header[i] for i in keep] + extra + tail)
    for row in body:
        uid = row[0]
        vals = []
        for mode in ("hsr", "rail"):
            a = access.get((uid, mode))
            vals.append(fmt_num(max(1.0, a[1])) if a else "")
        w.writerow([row[i] for i in keep] + vals + [row[i] for i in keep_tail])
    return out.getvalue()


def write_or_check(name, text, check):
    """Write data/NAME, or with --check report whether it already holds `text`."""
    path = DATA / name
    if check:
        with open(path, encoding="utf-8", newline="") as f:
            same = f.read() == text
        print(f"{name}: {'up to date' if same else 'DIFFERS from the build'}", file=sys.stderr)
        return same
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    tmp.replace(path)
    return True


def build(p=PARAMS):
    """Everything but the writing: (rows, access, stats)."""
    units, cities = load_units(), load_cities()
    nodes = Nodes(units, cities, load_polygons(), p)
    pairs = road_pairs(units, cities, read_csv("county_neighbours.csv"))
    roads = road_rows(nodes, pairs, p)
    stations = station_table(units, cities)
    rails, served, same, merged = rail_rows(nodes, stations, cities)
    access = main_stations(nodes, stations, served, p)
    return roads + rails, access, {"roads": len(roads), "rails": len(rails), "same_node": same, "merged": merged,
                                   "nodes": nodes}


def main():
    rows, access, st = build()
    linked = {r["from"] for r in rows} | {r["to"] for r in rows}
    missing = sorted(set(st["nodes"].units) - linked)
    if missing:
        fail(f"units without a link: {missing}")
    check = "--check" in sys.argv[1:]
    # Both texts are built before either file is touched.
    texts = [("county_links.csv", links_text(rows)), ("counties.csv", counties_text(access))]
    ok = all([write_or_check(name, text, check) for name, text in texts])
    modes = {}
    for r in rows:
        modes[r["mode"]] = modes.get(r["mode"], 0) + 1
    print(f"county_links.csv: {len(rows)} rows ({', '.join(f'{m} {n}' for m, n in sorted(modes.items()))}); "
          f"{st['roads']} modelled, {st['rails']} rail; rail runs dropped within one node: {st['same_node']}, "
          f"merged as duplicates: {st['merged']}", file=sys.stderr)
    hsr = sum(1 for k in access if k[1] == "hsr")
    rail = sum(1 for k in access if k[1] == "rail")
    print(f"counties.csv: access_hsr_min for {hsr} units, access_rail_min for {rail}", file=sys.stderr)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
