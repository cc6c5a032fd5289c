//! Shortest-path centralities from every source: Brandes' betweenness
//! (weighted, exact, all equal shortest paths counted, endpoints excluded),
//! population-weighted betweenness, closeness and harmonic closeness, each
//! for several distance cutoffs in one pass over the sources.
//!
//! Path lengths whose relative difference is at most [`TIE_TOLERANCE`]
//! (10⁻¹⁰, igraph's `IGRAPH_SHORTEST_PATH_EPSILON`) count as equal, so that
//! routes whose minutes add up in a different order are both shortest
//! (floating-point sums are not associative: a sum of h positive terms is
//! off by at most about h · 1.1·10⁻¹⁶ relative, far below the tolerance for
//! any path of fewer than 10⁵ links). NetworkX and NetworKit compare lengths
//! exactly; on graphs without near-ties all agree.
//!
//! The tolerance was 10⁻⁹ until December 2026. On the 8,000-city mesh of
//! the peers benchmark two routes to c4510, one through c3308, differ by
//! 7.4·10⁻⁷ minutes (a real difference of the coordinates, not rounding):
//! 0.89–1.0·10⁻⁹ relative for the 185 sources more than 742 minutes away,
//! so 10⁻⁹ counted them as ties and raised c3308's raw betweenness to
//! 4145.25 where igraph and NetworKit give 4099.00.

use rayon::prelude::*;

use super::accessibility::Decay;
use super::graph::WGraph;
use crate::algorithms::heap::IndexedHeap;
use crate::algorithms::marks::{Marks, REACHED, SETTLED};
use crate::network::haversine_km;
use crate::progress::Progress;

/// Relative tolerance under which two path lengths count as equal.
pub const TIE_TOLERANCE: f64 = 1e-10;

/// Sources handled by one parallel task; partial sums are added in task
/// order, so results do not depend on the number of threads.
const CHUNK: usize = 32;

/// Whether two finite non-negative path lengths count as equal.
#[inline(always)]
fn tie_len(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE_TOLERANCE * a.max(b)
}

/// What to compute. Only the measures asked for are computed: a run for
/// betweenness alone does no closeness, accessibility or straightness sums
/// and a run without `population` no population-weighted dependencies.
#[derive(Debug, Clone)]
pub struct PathOptions<'a> {
    /// Distance cutoffs; `f64::INFINITY` means none. Betweenness and
    /// closeness are returned once per cutoff, in this order; searches stop
    /// at the largest.
    pub cutoffs: &'a [f64],
    /// Nodes whose shortest paths start there (default: all).
    pub sources: Option<&'a [bool]>,
    /// Nodes that count as destinations (default: all).
    pub targets: Option<&'a [bool]>,
    /// Whether to compute betweenness.
    pub betweenness: bool,
    /// Whether to compute distance sums, reach and harmonic closeness.
    pub closeness: bool,
    /// Weights of the nodes for population-weighted betweenness (computed
    /// only when given).
    pub population: Option<&'a [f64]>,
    /// Accessibility of each source (computed only when given).
    pub access: Option<Access<'a>>,
    /// Node coordinates (lon, lat) for straightness (computed only when
    /// given): the graph's weights are then taken as route km.
    pub straightness: Option<&'a [(f64, f64)]>,
}

/// Accessibility asked of [`path_centrality`]: for each source s and decay f,
/// `Σ_t weights[t] · f(d(s, t))` over the targets t reached within the
/// largest cutoff, s itself included at distance 0 when it is a target.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    /// Decays, one result row each.
    pub decays: &'a [Decay],
    /// Weight (population) of each node.
    pub weights: &'a [f64],
}

impl<'a> PathOptions<'a> {
    /// Every node a source and a target; betweenness and closeness for
    /// `cutoffs`; no populations, accessibility or straightness.
    pub fn all(cutoffs: &'a [f64]) -> PathOptions<'a> {
        PathOptions {
            cutoffs,
            sources: None,
            targets: None,
            betweenness: true,
            closeness: true,
            population: None,
            access: None,
            straightness: None,
        }
    }
}

/// Results per cutoff, each a value per node. A measure that was not asked
/// for ([`PathOptions`]) has no rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PathCentrality {
    /// Raw betweenness: the sum over ordered (source, target) pairs of the
    /// share of shortest paths through the node; halved on undirected graphs
    /// (each unordered pair once), as NetworkX does.
    pub betweenness: Vec<Vec<f64>>,
    /// Population-weighted betweenness: each ordered pair weighted by the
    /// product of the two populations, normalised to sum to one.
    pub pop_betweenness: Vec<Vec<f64>>,
    /// Sum of shortest-path distances to the reached destinations.
    pub distance_sum: Vec<Vec<f64>>,
    /// Number of destinations reached (the node itself excluded).
    pub reached: Vec<Vec<u32>>,
    /// Harmonic closeness: Σ 1/d over reached destinations.
    pub harmonic: Vec<Vec<f64>>,
    /// Accessibility per decay of [`Access`] (0 for nodes that are not
    /// sources).
    pub accessibility: Vec<Vec<f64>>,
    /// Straightness (one row): the mean over the targets t ≠ s reached of
    /// great-circle km / route km; `None` when none is reached or the node
    /// is not a source.
    pub straightness: Vec<Vec<Option<f64>>>,
}

struct Work {
    dist: Vec<f64>,
    /// Reached and settled nodes of the current source.
    marks: Marks,
    sigma: Vec<f64>,
    order: Vec<u32>,
    heap: IndexedHeap,
    /// Per settled node: (target weight + dependency) / path count, the
    /// share each tight predecessor pulls, for betweenness and for the
    /// population-weighted one. Zero for every node the current source has
    /// not reached (reset with the distances after each source).
    coef: Vec<f64>,
    pcoef: Vec<f64>,
}

impl Work {
    fn new(n: usize) -> Work {
        Work {
            dist: vec![f64::INFINITY; n],
            marks: Marks::new(n),
            sigma: vec![0.0; n],
            order: Vec::with_capacity(n),
            heap: IndexedHeap::new(n),
            coef: vec![0.0; n],
            pcoef: vec![0.0; n],
        }
    }
}

/// Closeness figures of one source within one cutoff: distance sum, number
/// of destinations reached, harmonic sum.
type SourceFigures = (f64, u32, f64);

/// What one source contributes to its own row: closeness figures per cutoff,
/// accessibility per decay, straightness.
struct SourceRow {
    source: u32,
    closeness: Vec<SourceFigures>,
    access: Vec<f64>,
    straightness: Option<f64>,
}

/// What one parallel task adds up: dependencies per cutoff over every node
/// (only when asked for), and the row of each of its sources.
struct Acc {
    bc: Vec<Vec<f64>>,
    pbc: Vec<Vec<f64>>,
    rows: Vec<SourceRow>,
}

impl Acc {
    fn new(n: usize, k: usize, opt: &PathOptions) -> Acc {
        let rows = |on: bool| {
            if on {
                vec![vec![0.0; n]; k]
            } else {
                Vec::new()
            }
        };
        Acc {
            bc: rows(opt.betweenness),
            pbc: rows(opt.population.is_some()),
            rows: Vec::new(),
        }
    }
}

/// One source: Dijkstra (bounded by the largest cutoff) counting shortest
/// paths as it settles nodes, then the source's own sums and, for every
/// cutoff, the dependencies in reverse settled order, each node pulling from
/// its tight successors.
fn single_source(g: &WGraph, s: u32, opt: &PathOptions, w: &mut Work, acc: &mut Acc) {
    let max_cut = opt.cutoffs.iter().copied().fold(0.0, f64::max);
    let limit = max_cut * (1.0 + TIE_TOLERANCE);
    w.order.clear();
    w.marks.clear();
    w.dist[s as usize] = 0.0;
    w.sigma[s as usize] = 1.0;
    w.marks.set(s, REACHED);
    w.heap.push_or_decrease(s, 0.0);
    // A node is settled once popped and marked so; reached nodes that are
    // not settled are still queued. Path counts of a queued node are final
    // when it is popped, as every tight predecessor is settled before it.
    while let Some((v, d)) = w.heap.pop() {
        w.marks.set(v, SETTLED);
        w.order.push(v);
        let sv = w.sigma[v as usize];
        for (h, wt) in g.out(v) {
            let nd = d + wt;
            if nd > limit {
                continue;
            }
            match w.marks.get(h) {
                0 => {
                    w.marks.set(h, REACHED);
                    w.dist[h as usize] = nd;
                    w.sigma[h as usize] = sv;
                    w.heap.push_or_decrease(h, nd);
                }
                REACHED => {
                    let cur = w.dist[h as usize];
                    if tie_len(nd, cur) {
                        w.sigma[h as usize] += sv;
                    } else if nd < cur {
                        w.dist[h as usize] = nd;
                        w.sigma[h as usize] = sv;
                        w.heap.push_or_decrease(h, nd);
                    }
                }
                // Settled already (its distance is at most d).
                _ => {}
            }
        }
    }
    let is_target = |v: u32| opt.targets.is_none_or(|t| t[v as usize]);
    let mut row = SourceRow {
        source: s,
        closeness: Vec::new(),
        access: Vec::new(),
        straightness: None,
    };
    if let Some(a) = &opt.access {
        row.access = vec![0.0; a.decays.len()];
        for &v in &w.order {
            if is_target(v) {
                let (d, p) = (w.dist[v as usize], a.weights[v as usize]);
                for (x, decay) in row.access.iter_mut().zip(a.decays) {
                    *x += p * decay.weight(d);
                }
            }
        }
    }
    if let Some(xy) = opt.straightness {
        let (lon, lat) = xy[s as usize];
        let (mut sum, mut count) = (0.0, 0u32);
        for &v in &w.order[1..] {
            let d = w.dist[v as usize];
            if d > 0.0 && is_target(v) {
                let (lo, la) = xy[v as usize];
                sum += haversine_km(lon, lat, lo, la) / d;
                count += 1;
            }
        }
        row.straightness = (count > 0).then(|| sum / count as f64);
    }
    for (k, &cut) in opt.cutoffs.iter().enumerate() {
        // Lengths within the tie tolerance of the cutoff count as within it,
        // as the search above.
        let cut_lim = cut * (1.0 + TIE_TOLERANCE);
        if opt.closeness {
            // Distance sums, reach and harmonic closeness of the source.
            let (mut dsum, mut reached, mut harm) = (0.0, 0u32, 0.0);
            for &v in &w.order[1..] {
                let d = w.dist[v as usize];
                if d <= cut_lim && is_target(v) {
                    dsum += d;
                    reached += 1;
                    harm += 1.0 / d;
                }
            }
            row.closeness.push((dsum, reached, harm));
        }
        match (opt.betweenness, opt.population.is_some()) {
            (false, false) => {}
            (true, false) => {
                dependencies::<true, false>(g, s, cut_lim, opt, w, &mut acc.bc[k], &mut [])
            }
            (false, true) => {
                dependencies::<false, true>(g, s, cut_lim, opt, w, &mut [], &mut acc.pbc[k])
            }
            (true, true) => {
                dependencies::<true, true>(g, s, cut_lim, opt, w, &mut acc.bc[k], &mut acc.pbc[k])
            }
        }
    }
    acc.rows.push(row);
    for &v in &w.order {
        w.dist[v as usize] = f64::INFINITY;
        w.sigma[v as usize] = 0.0;
        w.coef[v as usize] = 0.0;
        w.pcoef[v as usize] = 0.0;
    }
    w.heap.clear();
}

/// Dependencies of one source within one cutoff, added to `bc` (when `BC`)
/// and to `pbc` (when `POP`): δ(x) = σ(x) · Σ over tight successors y within
/// the cutoff of (c(y) + δ(y)) / σ(y), with c(y) = 1 for a target y ≠ s
/// (times the two populations for `pbc`). Successors settle after x, so
/// reverse settled order has their coefficients ready.
fn dependencies<const BC: bool, const POP: bool>(
    g: &WGraph,
    s: u32,
    cut_lim: f64,
    opt: &PathOptions,
    w: &mut Work,
    bc: &mut [f64],
    pbc: &mut [f64],
) {
    let ps = opt.population.map_or(1.0, |p| p[s as usize]);
    for &x in w.order.iter().rev() {
        let dx = w.dist[x as usize];
        if dx > cut_lim {
            if BC {
                w.coef[x as usize] = 0.0;
            }
            if POP {
                w.pcoef[x as usize] = 0.0;
            }
            continue;
        }
        let (mut pull, mut ppull) = (0.0, 0.0);
        for (y, wt) in g.out(x) {
            let dy = w.dist[y as usize];
            // Every node reached is settled (the queue is drained). A node
            // not reached has an infinite distance, which passes this test,
            // but its coefficients are zero (see `Work::coef`), so it adds
            // nothing: the test needs no branch on it.
            // 1.0 or 0.0: a multiplication rather than a branch, which
            // the processor could not predict (about one arc in four is
            // tight).
            let tight = f64::from(u8::from((dy > dx) & tie_len(dx + wt, dy)));
            if BC {
                pull += tight * w.coef[y as usize];
            }
            if POP {
                ppull += tight * w.pcoef[y as usize];
            }
        }
        let sx = w.sigma[x as usize];
        let target = x != s && opt.targets.is_none_or(|t| t[x as usize]);
        if BC {
            let delta = sx * pull;
            w.coef[x as usize] = (if target { 1.0 } else { 0.0 } + delta) / sx;
            if x != s {
                bc[x as usize] += delta;
            }
        }
        if POP {
            let pdelta = sx * ppull;
            let pcx = if target {
                ps * opt.population.map_or(1.0, |p| p[x as usize])
            } else {
                0.0
            };
            w.pcoef[x as usize] = (pcx + pdelta) / sx;
            if x != s {
                pbc[x as usize] += pdelta;
            }
        }
    }
}

/// Computes the shortest-path centralities of `g` (see [`PathCentrality`]).
///
/// Graphs of [`RELABEL_MIN`] nodes or more are first relabelled in
/// breadth-first order ([`WGraph::bfs_order`]) so that each search touches
/// memory in nearby places; results come back under the caller's labels.
///
/// # Complexity
/// O(n·(m + n log n)) time for n sources and m arcs; sources run in parallel
/// (rayon) in waves of [`WAVE`] tasks, so the partial sums held at once take
/// O(WAVE·n·k) memory for k cutoffs, whatever the number of sources.
pub fn path_centrality(g: &WGraph, opt: &PathOptions) -> PathCentrality {
    let n = g.node_count();
    if n < RELABEL_MIN || g.is_local_order() {
        return path_centrality_in_order(g, opt);
    }
    let (h, order) = g.bfs_relabelled();
    fn pick<T: Copy>(order: &[u32], m: &[T]) -> Vec<T> {
        order.iter().map(|&v| m[v as usize]).collect()
    }
    let sources = opt.sources.map(|m| pick(&order, m));
    let targets = opt.targets.map(|m| pick(&order, m));
    let population = opt.population.map(|p| pick(&order, p));
    let weights = opt.access.map(|a| pick(&order, a.weights));
    let xy = opt.straightness.map(|m| pick(&order, m));
    let r = path_centrality_in_order(
        &h,
        &PathOptions {
            cutoffs: opt.cutoffs,
            sources: sources.as_deref(),
            targets: targets.as_deref(),
            betweenness: opt.betweenness,
            closeness: opt.closeness,
            population: population.as_deref(),
            access: opt.access.map(|a| Access {
                decays: a.decays,
                weights: weights.as_deref().unwrap_or_default(),
            }),
            straightness: xy.as_deref(),
        },
    );
    fn back<T: Copy + Default>(order: &[u32], rows: Vec<Vec<T>>) -> Vec<Vec<T>> {
        rows.into_iter()
            .map(|row| {
                let mut out = vec![T::default(); row.len()];
                for (i, x) in row.into_iter().enumerate() {
                    out[order[i] as usize] = x;
                }
                out
            })
            .collect()
    }
    PathCentrality {
        betweenness: back(&order, r.betweenness),
        pop_betweenness: back(&order, r.pop_betweenness),
        distance_sum: back(&order, r.distance_sum),
        reached: back(&order, r.reached),
        harmonic: back(&order, r.harmonic),
        accessibility: back(&order, r.accessibility),
        straightness: back(&order, r.straightness),
    }
}

/// Seconds that [`path_centrality`] of `g` with `opt` would take on the
/// current rayon pool, extrapolated from timing `probe` of its sources
/// (spread evenly over them) one after the other: per-source time × sources
/// / threads. Meant for warning before a run of minutes or hours; it costs
/// `probe` single-source passes.
pub fn estimate_seconds(g: &WGraph, opt: &PathOptions, probe: usize) -> f64 {
    let n = g.node_count();
    let sources: Vec<u32> = (0..n as u32)
        .filter(|&s| opt.sources.is_none_or(|m| m[s as usize]))
        .collect();
    if sources.is_empty() || probe == 0 {
        return 0.0;
    }
    let step = sources.len().div_ceil(probe);
    let picked: Vec<u32> = sources.iter().step_by(step).copied().collect();
    let mut w = Work::new(n);
    let mut acc = Acc::new(n, opt.cutoffs.len(), opt);
    let start = std::time::Instant::now();
    for &s in &picked {
        single_source(g, s, opt, &mut w, &mut acc);
    }
    let per_source = start.elapsed().as_secs_f64() / picked.len() as f64;
    per_source * sources.len() as f64 / rayon::current_num_threads() as f64
}

/// Node count from which [`path_centrality`] relabels the graph.
pub const RELABEL_MIN: usize = 2048;

/// Parallel tasks per wave: partial sums of a wave are added in task order
/// before the next wave starts (a fixed number, so results do not depend on
/// the number of threads).
pub const WAVE: usize = 16;

/// Graphs whose sources × arcs reach this show a progress bar (when standard
/// error is a terminal): about a second of work.
const PROGRESS_WORK: f64 = 3e8;

/// Adds `part` to `total`, row by row and element by element.
fn add_rows(total: &mut [Vec<f64>], part: &[Vec<f64>]) {
    for (t, p) in total.iter_mut().zip(part) {
        for (x, y) in t.iter_mut().zip(p) {
            *x += y;
        }
    }
}

fn path_centrality_in_order(g: &WGraph, opt: &PathOptions) -> PathCentrality {
    let n = g.node_count();
    let k = opt.cutoffs.len();
    let sources: Vec<u32> = (0..n as u32)
        .filter(|&s| opt.sources.is_none_or(|m| m[s as usize]))
        .collect();
    let rows = |on: bool| {
        if on {
            vec![vec![0.0; n]; k]
        } else {
            Vec::new()
        }
    };
    let mut bc = rows(opt.betweenness);
    let mut pbc = rows(opt.population.is_some());
    let (mut dsum, mut reached, mut harm) = if opt.closeness {
        (rows(true), vec![vec![0u32; n]; k], rows(true))
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let mut access = match &opt.access {
        Some(a) => vec![vec![0.0; n]; a.decays.len()],
        None => Vec::new(),
    };
    let mut straight = if opt.straightness.is_some() {
        vec![vec![None; n]]
    } else {
        Vec::new()
    };
    let progress = if sources.len() as f64 * g.arc_count() as f64 >= PROGRESS_WORK {
        Progress::new(sources.len() as u64, "sources")
    } else {
        Progress::hidden()
    };
    for wave in sources.chunks(CHUNK * WAVE) {
        let partial: Vec<Acc> = wave
            .par_chunks(CHUNK)
            .map_init(
                || Work::new(n),
                |w, chunk| {
                    let mut acc = Acc::new(n, k, opt);
                    for &s in chunk {
                        single_source(g, s, opt, w, &mut acc);
                    }
                    progress.inc(chunk.len() as u64);
                    acc
                },
            )
            .collect();
        for acc in partial {
            add_rows(&mut bc, &acc.bc);
            add_rows(&mut pbc, &acc.pbc);
            for row in acc.rows {
                let s = row.source as usize;
                for (kk, (d, r, h)) in row.closeness.into_iter().enumerate() {
                    dsum[kk][s] = d;
                    reached[kk][s] = r;
                    harm[kk][s] = h;
                }
                for (a, x) in access.iter_mut().zip(row.access) {
                    a[s] = x;
                }
                if let Some(st) = straight.first_mut() {
                    st[s] = row.straightness;
                }
            }
        }
    }
    progress.finish();
    if !g.directed {
        for v in bc.iter_mut().flatten() {
            *v /= 2.0;
        }
    }
    for row in &mut pbc {
        let sum: f64 = row.iter().sum();
        if sum > 0.0 {
            for v in row.iter_mut() {
                *v /= sum;
            }
        }
    }
    PathCentrality {
        betweenness: bc,
        pop_betweenness: pbc,
        distance_sum: dsum,
        reached,
        harmonic: harm,
        accessibility: access,
        straightness: straight,
    }
}

/// NetworkX's normalisation of raw betweenness: divide by the number of
/// (unordered, undirected graphs; ordered, directed) pairs of other nodes.
pub fn normalise_betweenness(raw: &[f64], n: usize, directed: bool) -> Vec<f64> {
    if n <= 2 {
        return vec![0.0; raw.len()];
    }
    let pairs = ((n - 1) * (n - 2)) as f64 / if directed { 1.0 } else { 2.0 };
    raw.iter().map(|v| v / pairs).collect()
}

/// Closeness with the Wasserman–Faust correction for disconnected graphs,
/// as NetworkX's `closeness_centrality(wf_improved=True)`:
/// `(r / (n − 1)) · (r / Σd)` for r nodes reached, 0 when none is.
pub fn closeness(distance_sum: f64, reached: u32, n: usize) -> f64 {
    if reached == 0 || distance_sum <= 0.0 || n <= 1 {
        return 0.0;
    }
    let r = reached as f64;
    (r / (n - 1) as f64) * (r / distance_sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_of_three() {
        let g = WGraph::from_arcs(3, &[(0, 1, 1.0), (1, 2, 1.0)], true).unwrap();
        let cuts = [f64::INFINITY];
        let r = path_centrality(&g, &PathOptions::all(&cuts));
        assert_eq!(r.betweenness[0], vec![0.0, 1.0, 0.0]);
        assert_eq!(r.harmonic[0], vec![1.5, 2.0, 1.5]);
    }

    /// The estimate is a positive time for a graph with sources, zero
    /// without.
    #[test]
    fn estimate_scales_with_the_sources() {
        let n = 600;
        let g = crate::generate::random_geometric_points(
            n,
            crate::generate::radius_for_degree(n, 5.0),
            3,
        )
        .to_wgraph();
        let cuts = [f64::INFINITY];
        let all = estimate_seconds(&g, &PathOptions::all(&cuts), 8);
        assert!(all.is_finite() && all > 0.0);
        let none = vec![false; n];
        let opt = PathOptions {
            sources: Some(&none),
            ..PathOptions::all(&cuts)
        };
        assert_eq!(estimate_seconds(&g, &opt, 8), 0.0);
    }

    /// Relabelling in breadth-first order must not change any figure: the
    /// relabelled run against the run in the caller's order, with masks,
    /// populations and several cutoffs, on a graph above [`RELABEL_MIN`].
    #[test]
    fn relabelling_changes_no_result() {
        let n = RELABEL_MIN + 500;
        let r = crate::generate::radius_for_degree(n, 5.0);
        let geo = crate::generate::random_geometric_points(n, r, 9);
        // Some one-way arcs so that the directed path is exercised too.
        let arcs: Vec<(u32, u32, f64)> = geo
            .edges
            .iter()
            .enumerate()
            .flat_map(|(i, &(a, b, w))| {
                let back = (i % 7 != 0).then_some((b, a, w));
                std::iter::once((a, b, w)).chain(back)
            })
            .collect();
        let g = WGraph::from_arcs(n, &arcs, false).unwrap();
        assert!(g.directed);
        let sources: Vec<bool> = (0..n).map(|i| i % 5 == 0).collect();
        let targets: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
        let pop: Vec<f64> = (0..n).map(|i| 1.0 + (i % 11) as f64).collect();
        let cuts = [0.05, 0.2, f64::INFINITY];
        let decays = [Decay::Exponential { half_life: 0.1 }];
        let xy: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                (
                    116.0 + (i % 50) as f64 * 0.01,
                    39.0 + (i / 50) as f64 * 0.01,
                )
            })
            .collect();
        let opt = PathOptions {
            cutoffs: &cuts,
            sources: Some(&sources),
            targets: Some(&targets),
            population: Some(&pop),
            access: Some(Access {
                decays: &decays,
                weights: &pop,
            }),
            straightness: Some(&xy),
            ..PathOptions::all(&cuts)
        };
        let a = path_centrality(&g, &opt);
        let b = path_centrality_in_order(&g, &opt);
        let close = |x: &[Vec<f64>], y: &[Vec<f64>]| {
            x.iter()
                .flatten()
                .zip(y.iter().flatten())
                .all(|(p, q)| (p - q).abs() <= 1e-9 * p.abs().max(q.abs()).max(1e-12))
        };
        assert!(a.betweenness[2].iter().any(|&v| v > 0.0));
        assert!(close(&a.betweenness, &b.betweenness));
        assert!(close(&a.pop_betweenness, &b.pop_betweenness));
        assert!(close(&a.distance_sum, &b.distance_sum));
        assert!(close(&a.harmonic, &b.harmonic));
        assert_eq!(a.reached, b.reached);
        assert!(close(&a.accessibility, &b.accessibility));
        assert!(a.accessibility[0].iter().any(|&v| v > 0.0));
        let unwrap = |x: &[Vec<Option<f64>>]| -> Vec<Vec<f64>> {
            x.iter()
                .map(|r| r.iter().map(|v| v.unwrap_or(-1.0)).collect())
                .collect()
        };
        assert!(a.straightness[0].iter().any(|v| v.is_some()));
        assert!(close(&unwrap(&a.straightness), &unwrap(&b.straightness)));
    }
}
