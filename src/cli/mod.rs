//! Command-line arguments and one module per subcommand.

/// `println!` through [`print_str`]: a closed stdout is an error, not a panic.
/// `eprintln!` that never panics: a message to a closed or broken stderr
/// (`agglo ... 2>&1 | head -1`) is dropped, as a tool's diagnostics would be.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

macro_rules! outln {
    () => {
        $crate::cli::print_str("\n")
    };
    ($($arg:tt)*) => {
        $crate::cli::print_str(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod basic;
mod bounds;
mod centrality;
mod map;
mod qgis;
mod road;
mod scenario;
mod shard;
mod structure;
mod travel;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agglo::io::{CountySource, Input};
use agglo::{Format, Network};
use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Network analysis of urban agglomerations: commuting circles, travel times,
/// centrality and scenarios on China's city network (embedded) or your own.
#[derive(Debug, Parser)]
#[command(name = "agglo", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the network comes from (default: the embedded national dataset).
#[derive(Debug, Args)]
#[command(next_help_heading = "Input options")]
pub struct InputArgs {
    /// Folder with cities.csv, links.csv and optionally agglomerations.csv.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// cities.csv (with --links, optionally --agglomerations).
    #[arg(long, global = true, value_name = "FILE")]
    pub cities: Option<PathBuf>,
    /// links.csv.
    #[arg(long, global = true, value_name = "FILE")]
    pub links: Option<PathBuf>,
    /// agglomerations.csv.
    #[arg(long, global = true, value_name = "FILE")]
    pub agglomerations: Option<PathBuf>,
    /// One GeoJSON FeatureCollection (cities as Points, links as LineStrings).
    #[arg(long, global = true, value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// Level of detail: `prefecture` (one node per city) or `county` (county-level
    /// units as nodes too; the embedded data and a --data folder with
    /// counties.csv have them).
    #[arg(long, global = true, value_enum, default_value_t = LevelArg::Prefecture)]
    pub level: LevelArg,
    /// counties.csv of county-level units (implies --level county).
    #[arg(long, global = true, value_name = "FILE")]
    pub counties: Option<PathBuf>,
    /// county_links.csv: links naming county units (with --counties).
    #[arg(long, global = true, value_name = "FILE", requires = "counties")]
    pub county_links: Option<PathBuf>,
    /// Do not print warnings about the input.
    #[arg(long, global = true)]
    pub quiet: bool,
}

/// Level of detail of the network's units.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LevelArg {
    /// Prefecture-level cities (one node per city).
    Prefecture,
    /// County-level units: districts, county-level cities and counties.
    County,
}

/// Output format.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutFormat {
    /// Aligned text.
    Table,
    /// CSV with a header.
    Csv,
    /// JSON array of objects.
    Json,
}

impl From<OutFormat> for Format {
    fn from(f: OutFormat) -> Format {
        match f {
            OutFormat::Table => Format::Table,
            OutFormat::Csv => Format::Csv,
            OutFormat::Json => Format::Json,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Counts of cities, links by mode, agglomerations, population, bounding box.
    Info(basic::InfoArgs),
    /// Check the input and print every problem found; exit 1 on any error.
    Validate(basic::ValidateArgs),
    /// Write the network as loaded (GeoJSON, or a folder of CSV files).
    Export(basic::ExportArgs),
    /// List cities, optionally of one agglomeration.
    Cities(basic::CitiesArgs),
    /// The cities nearest to a coordinate.
    Nearest(basic::NearestArgs),
    /// Fastest door-to-door trip between two cities, leg by leg.
    Route(travel::RouteArgs),
    /// Every city within a time budget of one or more cities.
    Reach(travel::ReachArgs),
    /// Door-to-door travel-time matrix.
    Matrix(travel::MatrixArgs),
    /// One-hour (or other) commuting circles of core cities, with polygons.
    Circles(travel::CirclesArgs),
    /// A static map (SVG or PNG): circles, links by mode, cities by population.
    Map(map::MapArgs),
    /// Centrality and accessibility of cities, ranked within each agglomeration.
    Centrality(centrality::CentralityArgs),
    /// Size class of every city (2014 standard) and counts per class.
    Tiers(structure::TiersArgs),
    /// Cluster structure: primacy, rank-size, Gini and structure type.
    Structure(structure::StructureArgs),
    /// Growth 2010-2020: cores against the rest and against their rings.
    Growth(structure::GrowthArgs),
    /// Metropolitan areas derived from the network, against the official ones.
    Delineate(structure::DelineateArgs),
    /// What a scenario file changes against the baseline network.
    Scenario(scenario::ScenarioArgs),
    /// Several scenarios side by side, with their evaluation times.
    Scenarios(scenario::ScenariosArgs),
    /// Rank candidate new links, each evaluated as its own scenario.
    Sweep(scenario::SweepArgs),
    /// Large road networks (DIMACS, CSV, GeoJSON): reach, circles, matrix, centrality.
    Road(road::RoadArgs),
    /// Join the part files of a sharded sweep or matrix (--shard I/N) into
    /// the output of the unsharded run.
    Merge(shard::MergeArgs),
}

impl InputArgs {
    pub fn input(&self) -> anyhow::Result<Input> {
        let csv_given =
            self.cities.is_some() || self.links.is_some() || self.agglomerations.is_some();
        let sources = [self.data.is_some(), csv_given, self.network.is_some()];
        if sources.iter().filter(|b| **b).count() > 1 {
            bail!("give only one of --data, --cities/--links/--agglomerations, --network");
        }
        Ok(if let Some(d) = &self.data {
            Input::Dir(d.clone())
        } else if let Some(n) = &self.network {
            Input::GeoJson(n.clone())
        } else if csv_given {
            let (Some(c), Some(l)) = (&self.cities, &self.links) else {
                bail!(
                    "--cities and --links go together (--agglomerations is optional); \
                     `tiers` lists cities with --list and `matrix` takes --between a,b,c"
                );
            };
            Input::Files {
                cities: c.clone(),
                links: l.clone(),
                agglomerations: self.agglomerations.clone(),
            }
        } else {
            Input::Embedded
        })
    }

    /// Whether the network is the embedded dataset (at either level).
    pub fn is_embedded(&self) -> bool {
        self.data.is_none()
            && self.cities.is_none()
            && self.links.is_none()
            && self.agglomerations.is_none()
            && self.network.is_none()
            && self.counties.is_none()
    }

    /// Whether any of --data, --cities, --links, --agglomerations, --network
    /// was given.
    pub fn any_source(&self) -> bool {
        self.data.is_some()
            || self.cities.is_some()
            || self.links.is_some()
            || self.agglomerations.is_some()
            || self.network.is_some()
            || self.counties.is_some()
            || self.level != LevelArg::Prefecture
    }

    /// The county units to load: none at the prefecture level, else
    /// `--counties` or the input's own.
    pub fn county_source(&self, input: &Input) -> anyhow::Result<Option<CountySource>> {
        if let Some(c) = &self.counties {
            return Ok(Some(CountySource::Files {
                counties: c.clone(),
                links: self.county_links.clone(),
                agglomeration_counties: None,
            }));
        }
        if self.level == LevelArg::Prefecture {
            return Ok(None);
        }
        match input.default_counties() {
            Some(s) => Ok(Some(s)),
            None => bail!(
                "--level county needs county units: give --counties FILE (and --county-links FILE), \
                 or a --data folder with counties.csv"
            ),
        }
    }

    /// Loads the network, printing warnings to stderr unless `--quiet`.
    pub fn load(&self) -> anyhow::Result<Network> {
        let input = self.input()?;
        let counties = self.county_source(&input)?;
        let (net, warnings) = input
            .load_with(counties.as_ref())
            .context("cannot load the network")?;
        if !self.quiet && !warnings.0.is_empty() {
            errln!("{warnings}");
        }
        Ok(net)
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Info(a) => basic::info(&cli.input, a),
        Command::Validate(a) => basic::validate(&cli.input, a),
        Command::Export(a) => basic::export(&cli.input, a),
        Command::Cities(a) => basic::cities(&cli.input, a),
        Command::Nearest(a) => basic::nearest(&cli.input, a),
        Command::Route(a) => travel::route(&cli.input, a),
        Command::Reach(a) => travel::reach(&cli.input, a),
        Command::Matrix(a) => travel::matrix(&cli.input, a),
        Command::Circles(a) => travel::circles(&cli.input, a),
        Command::Map(a) => map::map(&cli.input, a),
        Command::Centrality(a) => centrality::centrality(&cli.input, a),
        Command::Tiers(a) => structure::tiers(&cli.input, a),
        Command::Structure(a) => structure::structure(&cli.input, a),
        Command::Growth(a) => structure::growth_cmd(&cli.input, a),
        Command::Delineate(a) => structure::delineate_cmd(&cli.input, a),
        Command::Scenario(a) => scenario::scenario(&cli.input, a),
        Command::Scenarios(a) => scenario::scenarios(&cli.input, a),
        Command::Sweep(a) => scenario::sweep_cmd(&cli.input, a),
        Command::Merge(a) => {
            if cli.input.any_source() {
                bail!(
                    "`agglo merge` reads only its part files (which carry a fingerprint of the \
                     network); give --data, --cities, --links, --agglomerations or --network to \
                     the shards"
                );
            }
            shard::merge(a)
        }
        Command::Road(a) => {
            if cli.input.any_source() {
                bail!(
                    "`agglo road` reads its network from --graph; \
                     --data, --cities, --links, --agglomerations and --network are for the city network"
                );
            }
            road::run(a)
        }
    }
}

/// The unit polygons circles are drawn with at the county level: the
/// embedded county boundaries, keyed by adcode, and Hong Kong's and Macao's,
/// keyed by node id (a unit whose id is none of these, and every unit at the
/// prefecture level, is drawn as a disk).
pub fn unit_shapes(
    net: &agglo::Network,
) -> anyhow::Result<Option<&'static dyn agglo::algorithms::UnitShapes>> {
    if !net.has_counties() {
        return Ok(None);
    }
    let b = agglo::geometry::Boundaries::embedded_counties()
        .map_err(|e| anyhow::anyhow!("cannot read the embedded county boundaries: {e}"))?;
    Ok(Some(b))
}

/// Writes `bytes` to stdout through one locked handle, then flushes. Every
/// stdout write of the binary goes through here: a reader that closed the
/// pipe comes back as an error holding [`std::io::ErrorKind::BrokenPipe`],
/// which `main` turns into a quiet exit.
pub fn print_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    let mut h = std::io::stdout().lock();
    h.write_all(bytes)
        .and_then(|()| h.flush())
        .context("cannot write to stdout")
}

/// [`print_bytes`] of a text.
pub fn print_str(text: &str) -> anyhow::Result<()> {
    print_bytes(text.as_bytes())
}

/// Writes one output file: `-` is stdout, any other path goes through
/// [`agglo::io::write_atomic`] (atomic for regular files, straight for FIFOs
/// and character devices).
pub fn write_out(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if is_stdout(path) {
        print_bytes(bytes)
    } else {
        Ok(agglo::io::write_atomic(path, bytes)?)
    }
}

/// Whether an output path is `-`, meaning stdout.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes a QGIS folder through [`agglo::io::write_qgis_folder`]: replaced
/// as a whole, and only if agglo wrote it unless `force`.
pub fn write_folder(
    dir: &Path,
    layers: &[agglo::io::StyledLayer],
    format: agglo::io::QgisFormat,
    force: bool,
) -> anyhow::Result<Vec<PathBuf>> {
    use agglo::error::WriteError;
    use agglo::io::{LayerError, Replace};
    if is_stdout(dir) {
        bail!("a QGIS folder holds several files: give a folder, not -");
    }
    let replace = if force {
        Replace::Always
    } else {
        Replace::IfOurs
    };
    agglo::io::write_qgis_folder(dir, layers, format, replace).map_err(|e| match e {
        LayerError::Write(w @ WriteError::NotOurs { .. }) => {
            anyhow::anyhow!("{w}; give --force to replace it")
        }
        e => e.into(),
    })
}

/// Prints a table, or writes it to `out` (see [`write_out`]).
pub fn emit(table: &agglo::Table, format: OutFormat, out: Option<&Path>) -> anyhow::Result<()> {
    let text = table.render(format.into());
    match out {
        Some(p) => write_out(p, text.as_bytes())?,
        None => print_str(&text)?,
    }
    Ok(())
}
