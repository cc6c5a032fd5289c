//! SVG to PNG with resvg (pure Rust) and the embedded font only: no system
//! library and no system fonts are used, so the output is the same everywhere.

use std::sync::Arc;

use resvg::{tiny_skia, usvg};

use super::font::{FAMILY, FONT};
use super::map::RenderError;

/// Rasterises `svg` at its own size times `scale`.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, RenderError> {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(FONT.to_vec());
    db.set_sans_serif_family(FAMILY);
    let opt = usvg::Options {
        font_family: FAMILY.to_owned(),
        fontdb: Arc::new(db),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RenderError::Png(e.to_string()))?;
    let size =
        tree.size().to_int_size().scale_by(scale).ok_or_else(|| {
            RenderError::Png(format!("cannot scale {:?} by {scale}", tree.size()))
        })?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| RenderError::Png(format!("empty image {size:?}")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| RenderError::Png(e.to_string()))
}
