//! Scenario files: a name, a description, an optional base scenario and a
//! list of edits, read from TOML.
//!
//! ```toml
//! name = "Beijing–Xiong'an intercity"
//! description = "Xiong'an New Area as a city, linked to Beijing in 50 min"
//! base = "other.toml"          # optional, applied first (relative path)
//!
//! [[edit]]
//! op = "add_link"
//! from = "beijing"
//! to = "xiongan"
//! mode = "hsr"
//! minutes = 50
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::io::limits::MAX_BASE_DEPTH;
use crate::io::read_text;

use super::ScenarioError;
use crate::model::Mode;

/// One edit of a scenario, applied to the network's data in file order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Edit {
    /// A new link (both directions unless `oneway`).
    AddLink {
        /// Origin city id.
        from: String,
        /// Destination city id.
        to: String,
        /// Transport mode (`hsr`, `rail`, `expressway`, `road`, `ferry`).
        mode: String,
        /// In-vehicle or driving minutes.
        minutes: f64,
        /// Route length; the great-circle distance when absent.
        km: Option<f64>,
        /// Services per day in one direction (scheduled modes).
        services_per_day: Option<f64>,
        /// Line name.
        line: Option<String>,
        /// Opening year.
        opened: Option<u16>,
        /// One-way link.
        #[serde(default)]
        oneway: bool,
        /// Route geometry as `[[lon, lat], ...]`.
        geometry: Option<Vec<[f64; 2]>>,
    },
    /// Removes every link between `from` and `to` (either direction) that
    /// matches `mode` and `line` when given; removing nothing is an error.
    RemoveLink {
        /// One end's city id.
        from: String,
        /// The other end's city id.
        to: String,
        /// Only links of this mode.
        mode: Option<String>,
        /// Only links of this line.
        line: Option<String>,
    },
    /// Changes the links matched as by `remove_link`.
    SetLink {
        /// One end's city id.
        from: String,
        /// The other end's city id.
        to: String,
        /// Only links of this mode.
        mode: Option<String>,
        /// Only links of this line.
        line: Option<String>,
        /// New minutes.
        minutes: Option<f64>,
        /// New length, km.
        km: Option<f64>,
        /// New services per day.
        services_per_day: Option<f64>,
    },
    /// A new city, member (and optionally core) of agglomerations.
    AddCity {
        /// New unique id.
        id: String,
        /// English name.
        name: String,
        /// Chinese name.
        name_zh: Option<String>,
        /// Province.
        province: Option<String>,
        /// Longitude, WGS84 degrees (x).
        lon: f64,
        /// Latitude, WGS84 degrees (y).
        lat: f64,
        /// Resident population.
        population: u64,
        /// Minutes from the centre to the high-speed rail station.
        access_hsr_min: Option<f64>,
        /// Minutes from the centre to the conventional rail station.
        access_rail_min: Option<f64>,
        /// Agglomeration ids the city joins as a member.
        #[serde(default)]
        agglomerations: Vec<String>,
        /// Agglomeration ids the city joins as a core.
        #[serde(default)]
        core_of: Vec<String>,
    },
    /// Changes a city's population or station access.
    SetCity {
        /// City id.
        id: String,
        /// New resident population.
        population: Option<u64>,
        /// New urban-district population.
        urban_population: Option<u64>,
        /// New minutes to the high-speed rail station.
        access_hsr_min: Option<f64>,
        /// New minutes to the conventional rail station.
        access_rail_min: Option<f64>,
    },
    /// Multiplies the minutes of every link of `mode` (within one
    /// agglomeration when given: both ends members) by `factor`.
    Scale {
        /// Mode concerned.
        mode: String,
        /// Factor (> 0): 1.2 for congestion, 0.8 for a speed upgrade.
        factor: f64,
        /// Agglomeration id.
        agglomeration: Option<String>,
    },
}

impl Edit {
    /// The `op` name of the edit.
    pub fn op(&self) -> &'static str {
        match self {
            Edit::AddLink { .. } => "add_link",
            Edit::RemoveLink { .. } => "remove_link",
            Edit::SetLink { .. } => "set_link",
            Edit::AddCity { .. } => "add_city",
            Edit::SetCity { .. } => "set_city",
            Edit::Scale { .. } => "scale",
        }
    }
}

/// A scenario: edits to apply to a base network.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short name.
    pub name: String,
    /// What the scenario represents, with its sources.
    pub description: String,
    /// The file it was read from (`<inline>` when built in code).
    pub path: PathBuf,
    /// The base scenario, applied first.
    pub base: Option<Box<Scenario>>,
    /// Edits in file order.
    pub edits: Vec<Edit>,
    /// The 1-based line of each edit's `[[edit]]` header (empty when the
    /// edits are not written as such tables, or built in code).
    pub edit_lines: Vec<u64>,
}

/// The 1-based lines of the `[[edit]]` table headers of a scenario's text,
/// if there is one per edit (`edits`), else none.
fn edit_header_lines(text: &str, edits: usize) -> Vec<u64> {
    let lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start();
            l.strip_prefix("[[")
                .and_then(|r| r.trim_start().strip_prefix("edit"))
                .is_some_and(|r| r.trim_start().starts_with("]]"))
        })
        .map(|(i, _)| i as u64 + 1)
        .collect();
    if lines.len() == edits {
        lines
    } else {
        Vec::new()
    }
}

/// The field of an edit table that a deserialisation message is about: the
/// one it names (`missing field `from``, `unknown field `x``), `op` for an
/// unknown variant, else the one key whose value the message quotes
/// (`invalid type: boolean `true`, expected f64`), if exactly one does.
fn blamed_field(message: &str, table: &toml::Value) -> Option<String> {
    if let Some(rest) = message.split("field `").nth(1) {
        return Some(rest.split('`').next()?.to_owned());
    }
    if message.starts_with("unknown variant") {
        return Some("op".into());
    }
    let quoted = |v: &toml::Value| match v {
        toml::Value::Boolean(b) => Some(format!("boolean `{b}`")),
        toml::Value::Integer(i) => Some(format!("integer `{i}`")),
        toml::Value::Float(f) => Some(format!("floating point `{f}`")),
        toml::Value::String(s) => Some(format!("string {s:?}")),
        toml::Value::Table(_) => Some("invalid type: map".into()),
        toml::Value::Array(_) => Some("invalid type: sequence".into()),
        toml::Value::Datetime(_) => None,
    };
    let t = table.as_table()?;
    let hits: Vec<&String> = t
        .iter()
        .filter(|(_, v)| quoted(v).is_some_and(|q| message.contains(&q)))
        .map(|(k, _)| k)
        .collect();
    match hits[..] {
        [] => None,
        [k] => Some(k.clone()),
        // Several values of the quoted kind: the culprit is the one whose
        // removal changes the complaint.
        _ => hits
            .into_iter()
            .find(|k| {
                let mut fewer = t.clone();
                fewer.remove(k.as_str());
                match Edit::deserialize(toml::Value::Table(fewer)) {
                    Ok(_) => true,
                    Err(e) => e.message() != message,
                }
            })
            .cloned(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: String,
    #[serde(default)]
    description: String,
    base: Option<PathBuf>,
    #[serde(default)]
    edit: Vec<toml::Value>,
}

/// The mode named by an edit field.
pub(crate) fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse::<Mode>().map_err(|e| e.to_string())
}

impl Scenario {
    /// Reads a scenario file and its chain of bases (paths relative to the
    /// file's folder), one file after the other: at most
    /// [`MAX_BASE_DEPTH`] files, none of them twice.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let mut chain: Vec<Scenario> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut next = Some(path.to_owned());
        while let Some(path) = next.take() {
            if chain.len() == MAX_BASE_DEPTH {
                return Err(ScenarioError::BaseTooDeep {
                    path,
                    limit: MAX_BASE_DEPTH,
                });
            }
            let canon = path.canonicalize().unwrap_or_else(|_| path.clone());
            if !seen.insert(canon) {
                return Err(ScenarioError::BaseCycle { path });
            }
            let text = read_text(&path).map_err(|source| ScenarioError::Io {
                path: path.clone(),
                source,
            })?;
            let s = Scenario::parse(&text, &path)?;
            if let Some(base) = &s.base {
                let dir = path.parent().unwrap_or(Path::new("."));
                next = Some(dir.join(&base.path));
            }
            chain.push(s);
        }
        // Nest from the deepest base up.
        let mut inner: Option<Box<Scenario>> = None;
        while let Some(mut s) = chain.pop() {
            s.base = inner.take();
            inner = Some(Box::new(s));
        }
        Ok(*inner.expect("the chain holds at least the first file"))
    }

    /// Parses scenario text read from `path`. A `base` is recorded as a
    /// scenario with only its path set; [`Scenario::load`] reads it.
    pub fn parse(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |r| r.start.min(text.len()));
            let before = &text[..text.floor_char_boundary(at)];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            ScenarioError::Parse {
                path: path.to_owned(),
                line,
                column,
                message: e.message().to_owned(),
            }
        })?;
        let mut problems = Vec::new();
        let mut edits = Vec::new();
        let edit_lines = edit_header_lines(text, raw.edit.len());
        for (i, v) in raw.edit.into_iter().enumerate() {
            let op = v
                .get("op")
                .and_then(|o| o.as_str())
                .unwrap_or("?")
                .to_owned();
            match Edit::deserialize(v.clone()) {
                Ok(e) => edits.push(e),
                Err(e) => problems.push(super::EditProblem {
                    index: i + 1,
                    op,
                    field: blamed_field(e.message(), &v),
                    line: edit_lines.get(i).copied(),
                    message: e.message().to_owned(),
                }),
            }
        }
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid {
                path: path.to_owned(),
                problems,
            });
        }
        Ok(Scenario {
            name: raw.name,
            description: raw.description,
            path: path.to_owned(),
            base: raw.base.map(|b| {
                Box::new(Scenario {
                    name: String::new(),
                    description: String::new(),
                    path: b,
                    base: None,
                    edits: Vec::new(),
                    edit_lines: Vec::new(),
                })
            }),
            edits,
            edit_lines,
        })
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_invalid_edit_is_placed_at_its_table_and_field() {
        let text = "name = \"x\"\n\n[[edit]]\nop = \"scale\"\nfactor = 2\n\n[[edit]]\nop = \"remove_link\"\nfrom = true\nto = \"b\"\n";
        let e = Scenario::parse(text, Path::new("s.toml")).unwrap_err();
        let sites = e.sites();
        // Edit 1 lacks `mode`; edit 2 gives `from` a boolean.
        assert_eq!(sites.len(), 2, "{e}");
        assert_eq!(sites[0].pos, crate::error::Pos::Line(3), "{e}");
        assert_eq!(sites[0].field.as_deref(), Some("mode"), "{e}");
        assert_eq!(sites[1].pos, crate::error::Pos::Line(7), "{e}");
        assert_eq!(sites[1].field.as_deref(), Some("from"), "{e}");
        assert!(
            e.to_string().contains("line 7: edit 2 (remove_link)"),
            "{e}"
        );
        let t: toml::Value = toml::from_str("op = \"x\"\nfrom = { a = 1 }\nto = 3").unwrap();
        assert_eq!(
            blamed_field("invalid type: map, expected a string", &t).as_deref(),
            Some("from")
        );
        assert_eq!(
            blamed_field("unknown variant `x`, expected `scale`", &t).as_deref(),
            Some("op")
        );
        assert_eq!(
            blamed_field("missing field `factor`", &t).as_deref(),
            Some("factor")
        );
        assert_eq!(blamed_field("something else", &t), None);
        // Two lists, one of them where a number belongs.
        let t: toml::Value = toml::from_str(
            "op = \"add_city\"\nid = \"x\"\nname = \"X\"\nlon = 1.0\nlat = 2.0\npopulation = []\nagglomerations = [\"a\"]",
        )
        .unwrap();
        let e = Edit::deserialize(t.clone()).unwrap_err();
        assert_eq!(
            blamed_field(e.message(), &t).as_deref(),
            Some("population"),
            "{e}"
        );
    }
    use super::*;

    #[test]
    fn parses_every_op_and_names_the_bad_edit() {
        let text = r#"
name = "t"
[[edit]]
op = "add_link"
from = "a"
to = "b"
mode = "hsr"
minutes = 30
[[edit]]
op = "remove_link"
from = "a"
to = "c"
[[edit]]
op = "scale"
mode = "expressway"
factor = 1.2
"#;
        let s = Scenario::parse(text, Path::new("t.toml")).unwrap();
        assert_eq!(s.edits.len(), 3);
        assert_eq!(s.edits[0].op(), "add_link");
        assert_eq!(s.edits[2].op(), "scale");

        let bad = "name = \"t\"\n[[edit]]\nop = \"scale\"\nmode = \"hsr\"\n[[edit]]\nop = \"set_city\"\nid = \"a\"\npopulaton = 3\n";
        let err = Scenario::parse(bad, Path::new("bad.toml")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("bad.toml"), "{text}");
        assert!(
            text.contains("edit 1 (scale)") && text.contains("factor"),
            "{text}"
        );
        assert!(
            text.contains("edit 2 (set_city)") && text.contains("populaton"),
            "{text}"
        );
    }
}
