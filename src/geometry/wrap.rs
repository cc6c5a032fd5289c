//! Polygons that cross the antimeridian or cover a pole, made valid in
//! lon/lat.
//!
//! A polygon drawn in a projection about some centre and projected back has
//! longitudes in (centre − 180°, centre + 180°]: a ring that crosses the
//! meridian opposite the centre jumps by 360°, and a ring that goes round a
//! pole gains or loses 360° on the way round. [`wrap_polygon`] makes each
//! ring continuous, closes a ring round a pole along that pole's parallel
//! (±90°), and cuts the result at ±180°, moving the pieces beyond it by 360°
//! (RFC 7946, section 3.1.9). Longitude is x, latitude y.

use geo::{BooleanOps, Coord, LineString, MapCoords, MultiPolygon, Polygon, Rect, Translate};

/// `ring`'s longitudes made continuous (no step above 180°), and the number
/// of turns it makes round the pole (its last vertex minus its first, in
/// multiples of 360°).
fn unwrap_ring(ring: &LineString<f64>) -> (Vec<Coord<f64>>, i64) {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for &c in &ring.0 {
        let x = match out.last() {
            Some(p) => c.x + 360.0 * ((p.x - c.x) / 360.0).round(),
            None => c.x,
        };
        out.push(Coord { x, y: c.y });
    }
    let turns = match (out.first(), out.last()) {
        (Some(a), Some(b)) => ((b.x - a.x) / 360.0).round() as i64,
        _ => 0,
    };
    (out, turns)
}

/// A continuous ring; one that goes round a pole is closed along the pole
/// (`pole_lat`, ±90) from its last longitude back to its first.
fn close_ring(ring: &LineString<f64>, pole_lat: f64) -> (LineString<f64>, bool) {
    let (mut pts, turns) = unwrap_ring(ring);
    if turns != 0 {
        let (first, last) = (pts[0].x, pts[pts.len() - 1].x);
        pts.push(Coord {
            x: last,
            y: pole_lat,
        });
        pts.push(Coord {
            x: first,
            y: pole_lat,
        });
        pts.push(pts[0]);
    }
    (LineString::new(pts), turns != 0)
}

/// `p` (back-projected, longitudes possibly beyond ±180° and rings possibly
/// going round a pole) as valid lon/lat polygons: rings continuous, a ring
/// round a pole closed along `pole_lat` (the pole the polygon covers, +90 or
/// −90), and the whole cut at ±180° with the pieces shifted back into range.
/// A polygon already within ±180° that goes round no pole is returned
/// unchanged.
///
/// # Complexity
/// O(n log n) for n vertices (a few boolean intersections with a box).
pub fn wrap_polygon(p: &Polygon<f64>, pole_lat: f64) -> MultiPolygon<f64> {
    let (ext, ext_pole) = close_ring(p.exterior(), pole_lat);
    let ints: Vec<(LineString<f64>, bool)> = p
        .interiors()
        .iter()
        .map(|r| close_ring(r, pole_lat))
        .collect();
    let in_range = |ls: &LineString<f64>| ls.0.iter().all(|c| (-180.0..=180.0).contains(&c.x));
    let pole = ext_pole || ints.iter().any(|(_, b)| *b);
    if !pole && in_range(&ext) && ints.iter().all(|(r, _)| in_range(r)) {
        return MultiPolygon::new(vec![p.clone()]);
    }
    let whole = Polygon::new(ext, ints.into_iter().map(|(r, _)| r).collect());
    let world = MultiPolygon::new(vec![
        Rect::new(
            Coord {
                x: -180.0,
                y: -90.0,
            },
            Coord { x: 180.0, y: 90.0 },
        )
        .to_polygon(),
    ]);
    let mut out = MultiPolygon::<f64>::new(vec![]);
    for k in -2..=2 {
        let shifted = MultiPolygon::new(vec![whole.translate(360.0 * k as f64, 0.0)]);
        let piece = shifted.intersection(&world);
        if !piece.0.is_empty() {
            out = if out.0.is_empty() {
                piece
            } else {
                out.union(&piece)
            };
        }
    }
    // The boolean operations round to a grid: a vertex on the cut may land
    // a hair beyond ±180° (or a pole's ±90°).
    out.map_coords(|c| Coord {
        x: c.x.clamp(-180.0, 180.0),
        y: c.y.clamp(-90.0, 90.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Contains, GeodesicArea, Point};

    fn ring(pts: &[(f64, f64)]) -> Polygon<f64> {
        Polygon::new(
            LineString::from(pts.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>()),
            vec![],
        )
    }

    #[test]
    fn a_polygon_in_range_is_unchanged() {
        let p = ring(&[
            (10.0, 0.0),
            (11.0, 0.0),
            (11.0, 1.0),
            (10.0, 1.0),
            (10.0, 0.0),
        ]);
        assert_eq!(wrap_polygon(&p, 90.0), MultiPolygon::new(vec![p]));
    }

    #[test]
    fn a_polygon_across_the_antimeridian_is_cut_in_two() {
        // Longitudes as a projection about 170°E gives them: 181 is 179°W.
        let p = ring(&[
            (179.0, 0.0),
            (181.0, 0.0),
            (181.0, 1.0),
            (179.0, 1.0),
            (179.0, 0.0),
        ]);
        let w = wrap_polygon(&p, 90.0);
        assert_eq!(w.0.len(), 2, "{w:?}");
        assert!(
            w.0.iter()
                .flat_map(|q| q.exterior().0.iter())
                .all(|c| c.x.abs() <= 180.0)
        );
        let same = ring(&[(9.0, 0.0), (11.0, 0.0), (11.0, 1.0), (9.0, 1.0), (9.0, 0.0)]);
        let (a, b) = (w.geodesic_area_unsigned(), same.geodesic_area_unsigned());
        // Geodesic edges of the cut differ slightly from the whole 2° edges.
        assert!((a - b).abs() < 1e-3 * b, "{a} vs {b}");
        assert!(w.contains(&Point::new(-179.5, 0.5)) && w.contains(&Point::new(179.5, 0.5)));
    }

    #[test]
    fn a_ring_round_the_pole_is_closed_along_it() {
        // A ring about 80°N (wavy, as a disk's outline is never along a
        // parallel), as a projection about 0°E returns it: the longitude
        // jumps from 180 to -180 half-way round.
        let mut pts: Vec<(f64, f64)> = (0..72)
            .map(|i| {
                let x = -180.0 + 5.0 * i as f64 + 2.5;
                let y = 80.0 + 0.3 * (3.0 * x.to_radians()).sin();
                (if x > 180.0 { x - 360.0 } else { x }, y)
            })
            .collect();
        pts.push(pts[0]);
        let w = wrap_polygon(&ring(&pts), 90.0);
        assert!(w.contains(&Point::new(0.0, 89.0)) && w.contains(&Point::new(179.0, 85.0)));
        assert!(!w.contains(&Point::new(0.0, 79.0)));
        // The cap above 80°N: 2πR²(1 − sin 80°), R the authalic radius.
        let r = 6_371.007_2;
        let cap = 2.0 * std::f64::consts::PI * r * r * (1.0 - 80f64.to_radians().sin());
        let a = w.geodesic_area_unsigned() / 1e6;
        assert!((a - cap).abs() < 0.01 * cap, "{a} vs {cap}");
    }
}
