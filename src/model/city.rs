use crate::error::Loc;

/// A city: a node of the network, with its census figures.
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
    /// Where the record was read from.
    pub loc: Loc,
}

impl City {
    /// The city centre as a `geo` point (x = lon, y = lat).
    pub fn point(&self) -> geo::Point<f64> {
        geo::Point::new(self.lon, self.lat)
    }
}
