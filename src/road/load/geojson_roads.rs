//! Roads as GeoJSON LineStrings, endpoints snapped into nodes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geojson::{FeatureCollection, GeometryValue, JsonObject, JsonValue};
use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::{feature_err, minutes_at, parse_err, read, truthy};
use crate::io::limits::{MAX_LINK_MINUTES, MAX_SPEED_KMH, MIN_SPEED_KMH, positive_within};
use crate::network::{EARTH_RADIUS_KM, haversine_km};
use crate::road::snap::unit_vector;
use crate::road::{RoadError, RoadGraph};

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
                return Err(feature_err(
                    path,
                    i,
                    "geometry",
                    "a line needs two or more positions",
                ));
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
                    "geometry",
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
                            &opt.minutes_field,
                            format!(
                                "`{}` {m:?} is not a number of minutes in (0, {MAX_LINK_MINUTES}]",
                                opt.minutes_field
                            ),
                        )
                    })?
            } else {
                let given = match prop_str(props, &opt.speed_field) {
                    Some(s) => speed_value(&s).map_err(|m| {
                        feature_err(
                            path,
                            i,
                            &opt.speed_field,
                            format!("`{}` {m}", opt.speed_field),
                        )
                    })?,
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
                // The product of the line's length and the speed: the
                // speed when given, else the geometry's length.
                let field = if given.is_some() {
                    opt.speed_field.as_str()
                } else {
                    "geometry"
                };
                minutes_at(km, speed).map_err(|m| feature_err(path, i, field, m))?
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
    RoadGraph::new(lon, lat, &arcs, false, None)
        .map(RoadGraph::in_locality_order)
        .map_err(|source| RoadError::Graph {
            path: path.to_owned(),
            source,
        })
}
