//! Cross-checks of the parsed data and construction of the [`Network`].

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use super::{Csr, Network, SpatialIndex, haversine_km};
use crate::error::{Issue, Issues, LoadError, Severity};
use crate::io::limits::{
    MAX_ACCESS_MINUTES, MAX_CITY_LAT, MAX_LINK_KM, MAX_LINK_MINUTES, MAX_POPULATION,
    MAX_SERVICES_PER_DAY, positive_within, show,
};
use crate::io::{AggRecord, LinkRecord, NetworkData, is_valid_id};
use crate::model::{Agglomeration, City, CityIdx, Link, UnitKind};

/// A city farther than this from every other city draws a warning.
const ISOLATED_KM: f64 = 1000.0;
/// A link geometry whose end lies farther than this from its city draws a warning.
const GEOMETRY_END_KM: f64 = 30.0;

pub(super) fn build(data: NetworkData) -> Result<(Network, Issues), LoadError> {
    let NetworkData {
        cities,
        links,
        agglomerations,
        mut issues,
    } = data;

    let mut cities = cities;
    for c in &cities {
        check_city(c, &mut issues);
    }
    let mut by_id: HashMap<String, CityIdx> = HashMap::with_capacity(cities.len());
    for (i, c) in cities.iter().enumerate() {
        if let Some(&first) = by_id.get(&c.id) {
            issues.push(Issue::error(
                c.loc.clone(),
                Some("id"),
                format!(
                    "duplicate city id `{}` (first defined at {})",
                    c.id, cities[first as usize].loc
                ),
            ));
        } else {
            by_id.insert(c.id.clone(), i as CityIdx);
        }
    }
    let (parent, children) = link_counties(&mut cities, &by_id, &mut issues);
    check_groups_2010(&cities, &mut issues);
    let resolve = |id: &str, rec_loc: &crate::error::Loc, field: &str, issues: &mut Vec<Issue>| {
        let r = by_id.get(id).copied();
        if r.is_none() {
            issues.push(Issue::error(
                rec_loc.clone(),
                Some(field),
                format!("unknown city `{id}`"),
            ));
        }
        r
    };

    let mut built_links = Vec::with_capacity(links.len());
    let mut seen_links: HashMap<(CityIdx, CityIdx, String, String), crate::error::Loc> =
        HashMap::new();
    for l in links {
        let from = resolve(&l.from, &l.loc, "from", &mut issues);
        let to = resolve(&l.to, &l.loc, "to", &mut issues);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if from == to {
            issues.push(Issue::error(
                l.loc.clone(),
                Some("to"),
                format!("self-loop: link from `{}` to itself", l.from),
            ));
            continue;
        }
        if l.minutes == 0.0 {
            issues.push(Issue::error(
                l.loc.clone(),
                Some("minutes"),
                "zero minutes between distinct cities",
            ));
        }
        check_link_numbers(&l, &mut issues);
        if l.km == 0.0 {
            issues.push(Issue::warning(
                l.loc.clone(),
                Some("km"),
                "zero km between distinct cities",
            ));
        }
        let key = (
            from.min(to),
            from.max(to),
            l.mode.to_string(),
            l.line.clone().unwrap_or_default(),
        );
        if let Some(first) = seen_links.get(&key) {
            issues.push(Issue::warning(
                l.loc.clone(),
                None,
                format!(
                    "duplicate {} link {}–{} on the same line (first at {first})",
                    l.mode, l.from, l.to
                ),
            ));
        } else {
            seen_links.insert(key, l.loc.clone());
        }
        let geometry = check_geometry(
            &l,
            &cities[from as usize],
            &cities[to as usize],
            &mut issues,
        );
        built_links.push(Link {
            from,
            to,
            mode: l.mode,
            minutes: l.minutes,
            km: l.km,
            services_per_day: l.services_per_day,
            line: l.line,
            opened: l.opened,
            oneway: l.oneway,
            source: l.source,
            geometry,
            loc: l.loc,
        });
    }

    let mut aggs = Vec::with_capacity(agglomerations.len());
    let mut agg_ids: BTreeMap<String, crate::error::Loc> = BTreeMap::new();
    for a in agglomerations {
        if !a.id.is_empty() && !is_valid_id(&a.id) {
            issues.push(id_issue(&a.loc, &a.id));
        }
        if let Some(first) = agg_ids.get(&a.id) {
            issues.push(Issue::error(
                a.loc.clone(),
                Some("id"),
                format!("duplicate agglomeration id `{}` (first at {first})", a.id),
            ));
            continue;
        }
        agg_ids.insert(a.id.clone(), a.loc.clone());
        let lists = a.county_lists.clone();
        if let Some(mut agg) = check_agglomeration(a, &resolve, &mut issues) {
            agg.county_lists = resolve_county_lists(&agg, &lists, &by_id, &parent, &mut issues);
            add_county_members(&mut agg, &children);
            aggs.push(agg);
        }
    }

    let spatial = SpatialIndex::new(&cities);
    if cities.len() >= 3 {
        for c in &cities {
            let near = spatial.nearest(&cities, c.lon, c.lat, 2);
            if let Some(&(_, d)) = near.get(1)
                && d > ISOLATED_KM
            {
                issues.push(Issue::warning(
                    c.loc.clone(),
                    Some("lon"),
                    format!(
                        "`{}` lies {d:.0} km from the nearest other city: check lon/lat (lon is x, lat is y)",
                        c.id
                    ),
                ));
            }
        }
    }

    let issues = Issues(issues);
    if issues.error_count() > 0 {
        let mut list = issues.0;
        list.sort_by(|a, b| {
            let key = |i: &Issue| {
                let pos = match i.loc.pos {
                    crate::error::Pos::File => 0,
                    crate::error::Pos::Line(n) => n,
                    crate::error::Pos::Feature(n) => n as u64 + 1,
                };
                (i.severity, i.loc.file.clone(), pos)
            };
            key(a).cmp(&key(b))
        });
        return Err(LoadError::Invalid {
            issues: Issues(list),
        });
    }

    let mut graph = DiGraph::with_capacity(cities.len(), built_links.len() * 2);
    for i in 0..cities.len() {
        graph.add_node(i as CityIdx);
    }
    for (i, l) in built_links.iter().enumerate() {
        let (a, b) = (
            NodeIndex::new(l.from as usize),
            NodeIndex::new(l.to as usize),
        );
        graph.add_edge(a, b, i as u32);
        if !l.oneway {
            graph.add_edge(b, a, i as u32);
        }
    }
    let csr = Csr::build(cities.len(), &built_links, false);
    debug_assert!(issues.0.iter().all(|i| i.severity == Severity::Warning));
    Ok((
        Network {
            cities,
            links: built_links,
            agglomerations: aggs,
            by_id,
            graph,
            csr,
            spatial,
            parent,
            children,
        },
        issues,
    ))
}

/// Resolves each county unit's `prefecture` and turns every prefecture with
/// county units into a [`UnitKind::Centre`] whose population is carried by
/// its units (so it counts 0). Returns each node's parent (itself unless a
/// county unit) and each node's county units (empty unless a centre).
fn link_counties(
    cities: &mut [City],
    by_id: &HashMap<String, CityIdx>,
    issues: &mut Vec<Issue>,
) -> (Vec<CityIdx>, Vec<Vec<CityIdx>>) {
    let n = cities.len();
    let mut parent: Vec<CityIdx> = (0..n as CityIdx).collect();
    let mut children: Vec<Vec<CityIdx>> = vec![Vec::new(); n];
    for i in 0..n {
        if cities[i].kind != UnitKind::County {
            continue;
        }
        let Some(p) = cities[i].prefecture.clone() else {
            continue;
        };
        match by_id.get(&p).copied() {
            Some(j) if cities[j as usize].kind != UnitKind::County => {
                parent[i] = j;
                children[j as usize].push(i as CityIdx);
            }
            Some(_) => issues.push(Issue::error(
                cities[i].loc.clone(),
                Some("prefecture"),
                format!("`{p}` is a county unit, not a prefecture-level city"),
            )),
            None => issues.push(Issue::error(
                cities[i].loc.clone(),
                Some("prefecture"),
                format!("unknown prefecture-level city `{p}`"),
            )),
        }
    }
    for (j, kids) in children.iter().enumerate() {
        if !kids.is_empty() {
            let c = &mut cities[j];
            c.kind = UnitKind::Centre;
            c.pop_2020 = 0;
            c.pop_2010 = None;
            // urban_pop_2020 stays: the prefecture's 城区, which the census
            // counts apart from its county-level cities' own.
        }
    }
    // A city whose people the county units of other cities count (`counted_in`)
    // is a centre too, where county units are loaded: its people are counted
    // once, in those units.
    if children.iter().any(|k| !k.is_empty()) {
        for c in cities.iter_mut() {
            if c.counted_in.is_empty() || c.kind == UnitKind::County {
                continue;
            }
            let mut ok = true;
            for h in &c.counted_in {
                let has_units = by_id
                    .get(h)
                    .is_some_and(|&k| !children[k as usize].is_empty());
                if !has_units {
                    ok = false;
                    issues.push(Issue::error(
                        c.loc.clone(),
                        Some("counted_in"),
                        format!("`{h}` is not a city with county units"),
                    ));
                }
            }
            if ok {
                c.kind = UnitKind::Centre;
                c.pop_2020 = 0;
                c.pop_2010 = None;
            }
        }
    }
    (parent, children)
}

/// The 2010 groups of county units: a unit names a group and its figure
/// together or neither, has no `pop_2010` of its own then, and every unit of
/// one group gives the same figure.
fn check_groups_2010(cities: &[City], issues: &mut Vec<Issue>) {
    let mut first: BTreeMap<&str, (u64, &crate::error::Loc)> = BTreeMap::new();
    for c in cities {
        match (&c.group_2010, c.pop_2010_group) {
            (None, None) => {}
            (Some(g), Some(p)) => {
                if c.pop_2010.is_some() {
                    issues.push(Issue::error(
                        c.loc.clone(),
                        Some("pop_2010"),
                        format!("a unit of 2010 group `{g}` has no 2010 figure of its own"),
                    ));
                }
                match first.get(g.as_str()) {
                    Some(&(q, loc)) if q != p => issues.push(Issue::error(
                        c.loc.clone(),
                        Some("pop_2010_group"),
                        format!("{p} for 2010 group `{g}`, which is {q} at {loc}"),
                    )),
                    Some(_) => {}
                    None => {
                        first.insert(g, (p, &c.loc));
                    }
                }
            }
            (Some(_), None) => issues.push(Issue::error(
                c.loc.clone(),
                Some("pop_2010_group"),
                "missing: `group_2010` is set".to_owned(),
            )),
            (None, Some(_)) => issues.push(Issue::error(
                c.loc.clone(),
                Some("group_2010"),
                "missing: `pop_2010_group` is set".to_owned(),
            )),
        }
    }
}

/// Resolves the county lists of `agg`'s partial members: each row must name
/// a partial member, once, and county units of that member.
fn resolve_county_lists(
    agg: &Agglomeration,
    lists: &[crate::io::CountyList],
    by_id: &HashMap<String, CityIdx>,
    parent: &[CityIdx],
    issues: &mut Vec<Issue>,
) -> Vec<(CityIdx, Vec<CityIdx>)> {
    let mut out: Vec<(CityIdx, Vec<CityIdx>)> = Vec::new();
    for l in lists {
        let Some(&p) = by_id.get(&l.prefecture) else {
            issues.push(Issue::error(
                l.loc.clone(),
                Some("prefecture"),
                format!("unknown city `{}`", l.prefecture),
            ));
            continue;
        };
        if !agg.partial.contains(&p) {
            issues.push(Issue::error(
                l.loc.clone(),
                Some("prefecture"),
                format!("`{}` is not a partial member of `{}`", l.prefecture, agg.id),
            ));
            continue;
        }
        if out.iter().any(|(q, _)| *q == p) {
            issues.push(Issue::error(
                l.loc.clone(),
                Some("prefecture"),
                format!("`{}` of `{}` is listed twice", l.prefecture, agg.id),
            ));
            continue;
        }
        let mut units = Vec::new();
        for u in &l.units {
            match by_id.get(u) {
                Some(&i) if parent[i as usize] == p && i != p => units.push(i),
                Some(_) => issues.push(Issue::error(
                    l.loc.clone(),
                    Some("counties"),
                    format!("`{u}` is not a county unit of `{}`", l.prefecture),
                )),
                None => issues.push(Issue::error(
                    l.loc.clone(),
                    Some("counties"),
                    format!("unknown county unit `{u}`"),
                )),
            }
        }
        units.sort_unstable();
        units.dedup();
        out.push((p, units));
    }
    out
}

/// At the county level, an agglomeration's members include the county units
/// of its member cities (after them, in input order): for a partial member
/// with a county list, the listed units only. Centres stay members: trips
/// pass through them, and they count no population.
fn add_county_members(agg: &mut Agglomeration, children: &[Vec<CityIdx>]) {
    let extra: Vec<CityIdx> = agg
        .members
        .iter()
        .flat_map(|&m| match agg.county_lists.iter().find(|(p, _)| *p == m) {
            Some((_, units)) => units.clone(),
            None => children[m as usize].clone(),
        })
        .collect();
    agg.members.extend(extra);
}

fn id_issue(loc: &crate::error::Loc, id: &str) -> Issue {
    Issue::error(
        loc.clone(),
        Some("id"),
        format!("`{id}` is not a valid id (ASCII letters, digits, `-` and `_` only)"),
    )
}

/// The checks every city passes whatever it was read from (a CSV row, a
/// GeoJSON point, a scenario's `add_city`). A value that a reader already
/// rejected comes as NaN and is not reported twice.
fn check_city(c: &crate::model::City, issues: &mut Vec<Issue>) {
    let mut bad = |field: &str, msg: String| {
        issues.push(Issue::error(c.loc.clone(), Some(field), msg));
    };
    if !c.id.is_empty() && !is_valid_id(&c.id) {
        issues.push(id_issue(&c.loc, &c.id));
        return;
    }
    if c.lon.abs() > 180.0 {
        bad(
            "lon",
            format!("must lie in [-180, 180], got {}", show(c.lon)),
        );
    }
    if c.lat.abs() > 90.0 {
        bad("lat", format!("must lie in [-90, 90], got {}", show(c.lat)));
    } else if c.lat.abs() > MAX_CITY_LAT {
        bad(
            "lat",
            format!(
                "{} lies within {:.0}° of a pole: cities must lie within ±{MAX_CITY_LAT}° (circles cannot be drawn near the poles)",
                c.lat,
                90.0 - MAX_CITY_LAT
            ),
        );
    }
    for (field, v) in [
        ("pop_2020", Some(c.pop_2020)),
        ("pop_2010", c.pop_2010),
        ("urban_pop_2020", c.urban_pop_2020),
    ] {
        if let Some(v) = v
            && v > MAX_POPULATION
        {
            bad(field, format!("must be at most {MAX_POPULATION}, got {v}"));
        }
    }
    for (field, v) in [
        ("access_hsr_min", c.access_hsr_min),
        ("access_rail_min", c.access_rail_min),
    ] {
        if let Some(v) = v
            && !v.is_nan()
            && !(v.is_finite() && (0.0..=MAX_ACCESS_MINUTES).contains(&v))
        {
            bad(
                field,
                format!(
                    "must lie in [0, {MAX_ACCESS_MINUTES}] minutes, got {}",
                    show(v)
                ),
            );
        }
    }
}

/// Minutes, km and services of a link within the plausible bounds (a
/// product such as a scenario's factor times minutes is checked here too).
fn check_link_numbers(l: &LinkRecord, issues: &mut Vec<Issue>) {
    let mut bad = |field: &str, msg: String| {
        issues.push(Issue::error(l.loc.clone(), Some(field), msg));
    };
    if !l.minutes.is_nan() && l.minutes != 0.0 && !positive_within(l.minutes, MAX_LINK_MINUTES) {
        bad(
            "minutes",
            format!(
                "must lie in (0, {MAX_LINK_MINUTES}], got {}",
                show(l.minutes)
            ),
        );
    }
    if l.km < 0.0 || l.km > MAX_LINK_KM {
        bad(
            "km",
            format!("must lie in [0, {MAX_LINK_KM}], got {}", show(l.km)),
        );
    }
    if let Some(v) = l.services_per_day
        && !v.is_nan()
        && !(v.is_finite() && (0.0..=MAX_SERVICES_PER_DAY).contains(&v))
    {
        bad(
            "services_per_day",
            format!("must lie in [0, {MAX_SERVICES_PER_DAY}], got {}", show(v)),
        );
    }
}

fn check_geometry(
    l: &LinkRecord,
    a: &crate::model::City,
    b: &crate::model::City,
    issues: &mut Vec<Issue>,
) -> Option<geo::LineString<f64>> {
    let g = l.geometry.as_ref()?;
    if g.0.len() < 2 {
        issues.push(Issue::error(
            l.loc.clone(),
            Some("geometry"),
            "a link's LineString needs at least two positions",
        ));
        return None;
    }
    if let Some((k, p)) = g.0.iter().enumerate().find(|(_, p)| {
        !(p.x.is_finite() && p.y.is_finite() && p.x.abs() <= 180.0 && p.y.abs() <= 90.0)
    }) {
        issues.push(Issue::error(
            l.loc.clone(),
            Some("geometry"),
            format!(
                "position {k} ({}, {}) is not lon/lat within ±180, ±90",
                show(p.x),
                show(p.y)
            ),
        ));
        return None;
    }
    let (first, last) = (g.0[0], g.0[g.0.len() - 1]);
    let close = |p: geo::Coord<f64>, c: &crate::model::City| {
        (p.x - c.lon).abs() < 1e-6 && (p.y - c.lat).abs() < 1e-6
    };
    // A two-point geometry equal to the straight segment is the default.
    if g.0.len() == 2 && close(first, a) && close(last, b) {
        return None;
    }
    for (p, c) in [(first, a), (last, b)] {
        let d = haversine_km(p.x, p.y, c.lon, c.lat);
        if d > GEOMETRY_END_KM {
            issues.push(Issue::warning(
                l.loc.clone(),
                Some("geometry"),
                format!("geometry ends {d:.0} km from `{}`", c.id),
            ));
        }
    }
    Some(g.clone())
}

fn check_agglomeration(
    a: AggRecord,
    resolve: &impl Fn(&str, &crate::error::Loc, &str, &mut Vec<Issue>) -> Option<CityIdx>,
    issues: &mut Vec<Issue>,
) -> Option<Agglomeration> {
    let list = |ids: &[String], field: &str, issues: &mut Vec<Issue>| -> Vec<CityIdx> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for id in ids {
            if let Some(i) = resolve(id, &a.loc, field, issues) {
                if seen.insert(i) {
                    out.push(i);
                } else {
                    issues.push(Issue::warning(
                        a.loc.clone(),
                        Some(field),
                        format!("`{id}` is listed twice"),
                    ));
                }
            }
        }
        out
    };
    let members = list(&a.members, "members", issues);
    let cores = list(&a.cores, "cores", issues);
    let partial = list(&a.partial, "partial", issues);
    let mut ok = true;
    if a.members.is_empty() {
        issues.push(Issue::error(
            a.loc.clone(),
            Some("members"),
            format!("agglomeration `{}` has no members", a.id),
        ));
        ok = false;
    }
    if a.cores.is_empty() {
        issues.push(Issue::error(
            a.loc.clone(),
            Some("cores"),
            format!("agglomeration `{}` has no core city", a.id),
        ));
        ok = false;
    }
    let member_set: HashSet<CityIdx> = members.iter().copied().collect();
    for (field, ids, idxs) in [
        ("cores", &a.cores, &cores),
        ("partial", &a.partial, &partial),
    ] {
        for (id, i) in ids.iter().zip(idxs.iter()) {
            if !member_set.contains(i) {
                issues.push(Issue::error(
                    a.loc.clone(),
                    Some(field),
                    format!("`{id}` is not among the members"),
                ));
                ok = false;
            }
        }
    }
    ok.then_some(Agglomeration {
        id: a.id,
        name: a.name,
        name_zh: a.name_zh,
        kind: a.kind,
        cores,
        members,
        partial,
        county_lists: Vec::new(),
        approved: a.approved,
        source: a.source,
        loc: a.loc,
    })
}

pub(super) fn to_data(net: &Network) -> NetworkData {
    let id = |i: CityIdx| net.city(i).id.clone();
    let ids = |v: &[CityIdx]| v.iter().map(|&i| id(i)).collect::<Vec<_>>();
    NetworkData {
        cities: net.cities.clone(),
        links: net
            .links
            .iter()
            .map(|l| LinkRecord {
                from: id(l.from),
                to: id(l.to),
                mode: l.mode,
                minutes: l.minutes,
                km: l.km,
                services_per_day: l.services_per_day,
                line: l.line.clone(),
                opened: l.opened,
                oneway: l.oneway,
                source: l.source.clone(),
                geometry: l.geometry.clone(),
                loc: l.loc.clone(),
            })
            .collect(),
        agglomerations: net
            .agglomerations
            .iter()
            .map(|a| AggRecord {
                id: a.id.clone(),
                name: a.name.clone(),
                name_zh: a.name_zh.clone(),
                kind: a.kind,
                cores: ids(&a.cores),
                // County members are added back from the cities' units.
                members: a
                    .members
                    .iter()
                    .filter(|&&m| net.cities[m as usize].kind != UnitKind::County)
                    .map(|&m| id(m))
                    .collect(),
                partial: ids(&a.partial),
                county_lists: a
                    .county_lists
                    .iter()
                    .map(|(p, units)| crate::io::CountyList {
                        prefecture: id(*p),
                        units: ids(units),
                        loc: a.loc.clone(),
                    })
                    .collect(),
                approved: a.approved,
                source: a.source.clone(),
                loc: a.loc.clone(),
            })
            .collect(),
        issues: Vec::new(),
    }
}
