//! Bounded door-to-door searches and commuting circles on the embedded network.
use std::hint::black_box;

use agglo::algorithms::{CircleOptions, Direction, Engine, TimeModel, circle_polygon};
use agglo::io::Input;
use criterion::{Criterion, criterion_group, criterion_main};

fn search(c: &mut Criterion) {
    let net = Input::Embedded.load().unwrap().0;
    let engine = Engine::new(&net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    let chengdu = net.city_by_id("chengdu").unwrap();
    let beijing = net.city_by_id("beijing").unwrap();
    c.bench_function("reach 60 min from chengdu (warm workspace)", |b| {
        b.iter(|| {
            engine.search(&mut ws, black_box(&[chengdu]), Direction::Out, 60.0);
            black_box(engine.time_to(&ws, chengdu))
        })
    });
    c.bench_function("reach 60 min from beijing (warm workspace)", |b| {
        b.iter(|| {
            engine.search(&mut ws, black_box(&[beijing]), Direction::Out, 60.0);
            black_box(engine.time_to(&ws, beijing))
        })
    });
    c.bench_function("reach 180 min from beijing", |b| {
        b.iter(|| {
            engine.search(&mut ws, black_box(&[beijing]), Direction::Out, 180.0);
            black_box(engine.time_to(&ws, beijing))
        })
    });
    let cores = net.core_cities();
    c.bench_function("circles 30/60/90 of every core with polygons", |b| {
        b.iter(|| {
            for &core in &cores {
                engine.search(&mut ws, &[core], Direction::Out, 90.0);
                let reach = engine.reach(&ws);
                for budget in [30.0, 60.0, 90.0] {
                    black_box(circle_polygon(
                        &net,
                        &reach,
                        net.city(core),
                        budget,
                        CircleOptions::default(),
                    ));
                }
            }
        })
    });
    c.bench_function("engine build (compact graphs, both directions)", |b| {
        b.iter(|| black_box(Engine::new(&net, TimeModel::default(), None)))
    });
}

criterion_group!(benches, search);
criterion_main!(benches);
