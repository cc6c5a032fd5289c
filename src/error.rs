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
}
