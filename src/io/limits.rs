//! Plausibility bounds on numbers read from files and typed on the command
//! line, and on the size of what is read.
//!
//! Every reader rejects a number, or a product of numbers (a scenario factor
//! times minutes, km over a speed, an arc weight times its unit), beyond
//! these bounds with the file, line or feature and field. Within them, no
//! path sum of a graph with `u32` node indices can overflow to infinity
//! (4·10⁹ arcs × 10⁶ minutes = 4·10¹⁵), so searches stay exact.

/// Most minutes one link or road arc may take (about 694 days).
pub const MAX_LINK_MINUTES: f64 = 1e6;
/// Longest link or road arc, km (more than once round the Earth).
pub const MAX_LINK_KM: f64 = 50_000.0;
/// Highest speed, km/h, of a road, a candidate link or a default speed.
pub const MAX_SPEED_KMH: f64 = 1_000.0;
/// Lowest speed, km/h, of a road or a default speed (walking is about 5).
pub const MIN_SPEED_KMH: f64 = 1.0;
/// Most services per day in one direction on one link.
pub const MAX_SERVICES_PER_DAY: f64 = 100_000.0;
/// Most minutes from a city centre to its station.
pub const MAX_ACCESS_MINUTES: f64 = 1_440.0;
/// Largest population of one city.
pub const MAX_POPULATION: u64 = 10_000_000_000;
/// Largest land area of one unit, km² (Xinjiang's largest county is about
/// 200,000 km²; the bound is a sanity check, not a fact).
pub const MAX_AREA_KM2: f64 = 20_000_000.0;
/// Cities must lie within this latitude (degrees north or south): circle
/// polygons are drawn in a projection about the city, which breaks down at
/// the poles.
pub const MAX_CITY_LAT: f64 = 85.0;
/// Most bytes read from an input that is not a regular file (a FIFO, a
/// device such as `/dev/zero`, standard input); a regular file is read
/// whatever its size, in memory proportional to it.
pub const MAX_STREAM_BYTES: u64 = 256 << 20;
/// Longest line of a line-oriented file (DIMACS `.gr`/`.co`).
pub const MAX_LINE_BYTES: usize = 1 << 16;
/// Deepest chain of scenario `base` files.
pub const MAX_BASE_DEPTH: usize = 64;

/// Whether `v` is a finite number in `(0, max]`.
pub fn positive_within(v: f64, max: f64) -> bool {
    v.is_finite() && v > 0.0 && v <= max
}

/// A number for a message: plain when of everyday size, in scientific
/// notation when huge or tiny (`1e308`, not 309 digits).
pub fn show(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || !a.is_finite() || (1e-6..1e15).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}
