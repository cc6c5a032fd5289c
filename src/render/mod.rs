//! Static maps: SVG drawn by our own code in an Albers equal-area projection,
//! PNG rasterised with resvg and an embedded font.

mod font;
mod map;
mod png;
mod projection;

pub use font::covers;
pub use map::{Lang, MapSpec, RenderError, render_svg};
pub use png::svg_to_png;
pub use projection::Albers;
