//! The light basemap under a map's data: land (the country outline) filled,
//! county-level unit borders thin, province borders darker, and the coast
//! and national border on top. Everything is clipped to the frame; rings
//! outside it are skipped and vertices closer than [`MIN_STEP_PX`] to the
//! last one kept are dropped, so a national map stays small.
//!
//! Groups: `<g id="basemap">` holding `path#land`, `path#county-borders`,
//! `path#province-borders` and `path#coastline`.

use std::fmt::Write as _;

use geo::MultiPolygon;

use super::map::Frame;
use crate::geometry::Basemap;

/// Vertices nearer than this (px) to the previous one kept are dropped.
const MIN_STEP_PX: f64 = 0.8;

/// Colours: land, county borders, province borders, coast / national border.
const LAND: &str = "#fcfbf7";
const COUNTY: &str = "#dedad0";
const PROVINCE: &str = "#aaa498";
const COAST: &str = "#7f8c96";

/// Frame rectangle in px: left, top, right, bottom.
pub(super) type Clip = [f64; 4];

/// SVG path data of every ring of `shapes` that reaches into `clip`.
fn rings_d<'a>(
    fr: &Frame,
    clip: Clip,
    shapes: impl Iterator<Item = &'a MultiPolygon<f64>>,
) -> String {
    let mut d = String::new();
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for mp in shapes {
        for p in &mp.0 {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                pts.clear();
                let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                for c in &r.0 {
                    let q = fr.px(c.x, c.y);
                    x0 = x0.min(q.0);
                    y0 = y0.min(q.1);
                    x1 = x1.max(q.0);
                    y1 = y1.max(q.1);
                    if pts
                        .last()
                        .is_none_or(|l| (l.0 - q.0).hypot(l.1 - q.1) >= MIN_STEP_PX)
                    {
                        pts.push(q);
                    }
                }
                if x1 < clip[0] || x0 > clip[2] || y1 < clip[1] || y0 > clip[3] || pts.len() < 3 {
                    continue;
                }
                for (i, (x, y)) in pts.iter().enumerate() {
                    let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
    }
    d
}

/// Appends the basemap group to `s`.
pub(super) fn draw(s: &mut String, fr: &Frame, clip: Clip, b: &Basemap) {
    let country = std::iter::once(&b.country);
    let land = rings_d(fr, clip, country.clone());
    let counties = rings_d(fr, clip, b.units.iter().map(|(_, mp)| mp));
    let provinces = rings_d(fr, clip, b.provinces.iter().map(|(_, mp)| mp));
    let _ = write!(
        s,
        "<g id=\"basemap\" clip-path=\"url(#frame)\" stroke-linejoin=\"round\">\n\
         <path id=\"land\" d=\"{land}\" fill=\"{LAND}\" fill-rule=\"evenodd\" stroke=\"none\"/>\n\
         <path id=\"county-borders\" d=\"{counties}\" fill=\"none\" stroke=\"{COUNTY}\" stroke-width=\"0.4\"/>\n\
         <path id=\"province-borders\" d=\"{provinces}\" fill=\"none\" stroke=\"{PROVINCE}\" stroke-width=\"0.9\"/>\n\
         <path id=\"coastline\" d=\"{land}\" fill=\"none\" stroke=\"{COAST}\" stroke-width=\"1.1\"/>\n</g>\n"
    );
}
