//! Static maps: SVG drawn by our own code in an Albers equal-area projection,
//! PNG rasterised with resvg and an embedded font; a scenario drawn over
//! its base network with [`ScenarioOverlay`].

mod basemap;
mod font;
mod map;
mod png;
mod projection;
mod scenario;

pub use font::covers;
pub use map::{Lang, MapSpec, RenderError, render_svg};
pub use png::svg_to_png;
pub use projection::Albers;
pub use scenario::ScenarioOverlay;
