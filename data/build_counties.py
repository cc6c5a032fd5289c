#!/usr/bin/env python3
"""Build the county-level units of the embedded dataset from the reference data.

Run from the repository root:

    python3 data/build_counties.py REFERENCE_DIR

REFERENCE_DIR (here ../shared/data) holds the two read-only reference folders
`china-counties/` and `china-census/` (see data/README.md, section 6). Standard
library only; the output is deterministic (byte-identical on every run). Writes:

- data/counties.csv            one row per county-level unit (columns: data/README.md); its
                               point is the unit's seat from data/src/county_seats.csv where
                               that lies inside the unit, else the pole of inaccessibility
- data/counties.geojson        unit boundaries, WGS84, RFC 7946 ring order
- data/county_neighbours.csv   pairs of units that share a border, with its length
- data/provinces.geojson       province outlines and the country outline (basemap)

and prints its checks to stderr. It exits non-zero when a check fails.
"""
import csv
import heapq
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).parent
DECIMALS = 4  # ~11 m; the source is quantized to ~50 m

# --- Albers equal-area conic, ellipsoidal (Snyder 1987, pp. 98-103) -------------------
# +proj=aea +lat_0=36 +lat_1=24 +lat_2=48 +lon_0=104.5 +datum=WGS84 +units=m
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)
E = math.sqrt(E2)
LAT0, LAT1, LAT2, LON0 = map(math.radians, (36.0, 24.0, 48.0, 104.5))


def _m(phi):
    s = math.sin(phi)
    return math.cos(phi) / math.sqrt(1 - E2 * s * s)


def _q(phi):
    s = math.sin(phi)
    return (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * math.log((1 - E * s) / (1 + E * s)))


_M1, _M2 = _m(LAT1), _m(LAT2)
_Q0, _Q1, _Q2 = _q(LAT0), _q(LAT1), _q(LAT2)
N = (_M1 ** 2 - _M2 ** 2) / (_Q2 - _Q1)
C = _M1 ** 2 + N * _Q1
RHO0 = A * math.sqrt(C - N * _Q0) / N


def forward(lon, lat):
    """WGS84 degrees -> projected metres (used only to check the inverse)."""
    rho = A * math.sqrt(C - N * _q(math.radians(lat))) / N
    theta = N * (math.radians(lon) - LON0)
    return rho * math.sin(theta), RHO0 - rho * math.cos(theta)


def inverse(x, y):
    """Projected metres -> (lon, lat) WGS84 degrees."""
    dy = RHO0 - y
    rho = math.hypot(x, dy)
    theta = math.atan2(x, dy)
    q = (C - (rho * N / A) ** 2) / N
    phi = math.asin(max(-1.0, min(1.0, q / 2)))
    for _ in range(20):
        s = math.sin(phi)
        d = ((1 - E2 * s * s) ** 2 / (2 * math.cos(phi))) * (
            q / (1 - E2) - s / (1 - E2 * s * s) + (1 / (2 * E)) * math.log((1 - E * s) / (1 + E * s)))
        phi += d
        if abs(d) < 1e-13:
            break
    return math.degrees(LON0 + theta / N), math.degrees(phi)


# --- TopoJSON ----------------------------------------------------------------------------
def decode_arcs(topo):
    """Quantized, delta-encoded arcs -> lists of projected (x, y) points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(arcs, ring):
    """A ring given as arc indices (~i = arc i reversed) -> closed list of points.
    Consecutive arcs share their end point, which is kept once."""
    out = []
    for i in ring:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(pts if not out else pts[1:])
    return out


def polygons_of(geom):
    """A TopoJSON Polygon or MultiPolygon -> list of polygons (lists of arc-index rings)."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    raise ValueError(f"unexpected geometry type {geom['type']}")


def signed_area(ring):
    """Shoelace area; positive when counter-clockwise (x east, y north)."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s / 2


# --- Pole of inaccessibility ("polylabel", Agafonkin 2016), planar -------------------------
def point_to_polygon_distance(x, y, rings):
    """Signed distance from (x, y) to the polygon's boundary: positive inside."""
    inside = False
    best = math.inf
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
            px, py = ax + t * dx - x, ay + t * dy - y
            best = min(best, px * px + py * py)
    d = math.sqrt(best)
    return d if inside else -d


def polylabel(rings, precision):
    """The point of the polygon farthest from its boundary, to within `precision`
    (same units as the coordinates): a grid of square cells refined best-first,
    pruned when a cell cannot hold a better point than the best found."""
    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    minx, miny, maxx, maxy = min(xs), min(ys), max(xs), max(ys)
    w, h = maxx - minx, maxy - miny
    size = min(w, h)
    if size == 0:
        return minx, miny, 0.0
    half = size / 2
    heap = []
    counter = 0

    def push(cx, cy, hh):
        nonlocal counter
        d = point_to_polygon_distance(cx, cy, rings)
        mx = d + hh * math.sqrt(2)
        heapq.heappush(heap, (-mx, counter, cx, cy, hh, d))
        counter += 1

    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            push(x + half, y + half, half)
            y += size
        x += size
    # Start from the area centroid when it is inside, else from the box centre.
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(rings[0], rings[0][1:]):
        f = x1 * y2 - x2 * y1
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
        a += f * 3
    best = (minx + w / 2, miny + h / 2)
    best_d = point_to_polygon_distance(*best, rings)
    if a != 0:
        d = point_to_polygon_distance(cx / a, cy / a, rings)
        if d > best_d:
            best, best_d = (cx / a, cy / a), d
    while heap:
        negmx, _, cx, cy, hh, d = heapq.heappop(heap)
        if d > best_d:
            best, best_d = (cx, cy), d
        if -negmx - best_d <= precision:
            continue
        hh /= 2
        for ox in (-hh, hh):
            for oy in (-hh, hh):
                push(cx + ox, cy + oy, hh)
    return best[0], best[1], best_d


# --- Tables ----------------------------------------------------------------------------------
def read_csv(path, encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def fail(msg):
    print(f"check failed: {msg}", file=sys.stderr)
    sys.exit(1)


# Corrections of the reference tables (data/README.md, section 6.3).
POP_FIXES = {
    # 扎赉诺尔区: china-counties has 184,424, a typo: the census county table
    # (china-census), Hulunbuir's prefecture total and the 31-province total all
    # require 84,424.
    150703: 84424,
}
PROV_CODE_FIXES = {321171: 320000}  # 镇江新区 carries PROV_CODE 32000 in china-counties
# Left out: 金门县 (Kinmen), administered from Taiwan and not enumerated by the census.
LEFT_OUT = {350527: "Kinmen: administered from Taiwan, no census population"}
# XPCC cities that data/cities.csv folds into the prefecture around them (data/README.md
# section 2.1): their units belong to that prefecture's node.
XPCC_HOSTS = {659005: "aletai", 659006: "bayinguoleng", 659007: "boertala", 659008: "yili",
              659009: "hetian", 659010: "tacheng"}
MUNICIPALITIES = {11, 12, 31, 50}
# 2010 rows matched by hand (data/README.md 6.2): districts that absorbed a
# neighbour after the 2010 census (2020 code: the absorbed 2010 codes) ...
MERGED_SINCE_2010 = {
    110101: [110103], 110102: [110104],  # Beijing 2010: 东城+崇文, 西城+宣武
    310101: [310103], 310106: [310108],  # Shanghai 2011/2015: 黄浦+卢湾, 静安+闸北
    320104: [320103], 320106: [320107],  # Nanjing 2013: 秦淮+白下, 鼓楼+下关
    500110: [500110], 500111: [500111],  # Chongqing 2011: 綦江+万盛, 大足+双桥
    440112: [440116],                    # Guangzhou 2014: 黄埔+萝岗
    370203: [370205], 370211: [370284],  # Qingdao 2012: 市北+四方, 黄岛+胶南
    320508: [320502, 320503, 320504],    # Suzhou 2012: 姑苏 = 沧浪+平江+金阊
}
# ... and renames the name stems do not catch (2020 code: 2010 code).
RENAMED_SINCE_2010 = {500154: 500234, 510117: 510124, 610118: 610125, 120119: 120225}  # 开州, 郫都, 鄠邑, 蓟州
# ... and units created since 2010 from named parents (2020 code: 2020 codes of the
# units it was carved from), which the neighbour rule would otherwise take for all
# the units it borders.
CARVED_FROM = {
    440309: [440306], 440311: [440306],  # Shenzhen 2016/2018: 龙华, 光明 from 宝安
    440310: [440307],                    # Shenzhen 2016: 坪山 from 龙岗
    130672: [130684],                    # Baoding: 白沟新城 from 高碑店
}
# ... and districts re-drawn among themselves (2020 codes, 2010 codes): together
# they hold the people of those 2010 rows.
REDRAWN_SINCE_2010 = [
    # Ningbo 2016: 江东 joined 鄞州, which gave its western towns to 海曙.
    ([330203, 330212], [330203, 330204, 330212]),
]
TOLERANCE_2010 = 0.001
# prefecture_2010_2020.csv figures (2020, 2010) moved to the units' territory: the
# Shenshan zone (65,663 people in 2020, 65,592 in 2010; data/README.md section 2.2)
# is in Shenzhen's restated rows but in Shanwei's units.
RESTATED_MOVES = {440300: (-65663, -65592), 441500: (65663, 65592)}
# The XPCC cities that data/cities.csv folds into a prefecture are in that
# prefecture's restated figures.
XPCC_HOST_CODES = {659005: 654300, 659006: 652800, 659007: 652700, 659008: 654000, 659009: 653200,
                   659010: 654200}  # of the prefecture's restated 2010 population
SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "县", "市", "区", "旗")


def stem(name):
    name = name.replace("巿", "市")  # U+5DFF for 市 in a few 2010 rows (从化巿)
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name


def kind_of(code, name):
    """district | city | county | banner | special | functional (statistical-only area, XXYY7Z)."""
    if code % 100 >= 70 and code % 100 <= 79 and code // 100 % 100 != 90:
        return "functional"
    if code % 100 == 0:
        return "city"  # a prefecture-level city without districts (Dongguan, ...)
    if name.endswith("特区") or code == 429021:
        return "special"  # 六枝特区; 神农架林区 (a forestry district)
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "city"
    if name.endswith("旗"):
        return "banner"
    if name.endswith("县"):
        return "county"
    return "special"


def load_cities():
    """Node ids and adcodes from the compiled city sources (as build_dataset.py keeps them)."""
    sys.path.insert(0, str(OUT / "src"))
    from extract_county_seats import gcj_to_wgs
    cities = []
    for part in ("a", "b", "c"):
        for c in read_csv(OUT / "src" / f"cities_{part}.csv"):
            if c["pop_2020"].strip():
                # The compiled centres are GCJ-02, as build_dataset.py converts them.
                if c["id"] not in ("hong-kong", "macao"):
                    lon, lat = gcj_to_wgs(float(c["lon"]), float(c["lat"]))
                    c["lon"], c["lat"] = f"{lon:.4f}", f"{lat:.4f}"
                cities.append(c)
    return cities


def prefecture_of(code, by_adcode):
    """The id in data/cities.csv of the node whose population includes unit `code`."""
    if code in by_adcode:
        return by_adcode[code]
    if code in XPCC_HOSTS:
        return XPCC_HOSTS[code]
    if code // 10000 in MUNICIPALITIES:
        return by_adcode[code // 10000 * 10000]
    return by_adcode.get(code // 100 * 100)


def pref_code_of(code):
    """The prefecture code a unit's figures are restated under in
    prefecture_2010_2020.csv: the municipality, the host prefecture of an XPCC
    city folded into one, the unit itself for another province-administered
    unit (XX90YY) or a city without districts, else the code's first four
    digits."""
    if code in XPCC_HOST_CODES:
        return XPCC_HOST_CODES[code]
    if code // 10000 in MUNICIPALITIES:
        return code // 10000 * 10000 + 100
    if code // 100 % 100 == 90 or code % 100 == 0:
        return code
    return code // 100 * 100


def match_2010(units, census2010, restated, neighbours):
    """Gives each 2020 unit its 2010 population, alone or in a group, where a
    defensible match exists (data/README.md section 7, "2010 populations").

    A 2020 unit matches a 2010 row with the same code and the same name stem (the
    name less its 县/市/区/旗... suffix), or else the only unused 2010 row of the
    same province with that stem (a county turned district or city gets a new
    code), or a row named in RENAMED_SINCE_2010; the rows of MERGED_SINCE_2010 are
    added to the district that absorbed them. Then, per prefecture:
    - a unit left unmatched (a functional area, a district split off or
      re-drawn) forms a **group** with the units it was carved from: those of
      CARVED_FROM, else every unit of the prefecture it borders (land it gained
      came from a neighbour); groups that share a unit are joined, and the
      prefecture's unused 2010 rows go to its one group (all its groups are
      joined into one when there are several). A group's 2010 figure is the sum
      of its matched units' rows and those unused rows;
    - the matches and groups are kept when they add up, to within
      TOLERANCE_2010, to the prefecture's 2010 population restated on 2020
      boundaries (prefecture_2010_2020.csv). Otherwise (towns moved between
      prefectures) the whole prefecture is one group with that restated figure,
      where the table's 2020 figure equals the units' sum (the same territory).
    Returns (individual, groups): individual maps code -> (2010 population, how,
    2010 rows); groups is a list of (member codes, 2010 population, how, rows),
    how being `group` or `prefecture`."""
    rows2010 = [r for r in census2010 if r["adcode"].strip() and int(r["adcode"]) % 100 != 0]
    by_code = {int(r["adcode"]): r for r in rows2010}
    # A city without districts (Dongguan, Zhongshan, Jiayuguan, Danzhou) has a
    # row on its prefecture code.
    city_rows = {int(r["adcode"]): r for r in census2010 if r["adcode"].strip() and int(r["adcode"]) % 100 == 0}
    by_prov_stem = defaultdict(list)
    for r in rows2010:
        by_prov_stem[(int(r["adcode"]) // 10000, stem(r["name"]))].append(r)
    used = {c for _, rows in REDRAWN_SINCE_2010 for c in rows}
    redrawn = {c: (codes, rows) for codes, rows in REDRAWN_SINCE_2010 for c in codes}
    match = {}

    def take(u, r, how):
        match[u["code"]] = [r, how]
        used.add(int(r["adcode"]))

    for u in units:  # first pass: same code and stem, or a listed rename
        if u["code"] in redrawn:
            continue
        r = by_code.get(u["code"]) if u["code"] % 100 else city_rows.get(u["code"])
        if r is not None and stem(r["name"]) == stem(u["name_zh"]):
            take(u, r, "code")
        elif u["code"] in RENAMED_SINCE_2010:
            take(u, by_code[RENAMED_SINCE_2010[u["code"]]], "renamed")
    for u in units:  # second pass: same stem, unique in the province
        if u["code"] in match or u["code"] in redrawn:
            continue
        cand = [r for r in by_prov_stem[(u["code"] // 10000, stem(u["name_zh"]))] if int(r["adcode"]) not in used]
        if len(cand) == 1:
            take(u, cand[0], "renamed")
    out = {}
    for code, (r, how) in match.items():
        rows = [r] + [by_code[c] for c in MERGED_SINCE_2010.get(code, [])]
        if any(int(x["adcode"]) in used and x is not r for x in rows[1:]):
            fail(f"{code}: a merged 2010 row is matched elsewhere too")
        used.update(int(x["adcode"]) for x in rows)
        out[code] = (sum(int(x["pop"]) for x in rows), "merged" if len(rows) > 1 else how,
                     [f"{x['name']} ({x['adcode']})" for x in rows])
    # 2010 rows no 2020 unit took, by the prefecture their code falls in.
    unused = defaultdict(list)
    for r in rows2010:
        if int(r["adcode"]) not in used:
            unused[pref_code_of(int(r["adcode"]))].append(r)
    by_pref = defaultdict(list)
    for u in units:
        by_pref[u["pref_code"]].append(u)
    nb = defaultdict(set)
    for a, b in neighbours:
        nb[a].add(b)
        nb[b].add(a)
    for c, parents in CARVED_FROM.items():
        for q in parents:
            if q not in nb[c]:
                fail(f"CARVED_FROM: {c} does not border {q}")
    individual, groups = {}, []
    for pref, us in sorted(by_pref.items()):
        codes = {u["code"] for u in us}
        total, p20 = restated.get(pref, (None, None))
        if total is None:  # no restated figure (Sansha, the XPCC cities): no check, no figure
            continue
        # Groups of unmatched units and the units they were carved from (union-find).
        parent = {}

        def find(x):
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x
        for u in us:
            if u["code"] in out:
                continue
            if u["code"] in redrawn:
                seed = redrawn[u["code"]][0]
            else:
                seed = CARVED_FROM.get(u["code"], sorted(nb[u["code"]] & codes))
            find(u["code"])
            for q in seed:
                parent[find(q)] = find(u["code"])
        comps = defaultdict(set)
        for x in list(parent):
            comps[find(x)].add(x)
        comps = sorted((sorted(v) for v in comps.values()), key=lambda v: v[0])
        extra = unused.get(pref, [])
        if extra and len(comps) > 1:
            comps = [sorted(c for v in comps for c in v)]
        ok = bool(comps) or not extra
        found = []
        for i, members in enumerate(comps):
            rows = [r for c in members if c in out for r in out[c][2]]
            value = sum(out[c][0] for c in members if c in out)
            for c10 in sorted({c for m in members if m in redrawn for c in redrawn[m][1]}):
                rows.append(f"{by_code[c10]['name']} ({c10})")
                value += int(by_code[c10]["pop"])
            if i == 0 and extra:
                rows += [f"{r['name']} ({r['adcode']})" for r in extra]
                value += sum(int(r["pop"]) for r in extra)
            found.append((members, value, "group", rows))
        in_group = {c for g in found for c in g[0]}
        s = sum(out[c][0] for c in codes - in_group) + sum(g[1] for g in found)
        if ok and abs(s - total) <= TOLERANCE_2010 * total:
            for c in codes - in_group:
                individual[c] = out[c]
            groups.extend(found)
        elif p20 == sum(u["pop"] for u in us):
            # The restated figure is used as the prefecture's only where its 2020
            # total is the units' own, so that it covers the same territory (not so
            # for Baoding with Dingzhou and Xiong'an, or Xi'an and Xianyang).
            groups.append((sorted(codes), total, "prefecture", [f"prefecture_2010_2020.csv city_code {pref}"]))
    return individual, groups


def rnd(v):
    return round(v, DECIMALS)


def wgs84_ring(ring_xy, exterior):
    """Projected ring -> WGS84 ring rounded to DECIMALS, consecutive duplicates
    dropped, RFC 7946 order (exterior counter-clockwise, holes clockwise), or None
    when rounding leaves fewer than three distinct points."""
    pts = []
    for x, y in ring_xy:
        lon, lat = inverse(x, y)
        p = (rnd(lon), rnd(lat))
        if not pts or p != pts[-1]:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    if len(pts) < 4:
        return None
    a = signed_area(pts)
    if a == 0:
        return None
    if (a > 0) != exterior:
        pts.reverse()
    return pts


def haversine_km(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def point_in_rings(x, y, rings):
    inside = False
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:]):
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
    return inside


def fmt_coords(polys):
    """A list of polygons (lists of rings of (lon, lat)) as compact GeoJSON text."""
    def ring(r):
        return "[" + ",".join(f"[{x:.{DECIMALS}f},{y:.{DECIMALS}f}]".replace(".0000]", "]") for x, y in r) + "]"
    return "[" + ",".join("[" + ",".join(ring(r) for r in p) + "]" for p in polys) + "]"


def write_geojson(path, features):
    """features: (properties dict, list of polygons) -> a FeatureCollection of
    MultiPolygons, one feature a line."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n')
        for i, (props, polys) in enumerate(features):
            f.write('{"type":"Feature","properties":' + json.dumps(props, ensure_ascii=False, separators=(",", ":"))
                    + ',"geometry":{"type":"MultiPolygon","coordinates":' + fmt_coords(polys) + "}}")
            f.write(",\n" if i + 1 < len(features) else "\n")
        f.write("]}\n")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 data/build_counties.py REFERENCE_DIR (the folder holding china-counties/ and china-census/)")
    ref = Path(sys.argv[1])
    topo_path = ref / "china-counties" / "counties-aea.topojson"
    topo = json.loads(topo_path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    pop_cc = {int(r["CODE"]): r for r in read_csv(ref / "china-counties" / "population_2020.csv", "utf-8-sig")}
    census = read_csv(ref / "china-census" / "county_2020.csv")
    census_by_code = {int(r["adcode"]): r for r in census if r["adcode"] != "NA"}
    census2010 = read_csv(ref / "china-census" / "county_2010.csv")
    restated = {}
    for r in read_csv(ref / "china-census" / "prefecture_2010_2020.csv"):
        if r["popu_2010"].strip() and r["popu_2020"].strip():
            code = int(r["city_code"])
            d20, d10 = RESTATED_MOVES.get(code, (0, 0))
            restated[code] = (int(r["popu_2010"]) + d10, int(r["popu_2020"]) + d20)
    commits = {d: (ref / d / "SOURCE_COMMIT").read_text().strip() for d in ("china-counties", "china-census")}

    # The Jing'an check of the reference README: the inverse projection must put
    # 静安区 at about 121.448E, 31.262N.
    cities = load_cities()
    by_adcode = {int(c["adcode"]): c["id"] for c in cities if c["adcode"].strip()}

    units, geoms, arc_users = [], {}, defaultdict(set)
    for g in topo["objects"]["county"]["geometries"]:
        p = g["properties"]
        code = p["CODE"]
        if code in LEFT_OUT:
            continue
        for poly in polygons_of(g):
            for ring in poly:
                for i in ring:
                    arc_users[i if i >= 0 else ~i].add(code)
        name = p["NAME"]
        cc = census_by_code.get(code)
        # The census table's rows are on the same codes, except Lhasa's three
        # functional areas, whose codes it shifts by one (matched here by name).
        if cc is not None and cc["county"] != name:
            cc = None
        if cc is None:
            cc = next((r for r in census if r["adcode"] != "NA" and int(r["adcode"]) // 100 == code // 100
                       and r["county"] == name), None)
        pop = POP_FIXES.get(code, int(pop_cc[code]["POPU"]))
        if cc is not None and int(cc["pop"]) != pop:
            fail(f"{code} {name}: china-counties {pop} vs china-census {cc['pop']}")
        if cc is not None:
            urban_share = int(cc["pop_urban"]) / pop if pop else 0.0
            chengqu = cc["pop_chengqu"] if cc["pop_chengqu"] != "NA" else ""
            src = f"china-census county_2020.csv {commits['china-census']}"
        else:
            urban_share = float(pop_cc[code]["POPU_URB"])
            chengqu = ""
            src = f"china-counties population_2020.csv {commits['china-counties']}"
        if code in POP_FIXES:
            src += f" (china-counties has {pop_cc[code]['POPU']}: typo)"
        pref = prefecture_of(code, by_adcode)
        if pref is None:
            fail(f"{code} {name}: no prefecture node in data/src/cities_*.csv")
        pref_code = pref_code_of(code)
        units.append({"code": code, "name_zh": name, "name": p["ENG_NAME"] or "", "pref": pref,
                      "pref_code": pref_code, "province": PROV_CODE_FIXES.get(code, p["PROV_CODE"]),
                      "kind": kind_of(code, name), "pop": pop, "urban_share": urban_share,
                      "chengqu": chengqu, "area_src": p["area"], "source": src})
        geoms[code] = g
    units.sort(key=lambda u: u["code"])
    print(f"{len(units)} units, {sum(u['kind'] == 'functional' for u in units)} functional areas", file=sys.stderr)

    # 2010 populations, alone or in groups.
    shared = neighbour_pairs(arc_users, arcs)
    m2010 = match_2010(units, census2010, restated, shared)

    # Geometry: WGS84 rings, areas, representative points.
    seats = {int(r["adcode"]): r for r in read_csv(OUT / "src" / "county_seats.csv")}
    seats_outside = []
    features = []
    for u in units:
        polys_xy = []
        for poly in polygons_of(geoms[u["code"]]):
            polys_xy.append([ring_points(arcs, r) for r in poly])
        area_xy = sum(abs(signed_area(p[0])) - sum(abs(signed_area(h)) for h in p[1:]) for p in polys_xy)
        # The source's `area` is that of the unsimplified boundary: simplification
        # moves it by a median 0.3 % and drops small islands (嵊泗县 loses 44 %).
        u["area_rel"] = abs(area_xy - u["area_src"]) / u["area_src"]
        if u["area_rel"] > 0.5:
            fail(f"{u['code']} {u['name_zh']}: decoded area {area_xy:.0f} m² vs source {u['area_src']:.0f}")
        # Representative point: pole of inaccessibility of the largest part, in the
        # equal-area plane, to 0.5 % of the part's smaller side (at least 50 m).
        big = max(polys_xy, key=lambda p: abs(signed_area(p[0])))
        xs = [q[0] for q in big[0]]
        ys = [q[1] for q in big[0]]
        prec = max(50.0, 0.005 * min(max(xs) - min(xs), max(ys) - min(ys)))
        px, py, dist = polylabel(big, prec)
        lon, lat = inverse(px, py)
        u["lon"], u["lat"], u["inset_km"] = round(lon, 5), round(lat, 5), dist / 1000
        polys = []
        for p in polys_xy:
            ext = wgs84_ring(p[0], True)
            if ext is None:
                continue
            holes = [h for h in (wgs84_ring(r, False) for r in p[1:]) if h is not None]
            polys.append([ext] + holes)
        if not polys:
            fail(f"{u['code']}: no polygon left after rounding")
        inside = any(point_in_rings(u["lon"], u["lat"], p) for p in polys)
        if not inside:
            fail(f"{u['code']} {u['name_zh']}: representative point {u['lon']},{u['lat']} not inside")
        # The unit's point: its government seat (src/county_seats.csv) where the seat
        # lies inside the unit, otherwise the pole of inaccessibility.
        u["point"] = "pole"
        seat = seats.get(u["code"])
        if seat is not None:
            if seat["name"] != u["name_zh"]:
                fail(f"src/county_seats.csv: {u['code']} is {seat['name']}, the map names it {u['name_zh']}")
            slon, slat = float(seat["lon"]), float(seat["lat"])
            if any(point_in_rings(slon, slat, p) for p in polys):
                u["lon"], u["lat"], u["point"] = slon, slat, "seat"
            else:
                seats_outside.append(f"{u['code']} {u['name_zh']}")
        features.append(({"id": u["code"]}, polys))
    n_seat = sum(u["point"] == "seat" for u in units)
    print(f"points: {n_seat} seats, {len(units) - n_seat} poles of inaccessibility; {len(seats)} seats in "
          f"src/county_seats.csv, {len(seats_outside)} of them outside their unit: {', '.join(seats_outside)}",
          file=sys.stderr)
    # The check of the reference README: 静安区 inverts to about 121.448E, 31.262N.
    # That point must lie inside the decoded district, and its area centroid
    # (121.4465E 31.2722N) within 0.015 degrees of it.
    ring = ring_points(arcs, geoms[310106]["arcs"][0])
    a6 = 3 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / a6
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / a6
    lon, lat = inverse(cx, cy)
    print(f"静安区 centroid {lon:.4f}E {lat:.4f}N", file=sys.stderr)
    if abs(lon - 121.448) > 0.015 or abs(lat - 31.262) > 0.015 or not point_in_rings(
            121.448, 31.262, [[inverse(x, y) for x, y in ring]]):
        fail("inverse projection: Jing'an's centroid is not at about 121.448E 31.262N")
    worst = max(units, key=lambda u: u["area_rel"])
    print(f"decoded areas vs source: worst {worst['area_rel'] * 100:.3f}% ({worst['code']} {worst['name_zh']})",
          file=sys.stderr)
    write_outputs(units, features, shared, arcs, m2010, topo, commits, cities, census_by_code)


def urban_pop_of_cities(units, features, cities, census_by_code, commits):
    """城区 population of every city node with a published figure: the census row
    of the prefecture-level city (its urban districts), of the municipality, or of
    the county-level city; for an autonomous prefecture, league or prefecture
    (地区) without districts, the figure of its seat when the seat is a
    county-level city (the unit holding the node's centre). Hong Kong and Macao
    are wholly urban."""
    polys = {f[0]["id"]: f[1] for f in features}
    by_pref = defaultdict(list)
    for u in units:
        by_pref[u["pref"]].append(u)
    tag = f"china-census county_2020.csv {commits['china-census']}"
    out = []
    for c in cities:
        cid, code = c["id"], int(c["adcode"]) if c["adcode"].strip() else None
        if c.get("level") == "sar":
            out.append((cid, c["pop_2020"], "wholly urban: 城区 population = resident population"))
            continue
        row = census_by_code.get(code) if code else None
        if row is not None and row["pop_chengqu"] != "NA":
            out.append((cid, row["pop_chengqu"], f"{tag}: pop_chengqu of {row['county']} ({code})"))
            continue
        lon, lat = float(c["lon"]), float(c["lat"])
        seat = [u for u in by_pref[cid] if any(point_in_rings(lon, lat, p) for p in polys[u["code"]])]
        if len(seat) == 1 and seat[0]["chengqu"] and seat[0]["kind"] == "city":
            s = seat[0]
            out.append((cid, s["chengqu"], f"{tag}: pop_chengqu of the seat {s['name_zh']} ({s['code']})"))
    return out


def neighbour_pairs(arc_users, arcs):
    """Two units that use the same arc share that stretch of border: (a, b) with
    a < b -> shared border length in km."""
    wgs = {}
    shared = defaultdict(float)
    for i, users in sorted(arc_users.items()):
        if len(users) != 2:
            continue
        if i not in wgs:
            pts = [inverse(x, y) for x, y in arcs[i]]
            wgs[i] = sum(haversine_km(p, q) for p, q in zip(pts, pts[1:]))
        # A zero-length arc (230717-230725) is a point where two units touch, not
        # a border.
        if wgs[i] > 0:
            shared[tuple(sorted(users))] += wgs[i]
    return shared


def write_outputs(units, features, shared, arcs, m2010, topo, commits, cities, census_by_code):
    province_of = {c["id"]: c["province"] for c in cities}
    cols = ["id", "adcode", "name_zh", "name", "kind", "prefecture", "province", "pop_2020", "urban_share_2020",
            "pop_chengqu_2020", "pop_2010", "pop_2010_match", "group_2010", "pop_2010_group", "lon", "lat",
            "area_km2", "source", "point"]
    individual, groups = m2010
    group_of = {}
    for members, value, how, rows in groups:
        for c in members:
            group_of[c] = (members, value, how, rows)
    with open(OUT / "counties.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols, lineterminator="\n")
        w.writeheader()
        for u in units:
            m = individual.get(u["code"])
            g = group_of.get(u["code"])
            src = u["source"]
            if m is not None:
                src += f"; 2010: county_2010.csv {' + '.join(m[2])}"
            elif g is not None and g[2] == "group":
                src += f"; 2010 for the group of {len(g[0])} units: county_2010.csv {' + '.join(g[3])}"
            elif g is not None:
                src += f"; 2010 for the prefecture's {len(g[0])} units: {g[3][0]}"
            w.writerow({"id": u["code"], "adcode": u["code"], "name_zh": u["name_zh"], "name": u["name"],
                        "kind": u["kind"], "prefecture": u["pref"], "province": province_of[u["pref"]],
                        "pop_2020": u["pop"], "urban_share_2020": f"{u['urban_share']:.4f}",
                        "pop_chengqu_2020": u["chengqu"], "pop_2010": m[0] if m else "",
                        "pop_2010_match": m[1] if m else g[2] if g else "none",
                        "group_2010": g[0][0] if g else "", "pop_2010_group": g[1] if g else "",
                        "lon": f"{u['lon']:.5f}", "lat": f"{u['lat']:.5f}",
                        "area_km2": f"{u['area_src'] / 1e6:.2f}", "source": src, "point": u["point"]})
    tot = sum(u["pop"] for u in units)
    for label, codes in (("alone", set(individual)), ("in a group", {c for g in groups if g[2] == "group" for c in g[0]}),
                         ("in a prefecture group", {c for g in groups if g[2] == "prefecture" for c in g[0]})):
        print(f"2010 figure {label}: {len(codes)} units, {sum(u['pop'] for u in units if u['code'] in codes) / tot:.1%} "
              f"of the 2020 population", file=sys.stderr)
    print(f"2010 groups: {sum(g[2] == 'group' for g in groups)}, prefecture groups: "
          f"{sum(g[2] == 'prefecture' for g in groups)}; no 2010 figure: "
          f"{', '.join(str(u['code']) + ' ' + u['name_zh'] for u in units if u['code'] not in individual and u['code'] not in group_of)}",
          file=sys.stderr)
    write_geojson(OUT / "counties.geojson", features)

    with open(OUT / "county_neighbours.csv", "w", encoding="utf-8", newline="") as f:
        f.write("a,b,shared_border_km\n")
        for (a, b), km in sorted(shared.items()):
            f.write(f"{a},{b},{km:.2f}\n")
    isolated = {u["code"] for u in units} - {c for p in shared for c in p}
    print(f"{len(shared)} neighbour pairs; {len(isolated)} units without a neighbour: {sorted(isolated)}",
          file=sys.stderr)

    # Basemap: province outlines, the country outline and the South China Sea line.
    base = []
    for name in ("province", "country"):
        for g in topo["objects"][name]["geometries"]:
            polys = []
            for poly in polygons_of(g):
                ext = wgs84_ring(ring_points(arcs, poly[0]), True)
                if ext is None:
                    continue
                polys.append([ext] + [h for h in (wgs84_ring(ring_points(arcs, r), False) for r in poly[1:])
                                      if h is not None])
            base.append(({"layer": name, "code": g["properties"]["CODE"]}, polys))
    write_geojson(OUT / "provinces.geojson", base)

    rows = urban_pop_of_cities(units, features, cities, census_by_code, commits)
    with open(OUT / "src" / "urban_pop_2020.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "urban_pop_2020", "source"])
        w.writerows(rows)
    have = {r[0] for r in rows}
    print(f"城区 population for {len(rows)} of {len(cities)} city nodes; none for: "
          f"{', '.join(c['id'] for c in cities if c['id'] not in have)}", file=sys.stderr)
    for p in ("counties.csv", "counties.geojson", "county_neighbours.csv", "provinces.geojson"):
        print(f"{p}: {(OUT / p).stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
