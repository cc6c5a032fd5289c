//! `info`, `validate`, `export`, `cities`, `nearest`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use agglo::io::{agglomerations_csv, cities_csv, links_csv, network_to_geojson};
use agglo::{Cell, LoadError, Mode, Network, Table};
use clap::{Args, ValueEnum};
use serde_json::json;

use super::{InputArgs, OutFormat, emit};

#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ExportFormat {
    /// One FeatureCollection (cities, links, agglomerations as a foreign member).
    Geojson,
    /// A folder with cities.csv, links.csv, agglomerations.csv.
    Csv,
    /// One GeoPackage with the network and the default analyses as layers.
    Gpkg,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output file (geojson, gpkg) or folder (csv).
    #[arg(long, required_unless_present = "qgis")]
    pub out: Option<PathBuf>,
    /// Output format (with --qgis: geojson or gpkg layers).
    #[arg(long, value_enum, default_value_t = ExportFormat::Geojson)]
    pub format: ExportFormat,
    /// Write every layer (cities, links, circles) styled for QGIS into this folder.
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub qgis: Option<PathBuf>,
    /// Replace the --qgis folder even if agglo did not write it.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub layers: super::qgis::LayerArgs,
}

#[derive(Debug, Args)]
pub struct CitiesArgs {
    /// Only the members of this agglomeration (id or name).
    #[arg(long)]
    pub agglomeration: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct NearestArgs {
    /// Longitude (x), WGS84 degrees. Range [-180, 180].
    #[arg(long, allow_hyphen_values = true, value_parser = super::bounds::lon)]
    pub lon: f64,
    /// Latitude (y), WGS84 degrees. Range [-90, 90].
    #[arg(long, allow_hyphen_values = true, value_parser = super::bounds::lat)]
    pub lat: f64,
    /// How many cities. Range [1, 100000].
    #[arg(short, long, default_value_t = 5, value_parser = super::bounds::count)]
    pub k: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// Summary figures of a network, as a JSON object.
fn summary(net: &Network) -> serde_json::Value {
    let mut by_mode: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for m in Mode::ALL {
        by_mode.insert(m.as_str(), (0, 0.0));
    }
    for l in net.links() {
        let e = by_mode.get_mut(l.mode.as_str()).expect("every mode listed");
        e.0 += 1;
        e.1 += l.km;
    }
    let pop: u64 = net.cities().iter().map(|c| c.pop_2020).sum();
    // Units' own 2010 figures, and each 2010 group's figure once.
    let groups: BTreeMap<&str, u64> = net
        .cities()
        .iter()
        .filter_map(|c| Some((c.group_2010.as_deref()?, c.pop_2010_group?)))
        .collect();
    let pop10: u64 =
        net.cities().iter().filter_map(|c| c.pop_2010).sum::<u64>() + groups.values().sum::<u64>();
    let (mut x0, mut y0, mut x1, mut y1) = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for c in net.cities() {
        x0 = x0.min(c.lon);
        y0 = y0.min(c.lat);
        x1 = x1.max(c.lon);
        y1 = y1.max(c.lat);
    }
    let components = petgraph::algo::kosaraju_scc(net.graph()).len();
    let isolated = (0..net.cities().len() as u32)
        .filter(|&i| net.csr().out(i).is_empty())
        .count();
    let clusters = net
        .agglomerations()
        .iter()
        .filter(|a| a.kind == agglo::AgglomerationKind::CityCluster)
        .count();
    let kind_count = |k: agglo::UnitKind| net.cities().iter().filter(|c| c.kind == k).count();
    json!({
        "level": if net.has_counties() { "county" } else { "prefecture" },
        "cities": net.cities().len(),
        "units": net.units().count(),
        "county_units": kind_count(agglo::UnitKind::County),
        "centres": kind_count(agglo::UnitKind::Centre),
        "population_2020": pop,
        "population_2010": pop10,
        "links": net.links().len(),
        "links_by_mode": by_mode.iter().map(|(m, (n, km))| (m.to_string(), json!({"links": n, "km": km.round()}))).collect::<serde_json::Map<_, _>>(),
        "agglomerations": net.agglomerations().len(),
        "city_clusters": clusters,
        "metro_areas": net.agglomerations().len() - clusters,
        "bbox": if net.cities().is_empty() { json!(null) } else { json!([x0, y0, x1, y1]) },
        "strongly_connected_components": components,
        "cities_without_links": isolated,
    })
}

pub fn info(input: &InputArgs, a: &InfoArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let s = summary(&net);
    if a.format == OutFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new(&["item", "value"]);
    let int = |k: &str| Cell::Int(s[k].as_i64().unwrap_or(0));
    t.push(vec![
        "level".into(),
        s["level"].as_str().unwrap_or_default().into(),
    ]);
    t.push(vec!["cities".into(), int("cities")]);
    if net.has_counties() {
        t.push(vec!["  county units".into(), int("county_units")]);
        t.push(vec!["  prefecture centres".into(), int("centres")]);
        t.push(vec![
            "  units (county units and cities without)".into(),
            int("units"),
        ]);
    }
    t.push(vec!["population 2020".into(), int("population_2020")]);
    t.push(vec![
        "population 2010 (2020 boundaries)".into(),
        int("population_2010"),
    ]);
    t.push(vec!["links".into(), int("links")]);
    for m in Mode::ALL {
        let e = &s["links_by_mode"][m.as_str()];
        t.push(vec![
            format!("  {m} links").into(),
            Cell::Int(e["links"].as_i64().unwrap_or(0)),
        ]);
        t.push(vec![
            format!("  {m} km").into(),
            Cell::Int(e["km"].as_f64().unwrap_or(0.0) as i64),
        ]);
    }
    t.push(vec!["agglomerations".into(), int("agglomerations")]);
    t.push(vec!["  city clusters".into(), int("city_clusters")]);
    t.push(vec!["  metropolitan areas".into(), int("metro_areas")]);
    if let Some(b) = s["bbox"].as_array() {
        let f = |i: usize| b[i].as_f64().unwrap_or(0.0);
        t.push(vec![
            "bounding box (lon/lat)".into(),
            format!("{:.4},{:.4} – {:.4},{:.4}", f(0), f(1), f(2), f(3)).into(),
        ]);
    }
    t.push(vec![
        "connected components".into(),
        int("strongly_connected_components"),
    ]);
    t.push(vec![
        "cities without links".into(),
        int("cities_without_links"),
    ]);
    super::emit(&t, a.format, None)?;
    Ok(ExitCode::SUCCESS)
}

pub fn validate(input: &InputArgs, _a: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let source = input.input()?;
    let mut data = source.read()?;
    if let Some(c) = input.county_source(&source)? {
        c.read_into(&mut data)?;
    }
    let (issues, summary) = match Network::from_data(data) {
        Ok((net, warnings)) => {
            let s = format!(
                "{} cities, {} links, {} agglomerations",
                net.cities().len(),
                net.links().len(),
                net.agglomerations().len()
            );
            (warnings, Some(s))
        }
        Err(LoadError::Invalid { issues }) => (issues, None),
        Err(e) => return Err(e.into()),
    };
    for i in &issues.0 {
        outln!("{i}")?;
    }
    let (e, w) = (issues.error_count(), issues.warning_count());
    match summary {
        Some(s) => outln!("ok: {s}; {e} errors, {w} warnings")?,
        None => outln!("invalid: {e} errors, {w} warnings")?,
    }
    Ok(if e > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn export(input: &InputArgs, a: &ExportArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let out = match (&a.qgis, &a.out) {
        (Some(dir), _) => {
            return super::qgis::export_qgis(
                &net,
                dir,
                a.format,
                &a.layers,
                a.force,
                input.is_embedded(),
            );
        }
        (None, Some(out)) => out,
        (None, None) => anyhow::bail!("give --out FILE or --qgis DIR"),
    };
    let out = out.as_path();
    match a.format {
        ExportFormat::Gpkg => super::qgis::export_gpkg(&net, out, &a.layers, input.is_embedded())?,
        ExportFormat::Geojson => {
            let fc = network_to_geojson(&net);
            let mut text = serde_json::to_string(&fc)?;
            text.push('\n');
            super::write_out(out, text.as_bytes())?;
        }
        ExportFormat::Csv => {
            if super::is_stdout(out) {
                anyhow::bail!("--format csv writes a folder of three files: give a folder, not -");
            }
            std::fs::create_dir_all(out)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
            // The three files are written completely before any is renamed
            // into place, so a failure leaves the previous set untouched.
            let (c, l, g) = (cities_csv(&net), links_csv(&net), agglomerations_csv(&net));
            let (pc, pl, pg) = (
                out.join("cities.csv"),
                out.join("links.csv"),
                out.join("agglomerations.csv"),
            );
            agglo::io::write_file_set(&[
                (pc.as_path(), &[c.as_bytes()]),
                (pl.as_path(), &[l.as_bytes()]),
                (pg.as_path(), &[g.as_bytes()]),
            ])?;
        }
    }
    if out.as_os_str() != "-" {
        errln!("wrote {}", out.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn cities(input: &InputArgs, a: &CitiesArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let (list, agg): (Vec<u32>, _) = match &a.agglomeration {
        Some(q) => {
            let ag = net.find_agglomeration(q)?;
            (ag.members.clone(), Some(ag))
        }
        None => ((0..net.cities().len() as u32).collect(), None),
    };
    let mut t = Table::new(&[
        "id",
        "name",
        "name_zh",
        "province",
        "lon",
        "lat",
        "pop_2020",
        "pop_2010",
        "urban_pop_2020",
        "role",
    ]);
    for i in list {
        let c = net.city(i);
        let role = agg.map(|g| {
            if g.cores.contains(&i) {
                "core"
            } else if g.partial.contains(&i) {
                "partial member"
            } else {
                "member"
            }
        });
        t.push(vec![
            c.id.as_str().into(),
            c.name.as_str().into(),
            c.name_zh.as_str().into(),
            c.province.as_str().into(),
            Cell::Float(c.lon, 4),
            Cell::Float(c.lat, 4),
            c.pop_2020.into(),
            c.pop_2010.into(),
            c.urban_pop_2020.into(),
            role.map(Cell::from).unwrap_or(Cell::Empty),
        ]);
    }
    emit(&t, a.format, None)?;
    Ok(ExitCode::SUCCESS)
}

pub fn nearest(input: &InputArgs, a: &NearestArgs) -> anyhow::Result<ExitCode> {
    if !(-180.0..=180.0).contains(&a.lon) || !(-90.0..=90.0).contains(&a.lat) {
        anyhow::bail!(
            "--lon must lie in [-180, 180] and --lat in [-90, 90] (got {}, {})",
            a.lon,
            a.lat
        );
    }
    let net = input.load()?;
    let mut t = Table::new(&["rank", "id", "name", "name_zh", "km"]);
    for (r, (i, km)) in net
        .spatial()
        .nearest(net.cities(), a.lon, a.lat, a.k)
        .into_iter()
        .enumerate()
    {
        let c = net.city(i);
        t.push(vec![
            (r + 1).into(),
            c.id.as_str().into(),
            c.name.as_str().into(),
            c.name_zh.as_str().into(),
            Cell::Float(km, 1),
        ]);
    }
    emit(&t, a.format, None)?;
    Ok(ExitCode::SUCCESS)
}
