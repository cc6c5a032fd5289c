//! `agglo centrality` on the built binary: ranking, formats, determinism,
//! and a brute-force check of betweenness on random graphs.

mod common;

use agglo::algorithms::centrality::{PathOptions, WGraph, path_centrality};
use common::*;
use proptest::prelude::*;

#[test]
fn ranked_table_for_the_chengdu_chongqing_cluster() {
    let out = ok(&[
        "centrality",
        "--agglomeration",
        "chengdu-chongqing",
        "--format",
        "csv",
    ]);
    let mut rdr = csv::Reader::from_reader(out.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 16);
    // Sorted by normalised betweenness, with its rank.
    let b: Vec<f64> = rows
        .iter()
        .map(|r| r[col("betweenness_norm")].parse().unwrap())
        .collect();
    assert!(b.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(&rows[0][col("rank_betweenness_norm")], "1");
    // Population-weighted betweenness shares sum to one.
    let s: f64 = rows
        .iter()
        .map(|r| r[col("pop_betweenness")].parse::<f64>().unwrap())
        .sum();
    assert!((s - 1.0).abs() < 1e-5, "{s}");
    // Step accessibility counts the agglomeration's population within 60 minutes, the city included.
    for r in &rows {
        let step: f64 = r[col("access_step")].parse().unwrap();
        assert!(step > 0.0);
    }
    for name in [
        "degree",
        "strength",
        "closeness",
        "harmonic",
        "access_exp",
        "access_linear",
        "access_power",
        "access_gauss",
        "straightness",
    ] {
        assert!(h.iter().any(|x| x == name), "{name} missing");
    }
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    let run_with = |threads: &str| {
        let o = bin()
            .env("RAYON_NUM_THREADS", threads)
            .args(["centrality", "--within", "60,120", "--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success());
        o.stdout
    };
    let one = run_with("1");
    assert_eq!(one, run_with("2"));
    assert_eq!(one, run_with("5"));
}

#[test]
fn cutoffs_add_columns_and_geojson_carries_every_measure() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("c.geojson");
    ok(&[
        "centrality",
        "--agglomeration",
        "chengdu-metro",
        "--within",
        "60",
        "--format",
        "geojson",
        "--out",
        &f.display().to_string(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
    let feats = v["features"].as_array().unwrap();
    assert_eq!(feats.len(), 4);
    let p = &feats[0]["properties"];
    for k in [
        "betweenness_w60",
        "closeness_w60",
        "harmonic_w60",
        "pop_betweenness_w60",
        "rank_harmonic_w60",
        "access_step",
        "name_zh",
        "pop_2020",
    ] {
        assert!(p.get(k).is_some(), "{k} missing in {p}");
    }
    assert!(p["harmonic"].is_number() && p["rank_harmonic"].is_number());
    // A cutoff can only lower harmonic closeness.
    for f in feats {
        let p = &f["properties"];
        assert!(p["harmonic_w60"].as_f64().unwrap() <= p["harmonic"].as_f64().unwrap() + 1e-12);
    }
}

#[test]
fn bad_measure_and_cutoff_are_clear_errors() {
    let o = run(&["centrality", "--measures", "pagerank"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown measure `pagerank`"));
    let o = run(&["centrality", "--within", "-5"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn door_to_door_and_km_weights_run_on_the_fixture() {
    let small = fixture("small").display().to_string();
    for w in ["minutes", "km", "door-to-door"] {
        let out = ok(&[
            "--data",
            &small,
            "centrality",
            "--agglomeration",
            "east-cluster",
            "--weight",
            w,
            "--format",
            "csv",
        ]);
        assert_eq!(out.lines().count(), 7, "{w}: {out}");
    }
}

/// Betweenness by brute force: Floyd–Warshall distances, path counts by
/// dynamic programming, and σ_sv·σ_vt/σ_st summed over ordered pairs.
fn brute_betweenness(n: usize, arcs: &[(u32, u32, f64)]) -> Vec<f64> {
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    for &(a, b, w) in arcs {
        let (a, b) = (a as usize, b as usize);
        if a != b && w < d[a][b] {
            d[a][b] = w;
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if d[i][k] + d[k][j] < d[i][j] {
                    d[i][j] = d[i][k] + d[k][j];
                }
            }
        }
    }
    // σ[s][t]: number of shortest paths, counted over tight arcs in order of distance.
    let mut sigma = vec![vec![0.0f64; n]; n];
    for s in 0..n {
        let mut order: Vec<usize> = (0..n).filter(|&t| d[s][t].is_finite()).collect();
        order.sort_by(|&a, &b| d[s][a].total_cmp(&d[s][b]));
        sigma[s][s] = 1.0;
        for &t in &order {
            if t == s {
                continue;
            }
            let mut c = 0.0;
            for &(a, b, w) in arcs {
                let (a, b) = (a as usize, b as usize);
                if b == t && a != b && d[s][a] + w == d[s][t] {
                    c += sigma[s][a];
                }
            }
            sigma[s][t] = c;
        }
    }
    let mut bc = vec![0.0; n];
    for s in 0..n {
        for t in 0..n {
            if s == t || !d[s][t].is_finite() {
                continue;
            }
            for v in 0..n {
                if v != s && v != t && d[s][v] + d[v][t] == d[s][t] {
                    bc[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
                }
            }
        }
    }
    bc
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, rng_seed: proptest::test_runner::RngSeed::Fixed(11), ..ProptestConfig::default() })]

    #[test]
    fn betweenness_equals_brute_force(n in 2usize..12, raw in proptest::collection::vec((0u32..12, 0u32..12, 1u32..5), 1..40)) {
        // Small integer weights: many exact ties, all counted.
        let arcs: Vec<(u32, u32, f64)> = raw.iter().filter(|a| (a.0 as usize) < n && (a.1 as usize) < n && a.0 != a.1).map(|&(a, b, w)| (a, b, w as f64)).collect();
        let g = WGraph::from_arcs(n, &arcs, false).unwrap();
        // Parallel arcs keep the lightest, as WGraph does.
        let mut arcs = arcs;
        arcs.sort_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)).then(x.2.total_cmp(&y.2)));
        arcs.dedup_by(|later, first| later.0 == first.0 && later.1 == first.1);
        let cuts = [f64::INFINITY];
        let got = path_centrality(&g, &PathOptions::all(&cuts));
        let want = brute_betweenness(n, &arcs);
        let halve = if g.directed { 1.0 } else { 0.5 };
        for (v, w) in want.iter().enumerate() {
            prop_assert!((got.betweenness[0][v] - w * halve).abs() < 1e-9, "node {v}: {} vs {}", got.betweenness[0][v], w * halve);
        }
    }
}

/// Normalised betweenness by city id from `centrality --format csv` output.
fn betweenness_by_id(csv_text: &str) -> std::collections::BTreeMap<String, f64> {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (id, b) = (col("id"), col("betweenness_norm"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[id].to_owned(), r[b].parse().unwrap())
        })
        .collect()
}

/// `--sample K` (issue 14): the same bytes for the same seed at any thread
/// count, another draw for another seed, the exact values when K covers
/// every member, and estimates within the bound printed on stderr.
#[test]
fn sampled_betweenness_is_seeded_bounded_and_exact_with_every_member() {
    fn args<'a>(k: &'a str, seed: &'a str) -> Vec<&'a str> {
        vec![
            "centrality",
            "--agglomeration",
            "yangtze-river-delta",
            "--sample",
            k,
            "--seed",
            seed,
            "--format",
            "csv",
        ]
    }
    let run_with = |threads: &str, a: &[&str]| {
        let o = bin()
            .env("RAYON_NUM_THREADS", threads)
            .args(a)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        (stdout(&o), stderr(&o))
    };
    let (half, note) = run_with("1", &args("13", "3"));
    assert_eq!(half, run_with("2", &args("13", "3")).0);
    assert_ne!(half, run_with("1", &args("13", "4")).0);
    assert!(
        note.contains("estimated from 13 of 26 source members (seed 3)"),
        "{note}"
    );
    let eps: f64 = note
        .split('±')
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no bound in {note}"));
    assert!(eps > 0.0 && eps < 1.0, "{eps}");
    let exact = ok(&[
        "centrality",
        "--agglomeration",
        "yangtze-river-delta",
        "--measures",
        "degree,strength,betweenness,betweenness_norm,pop_betweenness",
        "--format",
        "csv",
    ]);
    // Every member a source: the estimator is the exact kernel.
    assert_eq!(run_with("1", &args("1000", "3")).0, exact);
    let (est, ex) = (betweenness_by_id(&half), betweenness_by_id(&exact));
    assert_eq!(est.len(), 26);
    assert!(est.values().any(|&v| v > 0.0));
    for (id, e) in &est {
        assert!((e - ex[id]).abs() <= eps, "{id}: {e} vs exact {}", ex[id]);
    }
}

#[test]
fn sample_refuses_measures_that_need_every_source() {
    for extra in [
        &["--measures", "closeness"][..],
        &["--sort", "harmonic"],
        &["--weight", "door-to-door"],
    ] {
        let mut a = vec!["centrality", "--sample", "5"];
        a.extend_from_slice(extra);
        let o = run(&a);
        assert!(!o.status.success(), "{a:?}");
        assert!(stderr(&o).contains("--sample"), "{}", stderr(&o));
    }
    assert!(!run(&["centrality", "--sample", "0"]).status.success());
}
