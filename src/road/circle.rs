//! Commuting-circle polygons on road networks.

use geo::MultiPolygon;

use super::RoadGraph;
use crate::algorithms::disk_union;

/// The area reachable within `budget` minutes: the union of disks about the
/// reached nodes whose radius is the distance covered at `local_speed_kmh`
/// in the minutes left (`reached` holds (node, minutes)).
///
/// Large searches reach hundreds of thousands of nodes; to keep the union
/// cheap, nodes are bucketed in a square grid of cell `max(min_cell_km,
/// extent/48)` km and each cell keeps only its disk of largest radius. A
/// dropped disk lies within the kept one grown by the cell's diagonal, so
/// the polygon falls short of the exact union by less than one diagonal
/// (reported as the second value, km).
pub fn road_circle(
    g: &RoadGraph,
    reached: &[(u32, f64)],
    centre: (f64, f64),
    budget: f64,
    local_speed_kmh: f64,
    min_cell_km: f64,
) -> (MultiPolygon<f64>, f64) {
    let km_per_min = local_speed_kmh / 60.0;
    let coslat = centre.1.to_radians().cos();
    let xy = |v: u32| {
        (
            (g.lon(v) - centre.0) * 111.195 * coslat,
            (g.lat(v) - centre.1) * 111.195,
        )
    };
    let inside: Vec<(u32, f64)> = reached
        .iter()
        .copied()
        .filter(|&(_, t)| t < budget)
        .collect();
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for &(v, _) in &inside {
        let p = xy(v);
        lo = (lo.0.min(p.0), lo.1.min(p.1));
        hi = (hi.0.max(p.0), hi.1.max(p.1));
    }
    let extent = (hi.0 - lo.0).max(hi.1 - lo.1).max(0.0);
    let cell = (extent / 48.0).max(min_cell_km).max(1e-9);
    let mut best: std::collections::BTreeMap<(i64, i64), (f64, u32)> = Default::default();
    for &(v, t) in &inside {
        let p = xy(v);
        let key = ((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64);
        let r = (budget - t) * km_per_min;
        let e = best.entry(key).or_insert((r, v));
        // Ties go to the node first in the file, whatever the numbering.
        if r > e.0 || (r == e.0 && g.file_index(v) < g.file_index(e.1)) {
            *e = (r, v);
        }
    }
    let disks: Vec<(f64, f64, f64)> = best
        .values()
        .map(|&(r, v)| (g.lon(v), g.lat(v), r))
        .collect();
    (disk_union(centre, &disks), cell * std::f64::consts::SQRT_2)
}
