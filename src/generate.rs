//! Seeded synthetic graphs for benchmarks and tests.
//!
//! A random geometric graph is the usual stand-in for a road network: nodes
//! scattered over a plane, edges between near neighbours, weights growing with
//! length, a few thousand to millions of nodes with a mean degree of about 3–6.

use crate::algorithms::centrality::WGraph;

/// A random geometric graph: points in the unit square and undirected edges
/// `(a, b, euclidean length)` with `a < b`, sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct GeometricGraph {
    /// Node positions (x, y) in the unit square.
    pub points: Vec<(f64, f64)>,
    /// Undirected edges `(a, b, length)`, `a < b`, sorted by `(a, b)`.
    pub edges: Vec<(u32, u32, f64)>,
}

/// xorshift64: a small fixed-seed generator of uniform numbers in [0, 1).
#[derive(Debug, Clone)]
pub struct XorShift(u64);

impl XorShift {
    /// A generator from `seed` (0 is replaced by a fixed non-zero constant).
    pub fn new(seed: u64) -> XorShift {
        XorShift(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }
    /// The next number in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    /// The next integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_f64() * n as f64) as usize).min(n - 1)
    }
}

/// `n` points in the unit square (fixed `seed`), edges between distinct
/// points closer than `r`. The points are bucketed in a grid of cells at
/// least `r` wide (at most about n cells), so building costs O(n + m) for m
/// edges when `r` is about the mean spacing or smaller.
pub fn random_geometric_points(n: usize, r: f64, seed: u64) -> GeometricGraph {
    let mut rng = XorShift::new(seed);
    let points: Vec<(f64, f64)> = (0..n).map(|_| (rng.next_f64(), rng.next_f64())).collect();
    // Cells at least `r` wide, and no more cells than about n: a tiny (or
    // NaN) radius cannot ask for a grid larger than the points.
    let g = (1.0 / r)
        .ceil()
        .min((n as f64).sqrt().ceil() + 1.0)
        .max(1.0) as usize;
    let size = 1.0 / g as f64;
    let cell = |p: (f64, f64)| {
        (
            ((p.0 / size) as usize).min(g - 1),
            ((p.1 / size) as usize).min(g - 1),
        )
    };
    let mut grid = vec![Vec::new(); g * g];
    for (i, &p) in points.iter().enumerate() {
        let (cx, cy) = cell(p);
        grid[cy * g + cx].push(i as u32);
    }
    let mut edges = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        let (cx, cy) = cell(p);
        for dy in cy.saturating_sub(1)..=(cy + 1).min(g - 1) {
            for dx in cx.saturating_sub(1)..=(cx + 1).min(g - 1) {
                for &j in &grid[dy * g + dx] {
                    if (j as usize) > i {
                        let q = points[j as usize];
                        let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
                        if d < r && d > 0.0 {
                            edges.push((i as u32, j, d));
                        }
                    }
                }
            }
        }
    }
    edges.sort_by_key(|e| (e.0, e.1));
    GeometricGraph { points, edges }
}

/// The radius that gives a mean degree of about `degree` for `n` points.
pub fn radius_for_degree(n: usize, degree: f64) -> f64 {
    (degree / (std::f64::consts::PI * n.max(1) as f64)).sqrt()
}

impl GeometricGraph {
    /// The subgraph induced by the largest connected component (ties: the
    /// one holding the lowest node), nodes renumbered in their old order.
    pub fn largest_component(&self) -> GeometricGraph {
        let n = self.points.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        fn find(p: &mut [u32], mut x: u32) -> u32 {
            while p[x as usize] != x {
                p[x as usize] = p[p[x as usize] as usize];
                x = p[x as usize];
            }
            x
        }
        for &(a, b, _) in &self.edges {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                let (lo, hi) = (ra.min(rb), ra.max(rb));
                parent[hi as usize] = lo;
            }
        }
        let mut size = vec![0usize; n];
        let roots: Vec<u32> = (0..n as u32).map(|v| find(&mut parent, v)).collect();
        for &r in &roots {
            size[r as usize] += 1;
        }
        let best = (0..n).max_by_key(|&r| (size[r], std::cmp::Reverse(r)));
        let Some(best) = best else {
            return self.clone();
        };
        let mut new_id = vec![u32::MAX; n];
        let mut points = Vec::new();
        for v in 0..n {
            if roots[v] as usize == best {
                new_id[v] = points.len() as u32;
                points.push(self.points[v]);
            }
        }
        let edges = self
            .edges
            .iter()
            .filter(|e| new_id[e.0 as usize] != u32::MAX)
            .map(|&(a, b, w)| (new_id[a as usize], new_id[b as usize], w))
            .collect();
        GeometricGraph { points, edges }
    }

    /// The undirected [`WGraph`] of the edges, weighted by length.
    pub fn to_wgraph(&self) -> WGraph {
        // Edges join distinct points at a positive finite distance.
        WGraph::from_arcs(self.points.len(), &self.edges, true).expect("generated edges are valid")
    }
}

/// A random geometric graph as a [`WGraph`] (see [`random_geometric_points`]).
pub fn random_geometric(n: usize, r: f64, seed: u64) -> WGraph {
    random_geometric_points(n, r, seed).to_wgraph()
}

/// The lon/lat extent of a generated square network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SquareExtent {
    /// Side of the square, km.
    pub side_km: f64,
    /// Degrees of longitude spanned.
    pub deg_lon: f64,
    /// Degrees of latitude spanned.
    pub deg_lat: f64,
}

/// A generated square does not fit within lon/lat range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "a square of {side_km:.1} km from ({lon0}, {lat0}) reaches ({lon1:.3}, {lat1:.3}), outside lon [-180, 180] or lat [-85, 85]"
)]
pub struct ExtentError {
    /// Side of the square, km.
    pub side_km: f64,
    /// South-west corner.
    pub lon0: f64,
    /// South-west corner.
    pub lat0: f64,
    /// North-east corner reached.
    pub lon1: f64,
    /// North-east corner reached.
    pub lat1: f64,
}

/// The square holding `nodes` points about `spacing_km` apart with its
/// south-west corner at (`lon0`, `lat0`): its side is √nodes × spacing.
///
/// # Errors
/// [`ExtentError`] when the square leaves lon [-180, 180] or lat [-85, 85],
/// so that a generated `.co` file is always readable.
pub fn square_extent(
    nodes: usize,
    spacing_km: f64,
    lon0: f64,
    lat0: f64,
) -> Result<SquareExtent, ExtentError> {
    let side_km = (nodes as f64).sqrt() * spacing_km;
    let deg_lat = side_km / 111.195;
    let deg_lon = deg_lat / lat0.to_radians().cos().max(0.01);
    let (lon1, lat1) = (lon0 + deg_lon, lat0 + deg_lat);
    let inside = |v: f64, lim: f64| v.is_finite() && v.abs() <= lim;
    if inside(lon0, 180.0) && inside(lon1, 180.0) && inside(lat0, 85.0) && inside(lat1, 85.0) {
        Ok(SquareExtent {
            side_km,
            deg_lon,
            deg_lat,
        })
    } else {
        Err(ExtentError {
            side_km,
            lon0,
            lat0,
            lon1,
            lat1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_radius_and_far_squares_are_refused_or_bounded() {
        let g = random_geometric_points(50, radius_for_degree(50, 1e-300), 1);
        assert!(g.edges.is_empty());
        let g = random_geometric_points(50, f64::NAN, 1);
        assert!(g.edges.is_empty());
        assert!(square_extent(1000, 0.3, 116.0, 39.5).is_ok());
        assert!(square_extent(1000, 0.3, 116.0, 1000.0).is_err());
        assert!(square_extent(20_000_000, 100.0, 116.0, 39.5).is_err());
    }

    #[test]
    fn edges_are_exactly_the_close_pairs() {
        let g = random_geometric_points(300, 0.1, 7);
        let mut brute = Vec::new();
        for i in 0..300 {
            for j in i + 1..300 {
                let (p, q) = (g.points[i], g.points[j]);
                let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
                if d < 0.1 {
                    brute.push((i as u32, j as u32));
                }
            }
        }
        let got: Vec<(u32, u32)> = g.edges.iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(got, brute);
        assert_eq!(g, random_geometric_points(300, 0.1, 7));
    }

    #[test]
    fn largest_component_is_connected_and_largest() {
        let g = random_geometric_points(500, radius_for_degree(500, 3.0), 3);
        let c = g.largest_component();
        assert!(c.points.len() <= 500 && c.points.len() > 1);
        // Breadth-first search from node 0 reaches every node.
        let w = c.to_wgraph();
        let mut seen = vec![false; w.node_count()];
        let mut stack = vec![0u32];
        seen[0] = true;
        while let Some(v) = stack.pop() {
            for (h, _) in w.out(v) {
                if !seen[h as usize] {
                    seen[h as usize] = true;
                    stack.push(h);
                }
            }
        }
        assert!(seen.iter().all(|&s| s));
    }
}
