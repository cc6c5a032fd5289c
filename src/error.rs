//! Error types of the library.
//!
//! Loading collects every problem it finds as an [`Issue`] (with the file,
//! line or feature index and the field), so that `agglo validate` can report
//! them all at once; a load that found at least one error fails with
//! [`LoadError::Invalid`] carrying the whole list.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Where in the input a record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// The file's path as given (or `<embedded>/cities.csv` for the shipped data).
    pub file: Arc<str>,
    /// Line or feature within the file.
    pub pos: Pos,
}

/// A position inside a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pos {
    /// The whole file (for example a missing column).
    File,
    /// A 1-based line number of a text file (the header is line 1).
    Line(u64),
    /// A 0-based feature index of a GeoJSON FeatureCollection.
    Feature(usize),
}

impl Loc {
    /// A location naming a whole file.
    pub fn file(file: &Arc<str>) -> Loc {
        Loc {
            file: Arc::clone(file),
            pos: Pos::File,
        }
    }
    /// A location naming one line of a file.
    pub fn line(file: &Arc<str>, line: u64) -> Loc {
        Loc {
            file: Arc::clone(file),
            pos: Pos::Line(line),
        }
    }
    /// A location naming one feature of a GeoJSON file.
    pub fn feature(file: &Arc<str>, index: usize) -> Loc {
        Loc {
            file: Arc::clone(file),
            pos: Pos::Feature(index),
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Pos::File => write!(f, "{}", self.file),
            Pos::Line(n) => write!(f, "{}:{}", self.file, n),
            Pos::Feature(i) => write!(f, "{}: feature {}", self.file, i),
        }
    }
}

/// How serious an [`Issue`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input cannot be used.
    Error,
    /// The input is usable but probably not what was meant.
    Warning,
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// File and line or feature.
    pub loc: Loc,
    /// The column or property concerned, if any.
    pub field: Option<String>,
    /// What is wrong, naming the bad value.
    pub message: String,
}

impl Issue {
    /// An error at `loc` concerning `field`.
    pub fn error(loc: Loc, field: Option<&str>, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            loc,
            field: field.map(str::to_owned),
            message: message.into(),
        }
    }
    /// A warning at `loc` concerning `field`.
    pub fn warning(loc: Loc, field: Option<&str>, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(loc, field, message)
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}: {}", self.loc)?;
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A list of issues, displayed one per line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    /// Number of errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }
}

impl fmt::Display for Issues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, issue) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

/// Where one problem of a refused input lies, as far as the reader knows:
/// the file, the line or feature, and the field. The fuzz harness
/// ([`crate::fuzz`]) checks every refusal against the input through these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The file, as named in the message.
    pub file: String,
    /// The line or feature ([`Pos::File`]: the whole file).
    pub pos: Pos,
    /// The column, property or field concerned; `None` when the problem
    /// concerns a whole record (a ragged row, a line of an unknown kind) or
    /// the whole file.
    pub field: Option<String>,
    /// The problem is one of the whole input (it cannot be read, holds no
    /// network, or its records do not form a graph), not of a record.
    pub whole_file: bool,
}

impl Site {
    /// A problem of a whole file.
    pub fn whole(file: impl Into<String>) -> Site {
        Site {
            file: file.into(),
            pos: Pos::File,
            field: None,
            whole_file: true,
        }
    }
}

impl From<&Issue> for Site {
    fn from(i: &Issue) -> Site {
        Site {
            file: i.loc.file.to_string(),
            pos: i.loc.pos,
            field: i.field.clone(),
            whole_file: false,
        }
    }
}

/// Failure to load a network.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The input was read but holds errors; every problem found is listed.
    #[error("{} error(s) in the input:\n{issues}", issues.error_count())]
    Invalid {
        /// Every problem found, errors and warnings.
        issues: Issues,
    },
}

impl LoadError {
    /// Where each error lies (warnings are left out).
    pub fn sites(&self) -> Vec<Site> {
        match self {
            LoadError::Io { path, .. } => vec![Site::whole(path.display().to_string())],
            LoadError::Invalid { issues } => issues
                .0
                .iter()
                .filter(|i| i.severity == Severity::Error)
                .map(Site::from)
                .collect(),
        }
    }
}

/// Failure to find a city by the name a user typed.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum LookupError {
    /// No city has that id, English name or Chinese name.
    #[error("unknown city `{query}`{}", suggest(.suggestions))]
    Unknown {
        /// What the user typed.
        query: String,
        /// The closest ids, best first.
        suggestions: Vec<String>,
    },
    /// Several cities share that name.
    #[error("`{query}` is ambiguous: it names {}; use the id", list_candidates(.candidates))]
    Ambiguous {
        /// What the user typed.
        query: String,
        /// The cities with that name, by id.
        candidates: Vec<CityCandidate>,
    },
    /// No agglomeration has that id or name.
    #[error("unknown agglomeration `{query}`{}", suggest(.suggestions))]
    UnknownAgglomeration {
        /// What the user typed.
        query: String,
        /// The closest ids, best first.
        suggestions: Vec<String>,
    },
}

/// One of the cities an ambiguous name could mean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityCandidate {
    /// The city's id (always unambiguous).
    pub id: String,
    /// English name.
    pub name: String,
    /// Province.
    pub province: String,
}

fn list_candidates(c: &[CityCandidate]) -> String {
    c.iter()
        .map(|c| format!("`{}` ({}, {})", c.id, c.name, c.province))
        .collect::<Vec<_>>()
        .join(", ")
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", s.join(", "))
    }
}

/// Failure to write an output file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file or its temporary sibling could not be written or renamed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The output file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The output could not be serialised.
    #[error("cannot serialise {path}: {message}")]
    Serialise {
        /// The output file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The destination exists and is neither a regular file, a FIFO nor a
    /// character device (a folder, a socket, a block device): never replaced.
    #[error("cannot write {path}: it is a {kind}, not a file")]
    NotAFile {
        /// The destination.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// Symbolic links lead in a loop (or more than 40 deep).
    #[error("cannot write {path}: too many levels of symbolic links")]
    SymlinkLoop {
        /// The destination.
        path: PathBuf,
    },
    /// An output folder's destination exists and is not a folder.
    #[error("cannot write the folder {path}: it exists and is a {kind}")]
    NotAFolder {
        /// The destination.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// An output folder's destination holds a folder: never replaced, as no
    /// output folder of `agglo` holds one.
    #[error("will not replace the folder {path}: it holds the folder {entry}")]
    HoldsFolder {
        /// The destination folder.
        path: PathBuf,
        /// The first subfolder.
        entry: String,
    },
    /// An output folder's destination holds something `agglo` did not write,
    /// so it is not replaced (the caller may force it).
    #[error("will not replace the folder {path}: {entry} in it was not written by agglo")]
    NotOurs {
        /// The destination folder.
        path: PathBuf,
        /// The first entry that is not ours.
        entry: String,
    },
}

/// Failure to build a compact graph from a list of arcs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    /// An arc names a node at or beyond the node count.
    #[error("arc {arc}: node {node} is out of range (the graph has {nodes} nodes)")]
    NodeOutOfRange {
        /// 0-based position of the arc in the list.
        arc: usize,
        /// The bad node index.
        node: u32,
        /// Number of nodes.
        nodes: usize,
    },
    /// An arc's weight is not a positive finite number.
    #[error("arc {arc}: weight {weight} is not a positive finite number")]
    BadWeight {
        /// 0-based position of the arc in the list.
        arc: usize,
        /// The bad weight.
        weight: f64,
    },
    /// More nodes or arcs than `u32` indices can address.
    #[error("{what} exceeds the limit of {limit}")]
    TooLarge {
        /// What is counted (`nodes` or `arcs`).
        what: &'static str,
        /// The limit.
        limit: u64,
    },
}
