//! Times one kernel on a DIMACS graph, for `benches/peers/run.py`.
//!
//! `road_kernels KERNEL GRAPH.gr OUT.txt [ARG]` reads the graph with weights
//! in its own units (no conversion, so distances compare exactly with other
//! tools), runs the kernel once, prints `{"seconds": S}` (load excluded) and
//! writes the results to OUT.txt, one value a line:
//! - `search BUDGET`: 100 bounded searches from nodes 1, 1+n/100, ...;
//!   the number of nodes each settles.
//! - `matrix K`: the K×K matrix between nodes 0, n/K, 2n/K, ... (row-major).
//! - `betweenness`: normalised betweenness per node.
//! - `closeness`: closeness and harmonic closeness per node (two columns).
//! - `cutoff C1,C2,...`: betweenness (raw, each pair once) and harmonic per
//!   node for each cutoff, from one pass (2 columns per cutoff).
//! - `approx K`: sampled betweenness from K sources (seed 1) and ε (first line).
//!
//! Nodes are named and listed in file order; the loader renumbers large
//! graphs for locality (its cost is part of loading, like building the CSR).
use std::fmt::Write as _;
use std::time::Instant;

use agglo::algorithms::centrality::{
    PathOptions, closeness, normalise_betweenness, path_centrality,
};
use agglo::road::{
    DimacsOptions, RoadGraph, SearchSpace, approx_betweenness_from, closeness_all, matrix,
    read_dimacs, sample_sources,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        eprintln!("usage: road_kernels KERNEL GRAPH.gr OUT.txt [ARG]");
        std::process::exit(2);
    }
    let (kernel, gr, out) = (&args[1], &args[2], &args[3]);
    let arg = args.get(4).cloned().unwrap_or_default();
    let opt = DimacsOptions {
        unit_minutes: 1.0,
        coord_scale: 1e-6,
    };
    let g = match read_dimacs(std::path::Path::new(gr), None, opt) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let w = g.graph();
    let n = g.node_count();
    let mut text = String::new();
    let start = Instant::now();
    match kernel.as_str() {
        "search" => {
            let budget: f64 = arg.parse().expect("budget");
            let mut ws = SearchSpace::new(n);
            let step = (n / 100).max(1);
            let counts: Vec<usize> = (0..100.min(n))
                .map(|i| {
                    let s = g.node_at((1 + i * step) as u32 % n as u32);
                    ws.search(w, &[s], budget, None).settled().len()
                })
                .collect();
            let secs = start.elapsed().as_secs_f64();
            for c in counts {
                let _ = writeln!(text, "{c}");
            }
            finish(secs, out, &text);
        }
        "matrix" => {
            let k: usize = arg.parse().expect("k");
            let pts: Vec<u32> = (0..k).map(|i| g.node_at((i * n / k) as u32)).collect();
            let m = matrix(w, &pts);
            let secs = start.elapsed().as_secs_f64();
            for row in m {
                for v in row {
                    let _ = writeln!(text, "{v}");
                }
            }
            finish(secs, out, &text);
        }
        "betweenness" => {
            let cuts = [f64::INFINITY];
            let pc = path_centrality(w, &PathOptions::all(&cuts));
            let secs = start.elapsed().as_secs_f64();
            let b = normalise_betweenness(&pc.betweenness[0], n, w.directed);
            for v in file_order(&g, &b) {
                let _ = writeln!(text, "{v}");
            }
            finish(secs, out, &text);
        }
        "closeness" => {
            let c = closeness_all(w);
            let secs = start.elapsed().as_secs_f64();
            for (sum, r, h) in file_order(&g, &c) {
                let _ = writeln!(text, "{} {}", closeness(sum, r, n), h);
            }
            finish(secs, out, &text);
        }
        "cutoff" => {
            let cuts: Vec<f64> = arg.split(',').map(|x| x.parse().expect("cutoff")).collect();
            let pc = path_centrality(w, &PathOptions::all(&cuts));
            let secs = start.elapsed().as_secs_f64();
            for i in 0..n as u32 {
                let v = g.node_at(i) as usize;
                let row: Vec<String> = (0..cuts.len())
                    .map(|k| format!("{} {}", pc.betweenness[k][v], pc.harmonic[k][v]))
                    .collect();
                let _ = writeln!(text, "{}", row.join(" "));
            }
            finish(secs, out, &text);
        }
        "approx" => {
            let k: usize = arg.parse().expect("k");
            let sample = sample_sources(n, k, 1)
                .into_iter()
                .map(|i| g.node_at(i))
                .collect();
            let est = approx_betweenness_from(w, sample, 0.1);
            let secs = start.elapsed().as_secs_f64();
            let _ = writeln!(text, "{}", est.epsilon);
            for v in file_order(&g, &est.normalised) {
                let _ = writeln!(text, "{v}");
            }
            finish(secs, out, &text);
        }
        other => {
            eprintln!("unknown kernel {other}");
            std::process::exit(2);
        }
    }
}

/// Per-node values listed in file order.
fn file_order<T: Copy>(g: &RoadGraph, values: &[T]) -> Vec<T> {
    (0..values.len() as u32)
        .map(|i| values[g.node_at(i) as usize])
        .collect()
}

fn finish(secs: f64, out: &str, text: &str) {
    std::fs::write(out, text).expect("write results");
    println!("{{\"seconds\": {secs}}}");
}
