//! Command-line arguments and one module per subcommand.

mod basic;
mod bounds;
mod centrality;
mod map;
mod qgis;
mod road;
mod scenario;
mod structure;
mod travel;

use std::path::PathBuf;
use std::process::ExitCode;

use agglo::io::Input;
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
pub struct InputArgs {
    /// Folder with cities.csv, links.csv and optionally agglomerations.csv.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// cities.csv (with --links, optionally --agglomerations).
    #[arg(long, value_name = "FILE")]
    pub cities: Option<PathBuf>,
    /// links.csv.
    #[arg(long, value_name = "FILE")]
    pub links: Option<PathBuf>,
    /// agglomerations.csv.
    #[arg(long, value_name = "FILE")]
    pub agglomerations: Option<PathBuf>,
    /// One GeoJSON FeatureCollection (cities as Points, links as LineStrings).
    #[arg(long, value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// Do not print warnings about the input.
    #[arg(long)]
    pub quiet: bool,
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
                bail!("--cities and --links go together (--agglomerations is optional)");
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

    /// Loads the network, printing warnings to stderr unless `--quiet`.
    pub fn load(&self) -> anyhow::Result<Network> {
        let (net, warnings) = self.input()?.load().context("cannot load the network")?;
        if !self.quiet && !warnings.0.is_empty() {
            eprintln!("{warnings}");
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
        Command::Road(a) => road::run(a),
    }
}

/// Prints a table, or writes it atomically to `out`.
pub fn emit(
    table: &agglo::Table,
    format: OutFormat,
    out: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let text = table.render(format.into());
    match out {
        Some(p) => agglo::io::write_atomic(p, text.as_bytes())?,
        None => print!("{text}"),
    }
    Ok(())
}
