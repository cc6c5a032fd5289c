//! One-shot timing of exact weighted betweenness on the seeded random
//! geometric graph of `benches/centrality.rs` (n given as the first argument).
//! `cargo run --release --example betweenness_timing -- 10000 [SOURCES]`
//! (with SOURCES, only the first SOURCES nodes are sources: a short, steady
//! workload for profilers such as `valgrind --tool=callgrind`).
use std::time::Instant;

use agglo::algorithms::centrality::{PathOptions, path_centrality};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let r = (6.0 / (std::f64::consts::PI * n as f64)).sqrt();
    let g = agglo::generate::random_geometric(n, r, 42);
    let cuts = [f64::INFINITY];
    let mask: Option<Vec<bool>> = std::env::args()
        .nth(2)
        .and_then(|a| a.parse::<usize>().ok())
        .map(|k| (0..g.node_count()).map(|i| i < k).collect());
    let t = Instant::now();
    let out = path_centrality(
        &g,
        &PathOptions {
            cutoffs: &cuts,
            sources: mask.as_deref(),
            targets: None,
            population: None,
            ..PathOptions::all(&cuts)
        },
    );
    let dt = t.elapsed();
    if std::env::var("PROBE").is_ok() {
        let mask: Vec<bool> = (0..n).map(|i| i < 100).collect();
        let t2 = Instant::now();
        let _ = path_centrality(
            &g,
            &PathOptions {
                cutoffs: &cuts,
                sources: Some(&mask),
                targets: None,
                population: None,
                ..PathOptions::all(&cuts)
            },
        );
        println!("100 sources: {:.3} ms", t2.elapsed().as_secs_f64() * 1e3);
    }
    let max = out.betweenness[0].iter().copied().fold(0.0, f64::max);
    println!(
        "n={n} m={} threads={} time={:.3}s max_betweenness={max:.1}",
        g.arc_count() / 2,
        rayon::current_num_threads(),
        dt.as_secs_f64()
    );
}
