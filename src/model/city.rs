use std::fmt;

use crate::error::Loc;

/// What a node of the network stands for.
///
/// A network read without county units has only [`UnitKind::City`] nodes.
/// With county units loaded (`--level county`), a prefecture-level city whose
/// territory is divided into county units becomes a [`UnitKind::Centre`]: the
/// downtown and its stations, a node trips pass through, whose population is
/// carried by its county units (so it counts 0 at that level). A city with no
/// county units (Hong Kong, Macao, or any city of a user's network without
/// them) stays a [`UnitKind::City`] and is a unit at both levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum UnitKind {
    /// A city counted as one unit (the prefecture level, or a city without
    /// county units at the county level).
    #[default]
    City,
    /// The centre of a prefecture whose population lives in its county units
    /// (or a city whose people other cities' county units count, see
    /// [`City::counted_in`]).
    Centre,
    /// A county-level unit: a district, county-level city, county or banner.
    County,
}

impl UnitKind {
    /// `city`, `centre` or `county`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::City => "city",
            UnitKind::Centre => "centre",
            UnitKind::County => "county",
        }
    }
    /// Whether nodes of this kind are analysis units (counted in circles,
    /// centrality tables and population sums); centres are not.
    pub fn is_unit(self) -> bool {
        !matches!(self, UnitKind::Centre)
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A node of the network: a city, a prefecture centre or a county-level unit,
/// with its census figures (see [`UnitKind`]).
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// Stable ASCII id, e.g. `chengdu`, `hong-kong`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// Province (English), e.g. `Sichuan`.
    pub province: String,
    /// 6-digit administrative division code, if known.
    pub adcode: Option<u32>,
    /// Longitude of the city centre, WGS84 degrees (x).
    pub lon: f64,
    /// Latitude of the city centre, WGS84 degrees (y).
    pub lat: f64,
    /// Resident population at the 2020 (7th) census.
    pub pop_2020: u64,
    /// Resident population at the 2010 (6th) census on 2020 boundaries.
    pub pop_2010: Option<u64>,
    /// Urban-district resident population 2020 (城区常住人口).
    pub urban_pop_2020: Option<u64>,
    /// Minutes from the centre to the main high-speed rail station.
    pub access_hsr_min: Option<f64>,
    /// Minutes from the centre to the main conventional rail station.
    pub access_rail_min: Option<f64>,
    /// Administrative level (`municipality`, `prefecture`, `sar`, `county`), optional extra column.
    pub level: Option<String>,
    /// Provenance note, optional extra column.
    pub source: Option<String>,
    /// What the node stands for.
    pub kind: UnitKind,
    /// For a county unit, the id of its prefecture-level city.
    pub prefecture: Option<String>,
    /// Land area, km², where known (county units).
    pub area_km2: Option<f64>,
    /// Urban (城镇) share of the 2020 residents, 0–1, where known (county units).
    pub urban_share_2020: Option<f64>,
    /// For a county unit whose 2010 population is known only together with
    /// other units (units re-drawn or carved out since 2010), the id of that
    /// group; its members share it and have no `pop_2010` of their own.
    pub group_2010: Option<String>,
    /// The 2010 population (2020 boundaries) of the group `group_2010`.
    pub pop_2010_group: Option<u64>,
    /// For a city whose people the census counts in the county units of other
    /// cities (the Changbaishan area, in Baishan's and Yanbian's), the ids of
    /// those cities: with county units loaded it becomes a
    /// [`UnitKind::Centre`], so that its people are counted once.
    pub counted_in: Vec<String>,
    /// Where the record was read from.
    pub loc: Loc,
}

impl City {
    /// The city centre as a `geo` point (x = lon, y = lat).
    pub fn point(&self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }
}
