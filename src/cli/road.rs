//! `road`: generic road networks (DIMACS, CSV, GeoJSON): info, generate,
//! reach with circle polygons, matrices and centrality.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use agglo::algorithms::area_km2;
use agglo::algorithms::centrality::{
    PathOptions, closeness, normalise_betweenness, path_centrality,
};
use agglo::generate::{radius_for_degree, random_geometric_points};
use agglo::io::write_file_set;
use agglo::road::{
    DimacsOptions, GeoJsonOptions, NodeIndex, RoadGraph, SearchSpace, SnapError,
    approx_betweenness_from, matrix, pair_stamp, read_csv_edges, read_dimacs, read_geojson_roads,
    road_circle, sample_sources, write_dimacs,
};
use agglo::{Cell, Table};
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use geojson::{Feature, FeatureCollection, Geometry};
use serde_json::json;

use super::shard::{
    ShardArgs, format_name, header, matrix_columns, matrix_rows, merge_matrix, num, part_format,
    write,
};
use super::{OutFormat, emit};
use agglo::shard::{Fingerprint, Part, road_matrix_rows};

#[derive(Debug, Args)]
pub struct RoadArgs {
    #[command(subcommand)]
    pub command: RoadCommand,
}

#[derive(Debug, Subcommand)]
pub enum RoadCommand {
    /// Load a road network and report its size, load time and memory.
    Info(InfoArgs),
    /// Write a seeded random road-like graph as DIMACS .gr/.co files.
    Generate(GenerateArgs),
    /// Nodes within a time budget of a point, and the circle polygon.
    Reach(ReachArgs),
    /// Travel-time matrix between points snapped to the network.
    Matrix(MatrixArgs),
    /// Betweenness (exact or sampled), closeness and harmonic closeness.
    Centrality(CentralityArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum GraphFormat {
    /// DIMACS shortest-path challenge: .gr arcs (and .co coordinates).
    Gr,
    /// CSV edge list (from,to,minutes|km[,speed_kmh][,oneway]) with --nodes.
    Csv,
    /// GeoJSON LineStrings; endpoints snapped within --snap-m.
    Geojson,
}

/// Where the road network comes from.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The network file (.gr, .csv edge list or .geojson).
    #[arg(long, value_name = "FILE")]
    pub graph: PathBuf,
    /// Its format (default: from the extension).
    #[arg(long, value_enum)]
    pub graph_format: Option<GraphFormat>,
    /// DIMACS coordinates (default: the .gr path with .co, if it exists).
    #[arg(long, value_name = "FILE")]
    pub co: Option<PathBuf>,
    /// Node file (id,lon,lat) of a CSV edge list.
    #[arg(long, value_name = "FILE")]
    pub nodes: Option<PathBuf>,
    /// DIMACS: minutes per unit of arc weight (tenths of a second: 1/600). Range (0, 1000].
    #[arg(long, default_value_t = 1.0 / 600.0, value_parser = super::bounds::unit_minutes)]
    pub unit_minutes: f64,
    /// DIMACS: degrees per coordinate unit (microdegrees: 1e-6). Range (0, 1].
    #[arg(long, default_value_t = 1e-6, value_parser = super::bounds::coord_scale)]
    pub coord_scale: f64,
    /// GeoJSON: endpoints closer than this (metres) are one node. Range [0, 10000].
    #[arg(long, default_value_t = 1.0, value_parser = super::bounds::snap_m)]
    pub snap_m: f64,
    /// Speed (km/h) for edges with a length but no minutes, speed or known class. Range [1, 1000] km/h.
    #[arg(long, default_value_t = 40.0, value_parser = super::bounds::speed)]
    pub speed: f64,
}

impl GraphArgs {
    fn load(&self) -> anyhow::Result<(RoadGraph, f64)> {
        for (name, v) in [
            ("--unit-minutes", self.unit_minutes),
            ("--coord-scale", self.coord_scale),
            ("--speed", self.speed),
        ] {
            if !(v.is_finite() && v > 0.0) {
                bail!("{name} must be a positive number, got {v}");
            }
        }
        if !(self.snap_m.is_finite() && self.snap_m >= 0.0) {
            bail!(
                "--snap-m must be a non-negative number, got {}",
                self.snap_m
            );
        }
        let ext = self
            .graph
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let format = match (self.graph_format, ext.as_str()) {
            (Some(f), _) => f,
            (None, "gr") => GraphFormat::Gr,
            (None, "csv") => GraphFormat::Csv,
            (None, "geojson" | "json") => GraphFormat::Geojson,
            _ => bail!(
                "cannot tell the format of {} from its extension: give --graph-format gr|csv|geojson",
                self.graph.display()
            ),
        };
        let start = Instant::now();
        let g = match format {
            GraphFormat::Gr => {
                let co = self.co.clone().or_else(|| {
                    let p = self.graph.with_extension("co");
                    p.exists().then_some(p)
                });
                let opt = DimacsOptions {
                    unit_minutes: self.unit_minutes,
                    coord_scale: self.coord_scale,
                };
                read_dimacs(&self.graph, co.as_deref(), opt)?
            }
            GraphFormat::Csv => {
                let Some(nodes) = &self.nodes else {
                    bail!("a CSV edge list needs --nodes FILE (id,lon,lat)");
                };
                read_csv_edges(nodes, &self.graph, self.speed)?
            }
            GraphFormat::Geojson => {
                let opt = GeoJsonOptions {
                    snap_m: self.snap_m,
                    default_speed: self.speed,
                    ..GeoJsonOptions::default()
                };
                read_geojson_roads(&self.graph, &opt)?
            }
        };
        Ok((g, start.elapsed().as_secs_f64()))
    }
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of random points (the largest connected component is kept). Range [2, 20000000].
    #[arg(long, value_parser = super::bounds::nodes)]
    pub nodes: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Mean degree aimed at (edges join points closer than the matching radius). Range [0.5, 50].
    #[arg(long, default_value_t = 5.0, value_parser = super::bounds::degree)]
    pub degree: f64,
    /// Mean spacing of points, km (sets the square's side). Range [0.001, 100].
    #[arg(long, default_value_t = 0.3, value_parser = super::bounds::spacing_km)]
    pub spacing_km: f64,
    /// Speed on every edge, km/h. Range [1, 1000] km/h.
    #[arg(long, default_value_t = 40.0, value_parser = super::bounds::speed)]
    pub speed: f64,
    /// South-west corner: longitude. Range [-180, 180].
    #[arg(long, default_value_t = 116.0, allow_negative_numbers = true, value_parser = super::bounds::lon)]
    pub lon0: f64,
    /// South-west corner: latitude. Range [-80, 80].
    #[arg(long, default_value_t = 39.5, allow_negative_numbers = true, value_parser = super::bounds::lat0)]
    pub lat0: f64,
    /// Output prefix: writes PREFIX.gr and PREFIX.co.
    #[arg(long)]
    pub out: PathBuf,
}

/// How far a point may lie from the network.
#[derive(Debug, Args)]
pub struct SnapArgs {
    /// Refuse a point whose nearest node is farther than this (km; `inf`: no limit).
    #[arg(long, default_value_t = 5.0)]
    pub max_snap_km: f64,
}

impl SnapArgs {
    fn check(&self) -> anyhow::Result<f64> {
        let v = self.max_snap_km;
        if v.is_nan() || v < 0.0 {
            bail!("--max-snap-km must be a non-negative number of km, got {v}");
        }
        Ok(v)
    }
}

/// A point given on the command line.
#[derive(Debug, Args)]
pub struct FromArgs {
    /// Origin longitude. Range [-180, 180].
    #[arg(long, allow_negative_numbers = true, value_parser = super::bounds::lon)]
    pub from_lon: f64,
    /// Origin latitude. Range [-90, 90].
    #[arg(long, allow_negative_numbers = true, value_parser = super::bounds::lat)]
    pub from_lat: f64,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub from: FromArgs,
    #[command(flatten)]
    pub snap: SnapArgs,
    /// Budget(s) in minutes, comma-separated: nested results from one search. Range (0, 10080].
    #[arg(long, value_delimiter = ',', default_value = "60", value_parser = super::bounds::budget)]
    pub minutes: Vec<f64>,
    /// Local speed (km/h) at which minutes left at a node are spent. Range [1, 200] km/h.
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::local_speed)]
    pub local_speed: f64,
    /// Smallest grid cell (km) for thinning the disks of the circle polygon. Range [0.01, 1000].
    #[arg(long, default_value_t = 0.5, value_parser = super::bounds::cell_km)]
    pub cell_km: f64,
    /// Write the circles as GeoJSON polygons.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Points CSV (id,lon,lat), snapped to their nearest nodes.
    #[arg(long)]
    pub points: PathBuf,
    #[command(flatten)]
    pub snap: SnapArgs,
    /// `table`/`csv`: a square matrix; `json`: `ids`, `minutes`, `snap_km`.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
    /// Write to this file instead of printing (with --shard: give it to
    /// `agglo merge` as --out).
    #[arg(long, conflicts_with = "shard")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub shard: ShardArgs,
}

#[derive(Debug, Args)]
pub struct CentralityArgs {
    #[command(flatten)]
    pub graph: GraphArgs,
    #[command(flatten)]
    pub sampling: super::shard::SampleArgs,
    /// Cutoffs in minutes, comma-separated (one pass): measures over pairs within each. Range (0, 1e6].
    #[arg(long, value_delimiter = ',', value_parser = super::bounds::cutoff)]
    pub within: Vec<f64>,
    /// Print only the top N nodes by betweenness (0: all).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
    /// Write to this file instead of printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(a: &RoadArgs) -> anyhow::Result<ExitCode> {
    match &a.command {
        RoadCommand::Info(a) => info(a),
        RoadCommand::Generate(a) => generate(a),
        RoadCommand::Reach(a) => reach(a),
        RoadCommand::Matrix(a) => matrix_cmd(a),
        RoadCommand::Centrality(a) => centrality(a),
    }
}

fn info(a: &InfoArgs) -> anyhow::Result<ExitCode> {
    let (g, secs) = a.graph.load()?;
    let gr = g.graph();
    let two_way = !gr.directed;
    let bytes = g.heap_bytes();
    let mut t = Table::new(&["measure", "value"]);
    let rows: Vec<(&str, Cell)> = vec![
        ("nodes", g.node_count().into()),
        ("arcs", g.arc_count().into()),
        (
            "every arc two-way",
            if two_way { "yes" } else { "no" }.into(),
        ),
        ("load seconds", Cell::Float(secs, 3)),
        ("graph bytes", bytes.into()),
        (
            "bytes per arc",
            Cell::Float(bytes as f64 / g.arc_count().max(1) as f64, 1),
        ),
    ];
    for (k, v) in rows {
        t.push(vec![k.into(), v]);
    }
    emit(&t, a.format, None)?;
    Ok(ExitCode::SUCCESS)
}

fn generate(a: &GenerateArgs) -> anyhow::Result<ExitCode> {
    if a.nodes < 2 || a.nodes >= u32::MAX as usize {
        bail!("--nodes must be at least 2, got {}", a.nodes);
    }
    for (name, v) in [
        ("--degree", a.degree),
        ("--spacing-km", a.spacing_km),
        ("--speed", a.speed),
    ] {
        if !(v.is_finite() && v > 0.0) {
            bail!("{name} must be a positive number, got {v}");
        }
    }
    let agglo::generate::SquareExtent {
        side_km,
        deg_lon,
        deg_lat,
    } = agglo::generate::square_extent(a.nodes, a.spacing_km, a.lon0, a.lat0)?;
    let geo = random_geometric_points(a.nodes, radius_for_degree(a.nodes, a.degree), a.seed)
        .largest_component();
    let opt = DimacsOptions::default();
    let lon: Vec<f64> = geo.points.iter().map(|p| a.lon0 + p.0 * deg_lon).collect();
    let lat: Vec<f64> = geo.points.iter().map(|p| a.lat0 + p.1 * deg_lat).collect();
    // Whole tenths of a second, so that the file holds the exact weights.
    let arcs: Vec<(u32, u32, f64)> = geo
        .edges
        .iter()
        .map(|&(u, v, d)| {
            let minutes = d * side_km / a.speed * 60.0;
            let units = (minutes / opt.unit_minutes).round().max(1.0);
            (u, v, units * opt.unit_minutes)
        })
        .collect();
    let g = RoadGraph::new(lon, lat, &arcs, true, None)?;
    let comment = format!(
        "agglo road generate --nodes {} --seed {} --degree {} --spacing-km {} --speed {}; weights in 0.1 s, coordinates in microdegrees",
        a.nodes, a.seed, a.degree, a.spacing_km, a.speed
    );
    let (gr, co) = write_dimacs(&g, opt, &comment);
    let path = |ext: &str| PathBuf::from(format!("{}.{ext}", a.out.display()));
    // Both complete before either is in place; the shared stamp lets a
    // reader refuse a .gr beside a .co of another run.
    let stamp = pair_stamp(&gr, &co);
    write_file_set(&[
        (&path("co"), &[stamp.as_bytes(), co.as_bytes()]),
        (&path("gr"), &[stamp.as_bytes(), gr.as_bytes()]),
    ])?;
    outln!(
        "wrote {} and {}: {} nodes, {} edges (largest component of {} points)",
        path("gr").display(),
        path("co").display(),
        g.node_count(),
        g.arc_count() / 2,
        a.nodes
    )?;
    Ok(ExitCode::SUCCESS)
}

fn snap(
    g: &RoadGraph,
    idx: &NodeIndex,
    lon: f64,
    lat: f64,
    max_km: f64,
) -> anyhow::Result<(u32, f64)> {
    idx.snap(g, lon, lat, max_km).map_err(|e| match e {
        SnapError::TooFar { .. } => anyhow::anyhow!("{e} (--max-snap-km)"),
        e => e.into(),
    })
}

fn reach(a: &ReachArgs) -> anyhow::Result<ExitCode> {
    let mut b = a.minutes.clone();
    if b.is_empty() || b.iter().any(|m| !m.is_finite() || *m <= 0.0) {
        bail!("--minutes takes positive numbers, e.g. 60 or 30,45,60");
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    if !(a.local_speed.is_finite()
        && a.local_speed >= 0.0
        && a.cell_km.is_finite()
        && a.cell_km > 0.0)
    {
        bail!("--local-speed must be non-negative and --cell-km positive");
    }
    let max_snap = a.snap.check()?;
    let (g, _) = a.graph.load()?;
    let idx = NodeIndex::new(&g);
    let (node, snap_km) = snap(&g, &idx, a.from.from_lon, a.from.from_lat, max_snap)?;
    let max = *b.last().expect("non-empty");
    let mut ws = SearchSpace::new(g.node_count());
    let d = ws.search(g.graph(), &[node], max, None);
    let reached: Vec<(u32, f64)> = d.settled().iter().map(|&v| (v, d.get(v))).collect();
    let centre = (g.lon(node), g.lat(node));
    let mut t = Table::new(&["minutes", "nodes", "area_km2", "max_gap_km"]);
    let mut features = Vec::new();
    for &m in &b {
        let inside: Vec<(u32, f64)> = reached.iter().copied().filter(|x| x.1 <= m).collect();
        let (poly, gap) = road_circle(&g, &inside, centre, m, a.local_speed, a.cell_km);
        let area = area_km2(&poly);
        t.push(vec![
            Cell::Float(m, 0),
            inside.len().into(),
            Cell::Float(area, 1),
            Cell::Float(gap, 2),
        ]);
        let mut f = Feature::from(Geometry::new((&poly).into()));
        f.set_property("minutes", m);
        f.set_property("nodes", inside.len());
        f.set_property("area_km2", (area * 10.0).round() / 10.0);
        f.set_property("node", g.label(node));
        features.push(f);
    }
    if let Some(out) = &a.out {
        let fc = FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        };
        super::write_out(out, fc.to_string().as_bytes())?;
    }
    match a.format {
        OutFormat::Json => {
            let v = json!({
                "node": g.label(node), "snap_km": snap_km,
                "circles": t.rows.iter().map(|r| t.row_json(r)).collect::<Vec<_>>(),
            });
            outln!("{}", serde_json::to_string_pretty(&v)?)?;
        }
        f => {
            if f == OutFormat::Table {
                outln!(
                    "origin snapped to node {} at {:.6},{:.6} ({:.3} km away)",
                    g.label(node),
                    centre.0,
                    centre.1,
                    snap_km
                )?;
            }
            emit(&t, f, None)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn read_points(path: &Path) -> anyhow::Result<Vec<(String, f64, f64)>> {
    let input =
        agglo::io::open_input(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut rd = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let h = rd.headers()?.clone();
    let col = |name: &str| {
        h.iter()
            .position(|x| x == name)
            .with_context(|| format!("{}: missing column `{name}`", path.display()))
    };
    let (ci, cx, cy) = (col("id")?, col("lon")?, col("lat")?);
    let mut out = Vec::new();
    for (i, rec) in rd.records().enumerate() {
        let rec = rec?;
        let num = |c: usize| -> anyhow::Result<f64> {
            let s = rec.get(c).unwrap_or("");
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .with_context(|| format!("{}:{}: {s:?} is not a number", path.display(), i + 2))
        };
        out.push((rec.get(ci).unwrap_or("").to_string(), num(cx)?, num(cy)?));
    }
    if out.is_empty() {
        bail!("{}: no points", path.display());
    }
    Ok(out)
}

fn matrix_cmd(a: &MatrixArgs) -> anyhow::Result<ExitCode> {
    let max_snap = a.snap.check()?;
    let pts = read_points(&a.points)?;
    let (g, _) = a.graph.load()?;
    let idx = NodeIndex::new(&g);
    let mut nodes = Vec::new();
    let mut snaps = Vec::new();
    for (id, x, y) in &pts {
        let (v, km) = snap(&g, &idx, *x, *y, max_snap).with_context(|| format!("point {id}"))?;
        nodes.push(v);
        snaps.push(km);
    }
    let ids: Vec<String> = pts.iter().map(|p| p.0.clone()).collect();
    if let Some((shard, part)) = a.shard.get() {
        let rows: Vec<usize> = shard.positions(nodes.len()).collect();
        let m = road_matrix_rows(g.graph(), &nodes, &rows);
        let mut f = Fingerprint::new("road matrix");
        f.field("points", &pts);
        f.field("nodes", &nodes);
        f.field("snap_km", &snaps);
        f.field("format", a.format);
        f.road_graph(&g);
        let snap_text: Vec<String> = snaps.iter().map(|&v| num(v)).collect();
        let meta = json!({"format": format_name(a.format), "snap_km": snap_text});
        let h = header("road matrix", shard, f.hex(), meta);
        write(part, h, &matrix_columns(&ids), &matrix_rows(&rows, &m))?;
        return Ok(ExitCode::SUCCESS);
    }
    let m = matrix(g.graph(), &nodes);
    let text = road_matrix_text(&ids, &m, &snaps, a.format)?;
    match &a.out {
        Some(p) => super::write_out(p, text.as_bytes())?,
        None => super::print_str(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The matrix as `agglo road matrix` prints it.
fn road_matrix_text(
    ids: &[String],
    m: &[Vec<f64>],
    snaps: &[f64],
    format: OutFormat,
) -> anyhow::Result<String> {
    Ok(if format == OutFormat::Json {
        let rows: Vec<Vec<Option<f64>>> = m
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.is_finite().then(|| (v * 100.0).round() / 100.0))
                    .collect()
            })
            .collect();
        let mut s =
            serde_json::to_string_pretty(&json!({"ids": ids, "minutes": rows, "snap_km": snaps}))?;
        s.push('\n');
        s
    } else {
        let mut head = vec!["from"];
        head.extend(ids.iter().map(String::as_str));
        let mut t = Table::new(&head);
        for (i, row) in m.iter().enumerate() {
            let mut cells: Vec<Cell> = vec![ids[i].as_str().into()];
            cells.extend(row.iter().map(|&v| {
                if v.is_finite() {
                    Cell::Float(v, 1)
                } else {
                    Cell::Empty
                }
            }));
            t.push(cells);
        }
        t.render(format.into())
    })
}

/// `agglo merge` of `road matrix` parts: the matrix as the unsharded run
/// prints it.
pub fn merge_matrix_parts(parts: &[Part]) -> anyhow::Result<String> {
    let (ids, m) = merge_matrix(parts)?;
    let p = &parts[0];
    let bad = || {
        anyhow::anyhow!(
            "{}: line 1: field `meta.snap_km` is missing or not {} numbers",
            p.path.display(),
            ids.len()
        )
    };
    let snaps: Vec<f64> = p.header.meta["snap_km"]
        .as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|v| v.as_str().and_then(|s| s.parse::<f64>().ok()))
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    if snaps.len() != ids.len() {
        return Err(bad());
    }
    road_matrix_text(&ids, &m, &snaps, part_format(p)?)
}

/// Graphs whose nodes × arcs reach this get a time estimate before the exact
/// kernel (below it the run takes seconds).
const ESTIMATE_WORK: f64 = 5e9;
/// Runs estimated longer than this (seconds) are announced on stderr.
const WARN_SECONDS: f64 = 180.0;

/// Before an exact all-pairs run estimated to last minutes, says how long
/// and how to sample instead.
fn warn_if_long(gr: &agglo::algorithms::centrality::WGraph, opt: &PathOptions) {
    let n = gr.node_count();
    if (n as f64) * (gr.arc_count() as f64) < ESTIMATE_WORK {
        return;
    }
    let secs = agglo::algorithms::centrality::estimate_seconds(gr, opt, 4);
    if secs > WARN_SECONDS {
        let threads = rayon::current_num_threads();
        let k = 1000.min(n);
        errln!(
            "agglo: exact centrality from all {n} sources will take about {} on {threads} thread(s) (timed on 4 sources); `--sample {k}` estimates betweenness in about {} (Ctrl-C to stop)",
            human_secs(secs),
            human_secs(secs * k as f64 / n as f64),
        );
    }
}

/// "42 s", "17 min", "3.2 h".
pub(super) fn human_secs(s: f64) -> String {
    if s < 120.0 {
        format!("{s:.0} s")
    } else if s < 7200.0 {
        format!("{:.0} min", s / 60.0)
    } else {
        format!("{:.1} h", s / 3600.0)
    }
}

fn centrality(a: &CentralityArgs) -> anyhow::Result<ExitCode> {
    if a.within.iter().any(|w| !(w.is_finite() && *w > 0.0)) {
        bail!("--within takes positive minutes, e.g. 30,60");
    }
    let (g, _) = a.graph.load()?;
    let gr = g.graph();
    let n = g.node_count();
    let mut t;
    let mut order: Vec<u32> = (0..n as u32).collect();
    if let Some(k) = a.sampling.sample {
        if k == 0 {
            bail!("--sample must be at least 1");
        }
        if !a.within.is_empty() {
            bail!("--within is not available with --sample");
        }
        // Sampled in file order, so the sample does not depend on the
        // internal numbering.
        let sample = sample_sources(n, k, a.sampling.seed)
            .into_iter()
            .map(|i| g.node_at(i))
            .collect();
        let est = approx_betweenness_from(gr, sample, a.sampling.delta);
        errln!(
            "betweenness estimated from {} of {} sources: every value within ±{:.4} of the exact normalised betweenness with probability ≥ {}",
            est.sources.len(),
            n,
            est.epsilon,
            1.0 - a.sampling.delta
        );
        order.sort_by(|&x, &y| {
            est.normalised[y as usize]
                .total_cmp(&est.normalised[x as usize])
                .then(g.file_index(x).cmp(&g.file_index(y)))
        });
        t = Table::new(&["node", "lon", "lat", "betweenness_est", "epsilon"]);
        for &v in order.iter().take(if a.top == 0 { n } else { a.top }) {
            t.push(vec![
                g.label(v).into(),
                Cell::Float(g.lon(v), 6),
                Cell::Float(g.lat(v), 6),
                Cell::Float(est.normalised[v as usize], 6),
                Cell::Float(est.epsilon, 6),
            ]);
        }
    } else {
        let mut cuts = vec![f64::INFINITY];
        cuts.extend(a.within.iter().copied());
        warn_if_long(gr, &PathOptions::all(&cuts));
        let pc = path_centrality(gr, &PathOptions::all(&cuts));
        let bn: Vec<Vec<f64>> = pc
            .betweenness
            .iter()
            .map(|r| normalise_betweenness(r, n, gr.directed))
            .collect();
        order.sort_by(|&x, &y| {
            bn[0][y as usize]
                .total_cmp(&bn[0][x as usize])
                .then(g.file_index(x).cmp(&g.file_index(y)))
        });
        let mut head: Vec<String> = vec!["node".into(), "lon".into(), "lat".into()];
        for &c in &cuts {
            let sfx = if c.is_finite() {
                format!("_{c}")
            } else {
                String::new()
            };
            head.push(format!("betweenness{sfx}"));
            head.push(format!("closeness{sfx}"));
            head.push(format!("harmonic{sfx}"));
        }
        let head_ref: Vec<&str> = head.iter().map(String::as_str).collect();
        t = Table::new(&head_ref);
        for &v in order.iter().take(if a.top == 0 { n } else { a.top }) {
            let vi = v as usize;
            let mut row: Vec<Cell> = vec![
                g.label(v).into(),
                Cell::Float(g.lon(v), 6),
                Cell::Float(g.lat(v), 6),
            ];
            for (k, b) in bn.iter().enumerate() {
                row.push(Cell::Float(b[vi], 6));
                row.push(Cell::Float(
                    closeness(pc.distance_sum[k][vi], pc.reached[k][vi], n),
                    6,
                ));
                row.push(Cell::Float(pc.harmonic[k][vi], 4));
            }
            t.push(row);
        }
    }
    emit(&t, a.format, a.out.as_deref())?;
    Ok(ExitCode::SUCCESS)
}
