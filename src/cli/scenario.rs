//! `scenario`, `scenarios`, `sweep`: what a network edit changes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use agglo::algorithms::{
    CircleOptions, CommutingCircle, Direction, Engine, TimeModel, commuting_circles,
};
use agglo::io::{
    QgisFormat, circles_layer, cities_layer, links_layer, renamed, scenario_cities_layer,
    scenario_links_layer,
};
use agglo::scenario::{
    Baseline, Candidate, Comparison, EvalOptions, Objective, RankChange, Scenario, SweepOptions,
    SweepResult, candidates_within, changed_links, compare, evaluate_against, evaluate_baseline,
    rank, read_candidates, sweep_shard,
};
use agglo::shard::{Fingerprint, Part, Shard};
use agglo::{Cell, Mode, Network, Table};
use anyhow::bail;
use clap::Args;
use geojson::{Feature, FeatureCollection, Geometry};

use super::basic::ExportFormat;
use super::qgis::Lang;
use super::shard::{ShardArgs, num};
use super::travel::OriginArg;
use super::{InputArgs, OutFormat, emit};

/// `agglo scenario`.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Commuting budget, minutes. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// Only this section: links, cores, agglomerations, cities (gains and
    /// losses), gains, losses, delineation.
    #[arg(long)]
    pub section: Option<String>,
    /// Where each core's circle starts: all of its urban districts at once, or
    /// its centre node (county level; as `circles --origin`).
    #[arg(long, value_enum, default_value_t = OriginArg::Districts)]
    pub origin: OriginArg,
    /// Cities listed among the largest gains and among the largest losses.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// List every row, unchanged ones included (every core and
    /// agglomeration, every city that gained or lost).
    #[arg(long)]
    pub all: bool,
    /// Folder for QGIS layers with styles: the scenario network's cities and
    /// links, circles before and after, changed links, accessibility change.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Format of the --out layers: geojson (one file a layer) or gpkg (one agglo.gpkg).
    #[arg(long, value_enum, default_value_t = ExportFormat::Geojson)]
    pub out_format: ExportFormat,
    /// Replace the --out folder even if agglo did not write it.
    #[arg(long)]
    pub force: bool,
    /// Label language of the --out layers' styles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Output format (csv needs --section).
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// `agglo scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Commuting budget, minutes. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// Where each core's circle starts: all of its urban districts at once, or
    /// its centre node (county level; as `circles --origin`).
    #[arg(long, value_enum, default_value_t = OriginArg::Districts)]
    pub origin: OriginArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

/// `agglo sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Mode of the candidate links.
    #[arg(long, default_value = "hsr")]
    pub mode: String,
    /// Candidates CSV (from,to,minutes[,km]) instead of generated pairs.
    #[arg(long, value_name = "FILE", conflicts_with = "within_km")]
    pub candidates: Option<PathBuf>,
    /// Generate pairs of cities at most this far apart (great circle). Range (0, 50000].
    #[arg(long, default_value_t = 150.0, value_parser = super::bounds::km)]
    pub within_km: f64,
    /// Speed of a generated candidate, km/h. Range [1, 1000] km/h.
    #[arg(long, default_value_t = 250.0, value_parser = super::bounds::speed)]
    pub speed: f64,
    /// Route km per great-circle km of a generated candidate. Range [1, 10].
    #[arg(long, default_value_t = 1.2, value_parser = super::bounds::detour)]
    pub detour: f64,
    /// Services per day of a candidate. Range (0, 100000].
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::services)]
    pub services: f64,
    /// accessibility, population or gini.
    #[arg(long, default_value = "accessibility")]
    pub objective: String,
    /// Rows printed (and lines written with --out).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Commuting budget, minutes. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// GeoJSON file of the top candidates as lines (with --shard: give it
    /// to `agglo merge` as --geojson).
    #[arg(long, value_name = "FILE", conflicts_with = "shard")]
    pub out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
    #[command(flatten)]
    pub shard: ShardArgs,
}

fn budget(m: f64) -> anyhow::Result<f64> {
    if !(m.is_finite() && m > 0.0) {
        bail!("--minutes must be a positive number, got {m}");
    }
    Ok(m)
}

fn opts(minutes: f64, origin: OriginArg) -> EvalOptions {
    EvalOptions {
        minutes,
        origin: origin.into(),
        ..EvalOptions::default()
    }
}

/// Applies and evaluates one scenario against the baseline evaluation
/// (searching again only the sources its edits can reach).
fn run_one(
    base: &Baseline,
    file: &Path,
    opt: &EvalOptions,
) -> anyhow::Result<(Scenario, Network, Comparison)> {
    let s = Scenario::load(file)?;
    let after = s.apply(base.network())?;
    let e = evaluate_against(base, &after, opt);
    let cmp = compare(base.evaluation(), &e);
    Ok((s, after, cmp))
}

fn name(net: &Network, id: &str) -> String {
    net.city_by_id(id)
        .map_or(id.to_owned(), |c| net.city(c).name.clone())
}

fn arrow(v: Option<usize>) -> String {
    v.map_or("-".into(), |r| r.to_string())
}

/// Characters of the text table's `rank_changes` summary.
const RANK_SUMMARY_WIDTH: usize = 48;

/// One member's move, as the full list gives it: `city before>after`.
fn rank_move(r: &RankChange) -> String {
    format!("{} {}>{}", r.city, arrow(r.before), arrow(r.after))
}

/// The text table's `rank_changes`: how many members' betweenness ranks
/// changed and the largest moves that fit in `width` characters (members
/// that joined or left first, then by places moved; ties by id), with `...`
/// when some are left out. `--format json` and CSV give every move.
fn rank_summary(ranks: &[RankChange], width: usize) -> String {
    if ranks.is_empty() {
        return String::new();
    }
    let places = |r: &RankChange| match (r.before, r.after) {
        (Some(b), Some(a)) => b.abs_diff(a),
        _ => usize::MAX,
    };
    let mut order: Vec<&RankChange> = ranks.iter().collect();
    order.sort_by(|x, y| places(y).cmp(&places(x)).then(x.city.cmp(&y.city)));
    let mut out = format!("{} changed", ranks.len());
    const MORE: &str = ", ...";
    for (i, r) in order.iter().enumerate() {
        let sep = if i == 0 { ": " } else { ", " };
        let item = rank_move(r);
        let last = i + 1 == order.len();
        let room = if last { 0 } else { MORE.len() };
        if out.len() + sep.len() + item.len() + room > width {
            if i > 0 {
                out.push_str(MORE);
            }
            break;
        }
        out.push_str(sep);
        out.push_str(&item);
    }
    out
}

/// One block of the scenario report: a table of the rows that changed (every
/// row with `--all`) and how many rows were left out as unchanged.
struct Section {
    /// Name, as `--section` and the JSON key take it.
    name: &'static str,
    /// What a row is, plural (`cores`, `cities`), for the unchanged line.
    rows: &'static str,
    /// The rows shown.
    table: Table,
    /// Rows left out because nothing changed.
    unchanged: usize,
    /// Changed rows left out by `--top`.
    more: usize,
}

/// The section names `--section` accepts; `cities` is `gains` and `losses`.
const SECTION_NAMES: &str = "links, cores, agglomerations, cities, gains, losses, delineation";

fn sections(
    base: &Network,
    after: &Network,
    cmp: &Comparison,
    top: usize,
    all: bool,
) -> Vec<Section> {
    let mut cores = Table::new(&[
        "core",
        "cities_before",
        "cities_after",
        "pop_before",
        "pop_after",
        "pop_delta",
        "entered",
        "left",
    ]);
    for c in cmp.cores.iter().filter(|c| all || c.changed()) {
        cores.push(vec![
            c.city.as_str().into(),
            c.cities_before.into(),
            c.cities_after.into(),
            c.pop_before.into(),
            c.pop_after.into(),
            Cell::Int(c.pop_delta()),
            c.entered.clone().into(),
            c.left.clone().into(),
        ]);
    }
    let cores_unchanged = cmp.cores.len() - cores.rows.len();
    let mut aggs = Table::new(&[
        "agglomeration",
        "share_before",
        "share_after",
        "access_mean_before",
        "access_mean_after",
        "access_change_pct",
        "gini_before",
        "gini_after",
        "rank_changes",
    ]);
    for a in cmp.agglomerations.iter().filter(|a| all || a.changed()) {
        let pct = if a.access_mean.0 > 0.0 {
            100.0 * (a.access_mean.1 / a.access_mean.0 - 1.0)
        } else {
            0.0
        };
        let ranks: Vec<String> = a.ranks.iter().map(rank_move).collect();
        let ranks = Cell::Summarised {
            summary: rank_summary(&a.ranks, RANK_SUMMARY_WIDTH),
            items: ranks,
        };
        aggs.push(vec![
            a.id.as_str().into(),
            Cell::Float(a.share.0, 3),
            Cell::Float(a.share.1, 3),
            Cell::Float(a.access_mean.0, 0),
            Cell::Float(a.access_mean.1, 0),
            Cell::Float(pct, 2),
            Cell::Float(a.access_gini.0, 4),
            Cell::Float(a.access_gini.1, 4),
            ranks,
        ]);
    }
    let aggs_unchanged = cmp.agglomerations.len() - aggs.rows.len();
    // cmp.cities runs from the largest gain to the largest loss.
    let city_table = |rows: &mut dyn Iterator<Item = &agglo::scenario::CityChange>| {
        let mut t = Table::new(&[
            "city",
            "name",
            "access_before",
            "access_after",
            "delta",
            "change_pct",
        ]);
        for c in rows.take(if all { usize::MAX } else { top }) {
            t.push(vec![
                c.city.as_str().into(),
                name(after, &c.city).into(),
                Cell::Float(c.before, 0),
                Cell::Float(c.after, 0),
                Cell::Float(c.delta(), 0),
                Cell::Float(100.0 * c.relative(), 2),
            ]);
        }
        t
    };
    let gains = city_table(&mut cmp.cities.iter().filter(|c| c.delta() > 0.0));
    let losses = city_table(&mut cmp.cities.iter().rev().filter(|c| c.delta() < 0.0));
    let n_gains = cmp.cities.iter().filter(|c| c.delta() > 0.0).count();
    let n_losses = cmp.cities.iter().filter(|c| c.delta() < 0.0).count();
    let (more_gains, more_losses) = (n_gains - gains.rows.len(), n_losses - losses.rows.len());
    let cities_unchanged = cmp.cities.iter().filter(|c| c.delta() == 0.0).count();
    let mut del = Table::new(&["city", "core_before", "core_after"]);
    for (c, b, a) in &cmp.delineation {
        del.push(vec![c.as_str().into(), b.clone().into(), a.clone().into()]);
    }
    let mut links = Table::new(&[
        "status",
        "from",
        "to",
        "mode",
        "line",
        "minutes_before",
        "minutes_after",
    ]);
    for l in changed_links(base, after) {
        links.push(vec![
            l.status.into(),
            l.from.as_str().into(),
            l.to.as_str().into(),
            l.mode.as_str().into(),
            l.line.clone().into(),
            l.minutes_before.map(|m| Cell::Float(m, 1)).into(),
            l.minutes_after.map(|m| Cell::Float(m, 1)).into(),
        ]);
    }
    let section = |name, rows, table, unchanged, more| Section {
        name,
        rows,
        table,
        unchanged,
        more,
    };
    vec![
        section("links", "links", links, 0, 0),
        section("cores", "cores", cores, cores_unchanged, 0),
        section("agglomerations", "agglomerations", aggs, aggs_unchanged, 0),
        section("gains", "cities", gains, 0, more_gains),
        section("losses", "cities", losses, cities_unchanged, more_losses),
        section("delineation", "cities", del, 0, 0),
    ]
}

impl Section {
    /// The line under the table saying what was left out, if anything.
    fn unchanged_line(&self) -> Option<String> {
        (self.unchanged > 0).then(|| {
            format!(
                "{} {} unchanged (not listed; --all lists every row)",
                self.unchanged, self.rows
            )
        })
    }
    /// The block in a text report: the table (or `none`), then the unchanged line.
    fn text(&self) -> String {
        let mut out = if self.table.rows.is_empty() {
            "none\n".to_owned()
        } else {
            self.table.render(agglo::Format::Table)
        };
        if self.more > 0 {
            out.push_str(&format!(
                "{} more {} (--top raises the limit, --all lists them all)\n",
                self.more, self.rows
            ));
        }
        if let Some(l) = self.unchanged_line() {
            out.push_str(&l);
            out.push('\n');
        }
        out
    }
}

pub fn scenario(input: &InputArgs, a: &ScenarioArgs) -> anyhow::Result<ExitCode> {
    let minutes = budget(a.minutes)?;
    let net = input.load()?;
    let t0 = Instant::now();
    let opt = opts(minutes, a.origin);
    let base = evaluate_baseline(&net, &opt);
    let (s, after, cmp) = run_one(&base, &a.file, &opt)?;
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let secs = sections(&net, &after, &cmp, a.top, a.all);
    let chosen: Vec<&Section> = match a.section.as_deref() {
        Some(x) => {
            let wanted: &[&str] = if x == "cities" {
                &["gains", "losses"]
            } else {
                &[x]
            };
            let v: Vec<_> = secs
                .iter()
                .filter(|sec| wanted.contains(&sec.name))
                .collect();
            if v.is_empty() {
                bail!("unknown --section `{x}` (expected {SECTION_NAMES})");
            }
            v
        }
        None => secs.iter().collect(),
    };
    match (a.format, chosen.len()) {
        (OutFormat::Json, n) if n > 1 => {
            let mut obj = serde_json::Map::new();
            if a.section.is_none() {
                obj.insert("scenario".into(), s.name.clone().into());
                obj.insert("description".into(), s.description.clone().into());
            }
            let mut unchanged = serde_json::Map::new();
            for sec in &chosen {
                let v: serde_json::Value =
                    serde_json::from_str(&sec.table.render(agglo::Format::Json))?;
                obj.insert(sec.name.into(), v);
                if sec.unchanged > 0 {
                    unchanged.insert(sec.rows.into(), sec.unchanged.into());
                }
            }
            obj.insert("unchanged".into(), unchanged.into());
            outln!("{}", serde_json::Value::Object(obj))?;
        }
        (OutFormat::Csv, n) if n > 1 => {
            bail!("--format csv needs one --section (not cities: gains or losses)")
        }
        (OutFormat::Table, n) if n > 1 => {
            if a.section.is_none() {
                outln!(
                    "scenario: {} ({minutes} min budget, evaluated in {ms:.0} ms)",
                    s.name
                )?;
                if !s.description.is_empty() {
                    outln!("{}", s.description.trim())?;
                }
            }
            for (i, sec) in chosen.iter().enumerate() {
                let gap = if a.section.is_none() || i > 0 {
                    "\n"
                } else {
                    ""
                };
                super::print_str(&format!("{gap}## {}\n{}", sec.name, sec.text()))?;
            }
        }
        (OutFormat::Table, _) => super::print_str(&chosen[0].text())?,
        _ => emit(&chosen[0].table, a.format, None)?,
    }
    if let Some(dir) = &a.out {
        layers(&net, &after, &cmp, minutes, dir, a)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn collection(features: Vec<Feature>) -> anyhow::Result<Vec<u8>> {
    Ok((serde_json::to_string(&FeatureCollection::new(features))? + "\n").into_bytes())
}

/// Commuting circles of every agglomeration's cores within `minutes`, with
/// the default time model.
fn circles(net: &Network, minutes: f64, origin: OriginArg) -> Vec<CommutingCircle> {
    let engine = Engine::new(net, TimeModel::default(), None);
    let aggs: Vec<&agglo::Agglomeration> = net.agglomerations().iter().collect();
    commuting_circles(
        net,
        &engine,
        Direction::Out,
        &aggs,
        &[minutes],
        false,
        CircleOptions {
            origin: origin.into(),
            // The scenario keeps the base network's units: the same shapes.
            shapes: super::unit_shapes(net).ok().flatten(),
            ..CircleOptions::default()
        },
    )
}

/// The `--out` folder: styled layers through the shared QGIS writer.
fn layers(
    base: &Network,
    after: &Network,
    cmp: &Comparison,
    minutes: f64,
    dir: &Path,
    a: &ScenarioArgs,
) -> anyhow::Result<()> {
    let format = match a.out_format {
        ExportFormat::Geojson => QgisFormat::GeoJson,
        ExportFormat::Gpkg => QgisFormat::GeoPackage,
        ExportFormat::Csv => bail!("--out-format: layers are geojson or gpkg, not csv"),
    };
    let mut rows: Vec<(agglo::model::CityIdx, f64, f64)> = cmp
        .cities
        .iter()
        .filter(|c| (c.after - c.before).abs() >= 0.5)
        .filter_map(|c| Some((after.city_by_id(&c.city)?, c.before, c.after)))
        .collect();
    rows.sort_by(|x, y| after.city(x.0).id.cmp(&after.city(y.0).id));
    let label = a.lang.field();
    let layers = vec![
        cities_layer(after, label),
        links_layer(after),
        renamed(
            circles_layer(base, &circles(base, minutes, a.origin)),
            "circles_before",
            "Commuting circles of the base network",
        ),
        renamed(
            circles_layer(after, &circles(after, minutes, a.origin)),
            "circles_after",
            "Commuting circles with the scenario",
        ),
        scenario_links_layer(&changed_links(base, after)),
        scenario_cities_layer(after, &rows, label),
    ];
    let files = super::write_folder(dir, &layers, format, a.force)?;
    errln!("wrote {} files to {}", files.len(), dir.display());
    Ok(())
}

pub fn scenarios(input: &InputArgs, a: &ScenariosArgs) -> anyhow::Result<ExitCode> {
    let minutes = budget(a.minutes)?;
    let net = input.load()?;
    let t0 = Instant::now();
    let opt = opts(minutes, a.origin);
    let base = evaluate_baseline(&net, &opt);
    let base_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut t = Table::new(&[
        "scenario",
        "file",
        "links_changed",
        "core_pop_delta",
        "entered",
        "left",
        "access_gain",
        "mean_share_change",
        "mean_gini_change",
        "rank_changes",
        "delineation_changes",
        "ms",
    ]);
    for f in &a.files {
        let t1 = Instant::now();
        let (s, after, cmp) = run_one(&base, f, &opt)?;
        let ms = t1.elapsed().as_secs_f64() * 1e3;
        let k = cmp.agglomerations.len().max(1) as f64;
        t.push(vec![
            s.name.as_str().into(),
            f.display().to_string().into(),
            changed_links(&net, &after).len().into(),
            Cell::Int(cmp.cores.iter().map(|c| c.pop_delta()).sum()),
            cmp.cores
                .iter()
                .map(|c| c.entered.len())
                .sum::<usize>()
                .into(),
            cmp.cores.iter().map(|c| c.left.len()).sum::<usize>().into(),
            Cell::Float(cmp.cities.iter().map(|c| c.after - c.before).sum(), 0),
            Cell::Float(
                cmp.agglomerations
                    .iter()
                    .map(|x| x.share.1 - x.share.0)
                    .sum::<f64>()
                    / k,
                5,
            ),
            Cell::Float(
                cmp.agglomerations
                    .iter()
                    .map(|x| x.access_gini.1 - x.access_gini.0)
                    .sum::<f64>()
                    / k,
                5,
            ),
            cmp.agglomerations
                .iter()
                .map(|x| x.ranks.len())
                .sum::<usize>()
                .into(),
            cmp.delineation.len().into(),
            Cell::Float(ms, 1),
        ]);
    }
    emit(&t, a.format, None)?;
    errln!("baseline evaluated in {base_ms:.1} ms");
    Ok(ExitCode::SUCCESS)
}

/// A ranked sweep result with its ends' coordinates (for the GeoJSON lines).
struct Ranked {
    result: SweepResult,
    /// lon, lat of `from` and of `to`.
    ends: [f64; 4],
}

/// The fingerprint of a sweep: options, every candidate and the network.
fn sweep_fingerprint(
    net: &Network,
    cands: &[Candidate],
    opt: &SweepOptions,
    a: &SweepArgs,
) -> String {
    let mut f = Fingerprint::new("sweep");
    f.field("options", opt);
    f.field("top", a.top);
    f.field("format", a.format);
    f.field("candidates", cands.len());
    for c in cands {
        f.field("candidate", c);
    }
    f.network(net);
    f.hex()
}

/// The part columns of a sweep shard.
const SWEEP_COLUMNS: [&str; 13] = [
    "index",
    "from",
    "to",
    "km",
    "minutes",
    "pop_gain",
    "access_gain",
    "gini_change",
    "recomputed",
    "from_lon",
    "from_lat",
    "to_lon",
    "to_lat",
];

pub fn sweep_cmd(input: &InputArgs, a: &SweepArgs) -> anyhow::Result<ExitCode> {
    let minutes = budget(a.minutes)?;
    let mode: Mode = a.mode.parse()?;
    let objective: Objective = a.objective.parse().map_err(anyhow::Error::msg)?;
    for (v, what) in [
        (a.speed, "--speed"),
        (a.detour, "--detour"),
        (a.services, "--services"),
        (a.within_km, "--within-km"),
    ] {
        if !(v.is_finite() && v > 0.0) {
            bail!("{what} must be a positive number, got {v}");
        }
    }
    let net = input.load()?;
    let cands = match &a.candidates {
        Some(p) => read_candidates(&net, p)?,
        None => candidates_within(&net, mode, a.within_km, a.speed, a.detour),
    };
    let opt = SweepOptions {
        mode,
        services_per_day: a.services,
        minutes,
        model: TimeModel::default(),
        objective,
    };
    let shard = a.shard.get();
    let t0 = Instant::now();
    let res = sweep_shard(&net, &cands, &opt, shard.map_or(Shard::WHOLE, |s| s.0))?;
    let secs = t0.elapsed().as_secs_f64();
    let evaluated = res.len();
    let ranked: Vec<Ranked> = res
        .into_iter()
        .take(a.top)
        .map(|result| {
            let c = &result.candidate;
            let (x, y) = (
                net.city(net.city_by_id(&c.from).expect("checked")),
                net.city(net.city_by_id(&c.to).expect("checked")),
            );
            Ranked {
                ends: [x.lon, x.lat, y.lon, y.lat],
                result,
            }
        })
        .collect();
    if let Some((shard, part)) = shard {
        let rows: Vec<Vec<String>> = ranked
            .iter()
            .map(|r| {
                let (x, c) = (&r.result, &r.result.candidate);
                let mut row = vec![
                    x.index.to_string(),
                    c.from.clone(),
                    c.to.clone(),
                    num(c.km),
                    num(c.minutes),
                    num(x.pop_gain),
                    num(x.access_gain),
                    num(x.gini_change),
                    x.recomputed.to_string(),
                ];
                row.extend(r.ends.iter().map(|&v| num(v)));
                row
            })
            .collect();
        let meta = serde_json::json!({
            "format": super::shard::format_name(a.format),
            "top": a.top,
            "objective": a.objective,
            "candidates": cands.len(),
        });
        let h = super::shard::header(
            "sweep",
            shard,
            sweep_fingerprint(&net, &cands, &opt, a),
            meta,
        );
        super::shard::write(part, h, &SWEEP_COLUMNS, &rows)?;
    } else {
        let (text, geojson) = sweep_outputs(&ranked, a.format, a.out.is_some())?;
        super::print_str(&text)?;
        if let Some(p) = &a.out {
            super::write_out(p, &geojson)?;
        }
    }
    errln!(
        "{evaluated} candidates evaluated in {:.2} s ({:.0} candidates/s, {} threads)",
        secs,
        evaluated as f64 / secs.max(1e-9),
        rayon::current_num_threads()
    );
    Ok(ExitCode::SUCCESS)
}

/// The printed table of ranked candidates and, when `geojson`, the GeoJSON
/// lines `--out` writes.
fn sweep_outputs(
    ranked: &[Ranked],
    format: OutFormat,
    geojson: bool,
) -> anyhow::Result<(String, Vec<u8>)> {
    let mut t = Table::new(&[
        "rank",
        "from",
        "to",
        "km",
        "minutes",
        "pop_gain",
        "access_gain",
        "gini_change",
        "recomputed",
    ]);
    let mut feats = Vec::new();
    for (i, r) in ranked.iter().enumerate() {
        let (x, c) = (&r.result, &r.result.candidate);
        t.push(vec![
            (i + 1).into(),
            c.from.as_str().into(),
            c.to.as_str().into(),
            Cell::Float(c.km, 0),
            Cell::Float(c.minutes, 1),
            Cell::Float(x.pop_gain, 0),
            Cell::Float(x.access_gain, 0),
            Cell::Float(x.gini_change, 5),
            x.recomputed.into(),
        ]);
        let e = r.ends.map(agglo::io::round6);
        let mut f = Feature::from(Geometry::new_line_string(vec![
            vec![e[0], e[1]],
            vec![e[2], e[3]],
        ]));
        f.set_property("rank", i + 1);
        f.set_property("from", c.from.clone());
        f.set_property("to", c.to.clone());
        f.set_property("minutes", (c.minutes * 10.0).round() / 10.0);
        f.set_property("pop_gain", x.pop_gain.round());
        f.set_property("access_gain", x.access_gain.round());
        f.set_property("gini_change", x.gini_change);
        feats.push(f);
    }
    let geojson = if geojson {
        collection(feats)?
    } else {
        Vec::new()
    };
    Ok((t.render(format.into()), geojson))
}

/// `agglo merge` of sweep parts: every shard's best candidates ranked
/// together, the top kept, printed as `agglo sweep` prints them.
pub fn merge_sweep(parts: &[Part], geojson: bool) -> anyhow::Result<(String, Vec<u8>)> {
    let first = &parts[0];
    let format = super::shard::part_format(first)?;
    let meta = &first.header.meta;
    let bad_meta = |field: &str| {
        anyhow::anyhow!(
            "{}: line 1: field `meta.{field}` is missing or invalid",
            first.path.display()
        )
    };
    let top = meta["top"].as_u64().ok_or_else(|| bad_meta("top"))? as usize;
    let objective: Objective = meta["objective"]
        .as_str()
        .ok_or_else(|| bad_meta("objective"))?
        .parse()
        .map_err(|_| bad_meta("objective"))?;
    let mut all = Vec::new();
    for p in parts {
        if p.columns != SWEEP_COLUMNS {
            bail!(
                "{}: line 2: expected the columns {}",
                p.path.display(),
                SWEEP_COLUMNS.join(",")
            );
        }
        for r in 0..p.rows.len() {
            let index = p.whole(r, 0)?;
            if !p.shard().contains(index) {
                return Err(p
                    .error(
                        r,
                        format!("field `index`: {index} is not in shard {}", p.shard()),
                    )
                    .into());
            }
            let f = |c: usize| p.float(r, c);
            all.push(Ranked {
                result: SweepResult {
                    index,
                    candidate: Candidate {
                        from: p.text(r, 1)?.to_owned(),
                        to: p.text(r, 2)?.to_owned(),
                        km: f(3)?,
                        minutes: f(4)?,
                    },
                    pop_gain: f(5)?,
                    access_gain: f(6)?,
                    gini_change: f(7)?,
                    recomputed: p.whole(r, 8)?,
                },
                ends: [f(9)?, f(10)?, f(11)?, f(12)?],
            });
        }
    }
    // Rank through the library's order, carrying the coordinates along.
    let mut results: Vec<SweepResult> = all.iter().map(|r| r.result.clone()).collect();
    rank(&mut results, objective);
    let mut ends = std::collections::HashMap::new();
    for r in &all {
        if ends.insert(r.result.index, r.ends).is_some() {
            bail!(
                "candidate {} appears twice in the parts",
                r.result.index + 1
            );
        }
    }
    let ranked: Vec<Ranked> = results
        .into_iter()
        .take(top)
        .map(|result| Ranked {
            ends: ends.remove(&result.index).unwrap_or([0.0; 4]),
            result,
        })
        .collect();
    sweep_outputs(&ranked, format, geojson)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(city: &str, before: Option<usize>, after: Option<usize>) -> RankChange {
        RankChange {
            city: city.into(),
            before,
            after,
        }
    }

    #[test]
    fn rank_summary_counts_and_lists_the_largest_moves_that_fit() {
        let ranks = vec![
            moved("110105", Some(19), Some(14)),
            moved("110106", Some(14), Some(15)),
            moved("131082", Some(101), Some(22)),
            moved("110117", Some(62), Some(91)),
            moved("xiongan", None, Some(40)),
        ];
        assert_eq!(
            rank_summary(&ranks, 48),
            "5 changed: xiongan ->40, 131082 101>22, ..."
        );
        assert_eq!(
            rank_summary(&ranks, 200),
            "5 changed: xiongan ->40, 131082 101>22, 110117 62>91, 110105 19>14, 110106 14>15"
        );
        assert_eq!(rank_summary(&ranks, 5), "5 changed");
        assert_eq!(rank_summary(&[], 48), "");
        for w in 0..120 {
            let s = rank_summary(&ranks, w);
            assert!(s.len() <= w.max("5 changed".len()), "{w}: {s}");
        }
    }
}
