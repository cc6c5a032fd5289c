//! A stable-Rust fuzzing harness for every reader.
//!
//! cargo-fuzz needs a nightly toolchain; this harness needs nothing but the
//! library. A [`Target`] names one reader; its seeds are the real fixtures
//! (a [`Bundle`] of named files: the file fuzzed and the files it needs
//! beside it); [`mutate`] changes one of them with structure-aware edits
//! (numbers replaced by extreme values, lines deleted, repeated or swapped,
//! a byte order mark, invalid UTF-8, truncation, bit flips); [`run`] writes
//! the bundle to a folder, calls the reader, and, when the reader accepts
//! the input, runs a search and a centrality pass on what it built (a file
//! that passes the reader must not hang an analysis). [`run_guarded`] adds
//! `catch_unwind` and a time limit.
//!
//! The rule checked: a reader never panics or hangs, and refuses bad input
//! with an error that places every problem (its [`Site`]s): in one of the
//! bundle's files, at a line or feature that file has (only whole-file
//! problems and missing columns at the file alone), naming the field unless
//! the problem is one of a whole record ([`RECORD_LEVEL`]). `tests/fuzz_readers.rs`
//! runs a bounded number of cases of every target in CI;
//! `examples/fuzz.rs` runs a long campaign with a memory watchdog and saves
//! crashers to `tests/fuzz/crashes/`.

use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::algorithms::centrality::{PathOptions, WGraph, city_graph, path_centrality};
use crate::error::{Pos, Site};
use crate::generate::XorShift;
use crate::io::Input;
use crate::road::{DimacsOptions, GeoJsonOptions, SearchSpace};
use crate::scenario::Scenario;
use crate::{Direction, Engine, Network, TimeModel};

mod mutate;
mod seeds;

pub use mutate::{MAX_CASE_BYTES, mutate};

/// One reader under test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// `cities.csv` of a network folder.
    CitiesCsv,
    /// `links.csv` of a network folder.
    LinksCsv,
    /// `agglomerations.csv` of a network folder.
    AgglomerationsCsv,
    /// A network as one GeoJSON FeatureCollection.
    NetworkGeoJson,
    /// `counties.csv` of a network folder, loaded at the county level.
    CountiesCsv,
    /// `county_links.csv` of a network folder, loaded at the county level.
    CountyLinksCsv,
    /// A scenario TOML file with its chain of `base` files, applied to the
    /// embedded network.
    ScenarioToml,
    /// A DIMACS `.gr` graph (with its `.co`).
    DimacsGr,
    /// A DIMACS `.co` coordinate file (with its `.gr`).
    DimacsCo,
    /// A road CSV edge list with its node file.
    RoadCsv,
    /// Roads as GeoJSON LineStrings.
    RoadGeoJson,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 11] = [
        Target::CitiesCsv,
        Target::LinksCsv,
        Target::AgglomerationsCsv,
        Target::NetworkGeoJson,
        Target::CountiesCsv,
        Target::CountyLinksCsv,
        Target::ScenarioToml,
        Target::DimacsGr,
        Target::DimacsCo,
        Target::RoadCsv,
        Target::RoadGeoJson,
    ];

    /// A short name (used for crash file names).
    pub fn name(self) -> &'static str {
        match self {
            Target::CitiesCsv => "cities-csv",
            Target::LinksCsv => "links-csv",
            Target::AgglomerationsCsv => "agglomerations-csv",
            Target::NetworkGeoJson => "network-geojson",
            Target::CountiesCsv => "counties-csv",
            Target::CountyLinksCsv => "county-links-csv",
            Target::ScenarioToml => "scenario-toml",
            Target::DimacsGr => "dimacs-gr",
            Target::DimacsCo => "dimacs-co",
            Target::RoadCsv => "road-csv",
            Target::RoadGeoJson => "road-geojson",
        }
    }

    /// The files of a bundle that mutations change.
    fn mutable(self, name: &str) -> bool {
        match self {
            Target::CitiesCsv => name == "cities.csv",
            Target::LinksCsv => name == "links.csv",
            Target::AgglomerationsCsv => name == "agglomerations.csv",
            Target::NetworkGeoJson => name == "network.geojson",
            Target::CountiesCsv => name == "counties.csv",
            Target::CountyLinksCsv => name == "county_links.csv",
            Target::ScenarioToml => name.ends_with(".toml"),
            Target::DimacsGr => name == "g.gr",
            Target::DimacsCo => name == "g.co",
            Target::RoadCsv => name == "nodes.csv" || name == "edges.csv",
            Target::RoadGeoJson => name == "roads.geojson",
        }
    }
}

/// Named files handed to a reader together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// File name and content.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Bundle {
    fn new(files: Vec<(&str, Vec<u8>)>) -> Bundle {
        Bundle {
            files: files.into_iter().map(|(n, b)| (n.to_owned(), b)).collect(),
        }
    }

    /// The bundle as text: each file as `=== NAME (N bytes)` and its bytes,
    /// the form in which crashers are saved and read back.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, bytes) in &self.files {
            out.extend_from_slice(format!("=== {name} ({} bytes)\n", bytes.len()).as_bytes());
            out.extend_from_slice(bytes);
            out.push(b'\n');
        }
        out
    }

    /// Reads the form written by [`Bundle::to_bytes`].
    pub fn from_bytes(mut b: &[u8]) -> Option<Bundle> {
        let mut files = Vec::new();
        while !b.is_empty() {
            let nl = b.iter().position(|&c| c == b'\n')?;
            let head = std::str::from_utf8(&b[..nl]).ok()?;
            let rest = head.strip_prefix("=== ")?;
            let open = rest.rfind(" (")?;
            let name = rest[..open].to_owned();
            let len: usize = rest[open + 2..].strip_suffix(" bytes)")?.parse().ok()?;
            let body = b.get(nl + 1..nl + 1 + len)?;
            files.push((name, body.to_vec()));
            b = b.get(nl + 2 + len..).unwrap_or(&[]);
        }
        Some(Bundle { files })
    }
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The reader accepted the input and the analyses on it finished.
    Accepted,
    /// The reader refused the input with an error naming a file.
    Refused(String),
    /// The reader broke a rule: an error that names none of the files.
    Unnamed(String),
    /// The reader broke a rule: an error that does not place a problem at a
    /// line (or feature) of the file, or names no field where it concerns
    /// one value; the reason comes first.
    Unlocated(String),
    /// The reader or an analysis panicked.
    Panic(String),
    /// The case did not finish within the time limit.
    Hang,
}

impl Verdict {
    /// Whether the case found a bug.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Verdict::Unnamed(_) | Verdict::Unlocated(_) | Verdict::Panic(_) | Verdict::Hang
        )
    }
}

fn embedded() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| Input::Embedded.load().expect("the embedded data loads").0)
}

/// Runs one search from every city (up to 5) and a centrality pass from 3
/// sources on a network a reader accepted.
fn exercise_network(net: &Network) {
    let engine = Engine::new(net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    let n = net.cities().len() as u32;
    for c in 0..n.min(5) {
        engine.search(&mut ws, &[c], Direction::Out, f64::INFINITY);
    }
    let nodes: Vec<u32> = (0..n).collect();
    exercise_graph(&city_graph(net, &nodes, false));
}

fn exercise_graph(g: &WGraph) {
    let n = g.node_count();
    if n == 0 {
        return;
    }
    let mut ws = SearchSpace::new(n);
    ws.search(g, &[0], f64::INFINITY, None);
    let sources: Vec<bool> = (0..n).map(|v| v < 3).collect();
    let cuts = [f64::INFINITY];
    let mut opt = PathOptions::all(&cuts);
    opt.sources = Some(&sources);
    path_centrality(g, &opt);
}

/// Writes `bundle` into `dir`, runs `target`'s reader on it and, when the
/// input is accepted, a search and a centrality pass on the result.
pub fn run(target: Target, bundle: &Bundle, dir: &Path) -> std::io::Result<Verdict> {
    // Files of an earlier case (another seed's) must not be read with this one.
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_file() {
            std::fs::remove_file(p)?;
        }
    }
    for (name, bytes) in &bundle.files {
        std::fs::write(dir.join(name), bytes)?;
    }
    let p = |n: &str| dir.join(n);
    let result: Result<(), Refusal> = match target {
        Target::CitiesCsv | Target::LinksCsv | Target::AgglomerationsCsv => {
            Input::Dir(dir.to_owned())
                .load()
                .map(|(net, _)| exercise_network(&net))
                .map_err(|e| refusal(e.to_string(), e.sites()))
        }
        Target::CountiesCsv | Target::CountyLinksCsv => {
            let input = Input::Dir(dir.to_owned());
            input
                .load_with(input.default_counties().as_ref())
                .map(|(net, _)| exercise_network(&net))
                .map_err(|e| refusal(e.to_string(), e.sites()))
        }
        Target::NetworkGeoJson => Input::GeoJson(p("network.geojson"))
            .load()
            .map(|(net, _)| exercise_network(&net))
            .map_err(|e| refusal(e.to_string(), e.sites())),
        Target::ScenarioToml => Scenario::load(&p("a.toml"))
            .and_then(|s| s.apply(embedded()))
            .map(|net| exercise_network(&net))
            .map_err(|e| refusal(e.to_string(), e.sites())),
        Target::DimacsGr | Target::DimacsCo => {
            crate::road::read_dimacs(&p("g.gr"), Some(&p("g.co")), DimacsOptions::default())
                .map(|g| exercise_graph(g.graph()))
                .map_err(|e| refusal(e.to_string(), e.sites()))
        }
        Target::RoadCsv => crate::road::read_csv_edges(&p("nodes.csv"), &p("edges.csv"), 40.0)
            .map(|g| exercise_graph(g.graph()))
            .map_err(|e| refusal(e.to_string(), e.sites())),
        Target::RoadGeoJson => {
            crate::road::read_geojson_roads(&p("roads.geojson"), &GeoJsonOptions::default())
                .map(|g| exercise_graph(g.graph()))
                .map_err(|e| refusal(e.to_string(), e.sites()))
        }
    };
    Ok(match result {
        Ok(()) => Verdict::Accepted,
        Err(r) => match check_refusal(bundle, dir, &r) {
            Ok(()) => Verdict::Refused(r.message),
            Err(Fault::Unnamed) => Verdict::Unnamed(r.message),
            Err(Fault::Unlocated(why)) => Verdict::Unlocated(format!("{why}\n{}", r.message)),
        },
    })
}

/// A reader's error: its message and where it says the problems lie.
struct Refusal {
    message: String,
    sites: Vec<Site>,
}

fn refusal(message: String, sites: Vec<Site>) -> Refusal {
    Refusal { message, sites }
}

enum Fault {
    Unnamed,
    Unlocated(String),
}

/// Messages of problems that concern a whole record, so that no one field
/// can be named: CSV or JSON syntax, ragged rows, lines of an unknown kind
/// or out of place, TOML syntax. Any other refusal at a line or feature
/// must name its field; a new record-level message has to be added here,
/// after checking that the reader cannot know the field.
pub const RECORD_LEVEL: &[&str] = &[
    // CSV: a row with more or fewer cells than the header; broken quoting.
    "fields, the header has",
    "malformed CSV",
    "cannot read header",
    "found record with",
    "CSV error",
    "CSV parse error",
    // Text that is not UTF-8, or a line too long to read.
    "not valid UTF-8",
    "line longer than",
    // JSON syntax (serde_json names line and column).
    "not a GeoJSON FeatureCollection",
    "not a FeatureCollection",
    // DIMACS: the kind of line, its place, or extra tokens.
    "unknown line type",
    "expected `p sp",
    "a second `p` line",
    "arc before the `p sp` line",
    "more arcs than the",
    "at the end of the line",
    // A `.co` file that belongs to another `.gr` (its stamp line).
    "belongs to another network",
];

/// Checks a refusal against the bundle: every problem names one of its
/// files; a problem is placed at a line or feature that exists in that file
/// (or is a whole-file problem: the file cannot be read, holds no network,
/// or a column is missing); a problem at a line or feature names its field
/// unless it is a record-level problem ([`RECORD_LEVEL`]).
fn check_refusal(bundle: &Bundle, dir: &Path, r: &Refusal) -> Result<(), Fault> {
    if r.sites.is_empty() {
        return Err(Fault::Unlocated("the error names no place".into()));
    }
    let record_level = RECORD_LEVEL.iter().any(|m| r.message.contains(m))
        // TOML syntax errors (line and column, no key).
        || r.message.lines().next().is_some_and(|l| {
            l.split(':').nth(2).is_some_and(|c| c.trim().parse::<usize>().is_ok())
        });
    for s in &r.sites {
        // `DIR/network.geojson (agglomerations)` names network.geojson.
        let path = s.file.split(" (").next().unwrap_or(&s.file);
        let file_name = Path::new(path).file_name().and_then(|f| f.to_str());
        let Some((name, bytes)) = bundle
            .files
            .iter()
            .find(|(n, _)| Some(n.as_str()) == file_name)
        else {
            if s.file.contains(&*dir.to_string_lossy()) {
                // A file the bundle lacks (a missing base), named by path.
                continue;
            }
            return Err(Fault::Unnamed);
        };
        match s.pos {
            Pos::File => {
                if s.field.is_none() && !s.whole_file {
                    return Err(Fault::Unlocated(format!(
                        "{name}: a problem of the whole file that names no field"
                    )));
                }
            }
            Pos::Line(l) => {
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                if l == 0 || l > lines {
                    return Err(Fault::Unlocated(format!(
                        "{name}: line {l} is not a line of the file ({lines} lines)"
                    )));
                }
                if s.field.is_none() && !record_level {
                    return Err(Fault::Unlocated(format!(
                        "{name}:{l}: names no field, and is not a record-level problem"
                    )));
                }
            }
            Pos::Feature(i) => {
                if let Some(n) = feature_count(name, bytes)
                    && i >= n
                {
                    return Err(Fault::Unlocated(format!(
                        "{name}: feature {i} is not a feature of the file ({n} features)"
                    )));
                }
                if s.field.is_none() && !record_level {
                    return Err(Fault::Unlocated(format!(
                        "{name}: feature {i}: names no field, and is not a record-level problem"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The number of features of a GeoJSON file (or of `[[edit]]`-like tables
/// of a TOML file, counted by their `op` keys), when it can be read.
fn feature_count(name: &str, bytes: &[u8]) -> Option<usize> {
    if name.ends_with(".toml") {
        return Some(
            String::from_utf8_lossy(bytes)
                .lines()
                .filter(|l| l.trim_start().starts_with("op"))
                .count(),
        );
    }
    let v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let features = v.get("features")?.as_array()?.len();
    let aggs = v
        .get("agglomerations")
        .and_then(|a| a.as_array())
        .map_or(0, Vec::len);
    Some(features.max(aggs))
}

/// [`run`] in a worker thread with `catch_unwind` and a time limit. A hung
/// worker is left running (it cannot be stopped); the caller should stop
/// after a [`Verdict::Hang`].
pub fn run_guarded(
    target: Target,
    bundle: &Bundle,
    dir: &Path,
    limit: Duration,
) -> std::io::Result<Verdict> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (bundle, dir2) = (bundle.clone(), dir.to_owned());
    std::thread::Builder::new()
        .name(format!("fuzz-{}", target.name()))
        .spawn(move || {
            let r = std::panic::catch_unwind(|| run(target, &bundle, &dir2));
            let _ = tx.send(r);
        })?;
    let started = Instant::now();
    match rx.recv_timeout(limit) {
        Ok(Ok(v)) => v,
        Ok(Err(p)) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".into());
            Ok(Verdict::Panic(msg))
        }
        Err(_) => {
            debug_assert!(started.elapsed() >= limit);
            Ok(Verdict::Hang)
        }
    }
}

/// Runs `cases` seeded cases of `target` (seed `seed`) in `dir`, returning
/// the cases that failed with their verdicts, and how many were accepted
/// and refused.
pub fn campaign(
    target: Target,
    seeds: &[Bundle],
    cases: usize,
    seed: u64,
    dir: &Path,
    limit: Duration,
) -> std::io::Result<Summary> {
    let mut rng = XorShift::new(seed);
    let mut s = Summary::default();
    for _ in 0..cases {
        let k = rng.below(seeds.len());
        let b = mutate(&mut rng, target, &seeds[k]);
        let v = run_guarded(target, &b, dir, limit)?;
        match &v {
            Verdict::Accepted => s.accepted += 1,
            Verdict::Refused(_) => s.refused += 1,
            _ => {
                let hang = v == Verdict::Hang;
                s.failures.push((b, v));
                if hang {
                    break;
                }
            }
        }
        s.executions += 1;
    }
    Ok(s)
}

/// What a [`campaign`] found.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Cases run.
    pub executions: usize,
    /// Cases the reader accepted.
    pub accepted: usize,
    /// Cases the reader refused properly.
    pub refused: usize,
    /// Failing cases with their verdicts.
    pub failures: Vec<(Bundle, Verdict)>,
}
