//! Scenario benches: one scenario compared with the baseline (all
//! indicators) on the national prefecture network and on the county-level
//! network, and sweeps over candidate links at both levels.

use std::path::Path;

use agglo::Mode;
use agglo::TimeModel;
use agglo::io::{CountySource, Input};
use agglo::scenario::{
    EvalOptions, Objective, Scenario, SweepOptions, candidates_within, compare, evaluate,
    evaluate_against, evaluate_baseline, sweep,
};
use criterion::{Criterion, criterion_group, criterion_main};

fn scenario_file(name: &str) -> Scenario {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios")
        .join(name);
    Scenario::load(&file).expect("scenario")
}

fn sweep_options() -> SweepOptions {
    SweepOptions {
        mode: Mode::Hsr,
        services_per_day: 30.0,
        minutes: 60.0,
        model: TimeModel::default(),
        objective: Objective::Gini,
    }
}

fn prefecture(c: &mut Criterion) {
    let (net, _) = Input::Embedded.load().expect("embedded data");
    let scen = scenario_file("hzmb-removed.toml");
    let opt = EvalOptions::default();
    let base = evaluate_baseline(&net, &opt);
    let mut g = c.benchmark_group("scenario");
    g.sample_size(20);
    g.bench_function("compare_with_baseline_evaluation", |b| {
        b.iter(|| {
            let base = evaluate_baseline(&net, &opt);
            let after = scen.apply(&net).expect("applies");
            compare(base.evaluation(), &evaluate_against(&base, &after, &opt))
        })
    });
    g.bench_function("compare_cached_baseline", |b| {
        b.iter(|| {
            let after = scen.apply(&net).expect("applies");
            compare(base.evaluation(), &evaluate_against(&base, &after, &opt))
        })
    });
    g.bench_function("compare_full_reevaluation", |b| {
        b.iter(|| {
            let after = scen.apply(&net).expect("applies");
            compare(base.evaluation(), &evaluate(&after, &opt))
        })
    });
    let cands: Vec<_> = candidates_within(&net, Mode::Hsr, 250.0, 250.0, 1.2)
        .into_iter()
        .take(1000)
        .collect();
    assert_eq!(cands.len(), 1000);
    let sopt = sweep_options();
    g.sample_size(10);
    g.bench_function("sweep_1000_candidates", |b| {
        b.iter(|| sweep(&net, &cands, &sopt).expect("sweeps"))
    });
    g.finish();
}

fn county(c: &mut Criterion) {
    let (net, _) = Input::Embedded
        .load_with(Some(&CountySource::Embedded))
        .expect("embedded county data");
    let scen = scenario_file("shenzhen-zhongshan-link.toml");
    let opt = EvalOptions::default();
    let base = evaluate_baseline(&net, &opt);
    let mut g = c.benchmark_group("county scenario");
    g.sample_size(10);
    g.bench_function("shenzhen-zhongshan: baseline evaluated too", |b| {
        b.iter(|| {
            let base = evaluate_baseline(&net, &opt);
            let after = scen.apply(&net).expect("applies");
            compare(base.evaluation(), &evaluate_against(&base, &after, &opt))
        })
    });
    g.bench_function("shenzhen-zhongshan: cached baseline", |b| {
        b.iter(|| {
            let after = scen.apply(&net).expect("applies");
            compare(base.evaluation(), &evaluate_against(&base, &after, &opt))
        })
    });
    // 200 of the 1,088 pairs of units within 8 km (as in the README's timing).
    let cands: Vec<_> = candidates_within(&net, Mode::Hsr, 8.0, 250.0, 1.2)
        .into_iter()
        .step_by(5)
        .take(200)
        .collect();
    assert_eq!(cands.len(), 200);
    let sopt = sweep_options();
    g.bench_function("sweep_200_candidates_within_8_km", |b| {
        b.iter(|| sweep(&net, &cands, &sopt).expect("sweeps"))
    });
    g.finish();
}

criterion_group!(scenario, prefecture, county);
criterion_main!(scenario);
