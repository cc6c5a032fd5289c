#!/usr/bin/env python3
"""Assemble the embedded dataset (data/cities.csv, links.csv, agglomerations.csv)
from the compiled sources in data/src/ and the documented road model.

Run from the repository root:  python3 data/build_dataset.py
Standard library only; deterministic output. See data/README.md for sources
and for the road model's parameters and their reasons.
"""
import csv
import math
import sys
from pathlib import Path

SRC = Path(__file__).parent / "src"
OUT = Path(__file__).parent
sys.path.insert(0, str(SRC))
from extract_county_seats import gcj_to_wgs  # noqa: E402  (the transform the county seats use)

# The compiled centres of src/cities_*.csv were read off a GCJ-02 map (data/README.md
# section 2.3); these are outside the mainland, where no GCJ-02 offset applies.
NOT_GCJ = {"hong-kong", "macao"}
# Nodes whose people the census county tabulation counts in the county units of
# other nodes (column `counted_in`): the Changbaishan area's 61,146 are in the
# units of Baishan (16,507) and Yanbian (44,639); data/README.md sections 2.1 and 7.
COUNTED_IN = {"changbaishan": "baishan;yanbian"}

CITY_COLS = ["id", "name", "name_zh", "province", "adcode", "lon", "lat", "pop_2020",
             "pop_2010", "urban_pop_2020", "access_hsr_min", "access_rail_min", "level", "source", "counted_in"]
LINK_COLS = ["from", "to", "mode", "minutes", "km", "services_per_day", "line", "opened",
             "oneway", "source"]
AGG_COLS = ["id", "name", "name_zh", "kind", "cores", "members", "partial", "approved", "source"]

# --- road model (documented in data/README.md) ---------------------------------
DETOUR = 1.25          # road km per great-circle km
SPEED_KMH = 90.0       # expressway cruising speed, free flow
URBAN_MIN = 10.0       # minutes to leave the origin's and enter the destination's urban area
SLOW_PROVINCES = {"Tibet", "Qinghai"}   # plateau roads: lower speed, longer detours
SLOW_DETOUR, SLOW_SPEED = 1.4, 70.0
SHORT_KM = 30.0        # modelled links shorter than this are `road`, not `expressway`
K_NEAREST = 4          # each city links to up to its 4 nearest neighbours ...
MAX_KM = 250.0         # ... within 250 km great-circle
# Water that no road crosses: pairs of provinces (or cities) never joined by a modelled road.
NO_ROAD_CITIES = {"hong-kong", "macao", "sansha"}     # fixed links / ship only
ISLAND_PROVINCES = {"Hainan"}                        # joined to the mainland only by ferry
NO_ROAD_PROVINCE_PAIRS = {frozenset({"Liaoning", "Shandong"})}  # Bohai Strait


# Modelled pairs with no expressway between them (2024 network; compiler's general knowledge,
# unverified, data/README.md section 3): mode `road`, with a longer detour and a lower speed.
ROAD_DETOUR, ROAD_SPEED = 1.3, 60.0            # national or provincial trunk road
MOUNTAIN_DETOUR, MOUNTAIN_SPEED = 1.5, 45.0    # mountain or plateau trunk road
NO_EXPRESSWAY = {
    frozenset({"changdu", "yushu"}): (True, "G214 over the Hengduan ranges"),
    frozenset({"changdu", "linzhi"}): (True, "G318/G317 via Bomi"),
    frozenset({"guoluo", "yushu"}): (True, "plateau roads, no expressway between the two seats"),
    frozenset({"haixi", "jiayuguan"}): (True, "across the Qilian Mountains"),
    frozenset({"linzhi", "shannan"}): (True, "along the Yarlung Tsangpo, no expressway"),
    frozenset({"akesu", "yili"}): (True, "across the Tianshan (seasonal mountain roads)"),
    frozenset({"daxinganling", "heihe"}): (False, "forest trunk roads"),
    frozenset({"daxinganling", "hulunbeier"}): (False, "forest trunk roads"),
    frozenset({"heihe", "yichun-heilongjiang"}): (False, "trunk roads"),
}
# Modelled pairs replaced by a stated route: Ngari's only road link. The great-circle
# neighbour (Hotan) is over the Kunlun with no road; the Xinjiang–Tibet highway (G219)
# runs Shiquanhe–Yecheng, about 1,080 km, then about 250 km of expressway to Kashgar.
ROUTE_OVERRIDES = {
    frozenset({"ali", "hetian"}): ("ali", "kashi", 1330.0, MOUNTAIN_SPEED,
                                   "G219 Shiquanhe–Yecheng about 1,080 km + Yecheng–Kashgar about 250 km "
                                   "(general knowledge, unverified)"),
    # The straight line Hotan–Tumxuk crosses the Taklamakan. The road that does is the
    # two-lane Hotan–Aral desert highway, 424 km, opened 2007-11-01 (Xinhua via
    # twocircles.net; China Economic Review), so Hotan joins Aral, not Tumxuk.
    frozenset({"hetian", "tumushuke"}): ("hetian", "alaer", 424.0, ROAD_SPEED,
                                         "Hotan–Aral desert highway, 424 km, two-lane (Xinhua 2007-11-01)"),
}

# Modelled expressways added by name where neither end is among the other's nearest
# neighbours, so that the generated network would send traffic round a detour.
EXTRA_EXPRESSWAYS = [
    ("suihua", "heihe", "G1211 Jilin–Heihe expressway via Bei'an: the Bei'an–Heihe section is complete "
     "(de.wikipedia, Autobahn Jilin–Heihe); Suihua–Bei'an was built from 2009 to four-lane expressway "
     "standard at 80 km/h design, mostly by widening the old road (lmjx.net 2009-08-25); its opening "
     "date was not found"),
    ("kashi", "hetian", "Kashgar–Hotan expressway (Shule–Moyu 434 km, 120 km/h design, opened 2019-07-31; "
     "Kashgar–Hotan in just over 4 h, China Daily via stockshoes.it; conflicting: English Wikipedia's G3012 page "
     "still shows a gap between Kargilik and Karakax)"),
    ("bayinguoleng", "akesu", "G3012 Turpan–Hotan expressway, complete from Toksun via Korla and Kuqa to "
     "Yecheng (Wikipedia, G3012 Turpan–Hotan Expressway)"),
    ("lasa", "linzhi", "Lhasa–Nyingchi expressway, 409 km, toll-free, 80 km/h limit, opened 2017-10-01 "
     "(Xinhua via china.org.cn 2017-10-01)"),
    # Among Kunming's 4 nearest until the centres were converted from GCJ-02 (a tie
    # within 1 km); the G5 runs Chengdu–Xichang–Panzhihua–Kunming.
    ("kunming", "panzhihua", "G5 Beijing–Kunming expressway through Xichang and Panzhihua, complete as of 2018 "
     "(Wikipedia, G5 Beijing–Kunming Expressway, mirror theinfolist.com)"),
]

# Modelled expressway pairs checked against a public source (issue 16): the source is
# appended to the row. Pairs over 300 km and in Tibet, Qinghai, Xinjiang and Inner
# Mongolia not listed here or in NO_EXPRESSWAY rest on the compilers' general knowledge
# (data/README.md, section 3).
G6 = ("G6 Beijing–Lhasa expressway through Zhangjiakou, Jining (Ulanqab), Hohhot, Bayannur, Wuhai, Yinchuan, "
      "Lanzhou and Xining, sharing the G7 via Baotou between Hohhot and Linhe; open from Beijing to Xining "
      "(Wikipedia, G6 Beijing–Lhasa Expressway)")
G30 = "G30 Lianhuo expressway, open end to end since 2014-12-31 (China Daily via traveltrade.xyz"
G3012 = "G3012 Turpan–Hotan expressway via Aksu, Maralbexi, Artux and Kashgar, complete from Toksun to Yecheng (Wikipedia, G3012 Turpan–Hotan Expressway)"
CHECKED_EXPRESSWAYS = {
    frozenset({"tulufan", "wulumuqi"}): "G30 Lianhuo expressway through Turpan and Urumqi, open end to end since "
                                        "2014-12-31 (Wikipedia, G30; China Daily via traveltrade.xyz)",
    frozenset({"akesu", "tumushuke"}): G3012,
    frozenset({"kezilesu", "tumushuke"}): G3012,
    frozenset({"kashi", "kezilesu"}): G3012,
    frozenset({"wulanchabu", "zhangjiakou"}): G6,
    frozenset({"huhehaote", "wulanchabu"}): G6,
    frozenset({"baotou", "huhehaote"}): G6,
    frozenset({"baotou", "bayannaoer"}): G6,
    frozenset({"bayannaoer", "wuhai"}): G6,
    frozenset({"wuhai", "yinchuan"}): G6,
    frozenset({"haidong", "lanzhou"}): G6 + "; Haidong lies on it between Lanzhou and Xining",
    frozenset({"haidong", "xining"}): G6 + "; Haidong lies on it between Lanzhou and Xining",
    # Was `road` ("desert trunk road") before issue 16: G3014 runs the whole way.
    frozenset({"aletai", "kelamayi"}): "G3014 Kuytun–Altay expressway, Karamay–Altay open since 2014-07-01 "
                                       "(Wikipedia, G3014 Kuytun–Altay Expressway)",
    frozenset({"kelamayi", "tacheng"}): "G3015 Karamay–Tacheng expressway, opened 2014-11-30 (Wikipedia, "
                                        "G3015 Kuytun–Tacheng Expressway)",
    frozenset({"hami", "tulufan"}): G30 + "); Hami–Turpan section widened from 2024 (PR Newswire 2024-11-07)",
    frozenset({"hami", "jiayuguan"}): G30 + "; Wikipedia, G30 Lianyungang–Khorgas Expressway)",
    frozenset({"chifeng", "xilinguole"}): "G16 Dandong–Xilinhot expressway via Chifeng: Jingpeng–Xilinhot open "
                                          "2017-03-18 (Inner Mongolia Daily 2017-03-28), last section Daban–Jingpeng "
                                          "2019-08 (Chifeng press re-posts)",
    frozenset({"bayinguoleng", "wulumuqi"}): "G0711 Urumqi–Yuli expressway, 324.7 km through the Tianshan Shengli "
                                             "tunnel, opened 2025-12-26, Urumqi–Korla about 3 h (China Daily 2025-12-27)",
    frozenset({"lasa", "naqu"}): "Lhasa–Nagqu expressway (G6), 295 km, fully open 2021-08-21 "
                                 "(CCCC 2021-08-25; Xinhua via TibetanReview 2021-08-22)",
    frozenset({"lasa", "rikaze"}): "Lhasa–Xigaze expressway, main body complete 2023-12 (Xinhua via People's "
                                   "Daily 2023-12-06), opened 2024-06-30 (Xinhua via scio.gov.cn 2024-07-01)",
}

# Ids written differently by the compilers of different source files.
ALIASES = {"turpan": "tulufan", "harbin": "haerbin", "qiqihar": "qiqihaer", "luliang": "lvliang"}


def gc_km(a, b):
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def split_source(text):
    """A `source` field split at the `; ` that separate its tags (not inside brackets)."""
    parts, depth, cur = [], 0, ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch in "([" and 1 or 0
        depth -= ch in ")]" and 1 or 0
        if depth == 0 and text.startswith("; ", i):
            parts.append(cur)
            cur, i = "", i + 2
            continue
        cur += ch
        i += 1
    return parts + [cur] if cur else parts


def apply_urban_pop(cities):
    """Urban-district (城区) populations from data/src/urban_pop_2020.csv, written by
    data/build_counties.py from the census county table: they replace the compiled
    figures, and the `urban:` tag of `source` says where each comes from. Cities
    with no row there have no published figure: `agglo tiers` estimates theirs."""
    path = SRC / "urban_pop_2020.csv"
    rows = {r["id"]: r for r in read(path)}
    for c in cities:
        tags = [t for t in split_source(c.get("source", "")) if not t.startswith("urban:")]
        r = rows.get(c["id"])
        c["urban_pop_2020"] = r["urban_pop_2020"] if r else ""
        if r:
            tags.append(f"urban:{r['source']}")
        c["source"] = "; ".join(tags)
    print(f"urban_pop_2020: {len(rows)} of {len(cities)} cities from {path.name}", file=sys.stderr)


def road_allowed(c1, c2):
    if c1["id"] in NO_ROAD_CITIES or c2["id"] in NO_ROAD_CITIES:
        return False
    p1, p2 = c1["province"], c2["province"]
    if (p1 in ISLAND_PROVINCES) != (p2 in ISLAND_PROVINCES):
        return False
    return frozenset({p1, p2}) not in NO_ROAD_PROVINCE_PAIRS


def road_link(c1, c2, why):
    pair = frozenset({c1["id"], c2["id"]})
    if pair in ROUTE_OVERRIDES:
        a, b, km, speed, route = ROUTE_OVERRIDES[pair]
        minutes = km / speed * 60 + URBAN_MIN
        return {"from": a, "to": b, "mode": "road", "minutes": f"{minutes:.0f}", "km": f"{km:.0f}",
                "services_per_day": "", "line": "", "opened": "", "oneway": "",
                "source": f"modeled: stated route {route} at {speed:.0f} km/h + {URBAN_MIN:.0f} min urban "
                          f"(replaces {c1['id']}–{c2['id']}, {why}; no expressway)"}
    d = gc_km((float(c1["lon"]), float(c1["lat"])), (float(c2["lon"]), float(c2["lat"])))
    slow = c1["province"] in SLOW_PROVINCES or c2["province"] in SLOW_PROVINCES
    detour, speed = (SLOW_DETOUR, SLOW_SPEED) if slow else (DETOUR, SPEED_KMH)
    note = ""
    if pair in NO_EXPRESSWAY:
        mountain, what = NO_EXPRESSWAY[pair]
        detour, speed = (MOUNTAIN_DETOUR, MOUNTAIN_SPEED) if mountain else (ROAD_DETOUR, ROAD_SPEED)
        note = f"; no expressway: {what}"
    if pair in CHECKED_EXPRESSWAYS:
        note = f"; checked: {CHECKED_EXPRESSWAYS[pair]}"
    km = d * detour
    minutes = km / speed * 60 + URBAN_MIN
    # Adjacent centres closer than SHORT_KM are joined by ordinary roads, not expressways.
    mode = "road" if km < SHORT_KM or pair in NO_EXPRESSWAY else "expressway"
    return {"from": c1["id"], "to": c2["id"], "mode": mode, "minutes": f"{minutes:.0f}",
            "km": f"{km:.0f}", "services_per_day": "", "line": "", "opened": "", "oneway": "",
            "source": f"modeled: great-circle x{detour} at {speed:.0f} km/h + {URBAN_MIN:.0f} min urban ({why}){note}"}


def to_wgs84(c):
    """The compiled centre (GCJ-02, as read off Chinese map services) -> WGS84, to
    the 4 decimals of the source. Hong Kong and Macao are kept as they are."""
    if c["id"] in NOT_GCJ:
        return
    lon, lat = gcj_to_wgs(float(c["lon"]), float(c["lat"]))
    c["lon"], c["lat"] = f"{lon:.4f}", f"{lat:.4f}"


def main():
    cities = []
    for part in ("a", "b", "c"):
        for c in read(SRC / f"cities_{part}.csv"):
            # XPCC cities founded after 2010 have no separate census figure (their
            # residents are counted in the surrounding prefectures): not nodes.
            if not c["pop_2020"].strip():
                print(f"note: {c['id']} has no separate census population: left out", file=sys.stderr)
                continue
            cities.append(c)
    for c in cities:
        to_wgs84(c)
        c["counted_in"] = COUNTED_IN.get(c["id"], "")
    apply_urban_pop(cities)
    ids = {c["id"] for c in cities}
    by_id = {c["id"]: c for c in cities}

    links, seen, dropped, via_non_node = [], set(), [], {}
    for name in ("rail_north.csv", "rail_south.csv", "rail_express.csv", "rail_conv.csv", "rail_added.csv",
                 "fixed_links.csv"):
        p = SRC / name
        if not p.exists():
            print(f"note: {name} not present", file=sys.stderr)
            continue
        for r in read(p):
            r = {k: (r.get(k) or "").strip() for k in LINK_COLS}
            r["from"], r["to"] = ALIASES.get(r["from"], r["from"]), ALIASES.get(r["to"], r["to"])
            if r["oneway"].lower() in ("false", "no", "0"):
                r["oneway"] = ""
            if r["from"] not in ids or r["to"] not in ids:
                # A stop at a place that is not a node (an XPCC city without its
                # own census figure): joined with the line's next row through it.
                stop = r["to"] if r["from"] in ids else r["from"]
                if (r["from"] in ids) != (r["to"] in ids):
                    via_non_node.setdefault((stop, r["mode"]), []).append(r)
                else:
                    dropped.append((name, r["from"], r["to"], "unknown city"))
                continue
            key = (frozenset({r["from"], r["to"]}), r["mode"], r["line"])
            if key in seen:
                dropped.append((name, r["from"], r["to"], "duplicate"))
                continue
            seen.add(key)
            # Links join city centres: a station-to-station km shorter than the
            # centres' great-circle distance is raised to it (documented).
            d = gc_km((float(by_id[r["from"]]["lon"]), float(by_id[r["from"]]["lat"])),
                      (float(by_id[r["to"]]["lon"]), float(by_id[r["to"]]["lat"])))
            if float(r["km"]) < d:
                r["source"] += f"; km raised from {r['km']} to the centres' great-circle distance"
                r["km"] = f"{math.ceil(d)}"
            links.append(r)

    for (stop, mode), rows in sorted(via_non_node.items()):
        if len(rows) != 2:
            for r in rows:
                dropped.append(("", r["from"], r["to"], f"stop {stop} is not a node"))
            continue
        a, b = rows
        ends = [x for x in (a["from"], a["to"], b["from"], b["to"]) if x != stop]
        r = {"from": ends[0], "to": ends[1], "mode": mode,
             "minutes": f"{float(a['minutes']) + float(b['minutes']):g}",
             "km": f"{float(a['km']) + float(b['km']):g}",
             "services_per_day": min((x["services_per_day"] for x in rows if x["services_per_day"]), default="",
                                     key=float),
             "line": a["line"] if a["line"] == b["line"] else f"{a['line']} / {b['line']}",
             "opened": max(a["opened"], b["opened"]), "oneway": "",
             "source": f"joined at merge through {stop} (not a node): {a['source']} | {b['source']}"}
        links.append(r)

    # Modelled expressways: k nearest neighbours within MAX_KM, then a minimum
    # spanning forest over all allowed pairs so that every mainland city is reached.
    pts = {c["id"]: (float(c["lon"]), float(c["lat"])) for c in cities}
    pairs = set()
    for c in cities:
        near = sorted((gc_km(pts[c["id"]], pts[o["id"]]), o["id"]) for o in cities
                      if o["id"] != c["id"] and road_allowed(c, o))
        for d, oid in near[:K_NEAREST]:
            if d <= MAX_KM:
                pairs.add(tuple(sorted((c["id"], oid))))
    # Kruskal over allowed pairs (complete graph is small enough: ~375^2/2 pairs).
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in pairs:
        parent[find(a)] = find(b)
    cand = sorted((gc_km(pts[a["id"]], pts[b["id"]]), a["id"], b["id"]) for i, a in enumerate(cities)
                  for b in cities[i + 1:] if road_allowed(a, b))
    mst = set()
    for d, a, b in cand:
        if find(a) != find(b):
            parent[find(a)] = find(b)
            mst.add(tuple(sorted((a, b))))
    for a, b in sorted(pairs):
        links.append(road_link(by_id[a], by_id[b], "nearest neighbours"))
    for a, b in sorted(mst - pairs):
        links.append(road_link(by_id[a], by_id[b], "connects a remote city"))
    for a, b, what in EXTRA_EXPRESSWAYS:
        if tuple(sorted((a, b))) not in pairs | mst:
            links.append(road_link(by_id[a], by_id[b], f"named: {what}"))

    aggs = read(SRC / "agglomerations.csv")
    with open(OUT / "cities.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, CITY_COLS, lineterminator="\n")
        w.writeheader()
        for c in cities:
            w.writerow({k: c.get(k, "") for k in CITY_COLS})
    with open(OUT / "links.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, LINK_COLS, lineterminator="\n")
        w.writeheader()
        w.writerows(links)
    with open(OUT / "agglomerations.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, AGG_COLS, lineterminator="\n")
        w.writeheader()
        for a in aggs:
            w.writerow({k: a.get(k, "") for k in AGG_COLS})
    for d in dropped:
        print("dropped:", *d, file=sys.stderr)
    print(f"{len(cities)} cities, {len(links)} links ({len(pairs)} + {len(mst - pairs)} modelled roads), "
          f"{len(aggs)} agglomerations", file=sys.stderr)


if __name__ == "__main__":
    main()
