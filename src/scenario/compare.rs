//! A comparison is a diff of two [`Evaluation`]s, by city and agglomeration id.

use std::collections::{BTreeMap, BTreeSet};

use super::evaluate::{CoreEval, Evaluation};

/// How a core city's circle changed.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreChange {
    /// Core city id.
    pub city: String,
    /// Cities within the budget before (the core included).
    pub cities_before: usize,
    /// Cities within the budget after.
    pub cities_after: usize,
    /// Population within the budget before.
    pub pop_before: u64,
    /// Population within the budget after.
    pub pop_after: u64,
    /// Cities that entered the circle, by id.
    pub entered: Vec<String>,
    /// Cities that left the circle, by id.
    pub left: Vec<String>,
}

impl CoreChange {
    /// Whether the circle changed: other cities or another population.
    pub fn changed(&self) -> bool {
        self.cities_before != self.cities_after
            || self.pop_before != self.pop_after
            || !self.entered.is_empty()
            || !self.left.is_empty()
    }
    /// Population after minus before.
    pub fn pop_delta(&self) -> i64 {
        self.pop_after as i64 - self.pop_before as i64
    }
}

/// A member whose betweenness rank changed.
#[derive(Debug, Clone, PartialEq)]
pub struct RankChange {
    /// City id.
    pub city: String,
    /// Rank before (`None`: not a member before).
    pub before: Option<usize>,
    /// Rank after.
    pub after: Option<usize>,
}

/// How an agglomeration's indicators changed.
#[derive(Debug, Clone, PartialEq)]
pub struct AggChange {
    /// Agglomeration id.
    pub id: String,
    /// Population share within the budget of a core, before and after.
    pub share: (f64, f64),
    /// Mean Hansen accessibility of the members, before and after.
    pub access_mean: (f64, f64),
    /// Gini coefficient of the members' accessibility, before and after.
    pub access_gini: (f64, f64),
    /// Members whose betweenness rank changed, by id.
    pub ranks: Vec<RankChange>,
}

impl AggChange {
    /// Whether any indicator of the agglomeration changed.
    pub fn changed(&self) -> bool {
        self.share.0 != self.share.1
            || self.access_mean.0 != self.access_mean.1
            || self.access_gini.0 != self.access_gini.1
            || !self.ranks.is_empty()
    }
}

/// One city's Hansen accessibility before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct CityChange {
    /// City id.
    pub city: String,
    /// Before (0 for a city added by the scenario).
    pub before: f64,
    /// After.
    pub after: f64,
}

impl CityChange {
    /// After minus before.
    pub fn delta(&self) -> f64 {
        self.after - self.before
    }
    /// Relative change, after / before − 1 (0 for a new city).
    pub fn relative(&self) -> f64 {
        if self.before > 0.0 {
            self.after / self.before - 1.0
        } else {
            0.0
        }
    }
}

/// The diff of two evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Every core city of either network, by id.
    pub cores: Vec<CoreChange>,
    /// Agglomerations of the scenario network, in its order.
    pub agglomerations: Vec<AggChange>,
    /// Every city, by accessibility change: largest gain first, ties by id.
    pub cities: Vec<CityChange>,
    /// Cities whose delineated area changed: (city, core before, core after).
    pub delineation: Vec<(String, Option<String>, Option<String>)>,
}

fn circle_change(city: &str, b: Option<&CoreEval>, a: Option<&CoreEval>) -> CoreChange {
    let keys = |e: Option<&CoreEval>| -> BTreeSet<String> {
        e.map(|e| e.reached.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (kb, ka) = (keys(b), keys(a));
    CoreChange {
        city: city.to_owned(),
        cities_before: kb.len(),
        cities_after: ka.len(),
        pop_before: b.map_or(0, |e| e.population),
        pop_after: a.map_or(0, |e| e.population),
        entered: ka.difference(&kb).cloned().collect(),
        left: kb.difference(&ka).cloned().collect(),
    }
}

/// Compares `before` (the baseline) with `after` (the scenario).
///
/// # Complexity
/// O(n log n) in the number of cities.
pub fn compare(before: &Evaluation, after: &Evaluation) -> Comparison {
    let cb: BTreeMap<&str, &CoreEval> = before.cores.iter().map(|c| (c.city.as_str(), c)).collect();
    let ca: BTreeMap<&str, &CoreEval> = after.cores.iter().map(|c| (c.city.as_str(), c)).collect();
    let core_ids: BTreeSet<&str> = cb.keys().chain(ca.keys()).copied().collect();
    let cores = core_ids
        .into_iter()
        .map(|id| circle_change(id, cb.get(id).copied(), ca.get(id).copied()))
        .collect();
    let agglomerations = after
        .agglomerations
        .iter()
        .map(|a| {
            let b = before.agglomerations.iter().find(|x| x.id == a.id);
            let pick = |f: &dyn Fn(&super::AggEval) -> f64| (b.map_or(0.0, f), f(a));
            let ids: BTreeSet<&String> = a
                .ranks
                .keys()
                .chain(b.iter().flat_map(|b| b.ranks.keys()))
                .collect();
            AggChange {
                id: a.id.clone(),
                share: pick(&|x| x.pop_share),
                access_mean: pick(&|x| x.access_mean),
                access_gini: pick(&|x| x.access_gini),
                ranks: ids
                    .into_iter()
                    .filter_map(|id| {
                        let rb = b.and_then(|b| b.ranks.get(id).copied());
                        let ra = a.ranks.get(id).copied();
                        (rb != ra).then(|| RankChange {
                            city: id.clone(),
                            before: rb,
                            after: ra,
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    let mut cities: Vec<CityChange> = after
        .access
        .iter()
        .map(|(id, &a)| CityChange {
            city: id.clone(),
            before: before.access.get(id).copied().unwrap_or(0.0),
            after: a,
        })
        .collect();
    cities.sort_by(|x, y| {
        (y.after - y.before)
            .total_cmp(&(x.after - x.before))
            .then(x.city.cmp(&y.city))
    });
    let delineation = after
        .delineation
        .iter()
        .filter_map(|(id, a)| {
            let b = before.delineation.get(id).cloned().flatten();
            (b != *a).then(|| (id.clone(), b, a.clone()))
        })
        .collect();
    Comparison {
        cores,
        agglomerations,
        cities,
        delineation,
    }
}
