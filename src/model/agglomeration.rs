use std::fmt;
use std::str::FromStr;

use super::CityIdx;
use crate::error::Loc;

/// Kind of agglomeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgglomerationKind {
    /// City cluster (城市群).
    CityCluster,
    /// Metropolitan area (都市圈).
    MetroArea,
}

impl AgglomerationKind {
    /// The name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            AgglomerationKind::CityCluster => "city-cluster",
            AgglomerationKind::MetroArea => "metro-area",
        }
    }
}

impl fmt::Display for AgglomerationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AgglomerationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "city-cluster" => Ok(AgglomerationKind::CityCluster),
            "metro-area" => Ok(AgglomerationKind::MetroArea),
            other => Err(format!(
                "unknown kind `{other}` (expected city-cluster or metro-area)"
            )),
        }
    }
}

/// A city cluster or metropolitan area: a named set of member cities with cores.
#[derive(Debug, Clone, PartialEq)]
pub struct Agglomeration {
    /// Stable ASCII id, e.g. `chengdu-chongqing`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// City cluster or metropolitan area.
    pub kind: AgglomerationKind,
    /// Core cities (each also a member).
    pub cores: Vec<CityIdx>,
    /// Member cities, cores included.
    pub members: Vec<CityIdx>,
    /// Members only partly inside the agglomeration (some counties).
    pub partial: Vec<CityIdx>,
    /// For partial members, the county units the plan includes (filled at
    /// the county level from `agglomeration_counties.csv`): (member, units).
    pub county_lists: Vec<(CityIdx, Vec<CityIdx>)>,
    /// Year the plan was approved.
    pub approved: Option<u16>,
    /// Provenance note.
    pub source: Option<String>,
    /// Where the record was read from.
    pub loc: Loc,
}
