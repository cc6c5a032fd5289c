//! DIMACS shortest-path challenge files: `.gr` arcs and `.co` coordinates.

use std::fmt::Write as _;
use std::io::{BufRead, Read};
use std::path::Path;

use super::{field_err, io_err, parse_err};
use crate::io::limits::{MAX_LINE_BYTES, MAX_LINK_MINUTES, positive_within, show};
use crate::io::open_input;
use crate::progress::Progress;
use crate::road::{RoadError, RoadGraph};

/// Reads the next line of a line-oriented file into `buf` (without the line
/// end); `false` at the end. A line longer than [`MAX_LINE_BYTES`] or not
/// UTF-8 is an error, so an endless line cannot grow memory.
fn next_line<'b>(
    r: &mut impl BufRead,
    buf: &'b mut Vec<u8>,
    path: &Path,
    line: u64,
) -> Result<Option<&'b str>, RoadError> {
    buf.clear();
    let got = r
        .by_ref()
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buf)
        .map_err(io_err(path))?;
    if got == 0 {
        return Ok(None);
    }
    if buf.len() > MAX_LINE_BYTES {
        return Err(parse_err(
            path,
            line,
            format!("line longer than {MAX_LINE_BYTES} bytes"),
        ));
    }
    std::str::from_utf8(buf).map(Some).map_err(|e| {
        parse_err(
            path,
            line,
            format!("not valid UTF-8 at byte {}", e.valid_up_to() + 1),
        )
    })
}

/// A whole non-negative number token (no sign, exponent or fraction).
fn whole(path: &Path, line: u64, field: &str, tok: Option<&str>) -> Result<u64, RoadError> {
    let tok = tok.ok_or_else(|| field_err(path, line, field, "missing"))?;
    if !tok.bytes().all(|b| b.is_ascii_digit()) {
        return Err(field_err(
            path,
            line,
            field,
            format!("{tok:?} is not a whole non-negative number"),
        ));
    }
    tok.parse::<u64>()
        .map_err(|_| field_err(path, line, field, format!("{tok} is too large")))
}

/// A finite number token.
fn number(path: &Path, line: u64, field: &str, tok: Option<&str>) -> Result<f64, RoadError> {
    let tok = tok.ok_or_else(|| field_err(path, line, field, "missing"))?;
    tok.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| field_err(path, line, field, format!("{tok:?} is not a finite number")))
}

fn no_more<'a>(
    path: &Path,
    line: u64,
    parts: &mut impl Iterator<Item = &'a str>,
) -> Result<(), RoadError> {
    match parts.next() {
        None => Ok(()),
        Some(t) => Err(parse_err(
            path,
            line,
            format!("unexpected {t:?} at the end of the line"),
        )),
    }
}

/// Units of a DIMACS file.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DimacsOptions {
    /// Minutes per unit of arc weight (the challenge's travel-time graphs
    /// count tenths of a second: 1/600).
    pub unit_minutes: f64,
    /// Degrees per unit of coordinate (the challenge's `.co` files hold
    /// microdegrees: 1e-6), x being longitude and y latitude.
    pub coord_scale: f64,
}

impl Default for DimacsOptions {
    fn default() -> Self {
        DimacsOptions {
            unit_minutes: 1.0 / 600.0,
            coord_scale: 1e-6,
        }
    }
}

/// Files from this size show a progress bar while read (when standard error
/// is a terminal): about a million arcs.
const LOAD_PROGRESS_BYTES: u64 = 16 << 20;

/// Reads a DIMACS shortest-path graph: `p sp N M` then `a U V W` arcs with
/// 1-based node numbers, and optionally the `.co` file (`v ID X Y`). Nodes
/// without coordinates get NaN (snapping then fails with a clear error).
///
/// Header counts are checked against the file, never trusted for memory:
/// the `p` line must come once, before any arc; the file must hold exactly
/// `M` arcs; `N` may not exceed twice the arcs plus 1024 (isolated nodes
/// beyond that would cost memory the file does not pay for); a node has at
/// most one `v` line. Lines are read one at a time, at most
/// [`MAX_LINE_BYTES`] each.
///
/// # Complexity
/// O(m log m) (the arcs are sorted into CSR); memory about 16 bytes per arc
/// while building.
pub fn read_dimacs(
    gr: &Path,
    co: Option<&Path>,
    opt: DimacsOptions,
) -> Result<RoadGraph, RoadError> {
    if let Some(co) = co {
        super::super::pair::check_pair(gr, co)?;
    }
    let file_len = std::fs::metadata(gr).map_err(io_err(gr))?.len();
    let mut reader =
        std::io::BufReader::with_capacity(1 << 16, open_input(gr).map_err(io_err(gr))?);
    let mut buf = Vec::new();
    // (nodes, declared arcs, line of the `p` line)
    let mut header: Option<(usize, u64, u64)> = None;
    let mut arcs: Vec<(u32, u32, f64)> = Vec::new();
    let mut line = 0u64;
    // Counted in lines of about 20 bytes (`a 123456 123457 42`).
    let progress = if file_len >= LOAD_PROGRESS_BYTES {
        Progress::new(file_len / 20, "lines read")
    } else {
        Progress::hidden()
    };
    loop {
        line += 1;
        if line.is_multiple_of(65_536) {
            progress.inc(65_536);
        }
        let Some(raw) = next_line(&mut reader, &mut buf, gr, line)? else {
            break;
        };
        let mut parts = raw.split_ascii_whitespace();
        match parts.next() {
            None | Some("c") => {}
            Some("p") => {
                if let Some((_, _, at)) = header {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("a second `p` line (the first is line {at})"),
                    ));
                }
                if parts.next() != Some("sp") {
                    return Err(parse_err(gr, line, "expected `p sp NODES ARCS`"));
                }
                let nn = whole(gr, line, "node count", parts.next())?;
                let m = whole(gr, line, "arc count", parts.next())?;
                no_more(gr, line, &mut parts)?;
                if nn < 1 || nn >= u32::MAX as u64 {
                    return Err(field_err(
                        gr,
                        line,
                        "node count",
                        format!("{nn} is not in 1..{}", u32::MAX),
                    ));
                }
                if m >= u32::MAX as u64 {
                    return Err(field_err(
                        gr,
                        line,
                        "arc count",
                        format!("{m} is not below {}", u32::MAX),
                    ));
                }
                header = Some((nn as usize, m, line));
                // Every arc line takes at least 8 bytes (`a 1 2 3` and a line end).
                let expect = m.min(file_len / 8) as usize;
                arcs.try_reserve(expect).map_err(|_| {
                    field_err(
                        gr,
                        line,
                        "arc count",
                        format!("cannot reserve memory for {expect} arcs"),
                    )
                })?;
            }
            Some("a") => {
                let Some((n, m, _)) = header else {
                    return Err(parse_err(gr, line, "arc before the `p sp` line"));
                };
                if arcs.len() as u64 >= m {
                    return Err(parse_err(
                        gr,
                        line,
                        format!("more arcs than the {m} the `p` line declares"),
                    ));
                }
                let u = whole(gr, line, "tail node", parts.next())?;
                let v = whole(gr, line, "head node", parts.next())?;
                let w = number(gr, line, "weight", parts.next())?;
                no_more(gr, line, &mut parts)?;
                for (x, field) in [(u, "tail node"), (v, "head node")] {
                    if x < 1 || x > n as u64 {
                        return Err(field_err(gr, line, field, format!("{x} is not in 1..={n}")));
                    }
                }
                let minutes = w * opt.unit_minutes;
                if !positive_within(minutes, MAX_LINK_MINUTES) {
                    return Err(field_err(
                        gr,
                        line,
                        "weight",
                        format!(
                            "weight {} ({} minutes at {} minutes per unit) is not in (0, {MAX_LINK_MINUTES}] minutes",
                            show(w),
                            show(minutes),
                            opt.unit_minutes
                        ),
                    ));
                }
                arcs.push((u as u32 - 1, v as u32 - 1, minutes));
            }
            Some(other) => {
                return Err(parse_err(gr, line, format!("unknown line type {other:?}")));
            }
        }
    }
    let Some((n, m, at)) = header else {
        return Err(RoadError::Empty {
            path: gr.to_owned(),
            what: "no `p sp` line".into(),
        });
    };
    if arcs.len() as u64 != m {
        return Err(field_err(
            gr,
            at,
            "arc count",
            format!(
                "the `p` line declares {m} arcs but the file has {}",
                arcs.len()
            ),
        ));
    }
    let most = 2 * arcs.len() + 1024;
    if n > most {
        return Err(field_err(
            gr,
            at,
            "node count",
            format!(
                "the `p` line declares {n} nodes but the file's {} arcs can touch at most {}; at most {most} nodes are accepted",
                arcs.len(),
                2 * arcs.len()
            ),
        ));
    }
    let (mut lon, mut lat) = (vec![f64::NAN; n], vec![f64::NAN; n]);
    if let Some(co) = co {
        read_coordinates(co, opt, &mut lon, &mut lat)?;
    }
    RoadGraph::new(lon, lat, &arcs, false, None)
        .map(RoadGraph::in_locality_order)
        .map_err(|source| RoadError::Graph {
            path: gr.to_owned(),
            source,
        })
}

/// Reads a DIMACS `.co` file into `lon`/`lat` (one slot per node).
fn read_coordinates(
    co: &Path,
    opt: DimacsOptions,
    lon: &mut [f64],
    lat: &mut [f64],
) -> Result<(), RoadError> {
    let n = lon.len();
    let mut reader =
        std::io::BufReader::with_capacity(1 << 16, open_input(co).map_err(io_err(co))?);
    let mut buf = Vec::new();
    let mut first_line = vec![0u64; 0];
    first_line.try_reserve_exact(n).map_err(|_| RoadError::Io {
        path: co.to_owned(),
        source: std::io::Error::other(format!("cannot reserve memory for {n} nodes")),
    })?;
    first_line.resize(n, 0);
    let mut line = 0u64;
    loop {
        line += 1;
        let Some(raw) = next_line(&mut reader, &mut buf, co, line)? else {
            return Ok(());
        };
        let mut parts = raw.split_ascii_whitespace();
        match parts.next() {
            None | Some("c") | Some("p") => {}
            Some("v") => {
                let id = whole(co, line, "node", parts.next())?;
                let x = number(co, line, "x", parts.next())?;
                let y = number(co, line, "y", parts.next())?;
                no_more(co, line, &mut parts)?;
                if id < 1 || id > n as u64 {
                    return Err(field_err(
                        co,
                        line,
                        "node",
                        format!("{id} is not in 1..={n}"),
                    ));
                }
                let i = id as usize - 1;
                if first_line[i] != 0 {
                    return Err(field_err(
                        co,
                        line,
                        "node",
                        format!("node {id} has coordinates already (line {})", first_line[i]),
                    ));
                }
                first_line[i] = line;
                let (x, y) = (x * opt.coord_scale, y * opt.coord_scale);
                if !(-180.0..=180.0).contains(&x) {
                    return Err(field_err(
                        co,
                        line,
                        "x",
                        format!("{x}° is not in [-180, 180]"),
                    ));
                }
                if !(-90.0..=90.0).contains(&y) {
                    return Err(field_err(
                        co,
                        line,
                        "y",
                        format!("{y}° is not in [-90, 90]"),
                    ));
                }
                lon[i] = x;
                lat[i] = y;
            }
            Some(other) => {
                return Err(parse_err(co, line, format!("unknown line type {other:?}")));
            }
        }
    }
}

/// Writes `g` as DIMACS text (`.gr`, `.co`), weights rounded to whole units
/// (at least 1) and coordinates to whole `coord_scale` units.
pub fn write_dimacs(g: &RoadGraph, opt: DimacsOptions, comment: &str) -> (String, String) {
    let mut gr = String::with_capacity(g.arc_count() * 20);
    let mut co = String::with_capacity(g.node_count() * 28);
    let _ = writeln!(gr, "c {comment}");
    let _ = writeln!(gr, "p sp {} {}", g.node_count(), g.arc_count());
    // In file order, each node's arcs by head, whatever the internal order.
    let mut arcs: Vec<(u32, f64)> = Vec::new();
    for i in 0..g.node_count() as u32 {
        arcs.clear();
        arcs.extend(
            g.graph()
                .out(g.node_at(i))
                .map(|(h, w)| (g.file_index(h), w)),
        );
        arcs.sort_by_key(|a| a.0);
        for &(h, w) in &arcs {
            let units = (w / opt.unit_minutes).round().max(1.0) as u64;
            let _ = writeln!(gr, "a {} {} {}", i + 1, h + 1, units);
        }
    }
    let _ = writeln!(co, "c {comment}");
    let _ = writeln!(co, "p aux sp co {}", g.node_count());
    for i in 0..g.node_count() as u32 {
        let v = g.node_at(i);
        let _ = writeln!(
            co,
            "v {} {} {}",
            i + 1,
            (g.lon(v) / opt.coord_scale).round() as i64,
            (g.lat(v) / opt.coord_scale).round() as i64
        );
    }
    (gr, co)
}
