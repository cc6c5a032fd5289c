//! `export --qgis DIR` and `export --format gpkg`: the network and the
//! default analyses (circles, centrality) as QGIS-ready layers with their styles.

use std::path::Path;
use std::process::ExitCode;

use agglo::Network;
use agglo::algorithms::centrality::{CentralityOptions, agglomeration_centrality};
use agglo::algorithms::{CircleOptions, Engine, commuting_circles};
use agglo::io::{
    Layer, QgisFormat, StyledLayer, centrality_layer, circles_layer, cities_layer, counties_layer,
    gpkg_bytes, links_layer, write_gpkg,
};
use anyhow::bail;
use clap::{Args, ValueEnum};

use super::basic::ExportFormat;
use super::centrality::{MEASURES, values_of};
use super::travel::ModelArgs;

/// Language of labels.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Lang {
    /// English names (`name`).
    En,
    /// Chinese names (`name_zh`).
    Zh,
}

impl Lang {
    pub fn field(self) -> &'static str {
        match self {
            Lang::En => "name",
            Lang::Zh => "name_zh",
        }
    }
}

/// Options of the layers of the default analyses.
#[derive(Debug, Args, Clone)]
pub struct LayerArgs {
    /// Circle budgets in minutes (nested circles, one search per core). Range (0, 10080].
    #[arg(long, value_delimiter = ',', default_value = "30,60,90", value_parser = super::bounds::budget)]
    pub minutes: Vec<f64>,
    /// Label language of the city and centrality layers' styles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Local speed (km/h) at which minutes left on arrival are spent. Range [1, 200] km/h.
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::local_speed)]
    pub local_speed: f64,
    /// Centrality measure of the `centrality` layer (a measure of `agglo centrality`), or `none`.
    #[arg(long, default_value = "betweenness_norm")]
    pub centrality: String,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Sorted, deduplicated, positive budgets.
pub fn budgets(list: &[f64]) -> anyhow::Result<Vec<f64>> {
    let mut b = list.to_vec();
    if b.is_empty() || b.iter().any(|m| !m.is_finite() || *m <= 0.0) {
        bail!("--minutes takes positive numbers, e.g. 60 or 30,60,90");
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    Ok(b)
}

/// `(agglomeration, city, score)` of one measure of `agglo centrality`
/// (default options: link minutes, paths among members, no cutoff) for the
/// members of each agglomeration.
pub fn centrality_rows(
    net: &Network,
    aggs: &[&agglo::Agglomeration],
    measure: &str,
) -> anyhow::Result<Vec<(String, agglo::CityIdx, f64)>> {
    if !MEASURES.contains(&measure) {
        bail!(
            "unknown centrality measure `{measure}` (expected one of {})",
            MEASURES.join(", ")
        );
    }
    let opt = CentralityOptions::default();
    let mut rows = Vec::new();
    for ag in aggs {
        for r in agglomeration_centrality(net, ag, &opt) {
            if !net.is_unit(r.city) {
                continue;
            }
            if let Some(v) = values_of(measure, &r)[0] {
                rows.push((ag.id.clone(), r.city, v));
            }
        }
    }
    Ok(rows)
}

fn centrality(net: &Network, a: &LayerArgs) -> anyhow::Result<Option<StyledLayer>> {
    if a.centrality == "none" {
        return Ok(None);
    }
    let aggs: Vec<&agglo::Agglomeration> = net.agglomerations().iter().collect();
    let rows = centrality_rows(net, &aggs, &a.centrality)?;
    Ok(Some(centrality_layer(
        net,
        &a.centrality,
        &rows,
        a.lang.field(),
    )))
}

/// Cities, links, circles of every agglomeration, (when available)
/// centrality and, with `counties` (the embedded data), the county-level
/// units, styled.
pub fn default_layers(
    net: &Network,
    a: &LayerArgs,
    counties: bool,
) -> anyhow::Result<Vec<StyledLayer>> {
    let b = budgets(&a.minutes)?;
    if !a.local_speed.is_finite() || a.local_speed < 0.0 {
        bail!("--local-speed must be a non-negative number of km/h");
    }
    let engine = Engine::new(net, a.model.model()?, a.model.max_transfers);
    let aggs: Vec<&agglo::Agglomeration> = net.agglomerations().iter().collect();
    let circles = commuting_circles(
        net,
        &engine,
        a.model.direction(),
        &aggs,
        &b,
        false,
        CircleOptions {
            local_speed_kmh: a.local_speed,
            shapes: super::unit_shapes(net)?,
            ..Default::default()
        },
    );
    let mut layers = vec![
        cities_layer(net, a.lang.field()),
        links_layer(net),
        circles_layer(net, &circles),
    ];
    layers.extend(centrality(net, a)?);
    if counties {
        let shapes = agglo::geometry::Boundaries::embedded_counties()?;
        // The network's own units at the county level (county units, and
        // units of both levels that have a boundary: Hong Kong and Macao),
        // else the embedded county units read alone.
        let loaded;
        let rows: Vec<&agglo::City> = if net.has_counties() {
            net.cities()
                .iter()
                .filter(|c| {
                    c.kind == agglo::UnitKind::County
                        || (c.kind == agglo::UnitKind::City && shapes.index_of(&c.id).is_some())
                })
                .collect()
        } else {
            loaded = agglo::io::CountySource::Embedded.units()?;
            loaded.iter().collect()
        };
        let extra = if net.has_counties() {
            circle_columns(net, &rows, &circles, *b.last().unwrap_or(&60.0))
        } else {
            Vec::new()
        };
        layers.push(counties_layer(shapes, &rows, extra)?);
    }
    Ok(layers)
}

/// At the county level, the `counties` layer's circle columns: the core
/// whose circle at `budget` reaches the unit soonest (`core`) with its
/// minutes (`core_minutes`), and every core whose circle at `budget` holds
/// it (`in_circles`, `;`-joined); null outside every circle.
fn circle_columns(
    net: &Network,
    rows: &[&agglo::City],
    circles: &[agglo::algorithms::CommutingCircle],
    budget: f64,
) -> Vec<agglo::io::UnitColumn> {
    use agglo::io::{FieldType, Value};
    let n = net.cities().len();
    let mut best: Vec<Option<(f64, String)>> = vec![None; n];
    let mut inside: Vec<Vec<String>> = vec![Vec::new(); n];
    for c in circles.iter().filter(|c| c.minutes == budget) {
        let core: Vec<&str> = c.cores.iter().map(|&o| net.city(o).id.as_str()).collect();
        let core = core.join("+");
        for &(u, m) in &c.cities {
            let u = u as usize;
            if best[u]
                .as_ref()
                .is_none_or(|(bm, bc)| (m, &core) < (*bm, bc))
            {
                best[u] = Some((m, core.clone()));
            }
            if !inside[u].contains(&core) {
                inside[u].push(core.clone());
            }
        }
    }
    let mut core_col = Vec::with_capacity(rows.len());
    let mut minutes_col = Vec::with_capacity(rows.len());
    let mut in_col = Vec::with_capacity(rows.len());
    for r in rows {
        let i = net.city_by_id(&r.id).map(|i| i as usize);
        match i.and_then(|i| best[i].clone()) {
            Some((m, c)) => {
                core_col.push(Value::from(c));
                minutes_col.push(Value::from((m * 10.0).round() / 10.0));
            }
            None => {
                core_col.push(Value::Null);
                minutes_col.push(Value::Null);
            }
        }
        in_col.push(match i {
            Some(i) if !inside[i].is_empty() => {
                let mut v = inside[i].clone();
                v.sort();
                Value::from(v.join(";"))
            }
            _ => Value::Null,
        });
    }
    vec![
        ("core".into(), FieldType::Text, core_col),
        ("core_minutes".into(), FieldType::Real, minutes_col),
        ("in_circles".into(), FieldType::Text, in_col),
    ]
}

fn summary(layers: &[StyledLayer]) {
    for sl in layers {
        let l: &Layer = &sl.layer;
        errln!(
            "  {:<11} {:<12} {:>5} features",
            l.name,
            l.geometry_type.ogc_name(),
            l.features.len()
        );
    }
}

pub fn export_qgis(
    net: &Network,
    dir: &Path,
    format: ExportFormat,
    a: &LayerArgs,
    force: bool,
    counties: bool,
) -> anyhow::Result<ExitCode> {
    let f = match format {
        ExportFormat::Geojson => QgisFormat::GeoJson,
        ExportFormat::Gpkg => QgisFormat::GeoPackage,
        ExportFormat::Csv => bail!("--qgis writes geojson or gpkg layers, not csv"),
    };
    let layers = default_layers(net, a, counties)?;
    let files = super::write_folder(dir, &layers, f, force)?;
    errln!("wrote {} files to {}:", files.len(), dir.display());
    summary(&layers);
    Ok(ExitCode::SUCCESS)
}

pub fn export_gpkg(net: &Network, out: &Path, a: &LayerArgs, counties: bool) -> anyhow::Result<()> {
    let layers = default_layers(net, a, counties)?;
    let styles: Vec<String> = layers.iter().map(StyledLayer::qml).collect();
    let pairs: Vec<(&Layer, Option<&str>)> = layers
        .iter()
        .zip(&styles)
        .map(|(l, s)| (&l.layer, Some(s.as_str())))
        .collect();
    if super::is_stdout(out) {
        super::print_bytes(&gpkg_bytes(&pairs)?)?;
    } else {
        write_gpkg(out, &pairs)?;
    }
    summary(&layers);
    Ok(())
}
