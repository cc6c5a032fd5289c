//! The scenario overlay of a map: the base network's circles as dashed
//! outlines over the scenario's filled ones, the area gained (or lost) within
//! each budget tinted, links the scenario adds or changes highlighted, links
//! it removes drawn grey and dashed.
//!
//! Classes: `path.circle-before` (one per budget: the outline of the union
//! of the base circles of that budget, in `<g id="circles-before">`), `path.area-gained` and `path.area-lost` (one
//! per budget whose covered area changed, in `<g id="circle-changes">`), `path.link.added` and `path.link.changed`
//! (links of the scenario network, in `<g id="changed-links">`, drawn over
//! the others), `path.link-removed`
//! (links of the base network only, in `<g id="removed-links">`). Every
//! highlighted or removed path carries `data-status`, `data-from` and
//! `data-to` (city ids).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use geo::{Area, BooleanOps, MultiPolygon};

use super::map::{Frame, esc, multipolygon_d, path_d};
use crate::algorithms::CommutingCircle;
use crate::model::CityIdx;
use crate::network::Network;
use crate::scenario::LinkDiff;

/// What a scenario changed, to draw over the scenario network.
#[derive(Debug, Clone, Copy)]
pub struct ScenarioOverlay<'a> {
    /// The base network's circles (origins indexed in the scenario network,
    /// which keeps every base city), outlined dashed per budget.
    pub before: &'a [CommutingCircle],
    /// Cities of the scenario network that the base lacks: ringed and
    /// labelled first.
    pub added_cities: &'a [CityIdx],
    /// The links that differ, from [`crate::scenario::changed_links`]
    /// (base, scenario).
    pub links: &'a [LinkDiff],
}

/// Stroke of links a scenario adds.
pub(super) const ADDED: &str = "#e7008a";
/// Stroke of links a scenario changes.
pub(super) const CHANGED: &str = "#00a6a6";
/// Stroke of links a scenario removes.
pub(super) const REMOVED: &str = "#6e6e6e";
/// Dash pattern of removed links.
pub(super) const REMOVED_DASH: &str = "7 5";
/// Stroke and dash pattern of the base network's circles.
pub(super) const BEFORE: &str = "#222222";
/// Dash pattern of the base network's circles.
pub(super) const BEFORE_DASH: &str = "6 4";

/// Fill of the area within a budget gained by a scenario.
pub(super) const GAINED: &str = "#e7008a";
/// Fill of the area within a budget lost by a scenario.
pub(super) const LOST: &str = "#555555";

/// The status (`added` or `changed`) of each link of the scenario network
/// that differs from the base, by its index.
pub(super) fn status_by_link(o: &ScenarioOverlay<'_>) -> BTreeMap<usize, &'static str> {
    o.links
        .iter()
        .filter_map(|d| d.index_after.map(|i| (i, d.status)))
        .collect()
}

/// Stroke colour and width of a highlighted link of normal width `width`.
pub(super) fn highlight(status: &str, width: f64) -> (&'static str, f64) {
    let c = if status == "added" { ADDED } else { CHANGED };
    (c, (width + 2.5).max(4.5))
}

/// Appends the outline of the area within each budget of a core before the
/// scenario (the union of the base circles of that budget), dashed, larger
/// budgets first.
pub(super) fn before_circles(
    s: &mut String,
    net: &Network,
    fr: &Frame,
    o: &ScenarioOverlay<'_>,
    budgets: &[f64],
) {
    s.push_str("<g id=\"circles-before\" clip-path=\"url(#frame)\" fill=\"none\">\n");
    for &b in budgets.iter().rev() {
        let area = covered(o.before, b);
        if area.0.is_empty() {
            continue;
        }
        let d = multipolygon_d(fr, &area);
        let mut cores: Vec<&str> = o
            .before
            .iter()
            .filter(|c| c.minutes == b)
            .flat_map(|c| c.cores.iter().map(|&x| net.city(x).id.as_str()))
            .collect();
        cores.sort_unstable();
        cores.dedup();
        let _ = writeln!(
            s,
            "<path class=\"circle-before\" data-cores=\"{}\" data-minutes=\"{b}\" d=\"{d}\" fill-rule=\"evenodd\" stroke=\"{BEFORE}\" stroke-width=\"1.3\" stroke-opacity=\"0.8\" stroke-dasharray=\"{BEFORE_DASH}\"/>",
            esc(&cores.join(" ")),
        );
    }
    s.push_str("</g>\n");
}

/// Appends the removed links with an end in view (`in_view` on lon/lat);
/// returns how many were drawn.
pub(super) fn removed_links(
    s: &mut String,
    net: &Network,
    fr: &Frame,
    o: &ScenarioOverlay<'_>,
    in_view: impl Fn(f64, f64) -> bool,
) -> usize {
    s.push_str("<g id=\"removed-links\" clip-path=\"url(#frame)\" fill=\"none\" stroke-linecap=\"butt\">\n");
    let mut n = 0;
    for d in o.links.iter().filter(|d| d.status == "removed") {
        // A scenario never removes a city, so both ends are in `net`.
        let seen = [&d.from, &d.to].iter().any(|id| {
            net.city_by_id(id)
                .is_some_and(|c| in_view(net.city(c).lon, net.city(c).lat))
        });
        if !seen {
            continue;
        }
        let pts: Vec<(f64, f64)> = d.geometry.coords().map(|c| fr.px(c.x, c.y)).collect();
        let mut p = path_d(&pts);
        p.pop();
        let _ = writeln!(
            s,
            "<path class=\"link-removed mode-{m}\" data-status=\"removed\" data-from=\"{}\" data-to=\"{}\" d=\"{p}\" stroke=\"{REMOVED}\" stroke-width=\"3\" stroke-opacity=\"0.9\" stroke-dasharray=\"{REMOVED_DASH}\"/>",
            esc(&d.from),
            esc(&d.to),
            m = d.mode.as_str(),
        );
        n += 1;
    }
    s.push_str("</g>\n");
    n
}

/// Union of the polygons of `circles` with budget `minutes`.
fn covered(circles: &[CommutingCircle], minutes: f64) -> MultiPolygon<f64> {
    circles
        .iter()
        .filter(|c| c.minutes == minutes)
        .fold(MultiPolygon::new(vec![]), |u, c| u.union(&c.polygon))
}

/// Drops the specks (under 0.2 km² at these latitudes) an overlay leaves
/// where two outlines almost coincide.
fn without_specks(m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    MultiPolygon::new(
        m.0.into_iter()
            .filter(|p| p.unsigned_area() > 2e-5)
            .collect(),
    )
}

/// Appends, for each budget, the area within it of a core with the scenario
/// but not before (`area-gained`) and the reverse (`area-lost`); returns
/// how many paths of each were drawn.
pub(super) fn circle_changes(
    s: &mut String,
    after: &[CommutingCircle],
    fr: &Frame,
    o: &ScenarioOverlay<'_>,
    budgets: &[f64],
) -> (usize, usize) {
    s.push_str("<g id=\"circle-changes\" clip-path=\"url(#frame)\">\n");
    let (mut gained, mut lost) = (0, 0);
    for &b in budgets.iter().rev() {
        let (u_after, u_before) = (covered(after, b), covered(o.before, b));
        for (class, fill, area) in [
            ("area-gained", GAINED, u_after.difference(&u_before)),
            ("area-lost", LOST, u_before.difference(&u_after)),
        ] {
            let area = without_specks(area);
            if area.0.is_empty() {
                continue;
            }
            let d = multipolygon_d(fr, &area);
            let _ = writeln!(
                s,
                "<path class=\"{class}\" data-minutes=\"{b}\" d=\"{d}\" fill=\"{fill}\" fill-opacity=\"0.3\" fill-rule=\"evenodd\" stroke=\"{fill}\" stroke-width=\"0.8\"/>"
            );
            if class == "area-gained" {
                gained += 1;
            } else {
                lost += 1;
            }
        }
    }
    s.push_str("</g>\n");
    (gained, lost)
}

#[cfg(test)]
mod tests {
    /// The map and the QGIS style give a change the same colour.
    #[test]
    fn link_change_colours_match_the_qgis_style() {
        use crate::io::status_colour;
        assert_eq!(super::ADDED, status_colour("added"));
        assert_eq!(super::CHANGED, status_colour("changed"));
        assert_eq!(super::REMOVED, status_colour("removed"));
    }
}
