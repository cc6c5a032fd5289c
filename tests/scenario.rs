//! Integration tests of `scenario`, `scenarios` and `sweep` on the shipped
//! scenarios: the direction and rough size of each change.

mod common;

use common::{ok, run, stderr};
use serde_json::Value;

fn scen(name: &str) -> String {
    format!("{}/data/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

fn row<'a>(v: &'a Value, section: &str, key: &str, id: &str) -> &'a Value {
    let sections: &[&str] = if section == "cities" {
        &["gains", "losses"]
    } else {
        &[section]
    };
    sections
        .iter()
        .flat_map(|s| v[*s].as_array().unwrap())
        .find(|r| r[key] == id)
        .unwrap_or_else(|| panic!("no {section} row {id}"))
}

fn f(v: &Value, k: &str) -> f64 {
    v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"))
}

/// Every row, unchanged ones included, and every city that gained or lost.
fn all(file: &str) -> Value {
    json(&["scenario", &scen(file), "--format", "json", "--all"])
}

#[test]
fn hzmb_removal_makes_the_estuary_less_accessible() {
    let v = all("hzmb-removed.toml");
    assert_eq!(v["links"].as_array().unwrap().len(), 2);
    assert!(
        v["links"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["status"] == "removed")
    );
    let prd = row(&v, "agglomerations", "agglomeration", "pearl-river-delta");
    let (b, a) = (f(prd, "access_mean_before"), f(prd, "access_mean_after"));
    assert!(a < b, "PRD accessibility should fall: {b} -> {a}");
    // Rough size: a loss, but well under a tenth (ferries remain).
    assert!(a > 0.9 * b);
    for c in ["hong-kong", "zhuhai", "macao"] {
        let r = row(&v, "cities", "city", c);
        assert!(f(r, "delta") < 0.0, "{c} should lose: {r}");
    }
    // Nothing far away changes.
    let bj = row(
        &v,
        "agglomerations",
        "agglomeration",
        "beijing-tianjin-hebei",
    );
    assert_eq!(f(bj, "access_mean_before"), f(bj, "access_mean_after"));
}

#[test]
fn chengdu_chongqing_hsr_removal_hurts_both_cores_and_the_cluster() {
    let v = all("chengdu-chongqing-hsr-removed.toml");
    assert_eq!(v["links"].as_array().unwrap().len(), 4);
    let cc = row(&v, "agglomerations", "agglomeration", "chengdu-chongqing");
    let (b, a) = (f(cc, "access_mean_before"), f(cc, "access_mean_after"));
    assert!(a < 0.99 * b && a > 0.5 * b, "{b} -> {a}");
    for c in ["chengdu", "chongqing", "ziyang", "neijiang"] {
        assert!(f(row(&v, "cities", "city", c), "delta") < 0.0, "{c}");
    }
    // The cities that lose most are on or next to the line.
    let worst = &v["losses"][0];
    assert!(f(worst, "delta") < 0.0);
}

#[test]
fn central_line_brings_the_two_cores_closer() {
    let v = all("chengdu-chongqing-central-line.toml");
    let cc = row(&v, "agglomerations", "agglomeration", "chengdu-chongqing");
    assert!(f(cc, "access_mean_after") > f(cc, "access_mean_before"));
    for c in ["chengdu", "chongqing"] {
        let r = row(&v, "cities", "city", c);
        assert!(f(r, "delta") > 0.0 && f(r, "change_pct") < 50.0, "{c}: {r}");
    }
    // Route times agree: the scenario's door-to-door time is shorter than today's.
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["status"], "added");
    assert_eq!(f(&links[0], "minutes_after"), 50.0);
}

#[test]
fn xiongan_is_a_new_city_and_baoding_loses_its_population() {
    let v = all("beijing-xiongan.toml");
    let x = row(&v, "cities", "city", "xiongan");
    assert_eq!(f(x, "access_before"), 0.0);
    assert!(f(x, "access_after") >= 1_205_440.0);
    assert!(f(row(&v, "cities", "city", "baoding"), "delta") < 0.0);
    let jjj = row(
        &v,
        "agglomerations",
        "agglomeration",
        "beijing-tianjin-hebei",
    );
    let ranks = jjj["rank_changes"].as_array().unwrap();
    assert!(
        ranks
            .iter()
            .any(|r| r.as_str().unwrap().starts_with("xiongan -"))
    );
    let added = v["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["status"] == "added")
        .count();
    assert_eq!(added, 3);
}

#[test]
fn scenarios_side_by_side_with_timings() {
    let files = [
        scen("hzmb-removed.toml"),
        scen("chengdu-chongqing-hsr-removed.toml"),
        scen("chengdu-chongqing-central-line.toml"),
    ];
    let mut args = vec!["scenarios", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let v = json(&args);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(f(&rows[0], "access_gain") < 0.0);
    assert!(f(&rows[1], "access_gain") < f(&rows[0], "access_gain"));
    assert!(f(&rows[2], "access_gain") > 0.0);
    assert!(rows.iter().all(|r| f(r, "ms") > 0.0));
}

#[test]
fn invalid_edit_names_file_index_and_field_and_applies_nothing() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("bad.toml");
    std::fs::write(
        &p,
        "name = \"bad\"\n[[edit]]\nop = \"set_city\"\nid = \"chengdu\"\npopulation = 1\n\
         [[edit]]\nop = \"add_link\"\nfrom = \"chengdu\"\nto = \"atlantis\"\nmode = \"hsr\"\nminutes = 30\n",
    )
    .unwrap();
    let o = run(&["scenario", p.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("bad.toml") && e.contains("edit 2 (add_link)"),
        "{e}"
    );
    assert!(e.contains("field `to`") && e.contains("atlantis"), "{e}");
    assert!(!e.contains("edit 1"), "{e}");
}

#[test]
fn scenario_writes_qgis_layers() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("layers");
    ok(&[
        "scenario",
        &scen("hzmb-removed.toml"),
        "--out",
        out.to_str().unwrap(),
        "--section",
        "links",
    ]);
    let read = |n: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(n)).unwrap()).unwrap()
    };
    let changed = read("scenario_links.geojson");
    let changed = changed["features"].as_array().unwrap();
    assert_eq!(changed.len(), 2);
    for f in changed {
        assert_eq!(f["properties"]["status"], "removed");
        assert!(f["properties"]["minutes_after"].is_null());
        assert!(f["properties"]["minutes_before"].as_f64().unwrap() > 0.0);
    }
    let cities = read("scenario_cities.geojson");
    let hk = cities["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["id"] == "hong-kong")
        .unwrap();
    assert!(hk["properties"]["access_delta"].as_f64().unwrap() < 0.0);
    assert!(hk["properties"]["access_change_pct"].as_f64().unwrap() < 0.0);
    let (b, a) = (
        read("circles_before.geojson"),
        read("circles_after.geojson"),
    );
    let nb = b["features"].as_array().unwrap().len();
    assert!(nb > 30, "{nb} circles before");
    assert_eq!(nb, a["features"].as_array().unwrap().len());
    // The scenario network: two links fewer than the embedded one.
    let base_links = read_network_links();
    assert_eq!(
        read("links.geojson")["features"].as_array().unwrap().len() + 2,
        base_links
    );
    // Each layer has its style, and the folder its README.
    for l in [
        "cities",
        "links",
        "circles_before",
        "circles_after",
        "scenario_links",
        "scenario_cities",
    ] {
        let q = std::fs::read_to_string(out.join(format!("{l}.qml"))).unwrap();
        assert!(q.contains("<renderer-v2"), "{l}");
    }
    let q = std::fs::read_to_string(out.join("scenario_links.qml")).unwrap();
    assert!(q.contains("attr=\"status\"") && q.contains("value=\"removed\""));
    assert!(
        std::fs::read_to_string(out.join("README.txt"))
            .unwrap()
            .contains("\nscenario_cities (")
    );
}

/// Links of the embedded network, as `agglo export` writes them.
fn read_network_links() -> usize {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("net.geojson");
    ok(&[
        "export",
        "--format",
        "geojson",
        "--out",
        p.to_str().unwrap(),
    ]);
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["geometry"]["type"] == "LineString")
        .count()
}

#[test]
fn scenario_writes_one_geopackage() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("gpkg");
    ok(&[
        "scenario",
        &scen("beijing-xiongan.toml"),
        "--out",
        out.to_str().unwrap(),
        "--out-format",
        "gpkg",
        "--section",
        "links",
    ]);
    let conn = rusqlite::Connection::open(out.join("agglo.gpkg")).unwrap();
    let mut st = conn
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
        )
        .unwrap();
    let names: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        names,
        [
            "circles_after",
            "circles_before",
            "cities",
            "links",
            "scenario_cities",
            "scenario_links"
        ]
    );
    let added: i64 = conn
        .query_row(
            "SELECT count(*) FROM scenario_links WHERE status = 'added'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(added, 3);
    let xiongan: i64 = conn
        .query_row(
            "SELECT count(*) FROM cities WHERE id = 'xiongan'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(xiongan, 1);
}

#[test]
fn sweep_ranks_candidates_by_the_objective() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("top.geojson");
    let o = run(&[
        "sweep",
        "--within-km",
        "80",
        "--objective",
        "accessibility",
        "--top",
        "5",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("candidates/s"));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for w in rows.windows(2) {
        assert!(f(&w[0], "access_gain") >= f(&w[1], "access_gain"));
    }
    assert!(rows.iter().all(|r| f(r, "km") <= 80.0 * 1.2 + 1e-9));
    let g: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(g["features"].as_array().unwrap().len(), 5);

    let csv = d.path().join("c.csv");
    std::fs::write(&csv, "from,to,minutes\nchengdu,atlantis,30\n").unwrap();
    let o = run(&["sweep", "--candidates", csv.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("atlantis"));
}
