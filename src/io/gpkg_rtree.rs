//! The GeoPackage RTree spatial index extension (`gpkg_rtree_index`, OGC
//! 12-128r18 Annex F.3) for one geometry column: the `gpkg_extensions` row,
//! the `rtree_<t>_<c>` virtual table of SQLite's R*Tree module filled with
//! each feature's envelope, and the six triggers of the specification that
//! keep it right when the table is edited later (in QGIS, through GDAL).
//!
//! The triggers call `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`, `ST_MinY` and
//! `ST_MaxY`, which SQLite lacks and GDAL registers when it opens the file
//! for writing. `agglo` fills the index itself from envelopes computed in
//! Rust, so the triggers are created only after the features are inserted.

use geo::Rect;
use rusqlite::Connection;

/// `gpkg_extensions.extension_name` of the spatial index.
pub const RTREE_EXTENSION: &str = "gpkg_rtree_index";

const EXTENSIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))";

/// The triggers of Annex F.3 with `<t>`, `<c>` and `<i>` (table, geometry
/// column, integer primary key) still to be replaced.
const TRIGGERS: &str = r#"
CREATE TRIGGER "rtree_<t>_<c>_insert" AFTER INSERT ON "<t>"
  WHEN (new."<c>" NOT NULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>",
    ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"),
    ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update1" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" = NEW."<i>" AND
       (NEW."<c>" NOTNULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>",
    ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"),
    ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update2" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" = NEW."<i>" AND
       (NEW."<c>" ISNULL OR ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
END;
CREATE TRIGGER "rtree_<t>_<c>_update3" AFTER UPDATE OF "<c>" ON "<t>"
  WHEN OLD."<i>" != NEW."<i>" AND
       (NEW."<c>" NOTNULL AND NOT ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
  INSERT OR REPLACE INTO "rtree_<t>_<c>" VALUES (
    NEW."<i>",
    ST_MinX(NEW."<c>"), ST_MaxX(NEW."<c>"),
    ST_MinY(NEW."<c>"), ST_MaxY(NEW."<c>"));
END;
CREATE TRIGGER "rtree_<t>_<c>_update4" AFTER UPDATE ON "<t>"
  WHEN OLD."<i>" != NEW."<i>" AND
       (NEW."<c>" ISNULL OR ST_IsEmpty(NEW."<c>"))
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id IN (OLD."<i>", NEW."<i>");
END;
CREATE TRIGGER "rtree_<t>_<c>_delete" AFTER DELETE ON "<t>"
  WHEN old."<c>" NOT NULL
BEGIN
  DELETE FROM "rtree_<t>_<c>" WHERE id = OLD."<i>";
END;
"#;

/// Name of the index table of `table`.`column`.
pub fn rtree_table(table: &str, column: &str) -> String {
    format!("rtree_{table}_{column}")
}

/// Creates and fills the spatial index of `table`.`column` (primary key
/// `pk`) from `(primary key, envelope)` pairs, registers it in
/// `gpkg_extensions` and adds the maintenance triggers. Names must be plain
/// identifiers (letters, digits, `_`), as [`super::Layer::check`] ensures.
///
/// # Errors
/// Any SQLite error, e.g. a build of SQLite without the R*Tree module.
pub fn create_spatial_index(
    conn: &Connection,
    table: &str,
    column: &str,
    pk: &str,
    envelopes: &[(i64, Rect<f64>)],
) -> rusqlite::Result<()> {
    let rtree = rtree_table(table, column);
    conn.execute_batch(EXTENSIONS_TABLE)?;
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, ?2, ?3, 'http://www.geopackage.org/spec130/#extension_rtree', 'write-only')",
        rusqlite::params![table, column, RTREE_EXTENSION],
    )?;
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE \"{rtree}\" USING rtree(id, minx, maxx, miny, maxy)"
    ))?;
    let mut insert = conn.prepare(&format!(
        "INSERT INTO \"{rtree}\" (id, minx, maxx, miny, maxy) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?;
    for (id, r) in envelopes {
        insert.execute(rusqlite::params![
            id,
            r.min().x,
            r.max().x,
            r.min().y,
            r.max().y
        ])?;
    }
    conn.execute_batch(
        &TRIGGERS
            .replace("<t>", table)
            .replace("<c>", column)
            .replace("<i>", pk),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect<f64> {
        Rect::new((x0, y0), (x1, y1))
    }

    #[test]
    fn bundled_sqlite_has_the_rtree_module() {
        let c = Connection::open_in_memory().unwrap();
        let opts: Vec<String> = c
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(opts.iter().any(|o| o == "ENABLE_RTREE"), "{opts:?}");
    }

    #[test]
    fn index_answers_window_queries_and_has_the_spec_triggers() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (fid INTEGER PRIMARY KEY, geom BLOB);
             INSERT INTO t VALUES (1, x'00'), (2, x'00'), (5, x'00');",
        )
        .unwrap();
        let envs = [
            (1, rect(104.0, 30.0, 104.0, 30.0)),
            (2, rect(106.0, 29.0, 107.5, 30.5)),
            (5, rect(121.0, 31.0, 121.5, 31.2)),
        ];
        create_spatial_index(&c, "t", "geom", "fid", &envs).unwrap();
        // Features whose envelope meets the window 103..106.2 × 29.5..30.1.
        let hits: Vec<i64> = c
            .prepare(
                "SELECT id FROM rtree_t_geom WHERE maxx >= 103 AND minx <= 106.2
                 AND maxy >= 29.5 AND miny <= 30.1 ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(hits, [1, 2]);
        let triggers: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 't' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let want: Vec<String> = [
            "delete", "insert", "update1", "update2", "update3", "update4",
        ]
        .iter()
        .map(|s| format!("rtree_t_geom_{s}"))
        .collect();
        assert_eq!(triggers, want);
        let (ext, scope): (String, String) = c
            .query_row(
                "SELECT extension_name, scope FROM gpkg_extensions WHERE table_name = 't' AND column_name = 'geom'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (ext.as_str(), scope.as_str()),
            (RTREE_EXTENSION, "write-only")
        );
        // The delete trigger needs no ST_ function: deleting a row drops its
        // entry. (The others need GDAL's; tests/qgis.rs edits through GDAL.)
        c.execute("DELETE FROM t WHERE fid = 2", []).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM rtree_t_geom", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
    }
}
