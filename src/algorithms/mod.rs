//! Algorithms on the network: the door-to-door time model, bounded searches,
//! reach, routes, matrices and commuting circles.

pub mod centrality;
mod circle_set;
mod circles;
mod search;
mod time_model;

pub use circle_set::{CommutingCircle, commuting_circles};
pub use circles::{CircleOptions, area_km2, circle_polygon};
pub use search::{Direction, Engine, Leg, Reach, Workspace};
pub use time_model::TimeModel;
