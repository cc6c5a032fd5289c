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
    Access, PathCentrality, PathOptions, RELABEL_MIN, TIE_TOLERANCE, closeness, estimate_seconds,
    normalise_betweenness, path_centrality,
};
pub use door_to_door::door_to_door_betweenness;
pub use graph::WGraph;

/// Runs estimated longer than this (seconds) deserve a warning before they
/// start, with the sampled alternative ([`members_estimate`]).
pub const WARN_SECONDS: f64 = 180.0;

use rayon::prelude::*;

use super::{Direction, Engine, TimeModel};
use crate::model::{Agglomeration, CityIdx};
use crate::network::Network;

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

/// Which families of measures to compute; the others are left empty in
/// [`CityCentrality`] (degree and strength are always there: they cost
/// nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measures {
    /// Raw and normalised betweenness.
    pub betweenness: bool,
    /// Population-weighted betweenness.
    pub pop_betweenness: bool,
    /// Closeness and harmonic closeness.
    pub closeness: bool,
    /// Accessibility for every decay of the options.
    pub accessibility: bool,
    /// Straightness.
    pub straightness: bool,
}

impl Measures {
    /// Every measure.
    pub const ALL: Measures = Measures {
        betweenness: true,
        pop_betweenness: true,
        closeness: true,
        accessibility: true,
        straightness: true,
    };
    /// None but degree and strength.
    pub const NONE: Measures = Measures {
        betweenness: false,
        pop_betweenness: false,
        closeness: false,
        accessibility: false,
        straightness: false,
    };
}

impl Default for Measures {
    fn default() -> Self {
        Measures::ALL
    }
}

/// A seeded sample of source members for estimated betweenness
/// ([`CentralityOptions::sample`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceSample {
    /// Sources to draw (all members when at least their number: then the
    /// values are exact).
    pub count: usize,
    /// Seed of the draw ([`crate::road::sample_sources`] over the members in
    /// their order, so the sample does not depend on any internal
    /// numbering).
    pub seed: u64,
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
    /// What to compute.
    pub measures: Measures,
    /// Estimate betweenness from a sample of source members instead of all
    /// of them (the `agglo road centrality --sample` estimator: the sampled
    /// sources' dependencies scaled by members / sampled). Only
    /// betweenness and population-weighted betweenness are computed then;
    /// closeness, accessibility and straightness are left empty, and the
    /// door-to-door weight ignores the sample.
    pub sample: Option<SourceSample>,
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
            measures: Measures::ALL,
            sample: None,
        }
    }
}

/// The measures of one city within one agglomeration. A measure not asked
/// for ([`Measures`]) is an empty vector (straightness: `None`).
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
/// order of `agg.members`: [`members_centrality`] of its members.
pub fn agglomeration_centrality(
    net: &Network,
    agg: &Agglomeration,
    opt: &CentralityOptions,
) -> Vec<CityCentrality> {
    members_centrality(net, &agg.members, opt)
}

/// The measures asked for in `opt` for a set of cities `members` (distinct
/// network nodes: cities, or any other kind of node of the same network),
/// in the order of `members`.
///
/// Paths start and end at the members that are analysis units
/// ([`Network::is_unit`]); at the county level a prefecture centre among
/// the members is only passed through, and its own row has no pairs of its
/// own (n in the normalisations counts units).
///
/// Every measure on the city graph comes from the compact graph ([`WGraph`])
/// and the shortest-path kernel of [`path_centrality`], one pass over the
/// sources: betweenness, closeness and accessibility together, straightness
/// on the km graph (the same pass when the weight is km). Door-to-door
/// measures search the time model's state graph from each member.
///
/// # Complexity
/// O(s·(m + n log n)) time for s = |members| sources on a graph of n nodes
/// and m arcs; memory O(n + m) per worker thread, no n × n matrix.
pub fn members_centrality(
    net: &Network,
    members: &[CityIdx],
    opt: &CentralityOptions,
) -> Vec<CityCentrality> {
    let nodes = nodes_of(net, members, opt.scope);
    let mut local = vec![usize::MAX; net.cities().len()];
    for (i, &c) in nodes.iter().enumerate() {
        local[c as usize] = i;
    }
    // The members that paths start and end at: the analysis units. A
    // prefecture centre (county level) is a member that trips pass through,
    // never an origin or destination: its people live in its county units,
    // and the 1-minute link to the unit around it would otherwise count as
    // a destination one minute away (harmonic closeness +1 for that unit).
    let units = unit_members(net, members);
    let restrict = opt.scope == Scope::Network || units.len() < members.len();
    let is_member: Vec<bool> = {
        let mut m = vec![false; nodes.len()];
        for &c in &units {
            m[local[c as usize]] = true;
        }
        m
    };
    let pop: Vec<f64> = nodes.iter().map(|&c| net.city(c).pop_2020 as f64).collect();
    let xy: Vec<(f64, f64)> = if opt.measures.straightness {
        nodes
            .iter()
            .map(|&c| (net.city(c).lon, net.city(c).lat))
            .collect()
    } else {
        Vec::new()
    };
    let mut cutoffs = vec![f64::INFINITY];
    cutoffs.extend(opt.within.iter().copied());
    let m = units.len();
    let d2d = opt.weight == Weight::DoorToDoor;
    let km = opt.weight == Weight::Km;
    // A sample of source members (city-graph weights only), and the factor
    // that scales its dependencies up to all members.
    let sampled: Option<Vec<bool>> = opt.sample.filter(|_| !d2d).map(|smp| {
        let mut mask = vec![false; nodes.len()];
        for i in crate::road::sample_sources(m, smp.count, smp.seed) {
            mask[local[units[i as usize] as usize]] = true;
        }
        mask
    });
    let scale = match (&sampled, opt.sample) {
        (Some(_), Some(smp)) if m > 0 => m as f64 / smp.count.clamp(1, m) as f64,
        _ => 1.0,
    };
    let want = if sampled.is_some() {
        Measures {
            betweenness: opt.measures.betweenness,
            pop_betweenness: opt.measures.pop_betweenness,
            ..Measures::NONE
        }
    } else {
        opt.measures
    };

    let g = city_graph(net, &nodes, km);
    let mask = restrict.then_some(&is_member[..]);
    let popts = PathOptions {
        cutoffs: &cutoffs,
        sources: sampled.as_deref().or(mask),
        targets: mask,
        betweenness: want.betweenness && !d2d,
        closeness: want.closeness && !d2d,
        population: (want.pop_betweenness && !d2d).then_some(&pop[..]),
        access: (want.accessibility && !d2d).then_some(Access {
            decays: &opt.decays,
            weights: &pop,
        }),
        straightness: (want.straightness && km).then_some(&xy[..]),
    };
    let pc = path_centrality(&g, &popts);
    // Straightness on km routes, from the same kernel.
    let straight: Vec<Option<f64>> = if !want.straightness {
        Vec::new()
    } else if km {
        pc.straightness[0].clone()
    } else {
        let kg = city_graph(net, &nodes, true);
        let sopts = PathOptions {
            betweenness: false,
            closeness: false,
            sources: mask,
            targets: mask,
            straightness: Some(&xy),
            ..PathOptions::all(&[f64::INFINITY])
        };
        path_centrality(&kg, &sopts).straightness.swap_remove(0)
    };

    // Door-to-door betweenness on the state-expanded graph (ordered pairs).
    let d2d_bc = (d2d && (want.betweenness || want.pop_betweenness)).then(|| {
        let engine = Engine::new(net, opt.model.clone(), None);
        let mut member = vec![false; net.cities().len()];
        for &c in &units {
            member[c as usize] = true;
        }
        let all_pop: Vec<f64> = net.cities().iter().map(|c| c.pop_2020 as f64).collect();
        door_to_door_betweenness(&engine, &member, &all_pop, &cutoffs)
    });
    // Population-weighted shares sum to one over the members.
    let pop_share = |rows: &Vec<Vec<f64>>, pick: &dyn Fn(CityIdx) -> usize| -> Vec<Vec<f64>> {
        rows.iter()
            .map(|row| {
                let vals: Vec<f64> = members.iter().map(|&c| row[pick(c)]).collect();
                let sum: f64 = vals.iter().sum();
                vals.iter()
                    .map(|v| if sum > 0.0 { v / sum } else { 0.0 })
                    .collect()
            })
            .collect()
    };
    let pop_bc: Vec<Vec<f64>> = match &d2d_bc {
        _ if !want.pop_betweenness => Vec::new(),
        Some((_, p)) => pop_share(p, &|c| c as usize),
        None => pop_share(&pc.pop_betweenness, &|c| local[c as usize]),
    };
    // Door-to-door closeness and accessibility, accumulated per member.
    let d2d_sums: Vec<DoorSums> = if d2d && (want.closeness || want.accessibility) {
        door_to_door_sums(
            net,
            members,
            &units,
            &opt.model,
            &cutoffs,
            &opt.decays,
            want,
        )
    } else {
        Vec::new()
    };

    members
        .iter()
        .enumerate()
        .map(|(mi, &c)| {
            let v = local[c as usize];
            let (degree, strength) = (g.out_degree(v as u32), g.out(v as u32).map(|x| x.1).sum());
            let (clo, harm): (Vec<f64>, Vec<f64>) = if !want.closeness {
                (Vec::new(), Vec::new())
            } else if d2d {
                d2d_sums[mi]
                    .closeness
                    .iter()
                    .map(|&(sum, r, h)| (closeness(sum, r, m), h))
                    .unzip()
            } else {
                (0..cutoffs.len())
                    .map(|k| {
                        (
                            closeness(pc.distance_sum[k][v], pc.reached[k][v], m),
                            pc.harmonic[k][v],
                        )
                    })
                    .unzip()
            };
            let access: Vec<f64> = if !want.accessibility {
                Vec::new()
            } else if d2d {
                d2d_sums[mi].access.clone()
            } else {
                pc.accessibility.iter().map(|row| row[v]).collect()
            };
            let (raw, directed): (Vec<f64>, bool) = match &d2d_bc {
                _ if !want.betweenness => (Vec::new(), g.directed),
                Some((b, _)) => (b.iter().map(|row| row[c as usize]).collect(), true),
                None => (
                    pc.betweenness.iter().map(|row| row[v] * scale).collect(),
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
                accessibility: access,
                straightness: straight.get(v).copied().flatten(),
            }
        })
        .collect()
}

/// The members that are analysis units ([`Network::is_unit`]), in order:
/// all of them but the prefecture centres of the county level.
fn unit_members(net: &Network, members: &[CityIdx]) -> Vec<CityIdx> {
    members
        .iter()
        .copied()
        .filter(|&c| net.is_unit(c))
        .collect()
}

/// The nodes of the city graph of `members`: the members themselves, or
/// every node of the network with [`Scope::Network`].
fn nodes_of(net: &Network, members: &[CityIdx], scope: Scope) -> Vec<CityIdx> {
    match scope {
        Scope::Members => members.to_vec(),
        Scope::Network => (0..net.cities().len() as CityIdx).collect(),
    }
}

/// Sources × arcs from which [`members_estimate`] times a run: below it the
/// exact kernel takes seconds.
pub const ESTIMATE_WORK: f64 = 5e9;

/// Seconds that the exact shortest-path measures of [`members_centrality`]
/// would take on the current rayon pool for `members` with `opt`, timed on
/// 4 sources ([`estimate_seconds`]); `None` when the graph is too small to
/// matter (sources × arcs below [`ESTIMATE_WORK`]), with a sample, or with
/// the door-to-door weight (whose searches run on another graph).
///
/// # Complexity
/// O(m) to build the graph and 4 single-source passes when it is large.
pub fn members_estimate(
    net: &Network,
    members: &[CityIdx],
    opt: &CentralityOptions,
) -> Option<f64> {
    if opt.sample.is_some() || opt.weight == Weight::DoorToDoor {
        return None;
    }
    let nodes = nodes_of(net, members, opt.scope);
    let g = city_graph(net, &nodes, opt.weight == Weight::Km);
    if members.len() as f64 * g.arc_count() as f64 <= ESTIMATE_WORK {
        return None;
    }
    let units = unit_members(net, members);
    let is_member: Option<Vec<bool>> = (opt.scope == Scope::Network || units.len() < members.len())
        .then(|| {
            let mut local = vec![usize::MAX; net.cities().len()];
            for (i, &c) in nodes.iter().enumerate() {
                local[c as usize] = i;
            }
            let mut mask = vec![false; nodes.len()];
            for &c in &units {
                mask[local[c as usize]] = true;
            }
            mask
        });
    let mut cutoffs = vec![f64::INFINITY];
    cutoffs.extend(opt.within.iter().copied());
    let popts = PathOptions {
        sources: is_member.as_deref(),
        targets: is_member.as_deref(),
        betweenness: opt.measures.betweenness || opt.measures.pop_betweenness,
        closeness: opt.measures.closeness,
        ..PathOptions::all(&cutoffs)
    };
    Some(estimate_seconds(&g, &popts, 4))
}

/// One member's door-to-door sums: (distance sum, members reached, harmonic)
/// per cutoff, and accessibility per decay.
struct DoorSums {
    closeness: Vec<(f64, u32, f64)>,
    access: Vec<f64>,
}

/// Door-to-door closeness figures and accessibility of each member, from one
/// search per member (paths through any city), members in parallel; each
/// member's sums run over the `targets` in their order, so results do not
/// depend on the thread count. Memory: one search workspace per thread.
fn door_to_door_sums(
    net: &Network,
    members: &[CityIdx],
    targets: &[CityIdx],
    model: &TimeModel,
    cutoffs: &[f64],
    decays: &[Decay],
    want: Measures,
) -> Vec<DoorSums> {
    let engine = Engine::new(net, model.clone(), None);
    members
        .par_iter()
        .map_init(
            || (engine.workspace(), Vec::new()),
            |(ws, times), &c| {
                engine.search(ws, &[c], Direction::Out, f64::INFINITY);
                times.clear();
                times.extend(targets.iter().filter_map(|&d| {
                    let t = engine.time_to(ws, d);
                    t.is_finite().then_some((d, t))
                }));
                let closeness = if want.closeness {
                    cutoffs
                        .iter()
                        .map(|&cut| {
                            let (mut sum, mut r, mut h) = (0.0, 0u32, 0.0);
                            for &(j, d) in times.iter() {
                                if j != c && d <= cut {
                                    sum += d;
                                    r += 1;
                                    h += 1.0 / d;
                                }
                            }
                            (sum, r, h)
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                let access = if want.accessibility {
                    decays
                        .iter()
                        .map(|decay| {
                            times
                                .iter()
                                .map(|&(j, t)| net.city(j).pop_2020 as f64 * decay.weight(t))
                                .sum()
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                DoorSums { closeness, access }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Input;

    fn net() -> Network {
        Input::Embedded.load().expect("the embedded data loads").0
    }

    /// Asking for one family of measures gives exactly the values of the
    /// full run for that family and leaves the others empty.
    #[test]
    fn each_family_alone_equals_the_full_run() {
        let net = net();
        for (weight, scope) in [
            (Weight::Minutes, Scope::Members),
            (Weight::Km, Scope::Network),
            (Weight::DoorToDoor, Scope::Members),
        ] {
            let base = CentralityOptions {
                weight,
                scope,
                within: vec![90.0],
                ..CentralityOptions::default()
            };
            let ag = net.find_agglomeration("chengdu-chongqing").unwrap();
            let full = agglomeration_centrality(&net, ag, &base);
            let families = [
                (
                    "betweenness",
                    Measures {
                        betweenness: true,
                        ..Measures::NONE
                    },
                ),
                (
                    "pop",
                    Measures {
                        pop_betweenness: true,
                        ..Measures::NONE
                    },
                ),
                (
                    "closeness",
                    Measures {
                        closeness: true,
                        ..Measures::NONE
                    },
                ),
                (
                    "access",
                    Measures {
                        accessibility: true,
                        ..Measures::NONE
                    },
                ),
                (
                    "straight",
                    Measures {
                        straightness: true,
                        ..Measures::NONE
                    },
                ),
            ];
            for (name, measures) in families {
                let opt = CentralityOptions {
                    measures,
                    ..base.clone()
                };
                let part = agglomeration_centrality(&net, ag, &opt);
                for (f, p) in full.iter().zip(&part) {
                    let ctx = format!("{weight:?} {scope:?} {name}");
                    assert_eq!(
                        (f.city, f.degree, f.strength),
                        (p.city, p.degree, p.strength)
                    );
                    let pick = |on: bool, v: &Vec<f64>| if on { v.clone() } else { Vec::new() };
                    assert_eq!(
                        p.betweenness,
                        pick(measures.betweenness, &f.betweenness),
                        "{ctx}"
                    );
                    assert_eq!(
                        p.betweenness_norm,
                        pick(measures.betweenness, &f.betweenness_norm),
                        "{ctx}"
                    );
                    assert_eq!(
                        p.pop_betweenness,
                        pick(measures.pop_betweenness, &f.pop_betweenness),
                        "{ctx}"
                    );
                    assert_eq!(p.closeness, pick(measures.closeness, &f.closeness), "{ctx}");
                    assert_eq!(p.harmonic, pick(measures.closeness, &f.harmonic), "{ctx}");
                    assert_eq!(
                        p.accessibility,
                        pick(measures.accessibility, &f.accessibility),
                        "{ctx}"
                    );
                    let st = if measures.straightness {
                        f.straightness
                    } else {
                        None
                    };
                    assert_eq!(p.straightness, st, "{ctx}");
                }
            }
            assert!(full.iter().any(|r| r.betweenness[0] > 0.0));
            assert!(
                full.iter()
                    .all(|r| r.accessibility.len() == 5 && r.straightness.is_some())
            );
        }
    }

    /// Straightness comes from the km pass itself with `--weight km` and from
    /// a separate km pass otherwise: the same values either way.
    #[test]
    fn straightness_is_the_same_from_either_pass() {
        let net = net();
        let ag = net.find_agglomeration("yangtze-river-delta").unwrap();
        let only = |weight| CentralityOptions {
            weight,
            measures: Measures {
                straightness: true,
                ..Measures::NONE
            },
            ..CentralityOptions::default()
        };
        let a = agglomeration_centrality(&net, ag, &only(Weight::Km));
        let b = agglomeration_centrality(&net, ag, &only(Weight::Minutes));
        assert!(a.iter().filter(|r| r.straightness.is_some()).count() > 10);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.straightness, y.straightness);
        }
    }
}
