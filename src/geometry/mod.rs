//! Unit geometry: the boundaries of county-level units (or a user's own
//! units) keyed by unit id ([`Boundaries`]), their dissolved unions
//! ([`Boundaries::dissolve`]) and the outlines a map draws beneath its data
//! ([`Basemap`]).
//!
//! Everything here is WGS84 degrees, longitude as x and latitude as y, with
//! RFC 7946 ring order. Only commands that draw or write polygons load it.

mod basemap;
mod boundaries;
mod dissolve;
mod parse;
mod wrap;

pub use basemap::Basemap;
pub use boundaries::{Boundaries, BoundaryError};
pub use dissolve::{DissolveMethod, Dissolved, Fallback};
pub use wrap::wrap_polygon;
