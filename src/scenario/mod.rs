//! Scenarios: edits to the network as data, applied atomically to a copy of
//! a base network, evaluated and compared with the base, and swept over
//! candidate new links.
//!
//! - [`Scenario`] and [`Edit`]: a TOML file with a name, a description, an
//!   optional base scenario and a list of edits (`add_link`, `remove_link`,
//!   `set_link`, `add_city`, `set_city`, `scale`).
//! - [`Scenario::apply`]: edits applied to [`crate::Network::to_data`] and
//!   rebuilt with [`crate::Network::from_data`], so every check of the loader
//!   applies; any invalid edit fails the whole scenario.
//! - [`evaluate`] and [`compare`]: commuting circles of the core cities,
//!   Hansen accessibility, its mean and Gini per agglomeration, betweenness
//!   ranks and delineated areas, before and after.
//! - [`sweep`]: candidate links ranked by what each one adds.

mod apply;
mod compare;
mod edit;
mod evaluate;
mod sweep;

pub use apply::{LinkDiff, changed_links};
pub use compare::{AggChange, CityChange, Comparison, CoreChange, RankChange, compare};
pub use edit::{Edit, Scenario};
pub use evaluate::{
    ACCESS_HALF_LIFE, ACCESS_HORIZON, AggEval, Baseline, CoreEval, EvalOptions, Evaluation,
    evaluate, evaluate_against, evaluate_baseline,
};
pub use sweep::{
    Candidate, Objective, SweepError, SweepOptions, SweepResult, candidates_within, rank,
    read_candidates, sweep, sweep_shard,
};

use std::path::PathBuf;

/// One invalid edit of a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct EditProblem {
    /// 1-based position of the edit among the file's `[[edit]]` tables.
    pub index: usize,
    /// The edit's `op`.
    pub op: String,
    /// The field concerned, if one.
    pub field: Option<String>,
    /// The 1-based line of the edit's `[[edit]]` header in its file, when
    /// the edits are written as such tables.
    pub line: Option<u64>,
    /// What is wrong, naming the bad value.
    pub message: String,
}

impl std::fmt::Display for EditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "edit {} ({})", self.index, self.op)?;
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

fn list(p: &[EditProblem]) -> String {
    p.iter().map(|x| format!("\n  {x}")).collect()
}

/// Failure to read or apply a scenario; nothing is applied.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or lacks `name`.
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line where the problem starts.
        line: usize,
        /// 1-based column (in characters) where the problem starts.
        column: usize,
        /// The TOML parser's message.
        message: String,
    },
    /// The chain of `base` scenarios is deeper than
    /// [`MAX_BASE_DEPTH`](crate::io::limits::MAX_BASE_DEPTH).
    #[error("{path}: the chain of `base` scenarios is deeper than {limit} files")]
    BaseTooDeep {
        /// The file at which the limit was reached.
        path: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// A scenario is its own base, directly or not.
    #[error("{path}: the chain of `base` scenarios loops back to this file")]
    BaseCycle {
        /// The file met twice.
        path: PathBuf,
    },
    /// Some edits are invalid; every one is listed.
    #[error("{path}: {} invalid edit(s), nothing applied:{}", problems.len(), list(problems))]
    Invalid {
        /// The scenario file.
        path: PathBuf,
        /// Every invalid edit.
        problems: Vec<EditProblem>,
    },
}

impl ScenarioError {
    /// Where each problem lies: the file, the line (of a syntax error, or of
    /// an invalid edit's `[[edit]]` header) and the field. An edit problem
    /// of the network as a whole (index 0) names no line.
    pub fn sites(&self) -> Vec<crate::error::Site> {
        use crate::error::{Pos, Site};
        let site = |path: &std::path::Path, pos: Pos, field: Option<String>| Site {
            file: path.display().to_string(),
            pos,
            field,
            whole_file: false,
        };
        match self {
            ScenarioError::Io { path, .. } => vec![Site::whole(path.display().to_string())],
            ScenarioError::Parse { path, line, .. } => {
                vec![site(path, Pos::Line(*line as u64), None)]
            }
            ScenarioError::BaseTooDeep { path, .. } | ScenarioError::BaseCycle { path } => {
                vec![site(path, Pos::File, Some("base".into()))]
            }
            ScenarioError::Invalid { path, problems } => problems
                .iter()
                .map(|p| {
                    let pos = match p.line {
                        Some(l) => Pos::Line(l),
                        None if p.index > 0 => Pos::Feature(p.index - 1),
                        None => Pos::File,
                    };
                    let mut s = site(path, pos, p.field.clone());
                    s.whole_file = p.index == 0 && p.field.is_none();
                    s
                })
                .collect(),
        }
    }
}
