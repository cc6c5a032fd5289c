//! Bounded door-to-door searches on a state-expanded graph.
//!
//! A search state is "at the head of this directed link, having arrived on
//! it" (forward), or "at the tail of this link, about to take it" (backward,
//! for trips towards a city), times the number of changes made when
//! `max_transfers` is set. Changes of line or mode therefore cost exactly what
//! the [`TimeModel`] says and Dijkstra stays exact. All arrays are compact
//! (`u32` indices) and the [`Workspace`] is reused between queries, so a warm
//! query allocates nothing.
//!
//! The queue is the indexed 4-ary heap of [`IndexedHeap`]: a state is queued
//! at most once and its key lowered in place, so the heap holds one entry per
//! labelled state instead of one per improvement. Whether going on from one
//! link to the next is a change is one comparison of precomputed vehicle keys
//! (all road links share one; a scheduled link's is its mode and line); only
//! a change pays the transfer, wait and access arithmetic.
//!
//! A road arrival at a city is dominated by the first one settled there:
//! going on by road costs nothing extra whichever road link was taken, and a
//! change to a scheduled service costs the same from any road link (no
//! transfer, wait or access on the road side). So the first settled road
//! arrival relaxes every link leaving the city, the second only the link the
//! first came in on (the one it could not turn back on), and later ones
//! nothing: the relaxations skipped could not lower any label. A road
//! arrival at a city with two settled is not even queued: its egress is
//! no earlier than theirs. (With a
//! limit on changes, arrivals in different layers are not comparable and
//! every one relaxes.)
//!
//! Labels, and so every time a search reports, do not depend on the order in
//! which states of equal label leave the queue: a state's label is the
//! smallest of its predecessors' final labels plus the step, summed in the
//! same order whatever the queue. Only the predecessor kept for a trip
//! ([`Engine::path`]) can differ between two equally fast trips.

use std::collections::HashMap;

use super::heap::IndexedHeap;
use super::marks::{Marks, REACHED, SETTLED};
use super::time_model::{TimeModel, same_vehicle_class};
use crate::model::{CityIdx, Mode};
use crate::network::{Csr, Network};

const NONE: u32 = u32::MAX;
/// The vehicle key of every road link (expressway or other road): going on
/// from one road link to another is never a change.
const ROAD_KEY: u64 = u64::MAX;

/// The vehicle key of a link: going on from link a to link b is a change
/// exactly when their keys differ (see [`same_vehicle_class`]).
fn vehicle_key(mode: Mode, line: u32) -> u64 {
    if mode.is_scheduled() {
        ((mode as u64) << 32) | u64::from(line)
    } else {
        ROAD_KEY
    }
}

/// Which way trips run relative to the given cities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the given cities outwards.
    Out,
    /// From every other city towards the given cities.
    In,
}

/// One step of a door-to-door trip.
#[derive(Debug, Clone, PartialEq)]
pub struct Leg {
    /// `access`, `wait`, `ride`, `transfer` or `egress`.
    pub kind: &'static str,
    /// City where the step starts.
    pub from: CityIdx,
    /// City where the step ends (equal to `from` except for rides).
    pub to: CityIdx,
    /// Mode concerned.
    pub mode: Mode,
    /// Line of a ride, if named.
    pub line: Option<String>,
    /// Minutes of this step.
    pub minutes: f64,
}

/// The result of a bounded search: every city reached within the budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Reach {
    /// Cities and door-to-door minutes, by time then city index; the
    /// searched cities themselves come first at 0.
    pub times: Vec<(CityIdx, f64)>,
}

#[derive(Clone)]
struct Dir {
    csr: Csr,
    /// For each arc, the city it leaves from (the CSR group it is in).
    tail: Vec<CityIdx>,
}

impl Dir {
    fn new(n: usize, links: &[crate::model::Link], reverse: bool) -> Dir {
        let csr = Csr::build(n, links, reverse);
        let mut tail = vec![0; csr.arc_count()];
        for v in 0..n as CityIdx {
            for i in csr.range(v) {
                tail[i] = v;
            }
        }
        Dir { csr, tail }
    }
}

/// A search engine for one network and one time model.
#[derive(Clone)]
pub struct Engine<'n> {
    net: &'n Network,
    model: TimeModel,
    fwd: Dir,
    bwd: Dir,
    minutes: Vec<f64>,
    wait: Vec<f64>,
    mode: Vec<Mode>,
    line: Vec<u32>,
    /// Vehicle key of each link ([`vehicle_key`]).
    key: Vec<u64>,
    /// access[city * 5 + mode]
    access: Vec<f64>,
    /// Copies of the state space: one per number of changes made so far
    /// (1 when changes are not limited).
    layers: usize,
    limit_changes: bool,
}

/// Reusable memory for searches with one [`Engine`].
#[derive(Debug, Clone)]
pub struct Workspace {
    label: Vec<f64>,
    pred: Vec<u32>,
    /// States reached (labelled) or settled by the current search.
    marks: Marks,
    heap: IndexedHeap,
    /// Buffer of [`Engine::reach_sorted`].
    sorted: Vec<(CityIdx, f64)>,
    city_time: Vec<f64>,
    city_state: Vec<u32>,
    /// Cities reached by the current search ([`REACHED`]).
    city_marks: Marks,
    city_touched: Vec<CityIdx>,
    /// Cities at the head of a settled state ([`REACHED`]).
    node_marks: Marks,
    /// Those cities with the first (smallest) label settled there.
    entered: Vec<(CityIdx, f64)>,
    /// Road arrivals settled at each city: [`REACHED`] one, [`SETTLED`] more.
    road_marks: Marks,
    /// The link of the first road arrival settled at each city.
    road_first: Vec<u32>,
    last_dir: Option<Direction>,
}

fn mode_ix(m: Mode) -> usize {
    m as usize
}

impl<'n> Engine<'n> {
    /// Prepares the compact graphs of `net` for `model`; links of modes the
    /// model does not allow are left out. `max_transfers` bounds the number
    /// of changes of line or mode (`None`: unbounded).
    pub fn new(net: &'n Network, model: TimeModel, max_transfers: Option<usize>) -> Engine<'n> {
        let links: Vec<crate::model::Link> = net
            .links()
            .iter()
            .map(|l| {
                let mut l = l.clone();
                if !model.allows(l.mode) {
                    // A disallowed link becomes a one-way self-loop that the
                    // search skips; indices stay aligned with the network's.
                    l.to = l.from;
                    l.oneway = true;
                }
                l
            })
            .collect();
        let n = net.cities().len();
        let mut line_ids: HashMap<&str, u32> = HashMap::new();
        let line: Vec<u32> = net
            .links()
            .iter()
            .map(|l| match &l.line {
                Some(s) => {
                    let next = line_ids.len() as u32;
                    *line_ids.entry(s.as_str()).or_insert(next)
                }
                None => NONE,
            })
            .collect();
        let key = links
            .iter()
            .zip(&line)
            .map(|(l, &id)| vehicle_key(l.mode, id))
            .collect();
        let mut access = vec![0.0; n * 5];
        for (i, c) in net.cities().iter().enumerate() {
            for m in Mode::ALL {
                access[i * 5 + mode_ix(m)] = model.access(c, m);
            }
        }
        Engine {
            fwd: Dir::new(n, &links, false),
            bwd: Dir::new(n, &links, true),
            minutes: links.iter().map(|l| l.minutes).collect(),
            wait: links.iter().map(|l| model.wait(l)).collect(),
            mode: links.iter().map(|l| l.mode).collect(),
            line,
            key,
            access,
            layers: max_transfers.map_or(1, |k| k + 1),
            limit_changes: max_transfers.is_some(),
            net,
            model,
        }
    }

    /// Sets the in-vehicle minutes of link `link`; `f64::INFINITY` switches
    /// the link off. Scenario sweeps use it to try candidate links one at a
    /// time on one engine instead of rebuilding the network.
    pub fn set_link_minutes(&mut self, link: usize, minutes: f64) {
        self.minutes[link] = minutes;
    }

    /// The time model in use.
    pub fn model(&self) -> &TimeModel {
        &self.model
    }

    /// The network searched.
    pub fn network(&self) -> &Network {
        self.net
    }

    fn access(&self, city: CityIdx, m: Mode) -> f64 {
        self.access[city as usize * 5 + mode_ix(m)]
    }

    /// The transfer minutes of a change from mode `a` to mode `b`: only
    /// between two scheduled services; between a road and a scheduled
    /// service the access and egress minutes already stand for the change.
    #[inline]
    fn transfer(&self, a: Mode, b: Mode) -> f64 {
        if a.is_scheduled() && b.is_scheduled() {
            self.model.transfer_min
        } else {
            0.0
        }
    }

    /// Cost of going on from link `a` to link `b` at `city`, and whether it is a change.
    #[inline]
    fn change(&self, city: CityIdx, a: usize, b: usize) -> (f64, bool) {
        let (ma, mb) = (self.mode[a], self.mode[b]);
        if same_vehicle_class(ma, mb) && (!ma.is_scheduled() || self.line[a] == self.line[b]) {
            return (0.0, false);
        }
        (self.change_cost(city, a, b), true)
    }

    /// Cost of a change from link `a` to link `b` at `city` (their vehicle
    /// keys differ): transfer, wait for `b`, and egress and access when the
    /// mode changes. The same sums, in the same order, as [`Engine::change`].
    #[inline]
    fn change_cost(&self, city: CityIdx, a: usize, b: usize) -> f64 {
        let (ma, mb) = (self.mode[a], self.mode[b]);
        let mut c = self.transfer(ma, mb) + self.wait[b];
        if ma != mb {
            c += self.access(city, ma) + self.access(city, mb);
        }
        c
    }

    /// Number of directed link traversals (search states without layers).
    pub(crate) fn arc_count(&self) -> usize {
        self.fwd.csr.arc_count()
    }

    /// Forward arcs leaving `city`, as positions of [`Csr::arcs`].
    pub(crate) fn out_range(&self, city: CityIdx) -> std::ops::Range<usize> {
        self.fwd.csr.range(city)
    }

    /// Head city and link index of forward arc `a` (`None` for a disallowed link).
    pub(crate) fn arc(&self, a: usize) -> Option<(CityIdx, usize)> {
        let arc = self.fwd.csr.arcs()[a];
        (arc.to != self.fwd.tail[a]).then_some((arc.to, arc.link as usize))
    }

    /// Cost of the first arc of a trip from `origin` on `link`: access, wait, ride.
    pub(crate) fn start_cost(&self, origin: CityIdx, link: usize) -> f64 {
        self.access(origin, self.mode[link]) + self.wait[link] + self.minutes[link]
    }

    /// Cost of going on from `a` to `b` at `city`, ride on `b` included.
    pub(crate) fn step_cost(&self, city: CityIdx, a: usize, b: usize) -> f64 {
        self.change(city, a, b).0 + self.minutes[b]
    }

    /// Egress at `city` after arriving on `link`.
    pub(crate) fn end_cost(&self, city: CityIdx, link: usize) -> f64 {
        self.access(city, self.mode[link])
    }

    /// A workspace sized for this engine.
    pub fn workspace(&self) -> Workspace {
        let states = self.fwd.csr.arc_count() * self.layers;
        let n = self.net.cities().len();
        Workspace {
            label: vec![f64::INFINITY; states],
            pred: vec![NONE; states],
            marks: Marks::new(states),
            heap: IndexedHeap::new(states),
            sorted: Vec::new(),
            city_time: vec![f64::INFINITY; n],
            city_state: vec![NONE; n],
            city_marks: Marks::new(n),
            city_touched: Vec::new(),
            node_marks: Marks::new(n),
            entered: Vec::new(),
            road_marks: Marks::new(n),
            road_first: vec![NONE; n],
            last_dir: None,
        }
    }

    fn reset(&self, ws: &mut Workspace) {
        if ws.label.len() != self.fwd.csr.arc_count() * self.layers
            || ws.city_time.len() != self.net.cities().len()
        {
            *ws = self.workspace();
        }
        ws.marks.clear();
        ws.city_marks.clear();
        ws.city_touched.clear();
        ws.node_marks.clear();
        ws.entered.clear();
        ws.road_marks.clear();
        ws.heap.clear();
    }

    fn relax(ws: &mut Workspace, s: u32, d: f64, pred: u32) {
        let i = s as usize;
        let better = match ws.marks.get(s) {
            0 => true,
            REACHED => d < ws.label[i],
            _ => false,
        };
        if better {
            ws.marks.set(s, REACHED);
            ws.label[i] = d;
            ws.pred[i] = pred;
            ws.heap.push_or_decrease(s, d);
        }
    }

    fn settle_city(ws: &mut Workspace, c: CityIdx, t: f64, state: u32) {
        let i = c as usize;
        if ws.city_marks.get(c) == 0 {
            ws.city_marks.set(c, REACHED);
            ws.city_touched.push(c);
        } else if t >= ws.city_time[i] {
            return;
        }
        ws.city_time[i] = t;
        ws.city_state[i] = state;
    }

    /// Runs one bounded search from (or, with [`Direction::In`], towards)
    /// all of `cities` at once, visiting only states within `budget` minutes.
    ///
    /// # Complexity
    /// O(s log s + a) for the s states and a arcs within the budget (a
    /// decrease-key costs O(log s), a pop O(log s) with a 4-ary heap).
    pub fn search(&self, ws: &mut Workspace, cities: &[CityIdx], dir: Direction, budget: f64) {
        self.reset(ws);
        ws.last_dir = Some(dir);
        let arcs = self.fwd.csr.arc_count() as u32;
        let g = match dir {
            Direction::Out => &self.fwd,
            Direction::In => &self.bwd,
        };
        for &o in cities {
            Self::settle_city(ws, o, 0.0, NONE);
            for a in g.csr.range(o) {
                let arc = g.csr.arcs()[a];
                let l = arc.link as usize;
                if arc.to == o {
                    continue;
                }
                let d = match dir {
                    Direction::Out => self.access(o, self.mode[l]) + self.wait[l] + self.minutes[l],
                    Direction::In => self.access(o, self.mode[l]) + self.minutes[l],
                };
                if d <= budget {
                    Self::relax(ws, a as u32, d, NONE);
                }
            }
        }
        // Every queued state has a label within the budget (relaxations
        // beyond it are not made), and a settled state is never queued again.
        while let Some((s, d)) = ws.heap.pop() {
            debug_assert!(d <= budget && ws.marks.get(s) == REACHED);
            ws.marks.set(s, SETTLED);
            let layer = s / arcs;
            let a = (s % arcs) as usize;
            let arc = g.csr.arcs()[a];
            let (v, la) = (arc.to, arc.link as usize);
            if ws.node_marks.get(v) == 0 {
                ws.node_marks.set(v, REACHED);
                ws.entered.push((v, d));
            }
            let finish = match dir {
                Direction::Out => d + self.access(v, self.mode[la]),
                Direction::In => d + self.access(v, self.mode[la]) + self.wait[la],
            };
            if finish <= budget {
                Self::settle_city(ws, v, finish, s);
            }
            let ka = self.key[la];
            // Relax only the arcs of this link (NONE: all).
            let mut only = NONE;
            if ka == ROAD_KEY && !self.limit_changes {
                match ws.road_marks.get(v) {
                    0 => {
                        ws.road_marks.set(v, REACHED);
                        ws.road_first[v as usize] = la as u32;
                    }
                    REACHED => {
                        ws.road_marks.set(v, SETTLED);
                        only = ws.road_first[v as usize];
                    }
                    _ => continue,
                }
            }
            for b in g.csr.range(v) {
                let next = g.csr.arcs()[b];
                let lb = next.link as usize;
                if lb == la || next.to == v || (only != NONE && lb as u32 != only) {
                    continue;
                }
                let is_change = self.key[lb] != ka;
                let c = if !is_change {
                    0.0
                } else {
                    match dir {
                        Direction::Out => self.change_cost(v, la, lb),
                        Direction::In => self.change_cost(v, lb, la),
                    }
                };
                let nl = layer + u32::from(is_change && self.limit_changes);
                if nl as usize >= self.layers {
                    continue;
                }
                // A road arrival at a city that already has two settled
                // would relax nothing and give the city no earlier time.
                if self.key[lb] == ROAD_KEY
                    && !self.limit_changes
                    && ws.road_marks.get(next.to) == SETTLED
                {
                    continue;
                }
                let nd = d + c + self.minutes[lb];
                if nd <= budget {
                    Self::relax(ws, nl * arcs + b as u32, nd, s);
                }
            }
        }
    }

    /// Cities reached by the last search, by time then index.
    pub fn reach(&self, ws: &Workspace) -> Reach {
        let mut times: Vec<(CityIdx, f64)> = ws
            .city_touched
            .iter()
            .map(|&c| (c, ws.city_time[c as usize]))
            .collect();
        times.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Reach { times }
    }

    /// Cities reached by the last search, by time then index, as
    /// [`Engine::reach`] gives them but in a buffer of the workspace, so a
    /// warm call allocates nothing.
    pub fn reach_sorted<'w>(&self, ws: &'w mut Workspace) -> &'w [(CityIdx, f64)] {
        let Workspace {
            sorted,
            city_touched,
            city_time,
            ..
        } = ws;
        sorted.clear();
        sorted.extend(city_touched.iter().map(|&c| (c, city_time[c as usize])));
        sorted.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        sorted
    }

    /// The cities the last search arrived at on some link within its
    /// budget, each with the smallest label it settled there (minutes before
    /// egress), in the order first reached. A search that does not enter a
    /// city never relaxes a link leaving it (nor, with [`Direction::In`],
    /// one arriving at it), so a link change at cities none of which is
    /// entered nor searched from cannot change that search: scenarios and
    /// sweeps use this to skip sources exactly.
    pub fn entered<'w>(&self, ws: &'w Workspace) -> &'w [(CityIdx, f64)] {
        &ws.entered
    }

    /// Door-to-door minutes to `city` in the last search (infinite if not reached).
    pub fn time_to(&self, ws: &Workspace, city: CityIdx) -> f64 {
        if ws.city_marks.get(city) == REACHED {
            ws.city_time[city as usize]
        } else {
            f64::INFINITY
        }
    }

    /// The links of the best trip to (or from) `city` in the last search, in
    /// travel order, as (link index, from city, to city).
    pub fn path(&self, ws: &Workspace, city: CityIdx) -> Vec<(usize, CityIdx, CityIdx)> {
        let dir = ws.last_dir.unwrap_or(Direction::Out);
        let arcs = self.fwd.csr.arc_count() as u32;
        let g = match dir {
            Direction::Out => &self.fwd,
            Direction::In => &self.bwd,
        };
        let mut out = Vec::new();
        let mut s = if ws.city_marks.get(city) == REACHED {
            ws.city_state[city as usize]
        } else {
            NONE
        };
        while s != NONE {
            let a = (s % arcs) as usize;
            let arc = g.csr.arcs()[a];
            let (tail, head) = (g.tail[a], arc.to);
            out.push(match dir {
                Direction::Out => (arc.link as usize, tail, head),
                Direction::In => (arc.link as usize, head, tail),
            });
            s = ws.pred[s as usize];
        }
        if dir == Direction::Out {
            out.reverse();
        }
        out
    }

    /// The steps (access, waits, rides, transfers, egress) of the best trip
    /// to or from `city` in the last search; their minutes add up to the
    /// trip's time.
    pub fn legs(&self, ws: &Workspace, city: CityIdx) -> Vec<Leg> {
        let path = self.path(ws, city);
        let mut legs = Vec::new();
        let links = self.net.links();
        let mut push = |kind, from, to, mode, line: Option<String>, minutes: f64| {
            if minutes > 0.0 || kind == "ride" {
                legs.push(Leg {
                    kind,
                    from,
                    to,
                    mode,
                    line,
                    minutes,
                });
            }
        };
        for (k, &(l, from, to)) in path.iter().enumerate() {
            let m = self.mode[l];
            if k == 0 {
                push("access", from, from, m, None, self.access(from, m));
                push("wait", from, from, m, None, self.wait[l]);
            } else {
                let prev = path[k - 1].0;
                let (c, is_change) = self.change(from, prev, l);
                if is_change {
                    let pm = self.mode[prev];
                    if pm != m {
                        push("egress", from, from, pm, None, self.access(from, pm));
                    }
                    let t = self.transfer(pm, m);
                    if t > 0.0 {
                        push("transfer", from, from, m, None, t);
                    }
                    if pm != m {
                        push("access", from, from, m, None, self.access(from, m));
                    }
                    push("wait", from, from, m, None, self.wait[l]);
                    debug_assert!(c >= 0.0);
                }
            }
            push("ride", from, to, m, links[l].line.clone(), self.minutes[l]);
            if k + 1 == path.len() {
                push("egress", to, to, m, None, self.access(to, m));
            }
        }
        // Merge consecutive rides on the same line into one leg.
        let mut merged: Vec<Leg> = Vec::with_capacity(legs.len());
        for leg in legs {
            if let Some(last) = merged.last_mut()
                && last.kind == "ride"
                && leg.kind == "ride"
                && last.mode == leg.mode
                && last.line == leg.line
                && last.to == leg.from
            {
                last.to = leg.to;
                last.minutes += leg.minutes;
                continue;
            }
            merged.push(leg);
        }
        merged
    }
}
