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

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use super::graph::WGraph;

/// Relative tolerance under which two path lengths count as equal.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// Sources handled by one parallel task; partial sums are added in task
/// order, so results do not depend on the number of threads.
const CHUNK: usize = 32;

#[inline]
fn tie(a: f64, b: f64) -> bool {
    a == b
        || (a.is_finite() && b.is_finite() && (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs()))
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
    sigma: Vec<f64>,
    order: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    delta: Vec<f64>,
    pdelta: Vec<f64>,
}

impl Work {
    fn new(n: usize) -> Work {
        Work {
            dist: vec![f64::INFINITY; n],
            sigma: vec![0.0; n],
            order: Vec::with_capacity(n),
            heap: BinaryHeap::new(),
            delta: vec![0.0; n],
            pdelta: vec![0.0; n],
        }
    }
}

struct Acc {
    bc: Vec<Vec<f64>>,
    pbc: Vec<Vec<f64>>,
    dsum: Vec<Vec<f64>>,
    reached: Vec<Vec<u32>>,
    harm: Vec<Vec<f64>>,
}

impl Acc {
    fn new(n: usize, k: usize) -> Acc {
        Acc {
            bc: vec![vec![0.0; n]; k],
            pbc: vec![vec![0.0; n]; k],
            dsum: vec![vec![0.0; n]; k],
            reached: vec![vec![0; n]; k],
            harm: vec![vec![0.0; n]; k],
        }
    }
    fn add(&mut self, o: &Acc) {
        let add = |a: &mut Vec<Vec<f64>>, b: &Vec<Vec<f64>>| {
            for (x, y) in a.iter_mut().zip(b) {
                for (p, q) in x.iter_mut().zip(y) {
                    *p += q;
                }
            }
        };
        add(&mut self.bc, &o.bc);
        add(&mut self.pbc, &o.pbc);
        add(&mut self.dsum, &o.dsum);
        add(&mut self.harm, &o.harm);
        for (x, y) in self.reached.iter_mut().zip(&o.reached) {
            for (p, q) in x.iter_mut().zip(y) {
                *p += q;
            }
        }
    }
}

/// One source: Dijkstra (bounded by the largest cutoff), path counts, then
/// the backward accumulation of dependencies for every cutoff.
fn single_source(g: &WGraph, rev: &WGraph, s: u32, opt: &PathOptions, w: &mut Work, acc: &mut Acc) {
    let max_cut = opt.cutoffs.iter().copied().fold(0.0, f64::max);
    w.order.clear();
    w.dist[s as usize] = 0.0;
    w.heap.push(Reverse((0f64.to_bits(), s)));
    while let Some(Reverse((bits, v))) = w.heap.pop() {
        let d = f64::from_bits(bits);
        if d > w.dist[v as usize] || w.sigma[v as usize] < 0.0 {
            continue;
        }
        // Mark settled with a negative sigma until counted below.
        w.sigma[v as usize] = -1.0;
        w.order.push(v);
        for (h, wt) in g.out(v) {
            let nd = d + wt;
            if nd <= max_cut * (1.0 + TIE_TOLERANCE)
                && nd < w.dist[h as usize]
                && !tie(nd, w.dist[h as usize])
            {
                w.dist[h as usize] = nd;
                w.heap.push(Reverse((nd.to_bits(), h)));
            }
        }
    }
    // Path counts in settled order over tight incoming arcs.
    for i in 0..w.order.len() {
        let v = w.order[i];
        if v == s {
            w.sigma[v as usize] = 1.0;
            continue;
        }
        let dv = w.dist[v as usize];
        let mut sig = 0.0;
        for (p, wt) in rev.out(v) {
            let dp = w.dist[p as usize];
            if dp.is_finite() && w.sigma[p as usize] > 0.0 && tie(dp + wt, dv) {
                sig += w.sigma[p as usize];
            }
        }
        w.sigma[v as usize] = sig;
    }
    let is_target = |v: u32| opt.targets.is_none_or(|t| t[v as usize]);
    let ps = opt.population.map_or(1.0, |p| p[s as usize]);
    for (k, &cut) in opt.cutoffs.iter().enumerate() {
        let within = |d: f64| d <= cut || tie(d, cut);
        // Distance sums, reach and harmonic closeness of the source.
        for &v in &w.order[1..] {
            let d = w.dist[v as usize];
            if within(d) && is_target(v) {
                acc.dsum[k][s as usize] += d;
                acc.reached[k][s as usize] += 1;
                acc.harm[k][s as usize] += 1.0 / d;
            }
        }
        for &v in &w.order {
            w.delta[v as usize] = 0.0;
            w.pdelta[v as usize] = 0.0;
        }
        for &x in w.order.iter().rev() {
            let dx = w.dist[x as usize];
            if !within(dx) {
                continue;
            }
            let (cx, pcx) = if x != s && is_target(x) {
                (1.0, ps * opt.population.map_or(1.0, |p| p[x as usize]))
            } else {
                (0.0, 0.0)
            };
            let coef = (cx + w.delta[x as usize]) / w.sigma[x as usize];
            let pcoef = (pcx + w.pdelta[x as usize]) / w.sigma[x as usize];
            for (p, wt) in rev.out(x) {
                let dp = w.dist[p as usize];
                if dp.is_finite() && tie(dp + wt, dx) && w.sigma[p as usize] > 0.0 {
                    w.delta[p as usize] += w.sigma[p as usize] * coef;
                    w.pdelta[p as usize] += w.sigma[p as usize] * pcoef;
                }
            }
            if x != s {
                acc.bc[k][x as usize] += w.delta[x as usize];
                acc.pbc[k][x as usize] += w.pdelta[x as usize];
            }
        }
    }
    for &v in &w.order {
        w.dist[v as usize] = f64::INFINITY;
        w.sigma[v as usize] = 0.0;
    }
    w.heap.clear();
}

/// Computes the shortest-path centralities of `g` (see [`PathCentrality`]).
///
/// # Complexity
/// O(n·(m + n log n)) time for n sources and m arcs, O(n·k) memory per
/// parallel task for k cutoffs; sources run in parallel (rayon).
pub fn path_centrality(g: &WGraph, opt: &PathOptions) -> PathCentrality {
    let n = g.node_count();
    let k = opt.cutoffs.len();
    let rev = if g.directed { g.reversed() } else { g.clone() };
    let sources: Vec<u32> = (0..n as u32)
        .filter(|&s| opt.sources.is_none_or(|m| m[s as usize]))
        .collect();
    let partial: Vec<Acc> = sources
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut w = Work::new(n);
            let mut acc = Acc::new(n, k);
            for &s in chunk {
                single_source(g, &rev, s, opt, &mut w, &mut acc);
            }
            acc
        })
        .collect();
    let mut total = Acc::new(n, k);
    for p in &partial {
        total.add(p);
    }
    if !g.directed {
        for v in total.bc.iter_mut().flatten() {
            *v /= 2.0;
        }
    }
    for row in &mut total.pbc {
        let sum: f64 = row.iter().sum();
        if sum > 0.0 {
            for v in row.iter_mut() {
                *v /= sum;
            }
        }
    }
    PathCentrality {
        betweenness: total.bc,
        pop_betweenness: total.pbc,
        distance_sum: total.dsum,
        reached: total.reached,
        harmonic: total.harm,
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
        let g = WGraph::from_arcs(3, &[(0, 1, 1.0), (1, 2, 1.0)], true);
        let cuts = [f64::INFINITY];
        let r = path_centrality(
            &g,
            &PathOptions {
                cutoffs: &cuts,
                sources: None,
                targets: None,
                population: None,
            },
        );
        assert_eq!(r.betweenness[0], vec![0.0, 1.0, 0.0]);
        assert_eq!(r.harmonic[0], vec![1.5, 2.0, 1.5]);
    }
}
