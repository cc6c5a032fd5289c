//! Centrality kernels against reference values from NetworkX 3.6.1 and an
//! independent brute force (tests/fixtures/centrality/README.md), to 1e-9.

use agglo::algorithms::centrality::{
    PathOptions, WGraph, closeness, normalise_betweenness, path_centrality,
};
use serde_json::Value;

struct Case {
    name: String,
    nodes: Vec<String>,
    g: WGraph,
    pop: Vec<f64>,
    cutoffs: Vec<f64>,
    cut_keys: Vec<String>,
    exp: Value,
}

fn load(file: &str) -> Case {
    let path = format!(
        "{}/tests/fixtures/centrality/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let nodes: Vec<String> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect();
    let ix = |s: &Value| nodes.iter().position(|n| n == s.as_str().unwrap()).unwrap() as u32;
    let directed = v["directed"].as_bool().unwrap();
    let arcs: Vec<(u32, u32, f64)> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (ix(&e[0]), ix(&e[1]), e[2].as_f64().unwrap()))
        .collect();
    let g = WGraph::from_arcs(nodes.len(), &arcs, !directed).unwrap();
    let pop = nodes
        .iter()
        .map(|n| v["populations"][n].as_f64().unwrap())
        .collect();
    let cutoffs: Vec<f64> = v["cutoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_f64().unwrap())
        .collect();
    let cut_keys = v["expected"]["betweenness_cutoff"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    Case {
        name: file.into(),
        nodes,
        g,
        pop,
        cutoffs,
        cut_keys,
        exp: v["expected"].clone(),
    }
}

fn check(case: &Case, field: &str, expected: &Value, got: &[f64]) {
    for (i, n) in case.nodes.iter().enumerate() {
        let want = expected[n]
            .as_f64()
            .unwrap_or_else(|| panic!("{}: {field}[{n}] missing", case.name));
        let tol = 1e-9 * want.abs().max(1.0);
        assert!(
            (got[i] - want).abs() <= tol,
            "{} {field}[{n}]: got {} want {want}",
            case.name,
            got[i]
        );
    }
}

fn run(file: &str) {
    let c = load(file);
    let n = c.nodes.len();
    let mut cuts = vec![f64::INFINITY];
    cuts.extend(&c.cutoffs);
    let opt = PathOptions {
        cutoffs: &cuts,
        sources: None,
        targets: None,
        population: Some(&c.pop),
        ..PathOptions::all(&cuts)
    };
    let out = path_centrality(&c.g, &opt);
    let directed = c.g.directed;
    assert_eq!(
        directed,
        c.exp.get("in_degree").is_some(),
        "{}: directedness detected",
        c.name
    );
    // Where NetworkX's exact comparison of float sums misses near-ties, the
    // fixture also carries the values with ties made exact (see its README).
    let (raw_key, norm_key) = if c.exp.get("betweenness_raw_tolerant").is_some() {
        ("betweenness_raw_tolerant", "betweenness_norm_tolerant")
    } else {
        ("betweenness_raw", "betweenness_norm")
    };
    check(&c, raw_key, &c.exp[raw_key], &out.betweenness[0]);
    check(
        &c,
        norm_key,
        &c.exp[norm_key],
        &normalise_betweenness(&out.betweenness[0], n, directed),
    );
    let clo: Vec<f64> = (0..n)
        .map(|v| closeness(out.distance_sum[0][v], out.reached[0][v], n))
        .collect();
    let (clo_key, harm_key, hcut_key) = if directed {
        (
            "closeness_outgoing",
            "harmonic_outgoing",
            "harmonic_cutoff_outgoing",
        )
    } else {
        ("closeness", "harmonic", "harmonic_cutoff")
    };
    check(&c, clo_key, &c.exp[clo_key], &clo);
    check(&c, harm_key, &c.exp[harm_key], &out.harmonic[0]);
    check(
        &c,
        "pop_betweenness",
        &c.exp["pop_betweenness"],
        &out.pop_betweenness[0],
    );
    for (k, key) in c.cut_keys.iter().enumerate() {
        check(
            &c,
            &format!("betweenness_cutoff[{key}]"),
            &c.exp["betweenness_cutoff"][key],
            &out.betweenness[k + 1],
        );
        check(
            &c,
            &format!("{hcut_key}[{key}]"),
            &c.exp[hcut_key][key],
            &out.harmonic[k + 1],
        );
    }
    let deg: Vec<f64> = (0..n as u32).map(|v| c.g.out_degree(v) as f64).collect();
    let strength: Vec<f64> = (0..n as u32)
        .map(|v| c.g.out(v).map(|x| x.1).sum())
        .collect();
    check(&c, "degree", &c.exp["degree"], &deg);
    check(&c, "strength", &c.exp["strength"], &strength);
    if directed {
        // NetworkX's own (incoming) closeness and harmonic: the reversed graph.
        let rout = path_centrality(&c.g.reversed(), &opt);
        let clo_in: Vec<f64> = (0..n)
            .map(|v| closeness(rout.distance_sum[0][v], rout.reached[0][v], n))
            .collect();
        check(&c, "closeness", &c.exp["closeness"], &clo_in);
        check(&c, "harmonic", &c.exp["harmonic"], &rout.harmonic[0]);
    }
}

#[test]
fn krackhardt_kite() {
    run("kite.json");
}

#[test]
fn florentine_families() {
    run("florentine.json");
}

#[test]
fn weighted_random_geometric_graph() {
    run("weighted_random.json");
}

#[test]
fn grid_with_many_equal_shortest_paths() {
    run("ties.json");
}

#[test]
fn directed_graph_with_unreachable_pairs() {
    run("directed.json");
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let c = load("weighted_random.json");
    let cuts = [f64::INFINITY, 0.3];
    let opt = PathOptions {
        cutoffs: &cuts,
        sources: None,
        targets: None,
        population: Some(&c.pop),
        ..PathOptions::all(&cuts)
    };
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| path_centrality(&c.g, &opt));
    let three = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap()
        .install(|| path_centrality(&c.g, &opt));
    assert_eq!(one, three);
}
