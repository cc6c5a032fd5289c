//! `export --qgis` and `export --format gpkg`, checked by the real consumer:
//! GDAL's `ogrinfo` opens every exported layer (skipped with a note where GDAL
//! is absent; CI installs it). Polygon validity and RFC 7946 details are
//! checked in Rust on the GeoJSON files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;

/// China's bounding box (lon 73–136, lat 3–54), with a margin.
const CHINA: [f64; 4] = [73.0, 3.0, 136.0, 54.0];

fn have_ogrinfo() -> bool {
    match Command::new("ogrinfo").arg("--version").output() {
        Ok(o) if o.status.success() => true,
        _ => {
            if std::env::var_os("CI").is_some() {
                panic!("ogrinfo is missing in CI: .ci/run must install gdal-bin");
            }
            eprintln!("note: ogrinfo (gdal-bin) not found; GDAL checks skipped");
            false
        }
    }
}

#[derive(Debug, Default)]
struct OgrLayer {
    geometry: String,
    count: usize,
    extent: [f64; 4],
    fields: BTreeMap<String, String>,
}

fn ogrinfo(path: &Path) -> BTreeMap<String, OgrLayer> {
    let o = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al"])
        .arg(path)
        .output()
        .expect("ogrinfo runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "ogrinfo {}: {err}", path.display());
    assert!(
        !err.contains("Warning") && !err.contains("ERROR"),
        "GDAL complained about {}: {err}",
        path.display()
    );
    let mut layers = BTreeMap::new();
    let mut cur: Option<(String, OgrLayer)> = None;
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        if let Some(n) = line.strip_prefix("Layer name: ") {
            if let Some((k, v)) = cur.take() {
                layers.insert(k, v);
            }
            cur = Some((n.trim().to_owned(), OgrLayer::default()));
            continue;
        }
        let Some((_, l)) = cur.as_mut() else { continue };
        if let Some(g) = line.strip_prefix("Geometry: ") {
            l.geometry = g.trim().to_owned();
        } else if let Some(c) = line.strip_prefix("Feature Count: ") {
            l.count = c.trim().parse().unwrap();
        } else if let Some(e) = line.strip_prefix("Extent: ") {
            let nums: Vec<f64> = e
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|s| !s.is_empty() && *s != "-")
                .map(|s| s.parse().unwrap())
                .collect();
            l.extent = [nums[0], nums[1], nums[2], nums[3]];
        } else if let Some((name, rest)) = line.split_once(": ") {
            let ty = rest.split(' ').next().unwrap_or("");
            if !name.contains(' ')
                && ["String", "Integer", "Integer64", "Real", "Integer(Boolean)"].contains(&ty)
            {
                l.fields.insert(name.to_owned(), ty.to_owned());
            }
        }
    }
    if let Some((k, v)) = cur {
        layers.insert(k, v);
    }
    layers
}

/// Expected OGR types per layer; integers may be Integer or Integer64.
/// Geometry type and `(field, OGR type)` pairs of a layer.
type Schema = (&'static str, Vec<(&'static str, &'static str)>);

fn expected() -> BTreeMap<&'static str, Schema> {
    let s = "String";
    let i = "Integer";
    let r = "Real";
    let b = "Integer(Boolean)";
    BTreeMap::from([
        (
            "cities",
            (
                "Point",
                vec![
                    ("id", s),
                    ("name", s),
                    ("name_zh", s),
                    ("province", s),
                    ("adcode", i),
                    ("level", s),
                    ("pop_2020", i),
                    ("pop_2010", i),
                    ("urban_pop_2020", i),
                    ("access_hsr_min", r),
                    ("access_rail_min", r),
                    ("agglomerations", s),
                ],
            ),
        ),
        (
            "links",
            (
                "Line String",
                vec![
                    ("id", s),
                    ("name", s),
                    ("name_zh", s),
                    ("from", s),
                    ("to", s),
                    ("mode", s),
                    ("minutes", r),
                    ("km", r),
                    ("services_per_day", r),
                    ("line", s),
                    ("opened", i),
                    ("oneway", b),
                ],
            ),
        ),
        (
            "circles",
            (
                "Multi Polygon",
                vec![
                    ("id", s),
                    ("name", s),
                    ("name_zh", s),
                    ("agglomeration", s),
                    ("core", s),
                    ("minutes", r),
                    ("cities", i),
                    ("population", i),
                    ("share", r),
                    ("area_km2", r),
                ],
            ),
        ),
        (
            "centrality",
            (
                "Point",
                vec![
                    ("id", s),
                    ("name", s),
                    ("name_zh", s),
                    ("agglomeration", s),
                    ("pop_2020", i),
                    ("betweenness_norm", r),
                    ("rank", i),
                ],
            ),
        ),
    ])
}

/// Feature counts from other commands: cities and links from `info`, circles
/// from `circles` (one row per core and budget), centrality from
/// `centrality` (one row per agglomeration member).
fn counts() -> BTreeMap<&'static str, usize> {
    let info: serde_json::Value = serde_json::from_str(&ok(&["info", "--format", "json"])).unwrap();
    let circles = ok(&["circles", "--minutes", "30,60,90", "--format", "csv"])
        .lines()
        .count()
        - 1;
    let centrality = ok(&[
        "centrality",
        "--measures",
        "betweenness_norm",
        "--format",
        "csv",
    ])
    .lines()
    .count()
        - 1;
    BTreeMap::from([
        ("centrality", centrality),
        ("cities", info["cities"].as_u64().unwrap() as usize),
        ("links", info["links"].as_u64().unwrap() as usize),
        ("circles", circles),
    ])
}

fn check_layers(found: &BTreeMap<String, OgrLayer>, names: &[&str]) {
    let exp = expected();
    let n = counts();
    for name in names {
        let l = found
            .get(*name)
            .unwrap_or_else(|| panic!("layer {name} missing: {found:?}"));
        let (geom, fields) = &exp[name];
        assert_eq!(&l.geometry, geom, "{name}");
        assert_eq!(l.count, n[name], "{name} feature count");
        assert!(l.count > 0);
        let e = l.extent;
        assert!(
            e[0] >= CHINA[0] && e[1] >= CHINA[1] && e[2] <= CHINA[2] && e[3] <= CHINA[3],
            "{name} extent {e:?} outside China"
        );
        assert_eq!(l.fields.len(), fields.len(), "{name}: {:?}", l.fields);
        for (f, t) in fields {
            let got = l
                .fields
                .get(*f)
                .unwrap_or_else(|| panic!("{name}.{f} missing"));
            let ok = got == t || (*t == "Integer" && got == "Integer64");
            assert!(ok, "{name}.{f}: {got}, expected {t}");
        }
    }
}

#[test]
fn qgis_folder_of_geojson_layers_opens_in_gdal() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("qgis");
    ok(&["export", "--qgis", dir.to_str().unwrap()]);
    for name in ["cities", "links", "circles", "centrality"] {
        assert!(dir.join(format!("{name}.geojson")).exists());
        let qml = std::fs::read_to_string(dir.join(format!("{name}.qml"))).unwrap();
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{name}.qml");
    }
    let readme = std::fs::read_to_string(dir.join("README.txt")).unwrap();
    assert!(readme.contains("circles (MULTIPOLYGON"), "{readme}");
    if !have_ogrinfo() {
        return;
    }
    for name in ["cities", "links", "circles", "centrality"] {
        let found = ogrinfo(&dir.join(format!("{name}.geojson")));
        assert_eq!(found.len(), 1);
        check_layers(&found, &[name]);
    }
}

#[test]
fn geopackage_holds_every_layer_and_the_styles() {
    let d = tempfile::tempdir().unwrap();
    let one = d.path().join("agglo.gpkg");
    ok(&["export", "--format", "gpkg", "--out", one.to_str().unwrap()]);
    let dir = d.path().join("q");
    ok(&[
        "export",
        "--qgis",
        dir.to_str().unwrap(),
        "--format",
        "gpkg",
    ]);
    assert!(dir.join("agglo.gpkg").exists() && dir.join("circles.qml").exists());
    // The header says SQLite and the application id says GPKG.
    let bytes = std::fs::read(&one).unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    assert_eq!(&bytes[68..72], b"GPKG");
    if !have_ogrinfo() {
        return;
    }
    for p in [one, dir.join("agglo.gpkg")] {
        let found = ogrinfo(&p);
        check_layers(&found, &["cities", "links", "circles", "centrality"]);
        assert!(found.contains_key("layer_styles"), "{found:?}");
        assert_eq!(found.len(), 5);
    }
}

#[test]
fn circle_polygons_are_valid_rfc7946_multipolygons() {
    use geo::{Validation, Winding};
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("qgis");
    ok(&[
        "export",
        "--qgis",
        dir.to_str().unwrap(),
        "--minutes",
        "45,90",
    ]);
    let text = std::fs::read_to_string(dir.join("circles.geojson")).unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    assert!(!fc.features.is_empty());
    let mut ids = std::collections::BTreeSet::new();
    for f in &fc.features {
        let id = f
            .property("id")
            .and_then(|v| v.as_str())
            .unwrap()
            .to_owned();
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        assert!(f.property("minutes").unwrap().is_number());
        assert!(f.property("population").unwrap().is_u64());
        assert!(f.property("name_zh").unwrap().is_string());
        let g = geo::Geometry::<f64>::try_from(f.geometry.clone().unwrap()).unwrap();
        let geo::Geometry::MultiPolygon(mp) = g else {
            panic!("{id} is not a MultiPolygon")
        };
        assert!(mp.is_valid(), "{id}: {:?}", mp.validation_errors());
        for p in &mp.0 {
            assert!(p.exterior().is_closed() && p.exterior().is_ccw(), "{id}");
            for r in p.interiors() {
                assert!(r.is_closed() && r.is_cw(), "{id} hole");
            }
            for c in p.exterior().coords() {
                assert_eq!((c.x * 1e6).round() / 1e6, c.x, "{id} not rounded");
            }
        }
    }
}

#[test]
fn centrality_layer_agrees_with_the_centrality_command() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("qgis");
    ok(&[
        "export",
        "--qgis",
        dir.to_str().unwrap(),
        "--centrality",
        "harmonic",
    ]);
    let text = std::fs::read_to_string(dir.join("centrality.geojson")).unwrap();
    let fc: geojson::FeatureCollection = text.parse().unwrap();
    let csv = ok(&["centrality", "--measures", "harmonic", "--format", "csv"]);
    let mut expected = BTreeMap::new();
    for line in csv.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        expected.insert(
            (f[0].to_owned(), f[1].to_owned()),
            (f[4].parse::<f64>().unwrap(), f[5].parse::<i64>().unwrap()),
        );
    }
    assert_eq!(fc.features.len(), expected.len());
    for f in &fc.features {
        let agg = f.property("agglomeration").unwrap().as_str().unwrap();
        let id = f.property("id").unwrap().as_str().unwrap();
        let city = id.strip_prefix(&format!("{agg}:")).unwrap();
        let (score, rank) = expected[&(agg.to_owned(), city.to_owned())];
        let got = f.property("harmonic").unwrap().as_f64().unwrap();
        assert!((got - score).abs() < 1e-6, "{id}: {got} vs {score}");
        assert_eq!(f.property("rank").unwrap().as_i64().unwrap(), rank, "{id}");
    }
    let o = run(&[
        "export",
        "--qgis",
        dir.to_str().unwrap(),
        "--centrality",
        "fame",
    ]);
    assert!(!o.status.success() && stderr(&o).contains("fame"));
}
