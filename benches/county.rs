//! The county-level network: loading it, 60-minute reach from a core, and
//! the circles of every core (the README's county-level targets).
use std::hint::black_box;

use agglo::algorithms::{
    CircleOptions, CircleOrigin, Direction, Engine, TimeModel, commuting_circles, origins_of,
};
use agglo::io::{CountySource, Input};
use criterion::{Criterion, criterion_group, criterion_main};

fn county(c: &mut Criterion) {
    c.bench_function(
        "county: load embedded (parse, checks, graph, CSR, R-tree)",
        |b| {
            b.iter(|| {
                black_box(
                    Input::Embedded
                        .load_with(Some(&CountySource::Embedded))
                        .unwrap(),
                )
            })
        },
    );
    let net = Input::Embedded
        .load_with(Some(&CountySource::Embedded))
        .unwrap()
        .0;
    let engine = Engine::new(&net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    let beijing = net.city_by_id("beijing").unwrap();
    let chengdu = net.city_by_id("chengdu").unwrap();
    c.bench_function("county: reach 60 min from beijing centre (warm)", |b| {
        b.iter(|| {
            engine.search(&mut ws, black_box(&[beijing]), Direction::Out, 60.0);
            black_box(engine.time_to(&ws, beijing))
        })
    });
    c.bench_function("county: reach 60 min from chengdu centre (warm)", |b| {
        b.iter(|| {
            engine.search(&mut ws, black_box(&[chengdu]), Direction::Out, 60.0);
            black_box(engine.time_to(&ws, chengdu))
        })
    });
    let districts = origins_of(&net, &[beijing], CircleOrigin::Districts);
    c.bench_function(
        "county: reach 60 min from beijing's urban districts (warm)",
        |b| {
            b.iter(|| {
                engine.search(&mut ws, black_box(&districts), Direction::Out, 60.0);
                black_box(engine.time_to(&ws, beijing))
            })
        },
    );
    let aggs: Vec<&agglo::Agglomeration> = net.agglomerations().iter().collect();
    let mut group = c.benchmark_group("county circles");
    group.sample_size(10);
    group.bench_function("every core at 30/60/90 min, from the districts", |b| {
        b.iter(|| {
            black_box(commuting_circles(
                &net,
                &engine,
                Direction::Out,
                &aggs,
                &[30.0, 60.0, 90.0],
                false,
                CircleOptions {
                    origin: CircleOrigin::Districts,
                    ..CircleOptions::default()
                },
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, county);
criterion_main!(benches);
