#!/usr/bin/env python3
"""Consistency checks for county_stations.csv, county_rail_links.csv and driving_times.csv.

Run from the repository root:  python3 data/src/check_county_rail.py
Needs the shared reference data (../shared/data, or SHARED_DATA=/path/to/shared/data).
Exits non-zero on the first class of failure; prints every failing row.
"""
import csv, json, math, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
SRC = os.path.join(ROOT, "data", "src")

# Albers equal-area (WGS84 ellipsoid) forward projection used by counties-aea.topojson
A = 6378137.0; F = 1 / 298.257223563; E2 = 2 * F - F * F; E = math.sqrt(E2)
def _q(phi):
    s = math.sin(phi)
    return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * math.log((1 - E * s) / (1 + E * s)))
def _m(phi):
    s = math.sin(phi)
    return math.cos(phi) / math.sqrt(1 - E2 * s * s)
LAT0, LAT1, LAT2, LON0 = map(math.radians, (36, 24, 48, 104.5))
N = (_m(LAT1) ** 2 - _m(LAT2) ** 2) / (_q(LAT2) - _q(LAT1))
C = _m(LAT1) ** 2 + N * _q(LAT1)
RHO0 = A * math.sqrt(C - N * _q(LAT0)) / N
def project(lon, lat):
    rho = A * math.sqrt(C - N * _q(math.radians(lat))) / N
    th = N * (math.radians(lon) - LON0)
    return rho * math.sin(th), RHO0 - rho * math.cos(th)

def load_counties():
    t = json.load(open(os.path.join(SHARED, "china-counties", "counties-aea.topojson")))
    (sx, sy), (tx, ty) = t["transform"]["scale"], t["transform"]["translate"]
    arcs = []
    for a in t["arcs"]:
        x = y = 0; pts = []
        for dx, dy in a:
            x += dx; y += dy; pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    def ring(idx):
        out = []
        for i in idx:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out
    polys = {}
    for g in t["objects"]["county"]["geometries"]:
        parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        polys[str(g["properties"]["CODE"])] = [[ring(r) for r in p] for p in parts]
    return polys

def inside(x, y, r):
    c = False
    for i in range(len(r)):
        x1, y1 = r[i]; x2, y2 = r[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            c = not c
    return c

def in_unit(polys, code, lon, lat, tol_m=3000):
    x, y = project(lon, lat)
    for p in polys.get(code, []):
        if inside(x, y, p[0]) and not any(inside(x, y, h) for h in p[1:]):
            return True
    # tolerate points just outside the simplified boundary (coast, border)
    return any(math.hypot(px - x, py - y) < tol_m for p in polys.get(code, []) for px, py in p[0])

def gc_km(a, b):
    (x1, y1), (x2, y2) = a, b
    p1, p2 = math.radians(y1), math.radians(y2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(x2 - x1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))

def rows(name):
    return list(csv.DictReader(open(os.path.join(SRC, name), encoding="utf-8")))

def main():
    errors = []
    census = {r["adcode"] for r in csv.DictReader(open(os.path.join(SHARED, "china-census", "county_2020.csv")))}
    polys = load_counties()
    cities = {r["id"]: r for r in csv.DictReader(open(os.path.join(ROOT, "data", "cities.csv")))}
    st = rows("county_stations.csv")
    names = {}
    for i, r in enumerate(st, 2):
        where = f"county_stations.csv line {i} ({r['station_zh']})"
        if r["station_zh"] in names: errors.append(f"{where}: duplicate station_zh")
        names[r["station_zh"]] = (float(r["lon"]), float(r["lat"]))
        if r["prefecture"] not in cities: errors.append(f"{where}: prefecture {r['prefecture']} not in cities.csv")
        if not r["source"].strip() or "recall" in r["source"].lower(): errors.append(f"{where}: source empty or recall")
        if r["kind"] not in ("hsr", "intercity", "rail", "metro-regional"): errors.append(f"{where}: kind {r['kind']}")
        if r["adcode"] in ("810000", "820000"): continue
        if r["adcode"] not in census and r["adcode"] not in polys: errors.append(f"{where}: adcode {r['adcode']} unknown")
        elif r["adcode"] in polys and not in_unit(polys, r["adcode"], *names[r["station_zh"]]):
            errors.append(f"{where}: point not inside unit {r['adcode']}")
    caps = {"hsr": 350, "intercity": 250, "rail": 160}
    for i, r in enumerate(rows("county_rail_links.csv"), 2):
        where = f"county_rail_links.csv line {i} ({r['from_station']}-{r['to_station']})"
        ends = []
        for n in (r["from_station"], r["to_station"]):
            if n in names: ends.append(names[n])
            elif n in cities: ends.append((float(cities[n]["lon"]), float(cities[n]["lat"])))
            else: errors.append(f"{where}: unknown node {n}")
        minutes, km = float(r["minutes"]), float(r["km"])
        if minutes <= 0 or km <= 0: errors.append(f"{where}: non-positive minutes/km")
        elif km / minutes * 60 > caps.get(r["mode"], 0): errors.append(f"{where}: {km/minutes*60:.0f} km/h over the {r['mode']} cap")
        if len(ends) == 2 and km < 0.9 * gc_km(*ends): errors.append(f"{where}: km {km} below great-circle {gc_km(*ends):.0f}")
        if not r["source"].strip() or "recall" in r["source"].lower(): errors.append(f"{where}: source empty or recall")
    for i, r in enumerate(rows("driving_times.csv"), 2):
        where = f"driving_times.csv line {i} ({r['from']}-{r['to']})"
        for code in (r["from_adcode"], r["to_adcode"]):
            if code not in census: errors.append(f"{where}: adcode {code} not in county_2020.csv")
        if float(r["minutes"]) <= 0: errors.append(f"{where}: minutes")
        if r["km"] and not 15 <= float(r["km"]) / float(r["minutes"]) * 60 <= 110:
            errors.append(f"{where}: implausible speed")
        if r["quality"] not in ("A", "B", "C"): errors.append(f"{where}: quality")
        if not r["source"].strip() or "recall" in r["source"].lower(): errors.append(f"{where}: source empty or recall")
    for e in errors: print(e)
    print(f"{len(st)} stations checked; {len(errors)} problem(s)")
    return 1 if errors else 0

if __name__ == "__main__":
    sys.exit(main())
