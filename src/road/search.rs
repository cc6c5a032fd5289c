//! Dijkstra on a [`WGraph`] with a reusable workspace: bounded searches,
//! travel-time matrices and closeness from every node.

use rayon::prelude::*;

use crate::algorithms::centrality::{RELABEL_MIN, WGraph};
use crate::algorithms::heap::IndexedHeap;
use crate::algorithms::marks::{Marks, REACHED, SETTLED};
use crate::progress::Progress;

/// Sources per parallel task (results do not depend on the thread count).
const CHUNK: usize = 16;

/// A reusable Dijkstra workspace: nodes are marked reached or settled with
/// [`Marks`], which reset in O(1), so many small bounded searches on a large
/// graph cost what they reach, not the size of the graph. A label counts
/// only where its node is marked, never by comparing it with infinity.
#[derive(Debug, Clone)]
pub struct SearchSpace {
    dist: Vec<f64>,
    marks: Marks,
    settled: Vec<u32>,
    heap: IndexedHeap,
}

/// What one search found: the settled nodes in order of distance.
#[derive(Debug, Clone, Copy)]
pub struct Distances<'a> {
    space: &'a SearchSpace,
}

impl Distances<'_> {
    /// Nodes within the budget, nearest first.
    pub fn settled(&self) -> &[u32] {
        &self.space.settled
    }
    /// Distance to `v` (infinite when not settled within the budget).
    pub fn get(&self, v: u32) -> f64 {
        if self.space.marks.get(v) == SETTLED {
            self.space.dist[v as usize]
        } else {
            f64::INFINITY
        }
    }
}

impl SearchSpace {
    /// A workspace for graphs of `n` nodes.
    pub fn new(n: usize) -> SearchSpace {
        SearchSpace {
            dist: vec![f64::INFINITY; n],
            marks: Marks::new(n),
            settled: Vec::new(),
            heap: IndexedHeap::new(n),
        }
    }

    /// Dijkstra from `sources` (all at 0) over `g`, settling nodes whose
    /// distance is at most `budget` (infinity for none), and stopping early
    /// once `count` nodes marked in `stop_when` are settled (when given).
    ///
    /// # Complexity
    /// O((n_b + m_b) log n_b) for the n_b nodes and m_b arcs within the
    /// budget; the workspace is reset in O(n_b).
    pub fn search(
        &mut self,
        g: &WGraph,
        sources: &[u32],
        budget: f64,
        stop_when: Option<(&[bool], usize)>,
    ) -> Distances<'_> {
        self.marks.clear();
        self.settled.clear();
        self.heap.clear();
        for &s in sources {
            if self.marks.get(s) == 0 {
                self.marks.set(s, REACHED);
                self.dist[s as usize] = 0.0;
                self.heap.push_or_decrease(s, 0.0);
            }
        }
        let mut left = stop_when.map_or(usize::MAX, |x| x.1);
        while let Some((v, d)) = self.heap.pop() {
            if d > budget {
                break;
            }
            self.marks.set(v, SETTLED);
            self.settled.push(v);
            if let Some((targets, _)) = stop_when
                && targets[v as usize]
            {
                left -= 1;
                if left == 0 {
                    break;
                }
            }
            for (h, w) in g.out(v) {
                let nd = d + w;
                match self.marks.get(h) {
                    0 => {
                        self.marks.set(h, REACHED);
                        self.dist[h as usize] = nd;
                        self.heap.push_or_decrease(h, nd);
                    }
                    REACHED if nd < self.dist[h as usize] => {
                        self.dist[h as usize] = nd;
                        self.heap.push_or_decrease(h, nd);
                    }
                    _ => {}
                }
            }
        }
        Distances { space: self }
    }
}

/// Travel times between `points` (graph nodes): row i holds the distances
/// from `points[i]` to every point (infinite when unreachable). Each row is
/// one Dijkstra that stops once every point is settled; rows run in parallel.
///
/// Graphs of [`RELABEL_MIN`] nodes or more are searched relabelled in
/// breadth-first order when there are at least [`RELABEL_MIN_POINTS`]
/// points: the relabelling costs about two searches and keeps each search's
/// memory accesses local. Distances do not depend on the labels.
///
/// # Complexity
/// O(k·(m + n log n)) for k points at worst.
pub fn matrix(g: &WGraph, points: &[u32]) -> Vec<Vec<f64>> {
    if g.node_count() < RELABEL_MIN || points.len() < RELABEL_MIN_POINTS || g.is_local_order() {
        return matrix_in_order(g, points);
    }
    let (h, order) = g.bfs_relabelled();
    let mut new_id = vec![0u32; order.len()];
    for (i, &v) in order.iter().enumerate() {
        new_id[v as usize] = i as u32;
    }
    let relabelled: Vec<u32> = points.iter().map(|&p| new_id[p as usize]).collect();
    matrix_in_order(&h, &relabelled)
}

/// Points from which [`matrix`] relabels a large graph.
pub const RELABEL_MIN_POINTS: usize = 64;

fn matrix_in_order(g: &WGraph, points: &[u32]) -> Vec<Vec<f64>> {
    let n = g.node_count();
    let mut is_target = vec![false; n];
    for &p in points {
        is_target[p as usize] = true;
    }
    let distinct = is_target.iter().filter(|&&b| b).count();
    let progress = Progress::new(points.len() as u64, "rows");
    let rows = points
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| {
            let mut ws = SearchSpace::new(n);
            chunk
                .iter()
                .map(|&s| {
                    let d = ws.search(g, &[s], f64::INFINITY, Some((&is_target, distinct)));
                    points.iter().map(|&t| d.get(t)).collect::<Vec<f64>>()
                })
                .collect::<Vec<_>>()
        })
        .inspect(|_| progress.inc(1))
        .collect();
    progress.finish();
    rows
}

/// For every node: (sum of distances to the nodes it reaches, number of
/// those nodes, harmonic closeness Σ 1/d), from one full Dijkstra per node
/// in parallel. Closeness follows with
/// [`closeness`](crate::algorithms::centrality::closeness).
///
/// Graphs of [`RELABEL_MIN`] nodes or more are searched relabelled in
/// breadth-first order, for memory locality, as
/// [`path_centrality`](crate::algorithms::centrality::path_centrality) does.
///
/// # Complexity
/// O(n·(m + n log n)).
pub fn closeness_all(g: &WGraph) -> Vec<(f64, u32, f64)> {
    let n = g.node_count();
    if n < RELABEL_MIN || g.is_local_order() {
        return closeness_in_order(g);
    }
    let (h, order) = g.bfs_relabelled();
    let inner = closeness_in_order(&h);
    let mut out = vec![(0.0, 0, 0.0); n];
    for (i, x) in inner.into_iter().enumerate() {
        out[order[i] as usize] = x;
    }
    out
}

fn closeness_in_order(g: &WGraph) -> Vec<(f64, u32, f64)> {
    let n = g.node_count();
    let nodes: Vec<u32> = (0..n as u32).collect();
    nodes
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| {
            let mut ws = SearchSpace::new(n);
            chunk
                .iter()
                .map(|&s| {
                    let d = ws.search(g, &[s], f64::INFINITY, None);
                    let (mut sum, mut harm) = (0.0, 0.0);
                    let settled = d.settled();
                    for &v in &settled[1..] {
                        let x = d.get(v);
                        sum += x;
                        harm += 1.0 / x;
                    }
                    (sum, settled.len() as u32 - 1, harm)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{radius_for_degree, random_geometric_points};

    /// Bellman–Ford style relaxation to a fixed point: the reference.
    fn reference(g: &WGraph, s: u32) -> Vec<f64> {
        let n = g.node_count();
        let mut d = vec![f64::INFINITY; n];
        d[s as usize] = 0.0;
        loop {
            let mut changed = false;
            for v in 0..n as u32 {
                for (h, w) in g.out(v) {
                    if d[v as usize] + w < d[h as usize] {
                        d[h as usize] = d[v as usize] + w;
                        changed = true;
                    }
                }
            }
            if !changed {
                return d;
            }
        }
    }

    #[test]
    fn bounded_search_agrees_with_reference_on_random_graphs() {
        for seed in 1..20u64 {
            let n = 150;
            let g = random_geometric_points(n, radius_for_degree(n, 4.0), seed).to_wgraph();
            let mut ws = SearchSpace::new(n);
            for s in [0u32, 7, 149] {
                let r = reference(&g, s);
                for budget in [0.05, 0.2, f64::INFINITY] {
                    let d = ws.search(&g, &[s], budget, None);
                    let settled = d.settled().to_vec();
                    for v in 0..n as u32 {
                        let want = if r[v as usize] <= budget {
                            r[v as usize]
                        } else {
                            f64::INFINITY
                        };
                        assert_eq!(d.get(v), want, "seed {seed} s {s} v {v} budget {budget}");
                    }
                    let mut sorted = settled.clone();
                    sorted.sort_by(|a, b| r[*a as usize].total_cmp(&r[*b as usize]));
                    let ds: Vec<f64> = settled.iter().map(|&v| r[v as usize]).collect();
                    let dsorted: Vec<f64> = sorted.iter().map(|&v| r[v as usize]).collect();
                    assert_eq!(ds, dsorted, "settled in order of distance");
                }
            }
        }
    }

    #[test]
    fn matrix_and_closeness_match_reference() {
        let n = 120;
        let g = random_geometric_points(n, radius_for_degree(n, 3.0), 5).to_wgraph();
        let pts = [3u32, 50, 3, 119];
        let m = matrix(&g, &pts);
        for (i, &s) in pts.iter().enumerate() {
            let r = reference(&g, s);
            for (j, &t) in pts.iter().enumerate() {
                assert_eq!(m[i][j], r[t as usize]);
            }
        }
        let c = closeness_all(&g);
        for s in [0u32, 60] {
            let r = reference(&g, s);
            let reached: Vec<f64> = r
                .iter()
                .copied()
                .filter(|d| d.is_finite() && *d > 0.0)
                .collect();
            assert_eq!(c[s as usize].1 as usize, reached.len());
            let sum: f64 = reached.iter().sum();
            assert!((c[s as usize].0 - sum).abs() <= 1e-12 * sum.max(1.0));
        }
    }

    #[test]
    fn closeness_is_the_same_relabelled() {
        let n = RELABEL_MIN + 300;
        let g = random_geometric_points(n, radius_for_degree(n, 4.0), 3).to_wgraph();
        let a = closeness_all(&g);
        let b = closeness_in_order(&g);
        assert!(a.iter().any(|x| x.1 > 100));
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.1, y.1);
            assert!((x.0 - y.0).abs() <= 1e-9 * x.0.max(1e-12));
            assert!((x.2 - y.2).abs() <= 1e-9 * x.2.max(1e-12));
        }
    }

    #[test]
    fn matrix_is_the_same_relabelled() {
        let n = RELABEL_MIN + 300;
        let g = random_geometric_points(n, radius_for_degree(n, 7.0), 4).to_wgraph();
        let pts: Vec<u32> = (0..RELABEL_MIN_POINTS as u32 + 6)
            .map(|i| i * 31 % n as u32)
            .collect();
        let a = matrix(&g, &pts);
        assert!(a.iter().flatten().filter(|d| d.is_finite()).count() > pts.len() * pts.len() / 2);
        assert_eq!(a, matrix_in_order(&g, &pts));
    }
}
