//! Centrality and accessibility of cities within each agglomeration.
//!
//! Measures (all per city, ranked within its agglomeration):
//! - **degree**: number of distinct cities linked to it (out-neighbours where
//!   links are one-way); **strength**: the sum of the weights of those edges;
//! - **betweenness** (Brandes, exact, weighted; every equal shortest path
//!   counted, endpoints excluded), raw and normalised as NetworkX's
//!   `betweenness_centrality` (see [`normalise_betweenness`]);
//! - **closeness** with the Wasserman–Faust correction ([`closeness`]) and
//!   **harmonic** closeness `Σ_j 1/d_ij`, on distances from the city;
//! - **population-weighted betweenness**: each origin–destination pair's
//!   dependency weighted by the product of their populations, normalised to
//!   shares summing to one over the agglomeration;
//! - **accessibility** `Σ_j P_j f(t_ij)` for five decays ([`Decay`]);
//! - **straightness**: the mean over the other members of great-circle km
//!   divided by network km (shortest route by km).
//!
//! With cutoffs (`within`), betweenness, population-weighted betweenness,
//! closeness and harmonic closeness count only pairs at most that far apart;
//! all cutoffs come from one pass over the sources.

mod accessibility;
mod brandes;
mod door_to_door;
mod graph;

pub use accessibility::{Decay, DecayKind, accessibility};
pub use brandes::{
    PathCentrality, PathOptions, RELABEL_MIN, TIE_TOLERANCE, closeness, normalise_betweenness,
    path_centrality,
};
pub use door_to_door::door_to_door_betweenness;
pub use graph::WGraph;

use super::marks::{Marks, REACHED, SETTLED};
use super::{Direction, Engine, TimeModel};
use crate::model::{Agglomeration, CityIdx};
use crate::network::{Network, haversine_km};

/// Edge weight of the city graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Fastest link's in-vehicle or driving minutes per linked pair.
    Minutes,
    /// Door-to-door minutes of the time model (access, waits, transfers).
    DoorToDoor,
    /// Route length in km (shortest link per pair).
    Km,
}

/// Which paths count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Paths inside the subgraph induced by the agglomeration's members.
    Members,
    /// Paths through any city; only pairs of members count.
    Network,
}

/// Options of [`agglomeration_centrality`].
#[derive(Debug, Clone)]
pub struct CentralityOptions {
    /// Edge weight.
    pub weight: Weight,
    /// Path scope.
    pub scope: Scope,
    /// Distance cutoffs (in the weight's unit) besides "none".
    pub within: Vec<f64>,
    /// Decays of the accessibility measures, in output order.
    pub decays: Vec<Decay>,
    /// Time model for [`Weight::DoorToDoor`].
    pub model: TimeModel,
}

impl Default for CentralityOptions {
    fn default() -> Self {
        CentralityOptions {
            weight: Weight::Minutes,
            scope: Scope::Members,
            within: Vec::new(),
            decays: vec![
                Decay::Exponential { half_life: 30.0 },
                Decay::Step { minutes: 60.0 },
                Decay::Linear { minutes: 60.0 },
                Decay::Power {
                    scale: 30.0,
                    exponent: 2.0,
                },
                Decay::Gaussian { sigma: 30.0 },
            ],
            model: TimeModel::default(),
        }
    }
}

/// The measures of one city within one agglomeration.
#[derive(Debug, Clone, PartialEq)]
pub struct CityCentrality {
    /// The city.
    pub city: CityIdx,
    /// Distinct linked members (or cities, with [`Scope::Network`]).
    pub degree: usize,
    /// Sum of the weights of those edges.
    pub strength: f64,
    /// Raw betweenness per cutoff (first: none, then `within` in order).
    pub betweenness: Vec<f64>,
    /// Normalised betweenness per cutoff.
    pub betweenness_norm: Vec<f64>,
    /// Population-weighted betweenness share per cutoff.
    pub pop_betweenness: Vec<f64>,
    /// Wasserman–Faust closeness per cutoff.
    pub closeness: Vec<f64>,
    /// Harmonic closeness per cutoff.
    pub harmonic: Vec<f64>,
    /// Accessibility per decay of the options.
    pub accessibility: Vec<f64>,
    /// Mean great-circle / network km to the other members (None if none reached).
    pub straightness: Option<f64>,
}

/// Builds the city graph over `nodes` (network city indices) with `weight`
/// (minutes or km), keeping the best link per ordered pair.
pub fn city_graph(net: &Network, nodes: &[CityIdx], km: bool) -> WGraph {
    let mut local = vec![u32::MAX; net.cities().len()];
    for (i, &c) in nodes.iter().enumerate() {
        local[c as usize] = i as u32;
    }
    let mut arcs = Vec::new();
    for l in net.links() {
        let (a, b) = (local[l.from as usize], local[l.to as usize]);
        if a == u32::MAX || b == u32::MAX {
            continue;
        }
        let w = if km { l.km.max(1e-9) } else { l.minutes };
        arcs.push((a, b, w));
        if !l.oneway {
            arcs.push((b, a, w));
        }
    }
    // A built network's links have positive finite minutes within
    // `MAX_LINK_MINUTES` and finite km (checked by the loader).
    WGraph::from_arcs(nodes.len(), &arcs, false).expect("a built network's links are valid arcs")
}

/// All measures for the members of `agg` (see the module docs), in the
/// order of `agg.members`.
pub fn agglomeration_centrality(
    net: &Network,
    agg: &Agglomeration,
    opt: &CentralityOptions,
) -> Vec<CityCentrality> {
    let nodes: Vec<CityIdx> = match opt.scope {
        Scope::Members => agg.members.clone(),
        Scope::Network => (0..net.cities().len() as CityIdx).collect(),
    };
    let mut local = vec![usize::MAX; net.cities().len()];
    for (i, &c) in nodes.iter().enumerate() {
        local[c as usize] = i;
    }
    let is_member: Vec<bool> = {
        let mut m = vec![false; nodes.len()];
        for &c in &agg.members {
            m[local[c as usize]] = true;
        }
        m
    };
    let pop: Vec<f64> = nodes.iter().map(|&c| net.city(c).pop_2020 as f64).collect();
    let mut cutoffs = vec![f64::INFINITY];
    cutoffs.extend(opt.within.iter().copied());
    let m = agg.members.len();

    let g = city_graph(net, &nodes, opt.weight == Weight::Km);
    let restrict = opt.scope == Scope::Network;
    let popts = PathOptions {
        cutoffs: &cutoffs,
        sources: restrict.then_some(&is_member[..]),
        targets: restrict.then_some(&is_member[..]),
        population: Some(&pop),
    };
    let pc = path_centrality(&g, &popts);

    // Door-to-door betweenness on the state-expanded graph (ordered pairs).
    let d2d_bc = (opt.weight == Weight::DoorToDoor).then(|| {
        let engine = Engine::new(net, opt.model.clone(), None);
        let mut member = vec![false; net.cities().len()];
        for &c in &agg.members {
            member[c as usize] = true;
        }
        let all_pop: Vec<f64> = net.cities().iter().map(|c| c.pop_2020 as f64).collect();
        door_to_door_betweenness(&engine, &member, &all_pop, &cutoffs)
    });
    // Population-weighted shares sum to one over the members.
    let pop_share = |rows: &Vec<Vec<f64>>, pick: &dyn Fn(CityIdx) -> usize| -> Vec<Vec<f64>> {
        rows.iter()
            .map(|row| {
                let vals: Vec<f64> = agg.members.iter().map(|&c| row[pick(c)]).collect();
                let sum: f64 = vals.iter().sum();
                vals.iter()
                    .map(|v| if sum > 0.0 { v / sum } else { 0.0 })
                    .collect()
            })
            .collect()
    };
    let pop_bc: Vec<Vec<f64>> = match &d2d_bc {
        Some((_, p)) => pop_share(p, &|c| c as usize),
        None => pop_share(&pc.pop_betweenness, &|c| local[c as usize]),
    };

    // Door-to-door distances replace the graph's for the distance measures.
    let d2d: Option<Vec<Vec<(usize, f64)>>> =
        (opt.weight == Weight::DoorToDoor).then(|| door_to_door(net, agg, &opt.model));
    // Travel times for accessibility: door to door, or the graph's shortest paths.
    let times: Vec<Vec<(usize, f64)>> = match &d2d {
        Some(t) => t.clone(),
        None => member_distances(&g, &nodes, agg, &local),
    };
    let member_pop: Vec<f64> = agg
        .members
        .iter()
        .map(|&c| net.city(c).pop_2020 as f64)
        .collect();
    let access: Vec<Vec<f64>> = opt
        .decays
        .iter()
        .map(|&d| accessibility(&times, &member_pop, d))
        .collect();

    // Straightness on km routes.
    let km_graph = city_graph(net, &nodes, true);
    let km = member_distances(&km_graph, &nodes, agg, &local);

    agg.members
        .iter()
        .enumerate()
        .map(|(mi, &c)| {
            let v = local[c as usize];
            let (degree, strength) = if restrict {
                let nb: Vec<(u32, f64)> = g.out(v as u32).collect();
                (nb.len(), nb.iter().map(|x| x.1).sum())
            } else {
                (g.out_degree(v as u32), g.out(v as u32).map(|x| x.1).sum())
            };
            let (clo, harm): (Vec<f64>, Vec<f64>) = match &d2d {
                Some(t) => cutoffs
                    .iter()
                    .map(|&cut| {
                        let within: Vec<f64> = t[mi]
                            .iter()
                            .filter(|&&(j, d)| j != mi && d <= cut)
                            .map(|x| x.1)
                            .collect();
                        let sum: f64 = within.iter().sum();
                        (
                            closeness(sum, within.len() as u32, m),
                            within.iter().map(|d| 1.0 / d).sum::<f64>(),
                        )
                    })
                    .unzip(),
                None => (0..cutoffs.len())
                    .map(|k| {
                        (
                            closeness(pc.distance_sum[k][v], pc.reached[k][v], m),
                            pc.harmonic[k][v],
                        )
                    })
                    .unzip(),
            };
            let a = &net.city(c);
            let straight: Vec<f64> = km[mi]
                .iter()
                .filter(|&&(j, d)| j != mi && d > 0.0)
                .map(|&(j, d)| {
                    let b = net.city(agg.members[j]);
                    haversine_km(a.lon, a.lat, b.lon, b.lat) / d
                })
                .collect();
            let (raw, directed): (Vec<f64>, bool) = match &d2d_bc {
                Some((b, _)) => (b.iter().map(|row| row[c as usize]).collect(), true),
                None => (
                    pc.betweenness.iter().map(|row| row[v]).collect(),
                    g.directed,
                ),
            };
            CityCentrality {
                city: c,
                degree,
                strength,
                betweenness_norm: normalise_betweenness(&raw, m, directed),
                betweenness: raw,
                pop_betweenness: pop_bc.iter().map(|row| row[mi]).collect(),
                closeness: clo,
                harmonic: harm,
                accessibility: access.iter().map(|row| row[mi]).collect(),
                straightness: (!straight.is_empty())
                    .then(|| straight.iter().sum::<f64>() / straight.len() as f64),
            }
        })
        .collect()
}

/// Shortest distances on `g` from each member to every reachable member, as
/// (member position, distance), the member itself at 0.
fn member_distances(
    g: &WGraph,
    nodes: &[CityIdx],
    agg: &Agglomeration,
    local: &[usize],
) -> Vec<Vec<(usize, f64)>> {
    let mut pos = vec![usize::MAX; nodes.len()];
    for (i, &c) in agg.members.iter().enumerate() {
        pos[local[c as usize]] = i;
    }
    let mut dist = vec![f64::INFINITY; nodes.len()];
    let mut marks = Marks::new(nodes.len());
    let mut heap = std::collections::BinaryHeap::new();
    agg.members
        .iter()
        .map(|&c| {
            let s = local[c as usize] as u32;
            marks.clear();
            let mut touched = vec![s];
            dist[s as usize] = 0.0;
            marks.set(s, REACHED);
            heap.push(std::cmp::Reverse((0f64.to_bits(), s)));
            while let Some(std::cmp::Reverse((bits, v))) = heap.pop() {
                let d = f64::from_bits(bits);
                if marks.get(v) == SETTLED || d > dist[v as usize] {
                    continue;
                }
                marks.set(v, SETTLED);
                for (h, w) in g.out(v) {
                    let nd = d + w;
                    match marks.get(h) {
                        0 => touched.push(h),
                        REACHED if nd < dist[h as usize] => {}
                        _ => continue,
                    }
                    marks.set(h, REACHED);
                    dist[h as usize] = nd;
                    heap.push(std::cmp::Reverse((nd.to_bits(), h)));
                }
            }
            let mut row: Vec<(usize, f64)> = touched
                .iter()
                .filter(|&&v| pos[v as usize] != usize::MAX)
                .map(|&v| (pos[v as usize], dist[v as usize]))
                .collect();
            row.sort_by_key(|x| x.0);
            row
        })
        .collect()
}

/// Door-to-door minutes between members (paths through any city).
fn door_to_door(net: &Network, agg: &Agglomeration, model: &TimeModel) -> Vec<Vec<(usize, f64)>> {
    let engine = Engine::new(net, model.clone(), None);
    let mut ws = engine.workspace();
    agg.members
        .iter()
        .map(|&c| {
            engine.search(&mut ws, &[c], Direction::Out, f64::INFINITY);
            agg.members
                .iter()
                .enumerate()
                .filter_map(|(j, &d)| {
                    let t = engine.time_to(&ws, d);
                    t.is_finite().then_some((j, t))
                })
                .collect()
        })
        .collect()
}
