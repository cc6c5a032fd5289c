//! [`Boundaries`]: the polygons of a set of units (county-level units of the
//! embedded data, or a user's own), keyed by unit id.
//!
//! Polygons are WGS84 degrees, longitude as x and latitude as y, every unit a
//! `MultiPolygon` with RFC 7946 ring order (exterior counter-clockwise, holes
//! clockwise; rings read in the other order are turned round on load).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use geo::{Coord, LineString, MultiPolygon, Orient, Polygon};

use super::parse::{self, RawGeometry, RawPolygon};

/// `data/counties.geojson`, embedded: 2,989 county-level units, property `id`
/// = the 6-digit adcode.
pub(crate) const COUNTIES_GEOJSON: &str = include_str!("../../data/counties.geojson");

/// `data/sar_boundaries.geojson`, embedded: Hong Kong and Macao, property
/// `id` = their node ids (`hong-kong`, `macao`): the county map's country
/// outline less its county units, the rings picked with Natural Earth 1:10m
/// (data/build_sar_boundaries.py), so they share their land borders with the
/// Shenzhen and Zhuhai units vertex for vertex. The SARs have no county
/// units: each is one unit at both levels, so its boundary is keyed by its
/// node id.
pub(crate) const SAR_GEOJSON: &str = include_str!("../../data/sar_boundaries.geojson");

/// A boundary file that cannot be used, or a unit that is not in it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BoundaryError {
    /// The text is not a GeoJSON FeatureCollection of the expected shape.
    #[error("{file}:{line}:{column}: not a polygon FeatureCollection: {message}")]
    Json {
        /// The file.
        file: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// A feature has no usable id (neither the id property nor a feature `id`).
    #[error("{file}, feature {feature}: no unit id in property `{property}` or the feature `id`")]
    MissingId {
        /// The file.
        file: String,
        /// 0-based feature index.
        feature: usize,
        /// The property looked for.
        property: String,
    },
    /// Two features have the same unit id.
    #[error("{file}, feature {feature}: unit id `{id}` is repeated (first at feature {first})")]
    DuplicateId {
        /// The file.
        file: String,
        /// 0-based index of the second feature.
        feature: usize,
        /// 0-based index of the first.
        first: usize,
        /// The id.
        id: String,
    },
    /// A feature's geometry is missing, not a polygon or not valid.
    #[error("{file}, feature {feature} (unit `{id}`), field `geometry`: {reason}")]
    Geometry {
        /// The file.
        file: String,
        /// 0-based feature index.
        feature: usize,
        /// The unit id.
        id: String,
        /// What is wrong.
        reason: String,
    },
    /// A unit id asked for is not in the boundaries.
    #[error("no boundary for unit `{0}`")]
    UnknownUnit(String),
}

/// The polygons of a set of units, keyed by unit id, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Boundaries {
    ids: Vec<String>,
    index: BTreeMap<String, usize>,
    shapes: Vec<MultiPolygon<f64>>,
}

impl Boundaries {
    /// Reads a FeatureCollection of `Polygon` / `MultiPolygon` features; each
    /// feature's unit id is the property `id_property` (text or integer), or
    /// else the feature's `id`. `file` names the input in errors.
    ///
    /// Every ring must have at least four positions, be closed, and lie within
    /// longitude [-180, 180] and latitude [-90, 90].
    ///
    /// # Example
    /// ```
    /// use agglo::geometry::Boundaries;
    /// let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
    ///   "properties":{"code":"a"},"geometry":{"type":"Polygon",
    ///   "coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#;
    /// let b = Boundaries::from_geojson("units.geojson", text, "code").unwrap();
    /// assert_eq!(b.len(), 1);
    /// assert!(b.get("a").is_some());
    /// ```
    pub fn from_geojson(
        file: &str,
        text: &str,
        id_property: &str,
    ) -> Result<Boundaries, BoundaryError> {
        let features = parse::features(file, text)?;
        let mut b = Boundaries {
            ids: Vec::with_capacity(features.len()),
            index: BTreeMap::new(),
            shapes: Vec::with_capacity(features.len()),
        };
        for (k, f) in features.into_iter().enumerate() {
            let id = f
                .properties
                .as_ref()
                .and_then(|p| p.get(id_property))
                .and_then(parse::id_text)
                .or_else(|| f.id.as_ref().and_then(parse::id_text))
                .ok_or_else(|| BoundaryError::MissingId {
                    file: file.to_owned(),
                    feature: k,
                    property: id_property.to_owned(),
                })?;
            if let Some(&first) = b.index.get(&id) {
                return Err(BoundaryError::DuplicateId {
                    file: file.to_owned(),
                    feature: k,
                    first,
                    id,
                });
            }
            let shape = multipolygon(f.geometry).map_err(|reason| BoundaryError::Geometry {
                file: file.to_owned(),
                feature: k,
                id: id.clone(),
                reason,
            })?;
            b.index.insert(id.clone(), b.ids.len());
            b.ids.push(id);
            b.shapes.push(shape);
        }
        Ok(b)
    }

    /// The units of the embedded county level, parsed on first use: the
    /// county-level units (`data/counties.geojson`, keyed by adcode,
    /// `"110101"`), then Hong Kong and Macao (`data/sar_boundaries.geojson`,
    /// keyed by node id, `"hong-kong"`, `"macao"`).
    pub fn embedded_counties() -> Result<&'static Boundaries, BoundaryError> {
        static CELL: OnceLock<Result<Boundaries, BoundaryError>> = OnceLock::new();
        CELL.get_or_init(|| {
            let mut b =
                Boundaries::from_geojson("<embedded>/counties.geojson", COUNTIES_GEOJSON, "id")?;
            b.append(
                "<embedded>/sar_boundaries.geojson",
                Boundaries::from_geojson("<embedded>/sar_boundaries.geojson", SAR_GEOJSON, "id")?,
            )?;
            Ok(b)
        })
        .as_ref()
        .map_err(Clone::clone)
    }

    /// Adds the units of `other` (read from `file`) after these, in their
    /// order.
    ///
    /// # Errors
    /// [`BoundaryError::DuplicateId`] for a unit of `other` already here
    /// (`feature` is its index in `other`, `first` the index here); nothing
    /// is added then.
    pub fn append(&mut self, file: &str, other: Boundaries) -> Result<(), BoundaryError> {
        if let Some((k, id)) = other
            .ids
            .iter()
            .enumerate()
            .find(|(_, id)| self.index.contains_key(*id))
        {
            return Err(BoundaryError::DuplicateId {
                file: file.to_owned(),
                feature: k,
                first: self.index[id],
                id: id.clone(),
            });
        }
        for (id, shape) in other.ids.into_iter().zip(other.shapes) {
            self.index.insert(id.clone(), self.ids.len());
            self.ids.push(id);
            self.shapes.push(shape);
        }
        Ok(())
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no units.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The position of a unit (file order), if present.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The id of the unit at `i`. Panics if `i >= len()`.
    pub fn id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// The polygon of the unit at `i`. Panics if `i >= len()`.
    pub fn shape(&self, i: usize) -> &MultiPolygon<f64> {
        &self.shapes[i]
    }

    /// The polygon of a unit, if present.
    pub fn get(&self, id: &str) -> Option<&MultiPolygon<f64>> {
        self.index_of(id).map(|i| &self.shapes[i])
    }

    /// Units and their polygons, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &MultiPolygon<f64>)> {
        self.ids.iter().map(String::as_str).zip(&self.shapes)
    }

    /// The positions of `ids`, or the first unknown id.
    pub fn indices<I: AsRef<str>>(
        &self,
        ids: impl IntoIterator<Item = I>,
    ) -> Result<Vec<usize>, BoundaryError> {
        ids.into_iter()
            .map(|id| {
                let id = id.as_ref();
                self.index_of(id)
                    .ok_or_else(|| BoundaryError::UnknownUnit(id.to_owned()))
            })
            .collect()
    }
}

/// A checked, RFC 7946-oriented MultiPolygon from a raw geometry.
pub(super) fn multipolygon(g: Option<RawGeometry>) -> Result<MultiPolygon<f64>, String> {
    let polys: Vec<RawPolygon> = match g {
        None => return Err("missing".into()),
        Some(RawGeometry::Polygon(p)) => vec![p],
        Some(RawGeometry::MultiPolygon(m)) => m,
    };
    if polys.is_empty() {
        return Err("no polygon".into());
    }
    let mut out = Vec::with_capacity(polys.len());
    for (p, rings) in polys.into_iter().enumerate() {
        let mut rings = rings.into_iter().enumerate().map(|(r, ring)| {
            let coords: Vec<Coord<f64>> = ring.iter().map(|q| Coord { x: q.0, y: q.1 }).collect();
            if let Some(c) = coords.iter().find(|c| {
                !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0)
            }) {
                return Err(format!(
                    "polygon {p}, ring {r}: position [{}, {}] is not a longitude/latitude",
                    c.x, c.y
                ));
            }
            if coords.len() < 4 {
                return Err(format!(
                    "polygon {p}, ring {r}: {} positions, a ring needs at least 4",
                    coords.len()
                ));
            }
            if coords.first() != coords.last() {
                return Err(format!("polygon {p}, ring {r}: not closed"));
            }
            Ok(LineString(coords))
        });
        let exterior = rings
            .next()
            .unwrap_or_else(|| Err(format!("polygon {p}: no rings")))?;
        let holes = rings.collect::<Result<Vec<_>, _>>()?;
        out.push(Polygon::new(exterior, holes));
    }
    Ok(MultiPolygon(out).orient(geo::orient::Direction::Default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file_feature_and_id() {
        let fc =
            |features: &str| format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#);
        let sq = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;
        let open = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#;
        let f = |id: &str, g: &str| {
            format!(r#"{{"type":"Feature","properties":{{"id":{id}}},"geometry":{g}}}"#)
        };
        let e = Boundaries::from_geojson("u.geojson", &fc(&f("1", open)), "id").unwrap_err();
        assert!(
            matches!(&e, BoundaryError::Geometry { feature: 0, id, .. } if id == "1"),
            "{e}"
        );
        assert!(e.to_string().contains("u.geojson") && e.to_string().contains("not closed"));
        let two = format!("{},{}", f("\"a\"", sq), f("\"a\"", sq));
        let e = Boundaries::from_geojson("u.geojson", &fc(&two), "id").unwrap_err();
        assert!(matches!(
            e,
            BoundaryError::DuplicateId {
                feature: 1,
                first: 0,
                ..
            }
        ));
        let e = Boundaries::from_geojson("u.geojson", &fc(&f("null", sq)), "id").unwrap_err();
        assert!(matches!(e, BoundaryError::MissingId { feature: 0, .. }));
        let e = Boundaries::from_geojson("u.geojson", "{\"features\": [1]}", "id").unwrap_err();
        assert!(matches!(e, BoundaryError::Json { line: 1, .. }), "{e}");
        let far = r#"{"type":"Polygon","coordinates":[[[0,0],[181,0],[1,1],[0,0]]]}"#;
        let e = Boundaries::from_geojson("u.geojson", &fc(&f("2", far)), "id").unwrap_err();
        assert!(e.to_string().contains("[181, 0]"), "{e}");
    }

    #[test]
    fn clockwise_exteriors_are_turned_round() {
        use geo::Winding;
        let text = r#"{"features":[{"properties":{"k":7},"geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]}}]}"#;
        let b = Boundaries::from_geojson("t", text, "k").unwrap();
        assert!(b.get("7").unwrap().0[0].exterior().is_ccw());
    }

    #[test]
    fn embedded_counties_load_fast_and_are_keyed_by_adcode() {
        let t = std::time::Instant::now();
        let b = Boundaries::from_geojson("c", COUNTIES_GEOJSON, "id").unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        eprintln!("counties.geojson parsed in {ms:.1} ms");
        assert_eq!(b.len(), 2989);
        assert_eq!(b.id(0), "110101");
        assert!(b.get("310106").is_some(), "Jing'an");
        assert_eq!(
            b.indices(["110101", "999999"]),
            Err(BoundaryError::UnknownUnit("999999".into()))
        );
    }

    #[test]
    fn embedded_units_add_the_sars_by_node_id() {
        use geo::{GeodesicArea, Winding};
        let b = Boundaries::embedded_counties().unwrap();
        assert_eq!(b.len(), 2991);
        assert_eq!(b.index_of("hong-kong"), Some(2989));
        assert_eq!(b.index_of("macao"), Some(2990));
        // The country outline less the county units: Hong Kong 1,110 km²,
        // Macao 33.8 km² (land areas about 1,106 and 33).
        for (id, km2) in [("hong-kong", 1110.3), ("macao", 33.8)] {
            let s = b.get(id).unwrap();
            assert!(s.0.iter().all(|p| p.exterior().is_ccw()), "{id}");
            let a = s.geodesic_area_unsigned() / 1e6;
            assert!((a / km2 - 1.0).abs() < 0.01, "{id}: {a} km²");
        }
    }

    #[test]
    fn append_refuses_a_unit_already_there() {
        let sq = |id: &str| {
            format!(
                r#"{{"features":[{{"properties":{{"id":"{id}"}},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}}}]}}"#
            )
        };
        let mut a = Boundaries::from_geojson("a", &sq("x"), "id").unwrap();
        let b = Boundaries::from_geojson("b", &sq("y"), "id").unwrap();
        a.append("b", b).unwrap();
        assert_eq!((a.len(), a.index_of("y")), (2, Some(1)));
        let c = Boundaries::from_geojson("c", &sq("x"), "id").unwrap();
        let e = a.append("c", c).unwrap_err();
        assert!(
            matches!(e, BoundaryError::DuplicateId { feature: 0, first: 0, ref id, .. } if id == "x"),
            "{e}"
        );
        assert_eq!(a.len(), 2);
    }
}
