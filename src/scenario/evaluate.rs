//! The indicators of one network that scenarios compare.
//!
//! - **circle** of each core city: the cities reached door to door within
//!   the budget and their population;
//! - **Hansen accessibility** of every city: `A_i = Σ_j P_j · exp(−ln2 · t_ij / 30)`
//!   over the cities j reached within [`ACCESS_HORIZON`] minutes (i itself at
//!   0), the same exponential decay as `centrality`'s `access_exp`, with
//!   destinations anywhere in the country;
//! - per agglomeration: the share of its population within the budget of one
//!   of its cores, the mean and Gini coefficient of its members'
//!   accessibility, and its members' betweenness ranks (minutes-weighted,
//!   paths inside the agglomeration);
//! - the delineated metropolitan area of every city.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::algorithms::Workspace;
use crate::algorithms::centrality::{CentralityOptions, Decay, Measures, agglomeration_centrality};
use crate::algorithms::{CircleOrigin, DelineateOptions, delineate, gini, origins_of};
use crate::model::CityIdx;
use crate::network::Network;
use crate::{Direction, Engine, TimeModel};

/// Half-life of the Hansen accessibility decay, minutes.
pub const ACCESS_HALF_LIFE: f64 = 30.0;
/// Destinations farther than this (minutes) are left out of accessibility
/// (their weight would be below 1/64).
pub const ACCESS_HORIZON: f64 = 180.0;

/// Options of [`evaluate`].
#[derive(Debug, Clone, PartialEq)]
pub struct EvalOptions {
    /// Commuting budget, minutes.
    pub minutes: f64,
    /// Door-to-door time model.
    pub model: TimeModel,
    /// Also delineate metropolitan areas (about 15 ms on the national network).
    pub delineate: bool,
    /// Where each core's circle starts: its centre node, or (county level)
    /// all of its urban districts at once.
    pub origin: CircleOrigin,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            minutes: 60.0,
            model: TimeModel::default(),
            delineate: true,
            origin: CircleOrigin::Districts,
        }
    }
}

/// The commuting circle of one core city.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreEval {
    /// Core city id.
    pub city: String,
    /// Cities reached within the budget and their minutes, by id.
    pub reached: BTreeMap<String, f64>,
    /// Their total population (the core's included).
    pub population: u64,
}

/// The indicators of one agglomeration.
#[derive(Debug, Clone, PartialEq)]
pub struct AggEval {
    /// Agglomeration id.
    pub id: String,
    /// Share of the members' population within the budget of a core.
    pub pop_share: f64,
    /// Mean Hansen accessibility of the members (persons).
    pub access_mean: f64,
    /// Gini coefficient of the members' accessibility (0 = equal).
    pub access_gini: f64,
    /// Betweenness rank of each member (1 = highest; ties by id), by id.
    pub ranks: BTreeMap<String, usize>,
}

/// Everything [`evaluate`] measures on one network.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The budget used.
    pub minutes: f64,
    /// Circles of every core city, by id.
    pub cores: Vec<CoreEval>,
    /// Agglomerations in input order.
    pub agglomerations: Vec<AggEval>,
    /// Hansen accessibility of every city, by id.
    pub access: BTreeMap<String, f64>,
    /// The core of each city's delineated area (`None`: outside every
    /// area), by id; empty unless delineation was asked for.
    pub delineation: BTreeMap<String, Option<String>>,
}

/// What one source's bounded search contributes: population within the
/// budget and Hansen accessibility.
pub(crate) fn source_measures(
    engine: &Engine,
    ws: &mut Workspace,
    s: CityIdx,
    minutes: f64,
    pop: &[f64],
) -> (f64, f64) {
    engine.search(ws, &[s], Direction::Out, minutes.max(ACCESS_HORIZON));
    let decay = Decay::Exponential {
        half_life: ACCESS_HALF_LIFE,
    };
    let (mut within, mut access) = (0.0, 0.0);
    for &(c, t) in &engine.reach(ws).times {
        if t <= minutes {
            within += pop[c as usize];
        }
        if t <= ACCESS_HORIZON {
            access += pop[c as usize] * decay.weight(t);
        }
    }
    (within, access)
}

/// The distinct core cities of all agglomerations, by id.
pub(crate) fn core_cities(net: &Network) -> Vec<CityIdx> {
    net.core_cities()
}

/// Measures `net` (see the module docs).
///
/// # Complexity
/// One search bounded by max(budget, [`ACCESS_HORIZON`]) per city (in
/// parallel), Brandes betweenness within each agglomeration, and one
/// delineation if asked for.
pub fn evaluate(net: &Network, opt: &EvalOptions) -> Evaluation {
    // The delineation (one polygon union per area) runs beside the searches.
    let (delineation, mut e) = rayon::join(|| delineation(net, opt), || measure(net, opt));
    e.delineation = delineation;
    e
}

fn delineation(net: &Network, opt: &EvalOptions) -> BTreeMap<String, Option<String>> {
    let n = net.cities().len() as CityIdx;
    if opt.delineate {
        let d = delineate(
            net,
            &opt.model,
            DelineateOptions {
                minutes: opt.minutes,
                ..DelineateOptions::default()
            },
        );
        match d {
            Ok(d) => (0..n)
                .map(|c| {
                    (
                        net.city(c).id.clone(),
                        d.core_of(c).map(|k| net.city(k).id.clone()),
                    )
                })
                .collect(),
            Err(_) => BTreeMap::new(),
        }
    } else {
        BTreeMap::new()
    }
}

fn measure(net: &Network, opt: &EvalOptions) -> Evaluation {
    let engine = Engine::new(net, opt.model.clone(), None);
    let pop: Vec<f64> = net.cities().iter().map(|c| c.pop_2020 as f64).collect();
    let n = net.cities().len() as CityIdx;
    let access: Vec<f64> = (0..n)
        .into_par_iter()
        .map_init(
            || engine.workspace(),
            |ws, s| source_measures(&engine, ws, s, opt.minutes, &pop).1,
        )
        .collect();
    let mut ws = engine.workspace();
    let cores: Vec<(CityIdx, Vec<(CityIdx, f64)>)> = core_cities(net)
        .into_iter()
        .map(|c| {
            let from = origins_of(net, &[c], opt.origin);
            engine.search(&mut ws, &from, Direction::Out, opt.minutes);
            // Units only: a prefecture centre is a place trips pass through.
            let mut times = engine.reach(&ws).times;
            times.retain(|&(x, _)| net.is_unit(x));
            (c, times)
        })
        .collect();
    let core_evals = cores
        .iter()
        .map(|(c, times)| CoreEval {
            city: net.city(*c).id.clone(),
            reached: times
                .iter()
                .map(|&(x, t)| (net.city(x).id.clone(), t))
                .collect(),
            population: times.iter().map(|&(x, _)| net.city(x).pop_2020).sum(),
        })
        .collect();
    let copt = CentralityOptions {
        decays: vec![Decay::Exponential {
            half_life: ACCESS_HALF_LIFE,
        }],
        // Only the betweenness ranking is used.
        measures: Measures {
            betweenness: true,
            ..Measures::NONE
        },
        ..CentralityOptions::default()
    };
    let aggs = net
        .agglomerations()
        .par_iter()
        .map(|ag| {
            let mut within = vec![false; net.cities().len()];
            for (c, times) in &cores {
                if ag.cores.contains(c) {
                    for &(x, _) in times {
                        within[x as usize] = true;
                    }
                }
            }
            let total: f64 = ag.members.iter().map(|&c| pop[c as usize]).sum();
            let inside: f64 = ag
                .members
                .iter()
                .filter(|&&c| within[c as usize])
                .map(|&c| pop[c as usize])
                .sum();
            let acc: Vec<f64> = ag.members.iter().map(|&c| access[c as usize]).collect();
            let cent = agglomeration_centrality(net, ag, &copt);
            let mut order: Vec<(f64, &str)> = cent
                .iter()
                .map(|x| (x.betweenness_norm[0], net.city(x.city).id.as_str()))
                .collect();
            order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            AggEval {
                id: ag.id.clone(),
                pop_share: if total > 0.0 { inside / total } else { 0.0 },
                access_mean: if acc.is_empty() {
                    0.0
                } else {
                    acc.iter().sum::<f64>() / acc.len() as f64
                },
                access_gini: gini(&acc),
                ranks: order
                    .iter()
                    .enumerate()
                    .map(|(i, (_, id))| (id.to_string(), i + 1))
                    .collect(),
            }
        })
        .collect();
    Evaluation {
        minutes: opt.minutes,
        cores: core_evals,
        agglomerations: aggs,
        access: (0..n)
            .map(|c| (net.city(c).id.clone(), access[c as usize]))
            .collect(),
        delineation: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessibility_counts_the_city_itself_and_decays_with_time() {
        let net = crate::io::Input::Embedded.load().unwrap().0;
        let e = evaluate(
            &net,
            &EvalOptions {
                delineate: false,
                ..EvalOptions::default()
            },
        );
        for c in net.cities() {
            let a = e.access[&c.id];
            assert!(a >= c.pop_2020 as f64 - 1e-6, "{}", c.id);
            let total: u64 = net.cities().iter().map(|x| x.pop_2020).sum();
            assert!(a <= total as f64);
        }
        for ce in &e.cores {
            assert_eq!(ce.reached[&ce.city], 0.0);
            assert!(ce.reached.values().all(|t| *t <= 60.0));
        }
        for a in &e.agglomerations {
            assert!((0.0..=1.0).contains(&a.pop_share));
            assert!((0.0..1.0).contains(&a.access_gini));
        }
    }
}
