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

use super::search::{Direction, Engine, Workspace};
use crate::model::{Agglomeration, CityIdx};

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
    /// The core alone.
    pub core_pop: Pair,
    /// Non-core members within the budget of this core, by city index.
    pub ring: Vec<CityIdx>,
    /// Their population.
    pub ring_pop: Pair,
    /// Non-core members beyond the budget of this core.
    pub outside_pop: Pair,
    /// Ring growth compared with outside growth.
    pub effect: Effect,
}

/// Growth of one agglomeration.
#[derive(Debug, Clone, PartialEq)]
pub struct AgglomerationGrowth {
    /// All members with both figures.
    pub total: Pair,
    /// The cores together.
    pub cores: Pair,
    /// The other members together.
    pub rest: Pair,
    /// One entry per core, in the agglomeration's order.
    pub per_core: Vec<CoreGrowth>,
    /// Members whose population fell, as (city, 2010, 2020), steepest fall first.
    pub shrinking: Vec<(CityIdx, u64, u64)>,
    /// Members without a 2010 figure, by city index.
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

/// Growth of `ag`, with rings of `minutes` door to door from each core
/// (trips out of the core, on the engine's time model).
///
/// # Complexity
/// One bounded search per core, plus O(m log m) for m members.
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
    let mut members = ag.members.clone();
    members.sort_unstable();
    members.dedup();
    let mut missing_2010 = Vec::new();
    let mut known: Vec<(CityIdx, u64, u64)> = Vec::new();
    for &c in &members {
        let city = net.city(c);
        match city.pop_2010 {
            Some(p10) => known.push((c, p10, city.pop_2020)),
            None => missing_2010.push(c),
        }
    }
    let (mut total, mut cores, mut rest) = (Pair::default(), Pair::default(), Pair::default());
    for &(c, p10, p20) in &known {
        total.add(p10, p20);
        if ag.cores.contains(&c) {
            cores.add(p10, p20);
        } else {
            rest.add(p10, p20);
        }
    }
    let mut per_core = Vec::new();
    for &core in &ag.cores {
        engine.search(ws, &[core], Direction::Out, minutes);
        let mut g = CoreGrowth {
            core,
            core_pop: Pair::default(),
            ring: Vec::new(),
            ring_pop: Pair::default(),
            outside_pop: Pair::default(),
            effect: Effect::Undetermined,
        };
        for &(c, p10, p20) in &known {
            if c == core {
                g.core_pop.add(p10, p20);
            } else if ag.cores.contains(&c) {
                continue;
            } else if engine.time_to(ws, c) <= minutes {
                g.ring.push(c);
                g.ring_pop.add(p10, p20);
            } else {
                g.outside_pop.add(p10, p20);
            }
        }
        g.effect = match (g.ring_pop.rate(), g.outside_pop.rate()) {
            (Some(r), Some(o)) if r > o => Effect::Spread,
            (Some(r), Some(o)) if r < o => Effect::Backwash,
            _ => Effect::Undetermined,
        };
        per_core.push(g);
    }
    let mut shrinking: Vec<(CityIdx, u64, u64)> = known.into_iter().filter(|k| k.2 < k.1).collect();
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
