//! The network: cities, links and agglomerations, checked and indexed.

mod build;
mod csr;
mod lookup;
mod spatial;

pub use csr::{Arc, Csr};
pub use spatial::{EARTH_RADIUS_KM, SpatialIndex, haversine_km};

use std::collections::HashMap;

use petgraph::graph::DiGraph;

use crate::error::{Issues, LoadError};
use crate::io::NetworkData;
use crate::model::{Agglomeration, City, CityIdx, Link};

/// A checked network: cities, links and agglomerations, with a petgraph graph
/// (for building, checking and petgraph's own algorithms), a compact CSR
/// adjacency for hot loops, and a spatial index over the city points.
#[derive(Debug, Clone)]
pub struct Network {
    cities: Vec<City>,
    links: Vec<Link>,
    agglomerations: Vec<Agglomeration>,
    by_id: HashMap<String, CityIdx>,
    graph: DiGraph<CityIdx, u32>,
    csr: Csr,
    spatial: SpatialIndex,
}

impl Network {
    /// Checks `data` and builds the network. Errors (of parsing or of
    /// cross-checks) fail the build with every issue listed; warnings are
    /// returned beside the network.
    pub fn from_data(data: NetworkData) -> Result<(Network, Issues), LoadError> {
        build::build(data)
    }

    /// All cities, indexed by [`CityIdx`].
    pub fn cities(&self) -> &[City] {
        &self.cities
    }
    /// One city.
    pub fn city(&self, i: CityIdx) -> &City {
        &self.cities[i as usize]
    }
    /// All links in input order.
    pub fn links(&self) -> &[Link] {
        &self.links
    }
    /// All agglomerations in input order.
    pub fn agglomerations(&self) -> &[Agglomeration] {
        &self.agglomerations
    }
    /// The distinct core cities of all agglomerations, ordered by id.
    pub fn core_cities(&self) -> Vec<CityIdx> {
        let mut cores: Vec<CityIdx> = self
            .agglomerations
            .iter()
            .flat_map(|a| a.cores.iter().copied())
            .collect();
        cores.sort_by(|a, b| self.city(*a).id.cmp(&self.city(*b).id));
        cores.dedup();
        cores
    }
    /// The city with exactly this id.
    pub fn city_by_id(&self, id: &str) -> Option<CityIdx> {
        self.by_id.get(id).copied()
    }
    /// The directed petgraph graph: one node per city (weight = city index),
    /// one edge per travel direction of each link (weight = link index).
    pub fn graph(&self) -> &DiGraph<CityIdx, u32> {
        &self.graph
    }
    /// The compact adjacency used by the search algorithms.
    pub fn csr(&self) -> &Csr {
        &self.csr
    }
    /// The spatial index over city points.
    pub fn spatial(&self) -> &SpatialIndex {
        &self.spatial
    }
    /// A link's geometry: its own, or the straight segment between its cities.
    pub fn link_geometry(&self, i: usize) -> geo::LineString<f64> {
        let l = &self.links[i];
        l.geometry.clone().unwrap_or_else(|| {
            let (a, b) = (self.city(l.from), self.city(l.to));
            geo::LineString::from(vec![(a.lon, a.lat), (b.lon, b.lat)])
        })
    }
    /// The data this network was built from, for editing and rebuilding.
    pub fn to_data(&self) -> NetworkData {
        build::to_data(self)
    }
}
