//! Shortest-path centralities from every source: Brandes' betweenness
//! (weighted, exact, all equal shortest paths counted, endpoints excluded),
//! population-weighted betweenness, closeness and harmonic closeness, each
//! for several distance cutoffs in one pass over the sources.
//!
//! Path lengths whose relative difference is at most [`TIE_TOLERANCE`] count
//! as equal, so that routes whose minutes add up in a different order are
//! both shortest (floating-point sums are not associative). NetworkX compares
//! lengths exactly and igraph with a tolerance; on graphs without such
//! near-ties all three agree.

use rayon::prelude::*;

use super::graph::WGraph;
use crate::algorithms::heap::IndexedHeap;
use crate::algorithms::marks::{Marks, REACHED, SETTLED};

/// Relative tolerance under which two path lengths count as equal.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Sources handled by one parallel task; partial sums are added in task
/// order, so results do not depend on the number of threads.
const CHUNK: usize = 32;

/// Whether two finite non-negative path lengths count as equal.
#[inline(always)]
fn tie_len(a: f64, b: f64) -> bool {
    let hi = if a > b { a } else { b };
    (a - b).abs() <= TIE_TOLERANCE * hi
}

/// What to compute.
#[derive(Debug, Clone)]
pub struct PathOptions<'a> {
    /// Distance cutoffs; `f64::INFINITY` means none. Every measure is
    /// returned once per cutoff, in this order.
    pub cutoffs: &'a [f64],
    /// Nodes whose shortest paths start there (default: all).
    pub sources: Option<&'a [bool]>,
    /// Nodes that count as destinations (default: all).
    pub targets: Option<&'a [bool]>,
    /// Weights of the nodes for population-weighted betweenness.
    pub population: Option<&'a [f64]>,
}

impl<'a> PathOptions<'a> {
    /// Every node a source and a target, no populations, for `cutoffs`.
    pub fn all(cutoffs: &'a [f64]) -> PathOptions<'a> {
        PathOptions {
            cutoffs,
            sources: None,
            targets: None,
            population: None,
        }
    }
}

/// Results per cutoff, each a value per node.
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
    /// population-weighted one.
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

/// What one parallel task adds up: dependencies per cutoff over every node,
/// and the closeness figures of each of its sources.
struct Acc {
    bc: Vec<Vec<f64>>,
    pbc: Vec<Vec<f64>>,
    /// Per source of the task: (source, per cutoff (distance sum, reached,
    /// harmonic)).
    closeness: Vec<(u32, Vec<SourceFigures>)>,
}

impl Acc {
    fn new(n: usize, k: usize, weighted: bool) -> Acc {
        Acc {
            bc: vec![vec![0.0; n]; k],
            pbc: if weighted {
                vec![vec![0.0; n]; k]
            } else {
                vec![Vec::new(); k]
            },
            closeness: Vec::new(),
        }
    }
}

/// One source: Dijkstra (bounded by the largest cutoff) counting shortest
/// paths as it settles nodes, then for every cutoff the dependencies in
/// reverse settled order, each node pulling from its tight successors.
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
    let mut row = Vec::with_capacity(opt.cutoffs.len());
    for (k, &cut) in opt.cutoffs.iter().enumerate() {
        // Lengths within the tie tolerance of the cutoff count as within it,
        // as the search above.
        let cut_lim = cut * (1.0 + TIE_TOLERANCE);
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
        row.push((dsum, reached, harm));
        match opt.population {
            None => dependencies::<false>(g, s, cut_lim, opt, w, &mut acc.bc[k], &mut []),
            Some(_) => dependencies::<true>(g, s, cut_lim, opt, w, &mut acc.bc[k], &mut acc.pbc[k]),
        }
    }
    acc.closeness.push((s, row));
    for &v in &w.order {
        w.dist[v as usize] = f64::INFINITY;
        w.sigma[v as usize] = 0.0;
    }
    w.heap.clear();
}

/// Dependencies of one source within one cutoff, added to `bc` (and to `pbc`
/// when `WEIGHTED`): δ(x) = σ(x) · Σ over tight successors y within the
/// cutoff of (c(y) + δ(y)) / σ(y), with c(y) = 1 for a target y ≠ s (times
/// the two populations for `pbc`). Successors settle after x, so reverse
/// settled order has their coefficients ready.
fn dependencies<const WEIGHTED: bool>(
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
            w.coef[x as usize] = 0.0;
            if WEIGHTED {
                w.pcoef[x as usize] = 0.0;
            }
            continue;
        }
        let (mut pull, mut ppull) = (0.0, 0.0);
        for (y, wt) in g.out(x) {
            let dy = w.dist[y as usize];
            if w.marks.get(y) == SETTLED && dy > dx && tie_len(dx + wt, dy) {
                pull += w.coef[y as usize];
                if WEIGHTED {
                    ppull += w.pcoef[y as usize];
                }
            }
        }
        let sx = w.sigma[x as usize];
        let delta = sx * pull;
        let target = x != s && opt.targets.is_none_or(|t| t[x as usize]);
        w.coef[x as usize] = (if target { 1.0 } else { 0.0 } + delta) / sx;
        if x != s {
            bc[x as usize] += delta;
        }
        if WEIGHTED {
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
    if n < RELABEL_MIN {
        return path_centrality_in_order(g, opt);
    }
    let order = g.bfs_order();
    let h = g.relabelled(&order);
    let pick_bool = |m: &[bool]| -> Vec<bool> { order.iter().map(|&v| m[v as usize]).collect() };
    let sources = opt.sources.map(pick_bool);
    let targets = opt.targets.map(pick_bool);
    let population: Option<Vec<f64>> = opt
        .population
        .map(|p| order.iter().map(|&v| p[v as usize]).collect());
    let r = path_centrality_in_order(
        &h,
        &PathOptions {
            cutoffs: opt.cutoffs,
            sources: sources.as_deref(),
            targets: targets.as_deref(),
            population: population.as_deref(),
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
    }
}

/// Node count from which [`path_centrality`] relabels the graph.
pub const RELABEL_MIN: usize = 2048;

/// Parallel tasks per wave: partial sums of a wave are added in task order
/// before the next wave starts (a fixed number, so results do not depend on
/// the number of threads).
pub const WAVE: usize = 16;

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
    let weighted = opt.population.is_some();
    let sources: Vec<u32> = (0..n as u32)
        .filter(|&s| opt.sources.is_none_or(|m| m[s as usize]))
        .collect();
    let mut bc = vec![vec![0.0; n]; k];
    let mut pbc = vec![vec![0.0; n]; k];
    let mut dsum = vec![vec![0.0; n]; k];
    let mut reached = vec![vec![0u32; n]; k];
    let mut harm = vec![vec![0.0; n]; k];
    for wave in sources.chunks(CHUNK * WAVE) {
        let partial: Vec<Acc> = wave
            .par_chunks(CHUNK)
            .map_init(
                || Work::new(n),
                |w, chunk| {
                    let mut acc = Acc::new(n, k, weighted);
                    for &s in chunk {
                        single_source(g, s, opt, w, &mut acc);
                    }
                    acc
                },
            )
            .collect();
        for acc in partial {
            add_rows(&mut bc, &acc.bc);
            if weighted {
                add_rows(&mut pbc, &acc.pbc);
            }
            for (s, row) in acc.closeness {
                for (kk, (d, r, h)) in row.into_iter().enumerate() {
                    dsum[kk][s as usize] = d;
                    reached[kk][s as usize] = r;
                    harm[kk][s as usize] = h;
                }
            }
        }
    }
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
        let opt = PathOptions {
            cutoffs: &cuts,
            sources: Some(&sources),
            targets: Some(&targets),
            population: Some(&pop),
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
    }
}
