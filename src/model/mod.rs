//! The data model: cities, links, transport modes and agglomerations.
//!
//! Coordinates are WGS84 with longitude as `x` and latitude as `y`, everywhere.

mod agglomeration;
mod city;
mod link;
mod mode;

pub use agglomeration::{Agglomeration, AgglomerationKind};
pub use city::{City, UnitKind};
pub use link::Link;
pub use mode::Mode;

/// Index of a city inside a [`crate::Network`] (dense, `0..n`).
pub type CityIdx = u32;
