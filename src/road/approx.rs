//! Betweenness estimated from a sample of sources, with a Hoeffding bound.
//!
//! Normalised betweenness (NetworkX's convention) is the mean, over sources
//! s, of X_s(v) = δ_s(v)/(n−2) scaled by n/(n−1), where δ_s(v) is the
//! dependency of s on v (the sum over targets of the share of shortest paths
//! through v) and lies in [0, n−2]. Averaging X_s over k sources drawn
//! uniformly without replacement, Hoeffding's inequality (which holds for
//! sampling without replacement too) and a union bound over the n nodes give:
//! with probability at least 1−δ, **every** node's estimate is within
//!
//! ε = n/(n−1) · √( ln(2n/δ) / (2k) )
//!
//! of its exact normalised betweenness (see [`hoeffding_epsilon`]). This is
//! the bound of source sampling as in Brandes & Pich (2007); it does not
//! depend on the graph, so it is loose but always valid.

use crate::algorithms::centrality::{PathOptions, WGraph, normalise_betweenness, path_centrality};
use crate::generate::XorShift;

/// The estimate and its guarantee.
#[derive(Debug, Clone, PartialEq)]
pub struct ApproxBetweenness {
    /// Estimated normalised betweenness per node.
    pub normalised: Vec<f64>,
    /// Sources sampled (all nodes when `k ≥ n`: then the result is exact).
    pub sources: Vec<u32>,
    /// ε: the largest error of any node with probability ≥ 1−δ (0 if exact).
    pub epsilon: f64,
    /// δ used for ε.
    pub delta: f64,
}

/// ε of the Hoeffding bound for `k` of `n` sources at failure probability
/// `delta` (see the module docs); 0 when `k ≥ n`.
pub fn hoeffding_epsilon(n: usize, k: usize, delta: f64) -> f64 {
    if k >= n || n < 3 {
        return 0.0;
    }
    let nf = n as f64;
    nf / (nf - 1.0) * ((2.0 * nf / delta).ln() / (2.0 * k as f64)).sqrt()
}

/// `k` distinct nodes of `0..n`, drawn with a seeded partial Fisher–Yates
/// shuffle and returned sorted.
pub fn sample_sources(n: usize, k: usize, seed: u64) -> Vec<u32> {
    let mut all: Vec<u32> = (0..n as u32).collect();
    let k = k.min(n);
    let mut rng = XorShift::new(seed);
    for i in 0..k {
        let j = i + rng.below(n - i);
        all.swap(i, j);
    }
    all.truncate(k);
    all.sort_unstable();
    all
}

/// Estimates normalised betweenness from `k` sampled sources (seeded), with
/// the bound at failure probability `delta`.
///
/// # Complexity
/// O(k·(m + n log n)): k single-source Brandes passes instead of n.
pub fn approx_betweenness(g: &WGraph, k: usize, seed: u64, delta: f64) -> ApproxBetweenness {
    approx_betweenness_from(g, sample_sources(g.node_count(), k, seed), delta)
}

/// [`approx_betweenness`] from given distinct `sources` (for instance a
/// sample drawn in another numbering of the nodes).
pub fn approx_betweenness_from(g: &WGraph, sources: Vec<u32>, delta: f64) -> ApproxBetweenness {
    let n = g.node_count();
    let mut mask = vec![false; n];
    for &s in &sources {
        mask[s as usize] = true;
    }
    let cuts = [f64::INFINITY];
    let pc = path_centrality(
        g,
        &PathOptions {
            sources: Some(&mask),
            closeness: false,
            ..PathOptions::all(&cuts)
        },
    );
    let scale = n as f64 / sources.len().max(1) as f64;
    let raw: Vec<f64> = pc.betweenness[0].iter().map(|b| b * scale).collect();
    ApproxBetweenness {
        normalised: normalise_betweenness(&raw, n, g.directed),
        epsilon: hoeffding_epsilon(n, sources.len(), delta),
        delta,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{radius_for_degree, random_geometric_points};

    #[test]
    fn all_sources_is_exact_and_samples_are_within_the_bound() {
        let n = 400;
        let g = random_geometric_points(n, radius_for_degree(n, 5.0), 9).to_wgraph();
        let exact = approx_betweenness(&g, n, 1, 0.1);
        assert_eq!(exact.epsilon, 0.0);
        let cuts = [f64::INFINITY];
        let pc = path_centrality(&g, &PathOptions::all(&cuts));
        let want = normalise_betweenness(&pc.betweenness[0], n, g.directed);
        for (a, b) in exact.normalised.iter().zip(&want) {
            assert!((a - b).abs() <= 1e-12);
        }
        for seed in 1..6 {
            let est = approx_betweenness(&g, 100, seed, 0.1);
            assert_eq!(est.sources.len(), 100);
            let worst = est
                .normalised
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            assert!(
                worst <= est.epsilon,
                "seed {seed}: {worst} > {}",
                est.epsilon
            );
        }
    }

    #[test]
    fn samples_are_distinct_sorted_and_seeded() {
        let s = sample_sources(1000, 50, 3);
        assert_eq!(s.len(), 50);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(s, sample_sources(1000, 50, 3));
        assert_ne!(s, sample_sources(1000, 50, 4));
    }
}
