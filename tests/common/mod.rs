//! Shared helpers for the integration tests: run the built binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_agglo"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("agglo runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs and asserts success, returning stdout.
pub fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "agglo {args:?} failed:\n{}", stderr(&o));
    stdout(&o)
}

/// `(id, minutes)` of every unit or city `agglo --level county reach --from
/// FROM --minutes MINUTES` lists (JSON output), with `extra` options added.
pub fn county_reach(from: &str, minutes: &str, extra: &[&str]) -> Vec<(String, f64)> {
    let mut args = vec![
        "--level",
        "county",
        "reach",
        "--from",
        from,
        "--minutes",
        minutes,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let v: serde_json::Value = serde_json::from_str(&ok(&args)).expect("valid JSON");
    v["cities"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let id = r["id"].as_str().expect("id").to_owned();
            (id, r["minutes"].as_f64().expect("minutes"))
        })
        .collect()
}

/// Writes a small network folder with the given file texts into a temp dir.
pub fn network_dir(cities: &str, links: &str, aggs: Option<&str>) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("cities.csv"), cities).unwrap();
    std::fs::write(d.path().join("links.csv"), links).unwrap();
    if let Some(a) = aggs {
        std::fs::write(d.path().join("agglomerations.csv"), a).unwrap();
    }
    d
}
