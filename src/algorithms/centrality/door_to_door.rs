//! Betweenness on door-to-door paths: Brandes' algorithm on the search
//! engine's state-expanded graph (a state is "arrived at a city on this
//! directed link"), so access, waits and transfers shape the shortest paths.
//!
//! A trip from s to t ends at t's centre: its time is the best state at t plus
//! the egress. A state's dependency counts the trips it lies on; the trips
//! that *end* at its city are taken out, so a city is credited only for trips
//! passing through it (endpoints excluded, as in the city-graph measure).
//! Trips are directional (waits fall at the boarding end), so ordered pairs
//! are counted and nothing is halved.

use super::brandes::TIE_TOLERANCE;
use crate::algorithms::Engine;
use crate::model::CityIdx;

#[inline]
fn tie(a: f64, b: f64) -> bool {
    a == b
        || (a.is_finite() && b.is_finite() && (a - b).abs() <= TIE_TOLERANCE * a.abs().max(b.abs()))
}

/// Raw and population-weighted (un-normalised) door-to-door betweenness
/// per city, one row per cutoff. Only trips between cities with
/// `is_member[c]` count; paths may run through any city.
pub fn door_to_door_betweenness(
    engine: &Engine,
    is_member: &[bool],
    population: &[f64],
    cutoffs: &[f64],
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let net = engine.network();
    let n = net.cities().len();
    let a_count = engine.arc_count();
    let k = cutoffs.len();
    let max_cut = cutoffs.iter().copied().fold(0.0, f64::max);
    let mut bc = vec![vec![0.0; n]; k];
    let mut pbc = vec![vec![0.0; n]; k];
    let mut dist = vec![f64::INFINITY; a_count];
    let mut sigma = vec![0.0; a_count];
    let mut delta = vec![0.0; a_count];
    let mut pdelta = vec![0.0; a_count];
    let mut settled = vec![false; a_count];
    let mut order: Vec<usize> = Vec::new();
    let mut target_time = vec![f64::INFINITY; n];
    let mut target_sigma = vec![0.0; n];
    let mut heap = std::collections::BinaryHeap::new();
    for s in (0..n as CityIdx).filter(|&c| is_member[c as usize]) {
        order.clear();
        for a in engine.out_range(s) {
            if let Some((_, l)) = engine.arc(a) {
                let d = engine.start_cost(s, l);
                if d <= max_cut * (1.0 + TIE_TOLERANCE) && d < dist[a] {
                    dist[a] = d;
                    heap.push(std::cmp::Reverse((d.to_bits(), a as u32)));
                }
            }
        }
        while let Some(std::cmp::Reverse((bits, a))) = heap.pop() {
            let (a, d) = (a as usize, f64::from_bits(bits));
            if settled[a] || d > dist[a] {
                continue;
            }
            settled[a] = true;
            order.push(a);
            let (v, la) = engine.arc(a).expect("only allowed arcs are queued");
            for b in engine.out_range(v) {
                let Some((_, lb)) = engine.arc(b) else {
                    continue;
                };
                if lb == la {
                    continue;
                }
                let nd = d + engine.step_cost(v, la, lb);
                if nd <= max_cut * (1.0 + TIE_TOLERANCE) && nd < dist[b] && !tie(nd, dist[b]) {
                    dist[b] = nd;
                    heap.push(std::cmp::Reverse((nd.to_bits(), b as u32)));
                }
            }
        }
        // Path counts, pushed forward in settled order.
        for a in engine.out_range(s) {
            if let Some((_, l)) = engine.arc(a)
                && settled[a]
                && tie(engine.start_cost(s, l), dist[a])
            {
                sigma[a] = 1.0;
            }
        }
        for &a in &order {
            let (v, la) = engine.arc(a).expect("allowed");
            for b in engine.out_range(v) {
                let Some((_, lb)) = engine.arc(b) else {
                    continue;
                };
                if lb != la && settled[b] && tie(dist[a] + engine.step_cost(v, la, lb), dist[b]) {
                    sigma[b] += sigma[a];
                }
            }
        }
        // Trip times and path counts to each city's centre.
        for &a in &order {
            let (v, la) = engine.arc(a).expect("allowed");
            let t = dist[a] + engine.end_cost(v, la);
            if t < target_time[v as usize] && !tie(t, target_time[v as usize]) {
                target_time[v as usize] = t;
            }
        }
        for &a in &order {
            let (v, la) = engine.arc(a).expect("allowed");
            if tie(dist[a] + engine.end_cost(v, la), target_time[v as usize]) {
                target_sigma[v as usize] += sigma[a];
            }
        }
        for (kk, &cut) in cutoffs.iter().enumerate() {
            let within = |t: f64| t <= cut || tie(t, cut);
            for &a in &order {
                delta[a] = 0.0;
                pdelta[a] = 0.0;
            }
            for &a in order.iter().rev() {
                let (v, la) = engine.arc(a).expect("allowed");
                let vi = v as usize;
                let (term, pterm) = if v != s
                    && is_member[vi]
                    && within(target_time[vi])
                    && tie(dist[a] + engine.end_cost(v, la), target_time[vi])
                {
                    let share = sigma[a] / target_sigma[vi];
                    (share, share * population[s as usize] * population[vi])
                } else {
                    (0.0, 0.0)
                };
                let (mut dsum, mut psum) = (0.0, 0.0);
                for b in engine.out_range(v) {
                    let Some((_, lb)) = engine.arc(b) else {
                        continue;
                    };
                    if lb != la
                        && settled[b]
                        && sigma[b] > 0.0
                        && tie(dist[a] + engine.step_cost(v, la, lb), dist[b])
                    {
                        dsum += sigma[a] / sigma[b] * delta[b];
                        psum += sigma[a] / sigma[b] * pdelta[b];
                    }
                }
                delta[a] = term + dsum;
                pdelta[a] = pterm + psum;
                if v != s {
                    bc[kk][vi] += dsum;
                    pbc[kk][vi] += psum;
                }
            }
        }
        for &a in &order {
            dist[a] = f64::INFINITY;
            sigma[a] = 0.0;
            settled[a] = false;
            let (v, _) = engine.arc(a).expect("allowed");
            target_time[v as usize] = f64::INFINITY;
            target_sigma[v as usize] = 0.0;
        }
        heap.clear();
    }
    (bc, pbc)
}
