//! Road network readers: DIMACS `.gr`/`.co`, CSV edge lists with a node
//! file, and GeoJSON LineStrings whose endpoints are snapped into nodes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use geojson::{FeatureCollection, GeometryValue, JsonObject, JsonValue};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::snap::unit_vector;
use super::{RoadError, RoadGraph};
use crate::io::limits::{
    MAX_LINE_BYTES, MAX_LINK_KM, MAX_LINK_MINUTES, MAX_SPEED_KMH, MIN_SPEED_KMH, positive_within,
    show,
};
use crate::io::{open_input, read_text};
use crate::network::{EARTH_RADIUS_KM, haversine_km};

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RoadError + '_ {
    move |source| RoadError::Io {
        path: path.to_owned(),
        source,
    }
}

fn read(path: &Path) -> Result<String, RoadError> {
    read_text(path).map_err(io_err(path))
}

fn parse_err(path: &Path, line: u64, message: impl Into<String>) -> RoadError {
    RoadError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
    }
}

fn feature_err(path: &Path, index: usize, message: impl Into<String>) -> RoadError {
    RoadError::Feature {
        path: path.to_owned(),
        index,
        message: message.into(),
    }
}

/// Reads the next line of a line-oriented file into `buf` (without the line
/// end); `false` at the end. A line longer than [`MAX_LINE_BYTES`] or not
/// UTF-8 is an error, so an endless line cannot grow memory.
fn next_line<'b>(
    r: &mut impl BufRead,
    buf: &'b mut Vec<u8>,
    path: &Path,
    line: u64,
) -> Result<Option<&'b str>, RoadError> {
    buf.clear();
    let got = r
        .by_ref()
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buf)
        .map_err(io_err(path))?;
    if got == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE_BYTES {
        return Err(parse_err(
            path,
            line,
            format!("line longer than {MAX_LINE_BYTES} bytes"),
        ));
    }
    std::str::from_utf8(buf).map(Some).map_err(|e| {
        parse_err(
            path,
            line,
            format!("not valid UTF-8 at byte {}", e.valid_up_to() + 1),
        )
    })
}

/// A whole non-negative number token (no sign, exponent or fraction).
fn whole(path: &Path, line: u64, field: &str, tok: Option<&str>) -> Result<u64, RoadError> {
    let tok = tok.ok_or_else(|| parse_err(path, line, format!("missing {field}")))?;
    if !tok.bytes().all(|b| b.is_ascii_digit()) {
        return Err(parse_err(
            path,
            line,
            format!("{field} {tok:?} is not a whole non-negative number"),
        ));
    }
    tok.parse::<u64>()
        .map_err(|_| parse_err(path, line, format!("{field} {tok} is too large")))
}

/// A finite number token.
fn number(path: &Path, line: u64, field: &str, tok: Option<&str>) -> Result<f64, RoadError> {
    let tok = tok.ok_or_else(|| parse_err(path, line, format!("missing {field}")))?;
    tok.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            parse_err(
                path,
                line,
                format!("{field} {tok:?} is not a finite number"),
            )
        })
}

fn no_more<'a>(
    path: &Path,
    line: u64,
    parts: &mut impl Iterator<Item = &'a str>,
) -> Result<(), RoadError> {
    match parts.next() {
        None => Ok(()),
        Some(t) => Err(parse_err(
            path,
            line,
            format!("unexpected {t:?} at the end of the line"),
        )),
    }
}

/// Units of a DIMACS file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimacsOptions {
    /// Minutes per unit of arc weight (the challenge's travel-time graphs
    /// count tenths of a second: 1/600).
    pub unit_minutes: f64,
    /// Degrees per unit of coordinate (the challenge's `.co` files hold
    /// microdegrees: 1e-6), x being longitude and y latitude.
    pub coord_scale: f64,
}

impl Default for DimacsOptions {
    fn default() -> Self {
        DimacsOptions {
            unit_minutes: 1.0 / 600.0,
            coord_scale: 1e-6,
        }
    }
}

/// Reads a DIMACS shortest-path graph: `p sp N M` then `a U V W` arcs with
/// 1-based node numbers, and optionally the `.co` file (`v ID X Y`). Nodes
/// without coordinates get NaN (snapping then fails with a clear error).
///
/// Header counts are checked against the file, never trusted for memory:
/// the `p` line must come once, before any arc; the file must hold exactly
/// `M` arcs; `N` may not exceed twice the arcs plus 1024 (isolated nodes
/// beyond that would cost memory the file does not pay for); a node has at
/// most one `v` line. Lines are read one at a time, at most
/// [`MAX_LINE_BYTES`] each.
///
/// # Complexity
/// O(m log m) (the arcs are sorted into CSR); memory about 16 bytes per arc
/// while building.
pub fn read_dimacs(
    gr: &Path,
    co: Option<&Path>,
    opt: DimacsOptions,
) -> Result<RoadGraph, RoadError> {
    let file_len = std::fs::metadata(gr).map_err(io_err(gr))?.len();
    let mut reader =
        std::io::BufReader::with_capacity(1 << 16, open_input(gr).map_err(io_err(gr))?);
    let mut buf = Vec::new();
    // (nodes, declared arcs, line of the `p` line)
    let mut header: Option<(usize, u64, u64)> = None;
    let mut arcs: Vec<(u32, u32, f64)> = Vec::new();
    let mut line = 0u64;
    loop {
        line += 1;
        let Some(raw) = next_line(&mut reader, &mut buf, gr, line)? else {
            break;
        };
        let mut parts = raw.split_ascii_whitespace();
        match parts.next() {
            None | Some("c") => {}
            Some("p") => {
                if let Some((_, _, at)) = header {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("a second `p` line (the first is line {at})"),
                    ));
                }
                if parts.next() != Some("sp") {
                    return Err(parse_err(gr, line, "expected `p sp NODES ARCS`"));
                }
                let nn = whole(gr, line, "node count", parts.next())?;
                let m = whole(gr, line, "arc count", parts.next())?;
                no_more(gr, line, &mut parts)?;
                if nn < 1 || nn >= u32::MAX as u64 {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("node count {nn} is not in 1..{}", u32::MAX),
                    ));
                }
                if m >= u32::MAX as u64 {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("arc count {m} is not below {}", u32::MAX),
                    ));
                }
                header = Some((nn as usize, m, line));
                // Every arc line takes at least 8 bytes (`a 1 2 3` and a line end).
                let expect = m.min(file_len / 8) as usize;
                arcs.try_reserve(expect).map_err(|_| {
                    parse_err(gr, line, format!("cannot reserve memory for {expect} arcs"))
                })?;
            }
            Some("a") => {
                let Some((n, m, _)) = header else {
                    return Err(parse_err(gr, line, "arc before the `p sp` line"));
                };
                if arcs.len() as u64 >= m {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("more arcs than the {m} the `p` line declares"),
                    ));
                }
                let u = whole(gr, line, "tail node", parts.next())?;
                let v = whole(gr, line, "head node", parts.next())?;
                let w = number(gr, line, "weight", parts.next())?;
                no_more(gr, line, &mut parts)?;
                for x in [u, v] {
                    if x < 1 || x > n as u64 {
                        return Err(parse_err(gr, line, format!("node {x} not in 1..={n}")));
                    }
                }
                let minutes = w * opt.unit_minutes;
                if !positive_within(minutes, MAX_LINK_MINUTES) {
                    return Err(parse_err(
                        gr,
                        line,
                        format!(
                            "weight {} ({} minutes at {} minutes per unit) is not in (0, {MAX_LINK_MINUTES}] minutes",
                            show(w),
                            show(minutes),
                            opt.unit_minutes
                        ),
                    ));
                }
                arcs.push((u as u32 - 1, v as u32 - 1, minutes));
            }
            Some(other) => {
                return Err(parse_err(gr, line, format!("unknown line type {other:?}")));
            }
        }
    }
    let Some((n, m, at)) = header else {
        return Err(RoadError::Empty {
            path: gr.to_owned(),
            what: "no `p sp` line".into(),
        });
    };
    if arcs.len() as u64 != m {
        return Err(parse_err(
            gr,
            at,
            format!(
                "the `p` line declares {m} arcs but the file has {}",
                arcs.len()
            ),
        ));
    }
    let most = 2 * arcs.len() + 1024;
    if n > most {
        return Err(parse_err(
            gr,
            at,
            format!(
                "the `p` line declares {n} nodes but the file's {} arcs can touch at most {}; at most {most} nodes are accepted",
                arcs.len(),
                2 * arcs.len()
            ),
        ));
    }
    let (mut lon, mut lat) = (vec![f64::NAN; n], vec![f64::NAN; n]);
    if let Some(co) = co {
        read_coordinates(co, opt, &mut lon, &mut lat)?;
    }
    RoadGraph::new(lon, lat, &arcs, false, None).map_err(|source| RoadError::Graph {
        path: gr.to_owned(),
        source,
    })
}

/// Reads a DIMACS `.co` file into `lon`/`lat` (one slot per node).
fn read_coordinates(
    co: &Path,
    opt: DimacsOptions,
    lon: &mut [f64],
    lat: &mut [f64],
) -> Result<(), RoadError> {
    let n = lon.len();
    let mut reader =
        std::io::BufReader::with_capacity(1 << 16, open_input(co).map_err(io_err(co))?);
    let mut buf = Vec::new();
    let mut first_line = vec![0u64; 0];
    first_line
        .try_reserve_exact(n)
        .map_err(|_| parse_err(co, 0, format!("cannot reserve memory for {n} nodes")))?;
    first_line.resize(n, 0);
    let mut line = 0u64;
    loop {
        line += 1;
        let Some(raw) = next_line(&mut reader, &mut buf, co, line)? else {
            return Ok(());
        };
        let mut parts = raw.split_ascii_whitespace();
        match parts.next() {
            None | Some("c") | Some("p") => {}
            Some("v") => {
                let id = whole(co, line, "node", parts.next())?;
                let x = number(co, line, "x", parts.next())?;
                let y = number(co, line, "y", parts.next())?;
                no_more(co, line, &mut parts)?;
                if id < 1 || id > n as u64 {
                    return Err(parse_err(co, line, format!("node {id} not in 1..={n}")));
                }
                let i = id as usize - 1;
                if first_line[i] != 0 {
                    return Err(parse_err(
                        co,
                        line,
                        format!("node {id} has coordinates already (line {})", first_line[i]),
                    ));
                }
                first_line[i] = line;
                let (x, y) = (x * opt.coord_scale, y * opt.coord_scale);
                if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
                    return Err(parse_err(co, line, format!("({x}, {y}) is not lon/lat")));
                }
                lon[i] = x;
                lat[i] = y;
            }
            Some(other) => {
                return Err(parse_err(co, line, format!("unknown line type {other:?}")));
            }
        }
    }
}

/// Writes `g` as DIMACS text (`.gr`, `.co`), weights rounded to whole units
/// (at least 1) and coordinates to whole `coord_scale` units.
pub fn write_dimacs(g: &RoadGraph, opt: DimacsOptions, comment: &str) -> (String, String) {
    let mut gr = String::with_capacity(g.arc_count() * 20);
    let mut co = String::with_capacity(g.node_count() * 28);
    let _ = writeln!(gr, "c {comment}");
    let _ = writeln!(gr, "p sp {} {}", g.node_count(), g.arc_count());
    for v in 0..g.node_count() as u32 {
        for (h, w) in g.graph().out(v) {
            let units = (w / opt.unit_minutes).round().max(1.0) as u64;
            let _ = writeln!(gr, "a {} {} {}", v + 1, h + 1, units);
        }
    }
    let _ = writeln!(co, "c {comment}");
    let _ = writeln!(co, "p aux sp co {}", g.node_count());
    for v in 0..g.node_count() as u32 {
        let _ = writeln!(
            co,
            "v {} {} {}",
            v + 1,
            (g.lon(v) / opt.coord_scale).round() as i64,
            (g.lat(v) / opt.coord_scale).round() as i64
        );
    }
    (gr, co)
}

fn truthy(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "y" => Some(true),
        "0" | "false" | "no" | "n" | "" => Some(false),
        _ => None,
    }
}

/// The line of a CSV record or error (1-based), or 0 when unknown.
fn csv_line(pos: Option<&csv::Position>) -> u64 {
    pos.map_or(0, |p| p.line())
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
            .ok_or_else(|| parse_err(p, 1, format!("missing column `{name}`")))
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
        let rec = rec.map_err(|e| parse_err(nodes, csv_line(e.position()), e.to_string()))?;
        let line = csv_line(rec.position());
        let id = rec.get(ci).unwrap_or("").to_string();
        let num = |c: usize, name: &str| {
            rec.get(c)
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|v| v.is_finite())
                .ok_or_else(|| parse_err(nodes, line, format!("`{name}` is not a number")))
        };
        let (x, y) = (num(cx, "lon")?, num(cy, "lat")?);
        if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
            return Err(parse_err(nodes, line, format!("({x}, {y}) is not lon/lat")));
        }
        if ids.len() >= u32::MAX as usize - 1 {
            return Err(parse_err(nodes, line, "too many nodes"));
        }
        if id.is_empty() || index.insert(id.clone(), ids.len() as u32).is_some() {
            return Err(parse_err(
                nodes,
                line,
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
        return Err(parse_err(edges, 1, "needs a `minutes` or a `km` column"));
    }
    let mut arcs = Vec::new();
    for rec in rd.records() {
        let rec = rec.map_err(|e| parse_err(edges, csv_line(e.position()), e.to_string()))?;
        let line = csv_line(rec.position());
        let node = |c: usize| {
            let s = rec.get(c).unwrap_or("");
            index
                .get(s)
                .copied()
                .ok_or_else(|| parse_err(edges, line, format!("unknown node {s:?}")))
        };
        let (a, b) = (node(cf)?, node(ct)?);
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|s| !s.is_empty());
        let num = |s: &str, name: &str, lo: f64, hi: f64| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0 && *v >= lo && *v <= hi)
                .ok_or_else(|| {
                    parse_err(
                        edges,
                        line,
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
                minutes_at(km, speed).map_err(|m| parse_err(edges, line, m))?
            }
            (None, None) => return Err(parse_err(edges, line, "no `minutes` and no `km`")),
        };
        let oneway = match get(co) {
            Some(s) => truthy(s).ok_or_else(|| {
                parse_err(edges, line, format!("`oneway` {s:?} is not true/false"))
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
    RoadGraph::new(lon, lat, &arcs, false, Some(ids)).map_err(|source| RoadError::Graph {
        path: edges.to_owned(),
        source,
    })
}

/// How GeoJSON roads become weighted edges.
#[derive(Debug, Clone)]
pub struct GeoJsonOptions {
    /// Endpoints closer than this many metres become one node.
    pub snap_m: f64,
    /// Property holding the minutes of a feature (used when present).
    pub minutes_field: String,
    /// Property holding the speed in km/h (used with the line's length).
    pub speed_field: String,
    /// Property holding the road class (OpenStreetMap `highway`).
    pub class_field: String,
    /// Speed (km/h) per road class, used when a feature has no speed.
    pub class_speeds: BTreeMap<String, f64>,
    /// Speed (km/h) when neither a speed nor a known class is given.
    pub default_speed: f64,
}

impl Default for GeoJsonOptions {
    fn default() -> Self {
        let class_speeds = [
            ("motorway", 100.0),
            ("trunk", 80.0),
            ("primary", 60.0),
            ("secondary", 50.0),
            ("tertiary", 40.0),
            ("unclassified", 30.0),
            ("residential", 30.0),
            ("service", 20.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        GeoJsonOptions {
            snap_m: 1.0,
            minutes_field: "minutes".into(),
            speed_field: "maxspeed".into(),
            class_field: "highway".into(),
            class_speeds,
            default_speed: 40.0,
        }
    }
}

fn prop_str(p: Option<&JsonObject>, k: &str) -> Option<String> {
    match p?.get(k)? {
        JsonValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        JsonValue::Number(n) => Some(n.to_string()),
        JsonValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A speed property such as `"50"`, `"50 km/h"` or `"30 mph"`, in km/h:
/// `Ok(None)` for a value that is not numeric (OpenStreetMap's `none`,
/// `signals`, `walk`: the class speed applies), an error for a value that
/// starts like a number but is not one of those forms (`"1e999"`, `"50;30"`).
fn speed_value(s: &str) -> Result<Option<f64>, String> {
    let s = s.trim();
    if !s.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return Ok(None);
    }
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let factor = match s[end..].trim() {
        "" | "km/h" | "kmh" | "kph" => 1.0,
        "mph" => 1.609_344,
        _ => {
            return Err(format!(
                "{s:?} is not a speed (a number, optionally with km/h or mph)"
            ));
        }
    };
    let v = s[..end]
        .parse::<f64>()
        .map_err(|_| format!("{s:?} is not a speed (a number, optionally with km/h or mph)"))?
        * factor;
    if (MIN_SPEED_KMH..=MAX_SPEED_KMH).contains(&v) {
        Ok(Some(v))
    } else {
        Err(format!(
            "{s:?} is not a speed in [{MIN_SPEED_KMH}, {MAX_SPEED_KMH}] km/h"
        ))
    }
}

/// Reads GeoJSON LineString (and MultiLineString) features as roads: each
/// line's first and last points become nodes (endpoints within
/// [`GeoJsonOptions::snap_m`] metres are one node, found with an R-tree),
/// its length is the great-circle length of the whole line, and its minutes
/// come from the minutes property, else length over the speed property, else
/// over the class's default speed. `oneway` = yes/true/1 keeps one direction;
/// `-1` keeps the reverse one. Other geometries are skipped. Every position
/// must be two finite numbers within lon/lat range; minutes (given or
/// computed) must lie in (0, [`MAX_LINK_MINUTES`]]. A byte order mark is
/// skipped. Errors name the feature by its 0-based index.
pub fn read_geojson_roads(path: &Path, opt: &GeoJsonOptions) -> Result<RoadGraph, RoadError> {
    let text = read(path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let fc: FeatureCollection = serde_json::from_str(text).map_err(|e| {
        parse_err(
            path,
            e.line() as u64,
            format!("not a GeoJSON FeatureCollection: {e}"),
        )
    })?;
    let chord = {
        let a = opt.snap_m / 1000.0 / EARTH_RADIUS_KM;
        let c = 2.0 * (a / 2.0).sin();
        c * c
    };
    let mut tree: RTree<GeomWithData<[f64; 3], u32>> = RTree::new();
    let (mut lon, mut lat) = (Vec::new(), Vec::new());
    let mut node_at = |x: f64, y: f64, lon: &mut Vec<f64>, lat: &mut Vec<f64>| -> u32 {
        let q = unit_vector(x, y);
        let found = tree
            .locate_within_distance(q, chord)
            .min_by(|a, b| {
                let da = rstar::PointDistance::distance_2(*a, &q);
                let db = rstar::PointDistance::distance_2(*b, &q);
                da.total_cmp(&db).then(a.data.cmp(&b.data))
            })
            .map(|g| g.data);
        found.unwrap_or_else(|| {
            let id = lon.len() as u32;
            lon.push(x);
            lat.push(y);
            tree.insert(GeomWithData::new(q, id));
            id
        })
    };
    let mut arcs = Vec::new();
    for (i, feat) in fc.features.iter().enumerate() {
        let lines: Vec<&Vec<geojson::Position>> = match feat.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(GeometryValue::MultiLineString { coordinates }) => coordinates.iter().collect(),
            _ => continue,
        };
        let props = feat.properties.as_ref();
        for coords in lines {
            if coords.len() < 2 {
                return Err(feature_err(path, i, "a line needs two or more positions"));
            }
            if let Some((k, c)) = coords.iter().enumerate().find(|(_, c)| {
                c.as_slice().len() < 2
                    || !c[0].is_finite()
                    || !c[1].is_finite()
                    || c[0].abs() > 180.0
                    || c[1].abs() > 90.0
            }) {
                return Err(feature_err(
                    path,
                    i,
                    format!(
                        "position {k} {:?} is not [lon, lat] (two finite numbers within ±180, ±90)",
                        c.as_slice()
                    ),
                ));
            }
            let km: f64 = coords
                .windows(2)
                .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
                .sum();
            let minutes = if let Some(m) = prop_str(props, &opt.minutes_field) {
                m.parse::<f64>()
                    .ok()
                    .filter(|v| positive_within(*v, MAX_LINK_MINUTES))
                    .ok_or_else(|| {
                        feature_err(
                            path,
                            i,
                            format!(
                                "`{}` {m:?} is not a number of minutes in (0, {MAX_LINK_MINUTES}]",
                                opt.minutes_field
                            ),
                        )
                    })?
            } else {
                let given = match prop_str(props, &opt.speed_field) {
                    Some(s) => speed_value(&s)
                        .map_err(|m| feature_err(path, i, format!("`{}` {m}", opt.speed_field)))?,
                    None => None,
                };
                let speed = given
                    .or_else(|| {
                        prop_str(props, &opt.class_field)
                            .and_then(|c| opt.class_speeds.get(&c).copied())
                    })
                    .unwrap_or(opt.default_speed);
                if km == 0.0 {
                    continue;
                }
                minutes_at(km, speed).map_err(|m| feature_err(path, i, m))?
            };
            let (first, last) = (&coords[0], &coords[coords.len() - 1]);
            let a = node_at(first[0], first[1], &mut lon, &mut lat);
            let b = node_at(last[0], last[1], &mut lon, &mut lat);
            if a == b || minutes <= 0.0 {
                continue;
            }
            let oneway = prop_str(props, "oneway").unwrap_or_default();
            match oneway.as_str() {
                "-1" | "reverse" => arcs.push((b, a, minutes)),
                s if truthy(s) == Some(true) => arcs.push((a, b, minutes)),
                _ => {
                    arcs.push((a, b, minutes));
                    arcs.push((b, a, minutes));
                }
            }
        }
    }
    if arcs.is_empty() {
        return Err(RoadError::Empty {
            path: PathBuf::from(path),
            what: "no LineString with two distinct endpoints".into(),
        });
    }
    RoadGraph::new(lon, lat, &arcs, false, None).map_err(|source| RoadError::Graph {
        path: path.to_owned(),
        source,
    })
}
