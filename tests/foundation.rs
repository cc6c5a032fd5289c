//! Loading, validation, export and the first commands, on the built binary.

mod common;

use common::*;

const CITY_HEADER: &str = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n";
const LINK_HEADER: &str = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n";
const AGG_HEADER: &str = "id,name,name_zh,kind,cores,members\n";

fn small() -> String {
    fixture("small").display().to_string()
}

#[test]
fn info_on_fixture_counts_everything() {
    let out = ok(&["--data", &small(), "info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cities"], 6);
    assert_eq!(v["links"], 7);
    assert_eq!(v["links_by_mode"]["hsr"]["links"], 2);
    assert_eq!(v["links_by_mode"]["expressway"]["links"], 3);
    assert_eq!(v["population_2020"], 7_900_000);
    assert_eq!(v["agglomerations"], 2);
    assert_eq!(v["metro_areas"], 1);
    assert_eq!(v["bbox"], serde_json::json!([110.0, 30.0, 112.5, 31.2]));
}

#[test]
fn info_on_embedded_data_runs_from_any_directory() {
    let d = tempfile::tempdir().unwrap();
    let o = bin().current_dir(d.path()).arg("info").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("cities"));
}

#[test]
fn validate_reports_every_problem_with_file_line_and_field() {
    let cities = format!(
        "{CITY_HEADER}a,A,甲,P,,110,30,100,,,,\n\
         a,A2,甲2,P,,110.1,30,100,,,,\n\
         b,B,乙,P,,110.2,95,100,,,,\n\
         c,C,丙,P,,110.3,30,-4,,,,\n\
         d,D,丁,P,,110.4,30,nan,,,,\n\
         e,E,戊,P,,110.5,30,10,,,,\n"
    );
    let links = format!(
        "{LINK_HEADER}a,zz,hsr,10,20,,,,,\n\
         a,a,hsr,10,20,,,,,\n\
         a,e,hsr,0,20,,,,,\n\
         a,e,maglev,10,20,,,,,\n\
         a,e,hsr,-3,20,,,,,\n\
         a,e,hsr,inf,20,,,,,\n"
    );
    let aggs = format!("{AGG_HEADER}g,G,G,city-cluster,,a;e\nh,H,H,metro-area,a,a;nowhere\n");
    let d = network_dir(&cities, &links, Some(&aggs));
    let dir = d.path().display().to_string();
    let o = run(&["--data", &dir, "validate"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let expect = [
        "cities.csv:3: field `id`: duplicate city id `a`",
        "cities.csv:4: field `lat`: must lie in [-90, 90], got 95",
        "cities.csv:5: field `pop_2020`: must not be negative, got -4",
        "cities.csv:6: field `pop_2020`: is not a whole non-negative number: `nan`",
        "links.csv:2: field `to`: unknown city `zz`",
        "links.csv:3: field `to`: self-loop",
        "links.csv:4: field `minutes`: zero minutes between distinct cities",
        "links.csv:5: field `mode`: unknown mode `maglev`",
        "links.csv:6: field `minutes`: must not be negative, got -3",
        "links.csv:7: field `minutes`: must be a finite number, got `inf`",
        "agglomerations.csv:2: field `cores`: agglomeration `g` has no core city",
        "agglomerations.csv:3: field `members`: unknown city `nowhere`",
    ];
    for e in expect {
        assert!(out.contains(e), "missing `{e}` in:\n{out}");
    }
    assert!(out.contains("invalid: 12 errors"), "{out}");
}

#[test]
fn missing_columns_and_malformed_json_are_reported() {
    let d = network_dir("id,name,lon\nx,X,1\n", LINK_HEADER, None);
    let o = run(&["--data", &d.path().display().to_string(), "info"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("cities.csv:1: field `lat`: required column is missing"),
        "{err}"
    );
    assert!(
        err.contains("field `pop_2020`: required column is missing"),
        "{err}"
    );
    assert!(!err.contains("panicked"));

    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        f.path(),
        "{\"type\": \"FeatureCollection\", \"features\": [",
    )
    .unwrap();
    let o = run(&["--network", &f.path().display().to_string(), "info"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a GeoJSON FeatureCollection"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn geojson_feature_errors_name_the_feature() {
    let gj = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","geometry":{"type":"Point","coordinates":[110,30]},"properties":{"id":"a","name":"A","pop_2020":5}},
      {"type":"Feature","geometry":{"type":"Point","coordinates":[250,30]},"properties":{"id":"b","name":"B","pop_2020":5}},
      {"type":"Feature","geometry":{"type":"LineString","coordinates":[[110,30],[250,30]]},"properties":{"from":"a","to":"b","mode":"hsr","minutes":-1,"km":5}},
      {"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{}}
    ]}"#;
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), gj).unwrap();
    let o = run(&["--network", &f.path().display().to_string(), "validate"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(": feature 1: field `geometry`: longitude 250 outside [-180, 180]"),
        "{out}"
    );
    assert!(
        out.contains(": feature 2: field `minutes`: must not be negative"),
        "{out}"
    );
    assert!(
        out.contains(": feature 3: field `geometry`: Polygon is neither"),
        "{out}"
    );
}

#[test]
fn far_away_city_is_a_warning_not_an_error() {
    let cities =
        format!("{CITY_HEADER}a,A,,P,,110,30,1,,,,\nb,B,,P,,110.5,30,1,,,,\nc,C,,P,,30,30,1,,,,\n");
    let d = network_dir(&cities, LINK_HEADER, None);
    let o = run(&["--data", &d.path().display().to_string(), "validate"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("warning: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("from the nearest other city"));
}

#[test]
fn geojson_round_trip_gives_an_identical_network() {
    let d = tempfile::tempdir().unwrap();
    let gj = d.path().join("net.geojson");
    let gj2 = d.path().join("net2.geojson");
    let csvdir = d.path().join("csv");
    ok(&[
        "--data",
        &small(),
        "export",
        "--out",
        &gj.display().to_string(),
    ]);
    ok(&[
        "--network",
        &gj.display().to_string(),
        "export",
        "--out",
        &gj2.display().to_string(),
    ]);
    assert_eq!(std::fs::read(&gj).unwrap(), std::fs::read(&gj2).unwrap());
    ok(&[
        "--network",
        &gj.display().to_string(),
        "export",
        "--format",
        "csv",
        "--out",
        &csvdir.display().to_string(),
    ]);
    for f in ["cities.csv", "links.csv"] {
        let a = std::fs::read_to_string(fixture("small").join(f)).unwrap();
        let b = std::fs::read_to_string(csvdir.join(f)).unwrap();
        // Same rows; the export appends the documented extra columns.
        assert_eq!(a.lines().count(), b.lines().count(), "{f}");
    }
    let a = ok(&["--data", &small(), "cities", "--format", "csv"]);
    let b = ok(&[
        "--data",
        &csvdir.display().to_string(),
        "cities",
        "--format",
        "csv",
    ]);
    assert_eq!(a, b);
    // Embedded data round-trips too.
    let e = d.path().join("embedded.geojson");
    let e2 = d.path().join("embedded2.geojson");
    ok(&["export", "--out", &e.display().to_string()]);
    ok(&[
        "--network",
        &e.display().to_string(),
        "export",
        "--out",
        &e2.display().to_string(),
    ]);
    assert_eq!(std::fs::read(&e).unwrap(), std::fs::read(&e2).unwrap());
}

#[test]
fn failed_export_leaves_no_partial_file() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("x.geojson");
    std::fs::write(&out, "previous").unwrap();
    let o = run(&[
        "--cities",
        "/nonexistent/c.csv",
        "--links",
        "/nonexistent/l.csv",
        "export",
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/c.csv"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous");
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );
}

#[test]
fn cities_accept_names_and_suggest_on_typos() {
    let out = ok(&[
        "--data",
        &small(),
        "cities",
        "--agglomeration",
        "Alpha Metro",
        "--format",
        "csv",
    ]);
    assert!(
        out.starts_with("id,name,name_zh,province,lon,lat,pop_2020,pop_2010,urban_pop_2020,role\n")
    );
    assert!(out.contains("alpha,Alpha,甲城,P1,110.0000,30.0000,5000000,4500000,3000000,core"));
    assert_eq!(out.lines().count(), 4);
    let o = run(&[
        "--data",
        &small(),
        "cities",
        "--agglomeration",
        "alpha-metr",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean alpha-metro"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn nearest_orders_by_great_circle_distance() {
    let out = ok(&[
        "--data",
        &small(),
        "nearest",
        "--lon",
        "110.45",
        "--lat",
        "30.01",
        "-k",
        "3",
        "--format",
        "csv",
    ]);
    let ids: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(ids, ["beta", "alpha", "gamma"]);
    let o = run(&["nearest", "--lon", "200", "--lat", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
