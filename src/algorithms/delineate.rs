//! Metropolitan areas delineated from the network, and their gap to the
//! official ones.
//!
//! 1. **Cores**: every city whose urban-district population (published or
//!    estimated, see [`Tiers`]) is at least `core_min_pop` (default 3 million,
//!    the floor of large type I).
//! 2. **Assignment**: every other city joins the core it reaches fastest door
//!    to door (trips out of the core) within the budget. Equal times (within
//!    0.001 min) go to the core with the larger urban population, then the
//!    lower city index, and are reported as ties; a city within the budget of
//!    two or more cores is **contested** and its runner-up is kept. A core
//!    always heads its own area, even when another core reaches it.
//! 3. **Polygon**: the commuting-circle polygon ([`circle_polygon`]) of the
//!    core restricted to its members: the union of each member's disk of the
//!    minutes left at the local speed.
//! 4. **Comparison** with each official agglomeration: the derived area of its
//!    cores (the union of the areas whose core is an official core) against
//!    its member list: Jaccard index on members (|A∩B| / |A∪B|), the same on
//!    population (2020 residents), the official members outside (with where
//!    they are instead: in another core's area, heading an area of their own,
//!    or in none, see [`Elsewhere`]) and the derived members that are not
//!    official members.
//!
//! A scenario comparison calls [`delineate`] on the base and the edited
//! network and diffs the results with [`Delineation::changes`].

use std::collections::BTreeSet;

use geo::MultiPolygon;

use super::circle_set::origins_of;
use super::circles::{CircleOptions, area_km2, circle_shape};
use super::search::{Direction, Engine, Reach};
use super::tiers::Tiers;
use super::time_model::TimeModel;
use crate::model::CityIdx;
use crate::network::Network;

const TIE_MIN: f64 = 1e-3;

/// Errors of [`delineate`] and [`Delineation::changes`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DelineateError {
    /// The time budget is not a positive number of minutes.
    #[error("the time budget must be a positive number of minutes, got {0}")]
    Budget(f64),
    /// The local speed of the polygons is negative or not a number.
    #[error("the local speed must be a non-negative number of km/h, got {0}")]
    LocalSpeed(f64),
    /// No city reaches the core threshold.
    #[error("no city has an urban population of at least {0}: no core")]
    NoCore(u64),
    /// Two delineations of networks with different city lists were compared.
    #[error("cannot compare delineations of {0} and {1} cities")]
    DifferentCities(usize, usize),
}

/// Options of [`delineate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DelineateOptions {
    /// Door-to-door budget in minutes (default 60).
    pub minutes: f64,
    /// Smallest urban population of a core (default 3 000 000).
    pub core_min_pop: u64,
    /// Only cities with a published urban population can be cores.
    pub measured_only: bool,
    /// At most this many changes of line or mode (`None`: unbounded).
    pub max_transfers: Option<usize>,
    /// Polygon options.
    pub circle: CircleOptions<'static>,
}

impl Default for DelineateOptions {
    fn default() -> Self {
        DelineateOptions {
            minutes: 60.0,
            core_min_pop: 3_000_000,
            measured_only: false,
            max_transfers: None,
            circle: CircleOptions::default(),
        }
    }
}

/// Where one non-core city went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    /// The city.
    pub city: CityIdx,
    /// The core it joined.
    pub core: CityIdx,
    /// Minutes from that core.
    pub minutes: f64,
    /// The second-fastest core within the budget, if any, with its minutes.
    pub runner_up: Option<(CityIdx, f64)>,
    /// Whether the runner-up is as fast (a tie broken by core size, then index).
    pub tie: bool,
}

/// One derived metropolitan area.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// The core city.
    pub core: CityIdx,
    /// The core's urban population.
    pub core_urban_pop: u64,
    /// Whether that population is an estimate.
    pub core_estimated: bool,
    /// Members with minutes from the core: the core first at 0, then by time and index.
    pub members: Vec<(CityIdx, f64)>,
    /// Resident population 2020 of the members.
    pub population: u64,
    /// The area's polygon (lon/lat).
    pub polygon: MultiPolygon<f64>,
    /// Its geodesic area.
    pub area_km2: f64,
}

/// The result of [`delineate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Delineation {
    /// The options used.
    pub options: DelineateOptions,
    /// Areas by decreasing core urban population, then core index.
    pub areas: Vec<Area>,
    /// Every non-core city within the budget of some core, by city index.
    pub assignments: Vec<Assignment>,
    /// Number of cities of the network.
    pub city_count: usize,
}

/// An official agglomeration against the derived areas of its cores.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialMatch {
    /// Index of the agglomeration in the network.
    pub agglomeration: usize,
    /// The official cores that are derived cores.
    pub derived_cores: Vec<CityIdx>,
    /// Jaccard index on members.
    pub jaccard: f64,
    /// Jaccard index weighted by 2020 population.
    pub pop_jaccard: f64,
    /// Official members outside the derived area, with where they are instead.
    pub outside: Vec<(CityIdx, Elsewhere)>,
    /// Derived members that are not official members.
    pub extra: Vec<CityIdx>,
}

/// Where an official member outside the derived area of its agglomeration's
/// cores is instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    /// Within the budget of no core.
    Unreached,
    /// In the area of this other core.
    Joined(CityIdx),
    /// A core itself, heading its own area: a city above the core threshold
    /// that its plan does not name as a core (Changzhou in the Nanjing metro
    /// area, for example).
    OwnArea,
}

/// A city whose area differs between two delineations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// The city.
    pub city: CityIdx,
    /// Its core before (itself if it was a core), or `None` outside every area.
    pub before: Option<CityIdx>,
    /// Its core after.
    pub after: Option<CityIdx>,
}

/// Delineates metropolitan areas on `net` with `model` (see the module docs).
///
/// # Complexity
/// One bounded search per core, then O(k·c) for k cores and c cities reached,
/// plus one polygon union per area.
pub fn delineate(
    net: &Network,
    model: &TimeModel,
    opts: DelineateOptions,
) -> Result<Delineation, DelineateError> {
    if !(opts.minutes.is_finite() && opts.minutes > 0.0) {
        return Err(DelineateError::Budget(opts.minutes));
    }
    let speed = opts.circle.local_speed_kmh;
    if !(speed.is_finite() && speed >= 0.0) {
        return Err(DelineateError::LocalSpeed(speed));
    }
    let tiers = Tiers::classify(net);
    let mut cores: Vec<CityIdx> = tiers
        .cities
        .iter()
        .filter(|c| {
            net.is_city(c.city)
                && c.urban_pop >= opts.core_min_pop
                && !(opts.measured_only && c.estimated)
        })
        .map(|c| c.city)
        .collect();
    if cores.is_empty() {
        return Err(DelineateError::NoCore(opts.core_min_pop));
    }
    // Larger cores first: the order breaks ties and orders the areas.
    cores.sort_by(|a, b| {
        tiers
            .of(*b)
            .urban_pop
            .cmp(&tiers.of(*a).urban_pop)
            .then(a.cmp(b))
    });
    let is_core: BTreeSet<CityIdx> = cores.iter().copied().collect();
    let engine = Engine::new(net, model.clone(), opts.max_transfers);
    let mut ws = engine.workspace();
    // For each city, the cores reaching it as (minutes, core order).
    let n = net.cities().len();
    let mut reached: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (k, &core) in cores.iter().enumerate() {
        // From the core's urban districts at the county level (its own node
        // otherwise); units only: a prefecture centre is no place to assign.
        let from = origins_of(net, &[core], opts.circle.origin);
        engine.search(&mut ws, &from, Direction::Out, opts.minutes);
        for &(c, t) in &engine.reach(&ws).times {
            if !is_core.contains(&c) && net.is_unit(c) && t <= opts.minutes {
                reached[c as usize].push((t, k));
            }
        }
    }
    let mut assignments = Vec::new();
    let mut members: Vec<Vec<(CityIdx, f64)>> = cores.iter().map(|&c| vec![(c, 0.0)]).collect();
    for (c, list) in reached.iter_mut().enumerate() {
        if list.is_empty() {
            continue;
        }
        // Fastest first; within TIE_MIN the earlier (larger) core wins.
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let best_t = list[0].0;
        let tied = list.iter().take_while(|x| x.0 - best_t < TIE_MIN).count();
        let win = list[..tied]
            .iter()
            .min_by_key(|x| x.1)
            .copied()
            .expect("one");
        let runner = list.iter().find(|x| x.1 != win.1).copied();
        let city = c as CityIdx;
        members[win.1].push((city, win.0));
        assignments.push(Assignment {
            city,
            core: cores[win.1],
            minutes: win.0,
            runner_up: runner.map(|r| (cores[r.1], r.0)),
            tie: tied > 1,
        });
    }
    let areas = cores
        .iter()
        .zip(members)
        .map(|(&core, mut m)| {
            m.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            let reach = Reach { times: m.clone() };
            let polygon = circle_shape(net, &reach, net.city(core), opts.minutes, opts.circle);
            Area {
                core,
                core_urban_pop: tiers.of(core).urban_pop,
                core_estimated: tiers.of(core).estimated,
                population: m.iter().map(|(c, _)| net.city(*c).pop_2020).sum(),
                area_km2: area_km2(&polygon),
                members: m,
                polygon,
            }
        })
        .collect();
    Ok(Delineation {
        options: opts,
        areas,
        assignments,
        city_count: n,
    })
}

impl Delineation {
    /// The core heading `city`'s area (itself for a core), if any.
    pub fn core_of(&self, city: CityIdx) -> Option<CityIdx> {
        if self.areas.iter().any(|a| a.core == city) {
            return Some(city);
        }
        self.assignments
            .binary_search_by_key(&city, |a| a.city)
            .ok()
            .map(|i| self.assignments[i].core)
    }

    /// Every official agglomeration of `net` against the derived areas of its
    /// cores, in the network's order.
    pub fn compare_official(&self, net: &Network) -> Vec<OfficialMatch> {
        net.agglomerations()
            .iter()
            .enumerate()
            .map(|(i, ag)| {
                // Units only: at the county level the comparison is unit by
                // unit (a partial member's units as its plan names them), and
                // prefecture centres are no units.
                let official: BTreeSet<CityIdx> = ag
                    .members
                    .iter()
                    .copied()
                    .filter(|&c| net.is_unit(c))
                    .collect();
                let mut derived_cores: Vec<CityIdx> = ag
                    .cores
                    .iter()
                    .copied()
                    .filter(|c| self.areas.iter().any(|a| a.core == *c))
                    .collect();
                derived_cores.sort_unstable();
                let derived: BTreeSet<CityIdx> = self
                    .areas
                    .iter()
                    .filter(|a| derived_cores.contains(&a.core))
                    .flat_map(|a| a.members.iter().map(|m| m.0))
                    .filter(|&c| net.is_unit(c))
                    .collect();
                let pop = |s: &mut dyn Iterator<Item = &CityIdx>| -> u64 {
                    s.map(|c| net.city(*c).pop_2020).sum()
                };
                let inter = official.intersection(&derived).count();
                let union = official.union(&derived).count();
                let pop_inter = pop(&mut official.intersection(&derived));
                let pop_union = pop(&mut official.union(&derived));
                OfficialMatch {
                    agglomeration: i,
                    derived_cores,
                    jaccard: if union > 0 {
                        inter as f64 / union as f64
                    } else {
                        0.0
                    },
                    pop_jaccard: if pop_union > 0 {
                        pop_inter as f64 / pop_union as f64
                    } else {
                        0.0
                    },
                    outside: official
                        .difference(&derived)
                        .map(|&c| {
                            let at = match self.core_of(c) {
                                None => Elsewhere::Unreached,
                                Some(k) if k == c => Elsewhere::OwnArea,
                                Some(k) => Elsewhere::Joined(k),
                            };
                            (c, at)
                        })
                        .collect(),
                    extra: derived.difference(&official).copied().collect(),
                }
            })
            .collect()
    }

    /// The cities whose area differs in `after` (same city list), by city index.
    pub fn changes(&self, after: &Delineation) -> Result<Vec<Change>, DelineateError> {
        if self.city_count != after.city_count {
            return Err(DelineateError::DifferentCities(
                self.city_count,
                after.city_count,
            ));
        }
        Ok((0..self.city_count as CityIdx)
            .filter_map(|c| {
                let (before, now) = (self.core_of(c), after.core_of(c));
                (before != now).then_some(Change {
                    city: c,
                    before,
                    after: now,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::read_csv_network;

    /// Cores `a` (urban 4 M) and `b` (urban 3.5 M, published); `x` is 20 min
    /// from `a` and 30 from `b`; `y` is 25 min from both; `z` only near `b`;
    /// `w` is 70 min from `a`. Expressways only: no access or wait terms.
    fn net() -> Network {
        let cities = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
            a,A,甲,P,,110.0,30.0,6000000,,4000000,,\n\
            b,B,乙,P,,111.0,30.0,5000000,,3500000,,\n\
            x,X,丙,P,,110.3,30.1,800000,,200000,,\n\
            y,Y,丁,P,,110.5,29.8,700000,,200000,,\n\
            z,Z,戊,P,,111.3,30.0,600000,,200000,,\n\
            w,W,己,P,,109.3,30.0,500000,,200000,,\n";
        let links = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
            a,x,expressway,20,30,,,,,t\n\
            b,x,expressway,30,70,,,,,t\n\
            a,y,expressway,25,50,,,,,t\n\
            b,y,expressway,25,50,,,,,t\n\
            b,z,expressway,15,30,,,,,t\n\
            a,w,expressway,70,70,,,,,t\n";
        let aggs = "id,name,name_zh,kind,cores,members,partial,approved,source\n\
            a-metro,A Metro,甲都市圈,metro-area,a,a;x;w,,,t\n\
            ab-cluster,AB Cluster,甲乙城市群,city-cluster,a,a;b;y;z,,,t\n";
        let data = read_csv_network(
            ("cities.csv", cities),
            ("links.csv", links),
            Some(("agglomerations.csv", aggs)),
        );
        Network::from_data(data).expect("valid").0
    }

    #[test]
    fn cities_join_the_fastest_core_and_ties_go_to_the_larger() {
        let net = net();
        let id = |s: &str| net.city_by_id(s).unwrap();
        let d = delineate(&net, &TimeModel::default(), DelineateOptions::default()).unwrap();
        assert_eq!(
            d.areas.iter().map(|a| a.core).collect::<Vec<_>>(),
            [id("a"), id("b")]
        );
        let a = &d.areas[0];
        assert_eq!(
            a.members,
            [(id("a"), 0.0), (id("x"), 20.0), (id("y"), 25.0)]
        );
        assert_eq!(a.population, 7_500_000);
        assert!(a.area_km2 > 0.0);
        assert_eq!(d.areas[1].members, [(id("b"), 0.0), (id("z"), 15.0)]);
        let x = d.assignments.iter().find(|s| s.city == id("x")).unwrap();
        assert_eq!((x.runner_up, x.tie), (Some((id("b"), 30.0)), false));
        let y = d.assignments.iter().find(|s| s.city == id("y")).unwrap();
        assert_eq!((y.core, y.tie), (id("a"), true));
        assert_eq!(d.core_of(id("w")), None);
        // Official a-metro = {a, x, w}; derived = {a, x, y}.
        let m = &d.compare_official(&net)[0];
        assert!((m.jaccard - 0.5).abs() < 1e-12);
        assert!((m.pop_jaccard - 6.8 / 8.0).abs() < 1e-12);
        assert_eq!(m.outside, [(id("w"), Elsewhere::Unreached)]);
        assert_eq!(m.extra, [id("y")]);
        // A longer budget brings w in: one change.
        let opts = DelineateOptions {
            minutes: 80.0,
            ..DelineateOptions::default()
        };
        let d2 = delineate(&net, &TimeModel::default(), opts).unwrap();
        let ch = d.changes(&d2).unwrap();
        assert!(ch.contains(&Change {
            city: id("w"),
            before: None,
            after: Some(id("a"))
        }));
    }

    /// Regression (`delineate --view official` printed `changzhou>changzhou`):
    /// an official member that is a derived core itself heads its own area; it
    /// did not join itself.
    #[test]
    fn a_member_that_is_a_core_itself_is_marked_as_heading_its_own_area() {
        let net = net();
        let id = |s: &str| net.city_by_id(s).unwrap();
        let d = delineate(&net, &TimeModel::default(), DelineateOptions::default()).unwrap();
        let m = &d.compare_official(&net)[1];
        assert_eq!(m.derived_cores, [id("a")]);
        assert_eq!(
            m.outside,
            [
                (id("b"), Elsewhere::OwnArea),
                (id("z"), Elsewhere::Joined(id("b")))
            ]
        );
    }

    #[test]
    fn bad_options_are_errors() {
        let net = net();
        let m = TimeModel::default();
        let bad = |o: DelineateOptions| delineate(&net, &m, o).unwrap_err();
        let base = DelineateOptions::default();
        assert_eq!(
            bad(DelineateOptions {
                minutes: -1.0,
                ..base
            }),
            DelineateError::Budget(-1.0)
        );
        assert_eq!(
            bad(DelineateOptions {
                core_min_pop: 9_000_000,
                ..base
            }),
            DelineateError::NoCore(9_000_000)
        );
    }
}
