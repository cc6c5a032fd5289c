//! Commuting circles of agglomerations: for each core (or all cores together)
//! one bounded search, then one circle per budget with the cities inside,
//! their population, the share of the agglomeration's population inside, and
//! the circle polygon. Shared by `agglo circles`, `agglo export --qgis` and
//! `agglo map`.

use std::collections::BTreeMap;

use geo::MultiPolygon;

use super::circles::{CircleOptions, area_km2, circle_polygon};
use super::search::{Direction, Engine, Reach};
use crate::model::{Agglomeration, CityIdx};
use crate::network::Network;

/// One commuting circle: an origin set of one agglomeration and one budget.
#[derive(Debug, Clone, PartialEq)]
pub struct CommutingCircle {
    /// Id of the agglomeration.
    pub agglomeration: String,
    /// The origin cities (one core, or every core with `union`).
    pub origins: Vec<CityIdx>,
    /// Budget, minutes.
    pub minutes: f64,
    /// Cities reached within the budget with their minutes, fastest first.
    pub cities: Vec<(CityIdx, f64)>,
    /// 2020 population of the cities reached.
    pub population: u64,
    /// Share of the agglomeration's 2020 population living in reached members.
    pub member_share: f64,
    /// The circle polygon (WGS84).
    pub polygon: MultiPolygon<f64>,
    /// Geodesic area of the polygon, km².
    pub area_km2: f64,
}

/// The commuting circles of `aggs` for every budget in `budgets` (ascending).
///
/// With `union`, one circle per agglomeration and budget from all its cores
/// at once; otherwise one per core. Searches are shared between
/// agglomerations naming the same origins.
///
/// # Complexity
/// One bounded search per distinct origin set, plus one polygon union per
/// circle (O(k log k) in the k cities reached).
pub fn commuting_circles(
    net: &Network,
    engine: &Engine<'_>,
    direction: Direction,
    aggs: &[&Agglomeration],
    budgets: &[f64],
    union: bool,
    opt: CircleOptions,
) -> Vec<CommutingCircle> {
    let max = budgets.iter().copied().fold(0.0, f64::max);
    let mut ws = engine.workspace();
    let mut searches: BTreeMap<Vec<CityIdx>, Reach> = BTreeMap::new();
    let mut out = Vec::new();
    for ag in aggs {
        let origin_sets: Vec<Vec<CityIdx>> = if union {
            vec![ag.cores.clone()]
        } else {
            ag.cores.iter().map(|&c| vec![c]).collect()
        };
        let agg_pop: u64 = ag.members.iter().map(|&c| net.city(c).pop_2020).sum();
        for origins in origin_sets {
            if origins.is_empty() {
                continue;
            }
            let reach = searches
                .entry(origins.clone())
                .or_insert_with(|| {
                    engine.search(&mut ws, &origins, direction, max);
                    engine.reach(&ws)
                })
                .clone();
            for &budget in budgets {
                let cities: Vec<(CityIdx, f64)> = reach
                    .times
                    .iter()
                    .copied()
                    .filter(|(_, m)| *m <= budget)
                    .collect();
                let population = cities.iter().map(|(c, _)| net.city(*c).pop_2020).sum();
                let member_pop: u64 = cities
                    .iter()
                    .filter(|(c, _)| ag.members.contains(c))
                    .map(|(c, _)| net.city(*c).pop_2020)
                    .sum();
                let polygon = circle_polygon(net, &reach, net.city(origins[0]), budget, opt);
                out.push(CommutingCircle {
                    agglomeration: ag.id.clone(),
                    origins: origins.clone(),
                    minutes: budget,
                    cities,
                    population,
                    member_share: if agg_pop > 0 {
                        member_pop as f64 / agg_pop as f64
                    } else {
                        0.0
                    },
                    area_km2: area_km2(&polygon),
                    polygon,
                });
            }
        }
    }
    out
}
