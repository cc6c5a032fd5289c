//! Albers equal-area conic projection on the sphere, with China's usual
//! standard parallels 25°N and 47°N. Areas are true everywhere; scale is true
//! along the standard parallels and within about 2% between 20°N and 50°N.

use crate::network::EARTH_RADIUS_KM;

/// Albers equal-area conic projection, output in km (x east, y north).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Albers {
    lon0: f64,
    n: f64,
    c: f64,
    rho0: f64,
}

impl Albers {
    /// Standard parallels 25°N and 47°N, central meridian `lon0`, origin latitude 0°.
    pub fn china(lon0: f64) -> Albers {
        Albers::new(lon0, 0.0, 25.0, 47.0)
    }

    /// A projection with central meridian `lon0`, origin latitude `lat0` and
    /// standard parallels `lat1`, `lat2` (degrees; `lat1 != -lat2`).
    pub fn new(lon0: f64, lat0: f64, lat1: f64, lat2: f64) -> Albers {
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let n = (p1.sin() + p2.sin()) / 2.0;
        let c = p1.cos().powi(2) + 2.0 * n * p1.sin();
        let rho0 = (c - 2.0 * n * lat0.to_radians().sin()).sqrt() / n;
        Albers {
            lon0: lon0.to_radians(),
            n,
            c,
            rho0,
        }
    }

    /// Projects lon/lat degrees (x = lon, y = lat) to km.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let rho = (self.c - 2.0 * self.n * lat.to_radians().sin())
            .max(0.0)
            .sqrt()
            / self.n;
        let theta = self.n * (lon.to_radians() - self.lon0);
        (
            EARTH_RADIUS_KM * rho * theta.sin(),
            EARTH_RADIUS_KM * (self.rho0 - rho * theta.cos()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::haversine_km;

    #[test]
    fn distances_along_a_standard_parallel_are_true() {
        let p = Albers::china(105.0);
        let (a, b) = (p.forward(100.0, 25.0), p.forward(110.0, 25.0));
        let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        // Chord of the parallel's arc versus great circle: within 0.5%.
        let gc = haversine_km(100.0, 25.0, 110.0, 25.0);
        assert!((d - gc).abs() / gc < 0.005, "{d} vs {gc}");
    }

    #[test]
    fn small_areas_are_kept() {
        // A 0.1° square near Chengdu: projected area vs spherical area.
        let p = Albers::china(104.0);
        let (lon, lat) = (104.0, 30.6);
        let q = [
            p.forward(lon, lat),
            p.forward(lon + 0.1, lat),
            p.forward(lon + 0.1, lat + 0.1),
            p.forward(lon, lat + 0.1),
        ];
        let shoelace: f64 = (0..4)
            .map(|i| q[i].0 * q[(i + 1) % 4].1 - q[(i + 1) % 4].0 * q[i].1)
            .sum::<f64>()
            / 2.0;
        let r = EARTH_RADIUS_KM;
        let sphere = r
            * r
            * 0.1f64.to_radians()
            * ((lat + 0.1f64).to_radians().sin() - lat.to_radians().sin());
        assert!(
            (shoelace - sphere).abs() / sphere < 1e-3,
            "{shoelace} vs {sphere}"
        );
        // North is up on the central meridian.
        assert!(p.forward(104.0, 31.0).1 > p.forward(104.0, 30.0).1);
    }
}
