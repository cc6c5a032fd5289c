#!/usr/bin/env python3
"""Calibration check of the county-level road model against published driving times.

Run from the repository root:

    python3 data/src/check_county_roads.py          # report with the parameters of build_county_links.py
    python3 data/src/check_county_roads.py --fit    # search the parameters again (about 10 s)
    python3 data/src/check_county_roads.py --markdown [--subset rural]   # the tables of data/README.md, 8.2
    python3 data/src/check_county_roads.py --set through_km=80 [--fit]   # other parameters
    python3 data/src/check_county_roads.py --subset rural [--fit]   # the rows of one set only

For every row of data/src/driving_times.csv the model time is the SHORTEST PATH over the
road links the build generates (neighbour and unit-to-centre links, as in
data/county_links.csv) together with the road, expressway and ferry links of
data/links.csv: the same driving-only graph the engine sees. Endpoints are the nodes in
the `from_node`/`to_node` columns (a county adcode, or a city id for a city centre).
Prints one line per pair and the median and P90 absolute % error and the bias (median
signed error) for quality A+B, C and all rows, and for each `set` of the file: `metro`, the
pairs around the big cores the model was fitted on, and `rural`, pairs of rural county
units (neither end urban) checked afterwards. The same figures are printed for the rows
whose two ends are both non-urban in the model (density under dense_per_km2), whatever
their set. Standard library only.
"""
import heapq
import math
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(DATA))
import build_county_links as B  # noqa: E402


def city_road_links():
    out = []
    for r in B.read_csv("links.csv"):
        if r["mode"] in ("road", "expressway", "ferry"):
            out.append((r["from"], r["to"], float(r["minutes"]), float(r["km"])))
    return out


class Graph:
    def __init__(self):
        self.adj = {}

    def add(self, a, b, w, km):
        self.adj.setdefault(a, []).append((b, w, km))
        self.adj.setdefault(b, []).append((a, w, km))

    def dijkstra(self, src, targets):
        """node -> (minutes, road km along the fastest path) for each target."""
        left = set(targets)
        dist = {src: (0.0, 0.0)}
        heap = [(0.0, 0.0, src)]
        out = {}
        while heap and left:
            d, k, u = heapq.heappop(heap)
            if d > dist[u][0]:
                continue
            if u in left:
                out[u] = (d, k)
                left.discard(u)
            for v, w, km in self.adj.get(u, ()):
                nd = d + w
                if nd < dist.get(v, (math.inf,))[0]:
                    dist[v] = (nd, k + km)
                    heapq.heappush(heap, (nd, k + km, v))
        return out


class Setup:
    """Everything that does not depend on the parameters, computed once."""

    def __init__(self, p=B.PARAMS, subset=None):
        self.units, self.cities = B.load_units(), B.load_cities()
        self.nodes = B.Nodes(self.units, self.cities, B.load_polygons())
        # The link set (neighbour, through, centre pairs) depends only on the through_*
        # parameters, which the fit does not search.
        self.pairs = B.road_pairs(self.units, self.cities, B.read_csv("county_neighbours.csv"), p)
        self.geo = []
        for a, b, kind, via in self.pairs:
            (x1, y1), (x2, y2) = self.nodes.point(a), self.nodes.point(b)
            self.geo.append((a, b, kind, via, B.haversine_km(x1, y1, x2, y2)))
        self.city_links = city_road_links()
        self.trips = B.read_csv("src/driving_times.csv")
        for i, t in enumerate(self.trips, start=2):
            for col in ("from_node", "to_node"):
                if t[col] not in self.units and t[col] not in self.cities:
                    sys.exit(f"driving_times.csv line {i}: {col} {t[col]!r} is not a node")
            if t["set"] not in SETS:
                sys.exit(f"driving_times.csv line {i}: set {t['set']!r} is not one of {', '.join(SETS)}")
        if subset is not None:
            self.trips = [t for t in self.trips if t["set"] == subset]

    def non_urban(self, t):
        """Both ends of the trip lie in units the model drives at a non-urban speed."""
        return all(self.nodes.end(t[c])[0] != "urban" for c in ("from_node", "to_node"))

    def graph(self, p):
        g = Graph()
        for a, b, kind, via, gc in self.geo:
            _, km, w = B.link_figures(self.nodes, a, b, kind, via, gc, p)
            g.add(a, b, w, km)
        for a, b, w, km in self.city_links:
            g.add(a, b, w, km)
        return g

    def model_times(self, p):
        g = self.graph(p)
        by_src = {}
        for t in self.trips:
            by_src.setdefault(t["from_node"], set()).add(t["to_node"])
        dist = {s: g.dijkstra(s, ts) for s, ts in sorted(by_src.items())}
        return [dist[t["from_node"]].get(t["to_node"], (math.inf, math.inf)) for t in self.trips]


# The sets of driving_times.csv: the pairs the model was fitted on, and the rural check.
SETS = ("metro", "rural")


def pct(sorted_vals, q):
    if not sorted_vals:
        return math.nan
    k = (len(sorted_vals) - 1) * q
    lo, hi = math.floor(k), math.ceil(k)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (k - lo)


def summary(errs):
    a = sorted(abs(e) for e in errs)
    s = sorted(errs)
    return len(errs), pct(a, 0.5), pct(a, 0.9), pct(s, 0.5), sum(errs) / len(errs) if errs else math.nan


def errors(setup, model):
    return [100.0 * (m - float(t["minutes"])) / float(t["minutes"]) for t, (m, _) in zip(setup.trips, model)]


def loss(setup, p):
    """Mean absolute log error of the minutes, A and B rows counted twice."""
    tot = wsum = 0.0
    for t, (m, _) in zip(setup.trips, setup.model_times(p)):
        w = 2.0 if t["quality"] in ("A", "B") else 1.0
        tot += w * abs(math.log(m / float(t["minutes"])))
        wsum += w
    return tot / wsum


def km_ratio(setup, p):
    """Median of published km / modelled path km over the rows with a published km."""
    r = sorted(float(t["km"]) / k for t, (_, k) in zip(setup.trips, setup.model_times(p)) if t["km"])
    return pct(r, 0.5)


def frange(lo, hi, step):
    n = int(round((hi - lo) / step))
    return [round(lo + i * step, 3) for i in range(n + 1)]


# Searched values. Speeds must not fall from the urban to the expressway class.
GRID = {
    "terminal_min": frange(0.0, 8.0, 0.5),
    "v_urban": frange(15.0, 80.0, 5.0),
    "v_suburban": frange(25.0, 90.0, 5.0),
    "v_rural": frange(30.0, 100.0, 5.0),
    "v_expressway": frange(50.0, 110.0, 5.0),
    "long_km": [20.0, 25.0, 30.0, 40.0, 50.0],
}
ORDER = ("v_urban", "v_suburban", "v_rural", "v_expressway")


def fit(setup, p):
    """Circuity from the published km, then the time parameters by coordinate descent.

    The road km of a path depends on circuity alone, so circuity is set first, to make
    the median ratio of published to modelled path km one (rounded to 0.05), but not
    below 1 (a link is never shorter than the straight line). The time
    parameters are then searched over GRID, one at a time, until no change lowers the loss.
    """
    p = dict(p)
    for _ in range(3):
        c = round(p["circuity"] * km_ratio(setup, p) / 0.05) * 0.05
        # A link is never shorter than the straight line between its ends.
        p["circuity"] = max(1.0, round(c, 2))
    print(f"circuity {p['circuity']} (median published/model km now {km_ratio(setup, p):.3f})", file=sys.stderr)
    best = loss(setup, p)
    for sweep in range(20):
        changed = False
        for k, vals in GRID.items():
            for v in vals:
                q = dict(p, **{k: v})
                if any(q[a] > q[b] for a, b in zip(ORDER, ORDER[1:])):
                    continue
                lq = loss(setup, q)
                if lq < best - 1e-9:
                    best, p, changed = lq, q, True
        print(f"sweep {sweep + 1}: loss {best:.4f} with " + ", ".join(f"{k}={p[k]}" for k in GRID), file=sys.stderr)
        if not changed:
            break
    return p, best


def report(setup, p):
    model = setup.model_times(p)
    errs = errors(setup, model)
    print(f"{'from':<22}{'to':<22}{'q':<3}{'km':>6}{'model':>7}{'min':>5}{'model':>7}{'err%':>7}")
    for t, (m, k), e in zip(setup.trips, model, errs):
        print(f"{t['from'][:20]:<22}{t['to'][:20]:<22}{t['quality']:<3}{t['km'] or '':>6}{k:>7.0f}{t['minutes']:>5}"
              f"{m:>7.0f}{e:>+7.0f}")
    print()
    print(f"minutes: {'rows':<15}{'n':>4}{'median |err|':>14}{'P90 |err|':>11}{'bias (median)':>15}{'mean err':>10}")
    groups = [("A+B", lambda t: t["quality"] in ("A", "B")), ("C", lambda t: t["quality"] == "C"),
              ("all", lambda t: True)]
    groups += [(name, lambda t, name=name: t["set"] == name) for name in SETS]
    groups += [("non-urban ends", setup.non_urban)]
    for name, keep in groups:
        sel = [e for t, e in zip(setup.trips, errs) if keep(t)]
        if sel:
            n, med, p90, bias, mean = summary(sel)
            print(f"         {name:<15}{n:>4}{med:>13.1f}%{p90:>10.1f}%{bias:>+14.1f}%{mean:>+9.1f}%")
    for name, keep in [("all", lambda t: True)] + [(n, lambda t, n=n: t["set"] == n) for n in SETS]:
        kerr = [100.0 * (k - float(t["km"])) / float(t["km"])
                for t, (_, k) in zip(setup.trips, model) if t["km"] and keep(t)]
        if kerr:
            n, med, p90, bias, mean = summary(kerr)
            print(f"km:      {name:<15}{n:>4}{med:>13.1f}%{p90:>10.1f}%{bias:>+14.1f}%{mean:>+9.1f}%")
    print(f"loss (mean |log error|, A/B twice): {loss(setup, p):.4f}")


def markdown(setup, p):
    """The calibration table of data/README.md, section 8.2."""
    model = setup.model_times(p)
    print("| from | to | q | km published / model | min published | model | error |")
    print("|---|---|---|---|---|---|---|")
    for t, (m, k), e in zip(setup.trips, model, errors(setup, model)):
        kp = t["km"] or "–"
        print(f"| {t['from']} | {t['to']} | {t['quality']} | {kp} / {k:.0f} | {t['minutes']} | {m:.0f} | {e:+.0f} % |")


def params_from_args(args):
    """B.PARAMS with `--set KEY=VALUE` overrides (numbers), for trying other parameters."""
    p = dict(B.PARAMS)
    for i, a in enumerate(args):
        if a == "--set":
            if i + 1 >= len(args) or "=" not in args[i + 1]:
                sys.exit("--set needs KEY=VALUE")
            k, v = args[i + 1].split("=", 1)
            if k not in p:
                sys.exit(f"--set: unknown parameter {k!r} (one of {', '.join(p)})")
            try:
                p[k] = type(p[k])(float(v)) if isinstance(p[k], int) else float(v)
            except ValueError:
                sys.exit(f"--set {k}: {v!r} is not a number")
    return p


def subset_from_args(args):
    """The set named by `--subset NAME`, or None for every row."""
    if "--subset" not in args:
        return None
    i = args.index("--subset")
    if i + 1 >= len(args) or args[i + 1] not in SETS:
        sys.exit(f"--subset needs one of {', '.join(SETS)}")
    return args[i + 1]


def main():
    args = sys.argv[1:]
    p = params_from_args(args)
    setup = Setup(p, subset_from_args(args))
    if "--markdown" in args:
        markdown(setup, p)
        return
    if "--fit" in args:
        p, best = fit(setup, p)
        print("fitted:", {k: p[k] for k in ("circuity",) + tuple(GRID)}, f"loss {best:.4f}")
    report(setup, p)


if __name__ == "__main__":
    main()
