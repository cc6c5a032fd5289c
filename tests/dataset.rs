//! Plausibility and known-fact tests of the embedded dataset (see data/README.md).

mod common;

use agglo::algorithms::{Direction, Engine, TimeModel};
use agglo::io::Input;
use agglo::{Mode, Network, haversine_km};
use common::*;

fn net() -> Network {
    let (net, warnings) = Input::Embedded.load().expect("embedded data loads");
    assert!(warnings.0.is_empty(), "warnings:\n{warnings}");
    net
}

/// Average speed bounds per mode, km/h, stops included (data/README.md).
fn speed_bounds(m: Mode) -> (f64, f64) {
    match m {
        Mode::Hsr => (100.0, 330.0),
        Mode::Rail => (40.0, 160.0),
        Mode::Expressway => (50.0, 110.0),
        Mode::Road => (20.0, 110.0),
        Mode::Ferry => (10.0, 80.0),
    }
}

#[test]
fn validate_passes_with_no_errors_and_no_warnings() {
    let out = ok(&["validate"]);
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

#[test]
fn every_link_is_plausible_in_length_and_speed() {
    let net = net();
    let mut bad = Vec::new();
    for l in net.links() {
        let (a, b) = (net.city(l.from), net.city(l.to));
        let gc = haversine_km(a.lon, a.lat, b.lon, b.lat);
        // At least the great-circle distance (0.5 km for rounding), at most
        // twice it plus 10 km for approaches on very short links.
        if l.km < gc - 0.5 || l.km > 2.0 * gc + 10.0 {
            bad.push(format!(
                "{}: {}–{} {} km vs great-circle {gc:.1}",
                l.loc, a.id, b.id, l.km
            ));
        }
        let v = l.km / l.minutes * 60.0;
        let (lo, hi) = speed_bounds(l.mode);
        if !(lo..=hi).contains(&v) {
            bad.push(format!(
                "{}: {}–{} {} at {v:.0} km/h outside [{lo}, {hi}]",
                l.loc, a.id, b.id, l.mode
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "{} implausible links:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[test]
fn no_duplicate_links_of_the_same_mode_and_line() {
    let net = net();
    let mut seen = std::collections::HashSet::new();
    for l in net.links() {
        let key = (l.from.min(l.to), l.from.max(l.to), l.mode, l.line.clone());
        assert!(seen.insert(key), "duplicate link at {}", l.loc);
    }
}

#[test]
fn the_network_is_connected_and_every_agglomeration_hangs_together() {
    let net = net();
    assert_eq!(petgraph::algo::kosaraju_scc(net.graph()).len(), 1);
    for a in net.agglomerations() {
        // Members connected by links among members only.
        let members: std::collections::HashSet<u32> = a.members.iter().copied().collect();
        let mut seen = vec![a.members[0]];
        let mut stack = vec![a.members[0]];
        while let Some(v) = stack.pop() {
            for arc in net.csr().out(v) {
                if members.contains(&arc.to) && !seen.contains(&arc.to) {
                    seen.push(arc.to);
                    stack.push(arc.to);
                }
            }
        }
        assert_eq!(
            seen.len(),
            members.len(),
            "{} is not connected among its members",
            a.id
        );
    }
}

#[test]
fn scope_and_population_match_the_census() {
    let net = net();
    let mainland: Vec<_> = net
        .cities()
        .iter()
        .filter(|c| c.level.as_deref() != Some("sar"))
        .collect();
    let prefectures = mainland
        .iter()
        .filter(|c| matches!(c.level.as_deref(), Some("prefecture" | "municipality")))
        .count();
    // 4 municipalities and 333 prefecture-level units.
    assert_eq!(prefectures, 337, "prefecture-level-and-above units");
    assert!(net.city_by_id("hong-kong").is_some() && net.city_by_id("macao").is_some());
    // The 2020 census counted 1,411,778,724 residents, of whom 2,000,000 are
    // active military not allocated to any province.
    let sum: u64 = mainland.iter().map(|c| c.pop_2020).sum();
    let target = 1_411_778_724u64 - 2_000_000;
    let rel = (sum as f64 - target as f64).abs() / target as f64;
    assert!(
        rel < 1e-4,
        "mainland sum {sum} vs {target}: {:.5}%",
        rel * 100.0
    );
    // Every prefecture has a 2010 figure on 2020 boundaries.
    for c in &mainland {
        if c.level.as_deref() == Some("prefecture") && c.id != "sansha" {
            assert!(c.pop_2010.is_some(), "{} lacks pop_2010", c.id);
        }
    }
}

#[test]
fn known_rail_trip_times_come_out_right() {
    let net = net();
    let text = std::fs::read_to_string(fixture("../../data/src/known_facts.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut failures = Vec::new();
    let mut n = 0;
    for rec in rdr.records() {
        let r = rec.unwrap();
        let (from, to, mode) = (&r[0], &r[1], r[2].parse::<Mode>().unwrap());
        let (lo, hi): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
        let model = TimeModel {
            modes: vec![mode],
            ..TimeModel::in_vehicle()
        };
        let engine = Engine::new(&net, model, None);
        let mut ws = engine.workspace();
        let (a, b) = (net.find_city(from).unwrap(), net.find_city(to).unwrap());
        engine.search(&mut ws, &[a], Direction::Out, f64::INFINITY);
        let t = engine.time_to(&ws, b);
        println!("{from}–{to} {mode}: {t:.0} min (expected {lo}–{hi})");
        if !(lo..=hi).contains(&t) {
            failures.push(format!(
                "{from}–{to}: {t:.0} min, expected {lo}–{hi} ({})",
                &r[5]
            ));
        }
        n += 1;
    }
    assert!(n >= 15);
    assert!(
        failures.is_empty(),
        "{} of {n} known facts fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
