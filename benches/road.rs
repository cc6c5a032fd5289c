//! Road-network kernels on a 10,000-point random geometric graph (fixed
//! seed): bounded searches, a matrix, exact betweenness, closeness,
//! betweenness within cutoffs and sampled betweenness.
use std::hint::black_box;

use agglo::algorithms::centrality::{PathOptions, path_centrality};
use agglo::generate::{radius_for_degree, random_geometric_points};
use agglo::road::{SearchSpace, approx_betweenness, closeness_all, matrix};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let geo =
        random_geometric_points(10_000, radius_for_degree(10_000, 5.0), 42).largest_component();
    // Weights in minutes: a 30 km square at 40 km/h.
    let edges: Vec<(u32, u32, f64)> = geo
        .edges
        .iter()
        .map(|&(a, b, d)| (a, b, d * 30.0 / 40.0 * 60.0))
        .collect();
    let g =
        agglo::algorithms::centrality::WGraph::from_arcs(geo.points.len(), &edges, true).unwrap();
    let n = g.node_count();
    let mut group = c.benchmark_group("road 10k");
    group.sample_size(10);
    let mut ws = SearchSpace::new(n);
    group.bench_function("100 bounded searches, 15 min", |b| {
        b.iter(|| {
            for i in 0..100u32 {
                black_box(
                    ws.search(&g, &[i * (n as u32 / 100)], 15.0, None)
                        .settled()
                        .len(),
                );
            }
        })
    });
    let pts: Vec<u32> = (0..200).map(|i| (i * n / 200) as u32).collect();
    group.bench_function("200x200 matrix", |b| b.iter(|| black_box(matrix(&g, &pts))));
    let all = [f64::INFINITY];
    let opt = |cutoffs| PathOptions::all(cutoffs);
    group.bench_function("exact betweenness", |b| {
        b.iter(|| black_box(path_centrality(&g, &opt(&all))))
    });
    group.bench_function("closeness and harmonic", |b| {
        b.iter(|| black_box(closeness_all(&g)))
    });
    let cuts = [5.0, 10.0, 20.0];
    group.bench_function("betweenness + harmonic within 5/10/20 min", |b| {
        b.iter(|| black_box(path_centrality(&g, &opt(&cuts))))
    });
    group.bench_function("sampled betweenness, 200 sources", |b| {
        b.iter(|| black_box(approx_betweenness(&g, 200, 1, 0.1)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
