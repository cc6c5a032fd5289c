//! Part files: one shard's rows, with a header line saying where they belong.
//!
//! ```text
//! #agglo-part {"version":1,"command":"matrix","shard":1,"shards":2,"fingerprint":"…","rows":3,"meta":{…}}
//! row,from,…
//! 0,…
//! ```
//! The first line is `#agglo-part ` and one JSON object ([`PartHeader`]);
//! the rest is CSV with a header row. Readers that skip `#` comment lines
//! (pandas' `comment="#"`) read the table as it is.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Shard, ShardError};

/// The first word of a part file.
pub const PART_MAGIC: &str = "#agglo-part";

/// The part format's version; a merge refuses other versions.
pub const PART_VERSION: u32 = 1;

/// The header line of a part file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartHeader {
    /// [`PART_VERSION`] when written.
    pub version: u32,
    /// The command that wrote it: `sweep`, `matrix` or `road matrix`.
    pub command: String,
    /// The shard's number, 1-based.
    pub shard: usize,
    /// The number of shards of the run.
    pub shards: usize,
    /// [`Fingerprint`](super::Fingerprint) of the inputs and options.
    pub fingerprint: String,
    /// Data rows that follow the CSV header.
    pub rows: usize,
    /// What the merge needs to print the result (format, ids, ...), by command.
    pub meta: serde_json::Value,
}

impl PartHeader {
    /// The header's shard.
    ///
    /// # Errors
    /// [`ShardError::Spec`] when the numbers are out of range.
    pub fn shard(&self) -> Result<Shard, ShardError> {
        Shard::new(self.shard, self.shards)
    }
}

/// A part file as read: its header, its column names and its rows.
#[derive(Debug, Clone)]
pub struct Part {
    /// Where it was read from.
    pub path: PathBuf,
    /// The header line.
    pub header: PartHeader,
    /// The CSV column names.
    pub columns: Vec<String>,
    /// The data rows.
    pub rows: Vec<csv::StringRecord>,
}

impl Part {
    /// The part's shard (checked when read).
    pub fn shard(&self) -> Shard {
        self.header.shard().expect("checked by read_part")
    }
    fn line(&self, row: usize) -> u64 {
        self.rows[row].position().map_or(0, |p| p.line() + 1)
    }
    /// The text of row `row`, column `col`.
    ///
    /// # Errors
    /// [`ShardError::Malformed`] naming the line and column when the row is short.
    pub fn text(&self, row: usize, col: usize) -> Result<&str, ShardError> {
        self.rows[row]
            .get(col)
            .ok_or_else(|| ShardError::Malformed {
                path: self.path.clone(),
                line: self.line(row),
                message: format!("no field `{}`", self.column(col)),
            })
    }
    fn column(&self, col: usize) -> String {
        self.columns
            .get(col)
            .cloned()
            .unwrap_or_else(|| format!("#{}", col + 1))
    }
    /// Row `row`, column `col` as a number (`inf` and `NaN` included).
    ///
    /// # Errors
    /// [`ShardError::Malformed`] naming the line and column.
    pub fn float(&self, row: usize, col: usize) -> Result<f64, ShardError> {
        let s = self.text(row, col)?;
        s.parse::<f64>().map_err(|_| ShardError::Malformed {
            path: self.path.clone(),
            line: self.line(row),
            message: format!("field `{}`: not a number: `{s}`", self.column(col)),
        })
    }
    /// Row `row`, column `col` as a whole number.
    ///
    /// # Errors
    /// [`ShardError::Malformed`] naming the line and column.
    pub fn whole(&self, row: usize, col: usize) -> Result<usize, ShardError> {
        let s = self.text(row, col)?;
        s.parse::<usize>().map_err(|_| ShardError::Malformed {
            path: self.path.clone(),
            line: self.line(row),
            message: format!("field `{}`: not a whole number: `{s}`", self.column(col)),
        })
    }
    /// An error at row `row` of this part.
    pub fn error(&self, row: usize, message: String) -> ShardError {
        ShardError::Malformed {
            path: self.path.clone(),
            line: self.line(row),
            message,
        }
    }
}

/// The bytes of a part file: the header line (with `rows` set to the number
/// of rows), then CSV with `columns` as its header row.
pub fn write_part(mut header: PartHeader, columns: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    header.rows = rows.len();
    header.version = PART_VERSION;
    let mut out = format!(
        "{PART_MAGIC} {}\n",
        serde_json::to_string(&header).expect("a header serialises")
    )
    .into_bytes();
    let mut w = csv::Writer::from_writer(&mut out);
    // Writing CSV into a Vec cannot fail.
    w.write_record(columns).expect("in memory");
    for r in rows {
        w.write_record(r).expect("in memory");
    }
    w.flush().expect("in memory");
    drop(w);
    out
}

/// Reads a part file (through [`crate::io::open_input`]).
///
/// # Errors
/// [`ShardError`] when the file cannot be read, lacks the header line, has a
/// malformed header or CSV, or holds another number of rows than announced.
pub fn read_part(path: &Path) -> Result<Part, ShardError> {
    let io = |source| ShardError::Io {
        path: path.to_owned(),
        source,
    };
    let malformed = |line: u64, message: String| ShardError::Malformed {
        path: path.to_owned(),
        line,
        message,
    };
    let mut r = BufReader::new(crate::io::open_input(path).map_err(io)?);
    let mut first = Vec::new();
    r.read_until(b'\n', &mut first).map_err(io)?;
    let first = String::from_utf8_lossy(&first);
    let Some(json) = first
        .strip_prefix(PART_MAGIC)
        .and_then(|s| s.strip_prefix(' '))
    else {
        return Err(ShardError::NotAPart {
            path: path.to_owned(),
        });
    };
    let header: PartHeader =
        serde_json::from_str(json.trim_end()).map_err(|e| malformed(1, format!("header: {e}")))?;
    if header.version != PART_VERSION {
        return Err(malformed(
            1,
            format!(
                "field `version`: {} (this agglo reads version {PART_VERSION})",
                header.version
            ),
        ));
    }
    header
        .shard()
        .map_err(|e| malformed(1, format!("fields `shard`, `shards`: {e}")))?;
    let mut rd = csv::Reader::from_reader(r);
    let columns: Vec<String> = rd
        .headers()
        .map_err(|e| malformed(2, e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows = Vec::with_capacity(header.rows.min(1 << 20));
    for rec in rd.records() {
        // The reader counts lines from the second line of the file.
        rows.push(rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() + 1);
            malformed(line, e.to_string())
        })?);
    }
    if rows.len() != header.rows {
        return Err(ShardError::RowCount {
            path: path.to_owned(),
            expected: header.rows,
            found: rows.len(),
        });
    }
    Ok(Part {
        path: path.to_owned(),
        header,
        columns,
        rows,
    })
}

/// Checks that `parts` are the shards of one run, each exactly once, and
/// returns them ordered by shard.
///
/// # Errors
/// [`ShardError::Empty`], [`ShardError::Mismatch`] (another command,
/// fingerprint or shard count than the first part), [`ShardError::Duplicate`],
/// [`ShardError::Missing`] (the lowest missing shard).
pub fn check_set(mut parts: Vec<Part>) -> Result<Vec<Part>, ShardError> {
    let Some(first) = parts.first() else {
        return Err(ShardError::Empty);
    };
    let (h0, p0) = (first.header.clone(), first.path.clone());
    for p in &parts[1..] {
        let h = &p.header;
        let fields: [(&'static str, String, String); 3] = [
            ("command", h0.command.clone(), h.command.clone()),
            ("fingerprint", h0.fingerprint.clone(), h.fingerprint.clone()),
            ("shard count", h0.shards.to_string(), h.shards.to_string()),
        ];
        for (field, expected, found) in fields {
            if expected != found {
                return Err(ShardError::Mismatch {
                    path: p.path.clone(),
                    first: p0.clone(),
                    field,
                    expected,
                    found,
                });
            }
        }
    }
    parts.sort_by_key(|p| p.header.shard);
    for w in parts.windows(2) {
        if w[0].header.shard == w[1].header.shard {
            return Err(ShardError::Duplicate {
                shard: w[0].shard(),
                first: w[0].path.clone(),
                second: w[1].path.clone(),
            });
        }
    }
    for i in 1..=h0.shards {
        if parts.get(i - 1).map(|p| p.header.shard) != Some(i) {
            return Err(ShardError::Missing {
                shard: Shard::new(i, h0.shards)?,
            });
        }
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(shard: usize, shards: usize, fp: &str) -> PartHeader {
        PartHeader {
            version: PART_VERSION,
            command: "matrix".into(),
            shard,
            shards,
            fingerprint: fp.into(),
            rows: 0,
            meta: serde_json::json!({"format": "csv"}),
        }
    }

    fn write(dir: &Path, name: &str, h: PartHeader, rows: &[Vec<String>]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, write_part(h, &["row", "a,b"], rows)).unwrap();
        p
    }

    #[test]
    fn round_trip_and_set_checks() {
        let d = tempfile::tempdir().unwrap();
        let row = |i: usize| vec![i.to_string(), format!("{}", 0.1 + 0.2)];
        let p1 = write(d.path(), "1", header(1, 2, "f"), &[row(0), row(2)]);
        let p2 = write(d.path(), "2", header(2, 2, "f"), &[row(1)]);
        let a = read_part(&p1).unwrap();
        assert_eq!(a.columns, vec!["row", "a,b"]);
        assert_eq!(a.float(1, 1).unwrap(), 0.1 + 0.2);
        assert_eq!(a.whole(1, 0).unwrap(), 2);
        assert!(a.whole(1, 1).unwrap_err().to_string().contains("`a,b`"));
        let b = read_part(&p2).unwrap();
        let set = check_set(vec![b.clone(), a.clone()]).unwrap();
        assert_eq!(set[0].shard().index(), 1);
        let e = check_set(vec![a.clone()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "shard 2/2 is missing (no part file given for it)"
        );
        let e = check_set(vec![a.clone(), a.clone(), b.clone()]).unwrap_err();
        assert!(matches!(e, ShardError::Duplicate { .. }), "{e}");
        let other = write(d.path(), "3", header(2, 2, "g"), &[row(1)]);
        let e = check_set(vec![a.clone(), read_part(&other).unwrap()]).unwrap_err();
        assert!(e.to_string().contains("fingerprint is `g`, not `f`"), "{e}");
        let e = check_set(vec![]).unwrap_err();
        assert!(matches!(e, ShardError::Empty));
    }

    #[test]
    fn refuses_damaged_parts() {
        let d = tempfile::tempdir().unwrap();
        let p = write(
            d.path(),
            "1",
            header(1, 1, "f"),
            &[vec!["0".into(), "1".into()]],
        );
        let text = std::fs::read_to_string(&p).unwrap();
        let cut = d.path().join("cut");
        std::fs::write(&cut, text.lines().take(2).collect::<Vec<_>>().join("\n")).unwrap();
        assert!(matches!(
            read_part(&cut).unwrap_err(),
            ShardError::RowCount {
                expected: 1,
                found: 0,
                ..
            }
        ));
        let plain = d.path().join("plain.csv");
        std::fs::write(&plain, "row,a\n0,1\n").unwrap();
        assert!(matches!(
            read_part(&plain).unwrap_err(),
            ShardError::NotAPart { .. }
        ));
        let bad = d.path().join("bad");
        std::fs::write(&bad, text.replace("\"shard\":1", "\"shard\":3")).unwrap();
        let e = read_part(&bad).unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("numbered 1 to 1"), "{e}");
    }
}
