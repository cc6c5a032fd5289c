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
- src/county_fixed_links.csv                              hand-built links naming units

and writes:

- data/county_links.csv   links between county units and city nodes, with the
                          columns of data/links.csv (data/README.md, section 8):
                          road links between neighbouring units, "through" road
                          links between close units that are not neighbours (so a
                          trip pays the fixed minutes about once, not in every unit
                          crossed), a road link from every unit to its prefecture
                          centre, and the rail runs of
                          src/county_rail_links.csv with stations replaced by the
                          unit that holds them, and the hand-built links of
                          src/county_fixed_links.csv (cross-boundary roads
                          between Hong Kong and Shenzhen's units), their
                          `source` prefixed with "fixed: ";
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

# --- Road model v2 (fitted by data/src/check_county_roads.py --fit on the units' seats with the
# through links, December 2026; T at the edge of its grid; data/README.md 8.2) ---
# road_km = CIRCUITY * great-circle km; minutes = TERMINAL_MIN + the time of each piece of the
# road: in each end unit for at most that unit's radius (and half the road) at the end's speed,
# the rest through the units between at theirs (road_minutes). The speed of a unit is set by
# its class (density of its resident population); on long hops non-urban units run at
# expressway speed.
PARAMS = {
    "circuity": 1.05,  # road km per great-circle km
    "terminal_min": 8.0,  # fixed minutes per link: leaving and joining roads, junctions
    "dense_per_km2": 3000.0,  # an end unit at or above this density is "urban"
    "mid_per_km2": 500.0,  # at or above this (and below dense) it is "suburban"
    "v_urban": 45.0,  # km/h in urban units
    "v_suburban": 55.0,  # km/h in suburban units
    "v_rural": 55.0,  # km/h in rural units on short hops
    "v_expressway": 100.0,  # km/h for non-urban ends on hops of at least long_km
    "long_km": 30.0,  # great-circle km from which a hop counts as long
    "plateau": 1.4,  # time factor when an end lies in Tibet or Qinghai (as in build_dataset.py)
    # Through links (model v2): a direct road between two units that are not neighbours, so that
    # a trip pays terminal_min once per link rather than once per unit crossed. Two units get one
    # when their points are at most through_km apart (great circle) and a chain of at most
    # through_hops neighbour pairs joins them whose summed great-circle km is at most
    # through_detour times their distance: the straight road runs over land that the two
    # units' neighbours cover, not across a bay or a strait they only reach around.
    "through_km": 80.0,
    "through_hops": 2,
    "through_detour": 1.25,
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


def unit_radius_km(unit):
    """The radius of a disk of the unit's area: how far a road runs inside the unit."""
    return math.sqrt(max(unit["area_km2"], 0.0) / math.pi)


def end_speed(cls, long_hop, p=PARAMS):
    if cls == "urban":
        return p["v_urban"]
    if long_hop:
        return p["v_expressway"]
    return p["v_suburban"] if cls == "suburban" else p["v_rural"]


def road_minutes(gc_km, end_a, end_b, p=PARAMS, via=()):
    """Modelled road km and minutes between two points `gc_km` apart.

    `end_a`, `end_b` are (speed class, plateau?, radius km) of the units the two points lie
    in. The road runs through each end unit for at most that unit's radius (and at most half
    of the road) at the end's speed. The rest crosses the units between: those of `via` (a
    through link's chain), each for a share of the rest proportional to its radius and at its
    own speed; without `via`, at the open-road speed (v_expressway on long hops, v_rural on
    short ones). Between neighbours the two end shares usually cover the whole road, as in
    model v1 (half in each unit).
    """
    km = p["circuity"] * gc_km
    long_hop = gc_km >= p["long_km"]
    hours = 0.0
    rest = km
    for cls, plateau, radius in (end_a, end_b):
        share = min(0.5 * km, p["circuity"] * radius)
        hours += share / end_speed(cls, long_hop, p) * (p["plateau"] if plateau else 1.0)
        rest -= share
    if rest > 0.0 and via:
        total_r = sum(max(r, 0.1) for _, _, r in via)
        for cls, plateau, radius in via:
            share = rest * max(radius, 0.1) / total_r
            hours += share / end_speed(cls, long_hop, p) * (p["plateau"] if plateau else 1.0)
    elif rest > 0.0:
        factor = sum(p["plateau"] if plateau else 1.0 for _, plateau, _ in (end_a, end_b)) / 2.0
        hours += rest / end_speed("rural", long_hop, p) * factor
    return km, p["terminal_min"] + 60.0 * hours


def model_tag(p=PARAMS):
    # Short, because it is repeated on every modelled row and the embedded file is parsed on
    # every county-level load (its parse time grows with the bytes): data/README.md 8.2 and
    # PARAMS above give the model and its parameters.
    return "model:road v2 (data/README.md 8.2)"


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
            if u is None:  # Hong Kong, Macao: no units; urban, and only rail ends here
                return ("urban", False, 0.0)
        return (speed_class(u, p), u["province"] in PLATEAU_PROVINCES, unit_radius_km(u))


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


def through_pairs(units, neighbours, p=PARAMS):
    """(a, b, via) with a < b for every through link: units that are not neighbours, whose
    points are at most through_km apart, joined by a chain of at most through_hops neighbour
    pairs whose summed great-circle km is at most through_detour times the distance between
    a and b. `via` is the tuple of units the chain passes through, in order from a.

    The chain is the shortest in km among those of at most through_hops hops (Bellman-Ford in
    hop layers from each unit, cut at through_detour * through_km; ties to the first found in
    sorted order). Sorted, so deterministic.
    """
    adj = {}
    for r in neighbours:
        a, b = r["a"], r["b"]
        ua, ub = units[a], units[b]
        km = haversine_km(ua["lon"], ua["lat"], ub["lon"], ub["lat"])
        adj.setdefault(a, []).append((b, km))
        adj.setdefault(b, []).append((a, km))
    for v in adj.values():
        v.sort()
    radius, hops, detour = p["through_km"], int(p["through_hops"]), p["through_detour"]
    cut = detour * radius
    out = []
    for a in sorted(units):
        ua = units[a]
        near = {b for b, _ in adj.get(a, ())}
        best = {a: (0.0, ())}  # unit -> (chain km, units after a up to and including it)
        frontier = [a]
        for _ in range(hops):
            nxt = {}
            # The chains of the last layer as they stood before this one: a chain extended
            # here has at most one hop more.
            layer = [(u, best[u]) for u in frontier]
            for u, (ku, cu) in layer:
                for v, km in adj.get(u, ()):
                    kv = ku + km
                    if kv <= cut and kv < best.get(v, (math.inf,))[0]:
                        best[v] = (kv, cu + (v,))
                        nxt[v] = True
            frontier = sorted(nxt)
        for b, (chain, path) in sorted(best.items()):
            if b <= a or b in near:
                continue
            ub = units[b]
            d = haversine_km(ua["lon"], ua["lat"], ub["lon"], ub["lat"])
            if d <= radius and chain <= detour * d:
                out.append((a, b, path[:-1]))
    return out


def road_pairs(units, cities, neighbours, p=PARAMS):
    """(a, b, kind, via) for every modelled link: neighbour pairs, through pairs (`via`: the
    units between, see through_pairs), then unit -> prefecture centre (kind `home` for the
    unit that holds the centre). `via` is empty but for through pairs."""
    pairs = []
    for r in neighbours:
        pairs.append((r["a"], r["b"], "neighbour", ()))
    if p["through_hops"] >= 2 and p["through_km"] > 0:
        pairs.extend((a, b, "through", via) for a, b, via in through_pairs(units, neighbours, p))
    home = home_units(units, cities)
    for uid in sorted(units):
        pref = units[uid]["prefecture"]
        if pref not in cities:
            fail(f"counties.csv: unit {uid} names prefecture {pref!r}, which is not in cities.csv")
        pairs.append((uid, pref, "home" if home.get(pref) == uid else "centre", ()))
    return pairs


def link_figures(nodes, a, b, kind, via, gc_km, p=PARAMS):
    """(ferry?, km, minutes) of the modelled link of `kind` between nodes a and b, `gc_km` apart,
    through the units `via` (a through link's chain; empty otherwise).

    The one place where a pair becomes figures: data/src/check_county_roads.py routes over
    exactly these.
    """
    if kind in ("centre", "home") and a in FERRY_UNITS:
        km = FERRY["circuity"] * gc_km
        minutes = FERRY["terminal_min"] + 60.0 * km / FERRY["speed_kmh"]
        ferry = True
    else:
        km, minutes = road_minutes(gc_km, nodes.end(a, p), nodes.end(b, p), p, [nodes.end(v, p) for v in via])
        ferry = False
        if kind == "home":
            # The centre lies in this unit: the link crosses town, it does not leave
            # one unit for another, so it pays no terminal minutes.
            minutes -= p["terminal_min"]
    # At least one minute and 0.1 km, so that a unit whose point is at the centre
    # still has a positive link.
    return ferry, max(0.1, km), max(1.0, minutes)


def road_rows(nodes, pairs, p=PARAMS):
    """Rows of the modelled links (dicts with LINK_COLUMNS)."""
    tag = model_tag(p)
    rows = []
    for a, b, kind, via in pairs:
        (x1, y1), (x2, y2) = nodes.point(a), nodes.point(b)
        ferry, km, minutes = link_figures(nodes, a, b, kind, via, haversine_km(x1, y1, x2, y2), p)
        if ferry:
            mode = "ferry"
            src = (f"model:ferry v1 (km = {FERRY['circuity']} x great-circle; minutes = {FERRY['terminal_min']:.0f} + km at "
                   f"{FERRY['speed_kmh']:.0f} km/h; an island unit with no fixed link, not calibrated; data/README.md 8)")
        else:
            mode = None  # set below, from the figures as written
            src = tag + {"neighbour": "; neighbours",
                         "through": f"; through {len(via)}",
                         "centre": "; to its centre",
                         "home": "; to the centre inside it, no terminal minutes"}[kind]
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


FIXED_MODES = ("road", "expressway", "ferry")


def fixed_rows(units, cities, taken):
    """Rows of src/county_fixed_links.csv: links built by hand from published legs (a border
    crossing to a unit, which no model produces), their `source` prefixed with "fixed: ".

    Ends are unit ids or city ids; modes are road modes (rail runs belong in
    src/county_rail_links.csv); `taken` holds the (a, b, mode) keys of the other rows, and a
    fixed link may not repeat one.
    """
    rows = []
    for i, r in enumerate(read_csv("src/county_fixed_links.csv"), start=2):
        where = f"src/county_fixed_links.csv line {i}"
        for col in ("from", "to"):
            if r[col] not in units and r[col] not in cities:
                fail(f"{where}: {col} {r[col]!r} is neither a unit nor a city id")
        a, b, mode = r["from"], r["to"], r["mode"]
        if a == b:
            fail(f"{where}: {a} linked to itself")
        if mode not in FIXED_MODES:
            fail(f"{where}: mode {mode!r} is not one of {', '.join(FIXED_MODES)}")
        try:
            minutes, km = float(r["minutes"]), float(r["km"])
        except ValueError:
            fail(f"{where}: minutes {r['minutes']!r} or km {r['km']!r} is not a number")
        if not (minutes > 0 and km > 0):
            fail(f"{where}: minutes and km must be positive")
        if not r["source"].strip():
            fail(f"{where}: empty source")
        key = (min(a, b), max(a, b), mode)
        if key in taken:
            fail(f"{where}: a second {mode} link {a}–{b}")
        taken.add(key)
        rows.append({"from": a, "to": b, "mode": mode, "minutes": fmt_num(minutes), "km": fmt_num(km),
                     "services_per_day": r["services_per_day"], "line": r["line"], "opened": r["opened"],
                     "oneway": r["oneway"], "source": "fixed: " + r["source"]})
    return rows


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
    pairs = road_pairs(units, cities, read_csv("county_neighbours.csv"), p)
    roads = road_rows(nodes, pairs, p)
    stations = station_table(units, cities)
    rails, served, same, merged = rail_rows(nodes, stations, cities)
    access = main_stations(nodes, stations, served, p)
    taken = {(min(r["from"], r["to"]), max(r["from"], r["to"]), r["mode"]) for r in roads + rails}
    fixed = fixed_rows(units, cities, taken)
    return roads + rails + fixed, access, {"roads": len(roads), "rails": len(rails), "fixed": len(fixed),
                                           "same_node": same, "merged": merged, "nodes": nodes}


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
          f"{st['roads']} modelled, {st['rails']} rail, {st['fixed']} fixed; rail runs dropped within one node: {st['same_node']}, "
          f"merged as duplicates: {st['merged']}", file=sys.stderr)
    hsr = sum(1 for k in access if k[1] == "hsr")
    rail = sum(1 for k in access if k[1] == "rail")
    print(f"counties.csv: access_hsr_min for {hsr} units, access_rail_min for {rail}", file=sys.stderr)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
