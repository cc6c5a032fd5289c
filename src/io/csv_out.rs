use super::csv_in::{
    AGGLOMERATION_COLUMNS, AGGLOMERATION_EXTRA_COLUMNS, CITY_COLUMNS, CITY_EXTRA_COLUMNS,
    LINK_COLUMNS,
};
use crate::network::Network;

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// Formats a float without a trailing `.0` for whole numbers.
pub(crate) fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn finish(w: csv::Writer<Vec<u8>>) -> String {
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail"))
        .expect("all fields are UTF-8")
}

/// The network's cities as `cities.csv` text (contract columns, then
/// `level,source,counted_in`).
pub fn cities_csv(net: &Network) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = CITY_COLUMNS
        .iter()
        .chain(CITY_EXTRA_COLUMNS)
        .copied()
        .collect();
    w.write_record(&header).expect("in memory");
    for c in net.cities() {
        w.write_record([
            c.id.clone(),
            c.name.clone(),
            c.name_zh.clone(),
            c.province.clone(),
            opt(&c.adcode),
            num(c.lon),
            num(c.lat),
            c.pop_2020.to_string(),
            opt(&c.pop_2010),
            opt(&c.urban_pop_2020),
            c.access_hsr_min.map(num).unwrap_or_default(),
            c.access_rail_min.map(num).unwrap_or_default(),
            opt(&c.level),
            opt(&c.source),
            c.counted_in.join(";"),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// The network's links as `links.csv` text. Link geometries are not part of
/// the CSV format (use GeoJSON to keep them).
pub fn links_csv(net: &Network) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(LINK_COLUMNS).expect("in memory");
    for l in net.links() {
        w.write_record([
            net.city(l.from).id.clone(),
            net.city(l.to).id.clone(),
            l.mode.to_string(),
            num(l.minutes),
            num(l.km),
            l.services_per_day.map(num).unwrap_or_default(),
            opt(&l.line),
            opt(&l.opened),
            if l.oneway {
                "true".into()
            } else {
                String::new()
            },
            opt(&l.source),
        ])
        .expect("in memory");
    }
    finish(w)
}

/// The network's agglomerations as `agglomerations.csv` text.
pub fn agglomerations_csv(net: &Network) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = AGGLOMERATION_COLUMNS
        .iter()
        .chain(AGGLOMERATION_EXTRA_COLUMNS)
        .copied()
        .collect();
    w.write_record(&header).expect("in memory");
    let ids = |v: &[u32]| {
        v.iter()
            .map(|&i| net.city(i).id.as_str())
            .collect::<Vec<_>>()
            .join(";")
    };
    for a in net.agglomerations() {
        w.write_record([
            a.id.clone(),
            a.name.clone(),
            a.name_zh.clone(),
            a.kind.to_string(),
            ids(&a.cores),
            ids(&a.members),
            ids(&a.partial),
            opt(&a.approved),
            opt(&a.source),
        ])
        .expect("in memory");
    }
    finish(w)
}
