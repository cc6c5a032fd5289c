//! Commuting circles of agglomerations: for each core (or all cores together)
//! one bounded search, then one circle per budget with the cities inside,
//! their population, the share of the agglomeration's population inside, and
//! the circle polygon. Shared by `agglo circles`, `agglo export --qgis` and
//! `agglo map`.

use std::collections::BTreeMap;

use geo::MultiPolygon;

use super::circles::{CircleOptions, CircleOrigin, area_km2, circle_shape};
use super::search::{Direction, Engine, Reach};
use crate::model::{Agglomeration, CityIdx};
use crate::network::Network;

/// One commuting circle: an origin set of one agglomeration and one budget.
#[derive(Debug, Clone, PartialEq)]
pub struct CommutingCircle {
    /// Id of the agglomeration.
    pub agglomeration: String,
    /// The cores (one, or every core with `union`).
    pub cores: Vec<CityIdx>,
    /// The search's origin nodes: the cores, or their urban districts.
    pub origins: Vec<CityIdx>,
    /// Budget, minutes.
    pub minutes: f64,
    /// Units (cities or county units) reached within the budget with their
    /// minutes, fastest first; prefecture centres are not units.
    pub cities: Vec<(CityIdx, f64)>,
    /// 2020 population of the units reached.
    pub population: u64,
    /// Share of the agglomeration's 2020 population living in reached members.
    pub member_share: f64,
    /// Member cities (prefecture level) none of whose units is reached.
    pub outside: Vec<CityIdx>,
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
    opt: CircleOptions<'_>,
) -> Vec<CommutingCircle> {
    let max = budgets.iter().copied().fold(0.0, f64::max);
    let mut ws = engine.workspace();
    let mut searches: BTreeMap<Vec<CityIdx>, Reach> = BTreeMap::new();
    let mut out = Vec::new();
    for ag in aggs {
        let core_sets: Vec<Vec<CityIdx>> = if union {
            vec![ag.cores.clone()]
        } else {
            ag.cores.iter().map(|&c| vec![c]).collect()
        };
        let agg_pop: u64 = ag.members.iter().map(|&c| net.city(c).pop_2020).sum();
        // Member cities at the prefecture level, each with its units.
        let member_cities: Vec<CityIdx> = ag
            .members
            .iter()
            .copied()
            .filter(|&m| net.prefecture_of(m) == m)
            .collect();
        for cores in core_sets {
            if cores.is_empty() {
                continue;
            }
            let origins = origins_of(net, &cores, opt.origin);
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
                    .filter(|&(c, m)| m <= budget && net.is_unit(c))
                    .collect();
                let population = cities.iter().map(|(c, _)| net.city(*c).pop_2020).sum();
                let mut inside = vec![false; net.cities().len()];
                for &(c, _) in &cities {
                    inside[c as usize] = true;
                    inside[net.prefecture_of(c) as usize] = true;
                }
                let member_pop: u64 = cities
                    .iter()
                    .filter(|(c, _)| ag.members.contains(c))
                    .map(|(c, _)| net.city(*c).pop_2020)
                    .sum();
                let outside = member_cities
                    .iter()
                    .copied()
                    .filter(|&m| !inside[m as usize])
                    .collect();
                let polygon = circle_shape(net, &reach, net.city(origins[0]), budget, opt);
                out.push(CommutingCircle {
                    agglomeration: ag.id.clone(),
                    cores: cores.clone(),
                    origins: origins.clone(),
                    minutes: budget,
                    cities,
                    population,
                    member_share: if agg_pop > 0 {
                        member_pop as f64 / agg_pop as f64
                    } else {
                        0.0
                    },
                    outside,
                    area_km2: area_km2(&polygon),
                    polygon,
                });
            }
        }
    }
    out
}

/// The search origins of `cores`: the cores themselves, or the county units
/// of their urban districts (a core without any keeps its own node).
pub fn origins_of(net: &Network, cores: &[CityIdx], origin: CircleOrigin) -> Vec<CityIdx> {
    let mut out = Vec::new();
    for &c in cores {
        match origin {
            CircleOrigin::Centre => out.push(c),
            CircleOrigin::Districts => {
                let d = net.urban_districts(c);
                if d.is_empty() {
                    out.push(c);
                } else {
                    out.extend(d);
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
