//! `tiers`, `structure`, `growth` and `delineate` on the shipped data and the
//! small fixture: every printed figure is recomputed here from the input
//! files or from other commands, following the rules written in the README.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("json output")
}

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().expect("array of rows")
}

fn s<'a>(r: &'a Value, k: &str) -> &'a str {
    r[k].as_str().unwrap_or("")
}

/// A list cell: a JSON array of strings.
fn list<'a>(r: &'a Value, k: &str) -> Vec<&'a str> {
    let a = r[k]
        .as_array()
        .unwrap_or_else(|| panic!("`{k}` is not an array: {r}"));
    a.iter()
        .map(|x| x.as_str().expect("string items"))
        .collect()
}

fn f(r: &Value, k: &str) -> f64 {
    r[k].as_f64().unwrap_or(f64::NAN)
}

struct CityRow {
    pop_2020: u64,
    urban: Option<u64>,
}

fn shipped_cities() -> BTreeMap<String, CityRow> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/cities.csv");
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (id, p20, u) = (col("id"), col("pop_2020"), col("urban_pop_2020"));
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let num = |i: usize| rec[i].trim().parse::<u64>().ok();
            (
                rec[id].to_owned(),
                CityRow {
                    pop_2020: num(p20).unwrap(),
                    urban: num(u),
                },
            )
        })
        .collect()
}

/// The README's class bounds, written out again.
fn class_of(urban: f64) -> &'static str {
    let m = urban / 1e6;
    if m >= 10.0 {
        "megacity"
    } else if m >= 5.0 {
        "super-large"
    } else if m >= 3.0 {
        "large-I"
    } else if m >= 1.0 {
        "large-II"
    } else if m >= 0.5 {
        "medium"
    } else if m >= 0.2 {
        "small-I"
    } else {
        "small-II"
    }
}

#[test]
fn national_class_counts_follow_the_documented_estimate() {
    let cities = shipped_cities();
    // Lower quartile (linear interpolation) of published urban shares.
    let mut ratios: Vec<f64> = cities
        .values()
        .filter_map(|c| c.urban.map(|u| u as f64 / c.pop_2020 as f64))
        .collect();
    ratios.sort_by(f64::total_cmp);
    let pos = 0.25 * (ratios.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let q1 = ratios[lo] + (ratios[lo + 1] - ratios[lo]) * (pos - lo as f64);
    let listed = json(&["tiers", "--list", "--format", "json"]);
    assert_eq!(rows(&listed).len(), cities.len());
    let mut expected: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows(&listed) {
        let c = &cities[s(r, "id")];
        let urban = c
            .urban
            .map_or((c.pop_2020 as f64 * q1).round(), |u| u as f64);
        assert_eq!(f(r, "urban_pop"), urban, "{}", s(r, "id"));
        assert_eq!(s(r, "estimated") == "yes", c.urban.is_none());
        assert_eq!(s(r, "class"), class_of(urban), "{}", s(r, "id"));
        *expected.entry(class_of(urban)).or_default() += 1;
    }
    let counts = json(&["tiers", "--format", "json"]);
    let national = &rows(&counts)[0];
    assert_eq!(s(national, "scope"), "national");
    println!("national class counts:");
    for k in [
        "megacity",
        "super-large",
        "large-I",
        "large-II",
        "medium",
        "small-I",
        "small-II",
    ] {
        println!("  {k:12} {}", national[k]);
        assert_eq!(
            national[k].as_u64().unwrap() as usize,
            expected.get(k).copied().unwrap_or(0)
        );
    }
    // Known fact (7th census bulletin): the seven megacities, all with
    // published urban-district figures.
    let mega: BTreeSet<&str> = rows(&listed)
        .iter()
        .filter(|r| s(r, "class") == "megacity")
        .map(|r| s(r, "id"))
        .collect();
    let census: BTreeSet<&str> = [
        "beijing",
        "shanghai",
        "shenzhen",
        "chongqing",
        "guangzhou",
        "chengdu",
        "tianjin",
    ]
    .into();
    assert_eq!(mega, census);
}

/// The README's typing rules, written out again from the printed indicators.
fn type_from(r: &Value) -> &'static str {
    let p = r["primacy"].as_f64();
    let fc = r["four_city"].as_f64();
    let st = r["second_third"].as_f64();
    let m = f(r, "middle_share");
    let Some(p) = p else { return "monocentric" };
    match fc {
        Some(fc) if fc >= 1.0 => return "monocentric",
        None if p >= 2.0 => return "monocentric",
        _ => {}
    }
    if p < 1.5 {
        return match st {
            Some(st) if st < 1.5 => "polycentric",
            _ => "dual-core",
        };
    }
    if m >= 0.4 { "gradient" } else { "monocentric" }
}

#[test]
fn every_cluster_type_follows_from_its_indicators() {
    let cities = shipped_cities();
    let table = json(&["structure", "--all", "--format", "json"]);
    let members = json(&["structure", "--members", "--format", "json"]);
    let mut by_agg: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for m in rows(&members) {
        by_agg.entry(s(m, "agglomeration")).or_default().push(m);
    }
    assert!(rows(&table).len() >= 30);
    for r in rows(&table) {
        let id = s(r, "agglomeration");
        println!(
            "{id:28} {:12} primacy {:?} four-city {:?} q {:?} gini {} middle {} ({})",
            s(r, "type"),
            r["primacy"],
            r["four_city"],
            r["zipf_q"],
            r["gini"],
            r["middle_share"],
            s(r, "rule")
        );
        // Recompute the indicators from the member sizes (2020 residents).
        let ms = &by_agg[id];
        let mut sizes: Vec<f64> = ms
            .iter()
            .map(|m| cities[s(m, "id")].pop_2020 as f64)
            .collect();
        sizes.sort_by(|a, b| b.total_cmp(a));
        let ranked: Vec<f64> = ms.iter().map(|m| f(m, "size")).collect();
        assert_eq!(sizes, ranked, "{id}: members ranked by size");
        let near = |a: f64, b: f64, d: f64| (a - b).abs() <= d;
        if sizes.len() >= 2 {
            assert!(near(f(r, "primacy"), sizes[0] / sizes[1], 0.005), "{id}");
        }
        if sizes.len() >= 4 {
            let fc = sizes[0] / (sizes[1] + sizes[2] + sizes[3]);
            assert!(near(f(r, "four_city"), fc, 0.005), "{id}");
        }
        let n = sizes.len() as f64;
        let mean = sizes.iter().sum::<f64>() / n;
        let pairs: f64 = sizes
            .iter()
            .flat_map(|a| sizes.iter().map(move |b| (a - b).abs()))
            .sum();
        assert!(
            near(f(r, "gini"), pairs / (2.0 * n * n * mean), 0.0005),
            "{id}"
        );
        // Type from the rounded indicators, unless one sits on a threshold.
        let on_edge = ["primacy", "four_city", "second_third", "middle_share"]
            .iter()
            .filter_map(|k| r[*k].as_f64())
            .any(|v| [1.0, 1.5, 2.0, 0.4].iter().any(|t| (v - t).abs() < 0.006));
        if !on_edge {
            assert_eq!(s(r, "type"), type_from(r), "{id}: {}", s(r, "rule"));
        }
        // The rule shows the indicator values that decided it.
        let shown = ["primacy", "four_city", "second_third", "middle_share"]
            .iter()
            .filter_map(|k| r[*k].as_f64())
            .any(|v| s(r, "rule").contains(&format!("{v:.2}")));
        assert!(shown || sizes.len() < 2, "{id}: {}", s(r, "rule"));
        // The leading cities are the ones the type names.
        let leading = ms.iter().filter(|m| s(m, "role") == "leading").count();
        match s(r, "type") {
            "dual-core" => assert_eq!(leading, 2, "{id}"),
            "polycentric" => assert!(leading >= 2, "{id}"),
            _ => assert_eq!(leading, 1, "{id}"),
        }
    }
}

fn small() -> String {
    fixture("small").display().to_string()
}

fn reach_times(data: &str, from: &str, minutes: &str) -> BTreeMap<String, f64> {
    let out = if data.is_empty() {
        json(&[
            "reach",
            "--from",
            from,
            "--minutes",
            minutes,
            "--format",
            "json",
        ])
    } else {
        json(&[
            "--data",
            data,
            "reach",
            "--from",
            from,
            "--minutes",
            minutes,
            "--format",
            "json",
        ])
    };
    rows(&out["cities"])
        .iter()
        .map(|c| (s(c, "id").to_owned(), f(c, "minutes")))
        .collect()
}

#[test]
fn growth_of_the_fixture_cluster_follows_from_the_census_and_reach() {
    let d = small();
    let cities = {
        let text = std::fs::read_to_string(fixture("small").join("cities.csv")).unwrap();
        let mut r = csv::Reader::from_reader(text.as_bytes());
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                (
                    rec[0].to_owned(),
                    (
                        rec[8].parse::<f64>().unwrap(),
                        rec[7].parse::<f64>().unwrap(),
                    ),
                )
            })
            .collect::<BTreeMap<String, (f64, f64)>>()
    };
    let out = json(&[
        "--data",
        &d,
        "growth",
        "--agglomeration",
        "east-cluster",
        "--format",
        "json",
    ]);
    let rate = |ids: &[&str]| {
        let (a, b) = ids.iter().fold((0.0, 0.0), |acc, id| {
            (acc.0 + cities[*id].0, acc.1 + cities[*id].1)
        });
        (b / a - 1.0) * 100.0
    };
    let cores = ["alpha", "gamma"];
    let rest: Vec<&str> = ["beta", "delta", "epsilon", "zeta"].into();
    for r in rows(&out) {
        let core = s(r, "core");
        assert!((f(r, "rest_growth_pct") - rate(&rest)).abs() < 0.051);
        assert!((f(r, "core_growth_pct") - rate(&[core])).abs() < 0.051);
        let reach = reach_times(&d, core, "60");
        let ring: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|c| reach.contains_key(*c))
            .collect();
        let outside: Vec<&str> = rest
            .iter()
            .copied()
            .filter(|c| !reach.contains_key(*c))
            .collect();
        assert_eq!(r["ring_cities"].as_u64().unwrap() as usize, ring.len());
        let effect = if ring.is_empty() || outside.is_empty() {
            "undetermined"
        } else if rate(&ring) > rate(&outside) {
            "spread"
        } else {
            "backwash"
        };
        assert_eq!(s(r, "effect"), effect, "{core}");
        if !ring.is_empty() {
            assert!((f(r, "ring_growth_pct") - rate(&ring)).abs() < 0.051);
        }
        let share = |i: usize| {
            let c: f64 = cores
                .iter()
                .map(|c| if i == 0 { cities[*c].0 } else { cities[*c].1 })
                .sum();
            let all: f64 = cities
                .values()
                .map(|v| if i == 0 { v.0 } else { v.1 })
                .sum();
            c / all
        };
        assert!((f(r, "core_share_2010") - share(0)).abs() < 0.0006);
        assert!((f(r, "core_share_2020") - share(1)).abs() < 0.0006);
        // Shrinking members are exactly those whose 2020 figure is lower.
        let shrinking: BTreeSet<&str> = list(r, "shrinking")
            .into_iter()
            .map(|x| x.split(':').next().unwrap())
            .collect();
        let fell: BTreeSet<&str> = cities
            .iter()
            .filter(|(_, v)| v.1 < v.0)
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(shrinking, fell);
    }
}

#[test]
fn delineated_cities_join_their_fastest_core_on_the_shipped_data() {
    let cities = json(&["delineate", "--view", "cities", "--format", "json"]);
    let areas = json(&["delineate", "--view", "areas", "--format", "json"]);
    let cores: Vec<String> = rows(&areas)
        .iter()
        .map(|a| s(a, "core").to_owned())
        .collect();
    // Cores are exactly the cities at or above 3 million urban residents.
    let tiers = json(&["tiers", "--list", "--format", "json"]);
    let big: BTreeSet<String> = rows(&tiers)
        .iter()
        .filter(|r| f(r, "urban_pop") >= 3e6)
        .map(|r| s(r, "id").to_owned())
        .collect();
    assert_eq!(cores.iter().cloned().collect::<BTreeSet<_>>(), big);
    let reach: BTreeMap<String, BTreeMap<String, f64>> = cores
        .iter()
        .map(|c| (c.clone(), reach_times("", c, "60")))
        .collect();
    let mut assigned = 0;
    for r in rows(&cities) {
        let (city, core) = (s(r, "id"), s(r, "core"));
        assert!(!big.contains(city), "a core is never assigned: {city}");
        let best = reach
            .values()
            .filter_map(|m| m.get(city))
            .fold(f64::INFINITY, |a, b| a.min(*b));
        assert!((reach[core][city] - best).abs() < 0.051, "{city}");
        assert!((f(r, "minutes") - best).abs() < 0.051);
        assert!(best <= 60.0);
        assert_eq!(
            r["runner_up"].is_null(),
            reach.values().filter(|m| m.contains_key(city)).count() == 1
        );
        assigned += 1;
    }
    // Every city within the hour of some core is assigned.
    let reached: BTreeSet<&String> = reach
        .values()
        .flat_map(|m| m.keys())
        .filter(|c| !big.contains(*c))
        .collect();
    assert_eq!(reached.len(), assigned);
    // The official comparison: Jaccard from the listed differences.
    let off = json(&["delineate", "--view", "official", "--format", "json"]);
    let aggs: BTreeMap<String, usize> = rows(&json(&["structure", "--format", "json"]))
        .iter()
        .map(|r| (s(r, "agglomeration").to_owned(), f(r, "cities") as usize))
        .collect();
    for r in rows(&off) {
        let n = |k: &str| list(r, k).len();
        let members = aggs[s(r, "agglomeration")];
        let inter = members - n("outside");
        let j = inter as f64 / (inter + n("outside") + n("extra")) as f64;
        assert!(
            (f(r, "jaccard") - j).abs() < 0.006,
            "{}",
            s(r, "agglomeration")
        );
    }
}

#[test]
fn geojson_layers_carry_class_role_growth_and_areas() {
    let dir = tempfile::tempdir().unwrap();
    let (cities, areas) = (dir.path().join("c.geojson"), dir.path().join("a.geojson"));
    ok(&[
        "structure",
        "--agglomeration",
        "chengdu-chongqing",
        "--cities-out",
        cities.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&cities).unwrap()).unwrap();
    let feats = v["features"].as_array().unwrap();
    assert_eq!(feats.len(), 16);
    for ft in feats {
        assert_eq!(ft["geometry"]["type"], "Point");
        let p = &ft["properties"];
        for k in ["class", "role", "growth_pct", "structure", "estimated"] {
            assert!(!p[k].is_null(), "{k} in {p}");
        }
    }
    let table = json(&[
        "delineate",
        "--format",
        "json",
        "--out",
        areas.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&areas).unwrap()).unwrap();
    let feats = v["features"].as_array().unwrap();
    assert_eq!(feats.len(), rows(&table).len());
    for (ft, r) in feats.iter().zip(rows(&table)) {
        assert_eq!(ft["geometry"]["type"], "MultiPolygon");
        assert_eq!(ft["properties"]["core"], r["core"]);
        assert_eq!(ft["properties"]["population"], r["population"]);
    }
}

#[test]
fn bad_arguments_are_named() {
    let o = run(&["delineate", "--minutes", "0"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("0 is not in (0, 10080]"),
        "{}",
        stderr(&o)
    );
    let o = run(&["delineate", "--core-min-pop", "99000000"]);
    assert!(stderr(&o).contains("99000000"), "{}", stderr(&o));
    let o = run(&["structure", "--agglomeration", "atlantis"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("atlantis"), "{}", stderr(&o));
    let o = run(&["growth", "--minutes", "-5"]);
    assert!(stderr(&o).contains("-5"), "{}", stderr(&o));
}
