//! Algorithms on the network: the door-to-door time model, bounded searches,
//! reach, routes, matrices and commuting circles; size classes, cluster
//! structure, growth and delineated metropolitan areas.

pub mod centrality;
mod circle_set;
mod circles;
mod delineate;
mod growth;
pub mod heap;
pub mod marks;
mod search;
mod structure;
mod tiers;
mod time_model;

pub use circle_set::{CommutingCircle, commuting_circles, origins_of};
pub use circles::{
    CircleOptions, CircleOrigin, MIN_RADIUS_KM, UnitShapes, area_km2, circle_polygon, circle_shape,
    disk_union,
};
pub use delineate::{
    Area, Assignment, Change, DelineateError, DelineateOptions, Delineation, Elsewhere,
    OfficialMatch, delineate,
};
pub use growth::{AgglomerationGrowth, CoreGrowth, Effect, GrowthError, Pair, growth};
pub use search::{Direction, Engine, Leg, Reach, Workspace};
pub use structure::{
    COMPARABLE, ClusterStructure, DOMINANT_FOUR_CITY, DOMINANT_PRIMACY, Indicators, MIDDLE_MIN,
    Measure, Role, StructureType, ZipfFit, gini, zipf_fit,
};
pub use tiers::{CityClass, SizeClass, Tiers, UrbanEstimate, census_scope};
pub use time_model::TimeModel;
