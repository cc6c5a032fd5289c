//! A [`Layer`] as an RFC 7946 GeoJSON FeatureCollection, built with the
//! `geojson` crate: WGS84 lon/lat rounded to 6 decimals, counter-clockwise
//! exterior rings, one geometry type, typed properties (numbers stay numbers,
//! missing values are `null` so every feature lists every field), the stable
//! `id` both as the feature id and as the first property, and the layer name
//! as the collection's `name` member (which GDAL reads as the layer name).

use std::path::Path;

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde_json::json;

use super::layer::{Layer, LayerError, Value, normalise};
use super::write_atomic;

fn json_value(v: &Value) -> JsonValue {
    match v {
        Value::Null => JsonValue::Null,
        Value::Int(i) => json!(i),
        Value::Real(f) => json!(f),
        Value::Text(s) => json!(s),
        Value::Bool(b) => json!(b),
    }
}

/// The layer as a FeatureCollection (checked first, see [`Layer::check`]).
pub fn layer_to_geojson(layer: &Layer) -> Result<FeatureCollection, LayerError> {
    layer.check()?;
    let features: Vec<Feature> = layer
        .features
        .iter()
        .map(|f| {
            let mut props = JsonObject::new();
            props.insert("id".into(), json!(f.id));
            for ((name, _), v) in layer.fields.iter().zip(&f.values) {
                props.insert(name.clone(), json_value(v));
            }
            Feature {
                bbox: None,
                geometry: Some(Geometry::from(&normalise(&f.geometry))),
                id: Some(geojson::feature::Id::String(f.id.clone())),
                properties: Some(props),
                foreign_members: None,
            }
        })
        .collect();
    let mut fc = FeatureCollection::new(features);
    let mut fm = JsonObject::new();
    fm.insert("name".into(), json!(layer.name));
    fc.foreign_members = Some(fm);
    Ok(fc)
}

/// Writes the layer as GeoJSON to `path` (atomically).
pub fn write_layer_geojson(path: &Path, layer: &Layer) -> Result<(), LayerError> {
    let fc = layer_to_geojson(layer)?;
    let mut text = serde_json::to_string(&fc).map_err(|e| crate::error::WriteError::Serialise {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    text.push('\n');
    write_atomic(path, text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::layer::{FieldType, GeometryType};
    use super::*;

    #[test]
    fn properties_are_typed_and_coordinates_rounded() {
        let mut l = Layer::new(
            "cities",
            "",
            GeometryType::Point,
            &[
                ("name", FieldType::Text),
                ("pop", FieldType::Integer),
                ("share", FieldType::Real),
                ("core", FieldType::Boolean),
            ],
        );
        l.push(
            "chengdu",
            geo::Geometry::Point(geo::Point::new(104.066_666_66, 30.572_222_2)),
            vec![
                "Chengdu".into(),
                Value::Int(20_937_757),
                Value::Real(0.5),
                Value::Bool(true),
            ],
        );
        l.push(
            "x",
            geo::Geometry::Point(geo::Point::new(1.0, 2.0)),
            vec![Value::Null; 4],
        );
        let v: JsonValue = serde_json::to_value(layer_to_geojson(&l).unwrap()).unwrap();
        let f = &v["features"][0];
        assert_eq!(f["id"], "chengdu");
        assert_eq!(f["properties"]["pop"], json!(20_937_757));
        assert!(f["properties"]["pop"].is_i64());
        assert!(f["properties"]["core"].is_boolean());
        assert_eq!(f["geometry"]["coordinates"], json!([104.066667, 30.572222]));
        assert!(v["features"][1]["properties"]["pop"].is_null());
        assert_eq!(v["name"], "cities");
    }
}
