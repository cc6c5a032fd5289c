#!/usr/bin/env python3
"""agglo side by side with NetworkX, python-igraph, NetworKit and rustworkx.

One command builds the graphs (`agglo road generate`, fixed seeds, written as
DIMACS so every tool reads the same arcs), times every kernel in agglo (the
`road_kernels` example, at 1 and 2 threads) and in each peer that has it
(each run in its own process with a time limit), checks that the results
agree with agglo's, and writes BENCHMARKS.md with the table and an SVG plot.

    python3 -m venv /tmp/peervenv && /tmp/peervenv/bin/pip install -r benches/peers/requirements.txt
    cargo build --release --examples
    /tmp/peervenv/bin/python benches/peers/run.py --sizes 2000,10000,100000

`--mesh N` (default 8000; 0 skips it) adds the city-network shape: a
k-nearest-neighbour mesh (k = 3) of N cities in a 4°×4° box, single-mode
(road links at 60 km/h over 1.2 × the great-circle km), written as
`cities.csv`/`links.csv`/`agglomerations.csv` (one agglomeration `all`). agglo
is timed as a whole process (`agglo --data DIR centrality --agglomeration all
--measures betweenness --format csv`, loading and writing included, peak
memory from `/usr/bin/time`); the peers read `links.csv` and are timed on
their computation alone.

Not run in CI.
"""
import argparse, json, math, os, statistics, subprocess, sys, tempfile, time

KERNELS = ["search", "matrix", "betweenness", "closeness", "cutoff", "approx"]
PEERS = ["networkx", "igraph", "networkit", "rustworkx"]
BUDGET = 36000  # 60 minutes in the generated graphs' 0.1 s units
CUTOFFS = [3000, 6000, 12000]  # 5, 10 and 20 minutes
APPROX_K = 200
MATRIX_K = 1000


def read_gr(path):
    n, edges = 0, {}
    with open(path) as f:
        for line in f:
            if line.startswith("p"):
                n = int(line.split()[2])
            elif line.startswith("a"):
                _, u, v, w = line.split()
                u, v, w = int(u) - 1, int(v) - 1, float(w)
                key = (min(u, v), max(u, v))
                edges[key] = min(w, edges.get(key, w))
    return n, sorted((u, v, w) for (u, v), w in edges.items())


MESH_K = 3


def knn_mesh(n, seed=42):
    """N seeded points in a 4°×4° box, each linked to its MESH_K nearest
    (planar distance), as sorted unique (a, b) pairs with a < b."""
    import numpy as np
    rng = np.random.default_rng(seed)
    lon = 112.0 + 4.0 * rng.random(n)
    lat = 28.0 + 4.0 * rng.random(n)
    x = lon * math.cos(math.radians(30.0)) * 111.195
    y = lat * 111.195
    edges = set()
    for lo in range(0, n, 512):
        hi = min(n, lo + 512)
        d = (x[lo:hi, None] - x[None, :]) ** 2 + (y[lo:hi, None] - y[None, :]) ** 2
        for i in range(hi - lo):
            d[i, lo + i] = np.inf
        nb = np.argpartition(d, MESH_K, axis=1)[:, :MESH_K]
        for i in range(hi - lo):
            for j in nb[i]:
                a, b = lo + i, int(j)
                edges.add((min(a, b), max(a, b)))
    return lon, lat, sorted(edges)


def haversine_km(lon1, lat1, lon2, lat2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def write_mesh(n, folder):
    """Writes the mesh as an agglo data folder; returns (nodes, links)."""
    lon, lat, edges = knn_mesh(n)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "cities.csv"), "w") as f:
        f.write("id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n")
        for i in range(n):
            f.write(f"c{i},City {i},城{i},Mesh,,{lon[i]:.6f},{lat[i]:.6f},{10000 + (i * 7919) % 990000},,,,\n")
    with open(os.path.join(folder, "links.csv"), "w") as f:
        f.write("from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n")
        for a, b in edges:
            km = 1.2 * haversine_km(lon[a], lat[a], lon[b], lat[b])
            f.write(f"c{a},c{b},road,{km!r},{km!r},,,,false,mesh\n")
    with open(os.path.join(folder, "agglomerations.csv"), "w") as f:
        f.write("id,name,name_zh,kind,cores,members\n")
        f.write(f"all,All,全部,city-cluster,c0,{';'.join(f'c{i}' for i in range(n))}\n")
    return n, len(edges)


def read_links(folder):
    """(n, sorted (u, v, minutes)) from a mesh folder's links.csv."""
    import csv
    with open(os.path.join(folder, "cities.csv")) as f:
        n = sum(1 for _ in f) - 1
    edges = []
    with open(os.path.join(folder, "links.csv")) as f:
        for r in csv.DictReader(f):
            edges.append((int(r["from"][1:]), int(r["to"][1:]), float(r["minutes"])))
    return n, edges


def sources(n):
    step = max(n // 100, 1)
    return [(1 + i * step) % n for i in range(min(100, n))]


def points(n, k):
    return [i * n // k for i in range(k)]


# CPU seconds (user + system, all threads) of the worker's computation.
CPU = [0.0]


def worker(peer, kernel, gr, out, arg, threads):
    """Runs one kernel in one peer; prints {"seconds": ...}."""
    n, edges = read_links(gr) if os.path.isdir(gr) else read_gr(gr)
    res = []
    if peer == "networkx":
        import networkx as nx
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_weighted_edges_from(edges)
        t = time.perf_counter()
        CPU[0] = time.process_time()
        if kernel == "search":
            res = [len(nx.single_source_dijkstra_path_length(G, s, cutoff=BUDGET)) for s in sources(n)]
        elif kernel == "matrix":
            pts = points(n, MATRIX_K)
            for s in pts:
                d = nx.single_source_dijkstra_path_length(G, s)
                res.extend(d.get(x, math.inf) for x in pts)
        elif kernel == "betweenness":
            b = nx.betweenness_centrality(G, weight="weight")
            res = [b[v] for v in range(n)]
        elif kernel == "closeness":
            c = nx.closeness_centrality(G, distance="weight")
            h = nx.harmonic_centrality(G, distance="weight")
            res = [(c[v], h[v]) for v in range(n)]
        elif kernel == "approx":
            b = nx.betweenness_centrality(G, k=APPROX_K, seed=1, weight="weight")
            res = [b[v] for v in range(n)]
        else:
            return None
    elif peer == "igraph":
        import igraph as ig
        G = ig.Graph(n=n, edges=[(u, v) for u, v, _ in edges])
        G.es["weight"] = [w for _, _, w in edges]
        t = time.perf_counter()
        CPU[0] = time.process_time()
        if kernel == "search":  # no cutoff in igraph: full searches
            for s in sources(n):
                d = G.distances(source=[s], weights="weight")[0]
                res.append(sum(1 for x in d if x <= BUDGET))
        elif kernel == "matrix":
            pts = points(n, MATRIX_K)
            res = [x for row in G.distances(source=pts, target=pts, weights="weight") for x in row]
        elif kernel == "betweenness":
            pairs = (n - 1) * (n - 2) / 2
            res = [b / pairs for b in G.betweenness(weights="weight", directed=False)]
        elif kernel == "closeness":
            c = G.closeness(weights="weight")
            h = G.harmonic_centrality(weights="weight", normalized=False)
            res = list(zip(c, h))
        elif kernel == "cutoff":
            cols = []
            for c in CUTOFFS:
                cols.append(G.betweenness(weights="weight", directed=False, cutoff=c))
                cols.append(G.harmonic_centrality(weights="weight", normalized=False, cutoff=c))
            res = list(zip(*cols))
        elif kernel == "approx":  # betweenness from a sample of sources
            import random
            rnd = random.Random(1)
            src = sorted(rnd.sample(range(n), min(APPROX_K, n)))
            b = G.betweenness(weights="weight", directed=False, sources=src)
            pairs = (n - 1) * (n - 2) / 2
            res = [x * n / len(src) / pairs for x in b]
        else:
            return None
    elif peer == "networkit":
        import networkit as nk
        nk.setNumberOfThreads(threads)
        G = nk.Graph(n, weighted=True)
        for u, v, w in edges:
            G.addEdge(u, v, w)
        t = time.perf_counter()
        CPU[0] = time.process_time()
        if kernel == "search":  # no cutoff: full searches
            for s in sources(n):
                d = nk.distance.Dijkstra(G, s, storePaths=False)
                d.run()
                res.append(sum(1 for x in d.getDistances() if x <= BUDGET))
        elif kernel == "matrix":
            pts = points(n, MATRIX_K)
            sp = nk.distance.SPSP(G, pts, pts)
            sp.run()
            res = [x for row in sp.getDistances() for x in row]
        elif kernel == "betweenness":
            b = nk.centrality.Betweenness(G, normalized=True)
            b.run()
            res = b.scores()
        elif kernel == "closeness":
            c = nk.centrality.Closeness(G, True, nk.centrality.ClosenessVariant.GENERALIZED)
            c.run()
            h = nk.centrality.HarmonicCloseness(G, normalized=False)
            h.run()
            res = list(zip(c.scores(), h.scores()))
        elif kernel == "approx":
            b = nk.centrality.EstimateBetweenness(G, APPROX_K, normalized=True, parallel=True)
            b.run()
            res = b.scores()
        else:
            return None
    elif peer == "rustworkx":
        import rustworkx as rx
        G = rx.PyGraph()
        G.add_nodes_from(range(n))
        G.add_edges_from(edges)
        t = time.perf_counter()
        CPU[0] = time.process_time()
        if kernel == "search":  # no cutoff: full searches
            for s in sources(n):
                d = rx.graph_dijkstra_shortest_path_lengths(G, s, float)
                res.append(1 + sum(1 for x in d.values() if x <= BUDGET))
        elif kernel == "matrix":
            pts = points(n, MATRIX_K)
            for s in pts:
                d = rx.graph_dijkstra_shortest_path_lengths(G, s, float)
                res.extend(0.0 if x == s else (d[x] if x in d else math.inf) for x in pts)
        elif kernel == "closeness":  # Newman's weighted closeness: strength 1/w
            c = rx.graph_newman_weighted_closeness_centrality(G, weight_fn=lambda w: 1.0 / w)
            res = [(c[v], math.nan) for v in range(n)]
        else:
            return None
    secs = time.perf_counter() - t
    CPU[0] = time.process_time() - CPU[0]
    with open(out, "w") as f:
        for r in res:
            f.write((" ".join(map(repr, r)) if isinstance(r, tuple) else repr(r)) + "\n")
    return secs


def run(cmd, env, timeout, cpu=None):
    """Runs a worker: its seconds (or an error string, or None when the peer
    lacks the kernel); its CPU seconds are appended to `cpu` when given."""
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    if p.returncode != 0:
        return "error: " + (p.stderr.strip().splitlines() or ["?"])[-1][:80]
    line = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not line:
        return None
    got = json.loads(line[-1])
    if cpu is not None:
        cpu.append(got.get("cpu", math.nan))
    return got["seconds"]


def load(path):
    out = []
    with open(path) as f:
        for line in f:
            out.append([float(x) for x in line.split()])
    return out


def agree(kernel, mine, theirs, eps):
    """'yes' / 'NO (...)' comparing a peer's results with agglo's."""
    if len(mine) != len(theirs) and kernel != "approx":
        return f"NO (length {len(theirs)} vs {len(mine)})"
    if kernel == "approx":
        # agglo's first line is epsilon; compare with the exact values if known.
        return "n/a"
    worst = 0.0
    for a, b in zip(mine, theirs):
        for x, y in zip(a, b):
            if math.isnan(y):
                continue
            if math.isinf(x) or math.isinf(y):
                if x != y:
                    return "NO (reachability)"
                continue
            rel = abs(x - y) / max(abs(x), abs(y), 1e-300)
            if abs(x - y) > 1e-12:
                worst = max(worst, rel)
    tol = 0 if kernel in ("search",) else 1e-6
    return "yes" if worst <= tol else f"NO (max rel {worst:.1e})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2000,10000,100000")
    ap.add_argument("--allpairs-max", type=int, default=10000,
                    help="largest graph for the all-pairs kernels (betweenness, closeness, cutoff)")
    ap.add_argument("--dimacs", help="also run on this DIMACS .gr file (weights in its own units)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--agglo", default=os.environ.get("AGGLO_TARGET", "target/release"))
    ap.add_argument("--out", default="BENCHMARKS.md")
    ap.add_argument("--mesh", type=int, default=8000,
                    help="cities of the k-nearest-neighbour mesh read as CSV by `agglo centrality` (0: none)")
    ap.add_argument("--worker", nargs=6, metavar=("PEER", "KERNEL", "GR", "OUT", "ARG", "THREADS"))
    a = ap.parse_args()
    if a.worker:
        peer, kernel, gr, out, arg, threads = a.worker
        secs = worker(peer, kernel, gr, out, arg, int(threads))
        if secs is not None:
            print(json.dumps({"seconds": secs, "cpu": CPU[0]}))
        return
    work = tempfile.mkdtemp(prefix="agglo-peers-")
    agglo, kern = os.path.join(a.agglo, "agglo"), os.path.join(a.agglo, "examples", "road_kernels")
    graphs = []
    for s in [int(x) for x in a.sizes.split(",") if x]:
        prefix = os.path.join(work, f"rg{s}")
        subprocess.run([agglo, "road", "generate", "--nodes", str(s), "--seed", "42", "--out", prefix], check=True)
        graphs.append((f"random geometric {s}", prefix + ".gr"))
    if a.dimacs:
        graphs.append((os.path.basename(a.dimacs), a.dimacs))
    rows, exact_bc, timed_out = [], {}, {}
    LOAD.append(os.getloadavg()[0])
    versions = {}
    for p in PEERS:
        try:
            versions[p] = __import__(p).__version__
        except Exception as e:  # noqa
            versions[p] = f"missing ({e})"
    if a.mesh:
        mesh_rows(a, agglo, work, rows, versions)
    for name, gr in graphs:
        n, edges = read_gr(gr)
        for kernel in KERNELS:
            if kernel in ("betweenness", "closeness", "cutoff") and n > a.allpairs_max:
                continue
            arg = {"search": str(BUDGET), "matrix": str(MATRIX_K), "cutoff": ",".join(map(str, CUTOFFS)),
                   "approx": str(APPROX_K)}.get(kernel, "")
            if kernel == "matrix" and n < MATRIX_K:
                continue
            base = {}
            for threads in (1, 2):
                out = os.path.join(work, f"agglo-{kernel}-{n}-{threads}.txt")
                env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
                times = []
                for _ in range(a.repeat):
                    t = run([kern, kernel, gr, out, arg], env, a.timeout * 5)
                    if not isinstance(t, float):
                        times = [t]
                        break
                    times.append(t)
                    if t > 30:
                        break
                med = statistics.median(times) if all(isinstance(t, float) for t in times) else times[0]
                base[threads] = med
                rows.append(dict(graph=name, n=n, m=len(edges), kernel=kernel, tool="agglo", threads=threads,
                                 secs=med, runs=len(times), ratio="1", agree="reference"))
                print(rows[-1], flush=True)
                flush(a, rows, versions)
            mine = load(out)
            if kernel == "betweenness":
                exact_bc[gr] = [r[0] for r in mine]
            if kernel == "approx" and gr in exact_bc:
                eps = mine[0][0]
                err = max(abs(x[0] - y) for x, y in zip(mine[1:], exact_bc[gr]))
                rows[-1]["agree"] = f"max error {err:.4f} ≤ ε={eps:.3f}" if err <= eps else f"NO: {err:.4f} > ε={eps:.3f}"
                rows[-2]["agree"] = rows[-1]["agree"]
            for peer in PEERS:
                threads = 2 if peer in ("networkit", "rustworkx") else 1
                if (peer, kernel) in timed_out:
                    rows.append(dict(graph=name, n=n, m=len(edges), kernel=kernel, tool=peer, threads=threads,
                                     secs=f"not run (timeout at {timed_out[(peer, kernel)]} nodes)", runs=0,
                                     ratio="-", agree="-"))
                    flush(a, rows, versions)
                    continue
                out = os.path.join(work, f"{peer}-{kernel}-{n}.txt")
                env = dict(os.environ, RAYON_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
                cmd = [sys.executable, __file__, "--worker", peer, kernel, gr, out, arg, str(threads)]
                times = []
                for _ in range(a.repeat):
                    t = run(cmd, env, a.timeout)
                    if not isinstance(t, float):
                        times = [t]
                        break
                    times.append(t)
                    if t > 10:
                        break
                if times == [None]:
                    continue  # the peer has no such kernel
                if times == ["timeout"]:
                    timed_out[(peer, kernel)] = n
                t = times[0] if not isinstance(times[0], float) else statistics.median(times)
                if isinstance(t, float):
                    ratio = f"{t / base[threads]:.2f}"
                    theirs = load(out)
                    if kernel == "approx":
                        if gr in exact_bc:
                            err = max(abs(x[0] - y) for x, y in zip(theirs, exact_bc[gr]))
                            ag = f"max error {err:.4f} vs exact"
                        else:
                            err = max(abs(x[0] - y[0]) for x, y in zip(theirs, mine[1:]))
                            ag = f"max diff {err:.4f} from agglo's estimate"
                    else:
                        ag = agree(kernel, mine, theirs, 0)
                else:
                    ratio, ag = "-", "-"
                rows.append(dict(graph=name, n=n, m=len(edges), kernel=kernel, tool=peer, threads=threads,
                                 secs=t, runs=len(times), ratio=ratio, agree=ag))
                print(rows[-1], flush=True)
                flush(a, rows, versions)
    flush(a, rows, versions, done=True)


def time_process(cmd, env, out, timeout):
    """Runs cmd under /usr/bin/time, stdout to out: (seconds, peak KB, CPU seconds) or an error string."""
    try:
        with open(out, "w") as f:
            p = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M %U %S"] + cmd, env=env, stdout=f,
                               stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout"
    last = [l for l in p.stderr.splitlines() if l.startswith("TIME ")]
    if p.returncode != 0 or not last:
        return "error: " + (p.stderr.strip().splitlines() or ["?"])[-1][:80]
    _, secs, kb, user, system = last[-1].split()
    return float(secs), int(kb), float(user) + float(system)


def mesh_rows(a, agglo, work, rows, versions):
    """The city-network shape: agglo centrality as a whole process against the peers' betweenness."""
    import csv
    folder = os.path.join(work, f"mesh{a.mesh}")
    n, m = write_mesh(a.mesh, folder)
    name = f"k-nearest mesh {a.mesh} (CSV)"
    cmd = [agglo, "--data", folder, "centrality", "--agglomeration", "all", "--measures", "betweenness",
           "--format", "csv"]
    base, cpu_base, mine = {}, {}, None
    for threads in (1, 2):
        out = os.path.join(work, f"agglo-mesh-{threads}.csv")
        env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
        runs = []
        for _ in range(a.repeat):
            r = time_process(cmd, env, out, a.timeout * 5)
            if not isinstance(r, tuple):
                runs = [r]
                break
            runs.append(r)
        if isinstance(runs[0], tuple):
            secs = statistics.median(r[0] for r in runs)
            kb = max(r[1] for r in runs)
            base[threads] = secs
            cpu_base[threads] = statistics.median(r[2] for r in runs)
            with open(out) as f:
                mine = {int(r["id"][1:]): float(r["betweenness"]) for r in csv.DictReader(f)}
            agree = f"reference (whole process, peak {kb / 1024:.0f} MB, CPU {cpu_base[threads]:.2f} s)"
        else:
            secs, agree = runs[0], "-"
        rows.append(dict(graph=name, n=n, m=m, kernel="betweenness", tool="agglo", threads=threads,
                         secs=secs, runs=len(runs), ratio="1", agree=agree, cpu=cpu_base.get(threads)))
        print(rows[-1], flush=True)
        flush(a, rows, versions)
    pairs = (n - 1) * (n - 2) / 2
    for peer in ("igraph", "networkit"):
        threads = 2 if peer == "networkit" else 1
        out = os.path.join(work, f"{peer}-mesh.txt")
        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        cmd = [sys.executable, __file__, "--worker", peer, "betweenness", folder, out, "", str(threads)]
        times, cpus = [], []
        for _ in range(a.repeat):
            t = run(cmd, env, a.timeout, cpus)
            if not isinstance(t, float):
                times = [t]
                break
            times.append(t)
        t = statistics.median(times) if isinstance(times[0], float) else times[0]
        cpu = statistics.median(cpus) if cpus else None
        ratio, ag = "-", "-"
        if isinstance(t, float) and threads in base:
            ratio = f"{t / base[threads]:.2f}"
            theirs = [x[0] * pairs for x in load(out)]
            # agglo prints raw betweenness with 2 decimals.
            diff = [abs(theirs[i] - mine[i]) - 1e-6 * abs(mine[i]) for i in range(n)]
            off = [i for i in range(n) if diff[i] > 0.005]
            if not off:
                ag = "yes (raw, to the 0.005 printed)"
            else:
                worst = max(off, key=lambda i: diff[i])
                ag = (f"{n - len(off)} of {n} nodes (raw, to the 0.005 printed); "
                      f"c{worst}: {mine[worst]:.2f} vs {theirs[worst]:.2f}")
        # On a shared machine the wall clock counts other jobs too; CPU
        # seconds (medians) compare the work itself, and at one thread they
        # are what the wall clock shows on an idle machine.
        cpu_ratio = f"{cpu / cpu_base[threads]:.2f}" if cpu and threads in cpu_base else "-"
        if cpu:
            ag += f"; CPU {cpu:.2f} s, CPU ratio {cpu_ratio}"
        rows.append(dict(graph=name, n=n, m=m, kernel="betweenness", tool=peer, threads=threads,
                         secs=t, runs=len(times), ratio=ratio, agree=ag, cpu=cpu, cpu_ratio=cpu_ratio))
        print(rows[-1], flush=True)
        flush(a, rows, versions)


def flush(a, rows, versions, done=False):
    """Writes the table, JSON and plot so far (a cut run keeps what it measured)."""
    with open(os.path.join(os.path.dirname(a.out) or ".", "benchmarks.json"), "w") as f:
        json.dump(dict(rows=rows, versions=versions, cores=os.cpu_count(), complete=done), f, indent=1)
    write_svg(rows, os.path.join(os.path.dirname(a.out) or ".", "benchmarks.svg"))
    write_md(a, rows, versions, done)


def write_svg(rows, path):
    """One panel per kernel: log time against log nodes, one line per tool."""
    colours = {"agglo": "#d62728", "networkx": "#1f77b4", "igraph": "#2ca02c", "networkit": "#9467bd",
               "rustworkx": "#8c564b"}
    W, H, pw, ph = 960, 620, 300, 260
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           '<rect width="100%" height="100%" fill="white"/>']
    pts = [r for r in rows if isinstance(r["secs"], float) and not r["graph"].endswith(".gr")]
    for i, k in enumerate(KERNELS):
        ox, oy = 20 + (i % 3) * (pw + 20), 20 + (i // 3) * (ph + 40)
        ks = [r for r in pts if r["kernel"] == k]
        svg.append(f'<text x="{ox + pw / 2}" y="{oy + 12}" text-anchor="middle" font-weight="bold">{k}</text>')
        if not ks:
            continue
        xs = [math.log10(r["n"]) for r in ks]
        ys = [math.log10(max(r["secs"], 1e-4)) for r in ks]
        x0, x1 = min(xs) - 0.1, max(xs) + 0.1
        y0, y1 = math.floor(min(ys)), math.ceil(max(ys)) + (1 if math.ceil(max(ys)) == math.floor(min(ys)) else 0)
        X = lambda x: ox + 40 + (x - x0) / (x1 - x0) * (pw - 50)
        Y = lambda y: oy + ph - 20 - (y - y0) / (y1 - y0) * (ph - 45)
        svg.append(f'<rect x="{ox + 40}" y="{oy + 25}" width="{pw - 50}" height="{ph - 45}" fill="none" stroke="#999"/>')
        for e in range(int(y0), int(y1) + 1):
            svg.append(f'<text x="{ox + 36}" y="{Y(e) + 4}" text-anchor="end">1e{e}s</text>')
        for r in sorted({r["n"] for r in ks}):
            svg.append(f'<text x="{X(math.log10(r))}" y="{oy + ph - 6}" text-anchor="middle">{r}</text>')
        for tool in colours:
            for th in (1, 2):
                line = sorted((r["n"], r["secs"]) for r in ks if r["tool"] == tool and r["threads"] == th)
                if not line:
                    continue
                d = " ".join(f"{X(math.log10(n)):.1f},{Y(math.log10(max(s, 1e-4))):.1f}" for n, s in line)
                dash = ' stroke-dasharray="4 3"' if th == 2 else ""
                svg.append(f'<polyline points="{d}" fill="none" stroke="{colours[tool]}" stroke-width="2"{dash}/>')
                for n, s in line:
                    svg.append(f'<circle cx="{X(math.log10(n)):.1f}" cy="{Y(math.log10(max(s, 1e-4))):.1f}" r="3" fill="{colours[tool]}"/>')
    for j, (tool, c) in enumerate(colours.items()):
        svg.append(f'<rect x="{20 + j * 120}" y="{H - 22}" width="14" height="4" fill="{c}"/>'
                   f'<text x="{38 + j * 120}" y="{H - 16}">{tool}</text>')
    svg.append(f'<text x="{640}" y="{H - 16}">solid: 1 thread, dashed: 2 threads; x: nodes</text>')
    svg.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(svg))


LOAD = []  # 1-minute load average when the run started


NOTES = "<!-- notes: written by hand below this line; run.py keeps them -->"


def write_md(a, rows, versions, done):
    cmd = "python3 benches/peers/run.py " + " ".join(sys.argv[1:])
    notes = ""
    if os.path.exists(a.out):
        old = open(a.out).read()
        if NOTES in old:
            notes = old[old.index(NOTES):]
    load = f"1-minute load average {LOAD[0]:.2f} at the start and {os.getloadavg()[0]:.2f} at the last row" if LOAD else ""
    lines = [
        "# Benchmarks: agglo against NetworkX, igraph, NetworKit and rustworkx", "",
        f"Produced by `{cmd}` on {time.strftime('%Y-%m-%d')}, a machine with {os.cpu_count()} cores "
        f"({load}; times are medians of up to "
        f"{a.repeat} runs; runs over 10 s (peers) or 30 s (agglo) are not repeated). A peer that timed out on a "
        "kernel is not run on the larger graphs.",
        "Peer versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".", "",
        "Graphs: `agglo road generate --nodes N --seed 42` (random geometric, mean degree about 5, "
        "largest component, weights in 0.1 s), read by every tool from the same DIMACS file. "
        "Times exclude loading. `ratio` = peer time / agglo time at the same thread count "
        "(above 1: agglo is faster). `agrees`: the peer's results against agglo's "
        "(distances and counts exactly, centralities to 1e-6 relative).", "",
        "Kernels: **search**: 100 single-source searches with a 60-minute budget (only NetworkX has a "
        "cutoff; igraph, NetworKit and rustworkx run full searches and count what lies within the budget); "
        f"**matrix**: {MATRIX_K}×{MATRIX_K} travel times; **betweenness**: exact weighted; **closeness**: closeness "
        "and harmonic closeness; **cutoff**: betweenness and harmonic closeness within 5, 10 and 20 minutes "
        "(agglo: one pass; igraph: one call per cutoff and measure; no other peer has it); "
        f"**approx**: betweenness from {APPROX_K} sampled sources (error against the exact values, and agglo's "
        "Hoeffding bound ε at δ = 0.1).", "",
        f"City network (`--mesh`): a k-nearest-neighbour mesh (k = {MESH_K}) of cities in a 4°×4° box, one road "
        "link per neighbour pair, written as `cities.csv`/`links.csv`; agglo's row is the **whole process** "
        "`agglo --data DIR centrality --agglomeration all --measures betweenness --format csv` (loading, "
        "parsing, writing the CSV; peak memory from `/usr/bin/time`), the peers' rows their computation alone "
        "(igraph `betweenness(weights=)`, NetworKit `Betweenness`).", "",
        "| graph | nodes | edges | kernel | tool | threads | seconds | runs | ratio | agrees |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        s = f"{r['secs']:.3f}" if isinstance(r["secs"], float) else str(r["secs"])
        lines.append(f"| {r['graph']} | {r['n']} | {r['m']} | {r['kernel']} | {r['tool']} | {r['threads']} | {s} | "
                     f"{r['runs']} | {r['ratio']} | {r['agree']} |")
    if not done:
        lines += ["", "**This run was stopped before it finished: the rows above are all it measured.**"]
    lines += ["", "![time against graph size per kernel](benchmarks.svg)", "", notes or NOTES, ""]
    with open(a.out, "w") as f:
        f.write("\n".join(lines).rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
