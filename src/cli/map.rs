//! `map`: a static map (SVG or PNG) of commuting circles, links and cities.

use std::path::PathBuf;
use std::process::ExitCode;

use agglo::Network;
use agglo::algorithms::{CircleOptions, CommutingCircle, Engine, commuting_circles};
use agglo::render::{Lang as MapLang, MapSpec, ScenarioOverlay, render_svg, svg_to_png};
use agglo::scenario::{Scenario, changed_links};
use anyhow::{Context, bail};
use clap::Args;

use super::InputArgs;
use super::qgis::{Lang, budgets, centrality_rows};
use super::travel::ModelArgs;

#[derive(Debug, Args)]
pub struct MapArgs {
    /// Draw this agglomeration and its cores' circles (default: the whole network).
    #[arg(long)]
    pub agglomeration: Option<String>,
    /// Circle budgets in minutes, comma-separated; `0` draws no circles. Range [0, 10080].
    #[arg(long, value_delimiter = ',', default_value = "30,60,90", value_parser = super::bounds::budget_or_zero)]
    pub minutes: Vec<f64>,
    /// Colour the members by this measure of `agglo centrality` (with --agglomeration).
    #[arg(long)]
    pub centrality: Option<String>,
    /// Draw this scenario (TOML) over its base: circles before (dashed) and
    /// after, links added, changed or removed highlighted.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Label language.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Title (default: names the agglomeration and the budgets).
    #[arg(long)]
    pub title: Option<String>,
    /// Width in px (height is three quarters of it). Range [100, 20000].
    #[arg(long, default_value_t = 1200.0, value_parser = super::bounds::width_px)]
    pub width: f64,
    /// Local speed (km/h) at which minutes left on arrival are spent. Range [1, 200] km/h.
    #[arg(long, default_value_t = 30.0, value_parser = super::bounds::local_speed)]
    pub local_speed: f64,
    /// Leave out the basemap (land, coast, province and county borders).
    #[arg(long)]
    pub no_basemap: bool,
    /// Output file: `.svg` or `.png` (`-`: SVG on stdout).
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub model: ModelArgs,
}

pub fn map(input: &InputArgs, a: &MapArgs) -> anyhow::Result<ExitCode> {
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let png = match ext.as_deref() {
        _ if super::is_stdout(&a.out) => false,
        Some("svg") => false,
        Some("png") => true,
        _ => bail!("--out must end in .svg or .png, got {}", a.out.display()),
    };
    if a.centrality.is_some() && a.agglomeration.is_none() {
        bail!("--centrality ranks cities within an agglomeration: give --agglomeration too");
    }
    if !a.width.is_finite() || !(200.0..=8000.0).contains(&a.width) {
        bail!("--width must be between 200 and 8000 px");
    }
    if !a.local_speed.is_finite() || a.local_speed < 0.0 {
        bail!("--local-speed must be a non-negative number of km/h");
    }
    let base = input.load()?;
    // The scenario is read and applied before any drawing: a bad file fails
    // here with its own message and nothing is written.
    let scenario = match &a.scenario {
        Some(path) => {
            let s = Scenario::load(path)?;
            let after = s.apply(&base)?;
            Some((s, after))
        }
        None => None,
    };
    let net: &Network = scenario.as_ref().map_or(&base, |(_, after)| after);
    let b: Vec<f64> = if a.minutes == [0.0] {
        Vec::new()
    } else {
        budgets(&a.minutes)?
    };
    let lang = match a.lang {
        Lang::En => MapLang::En,
        Lang::Zh => MapLang::Zh,
    };
    let View { aggs, focus, name } = view(net, a.agglomeration.as_deref(), lang)?;
    let circles = circles_of(net, a, &aggs, &b)?;
    let list = b
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join("/");
    // Before the scenario: the base network's circles and the links that differ.
    let before = match &scenario {
        Some(_) => {
            let v = view(&base, a.agglomeration.as_deref(), lang)?;
            let c = circles_of(&base, a, &v.aggs, &b)?;
            Some(reindex(c, &base, net)?)
        }
        None => None,
    };
    let diff = scenario
        .as_ref()
        .map(|(_, after)| changed_links(&base, after))
        .unwrap_or_default();
    let added_cities: Vec<agglo::CityIdx> = (0..net.cities().len() as agglo::CityIdx)
        .filter(|&c| base.city_by_id(&net.city(c).id).is_none())
        .collect();
    let (title, subtitle) = match &scenario {
        None => (
            a.title
                .clone()
                .unwrap_or_else(|| match (lang, b.is_empty()) {
                    (_, true) => name.clone(),
                    (MapLang::En, false) => format!("{name}: {list}-minute commuting circles"),
                    (MapLang::Zh, false) => format!("{name}：{list}分钟通勤圈"),
                }),
            None,
        ),
        Some((s, _)) => (
            a.title.clone().unwrap_or_else(|| s.name.clone()),
            Some(match (lang, b.is_empty()) {
                (_, true) => name.clone(),
                (MapLang::En, false) => format!(
                    "{name}: {list}-minute commuting circles before (dashed) and with the scenario"
                ),
                (MapLang::Zh, false) => {
                    format!("{name}：{list}分钟通勤圈，情景前（虚线）与情景后")
                }
            }),
        ),
    };
    // Centrality is that of the network drawn: the scenario's, with one.
    let scores: Option<Vec<f64>> = match &a.centrality {
        Some(m) => {
            let mut v = vec![f64::NAN; net.cities().len()];
            for (_, c, s) in centrality_rows(net, &aggs, m)? {
                v[c as usize] = s;
            }
            Some(v)
        }
        None => None,
    };
    let basemap = if a.no_basemap {
        None
    } else {
        Some(agglo::geometry::Basemap::embedded()?)
    };
    let spec = MapSpec {
        basemap,
        title,
        subtitle,
        lang,
        size: (a.width, (a.width * 0.75).round()),
        focus,
        circles: &circles,
        centrality: a.centrality.as_deref().zip(scores.as_deref()),
        scenario: before.as_deref().map(|before| ScenarioOverlay {
            before,
            added_cities: &added_cities,
            links: &diff,
        }),
    };
    let svg = render_svg(net, &spec)?;
    if png {
        super::write_out(&a.out, &svg_to_png(&svg, 1.0)?)?;
    } else {
        super::write_out(&a.out, svg.as_bytes())?;
    }
    errln!(
        "wrote {} ({} circles, {} cities, {} links drawn)",
        a.out.display(),
        svg.matches("class=\"circle\"").count(),
        svg.matches("class=\"city").count(),
        svg.matches("class=\"link ").count()
    );
    if let Some((s, _)) = &scenario {
        errln!(
            "scenario {:?}: {} added, {} changed, {} removed links highlighted; {} budget outline(s) before; area gained within {} budget(s), lost within {}",
            s.name,
            svg.matches("data-status=\"added\"").count(),
            svg.matches("data-status=\"changed\"").count(),
            svg.matches("data-status=\"removed\"").count(),
            svg.matches("class=\"circle-before\"").count(),
            svg.matches("class=\"area-gained\"").count(),
            svg.matches("class=\"area-lost\"").count(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// What a map shows: the agglomerations whose circles are drawn, the cities
/// to fit (`None`: all) and the view's name.
struct View<'n> {
    aggs: Vec<&'n agglo::Agglomeration>,
    focus: Option<Vec<agglo::CityIdx>>,
    name: String,
}

/// The view of `--agglomeration` (or the whole network) in `net`.
fn view<'n>(
    net: &'n Network,
    agglomeration: Option<&str>,
    lang: MapLang,
) -> anyhow::Result<View<'n>> {
    Ok(match agglomeration {
        Some(q) => {
            let ag = net.find_agglomeration(q)?;
            View {
                aggs: vec![ag],
                focus: Some(ag.members.clone()),
                name: match lang {
                    MapLang::En => ag.name.clone(),
                    MapLang::Zh => ag.name_zh.clone(),
                },
            }
        }
        None => View {
            aggs: net.agglomerations().iter().collect(),
            focus: None,
            name: match lang {
                MapLang::En => "China's city network".to_owned(),
                MapLang::Zh => "全国城市网络".to_owned(),
            },
        },
    })
}

/// One circle per core of `aggs` and budget, with the map's travel options.
fn circles_of(
    net: &Network,
    a: &MapArgs,
    aggs: &[&agglo::Agglomeration],
    b: &[f64],
) -> anyhow::Result<Vec<CommutingCircle>> {
    let engine = Engine::new(net, a.model.model()?, a.model.max_transfers);
    Ok(commuting_circles(
        net,
        &engine,
        a.model.direction(),
        aggs,
        b,
        false,
        CircleOptions {
            local_speed_kmh: a.local_speed,
            shapes: super::unit_shapes(net)?,
            ..Default::default()
        },
    ))
}

/// `circles` of network `from` with their cities indexed in `to` (a
/// scenario of `from`: it keeps every city, maybe at another index).
fn reindex(
    mut circles: Vec<CommutingCircle>,
    from: &Network,
    to: &Network,
) -> anyhow::Result<Vec<CommutingCircle>> {
    let map = |c: agglo::CityIdx| {
        let id = &from.city(c).id;
        to.city_by_id(id)
            .with_context(|| format!("city `{id}` of the base network is not in the scenario"))
    };
    for c in &mut circles {
        for o in c.cores.iter_mut().chain(c.origins.iter_mut()) {
            *o = map(*o)?;
        }
        for o in &mut c.outside {
            *o = map(*o)?;
        }
        for (x, _) in &mut c.cities {
            *x = map(*x)?;
        }
    }
    Ok(circles)
}
