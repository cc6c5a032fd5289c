//! Scenario benches on the national network: one scenario compared with the
//! baseline (all indicators), and a sweep over 1,000 candidate links.

use std::path::Path;

use agglo::Mode;
use agglo::TimeModel;
use agglo::scenario::{
    EvalOptions, Objective, Scenario, SweepOptions, candidates_within, compare, evaluate, sweep,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let (net, _) = agglo::io::Input::Embedded.load().expect("embedded data");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios/hzmb-removed.toml");
    let scen = Scenario::load(&file).expect("scenario");
    let opt = EvalOptions::default();
    let base = evaluate(&net, &opt);
    let mut g = c.benchmark_group("scenario");
    g.sample_size(20);
    g.bench_function("compare_with_baseline_evaluation", |b| {
        b.iter(|| {
            let base = evaluate(&net, &opt);
            let after = scen.apply(&net).expect("applies");
            compare(&base, &evaluate(&after, &opt))
        })
    });
    g.bench_function("compare_cached_baseline", |b| {
        b.iter(|| {
            let after = scen.apply(&net).expect("applies");
            compare(&base, &evaluate(&after, &opt))
        })
    });
    let cands: Vec<_> = candidates_within(&net, Mode::Hsr, 250.0, 250.0, 1.2)
        .into_iter()
        .take(1000)
        .collect();
    assert_eq!(cands.len(), 1000);
    let sopt = SweepOptions {
        mode: Mode::Hsr,
        services_per_day: 30.0,
        minutes: 60.0,
        model: TimeModel::default(),
        objective: Objective::Gini,
    };
    g.sample_size(10);
    g.bench_function("sweep_1000_candidates", |b| {
        b.iter(|| sweep(&net, &cands, &sopt).expect("sweeps"))
    });
    g.finish();
}

criterion_group!(scenario, benches);
criterion_main!(scenario);
