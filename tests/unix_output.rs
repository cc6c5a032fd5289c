//! `agglo` as a Unix tool: closed pipes, `-` for stdout, symbolic links,
//! FIFOs and devices as destinations, the umask, input options on either
//! side of the subcommand, whole-folder outputs and the DIMACS pair stamp.
#![cfg(unix)]

mod common;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

fn small() -> String {
    fixture("small").display().to_string()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Runs `agglo ARGS` with a stdout pipe whose reader reads `keep` bytes and
/// then closes it; returns the exit code and stderr.
fn closed_early(args: &[&str], keep: usize) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; keep];
    out.read_exact(&mut buf).unwrap();
    drop(out);
    let o = child.wait_with_output().unwrap();
    (o.status.code(), stderr(&o))
}

#[test]
fn a_reader_that_closes_the_pipe_ends_the_run_quietly() {
    for args in [
        &["cities", "--format", "json"][..],
        &["tiers", "--list"],
        &["centrality"],
        &["reach", "--from", "chengdu", "--format", "json"],
    ] {
        // Closed before the first byte, and after the first one.
        for keep in [0, 1] {
            let (code, err) = closed_early(args, keep);
            assert_eq!(code, Some(0), "agglo {args:?} (kept {keep}): {err}");
            assert_eq!(err, "", "agglo {args:?} (kept {keep})");
        }
    }
}

#[test]
fn head_in_a_shell_pipeline_sees_success() {
    let o = Command::new("bash")
        .args([
            "-c",
            "set -o pipefail; \"$0\" cities --format json | head -1",
        ])
        .arg(env!("CARGO_BIN_EXE_agglo"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "[\n");
    assert_eq!(stderr(&o), "");
}

#[test]
fn dash_writes_single_file_outputs_to_stdout() {
    let d = tempfile::tempdir().unwrap();
    let run_in = |args: &[&str]| {
        let o = bin().args(args).current_dir(d.path()).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        o.stdout
    };
    let geo = run_in(&["export", "--out", "-"]);
    let fc: serde_json::Value = serde_json::from_slice(&geo).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let file = d.path().join("n.geojson");
    run_in(&["export", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), geo);
    let gpkg = run_in(&["export", "--format", "gpkg", "--out", "-"]);
    assert!(gpkg.starts_with(b"SQLite format 3\0"));
    assert_eq!(&gpkg[68..72], b"GPKG");
    let svg = run_in(&["map", "--agglomeration", "chengdu-chongqing", "--out", "-"]);
    assert!(
        svg.starts_with(b"<svg") || svg.starts_with(b"<?xml"),
        "{:?}",
        &svg[..20]
    );
    let csv = run_in(&["centrality", "--format", "csv", "--out", "-"]);
    assert!(csv.starts_with(b"agglomeration,id,"));
    // Nothing named `-` was created.
    assert!(!d.path().join("-").exists());
    // A folder output cannot be stdout.
    for args in [
        &["export", "--qgis", "-"][..],
        &["export", "--format", "csv", "--out", "-"],
    ] {
        let o = bin().args(args).current_dir(d.path()).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("not -"), "{}", stderr(&o));
    }
}

#[test]
fn dev_stdout_is_written_through_not_replaced() {
    let before = std::fs::symlink_metadata("/dev/stdout").unwrap();
    let o = bin()
        .args(["export", "--out", "/dev/stdout"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let direct = ok(&["export", "--out", "-"]);
    assert_eq!(stdout(&o), direct);
    assert!(o.stdout.len() > 100_000);
    let after = std::fs::symlink_metadata("/dev/stdout").unwrap();
    assert_eq!(before.file_type(), after.file_type());
    assert_eq!(before.len(), after.len());
    // /dev/stdout redirected to a file with `>>` appends to it.
    let d = tempfile::tempdir().unwrap();
    let o = Command::new("sh")
        .args(["-c", "echo first > f; \"$0\" export --out /dev/stdout >> f"])
        .arg(env!("CARGO_BIN_EXE_agglo"))
        .current_dir(d.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let f = std::fs::read_to_string(d.path().join("f")).unwrap();
    assert_eq!(f, format!("first\n{direct}"));
}

#[test]
fn a_symlink_is_followed_to_its_target_which_keeps_its_mode() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir(d.path().join("real")).unwrap();
    let target = d.path().join("real/net.geojson");
    std::fs::write(&target, "old").unwrap();
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = d.path().join("link.geojson");
    std::os::unix::fs::symlink("real/net.geojson", &link).unwrap();
    ok(&["export", "--out", link.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("{\"type\":\"FeatureCollection\"")
    );
    assert_eq!(mode(&target), 0o640);
    // A dangling link gets its target created.
    std::fs::remove_file(&target).unwrap();
    ok(&["export", "--out", link.to_str().unwrap()]);
    assert!(target.is_file());
    let names: Vec<_> = std::fs::read_dir(d.path().join("real"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["net.geojson"]);
}

#[test]
fn a_fifo_is_written_in_place() {
    let d = tempfile::tempdir().unwrap();
    let fifo = d.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    ok(&["export", "--out", fifo.to_str().unwrap()]);
    let got = reader.join().unwrap();
    assert_eq!(got, ok(&["export", "--out", "-"]).into_bytes());
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn folders_and_sockets_are_refused_and_left_alone() {
    let d = tempfile::tempdir().unwrap();
    let folder = d.path().join("f");
    std::fs::create_dir(&folder).unwrap();
    let o = run(&["export", "--out", folder.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it is a folder, not a file"),
        "{}",
        stderr(&o)
    );
    assert!(folder.is_dir());
    let sock = d.path().join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).unwrap();
    let o = run(&["export", "--out", sock.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it is a socket, not a file"),
        "{}",
        stderr(&o)
    );
    assert!(
        std::fs::symlink_metadata(&sock)
            .unwrap()
            .file_type()
            .is_socket()
    );
}

/// Runs agglo under `sh` with the given umask, in `dir`.
fn with_umask(umask: &str, dir: &Path, args: &str) {
    let o = Command::new("sh")
        .args(["-c", &format!("umask {umask}; exec \"$0\" {args}")])
        .arg(env!("CARGO_BIN_EXE_agglo"))
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{args}: {}", stderr(&o));
}

#[test]
fn new_outputs_follow_the_umask() {
    let d = tempfile::tempdir().unwrap();
    with_umask("027", d.path(), "export --out n.geojson");
    assert_eq!(mode(&d.path().join("n.geojson")), 0o640);
    with_umask("022", d.path(), "export --format gpkg --out n.gpkg");
    assert_eq!(mode(&d.path().join("n.gpkg")), 0o644);
    with_umask("077", d.path(), "export --qgis q --format gpkg");
    assert_eq!(mode(&d.path().join("q")), 0o700);
    for f in ["agglo.gpkg", "cities.qml", "README.txt"] {
        assert_eq!(mode(&d.path().join("q").join(f)), 0o600, "{f}");
    }
    with_umask("002", d.path(), "road generate --nodes 50 --out rg");
    assert_eq!(mode(&d.path().join("rg.gr")), 0o664);
    assert_eq!(mode(&d.path().join("rg.co")), 0o664);
    // An existing file keeps its mode whatever the umask.
    std::fs::set_permissions(
        d.path().join("n.geojson"),
        std::fs::Permissions::from_mode(0o604),
    )
    .unwrap();
    with_umask("077", d.path(), "export --out n.geojson");
    assert_eq!(mode(&d.path().join("n.geojson")), 0o604);
}

#[test]
fn input_options_work_before_and_after_the_subcommand() {
    let data = small();
    let cities = fixture("small/cities.csv").display().to_string();
    let links = fixture("small/links.csv").display().to_string();
    let before = ok(&["--data", &data, "--quiet", "reach", "--from", "alpha"]);
    let after = ok(&["reach", "--from", "alpha", "--data", &data, "--quiet"]);
    assert_eq!(before, after);
    assert!(before.contains("beta"), "{before}");
    let files_after = ok(&[
        "reach", "--from", "alpha", "--cities", &cities, "--links", &links,
    ]);
    assert_eq!(files_after, before);
    let mixed = ok(&[
        "--cities", &cities, "reach", "--from", "alpha", "--links", &links,
    ]);
    assert_eq!(mixed, before);
    // --agglomerations too: the members of an agglomeration, either way.
    let aggs = fixture("small/agglomerations.csv").display().to_string();
    let files = [
        "--cities",
        &cities,
        "--links",
        &links,
        "--agglomerations",
        &aggs,
    ];
    let members = ok(&[&files[..], &["cities", "--agglomeration", "alpha-metro"]].concat());
    let after = ok(&[&["cities", "--agglomeration", "alpha-metro"][..], &files].concat());
    assert_eq!(members, after);
    assert!(members.contains("delta"), "{members}");
    let d = tempfile::tempdir().unwrap();
    let net = d.path().join("n.geojson");
    ok(&["--data", &data, "export", "--out", net.to_str().unwrap()]);
    let geo_after = ok(&["cities", "--network", net.to_str().unwrap()]);
    let geo_before = ok(&["--network", net.to_str().unwrap(), "cities"]);
    assert_eq!(geo_after, geo_before);
    assert!(geo_after.contains("alpha"));
    // Road commands read --graph: a city-network input is an error there.
    let o = run(&["road", "info", "--graph", "x.gr", "--data", &data]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("reads its network from --graph"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unreachable_route_in_json_is_json() {
    let o = run(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "epsilon",
        "--max-transfers",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["from"], "alpha");
    assert_eq!(v["to"], "epsilon");
    assert!(v["minutes"].is_null());
    assert_eq!(v["legs"], serde_json::json!([]));
    // CSV: the header only on stdout, the reason on stderr.
    let o = run(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "epsilon",
        "--max-transfers",
        "0",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "step,kind,from,to,mode,line,minutes\n");
    assert!(stderr(&o).contains("unreachable: no trip from alpha to epsilon"));
}

#[test]
fn road_points_far_from_the_network_are_refused_with_the_distance() {
    let d = tempfile::tempdir().unwrap();
    let prefix = d.path().join("rg");
    ok(&[
        "road",
        "generate",
        "--nodes",
        "200",
        "--out",
        prefix.to_str().unwrap(),
    ]);
    let gr = d.path().join("rg.gr").display().to_string();
    let reach = |lon: &str, lat: &str, extra: &[&str]| {
        let mut args = vec![
            "road",
            "reach",
            "--graph",
            &gr,
            "--from-lon",
            lon,
            "--from-lat",
            lat,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    // The generated grid starts at 116.0, 39.5.
    let o = reach("116.01", "39.51", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = reach("0", "0", &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("(0, 0) is 12")
            && err.contains("km from the nearest node")
            && err.contains("--max-snap-km"),
        "{err}"
    );
    assert!(reach("0", "0", &["--max-snap-km", "inf"]).status.success());
    let o = reach("116.01", "39.51", &["--max-snap-km", "-1"]);
    assert_eq!(o.status.code(), Some(2));
    // Matrix points too, named by their id.
    let pts = d.path().join("p.csv");
    std::fs::write(&pts, "id,lon,lat\nhere,116.01,39.51\nnull_island,0,0\n").unwrap();
    let o = run(&[
        "road",
        "matrix",
        "--graph",
        &gr,
        "--points",
        pts.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("point null_island"), "{}", stderr(&o));
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_qgis_folder_is_replaced_whole_and_only_if_ours() {
    let d = tempfile::tempdir().unwrap();
    let q = d.path().join("q");
    let qs = q.to_str().unwrap();
    ok(&["export", "--qgis", qs]);
    assert!(listing(&q).contains(&"circles.geojson".to_owned()));
    // The same folder as a GeoPackage: the GeoJSON layers of the first run go.
    ok(&["export", "--qgis", qs, "--format", "gpkg"]);
    let names = listing(&q);
    assert!(names.contains(&"agglo.gpkg".to_owned()), "{names:?}");
    assert!(names.iter().all(|n| !n.ends_with(".geojson")), "{names:?}");
    // A leftover of a killed run beside it is removed; nothing else stays.
    let leftover = d.path().join(".agglo-tmp-99999999-0-0");
    std::fs::create_dir(&leftover).unwrap();
    std::fs::write(leftover.join("cities.geojson"), "partial").unwrap();
    ok(&["export", "--qgis", qs]);
    assert_eq!(listing(d.path()), ["q"]);
    // A folder holding something of the user's is not replaced without --force.
    std::fs::write(q.join("project.qgz"), "mine").unwrap();
    let o = run(&["export", "--qgis", qs]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("project.qgz") && err.contains("--force"),
        "{err}"
    );
    assert!(q.join("project.qgz").exists());
    ok(&["export", "--qgis", qs, "--force"]);
    assert!(!q.join("project.qgz").exists());
    // A folder holding a folder is never replaced, even with --force.
    std::fs::create_dir(q.join("sub")).unwrap();
    let o = run(&["export", "--qgis", qs, "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it holds the folder sub"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir(q.join("sub")).unwrap();
    // A file in the way is an error, forced or not.
    let f = d.path().join("file");
    std::fs::write(&f, "x").unwrap();
    let o = run(&["export", "--qgis", f.to_str().unwrap(), "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it exists and is a file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "x");
    // A symlink to our folder: the folder behind it is replaced, the link stays.
    let link = d.path().join("link");
    std::os::unix::fs::symlink("q", &link).unwrap();
    ok(&[
        "export",
        "--qgis",
        link.to_str().unwrap(),
        "--format",
        "gpkg",
    ]);
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(q.join("agglo.gpkg").exists());
    assert_eq!(listing(d.path()), ["file", "link", "q"]);
}

#[test]
fn a_dimacs_pair_from_two_runs_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let generate = |name: &str, seed: &str| {
        let p = d.path().join(name);
        ok(&[
            "road",
            "generate",
            "--nodes",
            "100",
            "--seed",
            seed,
            "--out",
            p.to_str().unwrap(),
        ]);
    };
    generate("a", "1");
    generate("b", "2");
    let first = std::fs::read_to_string(d.path().join("a.gr")).unwrap();
    assert!(first.starts_with("c agglo-pair "), "{}", &first[..80]);
    let info = |gr: &str| {
        run(&[
            "road",
            "reach",
            "--graph",
            gr,
            "--from-lon",
            "116.01",
            "--from-lat",
            "39.51",
        ])
    };
    let a = d.path().join("a.gr").display().to_string();
    assert!(info(&a).status.success());
    // A new .gr beside an old .co, as a run killed between its renames leaves.
    std::fs::copy(d.path().join("b.co"), d.path().join("a.co")).unwrap();
    let o = info(&a);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("a.co:1:") && err.contains("different runs"),
        "{err}"
    );
    // Generating again puts a matching pair in place.
    generate("a", "1");
    assert!(info(&a).status.success());
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.gr")).unwrap(),
        first
    );
    assert_eq!(listing(d.path()), ["a.co", "a.gr", "b.co", "b.gr"]);
}

/// Kills `export --qgis` at moments spread over its run, alternating the
/// format: the folder is always exactly one run's set (never a mix, never
/// partial), and the next complete run removes what the killed ones left.
#[test]
fn a_killed_qgis_export_leaves_the_old_folder_or_the_new_one() {
    let d = tempfile::tempdir().unwrap();
    let q = d.path().join("q");
    let qs = q.to_str().unwrap().to_owned();
    let geojson: Vec<String> = [
        "README.txt",
        "centrality.geojson",
        "centrality.qml",
        "circles.geojson",
        "circles.qml",
        "cities.geojson",
        "cities.qml",
        "counties.geojson",
        "counties.qml",
        "links.geojson",
        "links.qml",
    ]
    .map(String::from)
    .to_vec();
    let gpkg: Vec<String> = [
        "README.txt",
        "agglo.gpkg",
        "centrality.qml",
        "circles.qml",
        "cities.qml",
        "counties.qml",
        "links.qml",
    ]
    .map(String::from)
    .to_vec();
    ok(&["export", "--qgis", &qs]);
    let started = std::time::Instant::now();
    ok(&["export", "--qgis", &qs, "--format", "gpkg"]);
    let run_ms = started.elapsed().as_millis() as u64;
    for i in 0..16u64 {
        let format = if i % 2 == 0 { "geojson" } else { "gpkg" };
        let mut child = bin()
            .args(["export", "--qgis", &qs, "--format", format])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(run_ms * i / 12));
        let _ = child.kill();
        child.wait().unwrap();
        let names = listing(&q);
        assert!(
            names == geojson || names == gpkg,
            "after kill {i}: {names:?}"
        );
        let readme = std::fs::read_to_string(q.join("README.txt")).unwrap();
        assert_eq!(
            readme.contains("agglo.gpkg"),
            names == gpkg,
            "README of the other run"
        );
    }
    ok(&["export", "--qgis", &qs]);
    assert_eq!(listing(&q), geojson);
    assert_eq!(listing(d.path()), ["q"]);
}

#[test]
fn a_csv_export_that_fails_on_one_file_replaces_none() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("net");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("cities.csv"), "old").unwrap();
    // links.csv cannot be written: a folder stands in its place.
    std::fs::create_dir(out.join("links.csv")).unwrap();
    let o = run(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(out.join("cities.csv")).unwrap(),
        "old"
    );
    assert!(!out.join("agglomerations.csv").exists());
    // With the way clear, all three are written.
    std::fs::remove_dir(out.join("links.csv")).unwrap();
    ok(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    for f in ["cities.csv", "links.csv", "agglomerations.csv"] {
        assert!(std::fs::metadata(out.join(f)).unwrap().len() > 100, "{f}");
    }
}

#[test]
fn a_closed_stderr_is_no_panic() {
    // The error message goes to a pipe whose reader is already gone: the
    // run still ends with the error's status (2), not a panic (101).
    let mut child = bin()
        .args(["reach", "--from", "nowhere"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2));
    // Warnings and notes on a closed stderr do not stop a successful run.
    let mut child = bin()
        .args(["export", "--out", "-"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn export_to_stdout_says_nothing_on_stderr() {
    let o = run(&["export", "--out", "-"]);
    assert!(o.status.success());
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    assert!(o.stdout.starts_with(b"{"));
}
