//! Loading the embedded network and building its graph.
use std::hint::black_box;

use agglo::Network;
use agglo::io::Input;
use criterion::{Criterion, criterion_group, criterion_main};

fn load(c: &mut Criterion) {
    c.bench_function("parse embedded CSV", |b| {
        b.iter(|| black_box(Input::Embedded.read().unwrap()))
    });
    let data = Input::Embedded.read().unwrap();
    c.bench_function("build network (checks, graph, CSR, R-tree)", |b| {
        b.iter(|| black_box(Network::from_data(data.clone()).unwrap()))
    });
}

criterion_group!(benches, load);
criterion_main!(benches);
