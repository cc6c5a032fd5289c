//! GeoPackage writer (OGC 12-128r18, version 1.3): one SQLite file holding
//! several [`Layer`]s, each a feature table with an integer primary key
//! `fid`, a geometry column `geom` in EPSG:4326, a text `id` and the layer's
//! typed columns. Geometries are GeoPackageBinary blobs: the `GP` header with
//! version 0, little-endian flag, an xy envelope and the SRS id, followed by
//! little-endian ISO WKB. The file carries the `GPKG` application id and user
//! version 10300, and the required `gpkg_spatial_ref_sys`, `gpkg_contents` and
//! `gpkg_geometry_columns` tables. Every geometry column has the standard
//! RTree spatial index (`gpkg_rtree_index`, see [`super::gpkg_rtree`]), so
//! QGIS and GDAL fetch the features of a map window without a full scan.
//! QGIS styles, when given, go into the `layer_styles` table that QGIS reads
//! as each layer's default style.
//!
//! SQLite is compiled into the binary (rusqlite's `bundled` feature), so no
//! system library is needed. The file is written beside its destination and
//! renamed over it once complete (see [`super::write_atomic`] for the rule).

use std::path::Path;

use geo::{BoundingRect, Coord, Geometry, LineString, Polygon};
use rusqlite::{Connection, params_from_iter};

use super::atomic::{TempPath, write_via_temp};
use super::gpkg_rtree::create_spatial_index;
use super::layer::{FieldType, Layer, LayerError, Value, normalise};

/// `PRAGMA application_id` of a GeoPackage: ASCII `GPKG`.
pub const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` written: GeoPackage 1.3.0.
pub const GPKG_USER_VERSION: i32 = 10300;

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
";

/// Appends little-endian ISO WKB of a (normalised) geometry to `out`.
fn wkb(g: &Geometry<f64>, out: &mut Vec<u8>) {
    fn coords(cs: &[Coord<f64>], out: &mut Vec<u8>) {
        out.extend_from_slice(&(cs.len() as u32).to_le_bytes());
        for c in cs {
            out.extend_from_slice(&c.x.to_le_bytes());
            out.extend_from_slice(&c.y.to_le_bytes());
        }
    }
    fn head(kind: u32, out: &mut Vec<u8>) {
        out.push(1);
        out.extend_from_slice(&kind.to_le_bytes());
    }
    fn line(l: &LineString<f64>, out: &mut Vec<u8>) {
        head(2, out);
        coords(&l.0, out);
    }
    fn polygon(p: &Polygon<f64>, out: &mut Vec<u8>) {
        head(3, out);
        out.extend_from_slice(&(1 + p.interiors().len() as u32).to_le_bytes());
        coords(&p.exterior().0, out);
        for r in p.interiors() {
            coords(&r.0, out);
        }
    }
    match g {
        Geometry::Point(p) => {
            head(1, out);
            out.extend_from_slice(&p.x().to_le_bytes());
            out.extend_from_slice(&p.y().to_le_bytes());
        }
        Geometry::LineString(l) => line(l, out),
        Geometry::Polygon(p) => polygon(p, out),
        Geometry::MultiPolygon(mp) => {
            head(6, out);
            out.extend_from_slice(&(mp.0.len() as u32).to_le_bytes());
            for p in &mp.0 {
                polygon(p, out);
            }
        }
        // Layer::check admits only the three types above.
        _ => unreachable!("geometry type checked by Layer::check"),
    }
}

/// A GeoPackageBinary blob: header with xy envelope, SRS 4326, then WKB.
pub fn gpkg_geometry_blob(g: &Geometry<f64>) -> Vec<u8> {
    let mut out = vec![b'G', b'P', 0, 0b0000_0011];
    out.extend_from_slice(&4326i32.to_le_bytes());
    let r = g.bounding_rect().expect("checked geometries are not empty");
    for v in [r.min().x, r.max().x, r.min().y, r.max().y] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    wkb(g, &mut out);
    out
}

fn sql_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Integer => "INTEGER",
        FieldType::Real => "REAL",
        FieldType::Text => "TEXT",
        FieldType::Boolean => "BOOLEAN",
    }
}

fn sql_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match v {
        Value::Null => S::Null,
        Value::Int(i) => S::Integer(*i),
        Value::Real(f) => S::Real(*f),
        Value::Text(s) => S::Text(s.clone()),
        Value::Bool(b) => S::Integer(i64::from(*b)),
    }
}

fn write_all(conn: &Connection, layers: &[(&Layer, Option<&str>)]) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", GPKG_APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", GPKG_USER_VERSION)?;
    conn.execute_batch("BEGIN")?;
    conn.execute_batch(SCHEMA)?;
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
         ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
         ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
         ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        [WGS84_WKT],
    )?;
    for (layer, _) in layers {
        let mut cols = String::from("fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ");
        cols.push_str(layer.geometry_type.ogc_name());
        cols.push_str(", id TEXT NOT NULL UNIQUE");
        for (n, t) in &layer.fields {
            cols.push_str(&format!(", \"{n}\" {}", sql_type(*t)));
        }
        conn.execute_batch(&format!("CREATE TABLE \"{}\" ({cols})", layer.name))?;
        let ext = layer.extent();
        conn.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
             VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, 4326)",
            rusqlite::params![
                layer.name,
                layer.description,
                ext.map(|e| e[0]),
                ext.map(|e| e[1]),
                ext.map(|e| e[2]),
                ext.map(|e| e[3])
            ],
        )?;
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, 4326, 0, 0)",
            rusqlite::params![layer.name, layer.geometry_type.ogc_name()],
        )?;
        let names: Vec<String> = layer
            .fields
            .iter()
            .map(|(n, _)| format!("\"{n}\""))
            .collect();
        let marks: Vec<String> = (0..layer.fields.len())
            .map(|i| format!("?{}", i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO \"{}\" (geom, id{}{}) VALUES (?1, ?2{}{})",
            layer.name,
            if names.is_empty() { "" } else { ", " },
            names.join(", "),
            if marks.is_empty() { "" } else { ", " },
            marks.join(", "),
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut envelopes = Vec::with_capacity(layer.features.len());
        for f in &layer.features {
            let g = normalise(&f.geometry);
            let mut vals = vec![
                rusqlite::types::Value::Blob(gpkg_geometry_blob(&g)),
                rusqlite::types::Value::Text(f.id.clone()),
            ];
            vals.extend(f.values.iter().map(sql_value));
            stmt.execute(params_from_iter(vals))?;
            let env = g.bounding_rect().expect("checked geometries are not empty");
            envelopes.push((conn.last_insert_rowid(), env));
        }
        create_spatial_index(conn, &layer.name, "geom", "fid", &envelopes)?;
    }
    if layers.iter().any(|(_, s)| s.is_some()) {
        conn.execute_batch(
            "CREATE TABLE layer_styles (
               id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
               f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
               styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
               description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME
                 DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')));
             INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
               VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS default styles');",
        )?;
        for (layer, style) in layers {
            if let Some(qml) = style {
                conn.execute(
                    "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name,
                       f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui)
                     VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, 'agglo default style', '', '')",
                    rusqlite::params![layer.name, qml],
                )?;
            }
        }
    }
    conn.execute_batch("COMMIT")
}

/// Writes `layers` (each with an optional QGIS style) into one GeoPackage,
/// by the rule of [`super::write_atomic`]: the file is built beside its
/// destination and renamed over it (or copied into a FIFO or character
/// device). SQLite's rollback journal is kept in memory, so a killed run
/// leaves no `-journal` file, only the `.agglo-tmp-…` file that the next
/// write into that folder removes.
///
/// # Errors
/// A layer that fails [`Layer::check`], two layers with one name, or a file
/// that cannot be written; the destination is then left as it was.
pub fn write_gpkg(path: &Path, layers: &[(&Layer, Option<&str>)]) -> Result<(), LayerError> {
    check_names(layers)?;
    write_via_temp(path, ".gpkg", |tmp| fill(tmp, path, layers))
}

/// The bytes of the GeoPackage [`write_gpkg`] would write (built in the
/// system's temporary folder), for writing to stdout.
pub fn gpkg_bytes(layers: &[(&Layer, Option<&str>)]) -> Result<Vec<u8>, LayerError> {
    check_names(layers)?;
    let (tmp, file) = TempPath::file(&std::env::temp_dir(), ".gpkg")?;
    drop(file);
    fill(tmp.path(), Path::new("-"), layers)?;
    std::fs::read(tmp.path()).map_err(|source| {
        crate::error::WriteError::Io {
            path: tmp.path().to_owned(),
            source,
        }
        .into()
    })
}

fn check_names(layers: &[(&Layer, Option<&str>)]) -> Result<(), LayerError> {
    let mut names = std::collections::BTreeSet::new();
    for (l, _) in layers {
        l.check()?;
        if !names.insert(l.name.as_str()) || l.name.starts_with("gpkg_") || l.name == "layer_styles"
        {
            return Err(LayerError::Duplicate {
                layer: l.name.clone(),
                name: l.name.clone(),
            });
        }
    }
    Ok(())
}

/// Writes the GeoPackage into the (existing, empty) file `tmp`; errors name `dest`.
fn fill(tmp: &Path, dest: &Path, layers: &[(&Layer, Option<&str>)]) -> Result<(), LayerError> {
    let sqlite = |source| LayerError::Sqlite {
        path: dest.to_owned(),
        source,
    };
    let conn = Connection::open(tmp).map_err(sqlite)?;
    conn.pragma_update(None, "journal_mode", "MEMORY")
        .map_err(sqlite)?;
    write_all(&conn, layers).map_err(sqlite)?;
    conn.close().map_err(|(_, e)| sqlite(e))
}

#[cfg(test)]
mod tests {
    use super::super::layer::GeometryType;
    use super::*;

    #[test]
    fn blob_has_header_envelope_and_wkb() {
        let g = Geometry::LineString(vec![(104.0, 30.0), (106.5, 29.5)].into());
        let b = gpkg_geometry_blob(&g);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(i32::from_le_bytes(b[4..8].try_into().unwrap()), 4326);
        let env: Vec<f64> = (0..4)
            .map(|i| f64::from_le_bytes(b[8 + 8 * i..16 + 8 * i].try_into().unwrap()))
            .collect();
        assert_eq!(env, [104.0, 106.5, 29.5, 30.0]);
        assert_eq!(b[40], 1, "little-endian WKB");
        assert_eq!(u32::from_le_bytes(b[41..45].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(b[45..49].try_into().unwrap()), 2);
        assert_eq!(b.len(), 40 + 1 + 4 + 4 + 4 * 8);
    }

    #[test]
    fn writes_a_readable_geopackage() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("t.gpkg");
        let mut l = Layer::new(
            "cities",
            "test",
            GeometryType::Point,
            &[("pop", FieldType::Integer), ("big", FieldType::Boolean)],
        );
        l.push(
            "a",
            Geometry::Point(geo::Point::new(104.0, 30.0)),
            vec![Value::Int(5), true.into()],
        );
        l.push(
            "b",
            Geometry::Point(geo::Point::new(106.0, 29.0)),
            vec![Value::Null, false.into()],
        );
        write_gpkg(&p, &[(&l, Some("<qgis/>"))]).unwrap();
        let c = Connection::open(&p).unwrap();
        let app: i32 = c
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(app, GPKG_APPLICATION_ID);
        let ext: (f64, f64, f64, f64) = c
            .query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name='cities'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(ext, (104.0, 29.0, 106.0, 30.0));
        let n: i64 = c
            .query_row("SELECT count(*) FROM cities WHERE pop IS NULL", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1);
        let style: String = c
            .query_row(
                "SELECT styleQML FROM layer_styles WHERE f_table_name='cities'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(style, "<qgis/>");
        // One spatial index entry per feature, with its envelope.
        let idx: Vec<(i64, f64, f64)> = c
            .prepare("SELECT id, minx, maxy FROM rtree_cities_geom ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(idx, [(1, 104.0, 30.0), (2, 106.0, 29.0)]);
        // A duplicate layer name is refused and nothing is written.
        let q = d.path().join("dup.gpkg");
        assert!(write_gpkg(&q, &[(&l, None), (&l, None)]).is_err());
        assert!(!q.exists());
    }
}
