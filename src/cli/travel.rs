//! `route`, `reach`, `matrix`, `circles`: door-to-door searches.

use std::path::PathBuf;
use std::process::ExitCode;

use agglo::algorithms::{
    CircleOptions, CircleOrigin, CommutingCircle, Direction, Engine, TimeModel, Workspace,
    commuting_circles,
};
use agglo::io::{circle_units_layer, circles_layer, layer_to_geojson};
use agglo::scenario::Scenario;
use agglo::{Cell, CityIdx, Mode, Network, Table};
use anyhow::bail;
use clap::{Args, ValueEnum};
use serde_json::json;

use super::shard::{
    ShardArgs, format_name, header, matrix_columns, matrix_rows, merge_matrix, part_format, write,
};
use super::{InputArgs, OutFormat, emit};
use agglo::shard::{Fingerprint, Part, Shard};

/// Options of the door-to-door time model, shared by every travel command.
#[derive(Debug, Args, Clone)]
pub struct ModelArgs {
    /// Modes that may be used, comma-separated (hsr,rail,expressway,road,ferry).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "hsr,rail,expressway,road,ferry"
    )]
    pub modes: Vec<String>,
    /// At most this many changes of line or mode. Range [0, 20].
    #[arg(long, value_parser = super::bounds::transfers)]
    pub max_transfers: Option<usize>,
    /// Minutes added at each change of line or mode. Range [0, 1440].
    #[arg(long, default_value_t = 10.0, value_parser = super::bounds::penalty)]
    pub transfer_min: f64,
    /// Leave out the expected wait for scheduled services.
    #[arg(long)]
    pub no_wait: bool,
    /// Leave out access and egress (station to station times).
    #[arg(long)]
    pub no_access: bool,
    /// Default minutes from a centre to its HSR station (where the city gives none). Range [0, 1440].
    #[arg(long, default_value_t = 15.0, value_parser = super::bounds::penalty)]
    pub access_hsr_min: f64,
    /// Default minutes from a centre to its conventional rail station. Range [0, 1440].
    #[arg(long, default_value_t = 10.0, value_parser = super::bounds::penalty)]
    pub access_rail_min: f64,
    /// `out`: trips from the given cities; `in`: trips towards them.
    #[arg(long, value_enum, default_value_t = DirArg::Out)]
    pub direction: DirArg,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DirArg {
    Out,
    In,
}

impl ModelArgs {
    pub fn model(&self) -> anyhow::Result<TimeModel> {
        let mut modes = Vec::new();
        for m in &self.modes {
            modes.push(m.parse::<Mode>()?);
        }
        for (name, v) in [
            ("--transfer-min", self.transfer_min),
            ("--access-hsr-min", self.access_hsr_min),
            ("--access-rail-min", self.access_rail_min),
        ] {
            if !v.is_finite() || v < 0.0 {
                bail!("{name} must be a non-negative number, got {v}");
            }
        }
        Ok(TimeModel {
            modes,
            wait: !self.no_wait,
            access: !self.no_access,
            transfer_min: self.transfer_min,
            access_hsr_min: self.access_hsr_min,
            access_rail_min: self.access_rail_min,
            ..TimeModel::default()
        })
    }
    pub fn direction(&self) -> Direction {
        match self.direction {
            DirArg::Out => Direction::Out,
            DirArg::In => Direction::In,
        }
    }
}

fn budgets(list: &[f64]) -> anyhow::Result<Vec<f64>> {
    let mut b = list.to_vec();
    if b.is_empty() || b.iter().any(|m| !m.is_finite() || *m <= 0.0) {
        bail!("--minutes takes positive numbers, e.g. 60 or 30,45,60,90");
    }
    b.sort_by(f64::total_cmp);
    b.dedup();
    Ok(b)
}

/// `--scenario FILE`: answer on the network as a scenario changes it.
#[derive(Debug, Args, Clone)]
pub struct ScenarioArg {
    /// Apply this scenario (TOML) to the network first: the trip times with
    /// the new line, or without the removed one.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

impl ScenarioArg {
    /// The loaded network, with the scenario applied when one is given.
    pub fn network(&self, input: &InputArgs) -> anyhow::Result<Network> {
        let net = input.load()?;
        match &self.scenario {
            Some(file) => Ok(Scenario::load(file)?.apply(&net)?),
            None => Ok(net),
        }
    }
}

#[derive(Debug, Args)]
pub struct RouteArgs {
    /// Origin city (id, English or Chinese name).
    #[arg(long)]
    pub from: String,
    /// Destination city.
    #[arg(long)]
    pub to: String,
    #[command(flatten)]
    pub scenario: ScenarioArg,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Origin city or cities, comma-separated (one multi-source search).
    #[arg(long)]
    pub from: String,
    /// Budget(s) in minutes, comma-separated: nested results from one search. Range (0, 10080].
    #[arg(long, value_delimiter = ',', default_value = "60", value_parser = super::bounds::budget)]
    pub minutes: Vec<f64>,
    #[command(flatten)]
    pub scenario: ScenarioArg,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// The members of this agglomeration.
    #[arg(long, conflicts_with = "between")]
    pub agglomeration: Option<String>,
    /// These cities, comma-separated.
    #[arg(long)]
    pub between: Option<String>,
    /// Leave pairs slower than this empty (bounded searches). Range (0, 10080].
    #[arg(long, value_parser = super::bounds::budget)]
    pub max_minutes: Option<f64>,
    #[command(flatten)]
    pub scenario: ScenarioArg,
    #[command(flatten)]
    pub model: ModelArgs,
    /// `table` and `csv` give a square matrix; `json` an object with `cities` and `minutes`.
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
pub struct CirclesArgs {
    /// Budget(s) in minutes: nested circles from one search per core. Range (0, 10080].
    #[arg(long, value_delimiter = ',', default_value = "60", value_parser = super::bounds::budget)]
    pub minutes: Vec<f64>,
    /// Only these agglomerations, comma-separated (default: every agglomeration).
    #[arg(long, value_delimiter = ',')]
    pub agglomeration: Vec<String>,
    /// One circle per agglomeration: the area within the budget of any core.
    #[arg(long)]
    pub union: bool,
    /// Local speed (km/h) at which minutes left on arrival are spent. Range [1, 200] km/h.
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::local_speed)]
    pub local_speed: f64,
    /// Where each core's circle starts: all of its urban districts at once, or
    /// its centre (county level; a core without county units starts from its
    /// own node either way).
    #[arg(long, value_enum, default_value_t = OriginArg::Districts)]
    pub origin: OriginArg,
    /// One row per core with units, population (millions) and area (km²) at
    /// each budget, instead of one row per core and budget.
    #[arg(long)]
    pub summary: bool,
    /// List the units inside each circle at the largest budget (the rows of
    /// the `--cities-out` layer), instead of one row per circle.
    #[arg(long, conflicts_with = "summary")]
    pub units: bool,
    /// Write the circles as GeoJSON polygons.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the reached cities as GeoJSON points with their minutes.
    #[arg(long)]
    pub cities_out: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

fn name(net: &Network, c: CityIdx) -> String {
    net.city(c).id.clone()
}

pub fn route(input: &InputArgs, a: &RouteArgs) -> anyhow::Result<ExitCode> {
    let net = a.scenario.network(input)?;
    let (from, to) = (net.find_city(&a.from)?, net.find_city(&a.to)?);
    let engine = Engine::new(&net, a.model.model()?, a.model.max_transfers);
    let mut ws = engine.workspace();
    let (anchor, other) = match a.model.direction() {
        Direction::Out => (from, to),
        Direction::In => (to, from),
    };
    engine.search(&mut ws, &[anchor], a.model.direction(), f64::INFINITY);
    let total = engine.time_to(&ws, other);
    let mut t = Table::new(&["step", "kind", "from", "to", "mode", "line", "minutes"]);
    if !total.is_finite() {
        let message = format!(
            "unreachable: no trip from {} to {} with modes {}",
            name(&net, from),
            name(&net, to),
            a.model.modes.join(",")
        );
        // JSON and CSV stay parseable: the message goes to stderr.
        match a.format {
            OutFormat::Table => outln!("{message}")?,
            OutFormat::Csv => {
                emit(&t, a.format, None)?;
                errln!("{message}");
            }
            OutFormat::Json => {
                let v = json!({"from": name(&net, from), "to": name(&net, to), "minutes": null, "legs": []});
                outln!("{}", serde_json::to_string_pretty(&v)?)?;
                errln!("{message}");
            }
        }
        return Ok(ExitCode::from(1));
    }
    for (i, l) in engine.legs(&ws, other).iter().enumerate() {
        t.push(vec![
            (i + 1).into(),
            l.kind.into(),
            name(&net, l.from).into(),
            name(&net, l.to).into(),
            l.mode.as_str().into(),
            l.line.clone().into(),
            Cell::Float(l.minutes, 1),
        ]);
    }
    if a.format == OutFormat::Json {
        let v = json!({"from": name(&net, from), "to": name(&net, to), "minutes": (total * 10.0).round() / 10.0,
            "legs": t.rows.iter().map(|r| t.row_json(r)).collect::<Vec<_>>()});
        outln!("{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        t.push(vec![
            Cell::Empty,
            "total".into(),
            name(&net, from).into(),
            name(&net, to).into(),
            Cell::Empty,
            Cell::Empty,
            Cell::Float(total, 1),
        ]);
        emit(&t, a.format, None)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The modes of the fastest trip to `c`, in order, a mode repeated only
/// after a different one.
fn path_modes(engine: &Engine, ws: &Workspace, c: CityIdx) -> Vec<String> {
    let mut modes: Vec<String> = Vec::new();
    for (l, _, _) in engine.path(ws, c) {
        let m = engine.network().links()[l].mode.as_str();
        if modes.last().map(String::as_str) != Some(m) {
            modes.push(m.to_owned());
        }
    }
    modes
}

pub fn reach(input: &InputArgs, a: &ReachArgs) -> anyhow::Result<ExitCode> {
    let net = a.scenario.network(input)?;
    let origins = net.find_cities(&a.from)?;
    if origins.is_empty() {
        bail!("--from names no city");
    }
    let b = budgets(&a.minutes)?;
    let max = *b.last().expect("non-empty");
    let engine = Engine::new(&net, a.model.model()?, a.model.max_transfers);
    let mut ws = engine.workspace();
    engine.search(&mut ws, &origins, a.model.direction(), max);
    let reach = engine.reach(&ws);
    let mut t = Table::new(&[
        "id", "name", "name_zh", "minutes", "within", "modes", "pop_2020",
    ]);
    for &(c, m) in &reach.times {
        let city = net.city(c);
        let within = b.iter().find(|x| m <= **x).copied().unwrap_or(max);
        t.push(vec![
            city.id.as_str().into(),
            city.name.as_str().into(),
            city.name_zh.as_str().into(),
            Cell::Float(m, 1),
            Cell::Float(within, 0),
            path_modes(&engine, &ws, c).into(),
            city.pop_2020.into(),
        ]);
    }
    let totals: Vec<(f64, usize, u64)> = b
        .iter()
        .map(|&x| {
            let inside: Vec<_> = reach.times.iter().filter(|(_, m)| *m <= x).collect();
            (
                x,
                inside.len(),
                inside.iter().map(|(c, _)| net.city(*c).pop_2020).sum(),
            )
        })
        .collect();
    match a.format {
        OutFormat::Json => {
            let v = json!({
                "from": origins.iter().map(|&c| name(&net, c)).collect::<Vec<_>>(),
                "totals": totals.iter().map(|(m, n, p)| json!({"minutes": m, "cities": n, "population": p})).collect::<Vec<_>>(),
                "cities": t.rows.iter().map(|r| t.row_json(r)).collect::<Vec<_>>(),
            });
            outln!("{}", serde_json::to_string_pretty(&v)?)?;
        }
        OutFormat::Csv => emit(&t, a.format, None)?,
        OutFormat::Table => {
            emit(&t, a.format, None)?;
            for (m, n, p) in totals {
                outln!("within {m} min: {n} cities, population {p}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn matrix(input: &InputArgs, a: &MatrixArgs) -> anyhow::Result<ExitCode> {
    let net = a.scenario.network(input)?;
    let cities: Vec<CityIdx> = match (&a.agglomeration, &a.between) {
        (Some(q), _) => net.find_agglomeration(q)?.members.clone(),
        (None, Some(list)) => net.find_cities(list)?,
        (None, None) => bail!("give --agglomeration ID or --between a,b,c"),
    };
    let budget = a.max_minutes.unwrap_or(f64::INFINITY);
    let model = a.model.model()?;
    let engine = Engine::new(&net, model.clone(), a.model.max_transfers);
    let mut ws = engine.workspace();
    let dir = a.model.direction();
    let shard = a.shard.get();
    let rows: Vec<usize> = shard
        .map_or(Shard::WHOLE, |s| s.0)
        .positions(cities.len())
        .collect();
    let mut m = vec![vec![f64::INFINITY; cities.len()]; rows.len()];
    for (k, &i) in rows.iter().enumerate() {
        engine.search(&mut ws, &[cities[i]], dir, budget);
        for (j, &d) in cities.iter().enumerate() {
            // With --direction in, row i holds trips towards city i.
            m[k][j] = engine.time_to(&ws, d);
        }
    }
    let ids: Vec<String> = cities.iter().map(|&c| name(&net, c)).collect();
    let dir_name = format!("{dir:?}").to_lowercase();
    if let Some((shard, part)) = shard {
        let mut f = Fingerprint::new("matrix");
        f.field("cities", &cities);
        f.field("max_minutes", budget);
        f.field("model", &model);
        f.field("max_transfers", a.model.max_transfers);
        f.field("direction", &dir_name);
        f.field("format", a.format);
        f.network(&net);
        let meta = json!({"format": format_name(a.format), "direction": dir_name});
        let h = header("matrix", shard, f.hex(), meta);
        write(part, h, &matrix_columns(&ids), &matrix_rows(&rows, &m))?;
        return Ok(ExitCode::SUCCESS);
    }
    let text = matrix_text(&ids, &dir_name, &m, a.format)?;
    match &a.out {
        Some(p) => super::write_out(p, text.as_bytes())?,
        None => super::print_str(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The matrix as `agglo matrix` prints it.
fn matrix_text(
    ids: &[String],
    dir_name: &str,
    m: &[Vec<f64>],
    format: OutFormat,
) -> anyhow::Result<String> {
    Ok(if format == OutFormat::Json {
        let rows: Vec<Vec<Option<f64>>> = m
            .iter()
            .map(|r| {
                r.iter()
                    .map(|v| v.is_finite().then(|| (v * 10.0).round() / 10.0))
                    .collect()
            })
            .collect();
        let mut s = serde_json::to_string_pretty(
            &json!({"cities": ids, "direction": dir_name, "minutes": rows}),
        )?;
        s.push('\n');
        s
    } else {
        let mut cols = vec!["from"];
        cols.extend(ids.iter().map(String::as_str));
        let mut t = Table::new(&cols);
        for (i, r) in m.iter().enumerate() {
            let mut row = vec![Cell::from(ids[i].as_str())];
            row.extend(r.iter().map(|v| {
                if v.is_finite() {
                    Cell::Float(*v, 1)
                } else {
                    Cell::Empty
                }
            }));
            t.push(row);
        }
        t.render(format.into())
    })
}

/// `agglo merge` of `matrix` parts: the matrix as the unsharded run prints it.
pub fn merge_matrix_parts(parts: &[Part]) -> anyhow::Result<String> {
    let (ids, m) = merge_matrix(parts)?;
    let p = &parts[0];
    let dir_name = p.header.meta["direction"].as_str().ok_or_else(|| {
        anyhow::anyhow!(
            "{}: line 1: field `meta.direction` is missing",
            p.path.display()
        )
    })?;
    matrix_text(&ids, dir_name, &m, part_format(p)?)
}

/// Where a circle starts (see [`agglo::algorithms::CircleOrigin`]).
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OriginArg {
    /// The core's centre node.
    Centre,
    /// The core's urban districts (城区), all at once.
    Districts,
}

impl From<OriginArg> for CircleOrigin {
    fn from(o: OriginArg) -> CircleOrigin {
        match o {
            OriginArg::Centre => CircleOrigin::Centre,
            OriginArg::Districts => CircleOrigin::Districts,
        }
    }
}

pub fn circles(input: &InputArgs, a: &CirclesArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let b = budgets(&a.minutes)?;
    let max = *b.last().expect("non-empty");
    if !a.local_speed.is_finite() || a.local_speed < 0.0 {
        bail!("--local-speed must be a non-negative number of km/h");
    }
    let aggs: Vec<&agglo::Agglomeration> = if a.agglomeration.is_empty() {
        net.agglomerations().iter().collect()
    } else {
        a.agglomeration
            .iter()
            .map(|q| net.find_agglomeration(q))
            .collect::<Result<_, _>>()?
    };
    let engine = Engine::new(&net, a.model.model()?, a.model.max_transfers);
    let opt = CircleOptions {
        local_speed_kmh: a.local_speed,
        origin: a.origin.into(),
        shapes: super::unit_shapes(&net)?,
    };
    let circles = commuting_circles(&net, &engine, a.model.direction(), &aggs, &b, a.union, opt);
    let mut t = Table::new(&[
        "agglomeration",
        "core",
        "minutes",
        "cities",
        "population",
        "share",
        "area_km2",
        "outside",
    ]);
    for c in &circles {
        let ag = net.find_agglomeration(&c.agglomeration)?;
        let core_label = c
            .cores
            .iter()
            .map(|&o| name(&net, o))
            .collect::<Vec<_>>()
            .join("+");
        let outside: Vec<String> = c.outside.iter().map(|&m| name(&net, m)).collect();
        t.push(vec![
            ag.id.as_str().into(),
            core_label.as_str().into(),
            Cell::Float(c.minutes, 0),
            c.cities.len().into(),
            c.population.into(),
            Cell::Float(c.member_share, 3),
            Cell::Float(c.area_km2, 0),
            outside.into(),
        ]);
    }
    if let Some(p) = &a.out {
        super::write_out(
            p,
            (serde_json::to_string(&layer_to_geojson(&circles_layer(&net, &circles).layer)?)?
                + "\n")
                .as_bytes(),
        )?;
    }
    if let Some(p) = &a.cities_out {
        let layer = circle_units_layer(&net, &circles, max).layer;
        super::write_out(
            p,
            (serde_json::to_string(&layer_to_geojson(&layer)?)? + "\n").as_bytes(),
        )?;
    }
    if a.summary {
        emit(&circle_summary(&net, &circles, &b), a.format, None)?;
    } else if a.units {
        emit(
            &circle_units_layer(&net, &circles, max)
                .layer
                .to_table(false),
            a.format,
            None,
        )?;
    } else {
        emit(&t, a.format, None)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One row per core (or core set) and agglomeration: units, population in
/// millions and area for each budget, in budget order.
fn circle_summary(net: &Network, circles: &[CommutingCircle], budgets: &[f64]) -> Table {
    let mut cols = vec!["agglomeration".to_owned(), "core".to_owned()];
    for b in budgets {
        cols.extend([format!("n_{b}"), format!("pop_{b}"), format!("km2_{b}")]);
    }
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut t = Table::new(&cols);
    let mut k = 0;
    while k < circles.len() {
        let first = &circles[k];
        let core: Vec<String> = first.cores.iter().map(|&o| name(net, o)).collect();
        let mut row = vec![first.agglomeration.as_str().into(), core.join("+").into()];
        for c in circles[k..].iter().take(budgets.len()) {
            row.push(c.cities.len().into());
            row.push(Cell::Float(c.population as f64 / 1e6, 2));
            row.push(Cell::Float(c.area_km2, 0));
        }
        t.push(row);
        k += budgets.len();
    }
    t
}
