//! `--shard I/N` and `--part FILE` of `sweep`, `matrix` and `road matrix`,
//! and `merge`: the parts put back together as the unsharded run prints them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use agglo::shard::{Part, PartHeader, Shard, ShardError, check_set, read_part, write_part};
use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::OutFormat;

/// Options of a sampled (estimated) betweenness, shared by `centrality`
/// and `road centrality`.
#[derive(Debug, Args, Clone)]
pub struct SampleArgs {
    /// Estimate betweenness from this many sampled sources (per agglomeration for `centrality`, where
    /// only betweenness, betweenness_norm, pop_betweenness, degree and strength are allowed, and not
    /// with --weight door-to-door), with the bound printed on stderr.
    #[arg(long)]
    pub sample: Option<usize>,
    /// Seed of the --sample draw.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Failure probability δ of the sampled bound printed on stderr. Range (0, 1).
    #[arg(long, default_value_t = 0.1, value_parser = super::bounds::probability)]
    pub delta: f64,
}

/// Options that run one shard of a command.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Sharding")]
pub struct ShardArgs {
    /// Evaluate only shard I of N (numbered 1 to N): the items (candidates,
    /// or source rows of a matrix) at 0-based positions i with i mod N = I-1.
    /// Writes a part file to --part; `agglo merge` joins the parts.
    #[arg(long, value_name = "I/N", requires = "part", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// The part file written with --shard (`-`: stdout).
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub part: Option<PathBuf>,
}

fn parse_shard(s: &str) -> Result<Shard, ShardError> {
    s.parse()
}

impl ShardArgs {
    /// The shard and its part file, when --shard is given.
    pub fn get(&self) -> Option<(Shard, &Path)> {
        Some((self.shard?, self.part.as_deref()?))
    }
}

/// `agglo merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The part files of every shard of one run, in any order.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Write the result here (`-`, the default: stdout), as the unsharded run
    /// prints it (or writes it with its --out).
    #[arg(long, value_name = "FILE", default_value = "-")]
    pub out: PathBuf,
    /// sweep: write the top candidates as GeoJSON lines, as `sweep --out` does.
    #[arg(long, value_name = "FILE")]
    pub geojson: Option<PathBuf>,
}

/// The name `--format` takes for `f`.
pub fn format_name(f: OutFormat) -> String {
    f.to_possible_value()
        .expect("no skipped variants")
        .get_name()
        .to_owned()
}

/// The output format recorded in a part's `meta.format`.
pub fn part_format(p: &Part) -> anyhow::Result<OutFormat> {
    let name = p.header.meta["format"].as_str().unwrap_or("");
    OutFormat::from_str(name, false).map_err(|_| {
        anyhow::anyhow!(
            "{}: line 1: field `meta.format`: unknown format `{name}`",
            p.path.display()
        )
    })
}

/// A part header for `command` (rows are counted when written).
pub fn header(
    command: &str,
    shard: Shard,
    fingerprint: String,
    meta: serde_json::Value,
) -> PartHeader {
    PartHeader {
        version: agglo::shard::PART_VERSION,
        command: command.to_owned(),
        shard: shard.index(),
        shards: shard.count(),
        fingerprint,
        rows: 0,
        meta,
    }
}

/// Writes a part file and says so on stderr.
pub fn write(
    path: &Path,
    header: PartHeader,
    columns: &[&str],
    rows: &[Vec<String>],
) -> anyhow::Result<()> {
    let (command, shard) = (header.command.clone(), header.shard()?);
    super::write_out(path, &write_part(header, columns, rows))?;
    if !super::is_stdout(path) {
        errln!(
            "{command}: shard {shard}: wrote {} rows to {}",
            rows.len(),
            path.display()
        );
    }
    Ok(())
}

/// A number as a part writes it: Rust's shortest text that reads back to
/// the same `f64`; empty for infinity (unreachable).
pub fn num(v: f64) -> String {
    if v == f64::INFINITY {
        String::new()
    } else {
        v.to_string()
    }
}

/// Reads [`num`]'s text back.
fn read_num(p: &Part, row: usize, col: usize) -> Result<f64, ShardError> {
    if p.text(row, col)?.is_empty() {
        Ok(f64::INFINITY)
    } else {
        p.float(row, col)
    }
}

/// The columns of a matrix part: `row` and then the point ids.
pub fn matrix_columns(ids: &[String]) -> Vec<&str> {
    let mut c = vec!["row"];
    c.extend(ids.iter().map(String::as_str));
    c
}

/// The rows of a matrix part: the row's 0-based position, then its minutes.
pub fn matrix_rows(positions: &[usize], m: &[Vec<f64>]) -> Vec<Vec<String>> {
    positions
        .iter()
        .zip(m)
        .map(|(&i, r)| {
            let mut row = vec![i.to_string()];
            row.extend(r.iter().map(|&v| num(v)));
            row
        })
        .collect()
}

/// The whole matrix from the parts of a sharded matrix: the ids and every
/// row. Each part must hold exactly its shard's rows, in order.
pub fn merge_matrix(parts: &[Part]) -> anyhow::Result<(Vec<String>, Vec<Vec<f64>>)> {
    let first = &parts[0];
    let ids: Vec<String> = first.columns.iter().skip(1).cloned().collect();
    let n = ids.len();
    let mut m: Vec<Vec<f64>> = vec![Vec::new(); n];
    for p in parts {
        if p.columns != first.columns {
            bail!(
                "{}: line 2: its columns differ from those of {}",
                p.path.display(),
                first.path.display()
            );
        }
        let want: Vec<usize> = p.shard().positions(n).collect();
        if p.rows.len() != want.len() {
            bail!(
                "{}: shard {} of a {n}-row matrix holds {} rows, not {}",
                p.path.display(),
                p.shard(),
                p.rows.len(),
                want.len()
            );
        }
        for (r, &i) in want.iter().enumerate() {
            if p.whole(r, 0)? != i {
                return Err(p
                    .error(
                        r,
                        format!("field `row`: expected row {i} of shard {}", p.shard()),
                    )
                    .into());
            }
            if p.rows[r].len() != n + 1 {
                return Err(p
                    .error(r, format!("{} fields, not {}", p.rows[r].len(), n + 1))
                    .into());
            }
            m[i] = (1..=n)
                .map(|c| read_num(p, r, c))
                .collect::<Result<_, _>>()?;
        }
    }
    Ok((ids, m))
}

/// `agglo merge`: reads and checks the parts, then prints the result of the
/// command that wrote them.
pub fn merge(a: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut parts = Vec::with_capacity(a.parts.len());
    for p in &a.parts {
        parts.push(read_part(p)?);
    }
    let parts = check_set(parts)?;
    let command = parts[0].header.command.clone();
    if a.geojson.is_some() && command != "sweep" {
        bail!("--geojson is for parts of `agglo sweep`; these are parts of `agglo {command}`");
    }
    let (text, geojson) = match command.as_str() {
        "sweep" => super::scenario::merge_sweep(&parts, a.geojson.is_some())?,
        "matrix" => (super::travel::merge_matrix_parts(&parts)?, Vec::new()),
        "road matrix" => (super::road::merge_matrix_parts(&parts)?, Vec::new()),
        other => bail!(
            "{}: line 1: field `command`: `{other}` (expected sweep, matrix or road matrix)",
            parts[0].path.display()
        ),
    };
    super::write_out(&a.out, text.as_bytes()).context("cannot write the merged result")?;
    if let Some(g) = &a.geojson {
        super::write_out(g, &geojson)?;
    }
    errln!(
        "merged {} parts of `agglo {command}` ({} rows)",
        parts.len(),
        parts.iter().map(|p| p.rows.len()).sum::<usize>()
    );
    Ok(ExitCode::SUCCESS)
}
