//! [`Basemap`]: what a map draws under its data — the country outline (land
//! and coast), province borders and county-level unit borders.

use std::sync::OnceLock;

use geo::MultiPolygon;

use super::boundaries::{Boundaries, BoundaryError, multipolygon};
use super::parse;

/// `data/provinces.geojson`, embedded: 31 province outlines (`layer` =
/// `province`, `code` = adcode) and the country outline (`layer` = `country`).
const PROVINCES_GEOJSON: &str = include_str!("../../data/provinces.geojson");

/// The outlines of a basemap: provinces and the country.
#[derive(Debug, Clone, PartialEq)]
pub struct Basemap {
    /// The country outline (every land polygon, islands included).
    pub country: MultiPolygon<f64>,
    /// Province outlines by code, in file order.
    pub provinces: Vec<(String, MultiPolygon<f64>)>,
    /// County-level units, drawn as light borders.
    pub units: &'static Boundaries,
}

impl Basemap {
    /// The embedded basemap (`data/provinces.geojson` and
    /// `data/counties.geojson`), parsed on first use.
    pub fn embedded() -> Result<&'static Basemap, BoundaryError> {
        static CELL: OnceLock<Result<Basemap, BoundaryError>> = OnceLock::new();
        CELL.get_or_init(|| {
            let (country, provinces) = outlines("<embedded>/provinces.geojson", PROVINCES_GEOJSON)?;
            Ok(Basemap {
                country,
                provinces,
                units: Boundaries::embedded_counties()?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
    }
}

/// The country outline (features with `layer` = `country`, merged) and the
/// provinces (`layer` = `province`, keyed by `code`) of an outline file.
type Outlines = (MultiPolygon<f64>, Vec<(String, MultiPolygon<f64>)>);

fn outlines(file: &str, text: &str) -> Result<Outlines, BoundaryError> {
    let mut country = MultiPolygon(Vec::new());
    let mut provinces = Vec::new();
    for (k, f) in parse::features(file, text)?.into_iter().enumerate() {
        let props = f.properties.unwrap_or_default();
        let layer = props.get("layer").and_then(|v| v.as_str()).unwrap_or("");
        let code =
            props
                .get("code")
                .and_then(parse::id_text)
                .ok_or_else(|| BoundaryError::MissingId {
                    file: file.to_owned(),
                    feature: k,
                    property: "code".into(),
                })?;
        let shape = multipolygon(f.geometry).map_err(|reason| BoundaryError::Geometry {
            file: file.to_owned(),
            feature: k,
            id: code.clone(),
            reason,
        })?;
        match layer {
            "country" => country.0.extend(shape.0),
            _ => provinces.push((code, shape)),
        }
    }
    Ok((country, provinces))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_basemap_has_31_provinces_and_the_country() {
        let b = Basemap::embedded().unwrap();
        assert_eq!(b.provinces.len(), 31);
        assert!(b.country.0.len() > 10, "islands are polygons of their own");
        assert!(b.provinces.iter().any(|(c, _)| c == "110000"));
        // 2,989 county units, then Hong Kong and Macao.
        assert_eq!(b.units.len(), 2991);
    }
}
