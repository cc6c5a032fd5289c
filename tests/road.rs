//! `agglo road`: the same random networks written as DIMACS, CSV and GeoJSON
//! give the travel times of a reference Floyd–Warshall; reach counts match a
//! reference search; errors name the file and line.

mod common;

use common::{ok, run, stderr};
use serde_json::Value;

/// A seeded random network: points near Beijing and two-way edges with
/// whole minutes (so every format holds the exact weights).
struct Net {
    pts: Vec<(f64, f64)>,
    edges: Vec<(usize, usize, f64)>,
}

fn random_net(n: usize, seed: u64) -> Net {
    let mut s = seed;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| (116.0 + next() * 0.5, 39.6 + next() * 0.5))
        .collect();
    let mut edges = Vec::new();
    for i in 1..n {
        // A spanning tree plus a few chords keeps it connected.
        let j = (next() * i as f64) as usize;
        edges.push((j, i, 1.0 + (next() * 20.0).floor()));
        if next() < 0.5 {
            let k = (next() * n as f64) as usize;
            if k != i {
                edges.push((i, k, 1.0 + (next() * 20.0).floor()));
            }
        }
    }
    Net { pts, edges }
}

fn floyd(net: &Net) -> Vec<Vec<f64>> {
    let n = net.pts.len();
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    for &(a, b, w) in &net.edges {
        d[a][b] = d[a][b].min(w);
        d[b][a] = d[b][a].min(w);
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                if d[i][k] + d[k][j] < d[i][j] {
                    d[i][j] = d[i][k] + d[k][j];
                }
            }
        }
    }
    d
}

fn write_formats(net: &Net, dir: &std::path::Path) {
    let mut gr = format!("c test\np sp {} {}\n", net.pts.len(), net.edges.len() * 2);
    for &(a, b, w) in &net.edges {
        gr += &format!("a {} {} {}\na {} {} {}\n", a + 1, b + 1, w, b + 1, a + 1, w);
    }
    let mut co = format!("p aux sp co {}\n", net.pts.len());
    for (i, p) in net.pts.iter().enumerate() {
        co += &format!(
            "v {} {} {}\n",
            i + 1,
            (p.0 * 1e6).round(),
            (p.1 * 1e6).round()
        );
    }
    std::fs::write(dir.join("g.gr"), gr).unwrap();
    std::fs::write(dir.join("g.co"), co).unwrap();
    let mut nodes = String::from("id,lon,lat\n");
    for (i, p) in net.pts.iter().enumerate() {
        nodes += &format!(
            "n{i},{},{}\n",
            (p.0 * 1e6).round() / 1e6,
            (p.1 * 1e6).round() / 1e6
        );
    }
    let mut edges = String::from("from,to,minutes\n");
    for &(a, b, w) in &net.edges {
        edges += &format!("n{a},n{b},{w}\n");
    }
    std::fs::write(dir.join("nodes.csv"), nodes).unwrap();
    std::fs::write(dir.join("edges.csv"), edges).unwrap();
    let feats: Vec<Value> = net
        .edges
        .iter()
        .map(|&(a, b, w)| {
            let (p, q) = (net.pts[a], net.pts[b]);
            serde_json::json!({"type": "Feature", "properties": {"minutes": w, "highway": "primary"},
                "geometry": {"type": "LineString", "coordinates": [[p.0, p.1], [(p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0], [q.0, q.1]]}})
        })
        .collect();
    let fc = serde_json::json!({"type": "FeatureCollection", "features": feats});
    std::fs::write(dir.join("roads.geojson"), fc.to_string()).unwrap();
    let mut pts = String::from("id,lon,lat\n");
    for (i, p) in net.pts.iter().enumerate().step_by(3) {
        pts += &format!("n{i},{},{}\n", p.0 + 1e-6, p.1 - 1e-6);
    }
    std::fs::write(dir.join("points.csv"), pts).unwrap();
}

fn matrix_json(args: &[&str]) -> (Vec<String>, Vec<Vec<Option<f64>>>) {
    let v: Value = serde_json::from_str(&ok(args)).unwrap();
    let ids = v["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    let m = v["minutes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64()).collect())
        .collect();
    (ids, m)
}

#[test]
fn matrices_from_dimacs_csv_and_geojson_match_floyd_warshall() {
    for seed in [3u64, 17, 99] {
        let net = random_net(40, seed);
        let d = tempfile::tempdir().unwrap();
        write_formats(&net, d.path());
        let want = floyd(&net);
        let p = |f: &str| d.path().join(f).to_str().unwrap().to_string();
        let (gr, csv, gj, nodes, pts) = (
            p("g.gr"),
            p("edges.csv"),
            p("roads.geojson"),
            p("nodes.csv"),
            p("points.csv"),
        );
        let tail = ["--points", pts.as_str(), "--format", "json"];
        let mut a: Vec<&str> = vec!["road", "matrix", "--graph", &gr, "--unit-minutes", "1"];
        let mut b: Vec<&str> = vec!["road", "matrix", "--graph", &csv, "--nodes", &nodes];
        let mut c: Vec<&str> = vec!["road", "matrix", "--graph", &gj];
        for v in [&mut a, &mut b, &mut c] {
            v.extend(tail);
        }
        let runs = [matrix_json(&a), matrix_json(&b), matrix_json(&c)];
        for (ids, m) in runs {
            let idx: Vec<usize> = ids.iter().map(|s| s[1..].parse().unwrap()).collect();
            for (i, &a) in idx.iter().enumerate() {
                for (j, &b) in idx.iter().enumerate() {
                    let got = m[i][j].unwrap_or(f64::INFINITY);
                    assert!(
                        (got - want[a][b]).abs() < 1e-9,
                        "seed {seed} {a}->{b}: {got} vs {}",
                        want[a][b]
                    );
                }
            }
        }
    }
}

#[test]
fn reach_counts_the_nodes_within_each_budget_and_writes_nested_circles() {
    let net = random_net(60, 5);
    let d = tempfile::tempdir().unwrap();
    write_formats(&net, d.path());
    let want = floyd(&net);
    let gr = d.path().join("g.gr");
    let out = d.path().join("circles.geojson");
    let (lon, lat) = net.pts[7];
    let v: Value = serde_json::from_str(&ok(&[
        "road",
        "reach",
        "--graph",
        gr.to_str().unwrap(),
        "--unit-minutes",
        "1",
        "--from-lon",
        &lon.to_string(),
        "--from-lat",
        &lat.to_string(),
        "--minutes",
        "10,30",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(v["node"], "8");
    let circles = v["circles"].as_array().unwrap();
    for (c, budget) in circles.iter().zip([10.0, 30.0]) {
        let expect = want[7].iter().filter(|&&x| x <= budget).count();
        assert_eq!(
            c["nodes"].as_u64().unwrap() as usize,
            expect,
            "budget {budget}"
        );
    }
    let a0 = circles[0]["area_km2"].as_f64().unwrap();
    let a1 = circles[1]["area_km2"].as_f64().unwrap();
    assert!(a0 > 0.0 && a1 >= a0, "{a0} {a1}");
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    assert_eq!(fc.features.len(), 2);
}

#[test]
fn geojson_endpoints_snap_within_the_tolerance_only() {
    // Two roads meeting at a point, the second starting 0.5 m east of it.
    let off = 0.5 / (111_195.0 * 39.9f64.to_radians().cos());
    let fc = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"highway": "primary"}, "geometry": {"type": "LineString", "coordinates": [[116.30, 39.9], [116.40, 39.9]]}},
        {"type": "Feature", "properties": {"maxspeed": "50"}, "geometry": {"type": "LineString", "coordinates": [[116.40 + off, 39.9], [116.40, 40.0]]}}
    ]});
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("r.geojson");
    std::fs::write(&f, fc.to_string()).unwrap();
    let nodes = |snap: &str| {
        let v: Value = serde_json::from_str(&ok(&[
            "road",
            "info",
            "--graph",
            f.to_str().unwrap(),
            "--snap-m",
            snap,
            "--format",
            "json",
        ]))
        .unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .find(|r| r["measure"] == "nodes")
            .unwrap()["value"]
            .as_u64()
            .unwrap()
    };
    assert_eq!(nodes("1"), 3);
    assert_eq!(nodes("0.1"), 4);
}

#[test]
fn sampling_every_source_gives_the_exact_betweenness() {
    let d = tempfile::tempdir().unwrap();
    let prefix = d.path().join("rg");
    ok(&[
        "road",
        "generate",
        "--nodes",
        "300",
        "--seed",
        "4",
        "--out",
        prefix.to_str().unwrap(),
    ]);
    let gr = d.path().join("rg.gr");
    let exact = ok(&[
        "road",
        "centrality",
        "--graph",
        gr.to_str().unwrap(),
        "--top",
        "0",
        "--format",
        "csv",
    ]);
    let sampled = ok(&[
        "road",
        "centrality",
        "--graph",
        gr.to_str().unwrap(),
        "--top",
        "0",
        "--format",
        "csv",
        "--sample",
        "100000",
    ]);
    let col = |text: &str, c: usize| -> Vec<(String, String)> {
        text.lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[0].to_string(), f[c].to_string())
            })
            .collect()
    };
    assert_eq!(col(&exact, 3), col(&sampled, 3));
    assert!(exact.lines().count() > 250);
}

#[test]
fn bad_files_are_reported_with_their_line() {
    let d = tempfile::tempdir().unwrap();
    let gr = d.path().join("bad.gr");
    std::fs::write(&gr, "p sp 3 2\na 1 2 5\na 2 9 5\n").unwrap();
    let o = run(&["road", "info", "--graph", gr.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("bad.gr:3"), "{}", stderr(&o));
    let o = run(&[
        "road",
        "info",
        "--graph",
        d.path().join("none.gr").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("none.gr"), "{}", stderr(&o));
}

#[test]
fn one_way_edges_are_followed_one_way_only() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("nodes.csv"),
        "id,lon,lat\na,116.0,39.9\nb,116.1,39.9\nc,116.2,39.9\n",
    )
    .unwrap();
    // a→b one way (10 min); b–c two-way by length and speed (8.5 km at 51 km/h).
    std::fs::write(
        d.path().join("edges.csv"),
        "from,to,minutes,km,speed_kmh,oneway\na,b,10,,,true\nb,c,,8.5,51,false\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("pts.csv"),
        "id,lon,lat\na,116.0,39.9\nb,116.1,39.9\nc,116.2,39.9\n",
    )
    .unwrap();
    let p = |f: &str| d.path().join(f).to_str().unwrap().to_string();
    let (edges, nodes, pts) = (p("edges.csv"), p("nodes.csv"), p("pts.csv"));
    let (_, m) = matrix_json(&[
        "road", "matrix", "--graph", &edges, "--nodes", &nodes, "--points", &pts, "--format",
        "json",
    ]);
    let bc: f64 = 8.5 / 51.0 * 60.0;
    assert_eq!(m[0][1], Some(10.0));
    assert_eq!(m[1][0], None, "b cannot reach a against the one-way edge");
    assert!((m[1][2].unwrap() - (bc * 100.0).round() / 100.0).abs() < 1e-9);
    assert!((m[0][2].unwrap() - ((10.0 + bc) * 100.0).round() / 100.0).abs() < 1e-9);
}
