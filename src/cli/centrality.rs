//! `agglo centrality`: centrality and accessibility ranked within agglomerations.

use std::path::PathBuf;
use std::process::ExitCode;

use agglo::algorithms::centrality::{
    CentralityOptions, CityCentrality, Decay, Measures, Scope, SourceSample, WARN_SECONDS, Weight,
    agglomeration_centrality, members_estimate,
};
use agglo::io::round6;
use agglo::road::hoeffding_epsilon;
use agglo::{Agglomeration, Cell, Table};
use anyhow::bail;
use clap::{Args, ValueEnum};
use geojson::{Feature, FeatureCollection, Geometry};

use super::InputArgs;
use super::travel::ModelArgs;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum WeightArg {
    /// Fastest link's in-vehicle or driving minutes per linked pair.
    Minutes,
    /// Door-to-door minutes (access, waits, transfers), paths through any city.
    DoorToDoor,
    /// Route length in km.
    Km,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PathsArg {
    /// Paths inside the subgraph of the agglomeration's members.
    Members,
    /// Paths through any city; only pairs of members count.
    Network,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CentralityFormat {
    Table,
    Csv,
    Json,
    Geojson,
}

/// Measures available, in column order.
pub(super) const MEASURES: &[&str] = &[
    "degree",
    "strength",
    "betweenness",
    "betweenness_norm",
    "pop_betweenness",
    "closeness",
    "harmonic",
    "access_exp",
    "access_step",
    "access_linear",
    "access_power",
    "access_gauss",
    "straightness",
];
/// Measures shown by the text table unless `--measures` says otherwise.
const TABLE_MEASURES: &[&str] = &[
    "degree",
    "betweenness_norm",
    "pop_betweenness",
    "closeness",
    "harmonic",
    "access_exp",
    "straightness",
];
/// Measures that a sampled run (`--sample`) gives.
const SAMPLED_MEASURES: &[&str] = &[
    "degree",
    "strength",
    "betweenness",
    "betweenness_norm",
    "pop_betweenness",
];
/// Measures that take a `--within` cutoff.
const CUT_MEASURES: &[&str] = &[
    "betweenness",
    "betweenness_norm",
    "pop_betweenness",
    "closeness",
    "harmonic",
];

#[derive(Debug, Args)]
pub struct CentralityArgs {
    /// Only this agglomeration (default: every agglomeration).
    #[arg(long, conflicts_with = "all")]
    pub agglomeration: Option<String>,
    /// Every agglomeration (the default).
    #[arg(long)]
    pub all: bool,
    /// Measures to output, comma-separated (default: all; the table shows a readable subset).
    #[arg(long, value_delimiter = ',')]
    pub measures: Vec<String>,
    /// Edge weight.
    #[arg(long, value_enum, default_value_t = WeightArg::Minutes)]
    pub weight: WeightArg,
    /// Count only pairs at most this far apart (minutes, or km with --weight km); several allowed. Range (0, 1e6].
    #[arg(long, value_delimiter = ',', value_parser = super::bounds::cutoff)]
    pub within: Vec<f64>,
    /// Which paths count.
    #[arg(long, value_enum, default_value_t = PathsArg::Members)]
    pub paths: PathsArg,
    /// Half-life (minutes) of the exponential (Hansen) accessibility. Range (0, 10080].
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::scale)]
    pub half_life: f64,
    /// Budget (minutes) of the step and linear accessibility. Range (0, 10080].
    #[arg(long, default_value_t = 60.0, value_parser = super::bounds::budget)]
    pub minutes: f64,
    /// Scale (minutes) of the inverse-power accessibility (1 + t/scale)^-exponent. Range (0, 10080].
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::scale)]
    pub power_scale: f64,
    /// Exponent of the inverse-power accessibility. Range (0, 100].
    #[arg(long, default_value_t = 2.0, value_parser = super::bounds::exponent)]
    pub power_exponent: f64,
    /// Standard deviation (minutes) of the Gaussian accessibility. Range (0, 10080].
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::scale)]
    pub gauss_sigma: f64,
    #[command(flatten)]
    pub sampling: super::shard::SampleArgs,
    /// Sort each agglomeration by this measure (descending).
    #[arg(long, default_value = "betweenness_norm")]
    pub sort: String,
    #[command(flatten)]
    pub model: ModelArgs,
    #[arg(long, value_enum, default_value_t = CentralityFormat::Table)]
    pub format: CentralityFormat,
    /// Write to this file instead of printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn positive(name: &str, v: f64) -> anyhow::Result<f64> {
    if !v.is_finite() || v <= 0.0 {
        bail!("{name} must be a positive number, got {v}");
    }
    Ok(v)
}

/// Column names of one measure: itself, then one per cutoff.
fn columns_of(m: &str, within: &[f64]) -> Vec<String> {
    let mut c = vec![m.to_owned()];
    if CUT_MEASURES.contains(&m) {
        c.extend(within.iter().map(|w| format!("{m}_w{w}")));
    }
    c
}

pub(super) fn values_of(m: &str, r: &CityCentrality) -> Vec<Option<f64>> {
    let all = |v: &Vec<f64>| v.iter().map(|x| Some(*x)).collect();
    match m {
        "degree" => vec![Some(r.degree as f64)],
        "strength" => vec![Some(r.strength)],
        "betweenness" => all(&r.betweenness),
        "betweenness_norm" => all(&r.betweenness_norm),
        "pop_betweenness" => all(&r.pop_betweenness),
        "closeness" => all(&r.closeness),
        "harmonic" => all(&r.harmonic),
        "access_exp" => vec![Some(r.accessibility[0])],
        "access_step" => vec![Some(r.accessibility[1])],
        "access_linear" => vec![Some(r.accessibility[2])],
        "access_power" => vec![Some(r.accessibility[3])],
        "access_gauss" => vec![Some(r.accessibility[4])],
        "straightness" => vec![r.straightness],
        _ => unreachable!("measures are checked before use"),
    }
}

/// The families of measures that the output columns `names` need.
pub(super) fn measures_for<'a>(names: impl IntoIterator<Item = &'a str>) -> Measures {
    let mut m = Measures::NONE;
    for name in names {
        match name {
            "betweenness" | "betweenness_norm" => m.betweenness = true,
            "pop_betweenness" => m.pop_betweenness = true,
            "closeness" | "harmonic" => m.closeness = true,
            "straightness" => m.straightness = true,
            x if x.starts_with("access_") => m.accessibility = true,
            _ => {}
        }
    }
    m
}

/// Competition ranks (1 = highest; equal values share a rank), missing last.
///
/// # Complexity
/// O(n log n).
fn ranks(values: &[Option<f64>]) -> Vec<usize> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(|a, b| b.total_cmp(a));
    values
        .iter()
        .map(|v| match v {
            None => values.len(),
            Some(x) => 1 + sorted.partition_point(|y| y > x),
        })
        .collect()
}

pub fn centrality(input: &InputArgs, a: &CentralityArgs) -> anyhow::Result<ExitCode> {
    let net = input.load()?;
    for w in &a.within {
        positive("--within", *w)?;
    }
    let measures: Vec<&str> = if a.measures.is_empty() {
        if a.sampling.sample.is_some() {
            SAMPLED_MEASURES.to_vec()
        } else if a.format == CentralityFormat::Table {
            TABLE_MEASURES.to_vec()
        } else {
            MEASURES.to_vec()
        }
    } else {
        let mut v = Vec::new();
        for m in &a.measures {
            match MEASURES.iter().find(|x| **x == m.trim()) {
                Some(x) => v.push(*x),
                None => bail!(
                    "unknown measure `{m}` (expected one of {})",
                    MEASURES.join(", ")
                ),
            }
        }
        v
    };
    if !MEASURES.contains(&a.sort.as_str()) {
        bail!(
            "--sort: unknown measure `{}` (expected one of {})",
            a.sort,
            MEASURES.join(", ")
        );
    }
    if let Some(k) = a.sampling.sample {
        if k == 0 {
            bail!("--sample must be at least 1");
        }
        if a.weight == WeightArg::DoorToDoor {
            bail!("--sample is not available with --weight door-to-door");
        }
        if let Some(m) = measures
            .iter()
            .chain([&a.sort.as_str()])
            .find(|m| !SAMPLED_MEASURES.contains(m))
        {
            bail!(
                "--sample estimates betweenness only: `{m}` needs every source (sampled measures: {})",
                SAMPLED_MEASURES.join(", ")
            );
        }
    }
    let opt = CentralityOptions {
        weight: match a.weight {
            WeightArg::Minutes => Weight::Minutes,
            WeightArg::DoorToDoor => Weight::DoorToDoor,
            WeightArg::Km => Weight::Km,
        },
        scope: match a.paths {
            PathsArg::Members => Scope::Members,
            PathsArg::Network => Scope::Network,
        },
        within: a.within.clone(),
        decays: vec![
            Decay::Exponential {
                half_life: positive("--half-life", a.half_life)?,
            },
            Decay::Step {
                minutes: positive("--minutes", a.minutes)?,
            },
            Decay::Linear { minutes: a.minutes },
            Decay::Power {
                scale: positive("--power-scale", a.power_scale)?,
                exponent: positive("--power-exponent", a.power_exponent)?,
            },
            Decay::Gaussian {
                sigma: positive("--gauss-sigma", a.gauss_sigma)?,
            },
        ],
        model: a.model.model()?,
        measures: measures_for(measures.iter().copied().chain([a.sort.as_str()])),
        sample: a.sampling.sample.map(|count| SourceSample {
            count,
            seed: a.sampling.seed,
        }),
    };
    let aggs: Vec<&Agglomeration> = match &a.agglomeration {
        Some(q) => vec![net.find_agglomeration(q)?],
        None => net.agglomerations().iter().collect(),
    };
    let mut cols: Vec<String> = vec![
        "agglomeration".into(),
        "id".into(),
        "name".into(),
        "name_zh".into(),
    ];
    let measure_cols: Vec<(String, &str, usize)> = measures
        .iter()
        .flat_map(|m| {
            columns_of(m, &a.within)
                .into_iter()
                .enumerate()
                .map(move |(k, c)| (c, *m, k))
        })
        .collect();
    for (c, _, _) in &measure_cols {
        cols.push(c.clone());
        cols.push(format!("rank_{c}"));
    }
    let col_refs: Vec<&str> = cols.iter().map(String::as_str).collect();
    let mut table = Table::new(&col_refs);
    let mut features = Vec::new();
    for ag in aggs {
        // Paths start and end at units (at the county level, prefecture
        // centres are only passed through).
        let m = ag.members.iter().filter(|&&c| net.is_unit(c)).count();
        if let Some(k) = a.sampling.sample {
            errln!(
                "{}: betweenness estimated from {} of {m} source members (seed {}): every normalised value within ±{:.4} of the exact one with probability ≥ {}",
                ag.id,
                k.min(m),
                a.sampling.seed,
                hoeffding_epsilon(m, k, a.sampling.delta),
                1.0 - a.sampling.delta
            );
        } else if let Some(secs) = members_estimate(&net, &ag.members, &opt)
            && secs > WARN_SECONDS
        {
            let k = 1000.min(m);
            errln!(
                "agglo: exact centrality of {} from all {m} members will take about {} on {} thread(s) (timed on 4 sources); `--sample {k}` estimates betweenness in about {} (Ctrl-C to stop)",
                ag.id,
                super::road::human_secs(secs),
                rayon::current_num_threads(),
                super::road::human_secs(secs * k as f64 / m.max(1) as f64),
            );
        }
        // Rows and ranks for units only: at the county level, prefecture
        // centres carry trips (and betweenness) but are not units.
        let res: Vec<CityCentrality> = agglomeration_centrality(&net, ag, &opt)
            .into_iter()
            .filter(|r| net.is_unit(r.city))
            .collect();
        // values[column][city]
        let values: Vec<Vec<Option<f64>>> = measure_cols
            .iter()
            .map(|(_, m, k)| res.iter().map(|r| values_of(m, r)[*k]).collect())
            .collect();
        let rank: Vec<Vec<usize>> = values.iter().map(|v| ranks(v)).collect();
        let sort_vals: Vec<Option<f64>> = res.iter().map(|r| values_of(&a.sort, r)[0]).collect();
        let mut order: Vec<usize> = (0..res.len()).collect();
        order.sort_by(|&i, &j| {
            let (x, y) = (
                sort_vals[i].unwrap_or(f64::NEG_INFINITY),
                sort_vals[j].unwrap_or(f64::NEG_INFINITY),
            );
            y.total_cmp(&x)
                .then(net.city(res[i].city).id.cmp(&net.city(res[j].city).id))
        });
        for i in order {
            let c = net.city(res[i].city);
            let mut row: Vec<Cell> = vec![
                ag.id.as_str().into(),
                c.id.as_str().into(),
                c.name.as_str().into(),
                c.name_zh.as_str().into(),
            ];
            for (k, (_, m, _)) in measure_cols.iter().enumerate() {
                let dec = if m.starts_with("access") || *m == "degree" {
                    0
                } else if m.contains("betweenness") && *m == "betweenness" || *m == "strength" {
                    2
                } else {
                    6
                };
                row.push(values[k][i].map_or(Cell::Empty, |v| {
                    if *m == "degree" {
                        Cell::Int(v as i64)
                    } else {
                        Cell::Float(v, dec)
                    }
                }));
                row.push(rank[k][i].into());
            }
            if a.format == CentralityFormat::Geojson {
                let mut f = Feature::from(Geometry::new_point([round6(c.lon), round6(c.lat)]));
                f.id = Some(geojson::feature::Id::String(format!("{}:{}", ag.id, c.id)));
                if let serde_json::Value::Object(props) = table.row_json(&row) {
                    for (k, v) in props {
                        f.set_property(k, v);
                    }
                }
                f.set_property("pop_2020", c.pop_2020);
                features.push(f);
            }
            table.push(row);
        }
    }
    let text = match a.format {
        CentralityFormat::Table => table.render(agglo::Format::Table),
        CentralityFormat::Csv => table.render(agglo::Format::Csv),
        CentralityFormat::Json => table.render(agglo::Format::Json),
        CentralityFormat::Geojson => {
            serde_json::to_string(&FeatureCollection::new(features))? + "\n"
        }
    };
    match &a.out {
        Some(p) => super::write_out(p, text.as_bytes())?,
        None => super::print_str(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
