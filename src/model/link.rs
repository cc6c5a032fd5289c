use super::{CityIdx, Mode};
use crate::error::Loc;

/// A link between two cities on one mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Origin city.
    pub from: CityIdx,
    /// Destination city.
    pub to: CityIdx,
    /// Transport mode.
    pub mode: Mode,
    /// In-vehicle (rail, ferry) or driving (road) minutes.
    pub minutes: f64,
    /// Route length in kilometres.
    pub km: f64,
    /// Scheduled services per day in one direction.
    pub services_per_day: Option<f64>,
    /// Line name.
    pub line: Option<String>,
    /// Opening year.
    pub opened: Option<u16>,
    /// Whether the link runs only from `from` to `to`.
    pub oneway: bool,
    /// Provenance note.
    pub source: Option<String>,
    /// Route geometry (lon/lat); a straight segment when absent.
    pub geometry: Option<geo::LineString<f64>>,
    /// Where the record was read from.
    pub loc: Loc,
}
