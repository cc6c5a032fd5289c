//! # agglo — network analysis of urban agglomerations
//!
//! `agglo` models a country's cities as the nodes of a graph and its rail and
//! road links as weighted edges, and answers the questions planners ask of
//! city clusters and metropolitan areas: which cities lie within an hour of a
//! core city door to door, how many people live there, which cities hold a
//! cluster's network together, and what a new line would change.
//!
//! ## Map of the library
//! - [`model`]: [`City`], [`Link`], [`Mode`], [`Agglomeration`].
//! - [`Network`]: the checked network with its petgraph graph, its compact
//!   adjacency ([`Csr`]) for hot loops and its spatial index ([`SpatialIndex`]).
//! - [`io`]: CSV and GeoJSON readers and writers, the embedded dataset
//!   ([`io::Input::Embedded`]) and atomic output files.
//! - [`error`]: every problem in the input is an [`Issue`] naming the file,
//!   line or feature and field; loading fails with all of them at once.
//! - [`Table`]: results printed as a text table, CSV or JSON.
//! - [`geometry`]: county-level unit boundaries ([`geometry::Boundaries`]),
//!   their dissolved unions and the map's basemap ([`geometry::Basemap`]).
//! - [`render`]: static maps (SVG, PNG) of circles, links and cities, and of
//!   a scenario over its base network.
//! - [`scenario`]: edits to the network as data (TOML files), their
//!   comparison with the baseline, and sweeps over candidate new links.
//! - [`road`]: large generic road networks ([`road::RoadGraph`], read from
//!   DIMACS, CSV or GeoJSON): snapping, bounded searches, matrices, closeness,
//!   exact and sampled betweenness; [`generate`]: seeded synthetic graphs.
//! - [`shard`]: sweeps and matrices split into shards (`--shard I/N`), each
//!   writing a part file, and the checks that merge them back.
//! - [`progress`]: progress bars on standard error for long work, drawn only
//!   when standard error is a terminal.
//!
//! ## Conventions
//! Coordinates are WGS84 degrees with **longitude as x and latitude as y**.
//! Distances are great-circle kilometres; times are minutes.
//!
//! ## Glossary
//! - **Agglomeration**: a city cluster (城市群, several metropolitan areas
//!   and their hinterland, as designated by national plans) or a
//!   metropolitan area (都市圈, a core city and the cities within its
//!   one-hour commuting reach).
//! - **Core city**: a city an agglomeration's plan names as its centre.
//! - **Door-to-door time**: access from the city centre to the station, the
//!   expected wait, in-vehicle time, transfers, and egress at the far end.
//! - **Commuting circle**: the area and cities reachable door to door from a
//!   core city within a time budget (one hour by default: 1小时通勤圈).
//! - **Betweenness**: how often a city lies on shortest paths between others.
//! - **Accessibility**: the population reachable from a city, weighted by a
//!   decreasing function of travel time.
//! - **Size class**: a city's class under the 2014 State Council standard,
//!   by urban-district population ([`algorithms::SizeClass`], [`algorithms::Tiers`]).
//! - **Structure type**: monocentric, dual-core, gradient or polycentric,
//!   assigned from primacy, the four-city index and the middle tiers' share
//!   ([`algorithms::ClusterStructure`]).
//! - **Spread / backwash**: a core's ring growing faster / slower than the
//!   members beyond it between the censuses ([`algorithms::growth`]).
//! - **Delineated area**: a core and the cities that reach it fastest within
//!   the budget ([`algorithms::delineate`]).
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod algorithms;
pub mod error;
pub mod fuzz;
pub mod generate;
pub mod geometry;
pub mod io;
pub mod model;
mod network;
pub mod progress;
pub mod render;
pub mod road;
pub mod scenario;
pub mod shard;
mod table;

pub use algorithms::{Direction, Engine, TimeModel};
pub use error::{CityCandidate, Issue, Issues, LoadError, LookupError, Severity, WriteError};
pub use model::{Agglomeration, AgglomerationKind, City, CityIdx, Link, Mode, UnitKind};
pub use network::{Arc, Csr, EARTH_RADIUS_KM, Network, SpatialIndex, haversine_km};
pub use table::{Cell, Format, Table};
