//! `export --qgis` and `export --format gpkg`, checked by the real consumer:
//! GDAL's `ogrinfo` opens every exported layer, and a headless QGIS applies
//! every style. Those tests are `#[ignore]`d, so that `cargo test` counts
//! them as ignored where GDAL or PyQGIS is missing; `.ci/run` installs both
//! and runs them with `-- --include-ignored`, and there a missing tool fails
//! the test. Polygon validity and RFC 7946 details are checked in Rust on
//! the GeoJSON files, always.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;

/// China's bounding box (lon 73–136, lat 3–54), with a margin.
const CHINA: [f64; 4] = [73.0, 3.0, 136.0, 54.0];

/// Fails with the way to get GDAL when `ogrinfo` is missing (the tests
/// calling this are ignored unless asked for).
fn require_ogrinfo() {
    let found = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "this test needs GDAL's ogrinfo: apt-get install gdal-bin (or run without --include-ignored)"
    );
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
        (
            "counties",
            (
                "Multi Polygon",
                vec![
                    ("id", s),
                    ("name", s),
                    ("name_zh", s),
                    ("kind", s),
                    ("prefecture", s),
                    ("province", s),
                    ("adcode", i),
                    ("pop_2020", i),
                    ("pop_2010", i),
                    ("growth_pct", r),
                    ("urban_share", r),
                    ("area_km2", r),
                    ("density", r),
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
        // Rows of data/counties.csv.
        ("counties", 2989),
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
fn qgis_folder_holds_every_layer_style_and_readme() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("qgis");
    ok(&["export", "--qgis", dir.to_str().unwrap()]);
    for name in ["cities", "links", "circles", "centrality", "counties"] {
        assert!(dir.join(format!("{name}.geojson")).exists());
        let qml = std::fs::read_to_string(dir.join(format!("{name}.qml"))).unwrap();
        assert!(qml.starts_with("<!DOCTYPE qgis"), "{name}.qml");
    }
    let readme = std::fs::read_to_string(dir.join("README.txt")).unwrap();
    assert!(readme.contains("circles (MULTIPOLYGON"), "{readme}");
}

#[test]
#[ignore = "needs ogrinfo (gdal-bin)"]
fn gdal_opens_every_geojson_layer_of_the_qgis_folder() {
    require_ogrinfo();
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("qgis");
    ok(&["export", "--qgis", dir.to_str().unwrap()]);
    for name in ["cities", "links", "circles", "centrality", "counties"] {
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
}

#[test]
#[ignore = "needs ogrinfo (gdal-bin)"]
fn gdal_opens_every_layer_and_style_of_the_geopackages() {
    require_ogrinfo();
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
    for p in [one, dir.join("agglo.gpkg")] {
        let found = ogrinfo(&p);
        check_layers(
            &found,
            &["cities", "links", "circles", "centrality", "counties"],
        );
        assert!(found.contains_key("layer_styles"), "{found:?}");
        assert_eq!(found.len(), 6);
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

/// Python with GDAL's `validate_gpkg.py` where Debian's `python3-gdal` puts
/// it (the script is GDAL's, not ours: it is used only where installed).
fn validate_gpkg_script() -> Option<&'static str> {
    [
        "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
        "/usr/share/doc/python3-gdal/examples/validate_gpkg.py",
    ]
    .into_iter()
    .find(|p| Path::new(p).exists())
}

/// `(table, rows in the table, rows in its rtree, envelope mismatches)` of
/// every feature table, read with SQLite directly.
fn spatial_index_rows(path: &Path) -> Vec<(String, i64, i64, i64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = c
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let ext: String = c
                .query_row(
                    "SELECT extension_name || ' ' || scope FROM gpkg_extensions WHERE table_name = ?1 AND column_name = 'geom'",
                    [&t],
                    |r| r.get(0),
                )
                .unwrap_or_else(|e| panic!("{t}: no gpkg_extensions row: {e}"));
            assert_eq!(ext, "gpkg_rtree_index write-only", "{t}");
            let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
            let n = count(&format!("SELECT count(*) FROM \"{t}\""));
            let r = count(&format!("SELECT count(*) FROM \"rtree_{t}_geom\""));
            // The index box must hold the envelope of the geometry header
            // (bytes 8..40: minx, maxx, miny, maxy); SQLite stores 32-bit
            // floats rounded outwards.
            let mut bad = 0;
            let mut stmt = c
                .prepare(&format!(
                    "SELECT f.geom, r.minx, r.maxx, r.miny, r.maxy FROM \"{t}\" f JOIN \"rtree_{t}_geom\" r ON r.id = f.fid"
                ))
                .unwrap();
            let rows = stmt
                .query_map([], |row| {
                    let b: Vec<u8> = row.get(0)?;
                    let e: Vec<f64> = (0..4)
                        .map(|i| f64::from_le_bytes(b[8 + 8 * i..16 + 8 * i].try_into().unwrap()))
                        .collect();
                    let bx = [row.get::<_, f64>(1)?, row.get(2)?, row.get(3)?, row.get(4)?];
                    Ok((e, bx))
                })
                .unwrap();
            for row in rows {
                let (e, bx) = row.unwrap();
                let inside = bx[0] <= e[0] && e[1] <= bx[1] && bx[2] <= e[2] && e[3] <= bx[3];
                let tight = (0..4).all(|i| (bx[i] - e[i]).abs() < 1e-4);
                if !(inside && tight) {
                    bad += 1;
                }
            }
            (t, n, r, bad)
        })
        .collect()
}

fn ogr_sql(path: &Path, sql: &str, read_only: bool) -> String {
    let mut cmd = Command::new("ogrinfo");
    if read_only {
        cmd.arg("-ro");
    }
    let o = cmd.args(["-q", "-sql", sql]).arg(path).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && !err.contains("ERROR"), "{sql}: {err}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn geopackage_has_a_spatial_index_matching_every_geometry() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("agglo.gpkg");
    ok(&["export", "--format", "gpkg", "--out", p.to_str().unwrap()]);
    let idx = spatial_index_rows(&p);
    let names: Vec<&str> = idx.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        names,
        ["centrality", "circles", "cities", "counties", "links"]
    );
    for (t, n, r, bad) in &idx {
        assert!(*n > 0, "{t}");
        assert_eq!(n, r, "{t}: {n} features, {r} index entries");
        assert_eq!(
            *bad, 0,
            "{t}: index boxes differ from the geometries' envelopes"
        );
    }
}

#[test]
#[ignore = "needs ogrinfo (gdal-bin)"]
fn gdal_uses_the_spatial_index_and_keeps_it_up_to_date() {
    require_ogrinfo();
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("agglo.gpkg");
    ok(&["export", "--format", "gpkg", "--out", p.to_str().unwrap()]);
    let idx = spatial_index_rows(&p);
    let has = ogr_sql(
        &p,
        "SELECT HasSpatialIndex('cities','geom') + HasSpatialIndex('links','geom') + HasSpatialIndex('circles','geom') + HasSpatialIndex('centrality','geom') AS n",
        true,
    );
    assert!(
        has.lines().any(|l| l.trim_end().ends_with("(Integer) = 4")),
        "{has}"
    );
    // A window around Urumqi (GDAL reads candidates from the index).
    let window = |path: &Path| -> Vec<String> {
        let o = Command::new("ogrinfo")
            .args(["-ro", "-q", "-al", "-spat", "87", "43", "88.5", "44.5"])
            .arg(path)
            .arg("cities")
            .output()
            .unwrap();
        assert!(o.status.success());
        let mut ids: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter_map(|l| l.trim().strip_prefix("id (String) = ").map(str::to_owned))
            .collect();
        ids.sort();
        ids
    };
    let before = window(&p);
    assert!(before.contains(&"wulumuqi".to_owned()), "{before:?}");
    assert!(!before.contains(&"chengdu".to_owned()));
    // Edits through GDAL, as QGIS makes them: the triggers keep the index right.
    ogr_sql(
        &p,
        "UPDATE cities SET geom = (SELECT geom FROM cities WHERE id = 'wulumuqi') WHERE id = 'chengdu'",
        false,
    );
    ogr_sql(&p, "DELETE FROM cities WHERE id = 'lasa'", false);
    ogr_sql(
        &p,
        "INSERT INTO cities (geom, id) SELECT geom, 'copy_of_urumqi' FROM cities WHERE id = 'wulumuqi'",
        false,
    );
    let mut after = before.clone();
    after.extend(["chengdu".to_owned(), "copy_of_urumqi".to_owned()]);
    after.sort();
    assert_eq!(window(&p), after);
    let cities = spatial_index_rows(&p)
        .into_iter()
        .find(|r| r.0 == "cities")
        .unwrap();
    // One update, one delete, one insert: as many features as before, each
    // with an entry whose box is its envelope (Chengdu's now at Urumqi).
    assert_eq!(cities.1, idx[2].1);
    assert_eq!((cities.2, cities.3), (cities.1, 0));
}

#[test]
#[ignore = "needs GDAL's validate_gpkg.py (python3-gdal)"]
fn gdal_validator_accepts_the_geopackage() {
    let script = validate_gpkg_script().expect(
        "this test needs GDAL's validate_gpkg.py: apt-get install python3-gdal (or run without --include-ignored)",
    );
    let d = tempfile::tempdir().unwrap();
    let fresh = d.path().join("fresh.gpkg");
    ok(&[
        "export",
        "--format",
        "gpkg",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    let o = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&fresh)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "validate_gpkg.py: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Fails with the way to get PyQGIS when Debian's system Python cannot
/// import it (the test calling this is ignored unless asked for).
fn require_pyqgis() {
    let ok = Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "this test needs PyQGIS: apt-get install python3-qgis (or run without --include-ignored)"
    );
}

/// Opens the exported layers in a real, headless QGIS with
/// `tests/qgis/check_styles.py`: styles applied on load (GeoJSON `.qml`
/// beside the file, GeoPackage `layer_styles`), the intended renderers, the
/// fields they use, and a rendered PNG of each layer. Set
/// `AGGLO_QGIS_PNG=DIR` to keep the PNGs.
#[test]
#[ignore = "needs PyQGIS (python3-qgis)"]
fn qgis_applies_every_style_as_intended() {
    require_pyqgis();
    let d = tempfile::tempdir().unwrap();
    let folder = |name: &str, extra: &[&str]| -> String {
        let dir = d.path().join(name);
        let mut args = vec!["export", "--qgis", dir.to_str().unwrap()];
        args.extend_from_slice(extra);
        ok(&args);
        dir.to_str().unwrap().to_owned()
    };
    let dirs = [
        folder("geojson", &[]),
        folder("gpkg", &["--format", "gpkg"]),
        // closeness: its largest and smallest scores need exact class bounds.
        folder(
            "zh",
            &[
                "--centrality",
                "closeness",
                "--minutes",
                "45,90,120",
                "--lang",
                "zh",
            ],
        ),
    ];
    // A scenario's folder: circles before and after, changed links (the
    // HSR removal's are dashed), accessibility change.
    let scenario = d.path().join("scenario");
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios/chengdu-chongqing-hsr-removed.toml");
    ok(&[
        "scenario",
        file.to_str().unwrap(),
        "--section",
        "links",
        "--out",
        scenario.to_str().unwrap(),
    ]);
    let dirs = [
        dirs[0].clone(),
        dirs[1].clone(),
        dirs[2].clone(),
        scenario.to_str().unwrap().to_owned(),
    ];
    let runtime = d.path().join("xdg");
    std::fs::create_dir(&runtime).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let png = std::env::var_os("AGGLO_QGIS_PNG")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| d.path().join("png"));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis/check_styles.py");
    let o = Command::new("/usr/bin/python3")
        .arg(script)
        .arg("--png")
        .arg(&png)
        .args(&dirs)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    eprintln!("{out}");
    assert!(
        o.status.success(),
        "QGIS style check failed:\n{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(out.matches("; style checks passed").count(), 21, "{out}");
    for dir in ["geojson", "gpkg", "zh"] {
        for layer in [
            "cities",
            "links",
            "circles",
            "centrality",
            "counties",
            "all",
        ] {
            assert!(
                png.join(format!("{dir}_{layer}.png")).exists(),
                "{dir}_{layer}.png"
            );
        }
    }
    for layer in [
        "circles_before",
        "circles_after",
        "scenario_links",
        "scenario_cities",
        "all",
    ] {
        assert!(
            png.join(format!("scenario_{layer}.png")).exists(),
            "scenario_{layer}.png"
        );
    }
}
