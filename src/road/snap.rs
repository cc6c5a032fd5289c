//! Snapping points to the nearest road node, within a distance limit.

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

    /// The node nearest to (lon, lat) and its distance in km, refusing a
    /// point that is not lon/lat, a network without coordinates, and a
    /// nearest node farther than `max_km` (a point off the network's area,
    /// such as (0, 0) for a network in China, must not be answered from a
    /// node thousands of km away).
    pub fn snap(
        &self,
        g: &RoadGraph,
        lon: f64,
        lat: f64,
        max_km: f64,
    ) -> Result<(u32, f64), SnapError> {
        if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
            return Err(SnapError::NotLonLat { lon, lat });
        }
        let (v, km) = self.nearest(g, lon, lat).ok_or(SnapError::NoCoordinates)?;
        if km > max_km {
            return Err(SnapError::TooFar {
                lon,
                lat,
                node: g.label(v),
                km,
                max_km,
            });
        }
        Ok((v, km))
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

/// Why a point could not be snapped to a road node.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SnapError {
    /// The point is not a longitude in [-180, 180] and a latitude in [-90, 90].
    #[error("({lon}, {lat}) is not a lon/lat point")]
    NotLonLat {
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
    },
    /// No node of the network has coordinates.
    #[error("no node of the network has coordinates (give the .co file)")]
    NoCoordinates,
    /// The nearest node is farther than the limit.
    #[error(
        "({lon}, {lat}) is {km:.3} km from the nearest node ({node}), beyond the snapping limit of {max_km} km"
    )]
    TooFar {
        /// The longitude given.
        lon: f64,
        /// The latitude given.
        lat: f64,
        /// The nearest node's label.
        node: String,
        /// Its great-circle distance in km.
        km: f64,
        /// The limit.
        max_km: f64,
    },
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

    #[test]
    fn snap_refuses_far_points_and_names_the_distance() {
        let g = RoadGraph::new(
            vec![116.0, 116.01],
            vec![40.0, 40.0],
            &[(0, 1, 1.0)],
            true,
            None,
        )
        .unwrap();
        let idx = NodeIndex::new(&g);
        let (v, km) = idx.snap(&g, 116.0, 40.01, 5.0).unwrap();
        assert_eq!(v, 0);
        assert!((km - 1.112).abs() < 0.01, "{km}");
        match idx.snap(&g, 0.0, 0.0, 5.0) {
            Err(SnapError::TooFar { km, node, .. }) => {
                assert!(km > 11_000.0 && km < 13_000.0, "{km}");
                assert_eq!(node, g.label(0));
            }
            other => panic!("{other:?}"),
        }
        // The limit is inclusive and infinity turns it off.
        assert!(idx.snap(&g, 116.0, 40.01, km).is_ok());
        assert!(idx.snap(&g, 0.0, 0.0, f64::INFINITY).is_ok());
        assert_eq!(
            idx.snap(&g, 200.0, 0.0, 5.0),
            Err(SnapError::NotLonLat {
                lon: 200.0,
                lat: 0.0
            })
        );
        let bare = RoadGraph::new(
            vec![f64::NAN; 2],
            vec![f64::NAN; 2],
            &[(0, 1, 1.0)],
            true,
            None,
        )
        .unwrap();
        assert_eq!(
            NodeIndex::new(&bare).snap(&bare, 116.0, 40.0, 5.0),
            Err(SnapError::NoCoordinates)
        );
    }
}
