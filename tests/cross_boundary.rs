//! Hong Kong's cross-boundary links at the county level (session s4-hk): the
//! MTR East Rail line to Lo Wu (Luohu Port, 罗湖区) and Lok Ma Chau (Futian
//! Port, 福田区), and the road crossings at Shenzhen Bay (南山区) and Heung
//! Yuen Wai–Liantang (罗湖区). Sources and accounting: data/README.md 2.5 and 8,
//! `data/src/county_rail_links.csv`, `data/src/county_fixed_links.csv`.

mod common;

use common::{county_reach, ok};

/// A file of the embedded dataset.
fn data_file(name: &str) -> String {
    std::fs::read_to_string(format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Published in-vehicle minutes, Hung Hom to Lo Wu: 45 (travelchinaguide.com)
/// and 50 − 7 = 43 (Admiralty–Lo Wu about 50 in 2024, Hung Hom–Admiralty 7);
/// the data takes 44.
const HUNG_HOM_LO_WU: f64 = 44.0;
/// Published in-vehicle minutes, Hung Hom to Lok Ma Chau (travelchinaguide.com).
const HUNG_HOM_LOK_MA_CHAU: f64 = 45.0;
/// Both clearances and the walk over the boundary bridge, as in the other
/// Hong Kong links (data/README.md 2.5).
const CLEARANCE: f64 = 10.0;
/// Hong Kong's rail access: `cities.csv` leaves it empty, so the rail default.
const HK_RAIL_ACCESS: f64 = 10.0;

/// The `total` row's minutes of `agglo --level county route ... --format csv`.
fn route_total(extra: &[&str]) -> f64 {
    let mut args = vec!["--level", "county", "route", "--format", "csv"];
    args.extend_from_slice(extra);
    let out = ok(&args);
    let total = out
        .lines()
        .find(|l| l.starts_with(",total,"))
        .unwrap_or_else(|| panic!("no total row in:\n{out}"));
    total.rsplit(',').next().unwrap().parse().unwrap()
}

/// `(id, minutes)` of every unit or city `agglo --level county reach` lists.
fn reach(from: &str, minutes: &str, modes: Option<&str>) -> Vec<(String, f64)> {
    match modes {
        Some(m) => county_reach(from, minutes, &["--modes", m]),
        None => county_reach(from, minutes, &[]),
    }
}

/// A unit's `access_rail_min` in the embedded `counties.csv`.
fn rail_access(unit: &str) -> f64 {
    let text = data_file("counties.csv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "access_rail_min").unwrap();
    let row = lines.find(|l| l.starts_with(&format!("{unit},"))).unwrap();
    // The columns before access_rail_min hold no quoted commas but `source`;
    // count from the end: access_rail_min is second to last.
    assert_eq!(col, header.len() - 2);
    let f: Vec<&str> = row.rsplitn(3, ',').collect();
    f[1].parse().unwrap()
}

#[test]
fn the_published_mtr_rides_are_reproduced_station_to_station() {
    // Station to station, no wait: the ride plus the clearance, nothing else.
    let rail_only = |from: &str, to: &str| {
        route_total(&[
            "--from",
            from,
            "--to",
            to,
            "--modes",
            "rail",
            "--no-wait",
            "--no-access",
        ])
    };
    let lo_wu = rail_only("hong-kong", "440303");
    assert_eq!(lo_wu, HUNG_HOM_LO_WU + CLEARANCE);
    let lok_ma_chau = rail_only("hong-kong", "440304");
    assert_eq!(lok_ma_chau, HUNG_HOM_LOK_MA_CHAU + CLEARANCE);
    // The other way, the same.
    let back = rail_only("440303", "hong-kong");
    assert_eq!(back, lo_wu);
}

#[test]
fn door_to_door_the_mtr_adds_access_wait_and_egress_once_each() {
    // Hong Kong's rail access (the 10-minute default: the node's point in
    // Kowloon to Hung Hom), half the headway of 180 trains a day over 18
    // hours, the ride with its clearance, and Luohu's own drive from the
    // station by Luohu Port to its seat: nothing counted twice.
    let wait = 18.0 * 60.0 / 180.0 / 2.0;
    let expected = HK_RAIL_ACCESS + wait + HUNG_HOM_LO_WU + CLEARANCE + rail_access("440303");
    let t = route_total(&["--from", "hong-kong", "--to", "440303", "--modes", "rail"]);
    assert!((t - expected).abs() < 0.051, "{t} against {expected}");
    // So the MTR alone leaves Luohu and Futian outside Hong Kong's hour ...
    let by_rail = reach("hong-kong", "60", Some("rail"));
    assert!(
        by_rail.iter().all(|(id, _)| id == "hong-kong"),
        "{by_rail:?}"
    );
}

#[test]
fn the_road_crossings_put_luohu_and_nanshan_in_hong_kongs_hour() {
    let within = reach("hong-kong", "60", None);
    let minutes = |id: &str| within.iter().find(|(u, _)| u == id).map(|(_, m)| *m);
    // Heung Yuen Wai–Liantang: 25 + 8 + 10 + 8 minutes to Luohu's seat.
    assert_eq!(minutes("440303"), Some(51.0));
    // Futian stays on the XRL from West Kowloon (15 + 13.5 + 13 + 10.7).
    assert_eq!(minutes("440304"), Some(52.2));
    // Shenzhen Bay: 30 + 10 + 10 + 10 minutes to Nanshan's seat, at the edge.
    assert_eq!(minutes("440305"), Some(60.0));
    // Bao'an, Longhua and the rest of Shenzhen stay beyond the hour.
    for far in ["440306", "440307", "440308", "440309"] {
        assert_eq!(minutes(far), None, "{far} within 60: {within:?}");
    }
    // From Shenzhen's urban districts Hong Kong is now 51 minutes away, by
    // road from Luohu (52.2 before, by the XRL from Futian).
    let sz = ok(&[
        "--level",
        "county",
        "circles",
        "--agglomeration",
        "shenzhen-metro",
        "--units",
        "--format",
        "csv",
    ]);
    let hk = sz
        .lines()
        .find(|l| l.starts_with("hong-kong,"))
        .unwrap_or_else(|| panic!("no Hong Kong in Shenzhen's hour:\n{sz}"));
    assert!(hk.contains(",shenzhen,51.0,"), "{hk}");
}
