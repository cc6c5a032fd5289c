//! A bounded fuzz run of every reader (see `agglo::fuzz`): structure-aware
//! mutations of the real fixtures must be accepted, or refused with an error
//! naming the file, a line (or feature) of it and the field (unless the
//! problem is one of a whole record or file); never panic or hang.
//! `examples/fuzz.rs` runs the long campaign.

use std::path::Path;
use std::time::Duration;

use agglo::fuzz::{Target, campaign};

/// Cases per reader in CI (a few seconds each in release).
const CASES: usize = 250;

fn fuzz(target: Target) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = target.seeds(root).expect("seeds load");
    let dir = tempfile::tempdir().unwrap();
    let s = campaign(
        target,
        &seeds,
        CASES,
        20261201,
        dir.path(),
        Duration::from_secs(30),
    )
    .expect("the harness runs");
    // The first few failures, each cut short: enough to reproduce by hand.
    let cut = |s: String| s.chars().take(1500).collect::<String>();
    let failures: Vec<String> = s
        .failures
        .iter()
        .map(|(b, v)| cut(format!("{v:?}\n{}", String::from_utf8_lossy(&b.to_bytes()))))
        .collect();
    assert!(
        failures.is_empty(),
        "{} failure(s) of {}:\n{}",
        failures.len(),
        target.name(),
        failures[..failures.len().min(4)].join("\n----\n")
    );
    assert_eq!(s.executions, CASES);
    // The mutations must exercise both sides of the reader.
    assert!(s.refused > 0, "{}: nothing refused", target.name());
}

#[test]
fn cities_csv() {
    fuzz(Target::CitiesCsv);
}

#[test]
fn links_csv() {
    fuzz(Target::LinksCsv);
}

#[test]
fn agglomerations_csv() {
    fuzz(Target::AgglomerationsCsv);
}

#[test]
fn network_geojson() {
    fuzz(Target::NetworkGeoJson);
}

#[test]
fn counties_csv() {
    fuzz(Target::CountiesCsv);
}

#[test]
fn county_links_csv() {
    fuzz(Target::CountyLinksCsv);
}

#[test]
fn scenario_toml_with_base_chains() {
    fuzz(Target::ScenarioToml);
}

#[test]
fn dimacs_gr() {
    fuzz(Target::DimacsGr);
}

#[test]
fn dimacs_co() {
    fuzz(Target::DimacsCo);
}

#[test]
fn road_csv() {
    fuzz(Target::RoadCsv);
}

#[test]
fn road_geojson() {
    fuzz(Target::RoadGeoJson);
}

#[test]
fn bundles_survive_the_crash_file_format() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for t in Target::ALL {
        for b in t.seeds(root).unwrap() {
            assert_eq!(agglo::fuzz::Bundle::from_bytes(&b.to_bytes()), Some(b));
        }
    }
}
