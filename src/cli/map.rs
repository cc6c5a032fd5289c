//! `map`: a static map (SVG or PNG) of commuting circles, links and cities.

use std::path::PathBuf;
use std::process::ExitCode;

use agglo::algorithms::{CircleOptions, Engine, commuting_circles};
use agglo::io::write_atomic;
use agglo::render::{Lang as MapLang, MapSpec, render_svg, svg_to_png};
use anyhow::bail;
use clap::Args;

use super::InputArgs;
use super::qgis::{Lang, budgets, centrality_rows};
use super::travel::ModelArgs;

#[derive(Debug, Args)]
pub struct MapArgs {
    /// Draw this agglomeration and its cores' circles (default: the whole network).
    #[arg(long)]
    pub agglomeration: Option<String>,
    /// Circle budgets in minutes, comma-separated; `0` draws no circles.
    #[arg(long, value_delimiter = ',', default_value = "30,60,90")]
    pub minutes: Vec<f64>,
    /// Colour the members by this measure of `agglo centrality` (with --agglomeration).
    #[arg(long)]
    pub centrality: Option<String>,
    /// Label language.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Title (default: names the agglomeration and the budgets).
    #[arg(long)]
    pub title: Option<String>,
    /// Width in px (height is three quarters of it).
    #[arg(long, default_value_t = 1200.0)]
    pub width: f64,
    /// Local speed (km/h) at which minutes left on arrival are spent.
    #[arg(long, default_value_t = 30.0)]
    pub local_speed: f64,
    /// Output file: `.svg` or `.png`.
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
    let net = input.load()?;
    let b: Vec<f64> = if a.minutes == [0.0] {
        Vec::new()
    } else {
        budgets(&a.minutes)?
    };
    let lang = match a.lang {
        Lang::En => MapLang::En,
        Lang::Zh => MapLang::Zh,
    };
    let (aggs, focus, name) = match &a.agglomeration {
        Some(q) => {
            let ag = net.find_agglomeration(q)?;
            let name = match lang {
                MapLang::En => ag.name.clone(),
                MapLang::Zh => ag.name_zh.clone(),
            };
            (vec![ag], Some(ag.members.clone()), name)
        }
        None => (
            net.agglomerations().iter().collect(),
            None,
            match lang {
                MapLang::En => "China's city network".to_owned(),
                MapLang::Zh => "全国城市网络".to_owned(),
            },
        ),
    };
    let engine = Engine::new(&net, a.model.model()?, a.model.max_transfers);
    let circles = commuting_circles(
        &net,
        &engine,
        a.model.direction(),
        &aggs,
        &b,
        false,
        CircleOptions {
            local_speed_kmh: a.local_speed,
        },
    );
    let list = b
        .iter()
        .map(|m| m.to_string())
        .collect::<Vec<_>>()
        .join("/");
    let title = a
        .title
        .clone()
        .unwrap_or_else(|| match (lang, b.is_empty()) {
            (_, true) => name.clone(),
            (MapLang::En, false) => format!("{name}: {list}-minute commuting circles"),
            (MapLang::Zh, false) => format!("{name}：{list}分钟通勤圈"),
        });
    let scores: Option<Vec<f64>> = match &a.centrality {
        Some(m) => {
            let mut v = vec![f64::NAN; net.cities().len()];
            for (_, c, s) in centrality_rows(&net, &aggs, m)? {
                v[c as usize] = s;
            }
            Some(v)
        }
        None => None,
    };
    let spec = MapSpec {
        title,
        lang,
        size: (a.width, (a.width * 0.75).round()),
        focus,
        circles: &circles,
        centrality: a.centrality.as_deref().zip(scores.as_deref()),
    };
    let svg = render_svg(&net, &spec)?;
    if png {
        write_atomic(&a.out, &svg_to_png(&svg, 1.0)?)?;
    } else {
        write_atomic(&a.out, svg.as_bytes())?;
    }
    eprintln!(
        "wrote {} ({} circles, {} cities, {} links drawn)",
        a.out.display(),
        svg.matches("class=\"circle\"").count(),
        svg.matches("class=\"city\"").count(),
        svg.matches("class=\"link ").count()
    );
    Ok(ExitCode::SUCCESS)
}
