//! Sweeps: every candidate new link evaluated as its own scenario and ranked.
//!
//! All candidates are added to one copy of the network, switched off
//! (infinite minutes), and switched on one at a time on a per-thread clone of
//! the search engine. A candidate between cities a and b can only change the
//! results of a source s if a path using it arrives within the horizon
//! `H = max(budget, ACCESS_HORIZON)`: such a path starts at a (or b), or
//! first arrives there on old links, at a label no lower than the smallest
//! label the baseline search from s settled there
//! ([`Engine::entered`]), and then pays at least the candidate's wait and
//! minutes. So s is searched again only if it is an end of the candidate, or
//! its baseline search entered an end at a label L with L + wait + minutes
//! within H; the others would find the same times and keep their baseline
//! figures, bit for bit.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::evaluate::{ACCESS_HORIZON, core_cities, source_measures};
use crate::algorithms::gini;
use crate::io::LinkRecord;
use crate::model::{CityIdx, Mode};
use crate::network::{Network, haversine_km};
use crate::shard::Shard;
use crate::{Engine, TimeModel};

/// What a sweep ranks candidates by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Population gained within the budget, summed over the core cities' circles.
    Population,
    /// Hansen accessibility gained, summed over all cities.
    Accessibility,
    /// Fall of the mean (over agglomerations) Gini coefficient of accessibility.
    Gini,
}

impl std::str::FromStr for Objective {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "population" => Ok(Objective::Population),
            "accessibility" => Ok(Objective::Accessibility),
            "gini" => Ok(Objective::Gini),
            o => Err(format!(
                "unknown objective `{o}` (expected population, accessibility or gini)"
            )),
        }
    }
}

/// A candidate new link.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// One end's city id.
    pub from: String,
    /// The other end's city id.
    pub to: String,
    /// In-vehicle minutes.
    pub minutes: f64,
    /// Route length, km.
    pub km: f64,
}

/// Options of [`sweep`].
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOptions {
    /// Mode of the candidate links.
    pub mode: Mode,
    /// Services per day of a candidate (sets its wait).
    pub services_per_day: f64,
    /// Commuting budget, minutes.
    pub minutes: f64,
    /// Door-to-door time model.
    pub model: TimeModel,
    /// Ranking objective.
    pub objective: Objective,
}

/// One evaluated candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    /// 0-based position of the candidate in the list given to the sweep.
    pub index: usize,
    /// The candidate.
    pub candidate: Candidate,
    /// Population gained within the budget, summed over core circles.
    pub pop_gain: f64,
    /// Hansen accessibility gained, summed over all cities.
    pub access_gain: f64,
    /// Change of the mean Gini coefficient of accessibility (negative: more equal).
    pub gini_change: f64,
    /// Sources searched again (the others cannot change).
    pub recomputed: usize,
}

impl SweepResult {
    /// The score under `o` (higher is better).
    pub fn score(&self, o: Objective) -> f64 {
        match o {
            Objective::Population => self.pop_gain,
            Objective::Accessibility => self.access_gain,
            Objective::Gini => -self.gini_change,
        }
    }
}

/// Failure of a sweep.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A candidate names a city the network does not have.
    #[error("candidate {index}: unknown city `{id}`")]
    UnknownCity {
        /// 1-based candidate position.
        index: usize,
        /// The id.
        id: String,
    },
    /// A candidate's minutes or km are not positive finite numbers, or it
    /// joins a city to itself.
    #[error("candidate {index} ({from}-{to}): {message}")]
    BadCandidate {
        /// 1-based candidate position.
        index: usize,
        /// One end.
        from: String,
        /// Other end.
        to: String,
        /// What is wrong.
        message: String,
    },
    /// The candidates file cannot be read or parsed.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong, with the line.
        message: String,
    },
    /// The network with the candidates failed to build.
    #[error("cannot add the candidates: {0}")]
    Build(String),
}

/// What the baseline search from one source gives the sweep.
struct SourceBase {
    /// Population within the budget.
    within: f64,
    /// Hansen accessibility.
    access: f64,
    /// Cities entered and the smallest label there ([`Engine::entered`]).
    entered: Vec<(CityIdx, f32)>,
}

/// Pairs of cities at most `within_km` apart (great circle) with no link of
/// `mode` between them; km = great-circle km × `detour`, minutes = km /
/// `speed_kmh`. Sorted by (from id, to id), from < to. Two cities at the
/// same point get no candidate (it would have no length), so every
/// candidate returned passes [`sweep`]'s checks.
pub fn candidates_within(
    net: &Network,
    mode: Mode,
    within_km: f64,
    speed_kmh: f64,
    detour: f64,
) -> Vec<Candidate> {
    let n = net.cities().len();
    let mut linked = std::collections::BTreeSet::new();
    for l in net.links().iter().filter(|l| l.mode == mode) {
        linked.insert((l.from.min(l.to), l.from.max(l.to)));
    }
    let mut out = Vec::new();
    for i in 0..n as CityIdx {
        for j in i + 1..n as CityIdx {
            let (a, b) = (net.city(i), net.city(j));
            let d = haversine_km(a.lon, a.lat, b.lon, b.lat);
            // Cities at one point get no candidate: a link between them
            // would have no length and no time.
            if d > within_km || d <= 0.0 || linked.contains(&(i, j)) {
                continue;
            }
            let km = d * detour;
            let (from, to) = if a.id < b.id { (a, b) } else { (b, a) };
            out.push(Candidate {
                from: from.id.clone(),
                to: to.id.clone(),
                minutes: km / speed_kmh * 60.0,
                km,
            });
        }
    }
    out.sort_by(|x, y| (&x.from, &x.to).cmp(&(&y.from, &y.to)));
    out
}

/// Reads candidates from CSV with columns `from,to,minutes` and optionally
/// `km` (great-circle km when absent).
pub fn read_candidates(net: &Network, path: &Path) -> Result<Vec<Candidate>, SweepError> {
    let err = |message: String| SweepError::File {
        path: path.to_owned(),
        message,
    };
    // Through the capped input: a stream such as /dev/zero ends in an error.
    let input = crate::io::open_input(path).map_err(|e| err(e.to_string()))?;
    let mut r = csv::Reader::from_reader(input);
    let head = r.headers().map_err(|e| err(e.to_string()))?.clone();
    let col = |name: &str| head.iter().position(|h| h.trim() == name);
    let (Some(f), Some(t), Some(m)) = (col("from"), col("to"), col("minutes")) else {
        return Err(err("needs the columns from, to, minutes".into()));
    };
    let k = col("km");
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| err(e.to_string()))?;
        let line = i + 2;
        let get = |c: usize| rec.get(c).unwrap_or("").trim().to_owned();
        let num = |c: usize, name: &str| {
            get(c).parse::<f64>().map_err(|_| {
                err(format!(
                    "line {line}: field `{name}`: not a number: `{}`",
                    get(c)
                ))
            })
        };
        let (from, to) = (get(f), get(t));
        let km = match k {
            Some(k) if !get(k).is_empty() => num(k, "km")?,
            _ => match (net.city_by_id(&from), net.city_by_id(&to)) {
                (Some(a), Some(b)) => {
                    let (a, b) = (net.city(a), net.city(b));
                    haversine_km(a.lon, a.lat, b.lon, b.lat)
                }
                _ => 0.0,
            },
        };
        out.push(Candidate {
            minutes: num(m, "minutes")?,
            from,
            to,
            km,
        });
    }
    Ok(out)
}

/// Evaluates every candidate as its own scenario (in parallel) and ranks
/// them by `opt.objective`, best first; ties by (from, to), then by position
/// in `candidates`.
///
/// # Complexity
/// One network build and one baseline search per city, then per candidate
/// one search per source that can reach its ends within the horizon.
pub fn sweep(
    net: &Network,
    candidates: &[Candidate],
    opt: &SweepOptions,
) -> Result<Vec<SweepResult>, SweepError> {
    sweep_shard(net, candidates, opt, Shard::WHOLE)
}

/// [`sweep`] of the candidates of one shard: every candidate is checked, and
/// those at the shard's positions ([`Shard::contains`]) are evaluated and
/// ranked. A candidate's figures do not depend on the other candidates, so
/// the shards' results, ranked together with [`rank`], are the whole sweep's.
///
/// # Complexity
/// As [`sweep`], with the per-candidate work divided by the shard count
/// (the baseline searches are repeated in every shard).
pub fn sweep_shard(
    net: &Network,
    all_candidates: &[Candidate],
    opt: &SweepOptions,
    shard: Shard,
) -> Result<Vec<SweepResult>, SweepError> {
    let mut data = net.to_data();
    let base_links = data.links.len();
    let mut ends = Vec::with_capacity(all_candidates.len());
    let mut positions = Vec::new();
    for (i, c) in all_candidates.iter().enumerate() {
        let bad = |message: &str| SweepError::BadCandidate {
            index: i + 1,
            from: c.from.clone(),
            to: c.to.clone(),
            message: message.to_owned(),
        };
        let id = |s: &String| {
            net.city_by_id(s).ok_or_else(|| SweepError::UnknownCity {
                index: i + 1,
                id: s.clone(),
            })
        };
        let (a, b) = (id(&c.from)?, id(&c.to)?);
        if a == b {
            return Err(bad("joins a city to itself"));
        }
        if !(c.minutes.is_finite() && c.minutes > 0.0 && c.km.is_finite() && c.km > 0.0) {
            return Err(bad("minutes and km must be positive finite numbers"));
        }
        if !shard.contains(i) {
            continue;
        }
        ends.push((a, b));
        positions.push(i);
        data.links.push(LinkRecord {
            from: c.from.clone(),
            to: c.to.clone(),
            mode: opt.mode,
            minutes: c.minutes,
            km: c.km,
            services_per_day: opt.mode.is_scheduled().then_some(opt.services_per_day),
            line: Some(format!("candidate {}", i + 1)),
            opened: None,
            oneway: false,
            source: None,
            geometry: None,
            loc: crate::error::Loc::file(&"<sweep>".into()),
        });
    }
    let candidates: Vec<&Candidate> = positions.iter().map(|&i| &all_candidates[i]).collect();
    let (all, _) = Network::from_data(data).map_err(|e| SweepError::Build(e.to_string()))?;
    if all.links().len() != base_links + candidates.len() {
        return Err(SweepError::Build(
            "link count changed while building".into(),
        ));
    }
    let mut engine = Engine::new(&all, opt.model.clone(), None);
    for i in 0..candidates.len() {
        engine.set_link_minutes(base_links + i, f64::INFINITY);
    }
    let n = net.cities().len();
    let pop: Vec<f64> = all.cities().iter().map(|c| c.pop_2020 as f64).collect();
    let horizon = opt.minutes.max(ACCESS_HORIZON);
    // Baseline: measures of every source, and the cities its search entered
    // with the smallest label there.
    let base: Vec<SourceBase> = (0..n as CityIdx)
        .into_par_iter()
        .map_init(
            || engine.workspace(),
            |ws, s| {
                let (w, a) = source_measures(&engine, ws, s, opt.minutes, &pop);
                let seen = engine
                    .entered(ws)
                    .iter()
                    .map(|&(c, l)| (c, l as f32))
                    .collect();
                SourceBase {
                    within: w,
                    access: a,
                    entered: seen,
                }
            },
        )
        .collect();
    // For each city, the sources whose baseline search entered it (ascending)
    // and the label there.
    let mut entered_by: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
    for (s, b) in base.iter().enumerate() {
        for &(c, l) in &b.entered {
            entered_by[c as usize].push((s as u32, l));
        }
    }
    // The labels were stored as f32: allow for their rounding (under 1e-3
    // minutes for any label up to the largest budget).
    const ROUNDING: f64 = 1e-3;
    let cores = core_cities(&all);
    let mut is_core = vec![false; n];
    for &c in &cores {
        is_core[c as usize] = true;
    }
    let aggs: Vec<Vec<CityIdx>> = all
        .agglomerations()
        .iter()
        .map(|a| a.members.clone())
        .collect();
    let base_access: Vec<f64> = base.iter().map(|b| b.access).collect();
    let mean_gini = |acc: &[f64]| -> f64 {
        if aggs.is_empty() {
            return 0.0;
        }
        aggs.iter()
            .map(|m| gini(&m.iter().map(|&c| acc[c as usize]).collect::<Vec<_>>()))
            .sum::<f64>()
            / aggs.len() as f64
    };
    let base_gini = mean_gini(&base_access);
    let progress = crate::progress::Progress::new(candidates.len() as u64, "candidates");
    let mut results: Vec<SweepResult> = (0..candidates.len())
        .into_par_iter()
        .map_init(
            || (engine.clone(), engine.workspace(), base_access.clone()),
            |(eng, ws, acc), i| {
                let (a, b) = ends[i];
                let link = base_links + i;
                eng.set_link_minutes(link, candidates[i].minutes);
                // Least cost of riding the candidate: its wait and minutes.
                let ride = opt.model.wait(&all.links()[link]) + candidates[i].minutes;
                let mut sources: Vec<u32> = [a, b]
                    .iter()
                    .flat_map(|&e| &entered_by[e as usize])
                    .filter(|&&(_, l)| f64::from(l) - ROUNDING + ride <= horizon)
                    .map(|&(s, _)| s)
                    .chain([a, b])
                    .collect();
                // Ascending, as the full sums run.
                sources.sort_unstable();
                sources.dedup();
                let (mut pop_gain, mut access_gain, mut touched) = (0.0, 0.0, Vec::new());
                for s in sources.into_iter().map(|s| s as usize) {
                    let (w, x) = source_measures(eng, ws, s as CityIdx, opt.minutes, &pop);
                    if is_core[s] {
                        pop_gain += w - base[s].within;
                    }
                    access_gain += x - base[s].access;
                    acc[s] = x;
                    touched.push(s);
                }
                // Whatever the objective: every figure of a row is true.
                let gini_change = mean_gini(acc) - base_gini;
                for &s in &touched {
                    acc[s] = base_access[s];
                }
                eng.set_link_minutes(link, f64::INFINITY);
                SweepResult {
                    index: positions[i],
                    candidate: candidates[i].clone(),
                    pop_gain,
                    access_gain,
                    gini_change,
                    recomputed: touched.len(),
                }
            },
        )
        .inspect(|_| progress.inc(1))
        .collect();
    progress.finish();
    rank(&mut results, opt.objective);
    Ok(results)
}

/// Sorts sweep results best first under `o`; ties by (from, to), then by
/// [`SweepResult::index`]. The order is total, so results of several shards
/// ranked together come out as one sweep's.
pub fn rank(results: &mut [SweepResult], o: Objective) {
    results.sort_by(|x, y| {
        y.score(o)
            .total_cmp(&x.score(o))
            .then_with(|| {
                (&x.candidate.from, &x.candidate.to).cmp(&(&y.candidate.from, &y.candidate.to))
            })
            .then_with(|| x.index.cmp(&y.index))
    });
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::scenario::{EvalOptions, Scenario, evaluate};

    /// The incremental sweep agrees with applying each candidate as a full
    /// scenario and evaluating the whole network again.
    #[test]
    fn incremental_sweep_matches_full_reevaluation() {
        let net = crate::io::Input::Embedded.load().unwrap().0;
        let cands: Vec<Candidate> = candidates_within(&net, Mode::Hsr, 120.0, 250.0, 1.2)
            .into_iter()
            .step_by(97)
            .take(6)
            .collect();
        assert!(cands.len() >= 3);
        let opt = SweepOptions {
            mode: Mode::Hsr,
            services_per_day: 30.0,
            minutes: 60.0,
            model: TimeModel::default(),
            objective: Objective::Gini,
        };
        let res = sweep(&net, &cands, &opt).unwrap();
        let eo = EvalOptions {
            delineate: false,
            ..EvalOptions::default()
        };
        let base = evaluate(&net, &eo);
        for r in &res {
            let c = &r.candidate;
            let text = format!(
                "name = \"c\"\n[[edit]]\nop = \"add_link\"\nfrom = \"{}\"\nto = \"{}\"\nmode = \"hsr\"\nminutes = {}\nkm = {}\nservices_per_day = 30\nline = \"x\"\n",
                c.from, c.to, c.minutes, c.km
            );
            let after = Scenario::parse(&text, Path::new("c.toml"))
                .unwrap()
                .apply(&net)
                .unwrap();
            let e = evaluate(&after, &eo);
            let full_access: f64 =
                e.access.values().sum::<f64>() - base.access.values().sum::<f64>();
            let full_pop: f64 = e
                .cores
                .iter()
                .zip(&base.cores)
                .map(|(a, b)| a.population as f64 - b.population as f64)
                .sum();
            let g = |ev: &crate::scenario::Evaluation| {
                ev.agglomerations.iter().map(|a| a.access_gini).sum::<f64>()
                    / ev.agglomerations.len() as f64
            };
            assert!(
                (full_access - r.access_gain).abs() < 1e-3 * (1.0 + full_access.abs()),
                "{c:?}: {full_access} vs {}",
                r.access_gain
            );
            assert!(
                (full_pop - r.pop_gain).abs() < 0.5,
                "{c:?}: {full_pop} vs {}",
                r.pop_gain
            );
            assert!((g(&e) - g(&base) - r.gini_change).abs() < 1e-9, "{c:?}");
            assert!(r.recomputed < net.cities().len());
        }
        for w in res.windows(2) {
            assert!(w[0].score(opt.objective) >= w[1].score(opt.objective));
        }
        // Issue 15: `gini_change` is computed whatever the objective ranks by.
        let key = |r: &SweepResult| (r.candidate.from.clone(), r.candidate.to.clone());
        let by_gini: BTreeMap<_, f64> = res.iter().map(|r| (key(r), r.gini_change)).collect();
        assert!(by_gini.values().any(|g| *g != 0.0));
        for objective in [Objective::Accessibility, Objective::Population] {
            let other = sweep(
                &net,
                &cands,
                &SweepOptions {
                    objective,
                    ..opt.clone()
                },
            )
            .unwrap();
            for r in &other {
                assert_eq!(
                    r.gini_change,
                    by_gini[&key(r)],
                    "{objective:?} {:?}",
                    r.candidate
                );
            }
        }
    }
}
