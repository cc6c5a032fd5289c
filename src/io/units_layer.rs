//! The `counties` layer: every county-level unit as a MultiPolygon with its
//! census attributes, plus any per-unit columns a caller adds (minutes from
//! each core, circle membership, ...), styled as a density choropleth.

use super::layer::{FieldType, GeometryType, Layer, LayerError, Value};
use super::qgis::StyledLayer;
use super::qml::Style;
use crate::geometry::Boundaries;
use crate::model::City;

/// An extra per-unit column: field name, type and one value per unit row.
pub type UnitColumn = (String, FieldType, Vec<Value>);

/// Value rounded to `d` decimals (non-finite values become null).
fn round(v: f64, d: i32) -> Value {
    let k = 10f64.powi(d);
    Value::from((v * k).round() / k)
}

/// The `counties` layer: one feature per county unit of `rows` (nodes of
/// kind county, in their order), its polygon from `boundaries` (by the
/// unit's `id`), the fields `name`
/// (English, else Chinese), `name_zh`, `kind`, `prefecture`, `province`,
/// `adcode`, `pop_2020`, `pop_2010`, `growth_pct` (2010–2020 change, %),
/// `urban_share` (城镇 share, %), `area_km2` (the unit's, else its polygon's
/// geodesic area) and `density` (people per km²),
/// then the `extra` columns in order.
///
/// # Errors
/// [`LayerError::NoGeometry`] for a row without a boundary,
/// [`LayerError::ColumnLength`] for an extra column whose length is not the
/// number of rows; names and values are checked as by [`Layer::check`].
pub fn counties_layer(
    boundaries: &Boundaries,
    rows: &[&City],
    extra: Vec<UnitColumn>,
) -> Result<StyledLayer, LayerError> {
    const NAME: &str = "counties";
    let mut fields: Vec<(&str, FieldType)> = vec![
        ("name", FieldType::Text),
        ("name_zh", FieldType::Text),
        ("kind", FieldType::Text),
        ("prefecture", FieldType::Text),
        ("province", FieldType::Text),
        ("adcode", FieldType::Integer),
        ("pop_2020", FieldType::Integer),
        ("pop_2010", FieldType::Integer),
        ("growth_pct", FieldType::Real),
        ("urban_share", FieldType::Real),
        ("area_km2", FieldType::Real),
        ("density", FieldType::Real),
    ];
    for (n, t, v) in &extra {
        if v.len() != rows.len() {
            return Err(LayerError::ColumnLength {
                layer: NAME.into(),
                field: n.clone(),
                expected: rows.len(),
                got: v.len(),
            });
        }
        fields.push((n.as_str(), *t));
    }
    let mut l = Layer::new(
        NAME,
        "County-level units (districts, county-level cities, counties, banners, functional areas): 2020 and 2010 census population, growth, urban share, area and density",
        GeometryType::MultiPolygon,
        &fields,
    );
    for (i, r) in rows.iter().enumerate() {
        let shape = boundaries
            .get(&r.id)
            .ok_or_else(|| LayerError::NoGeometry {
                layer: NAME.into(),
                feature: r.id.clone(),
            })?;
        let growth = r.pop_2010.filter(|&p| p > 0).map_or(Value::Null, |p| {
            round(100.0 * (r.pop_2020 as f64 / p as f64 - 1.0), 2)
        });
        // A unit without a recorded area (Hong Kong, Macao): its polygon's.
        let area = r
            .area_km2
            .unwrap_or_else(|| crate::algorithms::area_km2(shape));
        let density = if area > 0.0 {
            round(r.pop_2020 as f64 / area, 1)
        } else {
            Value::Null
        };
        let mut values = vec![
            if r.name.is_empty() {
                r.name_zh.as_str()
            } else {
                r.name.as_str()
            }
            .into(),
            r.name_zh.as_str().into(),
            r.level.clone().into(),
            r.prefecture.clone().into(),
            r.province.as_str().into(),
            r.adcode.map_or(Value::Null, |a| Value::Int(i64::from(a))),
            r.pop_2020.into(),
            r.pop_2010.into(),
            growth,
            r.urban_share_2020
                .map_or(Value::Null, |s| round(100.0 * s, 2)),
            round(area, 2),
            density,
        ];
        values.extend(extra.iter().map(|(_, _, v)| v[i].clone()));
        l.push(
            r.id.clone(),
            geo::Geometry::MultiPolygon(shape.clone()),
            values,
        );
    }
    l.check()?;
    Ok(StyledLayer {
        layer: l,
        style: Style::Choropleth {
            field: "density".into(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::CountySource;

    #[test]
    fn every_unit_has_its_polygon_attributes_and_extra_columns() {
        let b = Boundaries::embedded_counties().unwrap();
        let units = CountySource::Embedded.units().unwrap();
        let rows: Vec<&City> = units.iter().collect();
        let minutes: Vec<Value> = (0..rows.len()).map(|i| Value::Real(i as f64)).collect();
        let sl = counties_layer(
            b,
            &rows,
            vec![("minutes_beijing".into(), FieldType::Real, minutes)],
        )
        .unwrap();
        let l = &sl.layer;
        assert_eq!(l.features.len(), 2989);
        let f = &l.features[0];
        assert_eq!(f.id, "110101");
        let get = |n: &str| &f.values[l.field_index(n).unwrap()];
        assert_eq!(get("name"), &Value::Text("Dongcheng".into()));
        assert_eq!(get("pop_2020"), &Value::Int(708_829));
        // 708,829 / 919,253 − 1 = −22.89 %; 708,829 / 41.98 km² = 16,884.9.
        assert_eq!(get("growth_pct"), &Value::Real(-22.89));
        assert_eq!(get("density"), &Value::Real(16_884.9));
        assert_eq!(get("urban_share"), &Value::Real(100.0));
        assert_eq!(get("minutes_beijing"), &Value::Real(0.0));
        let q = sl.qml();
        assert_eq!(q.matches("<range ").count(), 5);
        assert!(q.contains("attr=\"density\""));
        let short = vec![("x".to_owned(), FieldType::Integer, vec![Value::Int(1)])];
        assert!(matches!(
            counties_layer(b, &rows, short),
            Err(LayerError::ColumnLength { got: 1, .. })
        ));
        let mut odd = rows[0].clone();
        odd.id = "999999".into();
        assert!(matches!(
            counties_layer(b, &[&odd], vec![]),
            Err(LayerError::NoGeometry { .. })
        ));
    }
}
