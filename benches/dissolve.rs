//! Dissolve on the embedded county boundaries: 150 contiguous units (about
//! a large metropolitan area) and a whole province, and the boundary load.

use agglo::geometry::Boundaries;
use criterion::{Criterion, criterion_group, criterion_main};

/// 150 units grown breadth-first from Beijing's Dongcheng through units
/// whose representative points are nearest first (fixed, no randomness).
fn metro_150(b: &Boundaries) -> Vec<usize> {
    let start = b.index_of("110101").expect("Dongcheng");
    let centre = |i: usize| {
        use geo::Centroid;
        b.shape(i).centroid().expect("non-empty")
    };
    let c0 = centre(start);
    let mut by_distance: Vec<(f64, usize)> = (0..b.len())
        .map(|i| {
            let c = centre(i);
            ((c.x() - c0.x()).hypot(c.y() - c0.y()), i)
        })
        .collect();
    by_distance.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    by_distance.iter().take(150).map(|&(_, i)| i).collect()
}

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/counties.geojson"
    ))
    .expect("data/counties.geojson");
    c.bench_function("boundaries/parse counties.geojson", |bn| {
        bn.iter(|| Boundaries::from_geojson("counties.geojson", &text, "id").expect("parses"))
    });
    let b = Boundaries::embedded_counties().expect("embedded");
    let metro = metro_150(b);
    let d = b.dissolve_indices(&metro);
    eprintln!("150 units: {} polygons, {:?}", d.shape.0.len(), d.method);
    c.bench_function("dissolve/150 units around Beijing", |bn| {
        bn.iter(|| b.dissolve_indices(&metro))
    });
    let sichuan: Vec<usize> = (0..b.len())
        .filter(|&i| b.id(i).starts_with("51"))
        .collect();
    eprintln!(
        "Sichuan: {} units, {:?}",
        sichuan.len(),
        b.dissolve_indices(&sichuan).method
    );
    c.bench_function("dissolve/Sichuan (186 units)", |bn| {
        bn.iter(|| b.dissolve_indices(&sichuan))
    });
    // Jiangsu's units touch a place where two simplified borders cross, so
    // the dissolve falls back to geo's boolean union.
    let jiangsu: Vec<usize> = (0..b.len())
        .filter(|&i| b.id(i).starts_with("32"))
        .collect();
    eprintln!(
        "Jiangsu: {} units, {:?}",
        jiangsu.len(),
        b.dissolve_indices(&jiangsu).method
    );
    c.bench_function("dissolve/Jiangsu (boolean-union fallback)", |bn| {
        bn.iter(|| b.dissolve_indices(&jiangsu))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
