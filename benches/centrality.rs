//! Centrality kernels: all measures of all agglomerations of the embedded
//! network, and exact weighted betweenness on a 10,000-node road-like graph.
use std::hint::black_box;

use agglo::algorithms::centrality::{
    CentralityOptions, PathOptions, Weight, agglomeration_centrality, path_centrality,
};
use agglo::generate::random_geometric;
use agglo::io::Input;
use criterion::{Criterion, criterion_group, criterion_main};

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
        b.iter(|| black_box(path_centrality(&g, &PathOptions::all(&cuts))))
    });
    let cuts3 = [f64::INFINITY, 0.05, 0.1];
    group.bench_function("betweenness + closeness, 3 cutoffs in one pass", |b| {
        b.iter(|| black_box(path_centrality(&g, &PathOptions::all(&cuts3))))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
