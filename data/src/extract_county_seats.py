#!/usr/bin/env python3
"""Derive data/src/county_seats.csv, the government seat of each county-level unit.

Run once from the repository root, with a copy of the public repository
Vonng/adcode (CC BY 4.0; a checkout or its bare git directory):

    python3 data/src/extract_county_seats.py PATH_TO_VONNG_ADCODE

The build (data/build_counties.py) reads only the committed county_seats.csv, so it
needs neither this script nor the network. Standard library only, deterministic.

**Source.** Vonng/adcode, commit b755d6e4abca8e0d309728abc9ad4b100dacc685 (2020-03-12;
data of 2018-02-24), `data/adcode/NNNNNN.csv`: one file per county-level code of the
2016 statistical division codes, its first row the county itself with `longitude`,
`latitude`, the centre the AMap (高德) district service gives for the unit, which for a
county-level unit is the site of its people's government (县/区人民政府驻地). The
repository's README says all its coordinates are GCJ-02; this script converts them
to WGS84 (below) and checks that the conversion is needed.

**Matching to the units of data/counties.csv** (2021 codes):
1. the same code (a unit renamed in place keeps it: 桥东区 -> 襄都区);
2. else the code of the hand table RENAMED below (滦县 -> 滦州市, 郫县 -> 郫都区, ...);
3. else a code that no longer exists in 2021, in the same prefecture (first four
   digits) or among the province-administered units (NBS codes xx90yy/139001), whose
   name stem (the name less 县/市/区/...) equals the unit's or is a prefix of it, or
   the other way round (平泉县 -> 平泉市, 章丘市 -> 章丘区), when exactly one such
   code fits;
4. else a code that no longer exists, anywhere in the province, with the same stem, when
   exactly one fits (Nagqu's counties, renumbered 5424xx -> 5406xx in 2017);
5. prefecture-level cities without districts (Dongguan, Zhongshan, Jiayuguan, Danzhou)
   take the centre of the city row.
The 134 functional areas have no seat in the source. Whether a seat is used is decided
by data/build_counties.py: only where it lies inside the unit's polygon.

**GCJ-02.** The published forward transform (WGS84 -> GCJ-02, the "Mars" offset of
Chinese map services) is inverted by fixed-point iteration to 1e-9 degrees. The need is
checked on the source's own town-level points (乡/镇/街道, about 35,000): the share that
falls inside the polygon of its own unit, with and without the conversion.
"""
import csv
import json
import math
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
OUT = DATA / "src" / "county_seats.csv"
SOURCE = "Vonng/adcode b755d6e"  # commit b755d6e4abca8e0d309728abc9ad4b100dacc685, CC BY 4.0
SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "县", "市", "区", "旗")
# Renamed units the stems miss (2021 code: 2016 code), each one county or district
# renamed as a whole with its seat kept: 滦县 -> 滦州市 (2018), 任县 -> 任泽区 (2020),
# 大同县 -> 云州区 (2018), 长治县 -> 上党区 (2018), 芜湖县 -> 湾沚区 (2020),
# 九江县 -> 柴桑区 (2017), 上饶县 -> 广信区 (2019), 莱城区 -> 莱芜区 (2019),
# 许昌县 -> 建安区 (2016), 株洲县 -> 渌口区 (2018), 郫县 -> 郫都区 (2016),
# 宜宾县 -> 叙州区 (2018), 盘县 -> 盘州市 (2017), 那曲县 -> 色尼区 (2017),
# 户县 -> 鄠邑区 (2016), 彬县 -> 彬州市 (2018).
RENAMED = {130284: 130223, 130505: 130526, 140215: 140227, 140404: 140421, 340210: 340221, 360404: 360421,
           361104: 361121, 370116: 371202, 411003: 411023, 430212: 430221, 510117: 510124, 511504: 511521,
           520281: 520222, 540602: 542421, 610118: 610125, 610482: 610427}


# --- GCJ-02 ------------------------------------------------------------------------
GCJ_A = 6378245.0  # Krasovsky 1940 semi-major axis, as used by the GCJ-02 offset
GCJ_EE = 0.00669342162296594323


def _offset_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _offset_lon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    """WGS84 -> GCJ-02 (mainland China)."""
    dlat = _offset_lat(lon - 105.0, lat - 35.0)
    dlon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    m = 1.0 - GCJ_EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (m * math.sqrt(m)) * math.pi)
    dlon = dlon * 180.0 / (GCJ_A / math.sqrt(m) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(lon, lat):
    """GCJ-02 -> WGS84: the point whose forward transform is (lon, lat)."""
    x, y = lon, lat
    for _ in range(50):
        gx, gy = wgs_to_gcj(x, y)
        dx, dy = lon - gx, lat - gy
        x, y = x + dx, y + dy
        if abs(dx) < 1e-9 and abs(dy) < 1e-9:
            break
    return x, y


# --- Source ------------------------------------------------------------------------
COLUMNS = ["code", "parent", "name", "level", "rank", "adcode", "post_code", "area_code", "ur_code",
           "municipality", "virtual", "dummy", "longitude", "latitude", "center", "province", "city", "county",
           "town", "village"]


def source_files(path):
    """(file name, text) of every data/adcode/*.csv, from a checkout or a git directory."""
    p = Path(path)
    if (p / "data" / "adcode").is_dir():
        for f in sorted((p / "data" / "adcode").glob("*.csv")):
            yield f.name, f.read_text(encoding="utf-8")
        return
    ls = subprocess.run(["git", "--git-dir", str(p), "ls-tree", "HEAD", "data/adcode/"], check=True,
                        capture_output=True, text=True).stdout.splitlines()
    entries = sorted((line.split("\t")[1], line.split()[2]) for line in ls)
    batch = subprocess.run(["git", "--git-dir", str(p), "cat-file", "--batch"], check=True, capture_output=True,
                           input="".join(sha + "\n" for _, sha in entries).encode())
    buf, pos = batch.stdout, 0
    for name, _ in entries:
        nl = buf.index(b"\n", pos)
        size = int(buf[pos:nl].split()[2])
        yield name.rsplit("/", 1)[1], buf[nl + 1:nl + 1 + size].decode("utf-8")
        pos = nl + 1 + size + 1


def source_rows(path):
    """code -> row for counties and prefectures (first row of each file); towns with a point."""
    units, towns = {}, []
    for _, text in source_files(path):
        for i, rec in enumerate(csv.reader(text.splitlines())):
            r = dict(zip(COLUMNS, rec))
            if i == 0 and r["level"] in ("county", "city"):
                units[int(r["adcode"])] = r
            elif r["level"] == "town" and r["longitude"]:
                towns.append(r)
    return units, towns


# --- Units and polygons ------------------------------------------------------------
def stem(name):
    for s in SUFFIXES:
        if name.endswith(s) and len(name) > len(s) + 1:
            return name[: -len(s)]
    return name


def load_polygons():
    with open(DATA / "counties.geojson", encoding="utf-8") as f:
        gj = json.load(f)
    return {str(ft["properties"]["id"]): ft["geometry"]["coordinates"] for ft in gj["features"]}


def in_ring(x, y, ring):
    inside = False
    for (ax, ay), (bx, by) in zip(ring, ring[1:]):
        if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
            inside = not inside
    return inside


def inside(polys, x, y):
    return any(in_ring(x, y, p[0]) and not any(in_ring(x, y, h) for h in p[1:]) for p in polys)


def match(units, src):
    """unit id -> (source code, how) for every unit with a seat in the source."""
    codes_2021 = {int(u["id"]) for u in units}
    gone = {c: r for c, r in src.items() if c not in codes_2021 and r["level"] == "county"}
    out = {}
    for u in units:
        code = int(u["id"])
        if u["kind"] == "functional":
            continue
        r = src.get(code)
        if r is not None and (r["level"] == "county" or code % 100 == 0):
            out[u["id"]] = (code, "code" if r["name"] == u["name_zh"] else "code, renamed")
            continue
        if code in RENAMED:
            old = RENAMED[code]
            if old not in gone:
                sys.exit(f"RENAMED: {old} is not a county code of the source that is gone by 2021")
            out[u["id"]] = (old, "renamed")
            continue
        s = stem(u["name_zh"])
        pref = code // 100

        def near(c):
            return c // 100 == pref or c // 100 % 100 == 90 or c // 100 == 1390

        cand = [c for c, g in gone.items() if c // 10000 == code // 10000 and near(c)
                and (stem(g["name"]).startswith(s) or s.startswith(stem(g["name"])))]
        if len(cand) != 1:
            cand = [c for c, g in gone.items() if c // 10000 == code // 10000 and stem(g["name"]) == s]
        if len(cand) == 1:
            out[u["id"]] = (cand[0], "code since changed")
    # A source code may serve only one unit.
    used = {}
    for uid, (c, _) in sorted(out.items()):
        used.setdefault(c, []).append(uid)
    for c, uids in used.items():
        if len(uids) > 1:
            for uid in uids:
                if out[uid][0] != int(uid):
                    del out[uid]
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 data/src/extract_county_seats.py PATH_TO_VONNG_ADCODE (checkout or git dir)")
    src, towns = source_rows(sys.argv[1])
    with open(DATA / "counties.csv", encoding="utf-8", newline="") as f:
        units = list(csv.DictReader(f))
    polys = load_polygons()
    names = {u["id"]: u["name_zh"] for u in units}

    # Datum check: towns inside their own unit, as given and converted.
    raw = conv = n = 0
    for t in towns:
        uid = str(t["adcode"])
        if uid not in polys or src.get(int(uid), {}).get("name") != names.get(uid):
            continue
        lon, lat = float(t["longitude"]), float(t["latitude"])
        n += 1
        raw += inside(polys[uid], lon, lat)
        conv += inside(polys[uid], *gcj_to_wgs(lon, lat))
    print(f"datum check: of {n} town points, {n - raw} fall outside their own unit as given (GCJ-02), "
          f"{n - conv} after conversion to WGS84", file=sys.stderr)
    if conv <= raw:
        sys.exit("datum check failed: converting to WGS84 does not bring more towns inside their units")

    matched = match(units, src)
    rows = []
    for u in units:
        m = matched.get(u["id"])
        if m is None:
            continue
        r = src[m[0]]
        if not r["longitude"]:
            continue
        glon, glat = float(r["longitude"]), float(r["latitude"])
        lon, lat = gcj_to_wgs(glon, glat)
        how = "" if m[1] == "code" else f" {m[0]} {r['name']} ({m[1]})"
        rows.append({"adcode": u["id"], "name": u["name_zh"], "lon": f"{lon:.5f}", "lat": f"{lat:.5f}",
                     "source": f"{SOURCE}{how}: AMap {glon},{glat} GCJ-02"})
    tmp = OUT.with_name(OUT.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["adcode", "name", "lon", "lat", "source"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(OUT)
    hows = {}
    for m in matched.values():
        hows[m[1]] = hows.get(m[1], 0) + 1
    print(f"{OUT.name}: {len(rows)} seats for {len(units)} units ({', '.join(f'{k} {v}' for k, v in sorted(hows.items()))}"
          f"; matched without a point: {len(matched) - len(rows)})", file=sys.stderr)
    for u in units:
        m = matched.get(u["id"])
        if m is not None and m[1] != "code":
            print(f"  {u['id']} {u['name_zh']} <- {m[0]} {src[m[0]]['name']} ({m[1]})", file=sys.stderr)
    print("no seat: " + " ".join(f"{u['id']}{u['name_zh']}" for u in units
                                 if u["kind"] != "functional" and u["id"] not in {r["adcode"] for r in rows}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
