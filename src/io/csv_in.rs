use std::collections::HashMap;
use std::sync::Arc;

use super::fields::{FieldSource, Fields};
use super::records::{
    CountyList, NetworkData, parse_agglomeration, parse_city, parse_county, parse_link,
};
use crate::error::{Issue, Loc};

/// Columns of `cities.csv`, in order. Extra columns may follow.
pub const CITY_COLUMNS: &[&str] = &[
    "id",
    "name",
    "name_zh",
    "province",
    "adcode",
    "lon",
    "lat",
    "pop_2020",
    "pop_2010",
    "urban_pop_2020",
    "access_hsr_min",
    "access_rail_min",
];
/// Optional extra columns of `cities.csv` that agglo understands.
pub const CITY_EXTRA_COLUMNS: &[&str] = &["level", "source", "counted_in"];
/// Columns of `links.csv`, in order.
pub const LINK_COLUMNS: &[&str] = &[
    "from",
    "to",
    "mode",
    "minutes",
    "km",
    "services_per_day",
    "line",
    "opened",
    "oneway",
    "source",
];
/// Columns of `agglomerations.csv`, in order. `partial`, `approved` and
/// `source` are optional extras.
pub const AGGLOMERATION_COLUMNS: &[&str] = &["id", "name", "name_zh", "kind", "cores", "members"];
/// Columns of `counties.csv` (county-level units), in any order. Optional
/// extras: `name`, `name_zh`, `province`, `adcode`, `pop_2010`,
/// `group_2010`, `pop_2010_group`, `pop_chengqu_2020`, `access_hsr_min`,
/// `access_rail_min`, `area_km2`, `source`.
pub const COUNTY_COLUMNS: &[&str] = &["id", "kind", "prefecture", "pop_2020", "lon", "lat"];
/// Optional extra columns of `agglomerations.csv`.
pub const AGGLOMERATION_EXTRA_COLUMNS: &[&str] = &["partial", "approved", "source"];

struct CsvRow<'a> {
    rec: &'a csv::StringRecord,
    cols: &'a HashMap<String, usize>,
}

impl FieldSource for CsvRow<'_> {
    fn raw(&self, name: &str) -> Option<String> {
        let i = *self.cols.get(name)?;
        let v = self.rec.get(i)?.trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

/// Reads one CSV table, calling `row` for each record. Missing required
/// columns and malformed rows become issues.
fn read_table(
    file: &Arc<str>,
    text: &str,
    required: &[&str],
    issues: &mut Vec<Issue>,
    mut row: impl FnMut(&mut Fields<'_, CsvRow<'_>>),
) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            issues.push(Issue::error(
                Loc::line(file, 1),
                None,
                format!("cannot read header: {e}"),
            ));
            return;
        }
    };
    let mut cols = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if cols.insert(h.to_owned(), i).is_some() {
            issues.push(Issue::error(
                Loc::line(file, 1),
                Some(h),
                "column appears twice in the header",
            ));
        }
    }
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !cols.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        for m in missing {
            issues.push(Issue::error(
                Loc::line(file, 1),
                Some(m),
                "required column is missing from the header",
            ));
        }
        return;
    }
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                if rec.iter().all(|f| f.trim().is_empty()) {
                    continue;
                }
                let src = CsvRow {
                    rec: &rec,
                    cols: &cols,
                };
                let mut f = Fields::new(src, Loc::line(file, line), issues);
                row(&mut f);
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let msg = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("row has {len} fields, the header has {expected_len}"),
                    _ => format!("malformed CSV: {e}"),
                };
                issues.push(Issue::error(Loc::line(file, line), None, msg));
                if !matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
}

/// Parses the three CSV tables of a network. `names` are the labels used in
/// messages (usually the paths); any table may be empty text.
pub fn read_csv_network(
    cities: (&str, &str),
    links: (&str, &str),
    agglomerations: Option<(&str, &str)>,
) -> NetworkData {
    let mut data = NetworkData::default();
    let mut issues = Vec::new();
    let file: Arc<str> = Arc::from(cities.0);
    read_table(&file, cities.1, CITY_COLUMNS, &mut issues, |f| {
        if let Some(c) = parse_city(f, None) {
            data.cities.push(c);
        }
    });
    let file: Arc<str> = Arc::from(links.0);
    read_table(&file, links.1, LINK_COLUMNS, &mut issues, |f| {
        if let Some(l) = parse_link(f, None) {
            data.links.push(l);
        }
    });
    if let Some((name, text)) = agglomerations {
        let file: Arc<str> = Arc::from(name);
        read_table(&file, text, AGGLOMERATION_COLUMNS, &mut issues, |f| {
            if let Some(a) = parse_agglomeration(f) {
                data.agglomerations.push(a);
            }
        });
    }
    data.issues = issues;
    data
}

/// Columns of `agglomeration_counties.csv`: for a partial member of an
/// agglomeration, the county units inside it (`;`-joined ids).
pub const AGGLOMERATION_COUNTY_COLUMNS: &[&str] = &["agglomeration", "prefecture", "counties"];

/// Adds county units (`counties.csv`) and, optionally, the links that join
/// them (`county_links.csv`, the columns of `links.csv`) and the county lists
/// of partial members (`agglomeration_counties.csv`) to `data`. Issues are
/// appended to `data.issues`.
pub fn read_csv_counties(
    data: &mut NetworkData,
    counties: (&str, &str),
    links: Option<(&str, &str)>,
    agglomeration_counties: Option<(&str, &str)>,
) {
    let mut issues = std::mem::take(&mut data.issues);
    let file: Arc<str> = Arc::from(counties.0);
    read_table(&file, counties.1, COUNTY_COLUMNS, &mut issues, |f| {
        if let Some(c) = parse_county(f) {
            data.cities.push(c);
        }
    });
    if let Some((name, text)) = links {
        let file: Arc<str> = Arc::from(name);
        read_table(&file, text, LINK_COLUMNS, &mut issues, |f| {
            if let Some(l) = parse_link(f, None) {
                data.links.push(l);
            }
        });
    }
    if let Some((name, text)) = agglomeration_counties {
        let file: Arc<str> = Arc::from(name);
        read_table(
            &file,
            text,
            AGGLOMERATION_COUNTY_COLUMNS,
            &mut issues,
            |f| {
                let agg = f.str("agglomeration");
                let list = CountyList {
                    prefecture: f.str("prefecture"),
                    units: f.id_list("counties"),
                    loc: f.loc.clone(),
                };
                match data.agglomerations.iter_mut().find(|a| a.id == agg) {
                    Some(a) => a.county_lists.push(list),
                    None => f.error("agglomeration", format!("unknown agglomeration `{agg}`")),
                }
            },
        );
    }
    data.issues = issues;
}

#[cfg(test)]
mod tests {
    use super::*;

    const CITIES: &str = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
        a,A,甲,P,,104.0,30.6,100,90,,,\n\
        b,B,乙,P,,105.0,30.6,50,,,10,\n";

    #[test]
    fn reads_cities_and_reports_every_bad_field() {
        let bad = format!("{CITIES}c,C,丙,P,12,200,30,-5,x,,,\n");
        let d = read_csv_network(
            ("cities.csv", &bad),
            (
                "links.csv",
                "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n",
            ),
            None,
        );
        assert_eq!(d.cities.len(), 3);
        let msgs: Vec<String> = d.issues.iter().map(|i| i.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs[0].contains("cities.csv:4: field `adcode`"));
        assert!(
            msgs.iter()
                .any(|m| m.contains("field `lon`: must lie in [-180, 180], got 200"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("field `pop_2020`: must not be negative"))
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("field `pop_2010`: is not a whole"))
        );
    }

    #[test]
    fn missing_column_and_ragged_row() {
        let d = read_csv_network(
            ("c.csv", "id,name\nx,X\n"),
            (
                "l.csv",
                "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\na,b,hsr,10,20,,,,\n",
            ),
            None,
        );
        let msgs: Vec<String> = d.issues.iter().map(|i| i.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("c.csv:1: field `lon`: required column is missing")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("l.csv:2: row has 9 fields, the header has 10")),
            "{msgs:#?}"
        );
    }
}
