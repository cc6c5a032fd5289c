//! `tiers`, `structure`, `growth`, `delineate`: the urban hierarchy, cluster
//! structure, polarization and network-delineated metropolitan areas.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agglo::algorithms::{
    AgglomerationGrowth, CircleOptions, ClusterStructure, DelineateOptions, Elsewhere, Engine,
    Measure, Pair, SizeClass, Tiers, census_scope, delineate, growth,
};
use agglo::io::{round_multipolygon, round6};
use agglo::{Agglomeration, Cell, CityIdx, Network, Table};
use anyhow::bail;
use clap::{Args, ValueEnum};
use geojson::{Feature, FeatureCollection, Geometry};

use super::travel::ModelArgs;
use super::{InputArgs, OutFormat, emit};

#[derive(Debug, Args)]
pub struct TiersArgs {
    /// Only this agglomeration (the national counts are always given).
    #[arg(long)]
    pub agglomeration: Option<String>,
    /// List every city with its class instead of the counts.
    #[arg(long)]
    pub list: bool,
    /// Write the cities (of the agglomeration, or all) as GeoJSON points with their class.
    #[arg(long)]
    pub geojson: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MeasureArg {
    /// Resident population 2020.
    Resident,
    /// Urban-district population (published or estimated).
    Urban,
}

#[derive(Debug, Args)]
pub struct StructureArgs {
    /// Only this agglomeration.
    #[arg(long, conflicts_with = "all")]
    pub agglomeration: Option<String>,
    /// Every agglomeration (the default).
    #[arg(long)]
    pub all: bool,
    /// Population the indicators are computed on.
    #[arg(long, value_enum, default_value_t = MeasureArg::Resident)]
    pub measure: MeasureArg,
    /// List the members (rank, size, class, role) instead of the indicators.
    #[arg(long)]
    pub members: bool,
    /// Write the members as GeoJSON points with class, role and growth.
    #[arg(long)]
    pub cities_out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Args)]
pub struct GrowthArgs {
    /// Only this agglomeration (default: every one).
    #[arg(long)]
    pub agglomeration: Option<String>,
    /// Door-to-door budget of each core's ring, minutes. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// Write the members as GeoJSON points with their growth and ring.
    #[arg(long)]
    pub cities_out: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DelineateView {
    /// One row per derived area.
    Areas,
    /// One row per official agglomeration against the derived areas of its cores.
    Official,
    /// One row per city inside some area (core, minutes, runner-up, tie).
    Cities,
}

#[derive(Debug, Args)]
pub struct DelineateArgs {
    /// Door-to-door budget, minutes. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// Smallest urban-district population of a core.
    #[arg(long, default_value_t = 3_000_000)]
    pub core_min_pop: u64,
    /// Only cities with a published urban population can be cores.
    #[arg(long)]
    pub measured_only: bool,
    /// Local speed (km/h) at which minutes left on arrival are spent (polygons). Range [1, 200] km/h.
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::local_speed)]
    pub local_speed: f64,
    /// What to print (table format prints areas, then the official comparison).
    #[arg(long, value_enum)]
    pub view: Option<DelineateView>,
    /// Write the derived areas as GeoJSON MultiPolygons.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write the cities inside areas as GeoJSON points with their core.
    #[arg(long)]
    pub cities_out: Option<PathBuf>,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = OutFormat::Table)]
    pub format: OutFormat,
}

fn id(net: &Network, c: CityIdx) -> String {
    net.city(c).id.clone()
}

fn ids(net: &Network, cs: impl IntoIterator<Item = CityIdx>) -> Vec<String> {
    cs.into_iter().map(|c| id(net, c)).collect()
}

fn pct(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Float(v * 100.0, 1))
}

fn opt(v: Option<f64>, d: usize) -> Cell {
    v.map_or(Cell::Empty, |v| Cell::Float(v, d))
}

fn point(net: &Network, c: CityIdx) -> Feature {
    let city = net.city(c);
    let mut f = Feature::from(Geometry::new_point([round6(city.lon), round6(city.lat)]));
    f.set_property("id", city.id.clone());
    f.set_property("name", city.name.clone());
    f.set_property("name_zh", city.name_zh.clone());
    f
}

fn write_features(p: &Path, features: Vec<Feature>) -> anyhow::Result<()> {
    let text = serde_json::to_string(&FeatureCollection::new(features))? + "\n";
    super::write_out(p, text.as_bytes())?;
    Ok(())
}

fn set_class(f: &mut Feature, tiers: &Tiers, c: CityIdx) {
    let t = tiers.of(c);
    f.set_property("class", t.class.as_str());
    f.set_property("class_zh", t.class.name_zh());
    f.set_property("urban_pop", t.urban_pop);
    f.set_property("estimated", t.estimated);
}

fn selected<'a>(net: &'a Network, q: &Option<String>) -> anyhow::Result<Vec<&'a Agglomeration>> {
    Ok(match q {
        Some(q) => vec![net.find_agglomeration(q)?],
        None => net.agglomerations().iter().collect(),
    })
}

/// The member cities of `ag` (at the county level: its prefecture centres
/// and county-level cities), sorted.
fn member_cities(net: &Network, ag: &Agglomeration) -> Vec<CityIdx> {
    let mut m: Vec<CityIdx> = members(ag)
        .into_iter()
        .filter(|&c| net.is_city(c))
        .collect();
    m.dedup();
    m
}

fn members(ag: &Agglomeration) -> Vec<CityIdx> {
    let mut m = ag.members.clone();
    m.sort_unstable();
    m.dedup();
    m
}

fn estimate_note(net: &Network, tiers: &Tiers) -> String {
    let n = tiers
        .cities
        .iter()
        .filter(|c| c.estimated && net.is_city(c.city))
        .count();
    format!(
        "urban-district population estimated for {n} cities as pop_2020 x {:.3} (lower quartile of {} published urban shares)",
        tiers.estimate.ratio, tiers.estimate.basis
    )
}

pub fn tiers(input: &InputArgs, a: &TiersArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let tiers = Tiers::classify(&net);
    let ag = match &a.agglomeration {
        Some(q) => Some(net.find_agglomeration(q)?),
        None => None,
    };
    let scope: Vec<CityIdx> = match ag {
        Some(ag) => member_cities(&net, ag),
        None => (0..net.cities().len() as CityIdx)
            .filter(|&c| net.is_city(c))
            .collect(),
    };
    if let Some(p) = &a.geojson {
        let feats = scope
            .iter()
            .map(|&c| {
                let mut f = point(&net, c);
                set_class(&mut f, &tiers, c);
                f.set_property("pop_2020", net.city(c).pop_2020);
                f
            })
            .collect();
        write_features(p, feats)?;
    }
    if a.list {
        let mut rows: Vec<CityIdx> = scope.clone();
        rows.sort_by(|x, y| {
            tiers
                .of(*y)
                .urban_pop
                .cmp(&tiers.of(*x).urban_pop)
                .then(x.cmp(y))
        });
        let mut t = Table::new(&[
            "id",
            "name",
            "name_zh",
            "province",
            "pop_2020",
            "urban_pop",
            "estimated",
            "class",
            "class_zh",
        ]);
        for c in rows {
            let (city, k) = (net.city(c), tiers.of(c));
            t.push(vec![
                city.id.as_str().into(),
                city.name.as_str().into(),
                city.name_zh.as_str().into(),
                city.province.as_str().into(),
                city.pop_2020.into(),
                k.urban_pop.into(),
                if k.estimated { "yes" } else { "no" }.into(),
                k.class.as_str().into(),
                k.class.name_zh().into(),
            ]);
        }
        emit(&t, a.format, None)?;
    } else {
        let mut cols = vec!["scope", "cities"];
        cols.extend(SizeClass::ALL.iter().map(|k| k.as_str()));
        cols.extend(["estimated", "estimated_top"]);
        let mut t = Table::new(&cols);
        let mut row = |name: &str, cs: &[CityIdx]| {
            let mut r: Vec<Cell> = vec![name.into(), cs.len().into()];
            r.extend(tiers.counts(cs).iter().map(|(_, p, e)| Cell::from(p + e)));
            r.push(cs.iter().filter(|c| tiers.of(**c).estimated).count().into());
            let top: Vec<CityIdx> = cs
                .iter()
                .copied()
                .filter(|c| tiers.of(*c).estimated && tiers.of(*c).class <= SizeClass::SuperLarge)
                .collect();
            r.push(ids(&net, top).into());
            t.push(r);
        };
        let national: Vec<CityIdx> = (0..net.cities().len() as CityIdx)
            .filter(|&c| net.is_city(c))
            .collect();
        row("national", &national);
        let mainland = census_scope(&net);
        if mainland.len() < national.len() {
            row("mainland", &mainland);
        }
        let aggs: Vec<&Agglomeration> = match ag {
            Some(ag) => vec![ag],
            None => net.agglomerations().iter().collect(),
        };
        for ag in aggs {
            row(&ag.id, &member_cities(&net, ag));
        }
        emit(&t, a.format, None)?;
    }
    if a.format == OutFormat::Table {
        outln!("{}", estimate_note(&net, &tiers))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn measure(m: MeasureArg) -> Measure {
    match m {
        MeasureArg::Resident => Measure::Resident,
        MeasureArg::Urban => Measure::Urban,
    }
}

fn growth_of(net: &Network, c: CityIdx) -> Option<f64> {
    let city = net.city(c);
    Pair {
        pop_2010: city.pop_2010?,
        pop_2020: city.pop_2020,
    }
    .rate()
}

pub fn structure(input: &InputArgs, a: &StructureArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let tiers = Tiers::classify(&net);
    let m = measure(a.measure);
    let aggs = selected(&net, &a.agglomeration)?;
    let results: Vec<(&Agglomeration, ClusterStructure)> = aggs
        .iter()
        .map(|ag| (*ag, ClusterStructure::of(&net, &tiers, ag, m)))
        .collect();
    if let Some(p) = &a.cities_out {
        let mut feats = Vec::new();
        for (ag, s) in &results {
            for (rank, &(c, size, role)) in s.ranked.iter().enumerate() {
                let mut f = point(&net, c);
                f.set_property("agglomeration", ag.id.clone());
                f.set_property("structure", s.kind.as_str());
                f.set_property("rank", rank + 1);
                f.set_property("size", size);
                f.set_property("role", role.as_str());
                f.set_property("core", ag.cores.contains(&c));
                set_class(&mut f, &tiers, c);
                f.set_property("pop_2010", net.city(c).pop_2010);
                f.set_property("pop_2020", net.city(c).pop_2020);
                f.set_property(
                    "growth_pct",
                    growth_of(&net, c).map(|g| (g * 1000.0).round() / 10.0),
                );
                feats.push(f);
            }
        }
        write_features(p, feats)?;
    }
    if a.members {
        let mut t = Table::new(&[
            "agglomeration",
            "rank",
            "id",
            "name_zh",
            "size",
            "class",
            "estimated",
            "role",
            "core",
            "growth_pct",
        ]);
        for (ag, s) in &results {
            for (rank, &(c, size, role)) in s.ranked.iter().enumerate() {
                let k = tiers.of(c);
                t.push(vec![
                    ag.id.as_str().into(),
                    (rank + 1).into(),
                    id(&net, c).into(),
                    net.city(c).name_zh.as_str().into(),
                    (size.round() as u64).into(),
                    k.class.as_str().into(),
                    if k.estimated { "yes" } else { "no" }.into(),
                    role.as_str().into(),
                    if ag.cores.contains(&c) { "yes" } else { "no" }.into(),
                    pct(growth_of(&net, c)),
                ]);
            }
        }
        emit(&t, a.format, None)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut t = Table::new(&[
        "agglomeration",
        "kind",
        "cities",
        "population",
        "classes",
        "first",
        "primacy",
        "four_city",
        "second_third",
        "zipf_q",
        "zipf_r2",
        "gini",
        "middle_share",
        "type",
        "rule",
    ]);
    for (ag, s) in &results {
        let i = &s.indicators;
        let classes = tiers
            .counts(&member_cities(&net, ag))
            .iter()
            .map(|(_, p, e)| (p + e).to_string())
            .collect::<Vec<_>>()
            .join("-");
        t.push(vec![
            ag.id.as_str().into(),
            ag.kind.as_str().into(),
            i.cities.into(),
            (i.population.round() as u64).into(),
            classes.into(),
            s.ranked
                .first()
                .map(|r| id(&net, r.0))
                .unwrap_or_default()
                .into(),
            opt(i.primacy, 2),
            opt(i.four_city, 2),
            opt(i.second_third, 2),
            opt(i.zipf.map(|z| z.exponent), 2),
            opt(i.zipf.map(|z| z.r2), 2),
            Cell::Float(i.gini, 3),
            Cell::Float(i.middle_share, 2),
            s.kind.as_str().into(),
            s.reason.as_str().into(),
        ]);
    }
    emit(&t, a.format, None)?;
    if a.format == OutFormat::Table {
        outln!(
            "measure: {} population; classes: counts megacity-super-large-large-I-large-II-medium-small-I-small-II",
            m.as_str()
        )?;
        outln!("{}", estimate_note(&net, &tiers))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn trend(g: &AgglomerationGrowth) -> &'static str {
    match g.core_share() {
        (Some(a), Some(b)) if b > a => "polarizing",
        (Some(a), Some(b)) if b < a => "dispersing",
        _ => "stable",
    }
}

pub fn growth_cmd(input: &InputArgs, a: &GrowthArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    let aggs = selected(&net, &a.agglomeration)?;
    let engine = Engine::new(&net, a.model.model()?, a.model.max_transfers);
    let mut ws = engine.workspace();
    let mut t = Table::new(&[
        "agglomeration",
        "core",
        "core_growth_pct",
        "rest_growth_pct",
        "core_share_2010",
        "core_share_2020",
        "trend",
        "ring_cities",
        "ring_growth_pct",
        "outside_growth_pct",
        "effect",
        "split",
        "shrinking",
        "no_2010",
    ]);
    let mut feats = Vec::new();
    for ag in aggs {
        let g = growth(&engine, &mut ws, ag, a.minutes)?;
        let (s10, s20) = g.core_share();
        let shrinking = g
            .shrinking
            .iter()
            .map(|(units, p10, p20)| {
                format!(
                    "{}:{:.1}",
                    units
                        .iter()
                        .map(|&u| id(&net, u))
                        .collect::<Vec<_>>()
                        .join("+"),
                    (*p20 as f64 / *p10 as f64 - 1.0) * 100.0
                )
            })
            .collect::<Vec<_>>();
        for cg in &g.per_core {
            t.push(vec![
                ag.id.as_str().into(),
                id(&net, cg.core).into(),
                pct(cg.core_pop.rate()),
                pct(g.rest.rate()),
                opt(s10, 3),
                opt(s20, 3),
                trend(&g).into(),
                cg.ring.len().into(),
                pct(cg.ring_pop.rate()),
                pct(cg.outside_pop.rate()),
                cg.effect.as_str().into(),
                cg.split.len().into(),
                shrinking.clone().into(),
                ids(&net, g.missing_2010.iter().copied()).into(),
            ]);
        }
        if a.cities_out.is_some() {
            for c in members(ag) {
                let mut f = point(&net, c);
                f.set_property("agglomeration", ag.id.clone());
                f.set_property("core", ag.cores.contains(&c));
                let rings: Vec<String> = g
                    .per_core
                    .iter()
                    .filter(|cg| cg.ring.contains(&c))
                    .map(|cg| id(&net, cg.core))
                    .collect();
                f.set_property("ring_of", rings.join(";"));
                f.set_property("pop_2010", net.city(c).pop_2010);
                f.set_property("pop_2020", net.city(c).pop_2020);
                f.set_property(
                    "growth_pct",
                    growth_of(&net, c).map(|v| (v * 1000.0).round() / 10.0),
                );
                f.set_property("group_2010", net.city(c).group_2010.clone());
                f.set_property("pop_2010_group", net.city(c).pop_2010_group);
                feats.push(f);
            }
        }
    }
    if let Some(p) = &a.cities_out {
        write_features(p, feats)?;
    }
    emit(&t, a.format, None)?;
    if a.format == OutFormat::Table {
        outln!(
            "growth 2010-2020 in %; ring = non-core members within {} min of the core; spread: ring grew faster than the members outside it, backwash: slower",
            a.minutes
        )?;
        if net
            .cities()
            .iter()
            .any(|c| c.kind == agglo::UnitKind::County)
        {
            outln!(
                "county level: a core is its urban districts; a 2010 group of units counts only where all its units are (split: units left out because their group straddles the ring's or the core's edge)"
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn delineate_cmd(input: &InputArgs, a: &DelineateArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    if a.model.direction() != agglo::Direction::Out {
        bail!("delineate measures trips out of the cores; --direction in is not supported");
    }
    let opts = DelineateOptions {
        minutes: a.minutes,
        core_min_pop: a.core_min_pop,
        measured_only: a.measured_only,
        max_transfers: a.model.max_transfers,
        circle: CircleOptions {
            local_speed_kmh: a.local_speed,
            shapes: super::unit_shapes(&net)?,
            ..Default::default()
        },
    };
    let d = delineate(&net, &a.model.model()?, opts)?;
    let mut areas = Table::new(&[
        "core",
        "name_zh",
        "core_urban_pop",
        "estimated",
        "cities",
        "population",
        "area_km2",
        "members",
    ]);
    for ar in &d.areas {
        areas.push(vec![
            id(&net, ar.core).into(),
            net.city(ar.core).name_zh.as_str().into(),
            ar.core_urban_pop.into(),
            if ar.core_estimated { "yes" } else { "no" }.into(),
            ar.members.len().into(),
            ar.population.into(),
            Cell::Float(ar.area_km2, 0),
            ids(&net, ar.members.iter().skip(1).map(|m| m.0)).into(),
        ]);
    }
    let mut official = Table::new(&[
        "agglomeration",
        "kind",
        "derived_cores",
        "jaccard",
        "pop_jaccard",
        "outside",
        "extra",
    ]);
    for m in d.compare_official(&net) {
        let ag = &net.agglomerations()[m.agglomeration];
        let outside = m
            .outside
            .iter()
            .map(|&(c, at)| match at {
                Elsewhere::Joined(k) => format!("{}>{}", id(&net, c), id(&net, k)),
                Elsewhere::OwnArea => format!("{}*", id(&net, c)),
                Elsewhere::Unreached => id(&net, c),
            })
            .collect::<Vec<_>>();
        official.push(vec![
            ag.id.as_str().into(),
            ag.kind.as_str().into(),
            ids(&net, m.derived_cores.iter().copied()).into(),
            Cell::Float(m.jaccard, 2),
            Cell::Float(m.pop_jaccard, 2),
            outside.into(),
            ids(&net, m.extra.iter().copied()).into(),
        ]);
    }
    let mut cities = Table::new(&[
        "id",
        "core",
        "minutes",
        "runner_up",
        "runner_minutes",
        "tie",
    ]);
    for s in &d.assignments {
        cities.push(vec![
            id(&net, s.city).into(),
            id(&net, s.core).into(),
            Cell::Float(s.minutes, 1),
            s.runner_up.map(|r| id(&net, r.0)).into(),
            opt(s.runner_up.map(|r| r.1), 1),
            if s.tie { "yes" } else { "no" }.into(),
        ]);
    }
    if let Some(p) = &a.out {
        let feats = d
            .areas
            .iter()
            .map(|ar| {
                let poly = round_multipolygon(&ar.polygon);
                let mut f = Feature::from(Geometry::from(&poly));
                f.id = Some(geojson::feature::Id::String(id(&net, ar.core)));
                f.set_property("core", id(&net, ar.core));
                f.set_property("core_urban_pop", ar.core_urban_pop);
                f.set_property("core_estimated", ar.core_estimated);
                f.set_property("minutes", d.options.minutes);
                f.set_property("cities", ar.members.len());
                f.set_property("population", ar.population);
                f.set_property("area_km2", ar.area_km2.round());
                f.set_property(
                    "members",
                    ar.members.iter().map(|m| id(&net, m.0)).collect::<Vec<_>>(),
                );
                f
            })
            .collect();
        write_features(p, feats)?;
    }
    if let Some(p) = &a.cities_out {
        let mut feats = Vec::new();
        for ar in &d.areas {
            for &(c, t) in &ar.members {
                let mut f = point(&net, c);
                f.set_property("area", id(&net, ar.core));
                f.set_property("minutes", (t * 10.0).round() / 10.0);
                f.set_property("is_core", c == ar.core);
                f.set_property("pop_2020", net.city(c).pop_2020);
                feats.push(f);
            }
        }
        write_features(p, feats)?;
    }
    match (a.view, a.format) {
        (None, OutFormat::Table) => {
            emit(&areas, a.format, None)?;
            outln!()?;
            emit(&official, a.format, None)?;
            let contested = d.assignments.iter().filter(|s| s.runner_up.is_some());
            let ties = d.assignments.iter().filter(|s| s.tie).count();
            outln!(
                "{} areas within {} min; {} cities contested (reached by two or more cores), {} ties; outside a>b: member a joined core b; a*: member a is a core with its own area",
                d.areas.len(),
                a.minutes,
                contested.count(),
                ties
            )?;
        }
        (None | Some(DelineateView::Areas), f) => emit(&areas, f, None)?,
        (Some(DelineateView::Official), f) => emit(&official, f, None)?,
        (Some(DelineateView::Cities), f) => emit(&cities, f, None)?,
    }
    Ok(ExitCode::SUCCESS)
}
