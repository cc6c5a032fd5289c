#!/usr/bin/env python3
"""Check the compiled city populations against the china-census tables and cite them.

Run from the repository root:  python3 data/cite_census.py REFERENCE_DIR
(REFERENCE_DIR holds china-census/, as for data/build_counties.py). Standard library only.

For every node of data/src/cities_{a,b,c}.csv with an adcode it compares
- pop_2020 with `pop` of the node's row in china-census county_2020.csv, less the
  county-level nodes inside it (Xinji in Shijiazhuang, Dingzhou in Baoding, ...);
- pop_2010 with `popu_2010` of prefecture_2010_2020.csv (2010 restated on 2020
  boundaries), else with `pop` of county_2010.csv (2010 codes), less the same nodes.
Where a figure agrees exactly, its `census2020:` or `2010:` tag is replaced by a
citation of the table (file, commit, row); a tag that rested on recall is dropped,
any other is kept after the citation. A recalled 2010 figure within 0.2 % (at least
5,000) of the table is replaced by the table's figure, which is cited. Figures that disagree are left as they are and
listed on stdout with the difference (data/README.md, "How the data was checked",
explains each). Idempotent: a tag that already cites china-census is left alone.
"""
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_dataset import SRC, read, split_source  # noqa: E402

COLS = ["id", "name", "name_zh", "province", "adcode", "lon", "lat", "pop_2020", "pop_2010",
        "urban_pop_2020", "access_hsr_min", "access_rail_min", "level", "source"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 data/cite_census.py REFERENCE_DIR (the folder holding china-census/)")
    ref = Path(sys.argv[1]) / "china-census"
    commit = (ref / "SOURCE_COMMIT").read_text().strip()
    c2020 = {r["adcode"]: r for r in read(ref / "county_2020.csv") if r["adcode"] != "NA"}
    restated = {r["city_code"]: r for r in read(ref / "prefecture_2010_2020.csv")}
    raw2010 = {r["adcode"]: r for r in read(ref / "county_2010.csv") if r["adcode"]}
    files = {p: read(SRC / f"cities_{p}.csv") for p in "abc"}
    nodes = [c for rows in files.values() for c in rows if c["pop_2020"].strip() and c["adcode"].strip()]
    by_code = {c["adcode"]: c for c in nodes}

    def inner(code):
        """County-level nodes inside the prefecture-level unit `code`."""
        if code.endswith("0000"):
            pre = code[:2]
        elif code.endswith("00"):
            pre = code[:4]
        else:
            return []
        return [c for k, c in by_code.items() if k != code and k.startswith(pre) and not k.endswith("00")]

    stats = {"2020": [0, 0, 0], "2010": [0, 0, 0]}
    diffs = []
    for part, rows in files.items():
        for c in rows:
            code = c["adcode"].strip()
            if not c["pop_2020"].strip() or not code:
                continue
            tags = split_source(c["source"])
            less = inner(code)
            less_txt = f" less {', '.join(x['id'] for x in less)}" if less else ""
            # 2020
            r = c2020.get(code)
            if r:
                want = int(r["pop"]) - sum(int(x["pop_2020"]) for x in less)
                have = int(c["pop_2020"])
                stats["2020"][0] += 1
                if have == want:
                    stats["2020"][1] += 1
                    cite = (f"census2020:china-census county_2020.csv {commit}: pop of {r['county']} ({code})"
                            f"{less_txt}")
                    tags = retag(tags, "census2020:", cite)
                else:
                    diffs.append(("2020", c["id"], have, want, have - want))
            # 2010
            key = code if not code.endswith("0000") else code[:2] + "0100"
            cands = []
            if key in restated and restated[key]["popu_2010"]:
                cands.append(("prefecture_2010_2020.csv", "popu_2010", restated[key]["popu_2010"],
                              restated[key]["city"]))
            if code in raw2010:
                cands.append(("county_2010.csv", "pop", raw2010[code]["pop"], raw2010[code]["name"]))
            if cands and c["pop_2010"].strip():
                have = int(c["pop_2010"])
                less10 = sum(int(x["pop_2010"] or 0) for x in less)
                stats["2010"][0] += 1
                hit = next((x for x in cands if int(x[2]) - less10 == have), None)
                if hit:
                    stats["2010"][1] += 1
                    cite = f"2010:china-census {hit[0]} {commit}: {hit[1]} of {hit[3]} ({key}){less_txt}"
                    tags = retag(tags, "2010:", cite)
                else:
                    want = int(cands[0][2]) - less10
                    old = next((t for t in tags if t.startswith("2010:")), "")
                    if "recall" in old and abs(have - want) <= max(5000, 0.002 * have):
                        # A recalled figure a little off the table: the table wins.
                        stats["2010"][2] += 1
                        c["pop_2010"] = str(want)
                        cite = (f"2010:china-census {cands[0][0]} {commit}: {cands[0][1]} of {cands[0][3]} ({key})"
                                f"{less_txt} (an earlier hand-compiled figure was {have})")
                        tags = retag(tags, "2010:", cite)
                    else:
                        diffs.append(("2010", c["id"], have, want, have - want))
            c["source"] = "; ".join(tags)
        with open(SRC / f"cities_{part}.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, COLS, lineterminator="\n")
            w.writeheader()
            for c in rows:
                w.writerow({k: c.get(k, "") for k in COLS})
    for y, (n, ok, fixed) in stats.items():
        print(f"{y}: {ok} of {n} compared nodes equal the china-census figure; {fixed} recalled figures replaced by it")
    for d in diffs:
        print("differs: %s %-16s data %10d census %10d diff %+d" % d)


def retag(tags, prefix, cite):
    """`tags` with the `prefix` tag replaced by `cite` (kept after it unless it was recall)."""
    out, done = [], False
    for t in tags:
        if t.startswith(prefix) and not done:
            done = True
            if "china-census" in t:
                out.append(t)
                continue
            out.append(cite)
            if "recall" not in t:
                out.append("also " + t)
        else:
            out.append(t)
    if not done:
        out.insert(0, cite)
    return out


if __name__ == "__main__":
    main()
