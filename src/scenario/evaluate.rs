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
//!
//! [`Baseline`] keeps, beside the evaluation of the base network, the cities
//! each source's accessibility search entered. [`evaluate_against`] then
//! searches again only the sources whose search entered a city that an edit
//! touches (an end of a link added, removed or changed, a city whose
//! population or access minutes changed, a new city): the others would find
//! the same times in the same order, so their accessibility is copied, bit
//! for bit. An agglomeration whose members and links between them are
//! unchanged keeps its betweenness ranks; circles and delineation are
//! computed again in full.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::algorithms::Workspace;
use crate::algorithms::centrality::{CentralityOptions, Decay, Measures, agglomeration_centrality};
use crate::algorithms::{CircleOrigin, DelineateOptions, delineate, gini, origins_of};
use crate::model::{CityIdx, Link, Mode};
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
    for &(c, t) in engine.reach_sorted(ws) {
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
    run(net, opt, Sources::All).0
}

/// The evaluation of a base network with, for every source city, the cities
/// its accessibility search entered: what [`evaluate_against`] needs to
/// search again only the sources a scenario's edits can reach.
#[derive(Debug, Clone)]
pub struct Baseline<'n> {
    /// The base network.
    net: &'n Network,
    /// The options it was evaluated with.
    opt: EvalOptions,
    /// Its evaluation, as [`evaluate`] gives it.
    evaluation: Evaluation,
    /// Accessibility of each source, by index.
    access: Vec<f64>,
    /// Cities entered by each source's search: `entered[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<usize>,
    entered: Vec<CityIdx>,
}

impl Baseline<'_> {
    /// The evaluation of the base network.
    pub fn evaluation(&self) -> &Evaluation {
        &self.evaluation
    }

    /// The base network.
    pub fn network(&self) -> &Network {
        self.net
    }
}

/// Evaluates the base network `net` as [`evaluate`] does, keeping what
/// [`evaluate_against`] reuses.
///
/// # Complexity
/// As [`evaluate`]; the kept lists take one `u32` per city entered by each
/// source's search.
pub fn evaluate_baseline<'n>(net: &'n Network, opt: &EvalOptions) -> Baseline<'n> {
    let (evaluation, per_source) = run(net, opt, Sources::Record);
    let mut offsets = Vec::with_capacity(per_source.len() + 1);
    offsets.push(0);
    let mut entered = Vec::new();
    let mut access = Vec::with_capacity(per_source.len());
    for (a, e) in per_source {
        access.push(a);
        entered.extend(e);
        offsets.push(entered.len());
    }
    Baseline {
        net,
        opt: opt.clone(),
        evaluation,
        access,
        offsets,
        entered,
    }
}

/// Evaluates `after`, a scenario's network built from `base`'s, with the
/// same figures, bit for bit, as [`evaluate`]`(after, opt)`: sources whose
/// baseline search entered no city the edits touch keep their baseline
/// accessibility (see the module docs). When the options differ from the
/// baseline's, or `after` does not keep the base cities at their positions,
/// every source is searched.
///
/// # Complexity
/// As [`evaluate`], with the accessibility searches limited to the sources
/// that entered a touched city, plus one pass over both networks' links.
pub fn evaluate_against(base: &Baseline, after: &Network, opt: &EvalOptions) -> Evaluation {
    match touched_cities(base.net, after, &opt.model) {
        Some(touched) if *opt == base.opt => {
            let reuse = |s: CityIdx| -> Option<f64> {
                let i = s as usize;
                if i >= base.access.len() || touched[i] {
                    return None;
                }
                let seen = &base.entered[base.offsets[i]..base.offsets[i + 1]];
                (!seen.iter().any(|&c| touched[c as usize])).then_some(base.access[i])
            };
            run(
                after,
                opt,
                Sources::Reuse {
                    known: &reuse,
                    base,
                },
            )
            .0
        }
        _ => evaluate(after, opt),
    }
}

/// The cities of `after` where its searches may differ from `base`'s: ends of
/// links not found identical in both, cities whose population or access
/// minutes differ, and cities `base` does not have. `None` when `after` does
/// not keep every base city at its index.
fn touched_cities(base: &Network, after: &Network, model: &TimeModel) -> Option<Vec<bool>> {
    let n = base.cities().len();
    if after.cities().len() < n {
        return None;
    }
    let mut touched = vec![true; after.cities().len()];
    for (i, (b, a)) in base.cities().iter().zip(after.cities()).enumerate() {
        if a.id != b.id {
            return None;
        }
        touched[i] = a.pop_2020 != b.pop_2020
            || Mode::ALL
                .iter()
                .any(|&m| model.access(a, m).to_bits() != model.access(b, m).to_bits());
    }
    // What a search reads of a link, with city indices (the base cities keep
    // theirs): links in one network and not the other, counted as multisets.
    let mut count: BTreeMap<LinkKey, i64> = BTreeMap::new();
    for l in base.links() {
        *count.entry(link_key(l)).or_default() += 1;
    }
    for l in after.links() {
        *count.entry(link_key(l)).or_default() -= 1;
    }
    for ((from, to, ..), c) in count {
        if c != 0 {
            touched[from as usize] = true;
            touched[to as usize] = true;
        }
    }
    Some(touched)
}

/// Ends, mode, line, minutes, services per day and one-way flag of a link.
type LinkKey<'a> = (
    CityIdx,
    CityIdx,
    u8,
    Option<&'a str>,
    u64,
    Option<u64>,
    bool,
);

fn link_key(l: &Link) -> LinkKey<'_> {
    (
        l.from,
        l.to,
        l.mode as u8,
        l.line.as_deref(),
        l.minutes.to_bits(),
        l.services_per_day.map(f64::to_bits),
        l.oneway,
    )
}

/// Which sources [`run`] searches for accessibility.
enum Sources<'a> {
    /// Every source.
    All,
    /// Every source, keeping the cities each search entered.
    Record,
    /// Only those `known` gives no accessibility for; an agglomeration whose
    /// betweenness graph is that of `base` keeps its ranks.
    Reuse {
        known: &'a (dyn Fn(CityIdx) -> Option<f64> + Sync),
        base: &'a Baseline<'a>,
    },
}

/// Whether agglomeration `k` has the same betweenness input in `base` and
/// `after`: the same id and members, the members' population and kind, and
/// the same links between members (ends, minutes, km, one-way), in order.
fn same_centrality_graph(base: &Network, after: &Network, k: usize) -> bool {
    let (Some(a), Some(b)) = (base.agglomerations().get(k), after.agglomerations().get(k)) else {
        return false;
    };
    let n = base.cities().len();
    if a.id != b.id || a.members != b.members || a.members.iter().any(|&c| c as usize >= n) {
        return false;
    }
    let same_city = |c: CityIdx| {
        let (x, y) = (base.city(c), after.city(c));
        x.id == y.id && x.pop_2020 == y.pop_2020 && x.kind == y.kind
    };
    if !a.members.iter().all(|&c| same_city(c)) {
        return false;
    }
    let mut member = vec![false; after.cities().len()];
    for &c in &a.members {
        member[c as usize] = true;
    }
    let induced = |net: &Network| -> Vec<(CityIdx, CityIdx, u64, u64, bool)> {
        net.links()
            .iter()
            .filter(|l| member[l.from as usize] && member[l.to as usize])
            .map(|l| (l.from, l.to, l.minutes.to_bits(), l.km.to_bits(), l.oneway))
            .collect()
    };
    induced(base) == induced(after)
}

/// [`evaluate`] with the accessibility of some sources reused; with
/// [`Sources::Record`], also each source's accessibility and entered cities.
fn run(
    net: &Network,
    opt: &EvalOptions,
    sources: Sources,
) -> (Evaluation, Vec<(f64, Vec<CityIdx>)>) {
    // The delineation (one polygon union per area) runs beside the searches.
    let (delineation, (mut e, per_source)) =
        rayon::join(|| delineation(net, opt), || measure(net, opt, sources));
    e.delineation = delineation;
    (e, per_source)
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

fn measure(
    net: &Network,
    opt: &EvalOptions,
    sources: Sources,
) -> (Evaluation, Vec<(f64, Vec<CityIdx>)>) {
    let engine = Engine::new(net, opt.model.clone(), None);
    let pop: Vec<f64> = net.cities().iter().map(|c| c.pop_2020 as f64).collect();
    let n = net.cities().len() as CityIdx;
    let record = matches!(sources, Sources::Record);
    let per_source: Vec<(f64, Vec<CityIdx>)> = (0..n)
        .into_par_iter()
        .map_init(
            || engine.workspace(),
            |ws, s| {
                if let Sources::Reuse { known, .. } = &sources
                    && let Some(a) = known(s)
                {
                    return (a, Vec::new());
                }
                let a = source_measures(&engine, ws, s, opt.minutes, &pop).1;
                let mut seen = Vec::new();
                if record {
                    seen.extend(engine.entered(ws).iter().map(|&(c, _)| c));
                    seen.sort_unstable();
                }
                (a, seen)
            },
        )
        .collect();
    let access: Vec<f64> = per_source.iter().map(|x| x.0).collect();
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
        .enumerate()
        .map(|(k, ag)| {
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
            let ranks = match &sources {
                Sources::Reuse { base, .. } if same_centrality_graph(base.net, net, k) => {
                    base.evaluation.agglomerations[k].ranks.clone()
                }
                _ => betweenness_ranks(net, ag, &copt),
            };
            AggEval {
                id: ag.id.clone(),
                pop_share: if total > 0.0 { inside / total } else { 0.0 },
                access_mean: if acc.is_empty() {
                    0.0
                } else {
                    acc.iter().sum::<f64>() / acc.len() as f64
                },
                access_gini: gini(&acc),
                ranks,
            }
        })
        .collect();
    let e = Evaluation {
        minutes: opt.minutes,
        cores: core_evals,
        agglomerations: aggs,
        access: (0..n)
            .map(|c| (net.city(c).id.clone(), access[c as usize]))
            .collect(),
        delineation: BTreeMap::new(),
    };
    (e, if record { per_source } else { Vec::new() })
}

/// Betweenness rank of each member of `ag` (1 = highest; ties by id), by id.
fn betweenness_ranks(
    net: &Network,
    ag: &crate::model::Agglomeration,
    copt: &CentralityOptions,
) -> BTreeMap<String, usize> {
    let cent = agglomeration_centrality(net, ag, copt);
    let mut order: Vec<(f64, &str)> = cent
        .iter()
        .map(|x| (x.betweenness_norm[0], net.city(x.city).id.as_str()))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    order
        .iter()
        .enumerate()
        .map(|(i, (_, id))| (id.to_string(), i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{CountySource, Input};
    use crate::scenario::Scenario;
    use std::path::Path;

    /// Evaluating a scenario against a kept baseline gives the full
    /// evaluation's figures bit for bit: the shipped scenarios at both
    /// levels, and edits of every kind (set_city, set_link, remove_link,
    /// scale, add_city with links).
    #[test]
    fn evaluation_against_a_baseline_equals_the_full_one() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/scenarios");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let edits = |city: &str, a: &str, b: &str| {
            format!(
                "name = \"t\"\n\
                 [[edit]]\nop = \"set_city\"\nid = \"{city}\"\npopulation = 12345\naccess_hsr_min = 3\n\
                 [[edit]]\nop = \"remove_link\"\nfrom = \"{a}\"\nto = \"{b}\"\n\
                 [[edit]]\nop = \"add_city\"\nid = \"new-town\"\nname = \"New Town\"\nlon = 114.0\nlat = 22.6\npopulation = 500000\n\
                 [[edit]]\nop = \"add_link\"\nfrom = \"new-town\"\nto = \"{a}\"\nmode = \"expressway\"\nminutes = 20\nkm = 25\n"
            )
        };
        for (county, extra) in [
            (false, edits("zhuhai", "shenzhen", "dongguan")),
            (true, edits("440402", "440306", "440305")),
        ] {
            let source = county.then_some(CountySource::Embedded);
            let net = Input::Embedded.load_with(source.as_ref()).unwrap().0;
            let opt = EvalOptions::default();
            let base = evaluate_baseline(&net, &opt);
            assert_eq!(base.evaluation(), &evaluate(&net, &opt));
            let mut scenarios: Vec<Scenario> =
                files.iter().map(|f| Scenario::load(f).unwrap()).collect();
            scenarios.push(Scenario::parse(&extra, Path::new("t.toml")).unwrap());
            let scale = "name = \"s\"\n[[edit]]\nop = \"scale\"\nmode = \"hsr\"\nfactor = 0.9\nagglomeration = \"pearl-river-delta\"\n";
            scenarios.push(Scenario::parse(scale, Path::new("s.toml")).unwrap());
            let shipped = files.len();
            let mut applied = 0;
            for (i, s) in scenarios.iter().enumerate() {
                // County-level scenarios name units the prefecture network
                // lacks; the two written here apply at both levels.
                let after = match s.apply(&net) {
                    Ok(a) => a,
                    Err(e) if i < shipped => {
                        assert!(!county, "{}: {e}", s.name);
                        continue;
                    }
                    Err(e) => panic!("{}: {e}", s.name),
                };
                applied += 1;
                let full = evaluate(&after, &opt);
                let fast = evaluate_against(&base, &after, &opt);
                assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{}", s.name);
            }
            assert!(applied >= 5, "{applied}");
        }
    }

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
