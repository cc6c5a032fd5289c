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
//! The rule checked: a reader refuses bad input with an error naming one of
//! the bundle's files, and never panics or hangs. `tests/fuzz_readers.rs`
//! runs a bounded number of cases of every target in CI;
//! `examples/fuzz.rs` runs a long campaign with a memory watchdog and saves
//! crashers to `tests/fuzz/crashes/`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::algorithms::centrality::{PathOptions, WGraph, city_graph, path_centrality};
use crate::generate::XorShift;
use crate::io::Input;
use crate::road::{DimacsOptions, GeoJsonOptions, SearchSpace};
use crate::scenario::Scenario;
use crate::{Direction, Engine, Network, TimeModel};

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
    pub const ALL: [Target; 9] = [
        Target::CitiesCsv,
        Target::LinksCsv,
        Target::AgglomerationsCsv,
        Target::NetworkGeoJson,
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
            Target::ScenarioToml => name.ends_with(".toml"),
            Target::DimacsGr => name == "g.gr",
            Target::DimacsCo => name == "g.co",
            Target::RoadCsv => name == "nodes.csv" || name == "edges.csv",
            Target::RoadGeoJson => name == "roads.geojson",
        }
    }

    /// The seeds of this target, read from the repository at `root`: the
    /// small test network and the shipped dataset, the shipped scenarios
    /// (alone and chained, plus a chain deeper than the limit and a cycle),
    /// and small road networks in each format.
    pub fn seeds(self, root: &Path) -> std::io::Result<Vec<Bundle>> {
        let read = |p: &str| std::fs::read(root.join(p));
        let network = |dir: &str| -> std::io::Result<Bundle> {
            Ok(Bundle::new(vec![
                ("cities.csv", read(&format!("{dir}/cities.csv"))?),
                ("links.csv", read(&format!("{dir}/links.csv"))?),
                (
                    "agglomerations.csv",
                    read(&format!("{dir}/agglomerations.csv"))?,
                ),
            ]))
        };
        Ok(match self {
            Target::CitiesCsv | Target::LinksCsv | Target::AgglomerationsCsv => {
                vec![network("tests/fixtures/small")?, network("data")?]
            }
            Target::NetworkGeoJson => {
                let mut out = Vec::new();
                for dir in ["tests/fixtures/small", "data"] {
                    let net = Input::Dir(root.join(dir))
                        .load()
                        .map_err(std::io::Error::other)?
                        .0;
                    let text = crate::io::network_to_geojson(&net).to_string();
                    out.push(Bundle::new(vec![("network.geojson", text.into_bytes())]));
                }
                out
            }
            Target::ScenarioToml => {
                let mut files = Vec::new();
                let mut dir: Vec<PathBuf> = std::fs::read_dir(root.join("data/scenarios"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                dir.sort();
                for p in &dir {
                    files.push(std::fs::read(p)?);
                }
                let mut out: Vec<Bundle> = files
                    .iter()
                    .map(|f| Bundle::new(vec![("a.toml", f.clone())]))
                    .collect();
                // A chain a -> b -> c of the shipped scenarios' edits.
                let with_base = |text: &[u8], base: &str| -> Vec<u8> {
                    let t = String::from_utf8_lossy(text);
                    format!("base = \"{base}\"\n{t}").into_bytes()
                };
                if files.len() >= 3 {
                    out.push(Bundle::new(vec![
                        ("a.toml", with_base(&files[0], "b.toml")),
                        ("b.toml", with_base(&files[1], "c.toml")),
                        ("c.toml", files[2].clone()),
                    ]));
                }
                // A chain deeper than the limit, and a cycle.
                let deep: Vec<(String, Vec<u8>)> = (0..crate::io::limits::MAX_BASE_DEPTH + 2)
                    .map(|i| {
                        (
                            format!("s{i}.toml"),
                            format!("name = \"s{i}\"\nbase = \"s{}.toml\"\n", i + 1).into_bytes(),
                        )
                    })
                    .collect();
                let mut deep_bundle = Bundle {
                    files: vec![(
                        "a.toml".into(),
                        b"name = \"a\"\nbase = \"s0.toml\"\n".to_vec(),
                    )],
                };
                deep_bundle.files.extend(deep);
                out.push(deep_bundle);
                out.push(Bundle::new(vec![
                    ("a.toml", b"name = \"a\"\nbase = \"b.toml\"\n".to_vec()),
                    ("b.toml", b"name = \"b\"\nbase = \"a.toml\"\n".to_vec()),
                ]));
                out
            }
            Target::DimacsGr | Target::DimacsCo => {
                let (gr, co) =
                    crate::road::write_dimacs(small_road(), DimacsOptions::default(), "seed");
                vec![Bundle::new(vec![
                    ("g.gr", gr.into_bytes()),
                    ("g.co", co.into_bytes()),
                ])]
            }
            Target::RoadCsv => {
                let g = small_road();
                let mut nodes = String::from("id,lon,lat\n");
                let mut edges = String::from("from,to,minutes,km,speed_kmh,oneway\n");
                for v in 0..g.node_count() as u32 {
                    nodes.push_str(&format!("n{v},{},{}\n", g.lon(v), g.lat(v)));
                    for (h, w) in g.graph().out(v) {
                        if h > v {
                            let km = w / 60.0 * 40.0;
                            if v % 2 == 0 {
                                edges.push_str(&format!("n{v},n{h},{w},,,\n"));
                            } else {
                                edges.push_str(&format!("n{v},n{h},,{km},40,no\n"));
                            }
                        }
                    }
                }
                vec![Bundle::new(vec![
                    ("nodes.csv", nodes.into_bytes()),
                    ("edges.csv", edges.into_bytes()),
                ])]
            }
            Target::RoadGeoJson => {
                let g = small_road();
                let mut feats = Vec::new();
                for v in 0..g.node_count() as u32 {
                    for (h, w) in g.graph().out(v) {
                        if h > v {
                            let props = match v % 3 {
                                0 => format!("{{\"minutes\": {w}}}"),
                                1 => "{\"maxspeed\": \"50 km/h\", \"oneway\": \"yes\"}".into(),
                                _ => "{\"highway\": \"primary\"}".into(),
                            };
                            feats.push(format!(
                                "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{},{}],[{},{}]]}}}}",
                                g.lon(v),
                                g.lat(v),
                                g.lon(h),
                                g.lat(h)
                            ));
                        }
                    }
                }
                let text = format!(
                    "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
                    feats.join(",\n")
                );
                vec![Bundle::new(vec![("roads.geojson", text.into_bytes())])]
            }
        })
    }
}

/// A small connected road graph near Beijing, the seed of the road targets.
fn small_road() -> &'static crate::road::RoadGraph {
    static G: OnceLock<crate::road::RoadGraph> = OnceLock::new();
    G.get_or_init(|| {
        let geo = crate::generate::random_geometric_points(
            40,
            crate::generate::radius_for_degree(40, 4.0),
            5,
        )
        .largest_component();
        let lon = geo.points.iter().map(|p| 116.0 + p.0 * 0.1).collect();
        let lat = geo.points.iter().map(|p| 39.5 + p.1 * 0.1).collect();
        let arcs: Vec<(u32, u32, f64)> = geo
            .edges
            .iter()
            .map(|&(a, b, d)| (a, b, (d * 600.0).round().max(1.0) / 60.0))
            .collect();
        crate::road::RoadGraph::new(lon, lat, &arcs, true, None).expect("a valid generated graph")
    })
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
            Verdict::Unnamed(_) | Verdict::Panic(_) | Verdict::Hang
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
    for (name, bytes) in &bundle.files {
        std::fs::write(dir.join(name), bytes)?;
    }
    let p = |n: &str| dir.join(n);
    let result: Result<(), String> = match target {
        Target::CitiesCsv | Target::LinksCsv | Target::AgglomerationsCsv => {
            Input::Dir(dir.to_owned())
                .load()
                .map(|(net, _)| exercise_network(&net))
                .map_err(|e| e.to_string())
        }
        Target::NetworkGeoJson => Input::GeoJson(p("network.geojson"))
            .load()
            .map(|(net, _)| exercise_network(&net))
            .map_err(|e| e.to_string()),
        Target::ScenarioToml => Scenario::load(&p("a.toml"))
            .and_then(|s| s.apply(embedded()))
            .map(|net| exercise_network(&net))
            .map_err(|e| e.to_string()),
        Target::DimacsGr | Target::DimacsCo => {
            crate::road::read_dimacs(&p("g.gr"), Some(&p("g.co")), DimacsOptions::default())
                .map(|g| exercise_graph(g.graph()))
                .map_err(|e| e.to_string())
        }
        Target::RoadCsv => crate::road::read_csv_edges(&p("nodes.csv"), &p("edges.csv"), 40.0)
            .map(|g| exercise_graph(g.graph()))
            .map_err(|e| e.to_string()),
        Target::RoadGeoJson => {
            crate::road::read_geojson_roads(&p("roads.geojson"), &GeoJsonOptions::default())
                .map(|g| exercise_graph(g.graph()))
                .map_err(|e| e.to_string())
        }
    };
    Ok(match result {
        Ok(()) => Verdict::Accepted,
        Err(msg)
            if bundle.files.iter().any(|(n, _)| msg.contains(n.as_str()))
                || msg.contains(&*dir.to_string_lossy()) =>
        {
            Verdict::Refused(msg)
        }
        Err(msg) => Verdict::Unnamed(msg),
    })
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

/// Largest mutated file (or its seed's size, when larger).
pub const MAX_CASE_BYTES: usize = 256 << 10;

/// Values that break careless readers: extremes, non-numbers, huge counts,
/// path tricks.
const NASTY: &[&str] = &[
    "1e308",
    "-1e308",
    "1e-300",
    "0",
    "-0",
    "-1",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e999",
    "4000000000",
    "4294967295",
    "4294967296",
    "18446744073709551616",
    "200000000",
    "1e15",
    "1e30",
    "",
    "../../etc/x",
    "a b",
    "\"",
    "0x10",
    "90",
    "-90",
    "180",
    "-181",
    "true",
    "[]",
    "{}",
    "[1]",
    "null",
    "[1e300, 1e300]",
    "p sp 3 1e30",
    "v 1 0 0",
];

fn tokens(b: &[u8]) -> Vec<(usize, usize)> {
    let sep = |c: u8| b" \t\r\n,;:=[]{}\"".contains(&c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if sep(b[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && !sep(b[i]) {
            i += 1;
        }
        out.push((s, i));
    }
    out
}

fn lines(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            out.push((s, i + 1));
            s = i + 1;
        }
    }
    if s < b.len() {
        out.push((s, b.len()));
    }
    out
}

/// One structure-aware mutation of `b`.
fn mutate_once(rng: &mut XorShift, b: &mut Vec<u8>) {
    match rng.below(12) {
        // Replace a token (a number, an id, a keyword) by a nasty value.
        0..=4 => {
            let t = tokens(b);
            if t.is_empty() {
                return;
            }
            let (s, e) = t[rng.below(t.len())];
            let v = if rng.below(8) == 0 {
                "9".repeat(400)
            } else {
                NASTY[rng.below(NASTY.len())].to_owned()
            };
            b.splice(s..e, v.into_bytes());
        }
        // Delete, duplicate or swap lines.
        5 => {
            let l = lines(b);
            if !l.is_empty() {
                let (s, e) = l[rng.below(l.len())];
                b.drain(s..e);
            }
        }
        6 => {
            let l = lines(b);
            if !l.is_empty() {
                let (s, e) = l[rng.below(l.len())];
                let copy = b[s..e].to_vec();
                let many = b.len() + 50 * copy.len() <= MAX_CASE_BYTES;
                let times = if many && rng.below(4) == 0 { 50 } else { 1 };
                for _ in 0..times {
                    b.splice(e..e, copy.iter().copied());
                }
            }
        }
        7 => {
            let l = lines(b);
            if l.len() >= 2 {
                let (i, j) = (rng.below(l.len()), rng.below(l.len()));
                let (x, y) = (l[i.min(j)], l[i.max(j)]);
                if x != y {
                    let mut out = b[..x.0].to_vec();
                    out.extend_from_slice(&b[y.0..y.1]);
                    out.extend_from_slice(&b[x.1..y.0]);
                    out.extend_from_slice(&b[x.0..x.1]);
                    out.extend_from_slice(&b[y.1..]);
                    *b = out;
                }
            }
        }
        // Truncate.
        8 => {
            if !b.is_empty() {
                b.truncate(rng.below(b.len()));
            }
        }
        // Bit flip or a random byte.
        9 => {
            if !b.is_empty() {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
        }
        10 => {
            let i = rng.below(b.len() + 1);
            let v = [0xff, 0x00, b'\r', b'"', b'\n', 0xc3][rng.below(6)];
            b.insert(i, v);
        }
        // A byte order mark at the start.
        _ => {
            if !b.starts_with(&[0xef, 0xbb, 0xbf]) {
                b.splice(0..0, [0xef, 0xbb, 0xbf]);
            }
        }
    }
}

/// A mutated copy of `seed` for `target`: one to four structure-aware
/// mutations of one of its fuzzed files.
pub fn mutate(rng: &mut XorShift, target: Target, seed: &Bundle) -> Bundle {
    let mut out = seed.clone();
    let idx: Vec<usize> = (0..out.files.len())
        .filter(|&i| target.mutable(&out.files[i].0))
        .collect();
    if idx.is_empty() {
        return out;
    }
    let i = idx[rng.below(idx.len())];
    let f = &mut out.files[i].1;
    for _ in 0..1 + rng.below(4) {
        mutate_once(rng, f);
    }
    // Inputs stay small, so that memory a case takes comes from the reader,
    // not from the size of what it was given.
    f.truncate(MAX_CASE_BYTES.max(seed.files[i].1.len()));
    out
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
