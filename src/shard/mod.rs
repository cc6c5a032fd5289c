//! Sharded runs: one slice of a sweep or a matrix per process, merged later.
//!
//! A long run splits into `N` shards, numbered **1 to N** (as `I/N` on the
//! command line, the way a Slurm array or a list of jobs counts them). Shard
//! `I` takes every item whose 0-based position `i` in the full list has
//! `i mod N = I - 1`: candidates of a sweep, source rows of a matrix. Taking
//! every N-th item rather than a block spreads slow and fast items (sorted
//! candidates of one region cost alike) evenly over the shards.
//!
//! A shard writes a **part file** ([`part`]): one header line
//! `#agglo-part {json}` naming the command, the shard, a [`Fingerprint`] of
//! the inputs and options, and what the merge needs to print the result;
//! then a CSV table of the shard's rows with numbers written in full
//! precision (Rust's shortest text that reads back to the same `f64`), so
//! that a merge reproduces the unsharded run's bytes. [`check_set`] refuses
//! parts of different runs, missing shards and shards given twice.

mod fingerprint;
mod part;
mod rows;

use std::path::PathBuf;

pub use fingerprint::Fingerprint;
pub use part::{PART_MAGIC, PART_VERSION, Part, PartHeader, check_set, read_part, write_part};
pub use rows::road_matrix_rows;

/// One slice of a run: shard `index` of `count`, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    index: usize,
    count: usize,
}

impl Shard {
    /// The whole run as one shard (`1/1`).
    pub const WHOLE: Shard = Shard { index: 1, count: 1 };

    /// Shard `index` of `count` (1-based).
    ///
    /// # Errors
    /// [`ShardError::Spec`] when `count` is 0 or `index` is not in `1..=count`.
    pub fn new(index: usize, count: usize) -> Result<Shard, ShardError> {
        let spec = || format!("{index}/{count}");
        if count == 0 {
            return Err(ShardError::Spec {
                spec: spec(),
                message: "the number of shards N must be at least 1".into(),
            });
        }
        if !(1..=count).contains(&index) {
            return Err(ShardError::Spec {
                spec: spec(),
                message: format!("shards are numbered 1 to {count}"),
            });
        }
        Ok(Shard { index, count })
    }
    /// The shard's number, 1 to [`Shard::count`].
    pub fn index(&self) -> usize {
        self.index
    }
    /// The number of shards of the run.
    pub fn count(&self) -> usize {
        self.count
    }
    /// Whether the item at 0-based position `i` of the full list belongs to
    /// this shard (`i mod N = I - 1`).
    pub fn contains(&self, i: usize) -> bool {
        i % self.count == self.index - 1
    }
    /// The 0-based positions of this shard's items in a list of `len`.
    pub fn positions(&self, len: usize) -> impl Iterator<Item = usize> + use<> {
        (self.index - 1..len).step_by(self.count)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = ShardError;
    /// Reads `I/N`, e.g. `2/8`.
    fn from_str(s: &str) -> Result<Shard, ShardError> {
        let bad = |message: &str| ShardError::Spec {
            spec: s.to_owned(),
            message: message.to_owned(),
        };
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| bad("expected I/N, e.g. 1/4 (shards are numbered 1 to N)"))?;
        let num = |x: &str, what: &str| {
            x.trim()
                .parse::<usize>()
                .map_err(|_| bad(&format!("{what} `{x}` is not a whole number")))
        };
        Shard::new(num(i, "I")?, num(n, "N")?)
    }
}

/// Failure to parse a shard, or to read or merge part files.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// A shard is not `I/N` with `N >= 1` and `1 <= I <= N`.
    #[error("shard `{spec}`: {message}")]
    Spec {
        /// The text given.
        spec: String,
        /// What is wrong.
        message: String,
    },
    /// A part file cannot be read.
    #[error("cannot read part {path}: {source}")]
    Io {
        /// The part file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file does not start with the part header line.
    #[error("{path}: not an agglo part file (its first line is not `{PART_MAGIC} {{...}}`)")]
    NotAPart {
        /// The file.
        path: PathBuf,
    },
    /// The header line or a row of a part is malformed.
    #[error("{path}: line {line}: {message}")]
    Malformed {
        /// The part file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong, naming the field.
        message: String,
    },
    /// A part holds fewer or more rows than its header says (cut short?).
    #[error("{path}: the header announces {expected} rows but the file holds {found}")]
    RowCount {
        /// The part file.
        path: PathBuf,
        /// Rows announced.
        expected: usize,
        /// Rows read.
        found: usize,
    },
    /// Two parts come from different runs.
    #[error(
        "{path} does not belong with {first}: its {field} is `{found}`, not `{expected}` \
         (parts of one run share the command, inputs, options and shard count)"
    )]
    Mismatch {
        /// The part that differs.
        path: PathBuf,
        /// The first part given.
        first: PathBuf,
        /// The header field that differs.
        field: &'static str,
        /// Its value in the first part.
        expected: String,
        /// Its value here.
        found: String,
    },
    /// No part of one shard was given.
    #[error("shard {shard} is missing (no part file given for it)")]
    Missing {
        /// The missing shard.
        shard: Shard,
    },
    /// The same shard was given twice.
    #[error("shard {shard} is given twice: {first} and {second}")]
    Duplicate {
        /// The shard.
        shard: Shard,
        /// Its first part file.
        first: PathBuf,
        /// Its second part file.
        second: PathBuf,
    },
    /// No part file was given.
    #[error("no part files given")]
    Empty,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates_specs() {
        let s: Shard = "2/3".parse().unwrap();
        assert_eq!((s.index(), s.count()), (2, 3));
        assert_eq!(s.to_string(), "2/3");
        assert_eq!(s.positions(8).collect::<Vec<_>>(), vec![1, 4, 7]);
        assert!(s.contains(4) && !s.contains(5));
        for bad in ["0/3", "4/3", "1/0", "0/0", "x/3", "1/", "13", "-1/2", ""] {
            let e = bad.parse::<Shard>().unwrap_err();
            assert!(matches!(e, ShardError::Spec { .. }), "{bad}: {e}");
            assert!(e.to_string().starts_with(&format!("shard `{bad}`")), "{e}");
        }
    }

    #[test]
    fn shards_cover_every_position_once() {
        for n in 1..6 {
            let mut seen = vec![0; 17];
            for i in 1..=n {
                for p in Shard::new(i, n).unwrap().positions(17) {
                    seen[p] += 1;
                }
            }
            assert!(seen.iter().all(|&c| c == 1), "{n}: {seen:?}");
        }
    }
}
