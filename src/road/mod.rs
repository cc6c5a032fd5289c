//! Large generic road networks: a compact graph read from DIMACS, CSV or
//! GeoJSON, points snapped to its nodes, bounded searches, matrices,
//! closeness and (exact or sampled) betweenness.
//!
//! A [`RoadGraph`] is a [`WGraph`] (CSR: `u32` offsets and heads, `f64`
//! minutes, one entry per arc and no per-edge heap object) plus node
//! coordinates. Memory once loaded: 12 bytes per arc (24 per two-way edge)
//! plus 20 bytes per node (a `u32` offset and two `f64` coordinates).

mod approx;
mod circle;
mod load;
mod pair;
mod search;
mod snap;

use std::path::PathBuf;

pub use approx::{
    ApproxBetweenness, approx_betweenness, approx_betweenness_from, hoeffding_epsilon,
    sample_sources,
};
pub use circle::road_circle;
pub use load::{
    DimacsOptions, GeoJsonOptions, read_csv_edges, read_dimacs, read_geojson_roads, write_dimacs,
};
pub use pair::{check_pair, pair_stamp};
pub use search::{Distances, SearchSpace, closeness_all, matrix};
pub use snap::{NodeIndex, SnapError};

use crate::algorithms::centrality::{RELABEL_MIN, WGraph};
use crate::error::GraphError;

/// A problem with a road network file, naming the file and line or feature.
#[derive(Debug, thiserror::Error)]
pub enum RoadError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line or record is malformed.
    #[error("{path}:{line}: {}{message}", field_prefix(.field))]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The column or DIMACS field concerned (`None`: the whole line).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A GeoJSON feature is malformed.
    #[error("{path}: feature {index}: {}{message}", field_prefix(.field))]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based index of the feature in the FeatureCollection.
        index: usize,
        /// The property concerned (`geometry` for the coordinates; `None`:
        /// the whole feature).
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The arcs read do not form a valid graph.
    #[error("{path}: {source}")]
    Graph {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: GraphError,
    },
    /// The network has no node or no edge.
    #[error("{path}: the network is empty ({what})")]
    Empty {
        /// The file.
        path: PathBuf,
        /// What is missing.
        what: String,
    },
}

fn field_prefix(field: &Option<String>) -> String {
    field
        .as_ref()
        .map_or_else(String::new, |f| format!("field `{f}`: "))
}

impl RoadError {
    /// Where the problem lies: file, line or feature, field.
    pub fn sites(&self) -> Vec<crate::error::Site> {
        use crate::error::{Pos, Site};
        match self {
            RoadError::Io { path, .. }
            | RoadError::Graph { path, .. }
            | RoadError::Empty { path, .. } => vec![Site::whole(path.display().to_string())],
            RoadError::Parse {
                path, line, field, ..
            } => vec![Site {
                file: path.display().to_string(),
                pos: Pos::Line(*line),
                field: field.clone(),
                whole_file: false,
            }],
            RoadError::Feature {
                path, index, field, ..
            } => vec![Site {
                file: path.display().to_string(),
                pos: Pos::Feature(*index),
                field: field.clone(),
                whole_file: false,
            }],
        }
    }
}

/// A road network: arcs weighted in minutes, nodes with lon/lat.
///
/// Nodes are numbered `0..n` internally; the loaders renumber large graphs
/// along a Hilbert curve over their coordinates (breadth-first without
/// coordinates; [`RoadGraph::in_locality_order`]) so that a search touches
/// nearby memory. [`RoadGraph::file_index`] and [`RoadGraph::node_at`]
/// translate between that numbering and the order of the input file, which
/// labels, ties and written files keep.
#[derive(Debug, Clone)]
pub struct RoadGraph {
    graph: WGraph,
    lon: Vec<f64>,
    lat: Vec<f64>,
    /// Ids in file order.
    ids: Option<Vec<String>>,
    /// Internal node → position in the file, and back (None: the same).
    file_of: Option<Vec<u32>>,
    node_of: Option<Vec<u32>>,
}

impl RoadGraph {
    /// A road graph from its arcs (minutes) and node coordinates, numbered
    /// as given.
    ///
    /// # Errors
    /// [`GraphError`] when an arc's index is not below `lon.len()` or its
    /// minutes are not positive and finite (loaders check each line first
    /// and report it by line).
    pub fn new(
        lon: Vec<f64>,
        lat: Vec<f64>,
        arcs: &[(u32, u32, f64)],
        undirected: bool,
        ids: Option<Vec<String>>,
    ) -> Result<RoadGraph, GraphError> {
        let graph = WGraph::from_arcs(lon.len(), arcs, undirected)?;
        Ok(RoadGraph {
            graph,
            lon,
            lat,
            ids,
            file_of: None,
            node_of: None,
        })
    }

    /// The same network renumbered for memory locality when it has
    /// [`RELABEL_MIN`] nodes or more (else unchanged): in the order of a
    /// Hilbert curve over the nodes' coordinates (nodes near each other on
    /// the map get near numbers), or breadth-first when a node has no
    /// coordinates. A bounded search, which reaches a compact area, then
    /// reads a few stretches of each array instead of jumping across them.
    ///
    /// # Complexity
    /// O(n log n + m).
    pub fn in_locality_order(self) -> RoadGraph {
        if self.node_count() < RELABEL_MIN || self.file_of.is_some() {
            return self;
        }
        let order = hilbert_order(&self.lon, &self.lat).unwrap_or_else(|| self.graph.bfs_order());
        let graph = self.graph.relabelled_local(&order);
        let mut node_of = vec![0u32; order.len()];
        for (i, &f) in order.iter().enumerate() {
            node_of[f as usize] = i as u32;
        }
        RoadGraph {
            lon: order.iter().map(|&f| self.lon[f as usize]).collect(),
            lat: order.iter().map(|&f| self.lat[f as usize]).collect(),
            graph,
            ids: self.ids,
            file_of: Some(order),
            node_of: Some(node_of),
        }
    }
    /// The graph, weighted in minutes, in the internal numbering.
    pub fn graph(&self) -> &WGraph {
        &self.graph
    }
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.lon.len()
    }
    /// Number of arcs (a two-way edge counts twice).
    pub fn arc_count(&self) -> usize {
        self.graph.arc_count()
    }
    /// Longitude (x) of node `v`.
    pub fn lon(&self, v: u32) -> f64 {
        self.lon[v as usize]
    }
    /// Latitude (y) of node `v`.
    pub fn lat(&self, v: u32) -> f64 {
        self.lat[v as usize]
    }
    /// The 0-based position in the input file of internal node `v`.
    pub fn file_index(&self, v: u32) -> u32 {
        self.file_of.as_ref().map_or(v, |f| f[v as usize])
    }
    /// The internal node of the node at 0-based position `i` in the file.
    pub fn node_at(&self, i: u32) -> u32 {
        self.node_of.as_ref().map_or(i, |f| f[i as usize])
    }
    /// The node's label: its id in the input (CSV), else its 1-based number
    /// in the file.
    pub fn label(&self, v: u32) -> String {
        let i = self.file_index(v);
        match &self.ids {
            Some(ids) => ids[i as usize].clone(),
            None => (i + 1).to_string(),
        }
    }
    /// Bytes held by the graph's arrays (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.graph.heap_bytes()
            + (self.lon.capacity() + self.lat.capacity()) * 8
            + [&self.file_of, &self.node_of]
                .iter()
                .map(|v| v.as_ref().map_or(0, |v| v.capacity() * 4))
                .sum::<usize>()
            + self
                .ids
                .as_ref()
                .map_or(0, |v| v.iter().map(|s| s.capacity() + 24).sum())
    }
}

/// Nodes sorted along a Hilbert curve of 2¹⁶ × 2¹⁶ cells over their
/// bounding box (ties by index), or `None` when a coordinate is not finite.
fn hilbert_order(lon: &[f64], lat: &[f64]) -> Option<Vec<u32>> {
    if lon.iter().chain(lat).any(|v| !v.is_finite()) {
        return None;
    }
    let range = |v: &[f64]| {
        v.iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)))
    };
    let ((x0, x1), (y0, y1)) = (range(lon), range(lat));
    const SIDE: u32 = 1 << 16;
    let cell = |v: f64, lo: f64, hi: f64| -> u32 {
        if hi > lo {
            (((v - lo) / (hi - lo)) * (SIDE - 1) as f64).round() as u32
        } else {
            0
        }
    };
    let mut keyed: Vec<(u64, u32)> = (0..lon.len())
        .map(|i| {
            let (x, y) = (cell(lon[i], x0, x1), cell(lat[i], y0, y1));
            (hilbert_index(SIDE, x, y), i as u32)
        })
        .collect();
    keyed.sort_unstable();
    Some(keyed.into_iter().map(|k| k.1).collect())
}

/// Position of cell (x, y) along the Hilbert curve filling a `side` × `side`
/// grid (`side` a power of two).
fn hilbert_index(side: u32, mut x: u32, mut y: u32) -> u64 {
    let mut d = 0u64;
    let mut s = side / 2;
    while s > 0 {
        let rx = u32::from(x & s > 0);
        let ry = u32::from(y & s > 0);
        d += s as u64 * s as u64 * ((3 * rx) ^ ry) as u64;
        // Rotate the quadrant so the curve's pieces join up.
        if ry == 0 {
            if rx == 1 {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Consecutive cells of the curve are grid neighbours and every cell is
    /// visited once.
    #[test]
    fn hilbert_curve_visits_each_cell_once_by_unit_steps() {
        let side = 16u32;
        let mut at = vec![None; (side * side) as usize];
        for x in 0..side {
            for y in 0..side {
                let d = hilbert_index(side, x, y) as usize;
                assert!(at[d].is_none());
                at[d] = Some((x, y));
            }
        }
        for w in at.windows(2) {
            let ((a, b), (c, d)) = (w[0].unwrap(), w[1].unwrap());
            assert_eq!(a.abs_diff(c) + b.abs_diff(d), 1);
        }
    }

    /// Renumbering keeps every arc, weight, coordinate and label.
    #[test]
    fn locality_order_keeps_the_network() {
        let n = RELABEL_MIN + 100;
        let geo = crate::generate::random_geometric_points(
            n,
            crate::generate::radius_for_degree(n, 5.0),
            7,
        );
        let lon: Vec<f64> = geo.points.iter().map(|p| 116.0 + p.0).collect();
        let lat: Vec<f64> = geo.points.iter().map(|p| 39.0 + p.1).collect();
        let a = RoadGraph::new(lon, lat, &geo.edges, true, None).unwrap();
        let b = a.clone().in_locality_order();
        assert!(b.graph().is_local_order());
        assert!((0..n as u32).any(|i| b.node_at(i) != i));
        for i in 0..n as u32 {
            let v = b.node_at(i);
            assert_eq!(b.file_index(v), i);
            assert_eq!(b.label(v), a.label(i));
            assert_eq!((b.lon(v), b.lat(v)), (a.lon(i), a.lat(i)));
            let mut x: Vec<(u32, f64)> = a.graph().out(i).collect();
            let mut y: Vec<(u32, f64)> = b
                .graph()
                .out(v)
                .map(|(h, w)| (b.file_index(h), w))
                .collect();
            x.sort_by_key(|e| e.0);
            y.sort_by_key(|e| e.0);
            assert_eq!(x, y);
        }
    }
}
