//! A generic vector layer: named, typed fields and one geometry type, written
//! to GeoJSON ([`super::layer_to_geojson`]), GeoPackage ([`super::write_gpkg`])
//! and styled for QGIS ([`super::Style`]).
//!
//! Every layer produced by `agglo` carries a stable text `id` and both a
//! `name` and a `name_zh` field for labels; [`Layer::check`] verifies that
//! each feature has the layer's geometry type and one value of the right type
//! per field before anything is written.

use std::path::PathBuf;

/// Geometry type of a layer: every feature has exactly this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GeometryType {
    /// Cities.
    Point,
    /// Links.
    LineString,
    /// Circles (always written as MultiPolygon, even for one part).
    MultiPolygon,
}

impl GeometryType {
    /// The OGC name (`POINT`, `LINESTRING`, `MULTIPOLYGON`).
    pub fn ogc_name(self) -> &'static str {
        match self {
            GeometryType::Point => "POINT",
            GeometryType::LineString => "LINESTRING",
            GeometryType::MultiPolygon => "MULTIPOLYGON",
        }
    }
    fn matches(self, g: &geo::Geometry<f64>) -> bool {
        matches!(
            (self, g),
            (GeometryType::Point, geo::Geometry::Point(_))
                | (GeometryType::LineString, geo::Geometry::LineString(_))
                | (GeometryType::MultiPolygon, geo::Geometry::MultiPolygon(_))
        )
    }
}

/// Type of an attribute field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// 64-bit integer.
    Integer,
    /// Double-precision number.
    Real,
    /// UTF-8 text.
    Text,
    /// True or false.
    Boolean,
}

/// One attribute value; `Null` is allowed in every field.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Missing.
    Null,
    /// An integer.
    Int(i64),
    /// A number.
    Real(f64),
    /// Text.
    Text(String),
    /// A flag.
    Bool(bool),
}

impl Value {
    fn fits(&self, t: FieldType) -> bool {
        matches!(
            (self, t),
            (Value::Null, _)
                | (Value::Int(_), FieldType::Integer)
                | (Value::Real(_), FieldType::Real)
                | (Value::Text(_), FieldType::Text)
                | (Value::Bool(_), FieldType::Boolean)
        )
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Text(s)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        if v.is_finite() {
            Value::Real(v)
        } else {
            Value::Null
        }
    }
}
impl From<u64> for Value {
    fn from(v: u64) -> Value {
        i64::try_from(v).map(Value::Int).unwrap_or(Value::Null)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Value {
        i64::try_from(v).map(Value::Int).unwrap_or(Value::Null)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

/// One feature: a stable id, a geometry (lon = x, lat = y) and one value per field.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerFeature {
    /// Stable id, unique within the layer (also written as the `id` field).
    pub id: String,
    /// The geometry, WGS84 degrees.
    pub geometry: geo::Geometry<f64>,
    /// Values in the order of [`Layer::fields`].
    pub values: Vec<Value>,
}

/// A named layer of features sharing one geometry type and one field list.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// Table and file base name (ASCII, e.g. `cities`, `circles`).
    pub name: String,
    /// A one-line description (GeoPackage `description`, README.txt).
    pub description: String,
    /// Geometry type of every feature.
    pub geometry_type: GeometryType,
    /// Field names and types, in order; `id` is implicit and comes first.
    pub fields: Vec<(String, FieldType)>,
    /// The features, in output order.
    pub features: Vec<LayerFeature>,
}

/// A layer that cannot be written, or a file that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    /// A feature's geometry is not the layer's type.
    #[error("layer `{layer}`, feature `{feature}`: geometry is not a {expected:?}")]
    GeometryType {
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// The layer's geometry type.
        expected: GeometryType,
    },
    /// A feature has too few or too many values.
    #[error("layer `{layer}`, feature `{feature}`: {got} values for {expected} fields")]
    ValueCount {
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// Number of fields.
        expected: usize,
        /// Number of values.
        got: usize,
    },
    /// A value does not fit its field's type.
    #[error(
        "layer `{layer}`, feature `{feature}`: field `{field}` expects {expected:?}, got {got:?}"
    )]
    ValueType {
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// The field.
        field: String,
        /// The field's type.
        expected: FieldType,
        /// The value.
        got: Value,
    },
    /// Two features share an id, or a field name is repeated or reserved.
    #[error("layer `{layer}`: duplicate or reserved name `{name}`")]
    Duplicate {
        /// The layer.
        layer: String,
        /// The repeated id or field name.
        name: String,
    },
    /// An extra column has not one value per feature.
    #[error("layer `{layer}`, field `{field}`: {got} values for {expected} features")]
    ColumnLength {
        /// The layer.
        layer: String,
        /// The column.
        field: String,
        /// Number of features.
        expected: usize,
        /// Number of values.
        got: usize,
    },
    /// A feature has no geometry (a unit without a boundary).
    #[error("layer `{layer}`, feature `{feature}`: no geometry")]
    NoGeometry {
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
    },
    /// A layer name is empty or not made of ASCII letters, digits and `_`.
    #[error("layer name `{0}` must be ASCII letters, digits and `_`")]
    BadName(String),
    /// SQLite failed while writing a GeoPackage.
    #[error("cannot write GeoPackage {path}: {source}")]
    Sqlite {
        /// The output file.
        path: PathBuf,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The output file could not be written.
    #[error(transparent)]
    Write(#[from] crate::error::WriteError),
}

/// Field names every writer adds itself.
const RESERVED: [&str; 3] = ["fid", "geom", "id"];

impl Layer {
    /// An empty layer.
    pub fn new(
        name: &str,
        description: &str,
        geometry_type: GeometryType,
        fields: &[(&str, FieldType)],
    ) -> Layer {
        Layer {
            name: name.to_owned(),
            description: description.to_owned(),
            geometry_type,
            fields: fields.iter().map(|(n, t)| ((*n).to_owned(), *t)).collect(),
            features: Vec::new(),
        }
    }

    /// Appends a feature (checked later by [`Layer::check`]).
    pub fn push(
        &mut self,
        id: impl Into<String>,
        geometry: geo::Geometry<f64>,
        values: Vec<Value>,
    ) {
        self.features.push(LayerFeature {
            id: id.into(),
            geometry,
            values,
        });
    }

    /// The index of a field by name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|(n, _)| n == name)
    }

    /// Checks the name, field names, feature ids, geometry types and value types.
    pub fn check(&self) -> Result<(), LayerError> {
        let ok_name =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !ok_name(&self.name) {
            return Err(LayerError::BadName(self.name.clone()));
        }
        let dup = |name: &str| LayerError::Duplicate {
            layer: self.name.clone(),
            name: name.to_owned(),
        };
        let mut seen = std::collections::BTreeSet::new();
        for (n, _) in &self.fields {
            if !ok_name(n) {
                return Err(LayerError::BadName(n.clone()));
            }
            if RESERVED.contains(&n.as_str()) || !seen.insert(n.as_str()) {
                return Err(dup(n));
            }
        }
        let mut ids = std::collections::BTreeSet::new();
        for f in &self.features {
            if !ids.insert(f.id.as_str()) {
                return Err(dup(&f.id));
            }
            if !self.geometry_type.matches(&f.geometry) {
                return Err(LayerError::GeometryType {
                    layer: self.name.clone(),
                    feature: f.id.clone(),
                    expected: self.geometry_type,
                });
            }
            if f.values.len() != self.fields.len() {
                return Err(LayerError::ValueCount {
                    layer: self.name.clone(),
                    feature: f.id.clone(),
                    expected: self.fields.len(),
                    got: f.values.len(),
                });
            }
            for ((name, t), v) in self.fields.iter().zip(&f.values) {
                if !v.fits(*t) {
                    return Err(LayerError::ValueType {
                        layer: self.name.clone(),
                        feature: f.id.clone(),
                        field: name.clone(),
                        expected: *t,
                        got: v.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The layer's attributes as a result table: one row per feature, the
    /// feature id (with `with_id`) then the fields in order (the geometry left
    /// out), so that a result built as a layer prints as a table, CSV or JSON
    /// too.
    pub fn to_table(&self, with_id: bool) -> crate::table::Table {
        use crate::table::Cell;
        let mut cols: Vec<&str> = if with_id { vec!["id"] } else { vec![] };
        cols.extend(self.fields.iter().map(|(n, _)| n.as_str()));
        let mut t = crate::table::Table::new(&cols);
        for f in &self.features {
            let mut row: Vec<Cell> = if with_id {
                vec![Cell::Str(f.id.clone())]
            } else {
                vec![]
            };
            row.extend(f.values.iter().map(|v| match v {
                Value::Null => Cell::Empty,
                Value::Int(i) => Cell::Int(*i),
                Value::Real(x) => Cell::Float(*x, 1),
                Value::Text(s) => Cell::Str(s.clone()),
                Value::Bool(b) => Cell::Bool(*b),
            }));
            t.push(row);
        }
        t
    }

    /// Bounding box `(min_x, min_y, max_x, max_y)` of all features, if any.
    pub fn extent(&self) -> Option<[f64; 4]> {
        use geo::BoundingRect;
        self.features
            .iter()
            .filter_map(|f| f.geometry.bounding_rect())
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y])
            .reduce(|a, b| {
                [
                    a[0].min(b[0]),
                    a[1].min(b[1]),
                    a[2].max(b[2]),
                    a[3].max(b[3]),
                ]
            })
    }
}

/// Rounds coordinates to 6 decimals and orients polygons counter-clockwise
/// (exterior) and clockwise (holes), as RFC 7946 asks; both writers use it.
pub(crate) fn normalise(g: &geo::Geometry<f64>) -> geo::Geometry<f64> {
    use geo::{MapCoords, Orient};
    let r = g.map_coords(|c| geo::Coord {
        x: super::geojson_io::round6(c.x),
        y: super::geojson_io::round6(c.y),
    });
    match r {
        geo::Geometry::MultiPolygon(mp) => {
            geo::Geometry::MultiPolygon(mp.orient(geo::orient::Direction::Default))
        }
        geo::Geometry::Polygon(p) => {
            geo::Geometry::Polygon(p.orient(geo::orient::Direction::Default))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::*;

    fn pt() -> geo::Geometry<f64> {
        geo::Geometry::Point(geo::Point::new(104.07, 30.57))
    }

    #[test]
    fn check_names_the_bad_feature_and_field() {
        let mut l = Layer::new("c", "", GeometryType::Point, &[("pop", FieldType::Integer)]);
        l.push("a", pt(), vec![Value::Int(1)]);
        assert!(l.check().is_ok());
        l.push("b", pt(), vec![Value::Text("1".into())]);
        let e = l.check().unwrap_err().to_string();
        assert!(e.contains("`b`") && e.contains("`pop`"), "{e}");
        l.features.pop();
        l.push("a", pt(), vec![Value::Null]);
        assert!(matches!(l.check(), Err(LayerError::Duplicate { .. })));
        l.features.pop();
        let line = geo::Geometry::LineString(vec![(0.0, 0.0), (1.0, 1.0)].into());
        l.push("z", line, vec![Value::Null]);
        assert!(matches!(l.check(), Err(LayerError::GeometryType { .. })));
        let bad = Layer::new("c", "", GeometryType::Point, &[("id", FieldType::Text)]);
        assert!(matches!(bad.check(), Err(LayerError::Duplicate { .. })));
        assert!(matches!(
            Layer::new("a b", "", GeometryType::Point, &[]).check(),
            Err(LayerError::BadName(_))
        ));
    }

    #[test]
    fn normalise_makes_exteriors_counter_clockwise_and_rounds() {
        use geo::Winding;
        let cw =
            polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0000004), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
        assert!(cw.exterior().is_cw());
        let g = normalise(&geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![cw])));
        let geo::Geometry::MultiPolygon(mp) = g else {
            panic!("type kept")
        };
        assert!(mp.0[0].exterior().is_ccw());
        assert!(mp.0[0].exterior().coords().any(|c| c.y == 1.0));
    }
}
