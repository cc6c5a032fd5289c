//! Applying a scenario's edits to a copy of a network's data, atomically.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::edit::{Edit, Scenario, parse_mode};
use super::{EditProblem, ScenarioError};
use crate::error::{Loc, Pos, Severity};
use crate::io::limits::{
    MAX_ACCESS_MINUTES, MAX_LINK_KM, MAX_LINK_MINUTES, MAX_SERVICES_PER_DAY, positive_within, show,
};
use crate::io::{LinkRecord, NetworkData};
use crate::model::{City, Mode};
use crate::network::{Network, haversine_km};

impl Scenario {
    /// The network with this scenario's base and then its own edits applied.
    /// Any invalid edit (unknown city or agglomeration, duplicate id,
    /// non-finite or out-of-range number, a removal matching nothing, or a
    /// problem the loader finds in the edited network) fails the whole
    /// scenario, with every problem listed; `net` is never changed.
    ///
    /// # Complexity
    /// O(e·l) for e edits and l links, plus one network build.
    pub fn apply(&self, net: &Network) -> Result<Network, ScenarioError> {
        let base;
        let net = match &self.base {
            Some(b) => {
                base = b.apply(net)?;
                &base
            }
            None => net,
        };
        let mut data = net.to_data();
        let file: Arc<str> = self.path.display().to_string().into();
        let mut problems = Vec::new();
        for (i, e) in self.edits.iter().enumerate() {
            let mut ctx = Ctx {
                index: i + 1,
                op: e.op(),
                problems: &mut problems,
            };
            apply_one(&mut data, e, &mut ctx, &file);
        }
        if !problems.is_empty() {
            return Err(self.invalid(problems));
        }
        match Network::from_data(data) {
            Ok((n, _)) => Ok(n),
            Err(crate::LoadError::Invalid { issues }) => Err(self.invalid(
                issues
                    .0
                    .into_iter()
                    .filter(|x| x.severity == Severity::Error)
                    .map(|x| {
                        let index = match x.loc.pos {
                            Pos::Feature(k) if x.loc.file == file => k + 1,
                            _ => 0,
                        };
                        EditProblem {
                            index,
                            op: if index > 0 {
                                self.edits[index - 1].op().to_owned()
                            } else {
                                "network".to_owned()
                            },
                            field: x.field,
                            line: None,
                            message: if index > 0 {
                                x.message
                            } else {
                                format!("{}: {}", x.loc, x.message)
                            },
                        }
                    })
                    .collect(),
            )),
            Err(e) => Err(self.invalid(vec![EditProblem {
                index: 0,
                op: "network".into(),
                field: None,
                line: None,
                message: e.to_string(),
            }])),
        }
    }

    fn invalid(&self, mut problems: Vec<EditProblem>) -> ScenarioError {
        for p in &mut problems {
            if p.index > 0 {
                p.line = self.edit_lines.get(p.index - 1).copied();
            }
        }
        ScenarioError::Invalid {
            path: self.path.clone(),
            problems,
        }
    }
}

struct Ctx<'a> {
    index: usize,
    op: &'static str,
    problems: &'a mut Vec<EditProblem>,
}

impl Ctx<'_> {
    fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.problems.push(EditProblem {
            index: self.index,
            op: self.op.to_owned(),
            field: Some(field.to_owned()),
            line: None,
            message: message.into(),
        });
    }
    /// A finite number above `min` (or at least `min` when `inclusive`).
    fn number(&mut self, field: &str, v: f64, min: f64, inclusive: bool) -> bool {
        let ok = v.is_finite() && (v > min || (inclusive && v == min));
        if !ok {
            let rel = if inclusive { "at least" } else { "above" };
            self.bad(
                field,
                format!("must be a finite number {rel} {min}, got {v}"),
            );
        }
        ok
    }
    fn opt_number(&mut self, field: &str, v: Option<f64>, min: f64, inclusive: bool) {
        if let Some(v) = v {
            self.number(field, v, min, inclusive);
        }
    }
    /// At most `max` (the loader's plausibility bound), when finite.
    fn at_most(&mut self, field: &str, v: Option<f64>, max: f64) {
        if let Some(v) = v
            && v.is_finite()
            && v > max
        {
            self.bad(field, format!("must be at most {max}, got {}", show(v)));
        }
    }
    fn mode(&mut self, field: &str, s: &str) -> Option<Mode> {
        parse_mode(s).map_err(|m| self.bad(field, m)).ok()
    }
}

fn city(data: &NetworkData, id: &str, ctx: &mut Ctx, field: &str) -> Option<usize> {
    let found = data.cities.iter().position(|c| c.id == id);
    if found.is_none() {
        ctx.bad(field, format!("unknown city `{id}`"));
    }
    found
}

/// Positions of the links between `a` and `b` (either direction) matching
/// `mode` and `line` where given.
fn matching(
    data: &NetworkData,
    a: &str,
    b: &str,
    mode: Option<Mode>,
    line: Option<&str>,
) -> Vec<usize> {
    data.links
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            ((l.from == a && l.to == b) || (l.from == b && l.to == a))
                && mode.is_none_or(|m| l.mode == m)
                && line.is_none_or(|x| l.line.as_deref() == Some(x))
        })
        .map(|(i, _)| i)
        .collect()
}

fn apply_one(data: &mut NetworkData, e: &Edit, ctx: &mut Ctx, file: &Arc<str>) {
    let loc = Loc {
        file: Arc::clone(file),
        pos: Pos::Feature(ctx.index - 1),
    };
    match e {
        Edit::AddLink {
            from,
            to,
            mode,
            minutes,
            km,
            services_per_day,
            line,
            opened,
            oneway,
            geometry,
        } => {
            let (a, b) = (city(data, from, ctx, "from"), city(data, to, ctx, "to"));
            let m = ctx.mode("mode", mode);
            ctx.number("minutes", *minutes, 0.0, false);
            ctx.opt_number("km", *km, 0.0, false);
            ctx.opt_number("services_per_day", *services_per_day, 0.0, false);
            ctx.at_most("minutes", Some(*minutes), MAX_LINK_MINUTES);
            ctx.at_most("km", *km, MAX_LINK_KM);
            ctx.at_most("services_per_day", *services_per_day, MAX_SERVICES_PER_DAY);
            if from == to {
                ctx.bad("to", format!("a link needs two cities, got `{from}` twice"));
            }
            let geometry = geometry.as_ref().map(|pts| {
                if pts.len() < 2 || pts.iter().flatten().any(|v| !v.is_finite()) {
                    ctx.bad("geometry", "needs at least two finite [lon, lat] points");
                }
                geo::LineString::from(pts.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>())
            });
            let (Some(a), Some(b), Some(m)) = (a, b, m) else {
                return;
            };
            let (ca, cb) = (&data.cities[a], &data.cities[b]);
            let km = km.unwrap_or_else(|| haversine_km(ca.lon, ca.lat, cb.lon, cb.lat));
            data.links.push(LinkRecord {
                from: from.clone(),
                to: to.clone(),
                mode: m,
                minutes: *minutes,
                km,
                services_per_day: *services_per_day,
                line: line.clone(),
                opened: *opened,
                oneway: *oneway,
                source: Some(format!("scenario {file}")),
                geometry,
                loc,
            });
        }
        Edit::RemoveLink {
            from,
            to,
            mode,
            line,
        } => {
            let m = mode.as_deref().and_then(|s| ctx.mode("mode", s));
            if mode.is_some() && m.is_none() {
                return;
            }
            let hit = matching(data, from, to, m, line.as_deref());
            if hit.is_empty() {
                ctx.bad(
                    "from",
                    format!("no link between `{from}` and `{to}` matches"),
                );
            }
            let drop: BTreeSet<usize> = hit.into_iter().collect();
            let mut i = 0;
            data.links.retain(|_| {
                i += 1;
                !drop.contains(&(i - 1))
            });
        }
        Edit::SetLink {
            from,
            to,
            mode,
            line,
            minutes,
            km,
            services_per_day,
        } => {
            let m = mode.as_deref().and_then(|s| ctx.mode("mode", s));
            ctx.opt_number("minutes", *minutes, 0.0, false);
            ctx.opt_number("km", *km, 0.0, false);
            ctx.opt_number("services_per_day", *services_per_day, 0.0, false);
            ctx.at_most("minutes", *minutes, MAX_LINK_MINUTES);
            ctx.at_most("km", *km, MAX_LINK_KM);
            ctx.at_most("services_per_day", *services_per_day, MAX_SERVICES_PER_DAY);
            let hit = matching(data, from, to, m, line.as_deref());
            if hit.is_empty() && (mode.is_none() || m.is_some()) {
                ctx.bad(
                    "from",
                    format!("no link between `{from}` and `{to}` matches"),
                );
            }
            for i in hit {
                let l = &mut data.links[i];
                if let Some(v) = minutes {
                    l.minutes = *v;
                }
                if let Some(v) = km {
                    l.km = *v;
                }
                if let Some(v) = services_per_day {
                    l.services_per_day = Some(*v);
                }
            }
        }
        Edit::AddCity {
            id,
            name,
            name_zh,
            province,
            lon,
            lat,
            population,
            access_hsr_min,
            access_rail_min,
            agglomerations,
            core_of,
        } => {
            if data.cities.iter().any(|c| &c.id == id) {
                ctx.bad("id", format!("a city `{id}` already exists"));
            }
            if !(lon.is_finite() && (-180.0..=180.0).contains(lon)) {
                ctx.bad("lon", format!("must be within -180..180, got {lon}"));
            }
            if !(lat.is_finite() && (-90.0..=90.0).contains(lat)) {
                ctx.bad("lat", format!("must be within -90..90, got {lat}"));
            }
            ctx.opt_number("access_hsr_min", *access_hsr_min, 0.0, true);
            ctx.opt_number("access_rail_min", *access_rail_min, 0.0, true);
            ctx.at_most("access_hsr_min", *access_hsr_min, MAX_ACCESS_MINUTES);
            ctx.at_most("access_rail_min", *access_rail_min, MAX_ACCESS_MINUTES);
            let mut joins: BTreeMap<&str, bool> = BTreeMap::new();
            for a in agglomerations {
                joins.insert(a, false);
            }
            for a in core_of {
                joins.insert(a, true);
            }
            for (agg, core) in joins {
                let field = if core { "core_of" } else { "agglomerations" };
                match data.agglomerations.iter_mut().find(|r| r.id == agg) {
                    Some(r) => {
                        if !r.members.contains(id) {
                            r.members.push(id.clone());
                        }
                        if core && !r.cores.contains(id) {
                            r.cores.push(id.clone());
                        }
                    }
                    None => ctx.bad(field, format!("unknown agglomeration `{agg}`")),
                }
            }
            data.cities.push(City {
                id: id.clone(),
                name: name.clone(),
                name_zh: name_zh.clone().unwrap_or_default(),
                province: province.clone().unwrap_or_default(),
                adcode: None,
                lon: *lon,
                lat: *lat,
                pop_2020: *population,
                pop_2010: None,
                urban_pop_2020: None,
                access_hsr_min: *access_hsr_min,
                access_rail_min: *access_rail_min,
                level: None,
                source: Some(format!("scenario {file}")),
                kind: crate::model::UnitKind::City,
                prefecture: None,
                area_km2: None,
                urban_share_2020: None,
                group_2010: None,
                pop_2010_group: None,
                counted_in: Vec::new(),
                loc,
            });
        }
        Edit::SetCity {
            id,
            population,
            urban_population,
            access_hsr_min,
            access_rail_min,
        } => {
            ctx.opt_number("access_hsr_min", *access_hsr_min, 0.0, true);
            ctx.opt_number("access_rail_min", *access_rail_min, 0.0, true);
            ctx.at_most("access_hsr_min", *access_hsr_min, MAX_ACCESS_MINUTES);
            ctx.at_most("access_rail_min", *access_rail_min, MAX_ACCESS_MINUTES);
            let Some(i) = city(data, id, ctx, "id") else {
                return;
            };
            let c = &mut data.cities[i];
            if let Some(p) = population {
                c.pop_2020 = *p;
            }
            if urban_population.is_some() {
                c.urban_pop_2020 = *urban_population;
            }
            if access_hsr_min.is_some() {
                c.access_hsr_min = *access_hsr_min;
            }
            if access_rail_min.is_some() {
                c.access_rail_min = *access_rail_min;
            }
        }
        Edit::Scale {
            mode,
            factor,
            agglomeration,
        } => {
            let m = ctx.mode("mode", mode);
            let ok = ctx.number("factor", *factor, 0.0, false);
            let members: Option<BTreeSet<String>> = match agglomeration {
                Some(a) => match data.agglomerations.iter().find(|r| &r.id == a) {
                    Some(r) => Some(r.members.iter().cloned().collect()),
                    None => {
                        ctx.bad("agglomeration", format!("unknown agglomeration `{a}`"));
                        return;
                    }
                },
                None => None,
            };
            let (Some(m), true) = (m, ok) else {
                return;
            };
            let hit: Vec<usize> = (0..data.links.len())
                .filter(|&i| {
                    let l = &data.links[i];
                    l.mode == m
                        && members
                            .as_ref()
                            .is_none_or(|s| s.contains(&l.from) && s.contains(&l.to))
                })
                .collect();
            if hit.is_empty() {
                ctx.bad("mode", format!("no `{m}` link to scale"));
            }
            // The product must stay a plausible link time, like any minutes.
            if let Some(l) = hit
                .iter()
                .map(|&i| &data.links[i])
                .find(|l| !positive_within(l.minutes * factor, MAX_LINK_MINUTES))
            {
                ctx.bad(
                    "factor",
                    format!(
                        "{} × {} minutes ({}–{}) gives {} minutes, not in (0, {MAX_LINK_MINUTES}]",
                        show(*factor),
                        show(l.minutes),
                        l.from,
                        l.to,
                        show(l.minutes * factor)
                    ),
                );
                return;
            }
            for i in hit {
                data.links[i].minutes *= factor;
            }
        }
    }
}

/// How one link differs between two networks.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkDiff {
    /// `added`, `removed` or `changed`.
    pub status: &'static str,
    /// Origin city id.
    pub from: String,
    /// Destination city id.
    pub to: String,
    /// Mode.
    pub mode: Mode,
    /// Line name.
    pub line: Option<String>,
    /// Minutes before (`None` when added).
    pub minutes_before: Option<f64>,
    /// Minutes after (`None` when removed).
    pub minutes_after: Option<f64>,
    /// Geometry (lon/lat): the scenario's for added and changed links, the
    /// base network's for removed ones.
    pub geometry: geo::LineString<f64>,
    /// Index of the link in the base network (`None` when added).
    pub index_before: Option<usize>,
    /// Index of the link in the scenario network (`None` when removed).
    pub index_after: Option<usize>,
}

/// The links that differ between `before` and `after`, matched by
/// (from, to, mode, line) in order of occurrence; sorted by those keys.
pub fn changed_links(before: &Network, after: &Network) -> Vec<LinkDiff> {
    type Key = (String, String, Mode, Option<String>);
    let keyed = |n: &Network| -> BTreeMap<Key, Vec<(usize, f64, Option<f64>)>> {
        let mut m: BTreeMap<Key, Vec<_>> = BTreeMap::new();
        for (i, l) in n.links().iter().enumerate() {
            let k = (
                n.city(l.from).id.clone(),
                n.city(l.to).id.clone(),
                l.mode,
                l.line.clone(),
            );
            m.entry(k)
                .or_default()
                .push((i, l.minutes, l.services_per_day));
        }
        m
    };
    let (kb, ka) = (keyed(before), keyed(after));
    let keys: BTreeSet<&Key> = kb.keys().chain(ka.keys()).collect();
    let mut out = Vec::new();
    for k in keys {
        let (b, a) = (
            kb.get(k).map_or(&[][..], |v| v),
            ka.get(k).map_or(&[][..], |v| v),
        );
        for j in 0..b.len().max(a.len()) {
            let (x, y) = (b.get(j), a.get(j));
            let (status, geometry) = match (x, y) {
                (Some(x), Some(y)) if x.1 == y.1 && x.2 == y.2 => continue,
                (Some(_), Some(y)) => ("changed", after.link_geometry(y.0)),
                (Some(x), None) => ("removed", before.link_geometry(x.0)),
                (None, Some(y)) => ("added", after.link_geometry(y.0)),
                (None, None) => continue,
            };
            out.push(LinkDiff {
                status,
                from: k.0.clone(),
                to: k.1.clone(),
                mode: k.2,
                line: k.3.clone(),
                minutes_before: x.map(|x| x.1),
                minutes_after: y.map(|y| y.1),
                geometry,
                index_before: x.map(|x| x.0),
                index_after: y.map(|y| y.0),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn net() -> Network {
        crate::io::Input::Embedded.load().unwrap().0
    }

    #[test]
    fn edits_apply_and_an_invalid_one_applies_nothing() {
        let base = net();
        let ok = Scenario::parse(
            r#"name = "t"
[[edit]]
op = "remove_link"
from = "hong-kong"
to = "zhuhai"
mode = "road"
[[edit]]
op = "add_city"
id = "newtown"
name = "Newtown"
lon = 114.0
lat = 22.6
population = 1000
agglomerations = ["pearl-river-delta"]
[[edit]]
op = "add_link"
from = "newtown"
to = "shenzhen"
mode = "road"
minutes = 20
"#,
            Path::new("ok.toml"),
        )
        .unwrap();
        let after = ok.apply(&base).unwrap();
        assert_eq!(after.cities().len(), base.cities().len() + 1);
        assert_eq!(after.links().len(), base.links().len());
        let diff = changed_links(&base, &after);
        let st: Vec<&str> = diff.iter().map(|d| d.status).collect();
        assert_eq!(st.iter().filter(|s| **s == "removed").count(), 1);
        assert_eq!(st.iter().filter(|s| **s == "added").count(), 1);
        for d in &diff {
            // The indices point at the link in the network it exists in.
            let (n, i) = match d.status {
                "removed" => (&base, d.index_before.unwrap()),
                _ => (&after, d.index_after.unwrap()),
            };
            let l = &n.links()[i];
            assert_eq!(
                (n.city(l.from).id.as_str(), n.city(l.to).id.as_str()),
                (d.from.as_str(), d.to.as_str())
            );
            assert_eq!(d.index_before.is_none(), d.status == "added");
            assert_eq!(d.index_after.is_none(), d.status == "removed");
        }
        let prd = after.find_agglomeration("pearl-river-delta").unwrap();
        assert!(prd.members.contains(&after.city_by_id("newtown").unwrap()));

        let bad = Scenario::parse(
            r#"name = "bad"
[[edit]]
op = "set_city"
id = "chengdu"
population = 1
[[edit]]
op = "add_link"
from = "chengdu"
to = "atlantis"
mode = "hsr"
minutes = inf
[[edit]]
op = "add_city"
id = "beijing"
name = "Beijing again"
lon = 116.0
lat = 40.0
population = 5
[[edit]]
op = "remove_link"
from = "chengdu"
to = "lhasa"
"#,
            Path::new("bad.toml"),
        )
        .unwrap();
        let err = bad.apply(&base).unwrap_err();
        let ScenarioError::Invalid { problems, path } = &err else {
            panic!("{err}");
        };
        assert_eq!(path, Path::new("bad.toml"));
        let got: Vec<(usize, Option<&str>)> = problems
            .iter()
            .map(|p| (p.index, p.field.as_deref()))
            .collect();
        assert!(got.contains(&(2, Some("to"))), "{err}");
        assert!(got.contains(&(2, Some("minutes"))), "{err}");
        assert!(got.contains(&(3, Some("id"))), "{err}");
        assert!(got.contains(&(4, Some("from"))), "{err}");
        assert!(!got.iter().any(|g| g.0 == 1), "{err}");
        // The base network is untouched.
        assert_eq!(
            base.city(base.city_by_id("chengdu").unwrap()).pop_2020,
            net().city(base.city_by_id("chengdu").unwrap()).pop_2020
        );
    }

    #[test]
    fn scale_set_link_and_base_chain() {
        let base = net();
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("a.toml"),
            "name = \"a\"\n[[edit]]\nop = \"scale\"\nmode = \"expressway\"\nfactor = 2\nagglomeration = \"chengdu-chongqing\"\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("b.toml"),
            "name = \"b\"\nbase = \"a.toml\"\n[[edit]]\nop = \"set_link\"\nfrom = \"chongqing\"\nto = \"chengdu\"\nline = \"Chengdu–Chongqing Intercity (express)\"\nminutes = 40\n",
        )
        .unwrap();
        let s = Scenario::load(&d.path().join("b.toml")).unwrap();
        let after = s.apply(&base).unwrap();
        let cc = base.find_agglomeration("chengdu-chongqing").unwrap();
        for (x, y) in base.links().iter().zip(after.links()) {
            let inside = cc.members.contains(&x.from) && cc.members.contains(&x.to);
            if x.line.as_deref() == Some("Chengdu–Chongqing Intercity (express)") {
                assert_eq!(y.minutes, 40.0);
            } else if x.mode == Mode::Expressway && inside {
                assert_eq!(y.minutes, 2.0 * x.minutes);
            } else {
                assert_eq!(y.minutes, x.minutes);
            }
        }
        // A base that names its child loops.
        std::fs::write(d.path().join("a.toml"), "name = \"a\"\nbase = \"b.toml\"\n").unwrap();
        let e = Scenario::load(&d.path().join("b.toml")).unwrap_err();
        assert!(matches!(e, ScenarioError::BaseCycle { .. }), "{e}");
    }
}
