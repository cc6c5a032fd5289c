use crate::error::{Issue, Loc};
use crate::model::{AgglomerationKind, City, Mode, UnitKind};

/// A link as read from a file, naming its cities by id.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkRecord {
    /// Origin city id.
    pub from: String,
    /// Destination city id.
    pub to: String,
    /// Transport mode.
    pub mode: Mode,
    /// In-vehicle or driving minutes.
    pub minutes: f64,
    /// Route length in km.
    pub km: f64,
    /// Services per day in one direction.
    pub services_per_day: Option<f64>,
    /// Line name.
    pub line: Option<String>,
    /// Opening year.
    pub opened: Option<u16>,
    /// One-way link.
    pub oneway: bool,
    /// Provenance note.
    pub source: Option<String>,
    /// Route geometry.
    pub geometry: Option<geo::LineString<f64>>,
    /// Where it was read from.
    pub loc: Loc,
}

/// The county units of one partial member of an agglomeration, as a plan
/// names them (a row of `agglomeration_counties.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct CountyList {
    /// The member city (prefecture) id.
    pub prefecture: String,
    /// The county unit ids inside the agglomeration.
    pub units: Vec<String>,
    /// Where it was read from.
    pub loc: Loc,
}

/// An agglomeration as read from a file, naming its cities by id.
#[derive(Debug, Clone, PartialEq)]
pub struct AggRecord {
    /// Stable id.
    pub id: String,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// City cluster or metropolitan area.
    pub kind: AgglomerationKind,
    /// Core city ids.
    pub cores: Vec<String>,
    /// Member city ids.
    pub members: Vec<String>,
    /// Members only partly included.
    pub partial: Vec<String>,
    /// For partial members, the county units included (county level).
    pub county_lists: Vec<CountyList>,
    /// Approval year.
    pub approved: Option<u16>,
    /// Provenance note.
    pub source: Option<String>,
    /// Where it was read from.
    pub loc: Loc,
}

/// Everything read from the input files, before cross-checking: cities, links
/// and agglomerations, and the problems found while parsing.
#[derive(Debug, Clone, Default)]
pub struct NetworkData {
    /// Cities in file order.
    pub cities: Vec<City>,
    /// Links in file order.
    pub links: Vec<LinkRecord>,
    /// Agglomerations in file order.
    pub agglomerations: Vec<AggRecord>,
    /// Problems found while parsing (missing columns, bad numbers, ...).
    pub issues: Vec<Issue>,
}

use super::fields::{FieldSource, Fields};
use super::limits::{
    MAX_ACCESS_MINUTES, MAX_AREA_KM2, MAX_LINK_KM, MAX_LINK_MINUTES, MAX_POPULATION,
    MAX_SERVICES_PER_DAY,
};

/// Parses one city record (coordinates given separately for GeoJSON points).
pub(crate) fn parse_city<S: FieldSource>(
    f: &mut Fields<'_, S>,
    point: Option<(f64, f64)>,
) -> Option<City> {
    // The id rule is checked when the network is built, for every source.
    let id = f.str("id");
    let name = f.str("name");
    let name_zh = f.opt_str("name_zh").unwrap_or_default();
    let province = f.opt_str("province").unwrap_or_default();
    let adcode = f.opt_u64("adcode");
    if let Some(a) = adcode
        && !(100_000..=999_999).contains(&a)
    {
        f.error("adcode", format!("must have 6 digits, got {a}"));
    }
    let (lon, lat) = match point {
        Some(p) => p,
        None => (f.f64_in("lon", -180.0, 180.0), f.f64_in("lat", -90.0, 90.0)),
    };
    let city = City {
        id,
        name,
        name_zh,
        province,
        adcode: adcode.map(|a| a as u32),
        lon,
        lat,
        pop_2020: f.u64_max("pop_2020", MAX_POPULATION),
        pop_2010: f.opt_u64_max("pop_2010", MAX_POPULATION),
        urban_pop_2020: f.opt_u64_max("urban_pop_2020", MAX_POPULATION),
        access_hsr_min: f.opt_f64_max("access_hsr_min", MAX_ACCESS_MINUTES),
        access_rail_min: f.opt_f64_max("access_rail_min", MAX_ACCESS_MINUTES),
        level: f.opt_str("level"),
        source: f.opt_str("source"),
        kind: UnitKind::City,
        prefecture: None,
        area_km2: None,
        urban_share_2020: None,
        group_2010: None,
        pop_2010_group: None,
        counted_in: f
            .opt_str("counted_in")
            .map(|s| {
                s.split(';')
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        loc: f.loc.clone(),
    };
    Some(city)
}

/// Parses one county-unit record of `counties.csv` into a node of kind
/// [`UnitKind::County`]: `kind` becomes the node's `level`,
/// `pop_chengqu_2020` its urban-district population and `prefecture` the id of
/// its prefecture-level city (checked when the network is built).
pub(crate) fn parse_county<S: FieldSource>(f: &mut Fields<'_, S>) -> Option<City> {
    let id = f.str("id");
    let name_zh = f.opt_str("name_zh").unwrap_or_default();
    let name = f.opt_str("name").unwrap_or_else(|| name_zh.clone());
    let adcode = f.opt_u64("adcode");
    if let Some(a) = adcode
        && !(100_000..=999_999).contains(&a)
    {
        f.error("adcode", format!("must have 6 digits, got {a}"));
    }
    let area = f.opt_f64_max("area_km2", MAX_AREA_KM2);
    if let Some(a) = area
        && a.is_finite()
        && a <= 0.0
    {
        f.error("area_km2", format!("must be positive, got {a}"));
    }
    Some(City {
        id,
        name,
        name_zh,
        province: f.opt_str("province").unwrap_or_default(),
        adcode: adcode.map(|a| a as u32),
        lon: f.f64_in("lon", -180.0, 180.0),
        lat: f.f64_in("lat", -90.0, 90.0),
        pop_2020: f.u64_max("pop_2020", MAX_POPULATION),
        pop_2010: f.opt_u64_max("pop_2010", MAX_POPULATION),
        urban_pop_2020: f.opt_u64_max("pop_chengqu_2020", MAX_POPULATION),
        access_hsr_min: f.opt_f64_max("access_hsr_min", MAX_ACCESS_MINUTES),
        access_rail_min: f.opt_f64_max("access_rail_min", MAX_ACCESS_MINUTES),
        level: f.opt_str("kind"),
        source: f.opt_str("source"),
        kind: UnitKind::County,
        prefecture: Some(f.str("prefecture")),
        area_km2: area,
        urban_share_2020: f.opt_f64_max("urban_share_2020", 1.0),
        group_2010: f.opt_str("group_2010"),
        pop_2010_group: f.opt_u64_max("pop_2010_group", MAX_POPULATION),
        counted_in: Vec::new(),
        loc: f.loc.clone(),
    })
}

/// Parses one link record (geometry given separately for GeoJSON).
pub(crate) fn parse_link<S: FieldSource>(
    f: &mut Fields<'_, S>,
    geometry: Option<geo::LineString<f64>>,
) -> Option<LinkRecord> {
    let from = f.str("from");
    let to = f.str("to");
    let mode = f.parsed::<Mode>("mode");
    let minutes = f.f64_max("minutes", MAX_LINK_MINUTES);
    let km = f.f64_max("km", MAX_LINK_KM);
    let link = LinkRecord {
        from,
        to,
        mode: mode.unwrap_or(Mode::Road),
        minutes,
        km,
        services_per_day: f.opt_f64_max("services_per_day", MAX_SERVICES_PER_DAY),
        line: f.opt_str("line"),
        opened: f.opt_year("opened"),
        oneway: f.bool("oneway"),
        source: f.opt_str("source"),
        geometry,
        loc: f.loc.clone(),
    };
    Some(link)
}

/// Parses one agglomeration record.
pub(crate) fn parse_agglomeration<S: FieldSource>(f: &mut Fields<'_, S>) -> Option<AggRecord> {
    let id = f.str("id");
    let rec = AggRecord {
        id,
        name: f.str("name"),
        name_zh: f.opt_str("name_zh").unwrap_or_default(),
        kind: f
            .parsed::<AgglomerationKind>("kind")
            .unwrap_or(AgglomerationKind::CityCluster),
        cores: f.id_list("cores"),
        members: f.id_list("members"),
        partial: f.id_list("partial"),
        county_lists: Vec::new(),
        approved: f.opt_year("approved"),
        source: f.opt_str("source"),
        loc: f.loc.clone(),
    };
    Some(rec)
}

/// Ids are ASCII letters, digits, `-` and `_` (so that an id is safe in a
/// file name and in every output format). Checked for every city and
/// agglomeration when a network is built, whatever it was read from.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
