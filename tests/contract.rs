//! Issue 15, item 3: one output contract. JSON has `null` for missing values
//! and arrays for lists; GeoJSON properties keep the documented order.

mod common;
use common::*;
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    serde_json::from_str(&ok(&a)).expect("valid JSON")
}

/// Every string in `v`, with its JSON path, that is empty or `;`-joined.
fn strings_breaking_the_contract(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.is_empty() || s.contains(';') => out.push(format!("{path}: {s:?}")),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| strings_breaking_the_contract(x, &format!("{path}[{i}]"), out)),
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| strings_breaking_the_contract(x, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

#[test]
fn json_has_null_for_missing_and_arrays_for_lists() {
    let cases: &[&[&str]] = &[
        &["reach", "--from", "chengdu", "--minutes", "60,90"],
        &["route", "--from", "chengdu", "--to", "chongqing"],
        &["circles", "--minutes", "45,60"],
        &["growth"],
        &["delineate", "--view", "official"],
        &[
            "scenario",
            "data/scenarios/chengdu-chongqing-hsr-removed.toml",
            "--minutes",
            "120",
        ],
    ];
    for args in cases {
        let mut args = args.to_vec();
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(args.get(1).unwrap_or(&""));
        let owned = path.to_string_lossy().into_owned();
        if args[0] == "scenario" {
            args[1] = &owned;
        }
        let mut bad = Vec::new();
        strings_breaking_the_contract(&json(&args), "$", &mut bad);
        assert!(bad.is_empty(), "agglo {args:?}: {bad:#?}");
    }
    let reach = json(&["reach", "--from", "chengdu", "--minutes", "90"]);
    let rows = reach["cities"].as_array().unwrap();
    assert_eq!(
        rows[0]["modes"],
        serde_json::json!([]),
        "the origin needs no trip"
    );
    assert!(
        rows.iter()
            .skip(1)
            .all(|r| !r["modes"].as_array().unwrap().is_empty())
    );
    let circles = json(&[
        "circles",
        "--agglomeration",
        "chengdu-metro",
        "--minutes",
        "45,90",
    ]);
    assert_eq!(
        circles[0]["outside"],
        serde_json::json!(["deyang", "meishan", "ziyang"])
    );
    assert_eq!(circles[1]["outside"], serde_json::json!([]));
    // The same list, `;`-joined in CSV.
    let csv = ok(&[
        "circles",
        "--agglomeration",
        "chengdu-metro",
        "--minutes",
        "45",
        "--format",
        "csv",
    ]);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .ends_with(",deyang;meishan;ziyang"),
        "{csv}"
    );
}

fn property_names(path: &std::path::Path) -> Vec<String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let props = v["features"][0]["properties"].as_object().unwrap();
    props.keys().cloned().collect()
}

#[test]
fn geojson_properties_keep_the_documented_order() {
    let d = tempfile::tempdir().unwrap();
    let (circles, points) = (d.path().join("c.geojson"), d.path().join("p.geojson"));
    ok(&[
        "circles",
        "--agglomeration",
        "chengdu-metro",
        "--out",
        circles.to_str().unwrap(),
        "--cities-out",
        points.to_str().unwrap(),
    ]);
    assert_eq!(
        property_names(&circles),
        [
            "id",
            "name",
            "name_zh",
            "agglomeration",
            "core",
            "minutes",
            "cities",
            "population",
            "share",
            "area_km2"
        ]
    );
    assert_eq!(
        property_names(&points),
        [
            "id",
            "unit",
            "name",
            "name_zh",
            "kind",
            "prefecture",
            "agglomeration",
            "core",
            "minutes",
            "member",
            "pop_2020"
        ]
    );
    let q = d.path().join("q");
    ok(&["export", "--qgis", q.to_str().unwrap()]);
    let cities = property_names(&q.join("cities.geojson"));
    assert_eq!(cities[..4], ["id", "name", "name_zh", "province"]);
}

#[test]
fn an_unreachable_route_stays_parseable_in_json_and_csv() {
    let args = [
        "route",
        "--from",
        "chengdu",
        "--to",
        "chongqing",
        "--modes",
        "ferry",
    ];
    let o = run(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert!(
        v["minutes"].is_null() && v["legs"] == serde_json::json!([]),
        "{v}"
    );
    assert!(stderr(&o).contains("unreachable"));
    let o = run(&[&args[..], &["--format", "csv"]].concat());
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "step,kind,from,to,mode,line,minutes\n");
    let o = run(&args);
    assert!(stdout(&o).starts_with("unreachable: no trip from chengdu to chongqing"));
}
