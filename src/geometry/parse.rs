//! A fast reader of polygon FeatureCollections: typed serde structs, so the
//! coordinates go straight into `f64` pairs without an intermediate JSON tree
//! (the embedded 5.4 MB county file parses in a few tens of milliseconds).
//!
//! Only what boundaries need is read: each feature's `properties` (as a JSON
//! map), its top-level `id` and a `Polygon` or `MultiPolygon` geometry. Extra
//! members are ignored; a third coordinate is dropped.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};

use super::boundaries::BoundaryError;

/// A position: longitude (x) and latitude (y); further numbers are ignored.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pos(pub f64, pub f64);

impl<'de> Deserialize<'de> for Pos {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Pos, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pos;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a position [longitude, latitude]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pos, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Pos(x, y))
            }
        }
        d.deserialize_seq(V)
    }
}

/// Rings of one polygon: exterior first, then holes.
pub(super) type RawPolygon = Vec<Vec<Pos>>;

#[derive(Debug, Deserialize)]
#[serde(tag = "type", content = "coordinates")]
pub(super) enum RawGeometry {
    Polygon(RawPolygon),
    MultiPolygon(Vec<RawPolygon>),
}

#[derive(Debug, Deserialize)]
pub(super) struct RawFeature {
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    #[serde(default)]
    pub properties: Option<serde_json::Map<String, serde_json::Value>>,
    pub geometry: Option<RawGeometry>,
}

#[derive(Debug, Deserialize)]
struct RawCollection {
    features: Vec<RawFeature>,
}

/// The features of a FeatureCollection; `file` names the input in errors.
pub(super) fn features(file: &str, text: &str) -> Result<Vec<RawFeature>, BoundaryError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str::<RawCollection>(text)
        .map(|c| c.features)
        .map_err(|e| BoundaryError::Json {
            file: file.to_owned(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })
}

/// A property or feature id as text: strings as they are, integers in
/// decimal; other values give `None`.
pub(super) fn id_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}
