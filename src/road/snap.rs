//! Snapping points to the nearest road node.

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::RoadGraph;
use crate::network::haversine_km;

/// A lon/lat point as a unit vector: chord distance grows with great-circle
/// distance, so R-tree nearest queries are exact on the sphere.
pub(crate) fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (lo, la) = (lon.to_radians(), lat.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// An R-tree over the nodes of a [`RoadGraph`] that have coordinates.
#[derive(Debug, Clone)]
pub struct NodeIndex {
    tree: RTree<GeomWithData<[f64; 3], u32>>,
}

impl NodeIndex {
    /// Indexes the nodes (those without coordinates are left out).
    pub fn new(g: &RoadGraph) -> NodeIndex {
        let items = (0..g.node_count() as u32)
            .filter(|&v| g.lon(v).is_finite() && g.lat(v).is_finite())
            .map(|v| GeomWithData::new(unit_vector(g.lon(v), g.lat(v)), v))
            .collect();
        NodeIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// The node nearest to (lon, lat) and its distance in km; `None` when no
    /// node has coordinates. Equally near nodes: the lowest index.
    pub fn nearest(&self, g: &RoadGraph, lon: f64, lat: f64) -> Option<(u32, f64)> {
        let q = unit_vector(lon, lat);
        let first = self.tree.nearest_neighbor(&q)?;
        let d2 = rstar::PointDistance::distance_2(first, &q);
        let best = self
            .tree
            .locate_within_distance(q, d2 * (1.0 + 1e-12))
            .map(|x| x.data)
            .min()
            .unwrap_or(first.data);
        Some((best, haversine_km(lon, lat, g.lon(best), g.lat(best))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_brute_force() {
        let mut rng = crate::generate::XorShift::new(11);
        let n = 400;
        let lon: Vec<f64> = (0..n).map(|_| 116.0 + rng.next_f64()).collect();
        let lat: Vec<f64> = (0..n).map(|_| 39.5 + rng.next_f64()).collect();
        let arcs: Vec<(u32, u32, f64)> = (1..n as u32).map(|v| (v - 1, v, 1.0)).collect();
        let g = RoadGraph::new(lon, lat, &arcs, true, None).unwrap();
        let idx = NodeIndex::new(&g);
        for _ in 0..50 {
            let (x, y) = (116.0 + rng.next_f64(), 39.5 + rng.next_f64());
            let (v, d) = idx.nearest(&g, x, y).unwrap();
            let brute = (0..n as u32)
                .map(|u| haversine_km(x, y, g.lon(u), g.lat(u)))
                .fold(f64::INFINITY, f64::min);
            assert!((d - brute).abs() < 1e-9, "node {v}: {d} vs {brute}");
        }
    }
}
