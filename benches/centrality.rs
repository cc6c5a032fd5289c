//! Centrality kernels: all measures of all agglomerations of the embedded
//! network, the city-network path (`agglo centrality`) on an 8,000-city
//! k-nearest-neighbour mesh read from CSV, and exact weighted betweenness on
//! a 10,000-node road-like graph.
use std::fmt::Write as _;
use std::hint::black_box;

use agglo::algorithms::centrality::{
    CentralityOptions, Measures, PathOptions, Weight, agglomeration_centrality, path_centrality,
};
use agglo::generate::{XorShift, random_geometric};
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
    let dir = tempfile::tempdir().unwrap();
    write_mesh(dir.path(), 8000, 3, 42);
    let mesh = Input::Dir(dir.path().to_owned()).load().unwrap().0;
    let all = &mesh.agglomerations()[0];
    eprintln!(
        "k-nearest mesh: {} cities, {} links",
        mesh.cities().len(),
        mesh.links().len()
    );
    let mut group = c.benchmark_group("8k-city k-nearest mesh (agglo centrality)");
    group.sample_size(10);
    let only_bc = CentralityOptions {
        measures: Measures {
            betweenness: true,
            ..Measures::NONE
        },
        ..CentralityOptions::default()
    };
    group.bench_function("betweenness", |b| {
        b.iter(|| black_box(agglomeration_centrality(&mesh, all, &only_bc)))
    });
    group.bench_function("all measures", |b| {
        b.iter(|| black_box(agglomeration_centrality(&mesh, all, &opt)))
    });
    group.finish();

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

/// Writes `n` seeded cities in a 4°×4° box, each linked by road to its `k`
/// nearest (the shape of `benches/peers/run.py --mesh`, with this crate's
/// generator), and one agglomeration `all` of every city.
fn write_mesh(dir: &std::path::Path, n: usize, k: usize, seed: u64) {
    let mut rng = XorShift::new(seed);
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (112.0 + 4.0 * rng.next_f64(), 28.0 + 4.0 * rng.next_f64()))
        .collect();
    let coslat = 30f64.to_radians().cos();
    let mut edges = std::collections::BTreeSet::new();
    for (i, &(x, y)) in pts.iter().enumerate() {
        let mut near: Vec<(f64, usize)> = pts
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(j, &(u, v))| (((u - x) * coslat).powi(2) + (v - y).powi(2), j))
            .collect();
        near.select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0));
        for &(_, j) in &near[..k] {
            edges.insert((i.min(j), i.max(j)));
        }
    }
    let mut cities = String::from(
        "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n",
    );
    for (i, (x, y)) in pts.iter().enumerate() {
        let _ = writeln!(
            cities,
            "c{i},City {i},城{i},Mesh,,{x:.6},{y:.6},{},,,,",
            10_000 + (i * 7919) % 990_000
        );
    }
    let mut links =
        String::from("from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n");
    for &(a, b) in &edges {
        let (p, q) = (pts[a], pts[b]);
        let km = 1.2 * agglo::haversine_km(p.0, p.1, q.0, q.1);
        let _ = writeln!(links, "c{a},c{b},road,{km},{km},,,,false,mesh");
    }
    let ids: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let aggs = format!(
        "id,name,name_zh,kind,cores,members\nall,All,全部,city-cluster,c0,{}\n",
        ids.join(";")
    );
    std::fs::write(dir.join("cities.csv"), cities).unwrap();
    std::fs::write(dir.join("links.csv"), links).unwrap();
    std::fs::write(dir.join("agglomerations.csv"), aggs).unwrap();
}

criterion_group!(benches, bench);
criterion_main!(benches);
