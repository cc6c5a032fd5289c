//! Value parsers that bound the numbers typed on the command line, so that
//! no option can ask for an absurd allocation (`--max-transfers 1000000`),
//! a panic (`--degree 1e-300`) or NaN output (`--local-speed 1e300`). Each
//! option's help states its range.

use agglo::io::limits::{MAX_LINK_KM, MAX_LINK_MINUTES, MAX_SPEED_KMH, MIN_SPEED_KMH};

/// A number in `[lo, hi]` (or `(lo, hi]` when `open_lo`).
fn ranged(s: &str, lo: f64, open_lo: bool, hi: f64) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number"))?;
    let above = if open_lo { v > lo } else { v >= lo };
    if v.is_finite() && above && v <= hi {
        Ok(v)
    } else {
        let open = if open_lo { "(" } else { "[" };
        Err(format!("{} is not in {open}{lo}, {hi}]", s.trim()))
    }
}

/// A whole number in `[lo, hi]`.
fn whole(s: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let v: u64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a whole non-negative number"))?;
    if (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not in [{lo}, {hi}]"))
    }
}

/// Longest budget or cutoff, minutes (a week).
pub const MAX_BUDGET: f64 = 10_080.0;

/// A budget or cutoff in minutes: (0, 10080].
pub fn budget(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, MAX_BUDGET)
}

/// A budget that may be 0 (draw nothing): [0, 10080].
pub fn budget_or_zero(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, false, MAX_BUDGET)
}

/// A cutoff in minutes or km: (0, 1e6].
pub fn cutoff(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, MAX_LINK_MINUTES)
}

/// Minutes of a penalty or a station access: [0, 1440].
pub fn penalty(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, false, 1_440.0)
}

/// A positive scale in minutes: (0, 10080].
pub fn scale(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, MAX_BUDGET)
}

/// An exponent: (0, 100].
pub fn exponent(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, 100.0)
}

/// A speed of travel in km/h: [1, 1000].
pub fn speed(s: &str) -> Result<f64, String> {
    ranged(s, MIN_SPEED_KMH, false, MAX_SPEED_KMH)
}

/// A local (street) speed in km/h: [1, 200]. With budgets of at most a
/// week this keeps circle radii finite and their polygons well formed.
pub fn local_speed(s: &str) -> Result<f64, String> {
    ranged(s, MIN_SPEED_KMH, false, 200.0)
}

/// A longitude: [-180, 180].
pub fn lon(s: &str) -> Result<f64, String> {
    ranged(s, -180.0, false, 180.0)
}

/// A latitude: [-90, 90].
pub fn lat(s: &str) -> Result<f64, String> {
    ranged(s, -90.0, false, 90.0)
}

/// The south-west latitude of a generated network: [-80, 80].
pub fn lat0(s: &str) -> Result<f64, String> {
    ranged(s, -80.0, false, 80.0)
}

/// Most changes of line or mode: 0..=20 (each adds a copy of the state
/// space).
pub fn transfers(s: &str) -> Result<usize, String> {
    whole(s, 0, 20).map(|v| v as usize)
}

/// A count of results: 1..=100000.
pub fn count(s: &str) -> Result<usize, String> {
    whole(s, 1, 100_000).map(|v| v as usize)
}

/// Points of a generated network: 2..=20000000.
pub fn nodes(s: &str) -> Result<usize, String> {
    whole(s, 2, 20_000_000).map(|v| v as usize)
}

/// Mean degree of a generated network: [0.5, 50].
pub fn degree(s: &str) -> Result<f64, String> {
    ranged(s, 0.5, false, 50.0)
}

/// Spacing of generated points, km: [0.001, 100].
pub fn spacing_km(s: &str) -> Result<f64, String> {
    ranged(s, 0.001, false, 100.0)
}

/// DIMACS minutes per weight unit: (0, 1000].
pub fn unit_minutes(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, 1_000.0)
}

/// DIMACS degrees per coordinate unit: (0, 1].
pub fn coord_scale(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, 1.0)
}

/// Snapping distance in metres: [0, 10000].
pub fn snap_m(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, false, 10_000.0)
}

/// A grid cell in km: [0.01, 1000].
pub fn cell_km(s: &str) -> Result<f64, String> {
    ranged(s, 0.01, false, 1_000.0)
}

/// A distance in km: (0, 50000].
pub fn km(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, MAX_LINK_KM)
}

/// Route km per great-circle km: [1, 10].
pub fn detour(s: &str) -> Result<f64, String> {
    ranged(s, 1.0, false, 10.0)
}

/// Services per day: (0, 100000].
pub fn services(s: &str) -> Result<f64, String> {
    ranged(s, 0.0, true, 100_000.0)
}

/// A probability strictly between 0 and 1.
pub fn probability(s: &str) -> Result<f64, String> {
    match ranged(s, 0.0, true, 1.0) {
        Ok(v) if v < 1.0 => Ok(v),
        Err(e) if e.ends_with("is not a number") => Err(e),
        _ => Err(format!("{} is not in (0, 1)", s.trim())),
    }
}

/// A map width in pixels: [100, 20000].
pub fn width_px(s: &str) -> Result<f64, String> {
    ranged(s, 100.0, false, 20_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_accept_their_range_and_name_it_otherwise() {
        assert_eq!(budget("60"), Ok(60.0));
        assert_eq!(budget("0").unwrap_err(), "0 is not in (0, 10080]");
        assert_eq!(
            transfers("1000000").unwrap_err(),
            "1000000 is not in [0, 20]"
        );
        assert!(degree("1e-300").is_err());
        assert!(local_speed("1e300").is_err());
        assert!(local_speed("NaN").is_err());
        assert!(lat0("1000").is_err());
        assert_eq!(probability("0.1"), Ok(0.1));
        assert_eq!(probability("1").unwrap_err(), "1 is not in (0, 1)");
        assert_eq!(probability("1.5").unwrap_err(), "1.5 is not in (0, 1)");
        assert_eq!(probability("x").unwrap_err(), "`x` is not a number");
    }
}
