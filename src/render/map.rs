//! A static map as SVG: commuting circles (nested budgets in graded
//! colours, semi-transparent, larger budgets below), links coloured by mode
//! and wide by services per day, cities as circles with area proportional to
//! population (or coloured by a centrality score), labels for the larger
//! cities, a legend, a scale bar and a title, in an Albers equal-area
//! projection centred on the view.
//!
//! Element ids and classes are stable so the output can be checked and
//! restyled: `<g id="basemap">` (with a basemap, see [`super::basemap`]),
//! `<g id="circles">` holds one `path.circle` per circle,
//! `<g id="links">` one `path.link` per link in view, `<g id="cities">` one
//! `circle.city` per city in view, then `labels`, `legend`, `scale-bar` and
//! the `title` text (and `subtitle`, when given). With a scenario, the
//! groups of [`super::scenario`] are added.

use std::fmt::Write as _;

use super::font;
use super::projection::Albers;
use super::scenario::{self as sc, ScenarioOverlay};
use crate::algorithms::CommutingCircle;
use crate::io::{budget_colour, mode_colour};
use crate::model::{CityIdx, Mode};
use crate::network::Network;

/// Label language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English names.
    En,
    /// Chinese names (English where the embedded font lacks a glyph).
    Zh,
}

/// What to draw.
#[derive(Debug, Clone)]
pub struct MapSpec<'a> {
    /// Title at the top.
    pub title: String,
    /// A smaller line under the title.
    pub subtitle: Option<String>,
    /// Label language.
    pub lang: Lang,
    /// Width and height in px.
    pub size: (f64, f64),
    /// The view: these cities (and the circles) fit the frame; `None`: every city.
    pub focus: Option<Vec<CityIdx>>,
    /// Circles to draw.
    pub circles: &'a [CommutingCircle],
    /// A score per city (by index) colouring the cities, with its name.
    pub centrality: Option<(&'a str, &'a [f64])>,
    /// Draw `net` as a scenario of a base network: base circles dashed,
    /// links added, changed or removed highlighted.
    pub scenario: Option<ScenarioOverlay<'a>>,
    /// Land, province and county borders and the coast under everything
    /// (see [`Basemap::embedded`](crate::geometry::Basemap::embedded)).
    pub basemap: Option<&'a crate::geometry::Basemap>,
}

/// Failure to draw a map.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Nothing to draw: the focus is empty.
    #[error("nothing to draw: no cities in view")]
    Empty,
    /// The size is not positive.
    #[error("map size {0}×{1} px must be positive")]
    Size(f64, f64),
    /// The SVG could not be rasterised.
    #[error("cannot render PNG: {0}")]
    Png(String),
}

const GRADED: [&str; 5] = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const FONT: &str = "font-family=\"WenQuanYi Micro Hei, sans-serif\"";

pub(super) fn esc(s: &str) -> String {
    crate::io::xml_escape(s)
}

/// Frame: projection, scale (px per km) and offsets.
pub(super) struct Frame {
    proj: Albers,
    k: f64,
    x0: f64,
    y0: f64,
}

impl Frame {
    pub(super) fn px(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.proj.forward(lon, lat);
        (self.x0 + self.k * x, self.y0 - self.k * y)
    }
}

fn nice_km(max: f64) -> f64 {
    let mut best = 1.0;
    for e in 0..5 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(e);
            if v <= max {
                best = v;
            }
        }
    }
    best
}

pub(super) fn path_d(ring: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, (x, y)) in ring.iter().enumerate() {
        let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
    }
    d.push('Z');
    d
}

/// SVG path data of a (multi)polygon in frame pixels: every exterior and
/// interior ring (drawn with `fill-rule="evenodd"`).
pub(super) fn multipolygon_d(fr: &Frame, mp: &geo::MultiPolygon<f64>) -> String {
    let mut d = String::new();
    for p in &mp.0 {
        for r in std::iter::once(p.exterior()).chain(p.interiors()) {
            let ring: Vec<(f64, f64)> = r.coords().map(|q| fr.px(q.x, q.y)).collect();
            d.push_str(&path_d(&ring));
        }
    }
    d
}

/// Draws the map (see the module docs).
pub fn render_svg(net: &Network, spec: &MapSpec<'_>) -> Result<String, RenderError> {
    let (w, h) = spec.size;
    if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
        return Err(RenderError::Size(w, h));
    }
    let focus: Vec<CityIdx> = match &spec.focus {
        Some(f) => f.clone(),
        None => (0..net.cities().len() as CityIdx).collect(),
    };
    if focus.is_empty() {
        return Err(RenderError::Empty);
    }
    // Extent in lon/lat: focus cities and circles.
    let mut pts: Vec<(f64, f64)> = focus
        .iter()
        .map(|&c| (net.city(c).lon, net.city(c).lat))
        .collect();
    let before = spec.scenario.map_or(&[][..], |o| o.before);
    for c in spec.circles.iter().chain(before) {
        for p in &c.polygon.0 {
            pts.extend(p.exterior().coords().map(|c| (c.x, c.y)));
        }
    }
    let lon_c = {
        let (a, b) = pts
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        (a + b) / 2.0
    };
    let proj = Albers::china(lon_c);
    let xy: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| proj.forward(x, y)).collect();
    let (mut x_min, mut x_max, mut y_min, mut y_max) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in &xy {
        x_min = x_min.min(*x);
        x_max = x_max.max(*x);
        y_min = y_min.min(*y);
        y_max = y_max.max(*y);
    }
    let pad = 0.06 * (x_max - x_min).max(y_max - y_min).max(20.0);
    let (x_min, x_max, y_min, y_max) = (x_min - pad, x_max + pad, y_min - pad, y_max + pad);
    let top = if spec.subtitle.is_some() { 78.0 } else { 56.0 };
    let (left, right, bottom) = (16.0, 16.0, 16.0);
    let (fw, fh) = (w - left - right, h - top - bottom);
    let k = (fw / (x_max - x_min)).min(fh / (y_max - y_min));
    let fr = Frame {
        proj,
        k,
        x0: left + (fw - k * (x_max - x_min)) / 2.0 - k * x_min,
        y0: top + (fh - k * (y_max - y_min)) / 2.0 + k * y_max,
    };
    let in_view = |lon: f64, lat: f64| {
        let (x, y) = fr.px(lon, lat);
        x >= left && x <= left + fw && y >= top && y <= top + fh
    };
    let national = spec.focus.is_none();
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" {FONT}>\n<rect id=\"background\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n<clipPath id=\"frame\"><rect x=\"{left}\" y=\"{top}\" width=\"{fw}\" height=\"{fh}\"/></clipPath>\n<rect x=\"{left}\" y=\"{top}\" width=\"{fw}\" height=\"{fh}\" fill=\"#f4f3ee\" stroke=\"#bbbbbb\"/>\n"
    );
    if let Some(b) = spec.basemap {
        super::basemap::draw(&mut s, &fr, [left, top, left + fw, top + fh], b);
    }
    // Circles: larger budgets first.
    let mut budgets: Vec<f64> = spec.circles.iter().map(|c| c.minutes).collect();
    budgets.sort_by(f64::total_cmp);
    budgets.dedup();
    let mut order: Vec<&CommutingCircle> = spec.circles.iter().collect();
    order.sort_by(|a, b| b.minutes.total_cmp(&a.minutes));
    s.push_str("<g id=\"circles\" clip-path=\"url(#frame)\">\n");
    for c in order {
        let i = budgets.iter().position(|b| *b == c.minutes).unwrap_or(0);
        let col = budget_colour(i, budgets.len());
        let d = multipolygon_d(&fr, &c.polygon);
        let core: Vec<&str> = c.cores.iter().map(|&o| net.city(o).id.as_str()).collect();
        let _ = writeln!(
            s,
            "<path class=\"circle\" data-core=\"{}\" data-minutes=\"{}\" d=\"{d}\" fill=\"{col}\" fill-opacity=\"0.28\" fill-rule=\"evenodd\" stroke=\"{col}\" stroke-width=\"1.2\"/>",
            esc(&core.join("+")),
            c.minutes
        );
    }
    s.push_str("</g>\n");
    let mut drawn = Drawn::default();
    if let Some(o) = &spec.scenario {
        (drawn.gained, drawn.lost) = sc::circle_changes(&mut s, spec.circles, &fr, o, &budgets);
        sc::before_circles(&mut s, net, &fr, o, &budgets);
    }
    s.push_str(
        "<g id=\"links\" clip-path=\"url(#frame)\" fill=\"none\" stroke-linecap=\"round\">\n",
    );
    // Links in view (either end city in the frame), drawn road first, HSR
    // last; with a scenario, links it changes and then adds go on top.
    let status = spec
        .scenario
        .as_ref()
        .map(sc::status_by_link)
        .unwrap_or_default();
    let mut link_ids: Vec<usize> = (0..net.links().len())
        .filter(|&i| {
            let l = &net.links()[i];
            let (a, b) = (net.city(l.from), net.city(l.to));
            in_view(a.lon, a.lat) || in_view(b.lon, b.lat)
        })
        .collect();
    let rank = |m: Mode| match m {
        Mode::Road => 0,
        Mode::Expressway => 1,
        Mode::Ferry => 2,
        Mode::Rail => 3,
        Mode::Hsr => 4,
    };
    let status_rank = |i: usize| match status.get(&i) {
        None => 0,
        Some(&"changed") => 1,
        Some(_) => 2,
    };
    link_ids.sort_by_key(|&i| (status_rank(i), rank(net.links()[i].mode), i));
    let mut modes_seen = std::collections::BTreeSet::new();
    let mut in_overlay = false;
    for i in link_ids {
        let l = &net.links()[i];
        modes_seen.insert(l.mode);
        let pts: Vec<(f64, f64)> = net
            .link_geometry(i)
            .coords()
            .map(|c| fr.px(c.x, c.y))
            .collect();
        let mut d = path_d(&pts);
        d.pop();
        // At the county level the modelled local roads of the units (between
        // units, and from a unit to its centre) form a dense mesh: they are
        // drawn thin and faint so that circles and trunk links stay legible.
        let local_road = matches!(l.mode, Mode::Road | Mode::Expressway)
            && (net.is_unit(l.from) || net.is_unit(l.to))
            && net.has_counties();
        let (width, opacity) = if local_road {
            (0.3, 0.35)
        } else {
            (
                0.5 + l.services_per_day.unwrap_or(0.0).max(0.0).sqrt() / 7.0,
                0.85,
            )
        };
        let dash = if l.mode == Mode::Ferry {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let m = l.mode.as_str();
        match status.get(&i) {
            None => {
                let _ = writeln!(
                    s,
                    "<path class=\"link mode-{m}\" data-id=\"link-{i}\" d=\"{d}\" stroke=\"{c}\" stroke-width=\"{width:.2}\" stroke-opacity=\"{opacity}\"{dash}/>",
                    c = mode_colour(m),
                );
            }
            Some(&st) => {
                if !in_overlay {
                    // Removed links go between the others and the highlights.
                    s.push_str("</g>\n");
                    if let Some(o) = &spec.scenario {
                        drawn.removed = sc::removed_links(&mut s, net, &fr, o, in_view);
                    }
                    s.push_str("<g id=\"changed-links\" clip-path=\"url(#frame)\" fill=\"none\" stroke-linecap=\"round\">\n");
                    in_overlay = true;
                }
                if st == "added" {
                    drawn.added += 1;
                } else {
                    drawn.changed += 1;
                }
                let (c, w) = sc::highlight(st, width);
                let _ = writeln!(
                    s,
                    "<path class=\"link mode-{m} {st}\" data-id=\"link-{i}\" data-status=\"{st}\" data-from=\"{}\" data-to=\"{}\" d=\"{d}\" stroke=\"{c}\" stroke-width=\"{w:.2}\" stroke-opacity=\"0.95\"{dash}/>",
                    esc(&net.city(l.from).id),
                    esc(&net.city(l.to).id),
                );
            }
        }
    }
    s.push_str("</g>\n");
    if let (Some(o), false) = (&spec.scenario, in_overlay) {
        drawn.removed = sc::removed_links(&mut s, net, &fr, o, in_view);
    }
    // Cities in view, largest first so small ones stay visible.
    let mut cities: Vec<CityIdx> = (0..net.cities().len() as CityIdx)
        .filter(|&c| in_view(net.city(c).lon, net.city(c).lat))
        .collect();
    cities.sort_by(|&a, &b| {
        net.city(b)
            .pop_2020
            .cmp(&net.city(a).pop_2020)
            .then(a.cmp(&b))
    });
    let div = if national { 900.0 } else { 450.0 };
    let radius = |pop: u64| 1.5 + (pop as f64).sqrt() / div;
    let classes: Option<Vec<f64>> = spec.centrality.map(|(_, v)| {
        let mut sorted: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        (1..5)
            .map(|k| {
                sorted
                    .get((sorted.len().saturating_sub(1)) * k / 5)
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect()
    });
    let added: &[CityIdx] = spec.scenario.map_or(&[], |o| o.added_cities);
    s.push_str("<g id=\"cities\">\n");
    for &c in &cities {
        let city = net.city(c);
        let (x, y) = fr.px(city.lon, city.lat);
        let fill = match (&classes, spec.centrality) {
            (Some(cl), Some((_, v))) => match v.get(c as usize) {
                Some(x) if x.is_finite() => GRADED[cl.iter().filter(|b| x > *b).count()],
                _ => "#cccccc",
            },
            _ => "#333333",
        };
        let (class, stroke) = if added.contains(&c) {
            drawn.cities += 1;
            (
                "city added",
                format!("stroke=\"{}\" stroke-width=\"3\"", sc::ADDED),
            )
        } else {
            ("city", "stroke=\"#ffffff\" stroke-width=\"0.8\"".to_owned())
        };
        let _ = writeln!(
            s,
            "<circle class=\"{class}\" data-id=\"{}\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.2}\" fill=\"{fill}\" fill-opacity=\"0.9\" {stroke}/>",
            esc(&city.id),
            radius(city.pop_2020)
        );
    }
    s.push_str("</g>\n<g id=\"labels\" font-size=\"12\" fill=\"#1a1a1a\" stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">\n");
    // Labels for the largest cities first; a label overlapping one already
    // placed or the legend is left out.
    let (legend_svg, legend_box) =
        legend(spec, &budgets, &modes_seen, classes.as_deref(), &drawn, h);
    let label_count = if national { 40 } else { 25 };
    let mut placed: Vec<[f64; 4]> = vec![legend_box];
    // Cities the scenario adds are labelled first.
    let to_label = cities.iter().filter(|c| added.contains(c)).chain(
        cities
            .iter()
            .filter(|c| !added.contains(c))
            .take(label_count),
    );
    for &c in to_label {
        let city = net.city(c);
        let (x, y) = fr.px(city.lon, city.lat);
        let text = match spec.lang {
            Lang::Zh if font::covers(&city.name_zh) => city.name_zh.as_str(),
            _ => city.name.as_str(),
        };
        let tw: f64 = text
            .chars()
            .map(|ch| if (ch as u32) < 0x2E80 { 7.0 } else { 12.0 })
            .sum();
        let x1 = x + radius(city.pop_2020) + 2.0;
        let b = [x1 - 1.0, y - 9.0, x1 + tw + 1.0, y + 5.0];
        if placed
            .iter()
            .any(|p| b[0] < p[2] && p[0] < b[2] && b[1] < p[3] && p[1] < b[3])
        {
            continue;
        }
        placed.push(b);
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + radius(city.pop_2020) + 2.0,
            y + 4.0,
            esc(text)
        );
    }
    s.push_str("</g>\n");
    s.push_str(&legend_svg);
    // Scale bar: about a fifth of the frame, at the map centre's scale.
    let km = nice_km(fw / 5.0 / k);
    let len = km * k;
    let (bx, by) = (left + fw - len - 20.0, top + fh - 20.0);
    let unit = if spec.lang == Lang::Zh {
        "公里"
    } else {
        "km"
    };
    let _ = write!(
        s,
        "<g id=\"scale-bar\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"30\" fill=\"#ffffff\" fill-opacity=\"0.8\"/><path d=\"M{bx:.1},{by:.1}v6h{len:.1}v-6\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{km} {unit}</text></g>",
        bx - 10.0,
        by - 16.0,
        len + 20.0,
        bx + len / 2.0,
        by - 3.0
    );
    s.push('\n');
    let _ = writeln!(
        s,
        "<text id=\"title\" x=\"{left}\" y=\"36\" font-size=\"22\" font-weight=\"bold\" fill=\"#111111\">{}</text>",
        esc(&spec.title)
    );
    if let Some(sub) = &spec.subtitle {
        let _ = writeln!(
            s,
            "<text id=\"subtitle\" x=\"{left}\" y=\"62\" font-size=\"15\" fill=\"#444444\">{}</text>",
            esc(sub)
        );
    }
    s.push_str("</svg>\n");
    Ok(s)
}

/// Scenario links drawn, by status.
#[derive(Debug, Default)]
struct Drawn {
    added: usize,
    changed: usize,
    removed: usize,
    gained: usize,
    lost: usize,
    cities: usize,
}

/// The legend at the bottom left of a map of height `h`, and its box
/// (x0, y0, x1, y1) in px.
fn legend(
    spec: &MapSpec<'_>,
    budgets: &[f64],
    modes: &std::collections::BTreeSet<Mode>,
    classes: Option<&[f64]>,
    drawn: &Drawn,
    h: f64,
) -> (String, [f64; 4]) {
    let zh = spec.lang == Lang::Zh;
    let scenario = spec.scenario.is_some();
    let mut rows: Vec<String> = Vec::new();
    let mut y = 0.0;
    let mut text_w: f64 = 0.0;
    let mut row = |shape: String, text: String, y: &mut f64| {
        text_w = text_w.max(
            text.chars()
                .map(|ch| if (ch as u32) < 0x2E80 { 6.8 } else { 12.0 })
                .sum(),
        );
        rows.push(format!(
            "<g class=\"legend-item\" transform=\"translate(10,{:.0})\">{shape}<text x=\"34\" y=\"4\" font-size=\"12\">{}</text></g>",
            *y,
            esc(&text)
        ));
        *y += 18.0;
    };
    for (i, b) in budgets.iter().enumerate() {
        let col = budget_colour(i, budgets.len());
        row(
            format!(
                "<rect x=\"0\" y=\"-6\" width=\"26\" height=\"12\" fill=\"{col}\" fill-opacity=\"0.35\" stroke=\"{col}\"/>"
            ),
            match (zh, scenario) {
                (true, false) => format!("{b}分钟通勤圈"),
                (true, true) => format!("{b}分钟通勤圈（情景后）"),
                (false, false) => format!("{b} min commuting circle"),
                (false, true) => format!("{b} min circle with the scenario"),
            },
            &mut y,
        );
    }
    if scenario && !budgets.is_empty() {
        row(
            format!(
                "<rect class=\"legend-before\" x=\"0\" y=\"-6\" width=\"26\" height=\"12\" fill=\"none\" stroke=\"{}\" stroke-width=\"1.3\" stroke-dasharray=\"{}\"/>",
                sc::BEFORE,
                sc::BEFORE_DASH
            ),
            if zh {
                "情景前的通勤圈（虚线）".into()
            } else {
                "circle before the scenario (dashed)".into()
            },
            &mut y,
        );
    }
    for m in modes {
        let name = match (m, zh) {
            (Mode::Hsr, true) => "高铁",
            (Mode::Rail, true) => "普速铁路",
            (Mode::Expressway, true) => "高速公路",
            (Mode::Road, true) => "公路",
            (Mode::Ferry, true) => "轮渡",
            (Mode::Hsr, false) => "high-speed rail",
            (Mode::Rail, false) => "conventional rail",
            (Mode::Expressway, false) => "expressway",
            (Mode::Road, false) => "road",
            (Mode::Ferry, false) => "ferry",
        };
        row(
            format!(
                "<path d=\"M0,0h26\" stroke=\"{}\" stroke-width=\"3\"/>",
                mode_colour(m.as_str())
            ),
            name.to_owned(),
            &mut y,
        );
    }
    for (n, class, fill, en, cn) in [
        (
            drawn.gained,
            "gained",
            sc::GAINED,
            "area newly within a circle",
            "情景新增的通勤圈范围",
        ),
        (
            drawn.lost,
            "lost",
            sc::LOST,
            "area no longer within a circle",
            "情景减少的通勤圈范围",
        ),
    ] {
        if n > 0 {
            row(
                format!(
                    "<rect class=\"legend-{class}\" x=\"0\" y=\"-6\" width=\"26\" height=\"12\" fill=\"{fill}\" fill-opacity=\"0.3\" stroke=\"{fill}\" stroke-width=\"0.8\"/>"
                ),
                if zh { cn.into() } else { en.into() },
                &mut y,
            );
        }
    }
    for (n, status, colour, dash, en, cn) in [
        (
            drawn.added,
            "added",
            sc::ADDED,
            "",
            "link added by the scenario",
            "情景新增线路",
        ),
        (
            drawn.changed,
            "changed",
            sc::CHANGED,
            "",
            "link changed by the scenario",
            "情景调整线路",
        ),
        (
            drawn.removed,
            "removed",
            sc::REMOVED,
            sc::REMOVED_DASH,
            "link removed by the scenario",
            "情景移除线路",
        ),
    ] {
        if n == 0 {
            continue;
        }
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        row(
            format!(
                "<path class=\"legend-{status}\" d=\"M0,0h26\" stroke=\"{colour}\" stroke-width=\"{}\"{dash}/>",
                if status == "removed" { 3 } else { 5 }
            ),
            format!("{} ({n})", if zh { cn } else { en }),
            &mut y,
        );
    }
    if drawn.cities > 0 {
        row(
            format!(
                "<circle class=\"legend-city-added\" cx=\"13\" cy=\"0\" r=\"5\" fill=\"#333333\" stroke=\"{}\" stroke-width=\"3\"/>",
                sc::ADDED
            ),
            format!(
                "{} ({})",
                if zh {
                    "情景新增城市"
                } else {
                    "city added by the scenario"
                },
                drawn.cities
            ),
            &mut y,
        );
    }
    match (classes, spec.centrality) {
        (Some(cl), Some((measure, _))) => {
            for (i, col) in GRADED.iter().enumerate() {
                let text = match i {
                    0 => format!("{measure} ≤ {:.3}", cl[0]),
                    4 => format!("{measure} > {:.3}", cl[3]),
                    _ => format!("{measure} {:.3} – {:.3}", cl[i - 1], cl[i]),
                };
                row(
                    format!(
                        "<circle cx=\"13\" cy=\"0\" r=\"5\" fill=\"{col}\" stroke=\"#555555\"/>"
                    ),
                    text,
                    &mut y,
                );
            }
        }
        _ => row(
            "<circle cx=\"13\" cy=\"0\" r=\"5\" fill=\"#333333\"/>".into(),
            if zh {
                "城市(面积与2020年人口成正比)".into()
            } else {
                "city (area ∝ 2020 population)".into()
            },
            &mut y,
        ),
    }
    let height = y + 12.0;
    let width = (34.0 + text_w + 16.0).max(270.0);
    let y0 = (h - 28.0 - height).round();
    let s = format!(
        "<g id=\"legend\" transform=\"translate(26,{y0:.0})\"><rect x=\"0\" y=\"-12\" width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#bbbbbb\"/>{}</g>\n",
        rows.join("")
    );
    (s, [26.0, y0 - 12.0, 26.0 + width, y0 - 12.0 + height])
}
