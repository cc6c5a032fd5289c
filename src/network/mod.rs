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
use crate::model::{Agglomeration, City, CityIdx, Link, Mode, UnitKind};

/// Smallest urban (城镇) share of a district's 2020 residents for it to
/// belong to its city's urban core, with [`URBAN_DISTRICT_MIN_DENSITY`]: the
/// core is the unit holding the centre plus the districts meeting both
/// bounds that join it through each other. The census counts 城区 below the
/// county level, so the county table cannot say which districts form it;
/// this rule gives Beijing its six central districts (城六区) and Chengdu its
/// five central districts and Longquanyi.
pub const URBAN_DISTRICT_MIN_SHARE: f64 = 0.85;
/// Smallest density, residents per km², of a district in a city's urban
/// core (see [`URBAN_DISTRICT_MIN_SHARE`]).
pub const URBAN_DISTRICT_MIN_DENSITY: f64 = 1000.0;

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
    /// Each node's prefecture-level city: itself unless a county unit.
    parent: Vec<CityIdx>,
    /// Each centre's county units (empty for other nodes).
    children: Vec<Vec<CityIdx>>,
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
    /// Whether county units are loaded (a county-level network).
    pub fn has_counties(&self) -> bool {
        self.cities.iter().any(|c| c.kind == UnitKind::County)
    }
    /// Whether node `i` is an analysis unit: a city, or a county unit; not a
    /// prefecture centre whose population lives in its county units.
    pub fn is_unit(&self, i: CityIdx) -> bool {
        self.city(i).kind.is_unit()
    }
    /// The analysis units, by index.
    pub fn units(&self) -> impl Iterator<Item = CityIdx> + '_ {
        (0..self.cities.len() as CityIdx).filter(|&i| self.is_unit(i))
    }
    /// Whether node `i` is a city in the census sense, the scope of `tiers`
    /// and `structure`: a city node or prefecture centre, or a county-level
    /// city (县级市, level `city`); districts and counties are not.
    pub fn is_city(&self, i: CityIdx) -> bool {
        let c = self.city(i);
        match c.kind {
            UnitKind::City | UnitKind::Centre => true,
            // A prefecture without districts (Dongguan, Zhongshan) is listed
            // again as its one county-level unit, with the same adcode: the
            // same city, counted once (as the centre).
            UnitKind::County => {
                c.level.as_deref() == Some("city")
                    && (c.adcode.is_none() || c.adcode != self.city(self.prefecture_of(i)).adcode)
            }
        }
    }
    /// The resident population of city `i` as a city: a centre's is that of
    /// its districts (市辖区; its county-level cities and counties are apart),
    /// any other node's its own.
    pub fn city_population(&self, i: CityIdx) -> u64 {
        let c = self.city(i);
        if c.kind != UnitKind::Centre {
            return c.pop_2020;
        }
        self.counties_of(i)
            .iter()
            .filter(|&&k| self.city(k).level.as_deref() == Some("district"))
            .map(|&k| self.city(k).pop_2020)
            .sum()
    }
    /// The prefecture-level city of node `i`: itself unless `i` is a county
    /// unit.
    pub fn prefecture_of(&self, i: CityIdx) -> CityIdx {
        self.parent[i as usize]
    }
    /// The county units of a prefecture centre, in input order (empty for
    /// any other node).
    pub fn counties_of(&self, i: CityIdx) -> &[CityIdx] {
        &self.children[i as usize]
    }
    /// The county units of prefecture `i` that form its contiguous urban
    /// core (its 中心城区), the origins of a circle "from the urban
    /// districts". See [`URBAN_DISTRICT_MIN_SHARE`] for the rule. Empty for a
    /// node without county units.
    pub fn urban_districts(&self, i: CityIdx) -> Vec<CityIdx> {
        let kids = self.counties_of(i);
        if kids.is_empty() {
            return Vec::new();
        }
        // Road arcs of the adjacency, both ways for two-way links.
        let roads = |v: CityIdx| {
            self.csr.out(v).iter().filter(|arc| {
                matches!(
                    self.links[arc.link as usize].mode,
                    Mode::Road | Mode::Expressway
                )
            })
        };
        // The seed: the unit joined to the centre by the fastest road link.
        let Some(seed) = roads(i)
            .filter(|arc| arc.to != i && self.parent[arc.to as usize] == i)
            .map(|arc| (arc.minutes, arc.to))
            .min_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)))
            .map(|(_, u)| u)
        else {
            return Vec::new();
        };
        let urban = |u: CityIdx| {
            let c = self.city(u);
            let share = c.urban_share_2020.unwrap_or(0.0);
            let density = c.area_km2.map_or(0.0, |a| c.pop_2020 as f64 / a);
            c.level.as_deref() == Some("district")
                && share >= URBAN_DISTRICT_MIN_SHARE
                && density >= URBAN_DISTRICT_MIN_DENSITY
        };
        // The districts that join the seed through each other, breadth first.
        let mut core = vec![seed];
        let mut k = 0;
        while k < core.len() {
            let u = core[k];
            k += 1;
            for arc in roads(u) {
                let y = arc.to;
                if y != i && self.parent[y as usize] == i && urban(y) && !core.contains(&y) {
                    core.push(y);
                }
            }
        }
        core.sort_unstable();
        core
    }
    /// The data this network was built from, for editing and rebuilding.
    pub fn to_data(&self) -> NetworkData {
        build::to_data(self)
    }
}
