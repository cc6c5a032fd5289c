//! CSV edge lists with a node file.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::{field_err, io_err, minutes_at, parse_err, truthy};
use crate::io::limits::{MAX_LINK_KM, MAX_LINK_MINUTES, MAX_SPEED_KMH, MIN_SPEED_KMH};
use crate::io::open_input;
use crate::road::{RoadError, RoadGraph};

/// The line of a CSV record or error (1-based), or 0 when unknown.
fn csv_line(pos: Option<&csv::Position>) -> u64 {
    pos.map_or(0, |p| p.line())
}

/// A CSV reading error at its line: a field that is not UTF-8 is named by
/// its column; a ragged or malformed record is a problem of the line.
fn csv_err(path: &Path, header: &csv::StringRecord, e: csv::Error) -> RoadError {
    let line = csv_line(e.position());
    if let csv::ErrorKind::Utf8 { err, .. } = e.kind()
        && let Some(col) = header.get(err.field())
    {
        return field_err(
            path,
            line,
            col.trim_start_matches('\u{feff}'),
            "not valid UTF-8",
        );
    }
    parse_err(path, line, e.to_string())
}

/// Reads an edge list (`from,to` and `minutes`, or `km` with an optional
/// `speed_kmh`, and an optional `oneway`) with a node file (`id,lon,lat`).
/// Edges are two-way unless `oneway` is true. Minutes must lie in
/// (0, [`MAX_LINK_MINUTES`]], km in (0, [`MAX_LINK_KM`]], speeds in
/// [[`MIN_SPEED_KMH`], [`MAX_SPEED_KMH`]], and km over speed within the
/// minutes bound.
pub fn read_csv_edges(nodes: &Path, edges: &Path, speed_kmh: f64) -> Result<RoadGraph, RoadError> {
    let open = |p: &Path| -> Result<csv::Reader<Box<dyn Read>>, RoadError> {
        Ok(csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(open_input(p).map_err(io_err(p))?))
    };
    let col = |p: &Path, h: &csv::StringRecord, name: &str| {
        h.iter()
            .position(|x| x.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| field_err(p, 1, name, "required column is missing from the header"))
    };
    let mut rd = open(nodes)?;
    let h = rd
        .headers()
        .map_err(|e| parse_err(nodes, 1, e.to_string()))?
        .clone();
    let (ci, cx, cy) = (
        col(nodes, &h, "id")?,
        col(nodes, &h, "lon")?,
        col(nodes, &h, "lat")?,
    );
    let mut index: BTreeMap<String, u32> = BTreeMap::new();
    let (mut ids, mut lon, mut lat) = (Vec::new(), Vec::new(), Vec::new());
    for rec in rd.records() {
        let rec = rec.map_err(|e| csv_err(nodes, &h, e))?;
        let line = csv_line(rec.position());
        let id = rec.get(ci).unwrap_or("").to_string();
        let num = |c: usize, name: &str| {
            rec.get(c)
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| field_err(nodes, line, name, "not a finite number"))
        };
        let (x, y) = (num(cx, "lon")?, num(cy, "lat")?);
        if !(-180.0..=180.0).contains(&x) {
            return Err(field_err(
                nodes,
                line,
                "lon",
                format!("{x} is not in [-180, 180]"),
            ));
        }
        if !(-90.0..=90.0).contains(&y) {
            return Err(field_err(
                nodes,
                line,
                "lat",
                format!("{y} is not in [-90, 90]"),
            ));
        }
        if ids.len() >= u32::MAX as usize - 1 {
            return Err(field_err(nodes, line, "id", "too many nodes"));
        }
        if id.is_empty() || index.insert(id.clone(), ids.len() as u32).is_some() {
            return Err(field_err(
                nodes,
                line,
                "id",
                format!("empty or repeated id {id:?}"),
            ));
        }
        ids.push(id);
        lon.push(x);
        lat.push(y);
    }
    let mut rd = open(edges)?;
    let h = rd
        .headers()
        .map_err(|e| parse_err(edges, 1, e.to_string()))?
        .clone();
    let (cf, ct) = (col(edges, &h, "from")?, col(edges, &h, "to")?);
    let pos = |name: &str| {
        h.iter()
            .position(|x| x.trim_start_matches('\u{feff}') == name)
    };
    let (cm, ck, cs, co) = (pos("minutes"), pos("km"), pos("speed_kmh"), pos("oneway"));
    if cm.is_none() && ck.is_none() {
        return Err(field_err(
            edges,
            1,
            "minutes",
            "the header needs a `minutes` or a `km` column",
        ));
    }
    let mut arcs = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| csv_err(edges, &h, e))?;
        let line = csv_line(rec.position());
        let node = |c: usize, name: &str| {
            let s = rec.get(c).unwrap_or("");
            index
                .get(s)
                .copied()
                .ok_or_else(|| field_err(edges, line, name, format!("unknown node {s:?}")))
        };
        let (a, b) = (node(cf, "from")?, node(ct, "to")?);
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|s| !s.is_empty());
        let num = |s: &str, name: &str, lo: f64, hi: f64| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0 && *v >= lo && *v <= hi)
                .ok_or_else(|| {
                    field_err(
                        edges,
                        line,
                        name,
                        format!(
                            "`{name}` must be a number in [{lo}, {hi}] (and above 0), got {s:?}"
                        ),
                    )
                })
        };
        let minutes = match (get(cm), get(ck)) {
            (Some(m), _) => num(m, "minutes", 0.0, MAX_LINK_MINUTES)?,
            (None, Some(k)) => {
                let speed = match get(cs) {
                    Some(s) => num(s, "speed_kmh", MIN_SPEED_KMH, MAX_SPEED_KMH)?,
                    None => speed_kmh,
                };
                let km = num(k, "km", 0.0, MAX_LINK_KM)?;
                minutes_at(km, speed).map_err(|m| field_err(edges, line, "km", m))?
            }
            (None, None) => {
                return Err(field_err(
                    edges,
                    line,
                    "minutes",
                    "no `minutes` and no `km`",
                ));
            }
        };
        let oneway = match get(co) {
            Some(s) => truthy(s).ok_or_else(|| {
                field_err(edges, line, "oneway", format!("{s:?} is not true/false"))
            })?,
            None => false,
        };
        if a == b {
            continue;
        }
        arcs.push((a, b, minutes));
        if !oneway {
            arcs.push((b, a, minutes));
        }
    }
    if ids.is_empty() || arcs.is_empty() {
        return Err(RoadError::Empty {
            path: edges.to_owned(),
            what: format!("{} nodes, {} arcs", ids.len(), arcs.len()),
        });
    }
    RoadGraph::new(lon, lat, &arcs, false, Some(ids))
        .map(RoadGraph::in_locality_order)
        .map_err(|source| RoadError::Graph {
            path: edges.to_owned(),
            source,
        })
}
