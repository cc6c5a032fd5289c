//! The commuting-circle polygon.
//!
//! Each reached city contributes a disk whose radius is the distance a
//! traveller covers in the minutes left at the local speed; the circle is the
//! union of those disks. Disks are regular 64-gons drawn in an azimuthal
//! equidistant projection centred on the first origin (distances from the
//! centre are true), united with `geo`'s boolean operations, and projected
//! back to WGS84 with counter-clockwise exterior rings (RFC 7946).
//!
//! Every city counted in the circle (reached within the budget, the budget
//! itself included) has a disk of radius at least [`MIN_RADIUS_KM`], so a
//! city reached exactly at the budget lies inside the polygon it is counted
//! in, not on a zero-radius point outside it.
//!
//! Because every disk of a smaller budget is a scaled copy, about the same
//! centre and with the same vertex angles, of the same city's disk for a larger
//! budget, nested budgets give nested polygons.

use geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Orient, Polygon};

use super::search::Reach;
use crate::model::City;
use crate::network::Network;

const R: f64 = crate::network::EARTH_RADIUS_KM;
const SIDES: usize = 64;

/// The smallest disk radius, km, of a city counted in a circle: a city
/// reached with less than this distance left (at the budget itself, say)
/// still lies inside the polygon. 1 km is two minutes at 30 km/h.
pub const MIN_RADIUS_KM: f64 = 1.0;

/// Where a core's circle starts. The two differ only at the county level:
/// a core without county units starts from its own node either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CircleOrigin {
    /// The core's node: its centre (the downtown and its stations).
    Centre,
    /// Every county unit of the core's urban districts (中心城区) at once,
    /// each at 0 minutes: the planning definition, a commute to anywhere in
    /// the central city (see `Network::urban_districts`).
    #[default]
    Districts,
}

impl CircleOrigin {
    /// `centre` or `districts`.
    pub fn as_str(self) -> &'static str {
        match self {
            CircleOrigin::Centre => "centre",
            CircleOrigin::Districts => "districts",
        }
    }
}

/// Polygons of a network's units, for circles drawn as the dissolved union
/// of the units inside rather than as disks.
pub trait UnitShapes: Sync {
    /// The union of the polygons of those `units` that have one (WGS84,
    /// exterior rings counter-clockwise), and the units that have none (they
    /// are drawn as disks).
    fn union_of(
        &self,
        net: &Network,
        units: &[crate::model::CityIdx],
    ) -> (MultiPolygon<f64>, Vec<crate::model::CityIdx>);
}

/// Options of commuting circles: where they start and how their polygon is
/// drawn.
#[derive(Clone, Copy)]
pub struct CircleOptions<'a> {
    /// Speed, km/h, at which the minutes left on arrival are spent locally
    /// (disk polygons).
    pub local_speed_kmh: f64,
    /// Where each core's circle starts.
    pub origin: CircleOrigin,
    /// Unit polygons: when given, and every unit inside has one, the circle
    /// is their dissolved union; otherwise a union of disks.
    pub shapes: Option<&'a dyn UnitShapes>,
}

impl std::fmt::Debug for CircleOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CircleOptions")
            .field("local_speed_kmh", &self.local_speed_kmh)
            .field("origin", &self.origin)
            .field("shapes", &self.shapes.is_some())
            .finish()
    }
}

/// Equal when the speed and origin are equal and both or neither draw unit
/// shapes.
impl PartialEq for CircleOptions<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.local_speed_kmh == other.local_speed_kmh
            && self.origin == other.origin
            && self.shapes.is_some() == other.shapes.is_some()
    }
}

impl Default for CircleOptions<'_> {
    fn default() -> Self {
        CircleOptions {
            local_speed_kmh: 30.0,
            origin: CircleOrigin::Districts,
            shapes: None,
        }
    }
}

/// Azimuthal equidistant projection about a centre, in km.
struct Aeqd {
    lon0: f64,
    sin0: f64,
    cos0: f64,
}

impl Aeqd {
    fn new(lon: f64, lat: f64) -> Aeqd {
        let p = lat.to_radians();
        Aeqd {
            lon0: lon.to_radians(),
            sin0: p.sin(),
            cos0: p.cos(),
        }
    }
    fn forward(&self, lon: f64, lat: f64) -> Coord<f64> {
        let (p, dl) = (lat.to_radians(), lon.to_radians() - self.lon0);
        let cos_c = (self.sin0 * p.sin() + self.cos0 * p.cos() * dl.cos()).clamp(-1.0, 1.0);
        let c = cos_c.acos();
        let k = if c < 1e-12 { 1.0 } else { c / c.sin() };
        Coord {
            x: R * k * p.cos() * dl.sin(),
            y: R * k * (self.cos0 * p.sin() - self.sin0 * p.cos() * dl.cos()),
        }
    }
    fn inverse(&self, c: Coord<f64>) -> Coord<f64> {
        let rho = (c.x * c.x + c.y * c.y).sqrt();
        if rho < 1e-12 {
            return Coord {
                x: self.lon0.to_degrees(),
                y: self.sin0.asin().to_degrees(),
            };
        }
        let cc = rho / R;
        let (s, co) = (cc.sin(), cc.cos());
        let lat = (co * self.sin0 + c.y * s * self.cos0 / rho).asin();
        let lon = self.lon0 + (c.x * s).atan2(rho * self.cos0 * co - c.y * self.sin0 * s);
        Coord {
            x: lon.to_degrees(),
            y: lat.to_degrees(),
        }
    }
}

fn disk(centre: Coord<f64>, r: f64) -> Polygon<f64> {
    let ring: Vec<Coord<f64>> = (0..=SIDES)
        .map(|i| {
            let a = (i % SIDES) as f64 * std::f64::consts::TAU / SIDES as f64;
            Coord {
                x: centre.x + r * a.cos(),
                y: centre.y + r * a.sin(),
            }
        })
        .collect();
    Polygon::new(LineString::new(ring), vec![])
}

/// The commuting-circle polygon of `reach` within `budget` minutes, centred
/// (for the projection) on `centre`. Cities reached after `budget` are
/// ignored; each city reached within it (`minutes <= budget`) gets a disk of
/// radius `max(MIN_RADIUS_KM, minutes left × local speed)`.
pub fn circle_polygon(
    net: &Network,
    reach: &Reach,
    centre: &City,
    budget: f64,
    opt: CircleOptions<'_>,
) -> MultiPolygon<f64> {
    let km_per_min = opt.local_speed_kmh / 60.0;
    let disks: Vec<(f64, f64, f64)> = reach
        .times
        .iter()
        .filter(|(_, t)| *t <= budget)
        .map(|&(c, t)| {
            let city = net.city(c);
            let r = ((budget - t) * km_per_min).max(MIN_RADIUS_KM);
            (city.lon, city.lat, r)
        })
        .collect();
    disk_union((centre.lon, centre.lat), &disks)
}

/// The polygon of the units reached within `budget` in `reach`: with unit
/// shapes (`opt.shapes`), the dissolved union of the units' polygons plus
/// disks for units without one; otherwise the disk union of
/// [`circle_polygon`].
pub fn circle_shape(
    net: &Network,
    reach: &Reach,
    centre: &City,
    budget: f64,
    opt: CircleOptions<'_>,
) -> MultiPolygon<f64> {
    let Some(shapes) = opt.shapes else {
        return circle_polygon(net, reach, centre, budget, opt);
    };
    let inside: Vec<(crate::model::CityIdx, f64)> = reach
        .times
        .iter()
        .copied()
        .filter(|&(c, t)| t <= budget && net.is_unit(c))
        .collect();
    let units: Vec<crate::model::CityIdx> = inside.iter().map(|&(c, _)| c).collect();
    let (mp, missing) = shapes.union_of(net, &units);
    if missing.is_empty() {
        return mp;
    }
    let rest = Reach {
        times: inside
            .into_iter()
            .filter(|(c, _)| missing.contains(c))
            .collect(),
    };
    let disks = circle_polygon(net, &rest, centre, budget, opt);
    mp.union(&disks).orient(geo::orient::Direction::Default)
}

/// The union of disks `(lon, lat, radius km)` as a lon/lat multipolygon,
/// drawn as 64-gons in an azimuthal equidistant projection about `centre`
/// (lon, lat) and projected back, exterior rings counter-clockwise. A union
/// that crosses the antimeridian is cut there (RFC 7946), one that covers a
/// pole is closed along it, so every vertex lies within ±180°, ±90°.
pub fn disk_union(centre: (f64, f64), disks: &[(f64, f64, f64)]) -> MultiPolygon<f64> {
    let proj = Aeqd::new(centre.0, centre.1);
    let mut union = MultiPolygon::<f64>::new(vec![]);
    for &(lon, lat, r) in disks {
        let d = disk(proj.forward(lon, lat), r);
        union = union.union(&MultiPolygon::new(vec![d]));
    }
    // A polygon that covers a pole goes round it; one beyond the meridian
    // opposite the centre comes back with longitudes past ±180°: both are
    // made valid lon/lat polygons (`geometry::wrap_polygon`).
    let north = geo::Point::from(proj.forward(0.0, 90.0));
    let back = MultiPolygon::new(
        union
            .0
            .into_iter()
            .flat_map(|p| {
                let pole_lat = if p.contains(&north) { 90.0 } else { -90.0 };
                let (ext, ints) = p.into_inner();
                let f = |ls: LineString<f64>| {
                    LineString::new(ls.0.into_iter().map(|c| proj.inverse(c)).collect())
                };
                crate::geometry::wrap_polygon(
                    &Polygon::new(f(ext), ints.into_iter().map(f).collect()),
                    pole_lat,
                )
                .0
            })
            .collect(),
    );
    back.orient(geo::orient::Direction::Default)
}

/// Geodesic area of a lon/lat multipolygon in km².
pub fn area_km2(mp: &MultiPolygon<f64>) -> f64 {
    use geo::GeodesicArea;
    mp.geodesic_area_unsigned() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::haversine_km;

    /// Area of a spherical cap of radius `r` km (on the authalic sphere).
    fn cap_km2(r: f64) -> f64 {
        let rr = 6_371.007_2;
        2.0 * std::f64::consts::PI * rr * rr * (1.0 - (r / rr).cos())
    }

    fn in_range(mp: &MultiPolygon<f64>) -> bool {
        use geo::CoordsIter;
        mp.coords_iter()
            .all(|c| c.x.abs() <= 180.0 && c.y.abs() <= 90.0)
    }

    #[test]
    fn a_circle_across_the_antimeridian_is_cut_there() {
        // Taveuni, Fiji, lies on the 180th meridian.
        let mp = disk_union((179.9, -16.8), &[(179.9, -16.8, 100.0)]);
        assert!(in_range(&mp), "{mp:?}");
        assert_eq!(mp.0.len(), 2);
        let a = area_km2(&mp);
        assert!((a - cap_km2(100.0)).abs() < 0.01 * a, "{a}");
        assert!(mp.contains(&geo::Point::new(-179.5, -16.8)));
        assert!(mp.contains(&geo::Point::new(179.5, -16.8)));
        // Away from it, nothing changes: one polygon of 64 sides.
        let mp = disk_union((104.07, 30.57), &[(104.07, 30.57, 30.0)]);
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].exterior().0.len(), 65);
    }

    #[test]
    fn a_circle_over_a_pole_covers_it() {
        for (lat, pole) in [(84.5, 89.99), (-84.5, -89.99)] {
            let mp = disk_union((30.0, lat), &[(30.0, lat, 800.0)]);
            assert!(in_range(&mp), "{mp:?}");
            assert!(mp.contains(&geo::Point::new(-150.0, pole)), "{lat}");
            assert!(mp.contains(&geo::Point::new(30.0, lat)));
            assert!(!mp.contains(&geo::Point::new(30.0, lat.signum() * 70.0)));
            let a = area_km2(&mp);
            assert!(
                (a - cap_km2(800.0)).abs() < 0.01 * a,
                "{lat}: {a} vs {}",
                cap_km2(800.0)
            );
        }
    }

    #[test]
    fn projection_round_trips_and_keeps_distance_from_centre() {
        let p = Aeqd::new(104.07, 30.57);
        for (lon, lat) in [
            (104.07, 30.57),
            (106.55, 29.56),
            (103.0, 31.5),
            (104.07, 32.0),
        ] {
            let c = p.forward(lon, lat);
            let back = p.inverse(c);
            assert!((back.x - lon).abs() < 1e-9 && (back.y - lat).abs() < 1e-9);
            let d = (c.x * c.x + c.y * c.y).sqrt();
            let gc = haversine_km(104.07, 30.57, lon, lat);
            assert!((d - gc).abs() < 1e-3 * gc.max(1.0), "{d} vs {gc}");
        }
    }
}
