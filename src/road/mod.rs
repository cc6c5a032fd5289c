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

pub use approx::{ApproxBetweenness, approx_betweenness, hoeffding_epsilon, sample_sources};
pub use circle::road_circle;
pub use load::{
    DimacsOptions, GeoJsonOptions, read_csv_edges, read_dimacs, read_geojson_roads, write_dimacs,
};
pub use pair::{check_pair, pair_stamp};
pub use search::{Distances, SearchSpace, closeness_all, matrix};
pub use snap::{NodeIndex, SnapError};

use crate::algorithms::centrality::WGraph;
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
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A GeoJSON feature is malformed.
    #[error("{path}: feature {index}: {message}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// 0-based index of the feature in the FeatureCollection.
        index: usize,
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

/// A road network: arcs weighted in minutes, nodes with lon/lat.
#[derive(Debug, Clone)]
pub struct RoadGraph {
    graph: WGraph,
    lon: Vec<f64>,
    lat: Vec<f64>,
    ids: Option<Vec<String>>,
}

impl RoadGraph {
    /// A road graph from its arcs (minutes) and node coordinates.
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
        })
    }
    /// The graph, weighted in minutes.
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
    /// The node's label: its id in the input (CSV), else its 1-based number.
    pub fn label(&self, v: u32) -> String {
        match &self.ids {
            Some(ids) => ids[v as usize].clone(),
            None => (v + 1).to_string(),
        }
    }
    /// Bytes held by the graph's arrays (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        self.graph.heap_bytes()
            + (self.lon.capacity() + self.lat.capacity()) * 8
            + self
                .ids
                .as_ref()
                .map_or(0, |v| v.iter().map(|s| s.capacity() + 24).sum())
    }
}
