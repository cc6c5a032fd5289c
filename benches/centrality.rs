//! Centrality kernels: all measures of all agglomerations of the embedded
//! network, and exact weighted betweenness on a 10,000-node road-like graph.
use std::hint::black_box;

use agglo::algorithms::centrality::{
    CentralityOptions, PathOptions, WGraph, Weight, agglomeration_centrality, path_centrality,
};
use agglo::io::Input;
use criterion::{Criterion, criterion_group, criterion_main};

/// A random geometric graph: `n` points in the unit square (xorshift, fixed
/// seed), edges between points closer than `r`, euclidean weights.
pub fn random_geometric(n: usize, r: f64, seed: u64) -> WGraph {
    let mut s = seed;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let pts: Vec<(f64, f64)> = (0..n).map(|_| (next(), next())).collect();
    let cell = r;
    let g = (1.0 / cell).ceil() as usize;
    let mut grid = vec![Vec::new(); g * g];
    for (i, p) in pts.iter().enumerate() {
        let (cx, cy) = (
            ((p.0 / cell) as usize).min(g - 1),
            ((p.1 / cell) as usize).min(g - 1),
        );
        grid[cy * g + cx].push(i as u32);
    }
    let mut arcs = Vec::new();
    for (i, p) in pts.iter().enumerate() {
        let (cx, cy) = (
            ((p.0 / cell) as usize).min(g - 1),
            ((p.1 / cell) as usize).min(g - 1),
        );
        for dy in cy.saturating_sub(1)..=(cy + 1).min(g - 1) {
            for dx in cx.saturating_sub(1)..=(cx + 1).min(g - 1) {
                for &j in &grid[dy * g + dx] {
                    if (j as usize) > i {
                        let q = pts[j as usize];
                        let d = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
                        if d < r {
                            arcs.push((i as u32, j, d));
                        }
                    }
                }
            }
        }
    }
    WGraph::from_arcs(n, &arcs, true)
}

fn bench(c: &mut Criterion) {
    let net = Input::Embedded.load().unwrap().0;
    let opt = CentralityOptions::default();
    c.bench_function("all measures, all 35 agglomerations (minutes)", |b| {
        b.iter(|| {
            for a in net.agglomerations() {
                black_box(agglomeration_centrality(&net, a, &opt));
            }
        })
    });
    let d2d = CentralityOptions {
        weight: Weight::DoorToDoor,
        ..CentralityOptions::default()
    };
    c.bench_function("all measures, all 35 agglomerations (door to door)", |b| {
        b.iter(|| {
            for a in net.agglomerations() {
                black_box(agglomeration_centrality(&net, a, &d2d));
            }
        })
    });
    let g = random_geometric(10_000, 0.0138, 42);
    eprintln!(
        "random geometric graph: {} nodes, {} edges",
        g.node_count(),
        g.arc_count() / 2
    );
    let cuts = [f64::INFINITY];
    let mut group = c.benchmark_group("10k-node random geometric graph");
    group.sample_size(10);
    group.bench_function("exact weighted betweenness", |b| {
        b.iter(|| {
            black_box(path_centrality(
                &g,
                &PathOptions {
                    cutoffs: &cuts,
                    sources: None,
                    targets: None,
                    population: None,
                },
            ))
        })
    });
    let cuts3 = [f64::INFINITY, 0.05, 0.1];
    group.bench_function("betweenness + closeness, 3 cutoffs in one pass", |b| {
        b.iter(|| {
            black_box(path_centrality(
                &g,
                &PathOptions {
                    cutoffs: &cuts3,
                    sources: None,
                    targets: None,
                    population: None,
                },
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
