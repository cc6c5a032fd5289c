//! Regressions of the hostile-input report (issue 15) and of the fuzz
//! campaign: each test is named after the bug it pins down and runs the
//! real binary (or, for a kernel, the library) on the offending input.

mod common;

use std::path::Path;
use std::process::Output;

use agglo::algorithms::centrality::{PathOptions, WGraph, path_centrality};
use common::{network_dir, run, stderr, stdout};

const CITIES: &str = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
    a,A,甲,P,,110.0,30.0,1000000,,,,\n\
    b,B,乙,P,,110.5,30.0,500000,,,,\n\
    c,C,丙,P,,111.0,30.0,300000,,,,\n";
const LINKS_HEAD: &str = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n";
const AGGS: &str = "id,name,name_zh,kind,cores,members\nx,X,X,city-cluster,a,a;b;c\n";

fn links(rows: &str) -> String {
    format!("{LINKS_HEAD}{rows}")
}

/// Runs with `--data DIR` first, then `args`.
fn on(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--data", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    run(&all)
}

/// Fails (exit 1 or 2, no panic) with every `needles` in stderr.
fn refused(o: &Output, needles: &[&str]) {
    // `validate` lists the problems on stdout, other commands on stderr.
    let err = format!("{}{}", stdout(o), stderr(o));
    assert!(
        !o.status.success() && o.status.code() != Some(101),
        "expected a clean refusal, got {:?}\nstdout: {}\nstderr: {err}",
        o.status,
        stdout(o)
    );
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "missing {n:?} in:\n{err}");
    }
}

#[test]
fn link_minutes_of_1e308_are_refused_with_file_line_and_field() {
    let d = network_dir(
        CITIES,
        &links("a,b,road,1e308,50,,,,,\nb,c,road,30,50,,,,,\n"),
        Some(AGGS),
    );
    let o = on(d.path(), &["validate"]);
    refused(&o, &["links.csv:2", "field `minutes`", "at most 1000000"]);
}

#[test]
fn searches_with_path_sums_overflowing_to_infinity_finish() {
    // Weights are finite, their sums are not: the searches once re-queued
    // settled nodes at an infinite distance forever.
    let arcs: Vec<(u32, u32, f64)> = (0..30u32).map(|v| (v, v + 1, 1e308)).collect();
    let g = WGraph::from_arcs(31, &arcs, true).unwrap();
    let cuts = [f64::INFINITY];
    let r = path_centrality(&g, &PathOptions::all(&cuts));
    assert_eq!(r.reached[0][0], 30);
    let mut ws = agglo::road::SearchSpace::new(31);
    let d = ws.search(&g, &[0], f64::INFINITY, None);
    assert_eq!(d.settled().len(), 31);
    assert_eq!(d.get(1), 1e308);
    assert_eq!(d.get(2), f64::INFINITY);
}

#[test]
fn centrality_at_the_largest_link_minutes_finishes() {
    let d = network_dir(
        CITIES,
        &links("a,b,hsr,1000000,50,10,L,,,\nb,c,hsr,1000000,50,10,L,,,\n"),
        Some(AGGS),
    );
    for w in ["minutes", "door-to-door"] {
        let o = on(d.path(), &["centrality", "--weight", w]);
        assert!(o.status.success(), "{w}: {}", stderr(&o));
    }
}

#[test]
fn graph_constructor_returns_errors_not_panics() {
    assert!(WGraph::from_arcs(2, &[(0, 5, 1.0)], false).is_err());
    assert!(WGraph::from_arcs(2, &[(0, 1, 0.0)], false).is_err());
    assert!(WGraph::from_arcs(2, &[(0, 1, f64::INFINITY)], false).is_err());
    assert!(WGraph::from_arcs(2, &[(0, 1, f64::NAN)], false).is_err());
}

fn scenario(d: &Path, text: &str) -> Output {
    let f = d.join("s.toml");
    std::fs::write(&f, text).unwrap();
    on(d, &["scenario", f.to_str().unwrap()])
}

#[test]
fn scenario_scale_factor_of_1e308_is_refused() {
    let d = network_dir(CITIES, &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    let o = scenario(
        d.path(),
        "name = \"t\"\n[[edit]]\nop = \"scale\"\nmode = \"road\"\nfactor = 1e308\n",
    );
    refused(
        &o,
        &[
            "s.toml",
            "edit 1 (scale)",
            "field `factor`",
            "not in (0, 1000000]",
        ],
    );
}

#[test]
fn scenario_add_city_obeys_the_loader_id_rule() {
    let d = network_dir(CITIES, &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    let o = scenario(
        d.path(),
        "name = \"t\"\n[[edit]]\nop = \"add_city\"\nid = \"../../etc/x\"\nname = \"X\"\nlon = 110.2\nlat = 30.1\npopulation = 5\n",
    );
    refused(&o, &["edit 1 (add_city)", "field `id`", "not a valid id"]);
}

#[test]
fn scenario_base_chain_9000_deep_is_refused_quickly_without_overflow() {
    let d = network_dir(CITIES, &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    for i in 0..9000 {
        std::fs::write(
            d.path().join(format!("s{i}.toml")),
            format!("name = \"s{i}\"\nbase = \"s{}.toml\"\n", i + 1),
        )
        .unwrap();
    }
    let started = std::time::Instant::now();
    let o = on(
        d.path(),
        &["scenario", d.path().join("s0.toml").to_str().unwrap()],
    );
    refused(&o, &["deeper than 64 files"]);
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn scenario_toml_syntax_errors_keep_line_and_column() {
    let d = network_dir(CITIES, &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    let o = scenario(d.path(), "name = \"t\"\n[[edit]]\nop = = \"scale\"\n");
    refused(&o, &["s.toml:3:6:"]);
}

fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

fn road(args: &[&str]) -> Output {
    let mut all = vec!["road", "reach"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--from-lon", "116.0", "--from-lat", "39.5"]);
    run(&all)
}

#[test]
fn road_csv_km_1e308_at_speed_1e_minus_300_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let nodes = write(
        d.path(),
        "n.csv",
        "id,lon,lat\na,116.0,39.5\nb,116.1,39.5\n",
    );
    let e1 = write(
        d.path(),
        "e.csv",
        "from,to,km,speed_kmh\na,b,1e308,1e-300\n",
    );
    refused(
        &road(&["--graph", &e1, "--nodes", &nodes]),
        &["e.csv:2", "speed_kmh"],
    );
    let e2 = write(d.path(), "f.csv", "from,to,km,speed_kmh\na,b,50000,1\n");
    refused(
        &road(&["--graph", &e2, "--nodes", &nodes]),
        &["f.csv:2", "gives 3000000 minutes"],
    );
}

fn roads_geojson(props: &str) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",\"features\":[{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[116.0,39.5],[116.1,39.5]]}}}}]}}"
    )
}

#[test]
fn road_geojson_minutes_of_400_digits_or_1e999_are_refused_by_feature() {
    let d = tempfile::tempdir().unwrap();
    for (i, props) in [
        format!("{{\"minutes\": \"{}\"}}", "9".repeat(400)),
        "{\"minutes\": \"1e999\"}".to_owned(),
        "{\"maxspeed\": \"1e999\"}".to_owned(),
    ]
    .iter()
    .enumerate()
    {
        let g = write(d.path(), &format!("r{i}.geojson"), roads_geojson(props));
        refused(
            &road(&["--graph", &g]),
            &[&format!("r{i}.geojson: feature 0:")],
        );
    }
    // A byte order mark is accepted, like the CSV reader does.
    let g = write(
        d.path(),
        "bom.geojson",
        format!("\u{feff}{}", roads_geojson("{\"minutes\": 5}")),
    );
    let o = road(&["--graph", &g]);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn dimacs(gr: &str) -> Output {
    let d = tempfile::tempdir().unwrap();
    let g = write(d.path(), "g.gr", gr);
    road(&["--graph", &g])
}

#[test]
fn dimacs_headers_are_checked_against_the_file() {
    let arc = "a 1 2 10\n";
    for (text, needle) in [
        (
            "p sp 3 1e30\n".to_owned(),
            "g.gr:1: field `arc count`: \"1e30\" is not a whole",
        ),
        (
            "p sp 4000000000 4000000000\n".to_owned(),
            "g.gr:1: field `arc count`: the `p` line declares 4000000000 arcs but the file has 0",
        ),
        (
            "p sp 9 1e15\n".to_owned(),
            "g.gr:1: field `arc count`: \"1e15\"",
        ),
        (
            format!("p sp 200000000 1\n{arc}"),
            "g.gr:1: field `node count`: the `p` line declares 200000000 nodes",
        ),
        (
            format!("p sp 3 1\np sp 3 1\n{arc}"),
            "g.gr:2: a second `p` line",
        ),
        (
            format!("p sp 3 -1\n{arc}"),
            "g.gr:1: field `arc count`: \"-1\"",
        ),
        (
            format!("p sp 3 2\n{arc}"),
            "g.gr:1: field `arc count`: the `p` line declares 2 arcs but the file has 1",
        ),
        (
            format!("p sp 3 1\n{arc}{arc}"),
            "g.gr:3: more arcs than the 1",
        ),
        (
            "p sp 3 1\na 1 2 1e308\n".to_owned(),
            "g.gr:2: field `weight`: weight 1e308",
        ),
    ] {
        let started = std::time::Instant::now();
        refused(&dimacs(&text), &[needle]);
        assert!(started.elapsed().as_secs() < 5, "{text}");
    }
}

#[test]
fn dimacs_duplicate_v_lines_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let g = write(d.path(), "g.gr", "p sp 2 2\na 1 2 600\na 2 1 600\n");
    write(
        d.path(),
        "g.co",
        "p aux sp co 2\nv 1 116000000 39500000\nv 2 116100000 39500000\nv 1 117000000 39500000\n",
    );
    refused(
        &road(&["--graph", &g]),
        &["g.co:4: field `node`: node 1 has coordinates already (line 2)"],
    );
}

#[cfg(unix)]
#[test]
fn endless_inputs_are_cut_off() {
    // A line-oriented reader stops at the first over-long line.
    refused(
        &road(&["--graph", "/dev/zero", "--graph-format", "gr"]),
        &["longer than 65536 bytes"],
    );
    // A whole-file reader stops at the stream cap.
    let d = network_dir(CITIES, &links(""), None);
    let o = run(&[
        "--cities",
        "/dev/zero",
        "--links",
        d.path().join("links.csv").to_str().unwrap(),
        "validate",
    ]);
    refused(&o, &["/dev/zero", "more than 256 MiB"]);
    // So does the sweep's candidate file.
    let o = run(&["sweep", "--candidates", "/dev/zero"]);
    refused(&o, &["/dev/zero", "more than 256 MiB"]);
}

#[test]
fn non_utf8_input_is_reported_with_its_line() {
    let mut bad = CITIES.as_bytes().to_vec();
    let at = bad.len() - 3;
    bad[at] = 0xff;
    let d = network_dir("", &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    std::fs::write(d.path().join("cities.csv"), bad).unwrap();
    refused(
        &on(d.path(), &["validate"]),
        &["cities.csv", "line 4", "not valid UTF-8"],
    );
}

fn network_geojson(d: &Path, features: &str) -> String {
    write(
        d,
        "net.geojson",
        format!("\u{feff}{{\"type\":\"FeatureCollection\",\"features\":[{features}]}}"),
    )
}

const POINTS: &str = "{\"type\":\"Feature\",\"properties\":{\"id\":\"a\",\"name\":\"A\",\"pop_2020\":5},\"geometry\":{\"type\":\"Point\",\"coordinates\":[110.0,30.0]}},\
    {\"type\":\"Feature\",\"properties\":{\"id\":\"b\",\"name\":\"B\",\"pop_2020\":5},\"geometry\":{\"type\":\"Point\",\"coordinates\":[110.5,30.0]}}";

fn line(coords: &str) -> String {
    format!(
        "{POINTS},{{\"type\":\"Feature\",\"properties\":{{\"from\":\"a\",\"to\":\"b\",\"mode\":\"road\",\"minutes\":30,\"km\":50}},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":{coords}}}}}"
    )
}

#[test]
fn every_link_vertex_is_checked_and_a_one_number_position_does_not_panic() {
    let d = tempfile::tempdir().unwrap();
    let ok = network_geojson(d.path(), &line("[[110.0,30.0],[110.2,30.1],[110.5,30.0]]"));
    let o = run(&["--network", &ok, "validate"]);
    assert!(o.status.success(), "a BOM is accepted: {}", stderr(&o));
    let far = network_geojson(d.path(), &line("[[110.0,30.0],[1e300,1e300],[110.5,30.0]]"));
    refused(
        &run(&["--network", &far, "validate"]),
        &["feature 2: field `geometry`: position 1"],
    );
    let short = network_geojson(d.path(), &line("[[110.0,30.0],[110.2],[110.5,30.0]]"));
    refused(
        &run(&["--network", &short, "validate"]),
        &["feature 2: field `geometry`"],
    );
}

#[test]
fn cities_at_the_poles_are_refused() {
    let polar = CITIES.replace("110.0,30.0", "110.0,90");
    let d = network_dir(&polar, &links("a,b,road,30,50,,,,,\n"), Some(AGGS));
    refused(
        &on(d.path(), &["validate"]),
        &["cities.csv:2: field `lat`", "pole"],
    );
}

#[test]
fn sweep_accepts_every_candidate_it_generates_with_coincident_cities() {
    let twins = CITIES.replace("b,B,乙,P,,110.5,30.0", "b,B,乙,P,,110.0,30.0");
    let d = network_dir(&twins, &links("a,c,road,60,100,,,,,\n"), Some(AGGS));
    let o = on(d.path(), &["sweep", "--mode", "road", "--within-km", "200"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn command_line_numbers_are_bounded() {
    for (args, needle) in [
        (
            &["reach", "--from", "chengdu", "--max-transfers", "1000000"][..],
            "not in [0, 20]",
        ),
        (
            &[
                "road", "generate", "--nodes", "100", "--degree", "1e-300", "--out", "/tmp/x",
            ],
            "not in [0.5, 50]",
        ),
        (
            &[
                "road",
                "generate",
                "--nodes",
                "1000000000",
                "--out",
                "/tmp/x",
            ],
            "not in [2, 20000000]",
        ),
        (
            &[
                "road", "generate", "--nodes", "100", "--lat0", "1000", "--out", "/tmp/x",
            ],
            "not in [-80, 80]",
        ),
        (&["circles", "--local-speed", "1e300"], "not in [1, 200]"),
    ] {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        refused(&o, &[needle]);
    }
}

#[test]
fn road_generate_refuses_a_square_beyond_lon_lat_and_writes_readable_files() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("g");
    let o = run(&[
        "road",
        "generate",
        "--nodes",
        "20000000",
        "--spacing-km",
        "100",
        "--lat0",
        "80",
        "--out",
        out.to_str().unwrap(),
    ]);
    refused(&o, &["outside lon [-180, 180] or lat [-85, 85]"]);
    let o = run(&[
        "road",
        "generate",
        "--nodes",
        "300",
        "--lon0",
        "179.99",
        "--lat0",
        "79",
        "--spacing-km",
        "0.01",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gr = format!("{}.gr", out.display());
    let o = run(&[
        "road",
        "reach",
        "--graph",
        &gr,
        "--from-lon",
        "179.995",
        "--from-lat",
        "79.001",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn saved_crashers_are_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/crashes");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "case") {
            continue;
        }
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let target = agglo::fuzz::Target::ALL
            .into_iter()
            .find(|t| name.starts_with(&format!("{}-", t.name())))
            .unwrap_or_else(|| panic!("{name}: no target of that name"));
        let bundle = agglo::fuzz::Bundle::from_bytes(&std::fs::read(&p).unwrap())
            .unwrap_or_else(|| panic!("{name}: not a saved bundle"));
        let work = tempfile::tempdir().unwrap();
        let v = agglo::fuzz::run_guarded(
            target,
            &bundle,
            work.path(),
            std::time::Duration::from_secs(30),
        )
        .unwrap();
        assert!(!v.is_failure(), "{name}: {v:?}");
        n += 1;
    }
    eprintln!("{n} saved crasher(s) replayed");
}
