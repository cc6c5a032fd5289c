//! Property tests: the bounded door-to-door search against an independent
//! brute force (Bellman–Ford over an explicitly built state graph) on seeded
//! random networks, plus monotonicity and symmetry properties.

use agglo::algorithms::centrality::{
    PathOptions, city_graph, door_to_door_betweenness, path_centrality,
};
use agglo::algorithms::{Direction, Engine, TimeModel};
use agglo::io::{LinkRecord, NetworkData};
use agglo::{City, Mode, Network};
use proptest::prelude::*;

fn loc() -> agglo::error::Loc {
    agglo::error::Loc::file(&std::sync::Arc::from("random"))
}

fn city(i: usize, lon: f64, lat: f64, acc: Option<f64>) -> City {
    City {
        id: format!("c{i}"),
        name: format!("C{i}"),
        name_zh: String::new(),
        province: "P".into(),
        adcode: None,
        lon,
        lat,
        pop_2020: 1000 * (i as u64 + 1),
        pop_2010: None,
        urban_pop_2020: None,
        access_hsr_min: acc,
        access_rail_min: None,
        level: None,
        source: None,
        kind: agglo::UnitKind::City,
        prefecture: None,
        area_km2: None,
        urban_share_2020: None,
        group_2010: None,
        pop_2010_group: None,
        counted_in: Vec::new(),
        loc: loc(),
    }
}

/// (from, to, mode index, line index, minutes, services per day, one-way)
type LinkSpec = (usize, usize, u8, u8, f64, Option<f64>, bool);

#[derive(Debug, Clone)]
struct Spec {
    n: usize,
    links: Vec<LinkSpec>,
    acc: Vec<Option<f64>>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (3usize..9).prop_flat_map(|n| {
        let link = (
            0..n,
            0..n,
            0u8..5,
            0u8..3,
            1.0f64..60.0,
            proptest::option::of(1.0f64..80.0),
            proptest::bool::weighted(0.2),
        );
        (
            Just(n),
            proptest::collection::vec(link, 1..(3 * n)),
            proptest::collection::vec(proptest::option::of(0.0f64..30.0), n),
        )
            .prop_map(|(n, links, acc)| Spec { n, links, acc })
    })
}

fn build(s: &Spec) -> Network {
    let modes = [
        Mode::Hsr,
        Mode::Rail,
        Mode::Expressway,
        Mode::Ferry,
        Mode::Road,
    ];
    let mut data = NetworkData::default();
    for i in 0..s.n {
        data.cities.push(city(
            i,
            100.0 + i as f64 * 0.1,
            30.0 + (i % 3) as f64 * 0.1,
            s.acc[i],
        ));
    }
    for &(a, b, m, line, minutes, svc, oneway) in &s.links {
        if a == b {
            continue;
        }
        data.links.push(LinkRecord {
            from: format!("c{a}"),
            to: format!("c{b}"),
            mode: modes[m as usize],
            minutes,
            km: minutes,
            services_per_day: svc,
            line: Some(format!("L{line}")),
            opened: None,
            oneway,
            source: None,
            geometry: None,
            loc: loc(),
        });
    }
    Network::from_data(data).expect("valid random network").0
}

/// Door-to-door minutes from `o` to every city by Bellman–Ford over the
/// explicit state graph: state k = "arrived at the head of traversal k".
fn oracle(net: &Network, m: &TimeModel, o: u32) -> Vec<f64> {
    // Traversals: (link, tail, head).
    let mut tr = Vec::new();
    for (i, l) in net.links().iter().enumerate() {
        if !m.allows(l.mode) {
            continue;
        }
        tr.push((i, l.from, l.to));
        if !l.oneway {
            tr.push((i, l.to, l.from));
        }
    }
    let acc = |c: u32, mode: Mode| m.access(net.city(c), mode);
    let mut d = vec![f64::INFINITY; tr.len()];
    for (k, &(i, t, _)) in tr.iter().enumerate() {
        if t == o {
            let l = &net.links()[i];
            d[k] = acc(o, l.mode) + m.wait(l) + l.minutes;
        }
    }
    for _ in 0..tr.len() + 1 {
        let mut changed = false;
        for (k, &(i, _, h)) in tr.iter().enumerate() {
            if !d[k].is_finite() {
                continue;
            }
            for (k2, &(j, t2, _)) in tr.iter().enumerate() {
                if t2 != h || j == i {
                    continue;
                }
                let (a, b) = (&net.links()[i], &net.links()[j]);
                let road = |x: Mode| matches!(x, Mode::Expressway | Mode::Road);
                let cont = (road(a.mode) && road(b.mode)) || (a.mode == b.mode && a.line == b.line);
                // Transfer minutes only between two scheduled services.
                let transfer = if a.mode.is_scheduled() && b.mode.is_scheduled() {
                    m.transfer_min
                } else {
                    0.0
                };
                let change = if cont {
                    0.0
                } else if a.mode == b.mode {
                    transfer + m.wait(b)
                } else {
                    acc(h, a.mode) + transfer + acc(h, b.mode) + m.wait(b)
                };
                let nd = d[k] + change + b.minutes;
                if nd < d[k2] - 1e-12 {
                    d[k2] = nd;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let mut best = vec![f64::INFINITY; net.cities().len()];
    best[o as usize] = 0.0;
    for (k, &(i, _, h)) in tr.iter().enumerate() {
        let t = d[k] + acc(h, net.links()[i].mode);
        if t < best[h as usize] {
            best[h as usize] = t;
        }
    }
    best
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, rng_seed: proptest::test_runner::RngSeed::Fixed(7), ..ProptestConfig::default() })]

    #[test]
    fn bounded_search_equals_brute_force(s in spec(), budget in 10.0f64..200.0, no_wait in any::<bool>()) {
        let net = build(&s);
        let model = TimeModel { wait: !no_wait, ..TimeModel::default() };
        let engine = Engine::new(&net, model.clone(), None);
        let mut ws = engine.workspace();
        for o in 0..net.cities().len() as u32 {
            let truth = oracle(&net, &model, o);
            engine.search(&mut ws, &[o], Direction::Out, budget);
            for c in 0..net.cities().len() as u32 {
                let got = engine.time_to(&ws, c);
                let want = truth[c as usize];
                if want <= budget {
                    prop_assert!((got - want).abs() < 1e-9, "o={o} c={c} got {got} want {want}");
                    // The legs add up to the time.
                    let sum: f64 = engine.legs(&ws, c).iter().map(|l| l.minutes).sum();
                    prop_assert!((sum - want).abs() < 1e-9, "legs {sum} vs {want}");
                } else {
                    prop_assert!(got.is_infinite() || got > budget, "o={o} c={c} got {got} beyond budget, truth {want}");
                }
            }
        }
    }

    #[test]
    fn reach_is_monotone_in_the_budget(s in spec(), b1 in 5.0f64..100.0, extra in 0.0f64..100.0) {
        let net = build(&s);
        let engine = Engine::new(&net, TimeModel::default(), None);
        let mut ws = engine.workspace();
        engine.search(&mut ws, &[0], Direction::Out, b1);
        let small: Vec<u32> = engine.reach(&ws).times.iter().map(|x| x.0).collect();
        engine.search(&mut ws, &[0], Direction::Out, b1 + extra);
        let large: Vec<u32> = engine.reach(&ws).times.iter().map(|x| x.0).collect();
        for c in small {
            prop_assert!(large.contains(&c));
        }
    }

    #[test]
    fn limiting_changes_only_lengthens_trips(s in spec()) {
        let net = build(&s);
        let n = net.cities().len() as u32;
        let free = Engine::new(&net, TimeModel::default(), None);
        let mut wf = free.workspace();
        free.search(&mut wf, &[0], Direction::Out, f64::INFINITY);
        let mut prev = vec![f64::INFINITY; n as usize];
        for k in 0..4 {
            let lim = Engine::new(&net, TimeModel::default(), Some(k));
            let mut wl = lim.workspace();
            lim.search(&mut wl, &[0], Direction::Out, f64::INFINITY);
            for c in 0..n {
                let t = lim.time_to(&wl, c);
                prop_assert!(t >= free.time_to(&wf, c) - 1e-9);
                prop_assert!(t <= prev[c as usize] + 1e-9, "more changes allowed made {c} slower");
                if t.is_finite() {
                    let changes = lim.legs(&wl, c).iter().filter(|l| l.kind == "transfer").count();
                    prop_assert!(changes <= k, "{changes} changes with a limit of {k}");
                }
                prev[c as usize] = t;
            }
        }
        let big = Engine::new(&net, TimeModel::default(), Some(64));
        let mut wb = big.workspace();
        big.search(&mut wb, &[0], Direction::Out, f64::INFINITY);
        for c in 0..n {
            let (a, b) = (big.time_to(&wb, c), free.time_to(&wf, c));
            prop_assert!((a - b).abs() < 1e-9 || (a.is_infinite() && b.is_infinite()));
        }
    }

    #[test]
    fn door_to_door_betweenness_equals_city_graph_betweenness_without_access_waits_or_transfers(s in spec()) {
        // One two-way link per city pair: then the state-expanded paths are
        // the city graph's paths, and only the counting convention differs
        // (ordered pairs on the expanded graph, unordered on the city graph).
        let mut s = s;
        let mut seen = std::collections::HashSet::new();
        s.links.retain(|l| l.0 != l.1 && seen.insert((l.0.min(l.1), l.0.max(l.1))));
        for l in &mut s.links {
            l.6 = false;
        }
        let net = build(&s);
        let n = net.cities().len();
        let engine = Engine::new(&net, TimeModel::in_vehicle(), None);
        let members = vec![true; n];
        let pop: Vec<f64> = net.cities().iter().map(|c| c.pop_2020 as f64).collect();
        let (bc, _) = door_to_door_betweenness(&engine, &members, &pop, &[f64::INFINITY, 40.0]);
        let all: Vec<u32> = (0..n as u32).collect();
        let g = city_graph(&net, &all, false);
        let cuts = [f64::INFINITY, 40.0];
        let want = path_centrality(&g, &PathOptions::all(&cuts));
        for (k, (got_row, want_row)) in bc.iter().zip(&want.betweenness).enumerate() {
            for (v, (got, want)) in got_row.iter().zip(want_row).enumerate() {
                let w = if g.directed { *want } else { 2.0 * want };
                prop_assert!((got - w).abs() < 1e-9 * w.max(1.0), "cut {k} node {v}: {got} vs {w}");
            }
        }
    }

    #[test]
    fn in_equals_out_on_symmetric_networks(s in spec()) {
        let mut s = s;
        for l in &mut s.links {
            l.6 = false;
        }
        let net = build(&s);
        let engine = Engine::new(&net, TimeModel::default(), None);
        let mut ws = engine.workspace();
        let n = net.cities().len() as u32;
        for o in 0..n {
            engine.search(&mut ws, &[o], Direction::Out, f64::INFINITY);
            let out: Vec<f64> = (0..n).map(|c| engine.time_to(&ws, c)).collect();
            for c in 0..n {
                engine.search(&mut ws, &[c], Direction::In, f64::INFINITY);
                let t = engine.time_to(&ws, o);
                prop_assert!((t - out[c as usize]).abs() < 1e-9 || (t.is_infinite() && out[c as usize].is_infinite()),
                    "{o}->{c}: out {} in {}", out[c as usize], t);
            }
        }
    }

    #[test]
    fn in_direction_equals_brute_force_on_reversed_trips(s in spec()) {
        // Trips towards city d found by the backward search equal the forward
        // oracle from each origin, also with one-way links.
        let net = build(&s);
        let model = TimeModel::default();
        let engine = Engine::new(&net, model.clone(), None);
        let mut ws = engine.workspace();
        let n = net.cities().len() as u32;
        let truth: Vec<Vec<f64>> = (0..n).map(|o| oracle(&net, &model, o)).collect();
        for d in 0..n {
            engine.search(&mut ws, &[d], Direction::In, f64::INFINITY);
            for o in 0..n {
                let (got, want) = (engine.time_to(&ws, o), truth[o as usize][d as usize]);
                prop_assert!((got - want).abs() < 1e-9 || (got.is_infinite() && want.is_infinite()), "{o}->{d}: {got} vs {want}");
            }
        }
    }
}
