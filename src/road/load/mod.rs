//! Road network readers: DIMACS `.gr`/`.co`, CSV edge lists with a node
//! file, and GeoJSON LineStrings whose endpoints are snapped into nodes.

mod csv_edges;
mod dimacs;
mod geojson_roads;

use std::path::Path;

pub use csv_edges::read_csv_edges;
pub use dimacs::{DimacsOptions, read_dimacs, write_dimacs};
pub use geojson_roads::{GeoJsonOptions, read_geojson_roads};

use super::RoadError;
use crate::io::limits::{MAX_LINK_MINUTES, positive_within, show};
use crate::io::read_text;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RoadError + '_ {
    move |source| RoadError::Io {
        path: path.to_owned(),
        source,
    }
}

fn read(path: &Path) -> Result<String, RoadError> {
    read_text(path).map_err(io_err(path))
}

/// A problem of a whole line (a ragged record, a line of an unknown kind).
fn parse_err(path: &Path, line: u64, message: impl Into<String>) -> RoadError {
    RoadError::Parse {
        path: path.to_owned(),
        line,
        field: None,
        message: message.into(),
    }
}

/// A problem of one field of a line.
fn field_err(path: &Path, line: u64, field: &str, message: impl Into<String>) -> RoadError {
    RoadError::Parse {
        path: path.to_owned(),
        line,
        field: Some(field.to_owned()),
        message: message.into(),
    }
}

/// A problem of one property (or the geometry) of a GeoJSON feature.
fn feature_err(path: &Path, index: usize, field: &str, message: impl Into<String>) -> RoadError {
    RoadError::Feature {
        path: path.to_owned(),
        index,
        field: Some(field.to_owned()),
        message: message.into(),
    }
}

fn truthy(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" => Some(true),
        "0" | "false" | "no" | "n" | "" => Some(false),
        _ => None,
    }
}

/// Minutes of an edge of `km` at `speed` km/h, or why they are not plausible.
fn minutes_at(km: f64, speed: f64) -> Result<f64, String> {
    let minutes = km / speed * 60.0;
    if positive_within(minutes, MAX_LINK_MINUTES) {
        Ok(minutes)
    } else {
        Err(format!(
            "{} km at {} km/h gives {} minutes, not in (0, {MAX_LINK_MINUTES}]",
            show(km),
            show(speed),
            show(minutes)
        ))
    }
}
