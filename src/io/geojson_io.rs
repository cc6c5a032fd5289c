//! The network as one GeoJSON FeatureCollection: Point features are cities,
//! LineString features are links (same property names as the CSV columns),
//! and agglomerations travel in an `agglomerations` foreign member (an array
//! of objects with the `agglomerations.csv` fields, id lists as arrays).

use std::sync::Arc;

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, JsonValue};
use serde_json::json;

use super::fields::{FieldSource, Fields};
use super::records::{NetworkData, parse_agglomeration, parse_city, parse_link};
use crate::error::{Issue, Loc};
use crate::network::Network;

struct Props<'a>(Option<&'a JsonObject>);

impl FieldSource for Props<'_> {
    fn raw(&self, name: &str) -> Option<String> {
        match self.0?.get(name)? {
            JsonValue::Null => None,
            JsonValue::String(s) if s.trim().is_empty() => None,
            JsonValue::String(s) => Some(s.clone()),
            JsonValue::Array(items) => Some(
                items
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            other => Some(other.to_string()),
        }
    }
}

/// The first two numbers of a position, if it has them.
fn lon_lat(p: &geojson::Position) -> Option<(f64, f64)> {
    match p.as_slice() {
        [x, y, ..] => Some((*x, *y)),
        _ => None,
    }
}

/// Parses a network FeatureCollection. `name` labels messages; a byte order
/// mark is skipped.
pub fn read_geojson_network(name: &str, text: &str) -> NetworkData {
    let file: Arc<str> = Arc::from(name);
    let mut data = NetworkData::default();
    // A byte order mark is skipped, as the CSV reader does.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fc: FeatureCollection = match serde_json::from_str(text) {
        Ok(fc) => fc,
        Err(e) => {
            data.issues.push(Issue::error(
                Loc::line(&file, e.line() as u64),
                None,
                format!("not a GeoJSON FeatureCollection: {e}"),
            ));
            return data;
        }
    };
    let mut issues = Vec::new();
    for (i, feat) in fc.features.iter().enumerate() {
        let loc = Loc::feature(&file, i);
        let props = Props(feat.properties.as_ref());
        match feat.geometry.as_ref().map(|g| &g.value) {
            Some(GeometryValue::Point { coordinates }) => {
                let mut f = Fields::new(props, loc.clone(), &mut issues);
                let Some((x, y)) = lon_lat(coordinates) else {
                    f.error(
                        "geometry",
                        format!(
                            "a position needs two numbers [lon, lat], got {:?}",
                            coordinates.as_slice()
                        ),
                    );
                    continue;
                };
                if !(-180.0..=180.0).contains(&x) || !x.is_finite() {
                    f.error("geometry", format!("longitude {x} outside [-180, 180]"));
                }
                if !(-90.0..=90.0).contains(&y) || !y.is_finite() {
                    f.error("geometry", format!("latitude {y} outside [-90, 90]"));
                }
                if let Some(c) = parse_city(&mut f, Some((x, y))) {
                    data.cities.push(c);
                }
            }
            Some(GeometryValue::LineString { coordinates }) => {
                let mut f = Fields::new(props, loc, &mut issues);
                let points: Option<Vec<(f64, f64)>> = coordinates.iter().map(lon_lat).collect();
                let Some(points) = points else {
                    f.error("geometry", "every position needs two numbers [lon, lat]");
                    continue;
                };
                // Every vertex is checked for range when the network is built.
                let ls: geo::LineString<f64> = points.into_iter().collect();
                if let Some(l) = parse_link(&mut f, Some(ls)) {
                    data.links.push(l);
                }
            }
            Some(other) => issues.push(Issue::error(
                loc,
                Some("geometry"),
                format!(
                    "{} is neither a city (Point) nor a link (LineString)",
                    other.type_name()
                ),
            )),
            None => issues.push(Issue::error(
                loc,
                Some("geometry"),
                "feature has no geometry",
            )),
        }
    }
    if let Some(aggs) = fc
        .foreign_members
        .as_ref()
        .and_then(|m| m.get("agglomerations"))
    {
        let afile: Arc<str> = Arc::from(format!("{name} (agglomerations)"));
        match aggs.as_array() {
            Some(list) => {
                for (i, a) in list.iter().enumerate() {
                    let mut f =
                        Fields::new(Props(a.as_object()), Loc::feature(&afile, i), &mut issues);
                    if let Some(r) = parse_agglomeration(&mut f) {
                        data.agglomerations.push(r);
                    }
                }
            }
            None => issues.push(Issue::error(
                Loc::file(&file),
                Some("agglomerations"),
                "must be an array of objects",
            )),
        }
    }
    data.issues = issues;
    data
}

fn put(f: &mut Feature, k: &str, v: JsonValue) {
    if !v.is_null() {
        f.set_property(k, v);
    }
}

/// Rounds a coordinate to 6 decimals (about 0.1 m), as RFC 7946 recommends.
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// A multipolygon with every coordinate rounded by [`round6`].
pub fn round_multipolygon(mp: &geo::MultiPolygon<f64>) -> geo::MultiPolygon<f64> {
    use geo::MapCoords;
    mp.map_coords(|c| geo::Coord {
        x: round6(c.x),
        y: round6(c.y),
    })
}

/// The network as a GeoJSON FeatureCollection (see the module docs).
pub fn network_to_geojson(net: &Network) -> FeatureCollection {
    let mut features = Vec::new();
    for c in net.cities() {
        let mut f = Feature::from(Geometry::new_point([round6(c.lon), round6(c.lat)]));
        f.id = Some(geojson::feature::Id::String(c.id.clone()));
        put(&mut f, "id", json!(c.id));
        put(&mut f, "name", json!(c.name));
        put(&mut f, "name_zh", json!(c.name_zh));
        put(&mut f, "province", json!(c.province));
        put(&mut f, "adcode", json!(c.adcode));
        put(&mut f, "pop_2020", json!(c.pop_2020));
        put(&mut f, "pop_2010", json!(c.pop_2010));
        put(&mut f, "urban_pop_2020", json!(c.urban_pop_2020));
        put(&mut f, "access_hsr_min", json!(c.access_hsr_min));
        put(&mut f, "access_rail_min", json!(c.access_rail_min));
        put(&mut f, "level", json!(c.level));
        put(&mut f, "source", json!(c.source));
        if !c.counted_in.is_empty() {
            put(&mut f, "counted_in", json!(c.counted_in.join(";")));
        }
        features.push(f);
    }
    for (i, l) in net.links().iter().enumerate() {
        let coords: Vec<[f64; 2]> = net
            .link_geometry(i)
            .coords()
            .map(|c| [round6(c.x), round6(c.y)])
            .collect();
        let mut f = Feature::from(Geometry::new_line_string(coords));
        let (a, b) = (&net.city(l.from).id, &net.city(l.to).id);
        f.id = Some(geojson::feature::Id::String(format!("link-{i}")));
        put(&mut f, "from", json!(a));
        put(&mut f, "to", json!(b));
        put(&mut f, "mode", json!(l.mode.as_str()));
        put(&mut f, "minutes", json!(l.minutes));
        put(&mut f, "km", json!(l.km));
        put(&mut f, "services_per_day", json!(l.services_per_day));
        put(&mut f, "line", json!(l.line));
        put(&mut f, "opened", json!(l.opened));
        if l.oneway {
            put(&mut f, "oneway", json!(true));
        }
        put(&mut f, "source", json!(l.source));
        features.push(f);
    }
    let ids = |v: &[u32]| -> Vec<&str> { v.iter().map(|&i| net.city(i).id.as_str()).collect() };
    let aggs: Vec<JsonValue> = net
        .agglomerations()
        .iter()
        .map(|a| {
            let mut o = json!({
                "id": a.id, "name": a.name, "name_zh": a.name_zh, "kind": a.kind.as_str(),
                "cores": ids(&a.cores), "members": ids(&a.members),
            });
            let m = o.as_object_mut().expect("object");
            if !a.partial.is_empty() {
                m.insert("partial".into(), json!(ids(&a.partial)));
            }
            if let Some(y) = a.approved {
                m.insert("approved".into(), json!(y));
            }
            if let Some(s) = &a.source {
                m.insert("source".into(), json!(s));
            }
            o
        })
        .collect();
    let mut fc = FeatureCollection::new(features);
    let mut fm = JsonObject::new();
    fm.insert("agglomerations".into(), JsonValue::Array(aggs));
    fc.foreign_members = Some(fm);
    fc
}
