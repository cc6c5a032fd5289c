//! Road network readers: DIMACS `.gr`/`.co`, CSV edge lists with a node
//! file, and GeoJSON LineStrings whose endpoints are snapped into nodes.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use geojson::{FeatureCollection, GeometryValue, JsonObject, JsonValue};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::snap::unit_vector;
use super::{RoadError, RoadGraph};
use crate::network::{EARTH_RADIUS_KM, haversine_km};

fn read(path: &Path) -> Result<String, RoadError> {
    std::fs::read_to_string(path).map_err(|source| RoadError::Io {
        path: path.to_owned(),
        source,
    })
}

fn parse_err(path: &Path, line: u64, message: impl Into<String>) -> RoadError {
    RoadError::Parse {
        path: path.to_owned(),
        line,
        message: message.into(),
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

fn fields<'a, const N: usize>(
    path: &Path,
    line: u64,
    parts: &mut impl Iterator<Item = &'a str>,
) -> Result<[f64; N], RoadError> {
    let mut out = [0.0; N];
    for o in out.iter_mut() {
        let tok = parts
            .next()
            .ok_or_else(|| parse_err(path, line, format!("expected {N} numbers")))?;
        *o = tok
            .parse::<f64>()
            .map_err(|_| parse_err(path, line, format!("not a number: {tok:?}")))?;
    }
    Ok(out)
}

/// Reads a DIMACS shortest-path graph: `p sp N M` then `a U V W` arcs with
/// 1-based node numbers, and optionally the `.co` file (`v ID X Y`). Nodes
/// without coordinates get NaN (snapping then fails with a clear error).
///
/// # Complexity
/// O(m log m) (the arcs are sorted into CSR); memory about 16 bytes per arc
/// while building.
pub fn read_dimacs(
    gr: &Path,
    co: Option<&Path>,
    opt: DimacsOptions,
) -> Result<RoadGraph, RoadError> {
    if let Some(co) = co {
        super::pair::check_pair(gr, co)?;
    }
    // Streamed line by line into one buffer: the text is never held whole.
    let file = std::fs::File::open(gr).map_err(|source| RoadError::Io {
        path: gr.to_owned(),
        source,
    })?;
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut buf = String::new();
    let mut n: Option<usize> = None;
    let mut arcs: Vec<(u32, u32, f64)> = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let got =
            std::io::BufRead::read_line(&mut reader, &mut buf).map_err(|source| RoadError::Io {
                path: gr.to_owned(),
                source,
            })?;
        if got == 0 {
            break;
        }
        line += 1;
        let raw = buf.as_str();
        let mut parts = raw.split_ascii_whitespace();
        match parts.next() {
            None | Some("c") => {}
            Some("p") => {
                if parts.next() != Some("sp") {
                    return Err(parse_err(gr, line, "expected `p sp NODES ARCS`"));
                }
                let [nn, m] = fields::<2>(gr, line, &mut parts)?;
                if nn < 1.0 || nn >= u32::MAX as f64 || nn.fract() != 0.0 {
                    return Err(parse_err(gr, line, format!("bad node count {nn}")));
                }
                n = Some(nn as usize);
                arcs.reserve(m.max(0.0) as usize);
            }
            Some("a") => {
                let Some(n) = n else {
                    return Err(parse_err(gr, line, "arc before the `p sp` line"));
                };
                let [u, v, w] = fields::<3>(gr, line, &mut parts)?;
                for x in [u, v] {
                    if x < 1.0 || x > n as f64 || x.fract() != 0.0 {
                        return Err(parse_err(gr, line, format!("node {x} not in 1..={n}")));
                    }
                }
                let minutes = w * opt.unit_minutes;
                if !(minutes.is_finite() && minutes > 0.0) {
                    return Err(parse_err(gr, line, format!("weight {w} must be positive")));
                }
                arcs.push((u as u32 - 1, v as u32 - 1, minutes));
            }
            Some(other) => {
                return Err(parse_err(gr, line, format!("unknown line type {other:?}")));
            }
        }
    }
    let Some(n) = n else {
        return Err(RoadError::Empty {
            path: gr.to_owned(),
            what: "no `p sp` line".into(),
        });
    };
    let (mut lon, mut lat) = (vec![f64::NAN; n], vec![f64::NAN; n]);
    if let Some(co) = co {
        let text = read(co)?;
        for (i, raw) in text.lines().enumerate() {
            let line = i as u64 + 1;
            let mut parts = raw.split_ascii_whitespace();
            match parts.next() {
                None | Some("c") | Some("p") => {}
                Some("v") => {
                    let [id, x, y] = fields::<3>(co, line, &mut parts)?;
                    if id < 1.0 || id > n as f64 || id.fract() != 0.0 {
                        return Err(parse_err(co, line, format!("node {id} not in 1..={n}")));
                    }
                    let (x, y) = (x * opt.coord_scale, y * opt.coord_scale);
                    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
                        return Err(parse_err(co, line, format!("({x}, {y}) is not lon/lat")));
                    }
                    lon[id as usize - 1] = x;
                    lat[id as usize - 1] = y;
                }
                Some(other) => {
                    return Err(parse_err(co, line, format!("unknown line type {other:?}")));
                }
            }
        }
    }
    Ok(RoadGraph::new(lon, lat, &arcs, false, None))
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

/// Reads an edge list (`from,to` and `minutes`, or `km` with an optional
/// `speed_kmh`, and an optional `oneway`) with a node file (`id,lon,lat`).
/// Edges are two-way unless `oneway` is true.
pub fn read_csv_edges(nodes: &Path, edges: &Path, speed_kmh: f64) -> Result<RoadGraph, RoadError> {
    let open = |p: &Path| {
        csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(p)
            .map_err(|e| parse_err(p, 0, e.to_string()))
    };
    let col = |p: &Path, h: &csv::StringRecord, name: &str| {
        h.iter()
            .position(|x| x == name)
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
    for (i, rec) in rd.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| parse_err(nodes, line, e.to_string()))?;
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
    let pos = |name: &str| h.iter().position(|x| x == name);
    let (cm, ck, cs, co) = (pos("minutes"), pos("km"), pos("speed_kmh"), pos("oneway"));
    if cm.is_none() && ck.is_none() {
        return Err(parse_err(edges, 1, "needs a `minutes` or a `km` column"));
    }
    let mut arcs = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|e| parse_err(edges, line, e.to_string()))?;
        let node = |c: usize| {
            let s = rec.get(c).unwrap_or("");
            index
                .get(s)
                .copied()
                .ok_or_else(|| parse_err(edges, line, format!("unknown node {s:?}")))
        };
        let (a, b) = (node(cf)?, node(ct)?);
        let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|s| !s.is_empty());
        let num = |s: &str, name: &str| {
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v > 0.0)
                .ok_or_else(|| {
                    parse_err(
                        edges,
                        line,
                        format!("`{name}` must be a positive number, got {s:?}"),
                    )
                })
        };
        let minutes = match (get(cm), get(ck)) {
            (Some(m), _) => num(m, "minutes")?,
            (None, Some(k)) => {
                let speed = match get(cs) {
                    Some(s) => num(s, "speed_kmh")?,
                    None => speed_kmh,
                };
                num(k, "km")? / speed * 60.0
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
    Ok(RoadGraph::new(lon, lat, &arcs, false, Some(ids)))
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

/// Leading number of a property such as `"50"` or `"50 km/h"`.
fn leading_number(s: &str) -> Option<f64> {
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    s[..end].parse().ok()
}

/// Reads GeoJSON LineString (and MultiLineString) features as roads: each
/// line's first and last points become nodes (endpoints within
/// [`GeoJsonOptions::snap_m`] metres are one node, found with an R-tree),
/// its length is the great-circle length of the whole line, and its minutes
/// come from the minutes property, else length over the speed property, else
/// over the class's default speed. `oneway` = yes/true/1 keeps one direction;
/// `-1` keeps the reverse one. Other geometries are skipped.
pub fn read_geojson_roads(path: &Path, opt: &GeoJsonOptions) -> Result<RoadGraph, RoadError> {
    let text = read(path)?;
    let fc: FeatureCollection = serde_json::from_str(&text).map_err(|e| {
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
        let line = i as u64;
        let lines: Vec<&Vec<geojson::Position>> = match feat.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::LineString { coordinates }) => vec![coordinates],
            Some(GeometryValue::MultiLineString { coordinates }) => coordinates.iter().collect(),
            _ => continue,
        };
        let props = feat.properties.as_ref();
        for coords in lines {
            if coords.len() < 2
                || coords.iter().any(|c| {
                    c.as_slice().len() < 2
                        || !c[0].is_finite()
                        || !c[1].is_finite()
                        || c[0].abs() > 180.0
                        || c[1].abs() > 90.0
                })
            {
                return Err(parse_err(
                    path,
                    line,
                    "a line needs two or more lon/lat positions",
                ));
            }
            let km: f64 = coords
                .windows(2)
                .map(|w| haversine_km(w[0][0], w[0][1], w[1][0], w[1][1]))
                .sum();
            let minutes = if let Some(m) = prop_str(props, &opt.minutes_field) {
                leading_number(&m).filter(|v| *v > 0.0).ok_or_else(|| {
                    parse_err(
                        path,
                        line,
                        format!("`{}` {m:?} is not a positive number", opt.minutes_field),
                    )
                })?
            } else {
                let speed = prop_str(props, &opt.speed_field)
                    .and_then(|s| leading_number(&s))
                    .filter(|v| *v > 0.0)
                    .or_else(|| {
                        prop_str(props, &opt.class_field)
                            .and_then(|c| opt.class_speeds.get(&c).copied())
                    })
                    .unwrap_or(opt.default_speed);
                km / speed * 60.0
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
    Ok(RoadGraph::new(lon, lat, &arcs, false, None))
}
