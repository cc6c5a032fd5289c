use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::model::{City, CityIdx};

/// Mean Earth radius in km (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in km between two lon/lat points (haversine), via `geo`.
pub fn haversine_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    use geo::{Distance, Haversine};
    Haversine.distance(geo::Point::new(lon1, lat1), geo::Point::new(lon2, lat2)) / 1000.0
}

fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (lo, la) = (lon.to_radians(), lat.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// R-tree over city points. Points are stored as unit vectors on the sphere,
/// where straight-line (chord) distance grows with great-circle distance, so
/// nearest-neighbour and radius queries are exact in kilometres.
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    tree: RTree<GeomWithData<[f64; 3], CityIdx>>,
}

impl SpatialIndex {
    /// Indexes the cities' points.
    pub fn new(cities: &[City]) -> SpatialIndex {
        let items = cities
            .iter()
            .enumerate()
            .map(|(i, c)| GeomWithData::new(unit_vector(c.lon, c.lat), i as CityIdx))
            .collect();
        SpatialIndex {
            tree: RTree::bulk_load(items),
        }
    }

    /// The `k` cities nearest to (lon, lat), nearest first, with distances in
    /// km. Ties are broken by city index, so the answer is deterministic.
    pub fn nearest(&self, cities: &[City], lon: f64, lat: f64, k: usize) -> Vec<(CityIdx, f64)> {
        let q = unit_vector(lon, lat);
        let mut out: Vec<(CityIdx, f64)> = self
            .tree
            .nearest_neighbor_iter(&q)
            .take(k)
            .map(|g| {
                let c = &cities[g.data as usize];
                (g.data, haversine_km(lon, lat, c.lon, c.lat))
            })
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Every city within `km` great-circle kilometres of (lon, lat), nearest first.
    pub fn within(&self, cities: &[City], lon: f64, lat: f64, km: f64) -> Vec<(CityIdx, f64)> {
        let q = unit_vector(lon, lat);
        let angle = (km / EARTH_RADIUS_KM).min(std::f64::consts::PI);
        let chord = 2.0 * (angle / 2.0).sin();
        let mut out: Vec<(CityIdx, f64)> = self
            .tree
            .locate_within_distance(q, chord * chord * (1.0 + 1e-12))
            .map(|g| {
                let c = &cities[g.data as usize];
                (g.data, haversine_km(lon, lat, c.lon, c.lat))
            })
            .filter(|(_, d)| *d <= km)
            .collect();
        out.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        out
    }
}
