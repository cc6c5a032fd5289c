//! The layers `agglo` hands to QGIS, and the QGIS folder writer.
//!
//! - `cities` (Point): every city with its census figures.
//! - `links` (LineString): every link with mode, minutes, km and services.
//! - `circles` (MultiPolygon): commuting circles, one per core and budget.
//! - `centrality` (Point): one numeric measure per city (see [`centrality_layer`]).
//! - `counties` (MultiPolygon): county-level units with census attributes
//!   (see [`super::counties_layer`]).
//!
//! Every layer has a stable text `id` and `name` / `name_zh` label fields.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::layer::{FieldType, GeometryType, Layer, LayerError, Value};
use super::layer_geojson::write_layer_geojson;
use super::output_set::{FolderSet, Ownership, Replace};
use super::qml::{Style, qml};
use super::{write_atomic, write_gpkg};
use crate::algorithms::CommutingCircle;
use crate::model::CityIdx;
use crate::network::Network;

/// A layer with its default QGIS style.
#[derive(Debug, Clone, PartialEq)]
pub struct StyledLayer {
    /// The features.
    pub layer: Layer,
    /// The style written beside it.
    pub style: Style,
}

impl StyledLayer {
    /// The `.qml` text of the style.
    pub fn qml(&self) -> String {
        qml(&self.style, &self.layer)
    }
}

fn point(net: &Network, c: CityIdx) -> geo::Geometry<f64> {
    geo::Geometry::Point(net.city(c).point())
}

/// Every city as a Point, labelled by `label_field` (`name` or `name_zh`).
pub fn cities_layer(net: &Network, label_field: &str) -> StyledLayer {
    let mut l = Layer::new(
        "cities",
        "Cities (nodes): 2020 and 2010 census population, access minutes to stations, agglomerations",
        GeometryType::Point,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("province", FieldType::Text),
            ("adcode", FieldType::Integer),
            ("level", FieldType::Text),
            ("pop_2020", FieldType::Integer),
            ("pop_2010", FieldType::Integer),
            ("urban_pop_2020", FieldType::Integer),
            ("access_hsr_min", FieldType::Real),
            ("access_rail_min", FieldType::Real),
            ("agglomerations", FieldType::Text),
        ],
    );
    for (i, c) in net.cities().iter().enumerate() {
        let aggs: Vec<&str> = net
            .agglomerations()
            .iter()
            .filter(|a| a.members.contains(&(i as CityIdx)))
            .map(|a| a.id.as_str())
            .collect();
        l.push(
            c.id.clone(),
            point(net, i as CityIdx),
            vec![
                c.name.as_str().into(),
                c.name_zh.as_str().into(),
                c.province.as_str().into(),
                c.adcode
                    .map(|v| Value::Int(i64::from(v)))
                    .unwrap_or(Value::Null),
                c.level.clone().into(),
                c.pop_2020.into(),
                c.pop_2010.into(),
                c.urban_pop_2020.into(),
                c.access_hsr_min.into(),
                c.access_rail_min.into(),
                if aggs.is_empty() {
                    Value::Null
                } else {
                    aggs.join(";").into()
                },
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::Cities {
            size_field: "pop_2020".into(),
            label_field: label_field.into(),
        },
    }
}

/// Every link as a LineString (its own geometry or the straight segment).
pub fn links_layer(net: &Network) -> StyledLayer {
    let mut l = Layer::new(
        "links",
        "Links (edges): mode, in-vehicle or driving minutes, km, services per day, line",
        GeometryType::LineString,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("from", FieldType::Text),
            ("to", FieldType::Text),
            ("mode", FieldType::Text),
            ("minutes", FieldType::Real),
            ("km", FieldType::Real),
            ("services_per_day", FieldType::Real),
            ("line", FieldType::Text),
            ("opened", FieldType::Integer),
            ("oneway", FieldType::Boolean),
        ],
    );
    for (i, k) in net.links().iter().enumerate() {
        let (a, b) = (net.city(k.from), net.city(k.to));
        l.push(
            format!("link-{i}"),
            geo::Geometry::LineString(net.link_geometry(i)),
            vec![
                format!("{} – {}", a.name, b.name).into(),
                format!("{}–{}", a.name_zh, b.name_zh).into(),
                a.id.as_str().into(),
                b.id.as_str().into(),
                k.mode.as_str().into(),
                k.minutes.into(),
                k.km.into(),
                k.services_per_day.into(),
                k.line.clone().into(),
                k.opened
                    .map(|y| Value::Int(i64::from(y)))
                    .unwrap_or(Value::Null),
                k.oneway.into(),
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::Links,
    }
}

/// Commuting circles as MultiPolygons (empty polygons are left out).
pub fn circles_layer(net: &Network, circles: &[CommutingCircle]) -> StyledLayer {
    let mut l = Layer::new(
        "circles",
        "Commuting circles: area reachable door to door from a core within `minutes`, with the cities and population inside",
        GeometryType::MultiPolygon,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("agglomeration", FieldType::Text),
            ("core", FieldType::Text),
            ("minutes", FieldType::Real),
            ("cities", FieldType::Integer),
            ("population", FieldType::Integer),
            ("share", FieldType::Real),
            ("area_km2", FieldType::Real),
        ],
    );
    for c in circles.iter().filter(|c| !c.polygon.0.is_empty()) {
        let join = |f: &dyn Fn(CityIdx) -> String, sep: &str| {
            c.cores.iter().map(|&o| f(o)).collect::<Vec<_>>().join(sep)
        };
        let core = join(&|o| net.city(o).id.clone(), "+");
        let en = join(&|o| net.city(o).name.clone(), " + ");
        let zh = join(&|o| net.city(o).name_zh.clone(), "+");
        l.push(
            format!("{}:{}:{}", c.agglomeration, core, c.minutes),
            geo::Geometry::MultiPolygon(c.polygon.clone()),
            vec![
                format!("{en} {} min", c.minutes).into(),
                format!("{zh} {}分钟", c.minutes).into(),
                c.agglomeration.as_str().into(),
                core.into(),
                c.minutes.into(),
                c.cities.len().into(),
                c.population.into(),
                ((c.member_share * 1000.0).round() / 1000.0).into(),
                c.area_km2.round().into(),
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::Circles {
            field: "minutes".into(),
        },
    }
}

/// The units inside commuting circles as a Point layer named
/// `circle_units`: one feature per circle and unit reached within `budget`
/// minutes (feature id `agglomeration:core:unit`), with the unit's id, its
/// minutes, whether it is a member of the agglomeration, and its population.
pub fn circle_units_layer(net: &Network, circles: &[CommutingCircle], budget: f64) -> StyledLayer {
    let mut l = Layer::new(
        "circle_units",
        "Units inside commuting circles: door-to-door minutes from the core, membership and population",
        GeometryType::Point,
        &[
            ("unit", FieldType::Text),
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("kind", FieldType::Text),
            ("prefecture", FieldType::Text),
            ("agglomeration", FieldType::Text),
            ("core", FieldType::Text),
            ("minutes", FieldType::Real),
            ("member", FieldType::Boolean),
            ("pop_2020", FieldType::Integer),
        ],
    );
    let ags: std::collections::HashMap<&str, &crate::model::Agglomeration> = net
        .agglomerations()
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    for c in circles.iter().filter(|c| c.minutes == budget) {
        let core: Vec<&str> = c.cores.iter().map(|&o| net.city(o).id.as_str()).collect();
        let core = core.join("+");
        let members = ags.get(c.agglomeration.as_str()).map(|a| &a.members);
        for &(u, m) in &c.cities {
            let city = net.city(u);
            l.push(
                format!("{}:{}:{}", c.agglomeration, core, city.id),
                point(net, u),
                vec![
                    city.id.as_str().into(),
                    city.name.as_str().into(),
                    city.name_zh.as_str().into(),
                    city.kind.as_str().into(),
                    net.city(net.prefecture_of(u)).id.as_str().into(),
                    c.agglomeration.as_str().into(),
                    core.as_str().into(),
                    ((m * 10.0).round() / 10.0).into(),
                    members.is_some_and(|ms| ms.contains(&u)).into(),
                    city.pop_2020.into(),
                ],
            );
        }
    }
    StyledLayer {
        layer: l,
        style: Style::Cities {
            size_field: "pop_2020".into(),
            label_field: "name".into(),
        },
    }
}

/// Centrality scores as a Point layer named `centrality`: one feature per
/// `(agglomeration id, city, score)` row (non-finite scores are left out),
/// the score in a field named after `measure` (letters, digits and `_`;
/// other characters become `_`) and its rank within the agglomeration
/// (1 = highest; equal scores share a rank), graduated by the score and
/// labelled by `label_field` (`name` or `name_zh`).
pub fn centrality_layer(
    net: &Network,
    measure: &str,
    rows: &[(String, CityIdx, f64)],
    label_field: &str,
) -> StyledLayer {
    let field: String = measure
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let reserved = [
        "id",
        "fid",
        "geom",
        "name",
        "name_zh",
        "agglomeration",
        "pop_2020",
        "rank",
    ];
    let field = if field.is_empty() || reserved.contains(&field.as_str()) {
        format!("score_{field}")
    } else {
        field
    };
    let mut order: Vec<&(String, CityIdx, f64)> = rows.iter().filter(|r| r.2.is_finite()).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
    let mut l = Layer::new(
        "centrality",
        "Centrality of each member city within its agglomeration: the measure's score and rank (1 = most central)",
        GeometryType::Point,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("agglomeration", FieldType::Text),
            ("pop_2020", FieldType::Integer),
            (&field, FieldType::Real),
            ("rank", FieldType::Integer),
        ],
    );
    // Competition ranks within each agglomeration: equal scores share a rank.
    let (mut rank, mut pos) = (0usize, 0usize);
    for (k, (agg, c, score)) in order.iter().enumerate() {
        let same_agg = k > 0 && order[k - 1].0 == *agg;
        pos = if same_agg { pos + 1 } else { 1 };
        if !(same_agg && order[k - 1].2 == *score) {
            rank = pos;
        }
        let city = net.city(*c);
        l.push(
            format!("{agg}:{}", city.id),
            point(net, *c),
            vec![
                city.name.as_str().into(),
                city.name_zh.as_str().into(),
                agg.as_str().into(),
                city.pop_2020.into(),
                (*score).into(),
                rank.into(),
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::Graduated {
            field,
            label_field: label_field.to_owned(),
        },
    }
}

/// A scenario's changed links as LineStrings named `scenario_links`: status
/// (`added`, `changed`, `removed`), ends, mode, line and minutes before and
/// after (null where the link does not exist), categorised by status.
pub fn scenario_links_layer(diffs: &[crate::scenario::LinkDiff]) -> StyledLayer {
    let mut l = Layer::new(
        "scenario_links",
        "Links the scenario adds, changes or removes (removed ones drawn with the base network's geometry)",
        GeometryType::LineString,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("status", FieldType::Text),
            ("from", FieldType::Text),
            ("to", FieldType::Text),
            ("mode", FieldType::Text),
            ("line", FieldType::Text),
            ("minutes_before", FieldType::Real),
            ("minutes_after", FieldType::Real),
        ],
    );
    for (i, d) in diffs.iter().enumerate() {
        let label = format!("{} {}–{}", d.status, d.from, d.to);
        let opt = |v: Option<f64>| v.map_or(Value::Null, Value::from);
        l.push(
            format!("{}:{}:{}:{}:{i}", d.status, d.from, d.to, d.mode.as_str()),
            geo::Geometry::LineString(d.geometry.clone()),
            vec![
                label.clone().into(),
                label.into(),
                d.status.into(),
                d.from.as_str().into(),
                d.to.as_str().into(),
                d.mode.as_str().into(),
                d.line.clone().map_or(Value::Null, Value::from),
                opt(d.minutes_before),
                opt(d.minutes_after),
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::LinkStatus,
    }
}

/// Accessibility before and after a scenario per city, as Points named
/// `scenario_cities`, graduated by `access_change_pct` and labelled by
/// `label_field`. Rows: (city in `net`, before, after); the CLI passes the
/// cities whose accessibility changed.
pub fn scenario_cities_layer(
    net: &Network,
    rows: &[(CityIdx, f64, f64)],
    label_field: &str,
) -> StyledLayer {
    let mut l = Layer::new(
        "scenario_cities",
        "Hansen accessibility (population reachable, weighted by travel time) before and after the scenario",
        GeometryType::Point,
        &[
            ("name", FieldType::Text),
            ("name_zh", FieldType::Text),
            ("pop_2020", FieldType::Integer),
            ("access_before", FieldType::Real),
            ("access_after", FieldType::Real),
            ("access_delta", FieldType::Real),
            ("access_change_pct", FieldType::Real),
        ],
    );
    for &(c, before, after) in rows {
        let city = net.city(c);
        let pct = if before > 0.0 {
            (1e4 * (after - before) / before).round() / 100.0
        } else {
            0.0
        };
        l.push(
            city.id.clone(),
            point(net, c),
            vec![
                city.name.as_str().into(),
                city.name_zh.as_str().into(),
                city.pop_2020.into(),
                before.round().into(),
                after.round().into(),
                (after - before).round().into(),
                pct.into(),
            ],
        );
    }
    StyledLayer {
        layer: l,
        style: Style::Graduated {
            field: "access_change_pct".into(),
            label_field: label_field.to_owned(),
        },
    }
}

/// The same layer under another name (for example circles before and after
/// a scenario in one folder).
pub fn renamed(mut sl: StyledLayer, name: &str, description: &str) -> StyledLayer {
    sl.layer.name = name.to_owned();
    sl.layer.description = description.to_owned();
    sl
}

/// How [`write_qgis_folder`] stores the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QgisFormat {
    /// One `NAME.geojson` per layer, with `NAME.qml` beside it.
    GeoJson,
    /// One `agglo.gpkg` holding every layer, its styles in `layer_styles`,
    /// and `NAME.qml` files beside it for reference.
    GeoPackage,
}

fn readme(layers: &[StyledLayer], format: QgisFormat) -> String {
    let mut s = String::from(README_START);
    s.push_str(" Coordinates: WGS84 longitude/latitude (EPSG:4326).\n");
    s.push_str(match format {
        QgisFormat::GeoJson => "Each layer is NAME.geojson with its QGIS style NAME.qml beside it (applied on load).\n",
        QgisFormat::GeoPackage => "Every layer is a table of agglo.gpkg; its QGIS style is stored in the GeoPackage (layer_styles) and as NAME.qml.\n",
    });
    s.push_str("Every feature has a stable text `id` and `name` / `name_zh` for labels.\n");
    for sl in layers {
        let l = &sl.layer;
        let _ = write!(
            s,
            "\n{} ({}, {} features)\n  {}\n  fields: id (text)",
            l.name,
            l.geometry_type.ogc_name(),
            l.features.len(),
            l.description
        );
        for (n, t) in &l.fields {
            let _ = write!(s, ", {n} ({})", format!("{t:?}").to_lowercase());
        }
        s.push('\n');
    }
    s
}

/// The first line of a QGIS folder's `README.txt`: marks the folder as one
/// `agglo` wrote and may replace.
const README_START: &str = "Layers exported by agglo for QGIS.";

/// What a QGIS folder written by `agglo` holds: its layers, styles and
/// README, and the files QGIS adds beside a GeoPackage it has open.
pub const QGIS_FOLDER: Ownership<'static> = Ownership {
    marker_file: "README.txt",
    marker_start: README_START,
    names: |n| {
        n == "README.txt"
            || [
                ".geojson",
                ".qml",
                ".gpkg",
                ".gpkg-wal",
                ".gpkg-shm",
                ".gpkg-journal",
            ]
            .iter()
            .any(|ext| n.ends_with(ext))
    },
};

/// Writes `layers` as the folder `dir` with a `.qml` style per layer and a
/// `README.txt`; returns the files written (paths in `dir`), sorted.
///
/// The folder is written as a whole (see [`FolderSet`]): files of an
/// earlier run that this one does not write disappear, and a killed run
/// leaves the old folder or the new one. An existing `dir` is replaced only
/// if it is empty or holds only such files and our `README.txt`
/// ([`QGIS_FOLDER`]), unless `replace` is [`Replace::Always`].
pub fn write_qgis_folder(
    dir: &Path,
    layers: &[StyledLayer],
    format: QgisFormat,
    replace: Replace,
) -> Result<Vec<PathBuf>, LayerError> {
    let set = FolderSet::begin(dir, &QGIS_FOLDER, replace)?;
    let tmp = set.path().to_owned();
    let mut names = Vec::new();
    let styles: Vec<String> = layers.iter().map(StyledLayer::qml).collect();
    match format {
        QgisFormat::GeoJson => {
            for sl in layers {
                let n = format!("{}.geojson", sl.layer.name);
                write_layer_geojson(&tmp.join(&n), &sl.layer)?;
                names.push(n);
            }
        }
        QgisFormat::GeoPackage => {
            let pairs: Vec<(&Layer, Option<&str>)> = layers
                .iter()
                .zip(&styles)
                .map(|(sl, q)| (&sl.layer, Some(q.as_str())))
                .collect();
            write_gpkg(&tmp.join("agglo.gpkg"), &pairs)?;
            names.push("agglo.gpkg".into());
        }
    }
    for (sl, q) in layers.iter().zip(&styles) {
        let n = format!("{}.qml", sl.layer.name);
        write_atomic(&tmp.join(&n), q.as_bytes())?;
        names.push(n);
    }
    write_atomic(&tmp.join("README.txt"), readme(layers, format).as_bytes())?;
    names.push("README.txt".into());
    set.commit()?;
    let mut written: Vec<PathBuf> = names.iter().map(|n| dir.join(n)).collect();
    written.sort();
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Input;

    #[test]
    fn every_style_of_the_shipped_layers_is_well_formed_xml() {
        let (net, _) = Input::Embedded.load().unwrap();
        let scores: Vec<(String, CityIdx, f64)> = (0..net.cities().len() as CityIdx)
            .map(|c| ("all".to_owned(), c, f64::from(c % 7)))
            .collect();
        let layers = [
            cities_layer(&net, "name_zh"),
            links_layer(&net),
            circles_layer(&net, &[]),
            centrality_layer(&net, "betweenness-norm", &scores, "name"),
            super::super::counties_layer(
                crate::geometry::Boundaries::embedded_counties().unwrap(),
                &crate::io::CountySource::Embedded
                    .units()
                    .unwrap()
                    .iter()
                    .collect::<Vec<_>>(),
                Vec::new(),
            )
            .unwrap(),
        ];
        for sl in &layers {
            sl.layer.check().unwrap();
            let q = sl.qml();
            let doc = roxmltree::Document::parse_with_options(
                &q,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{}: {e}", sl.layer.name));
            assert_eq!(doc.root_element().tag_name().name(), "qgis");
            let renderer = doc
                .descendants()
                .find(|n| n.has_tag_name("renderer-v2"))
                .expect("renderer");
            assert!(renderer.attribute("type").is_some());
        }
        // The measure's name becomes a field name.
        assert!(layers[3].layer.field_index("betweenness_norm").is_some());
        // Equal scores share a rank.
        let l = &layers[3].layer;
        let rank = l.field_index("rank").unwrap();
        let ranks: Vec<&Value> = l.features.iter().map(|f| &f.values[rank]).collect();
        assert_eq!(ranks[0], &Value::Int(1));
        assert_eq!(ranks[1], &Value::Int(1));
    }
}
