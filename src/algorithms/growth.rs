//! Polarization between the 2010 and 2020 censuses (on 2020 boundaries):
//! do core cities grow at the expense of their neighbours, or with them?
//!
//! For one agglomeration with its official cores:
//! - the cores' growth against the other members' growth, and the cores'
//!   share of the members' population in 2010 and 2020 (a rising share is
//!   **polarizing**, a falling one **dispersing**);
//! - for each core, the growth of the other members within its commuting
//!   circle (the **ring**) against the growth of the members outside it: a
//!   ring growing faster than the outside is **spread** (the core radiates to
//!   its neighbours: 扩散效应), a ring growing slower is **backwash** (the core
//!   draws people from its neighbours: 虹吸效应);
//! - the members that shrank.
//!
//! Members without a 2010 figure are left out of every sum and listed.
//!
//! At the county level a core is its urban districts, the members are county
//! units, and a unit whose 2010 figure exists only for a group of units
//! (re-drawn or carved out since 2010) is measured with its group: see
//! [`growth`].

use std::collections::BTreeMap;

use super::circle_set::origins_of;
use super::circles::CircleOrigin;
use super::search::{Direction, Engine, Workspace};
use crate::model::{Agglomeration, CityIdx};
use crate::network::Network;

/// Errors of [`growth`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GrowthError {
    /// The time budget is not a positive number of minutes.
    #[error("the time budget must be a positive number of minutes, got {0}")]
    Budget(f64),
}

/// Population of a group of cities at both censuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pair {
    /// 2010 census (2020 boundaries).
    pub pop_2010: u64,
    /// 2020 census.
    pub pop_2020: u64,
}

impl Pair {
    fn add(&mut self, p10: u64, p20: u64) {
        self.pop_2010 += p10;
        self.pop_2020 += p20;
    }
    /// Growth 2010–2020 as a fraction (0.1 = +10 %); `None` for an empty group.
    pub fn rate(&self) -> Option<f64> {
        (self.pop_2010 > 0).then(|| self.pop_2020 as f64 / self.pop_2010 as f64 - 1.0)
    }
}

/// What a core does to the members around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The ring grew faster than the members outside the circle.
    Spread,
    /// The ring grew slower than the members outside the circle.
    Backwash,
    /// Equal growth, or no ring or no outside to compare.
    Undetermined,
}

impl Effect {
    /// `spread`, `backwash` or `undetermined`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Spread => "spread",
            Effect::Backwash => "backwash",
            Effect::Undetermined => "undetermined",
        }
    }
}

/// One core and its ring.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreGrowth {
    /// The core city.
    pub core: CityIdx,
    /// The units that stand for the core: the core itself, or at the county
    /// level its urban districts ([`Network::urban_districts`]) with the
    /// other units of their 2010 groups.
    pub core_units: Vec<CityIdx>,
    /// The core alone.
    pub core_pop: Pair,
    /// Non-core member units within the budget of this core, by index.
    pub ring: Vec<CityIdx>,
    /// Their population.
    pub ring_pop: Pair,
    /// Non-core members beyond the budget of this core.
    pub outside_pop: Pair,
    /// Units left out of this core's comparison because their 2010 group
    /// straddles the ring's edge or the core's (some units in, some out).
    pub split: Vec<CityIdx>,
    /// Ring growth compared with outside growth.
    pub effect: Effect,
}

/// Growth of one agglomeration.
#[derive(Debug, Clone, PartialEq)]
pub struct AgglomerationGrowth {
    /// All members with both figures (cores and rest; groups that straddle a
    /// core's edge are in neither).
    pub total: Pair,
    /// The cores together.
    pub cores: Pair,
    /// The other members together.
    pub rest: Pair,
    /// One entry per core, in the agglomeration's order.
    pub per_core: Vec<CoreGrowth>,
    /// Members (units alone, or 2010 groups) whose population fell, as
    /// (units, 2010, 2020), steepest fall first.
    pub shrinking: Vec<(Vec<CityIdx>, u64, u64)>,
    /// Member units without a usable 2010 figure, by index: none at all, or a
    /// 2010 group that is not wholly in the agglomeration.
    pub missing_2010: Vec<CityIdx>,
}

impl AgglomerationGrowth {
    /// The cores' share of the members' population in 2010 and 2020.
    pub fn core_share(&self) -> (Option<f64>, Option<f64>) {
        let s = |a: u64, b: u64| (b > 0).then(|| a as f64 / b as f64);
        (
            s(self.cores.pop_2010, self.total.pop_2010),
            s(self.cores.pop_2020, self.total.pop_2020),
        )
    }
}

/// A member with both figures: one unit, or a 2010 group of units (all
/// members of the agglomeration).
struct Entity {
    units: Vec<CityIdx>,
    pop: Pair,
}

/// The members of `ag` with both figures, and the member units without one.
/// Centres (no population of their own) are neither.
fn entities(net: &Network, ag: &Agglomeration) -> (Vec<Entity>, Vec<CityIdx>) {
    let mut members = ag.members.clone();
    members.sort_unstable();
    members.dedup();
    let mut out = Vec::new();
    let mut missing = Vec::new();
    let mut groups: BTreeMap<&str, Vec<CityIdx>> = BTreeMap::new();
    for &c in &members {
        let city = net.city(c);
        if !city.kind.is_unit() {
            continue;
        }
        match (city.pop_2010, &city.group_2010) {
            (Some(p10), _) => out.push(Entity {
                units: vec![c],
                pop: Pair {
                    pop_2010: p10,
                    pop_2020: city.pop_2020,
                },
            }),
            (None, Some(g)) => groups.entry(g.as_str()).or_default().push(c),
            (None, None) => missing.push(c),
        }
    }
    if !groups.is_empty() {
        // Every unit of each group, members or not.
        let mut all: BTreeMap<&str, usize> = BTreeMap::new();
        for c in net.cities() {
            if let Some(g) = c.group_2010.as_deref()
                && groups.contains_key(g)
            {
                *all.entry(g).or_default() += 1;
            }
        }
        for (g, units) in groups {
            if all.get(g) == Some(&units.len()) {
                let first = net.city(units[0]);
                out.push(Entity {
                    pop: Pair {
                        pop_2010: first.pop_2010_group.unwrap_or(0),
                        pop_2020: units.iter().map(|&u| net.city(u).pop_2020).sum(),
                    },
                    units,
                });
            } else {
                missing.extend(units);
            }
        }
    }
    out.sort_by(|a, b| a.units[0].cmp(&b.units[0]));
    missing.sort_unstable();
    (out, missing)
}

/// `units` and every unit that shares a 2010 group with one of them, sorted.
fn with_groups(net: &Network, units: &[CityIdx]) -> Vec<CityIdx> {
    let groups: Vec<&str> = units
        .iter()
        .filter_map(|&u| net.city(u).group_2010.as_deref())
        .collect();
    let mut out = units.to_vec();
    if !groups.is_empty() {
        out.extend(
            net.cities()
                .iter()
                .enumerate()
                .filter(|(_, c)| c.group_2010.as_deref().is_some_and(|g| groups.contains(&g)))
                .map(|(i, _)| i as CityIdx),
        );
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Growth of `ag`, with rings of `minutes` door to door from each core
/// (trips out of the core, on the engine's time model).
///
/// A core stands for itself at the prefecture level; at the county level (a
/// core that is a centre) it stands for its urban districts, and its ring is
/// searched from all of them at once, as `circles --origin districts` does.
/// Where a district's 2010 figure exists only for a group, the core takes in
/// the whole group ([`CoreGrowth::core_units`]), so that it is the same
/// territory in 2010 and 2020.
/// Units whose 2010 figure is known only for a group of units
/// ([`crate::City::group_2010`]) count as one member, with the group's figures,
/// where the whole group is in the agglomeration; a group counts in a core,
/// its ring or outside it only when all its units are there, and is left out of
/// that core's comparison otherwise ([`CoreGrowth::split`]).
///
/// # Complexity
/// One bounded search per core, plus O(n + m log m) for n nodes and m members.
pub fn growth(
    engine: &Engine,
    ws: &mut Workspace,
    ag: &Agglomeration,
    minutes: f64,
) -> Result<AgglomerationGrowth, GrowthError> {
    if !(minutes.is_finite() && minutes > 0.0) {
        return Err(GrowthError::Budget(minutes));
    }
    let net = engine.network();
    let (known, missing_2010) = entities(net, ag);
    let origins: Vec<Vec<CityIdx>> = ag
        .cores
        .iter()
        .map(|&c| origins_of(net, &[c], CircleOrigin::Districts))
        .collect();
    let core_units: Vec<Vec<CityIdx>> = origins.iter().map(|o| with_groups(net, o)).collect();
    let is_core = |u: CityIdx| core_units.iter().any(|cu| cu.contains(&u));
    let (mut total, mut cores, mut rest) = (Pair::default(), Pair::default(), Pair::default());
    for e in &known {
        let n = e.units.iter().filter(|&&u| is_core(u)).count();
        if n == e.units.len() {
            cores.add(e.pop.pop_2010, e.pop.pop_2020);
        } else if n == 0 {
            rest.add(e.pop.pop_2010, e.pop.pop_2020);
        } else {
            continue;
        }
        total.add(e.pop.pop_2010, e.pop.pop_2020);
    }
    let mut per_core = Vec::new();
    for (k, &core) in ag.cores.iter().enumerate() {
        let mine = &core_units[k];
        engine.search(ws, &origins[k], Direction::Out, minutes);
        let mut g = CoreGrowth {
            core,
            core_units: mine.clone(),
            core_pop: Pair::default(),
            ring: Vec::new(),
            ring_pop: Pair::default(),
            outside_pop: Pair::default(),
            split: Vec::new(),
            effect: Effect::Undetermined,
        };
        for e in &known {
            let n_mine = e.units.iter().filter(|u| mine.contains(u)).count();
            let n_core = e.units.iter().filter(|&&u| is_core(u)).count();
            let n_in = e
                .units
                .iter()
                .filter(|&&u| engine.time_to(ws, u) <= minutes)
                .count();
            let all = e.units.len();
            if n_mine == all {
                g.core_pop.add(e.pop.pop_2010, e.pop.pop_2020);
            } else if n_core == all {
                continue; // another core
            } else if n_core > 0 {
                g.split.extend(&e.units);
            } else if n_in == all {
                g.ring.extend(&e.units);
                g.ring_pop.add(e.pop.pop_2010, e.pop.pop_2020);
            } else if n_in == 0 {
                g.outside_pop.add(e.pop.pop_2010, e.pop.pop_2020);
            } else {
                g.split.extend(&e.units);
            }
        }
        g.ring.sort_unstable();
        g.split.sort_unstable();
        g.effect = match (g.ring_pop.rate(), g.outside_pop.rate()) {
            (Some(r), Some(o)) if r > o => Effect::Spread,
            (Some(r), Some(o)) if r < o => Effect::Backwash,
            _ => Effect::Undetermined,
        };
        per_core.push(g);
    }
    let mut shrinking: Vec<(Vec<CityIdx>, u64, u64)> = known
        .into_iter()
        .filter(|e| e.pop.pop_2020 < e.pop.pop_2010)
        .map(|e| (e.units, e.pop.pop_2010, e.pop.pop_2020))
        .collect();
    shrinking.sort_by(|a, b| {
        let ra = a.2 as f64 / a.1 as f64;
        let rb = b.2 as f64 / b.1 as f64;
        ra.total_cmp(&rb).then(a.0.cmp(&b.0))
    });
    Ok(AgglomerationGrowth {
        total,
        cores,
        rest,
        per_core,
        shrinking,
        missing_2010,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algorithms::TimeModel;

    /// A prefecture `p` with eight county units at the given road minutes
    /// from its centre; unit 1 is its only urban district.
    fn county_network() -> Network {
        let cities = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min,level\n\
            p,P,甲,P,,114.0,30.0,0,,,,,prefecture\n";
        // unit: (minutes from the centre, pop 2020, pop 2010, group, group 2010, kind)
        let units = [
            ("100001", 2.0, 1200, "", "c", 1500, "district"),
            ("100002", 10.0, 300, "", "a", 500, "county"),
            ("100003", 200.0, 300, "", "a", 500, "county"),
            ("100004", 20.0, 500, "400", "", 0, "county"),
            ("100005", 15.0, 200, "", "b", 300, "county"),
            ("100006", 25.0, 200, "", "b", 300, "county"),
            ("100007", 150.0, 900, "1000", "", 0, "county"),
            ("100008", 12.0, 700, "", "", 0, "county"),
            ("100009", 300.0, 100, "", "c", 1500, "county"),
        ];
        let mut counties = String::from(
            "id,kind,prefecture,pop_2020,pop_2010,group_2010,pop_2010_group,urban_share_2020,area_km2,lon,lat\n",
        );
        let mut links =
            String::from("from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n");
        for (i, (id, min, p20, p10, g, gp, kind)) in units.iter().enumerate() {
            let gp = if g.is_empty() {
                String::new()
            } else {
                gp.to_string()
            };
            // Points 0.01° apart along a parallel; road km stay plausible.
            let lon = 114.0 + 0.01 * (i as f64 + 1.0);
            counties.push_str(&format!(
                "{id},{kind},p,{p20},{p10},{g},{gp},0.95,0.1,{lon},30.0\n"
            ));
            links.push_str(&format!("p,{id},road,{min},{},,,,,\n", 1.0 + i as f64));
        }
        let aggs = "id,name,name_zh,kind,cores,members\nx,X,X,metro-area,p,p\n";
        let mut data = crate::io::read_csv_network(
            ("c.csv", cities),
            (
                "l.csv",
                "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n",
            ),
            Some(("a.csv", aggs)),
        );
        crate::io::read_csv_counties(
            &mut data,
            ("u.csv", &counties),
            Some(("ul.csv", &links)),
            None,
        );
        let (net, issues) = Network::from_data(data).unwrap();
        assert_eq!(issues.error_count(), 0, "{issues:?}");
        net
    }

    #[test]
    fn county_groups_count_only_where_all_their_units_are() {
        let net = county_network();
        let engine = Engine::new(&net, TimeModel::default(), None);
        let mut ws = engine.workspace();
        let ag = &net.agglomerations()[0];
        let g = growth(&engine, &mut ws, ag, 60.0).unwrap();
        let ids = |v: &[CityIdx]| {
            v.iter()
                .map(|&u| net.city(u).id.as_str())
                .collect::<Vec<_>>()
        };
        let cg = &g.per_core[0];
        // The core is its district with the rest of the district's group.
        assert_eq!(ids(&cg.core_units), ["100001", "100009"]);
        assert_eq!(
            cg.core_pop,
            Pair {
                pop_2010: 1500,
                pop_2020: 1300
            }
        );
        // Group b is within the hour as a whole; group a straddles its edge.
        assert_eq!(ids(&cg.ring), ["100004", "100005", "100006"]);
        assert_eq!(
            cg.ring_pop,
            Pair {
                pop_2010: 700,
                pop_2020: 900
            }
        );
        assert_eq!(ids(&cg.split), ["100002", "100003"]);
        assert_eq!(
            cg.outside_pop,
            Pair {
                pop_2010: 1000,
                pop_2020: 900
            }
        );
        assert_eq!(cg.effect, Effect::Spread);
        // The agglomeration's sums count every group once, with its own figure.
        assert_eq!(
            g.cores,
            Pair {
                pop_2010: 1500,
                pop_2020: 1300
            }
        );
        assert_eq!(
            g.rest,
            Pair {
                pop_2010: 2200,
                pop_2020: 2400
            }
        );
        assert_eq!(ids(&g.missing_2010), ["100008"]);
        let shrinking: Vec<Vec<&str>> = g.shrinking.iter().map(|s| ids(&s.0)).collect();
        assert_eq!(shrinking, [vec!["100001", "100009"], vec!["100007"]]);
    }

    #[test]
    fn a_group_with_two_figures_is_an_error_naming_the_line() {
        let cities = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
            p,P,甲,P,,114.0,30.0,0,,,,\n";
        let counties = "id,kind,prefecture,pop_2020,pop_2010,group_2010,pop_2010_group,lon,lat\n\
            100001,county,p,10,,g,50,114.01,30.0\n\
            100002,county,p,10,,g,60,114.02,30.0\n\
            100003,county,p,10,7,,,114.03,30.0\n";
        let links = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n";
        let mut data = crate::io::read_csv_network(("c.csv", cities), ("l.csv", links), None);
        crate::io::read_csv_counties(&mut data, ("u.csv", counties), None, None);
        let Err(crate::LoadError::Invalid { issues }) = Network::from_data(data) else {
            panic!("two figures for one group must be an error");
        };
        let bad: Vec<String> = issues
            .0
            .iter()
            .filter(|i| i.field.as_deref() == Some("pop_2010_group"))
            .map(|i| format!("{}: {}", i.loc, i.message))
            .collect();
        assert_eq!(bad.len(), 1, "{issues:?}");
        assert!(
            bad[0].starts_with("u.csv:3") && bad[0].contains("60"),
            "{}",
            bad[0]
        );
    }

    #[test]
    fn a_group_partly_outside_the_agglomeration_is_missing() {
        let net = county_network();
        // Unit 100003 leaves the agglomeration: group a is no longer whole.
        let i = net.city_by_id("100003").unwrap();
        let mut ag = net.agglomerations()[0].clone();
        ag.members.retain(|&m| m != i);
        let engine = Engine::new(&net, TimeModel::default(), None);
        let mut ws = engine.workspace();
        let g = growth(&engine, &mut ws, &ag, 60.0).unwrap();
        let ids: Vec<&str> = g
            .missing_2010
            .iter()
            .map(|&u| net.city(u).id.as_str())
            .collect();
        assert_eq!(ids, ["100002", "100008"]);
        assert!(g.per_core[0].split.is_empty());
    }

    #[test]
    fn rates() {
        let p = Pair {
            pop_2010: 100,
            pop_2020: 110,
        };
        assert!((p.rate().unwrap() - 0.1).abs() < 1e-12);
        assert_eq!(Pair::default().rate(), None);
    }
}
