//! One result table, printed as an aligned text table, CSV or JSON.
//!
//! Every command that prints results builds a [`Table`]; the same columns
//! appear in all three formats. JSON is an array of objects whose keys are the
//! column names, with numbers as numbers, lists as arrays of strings and
//! empty or missing cells as `null`. In tables and CSV a list is one cell,
//! its items joined by `;`.

use serde_json::{Map, Value};

/// Output format of a printed result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned, human-readable text.
    Table,
    /// RFC 4180 CSV with a header.
    Csv,
    /// JSON (see the module docs).
    Json,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Str(String),
    /// A whole number.
    Int(i64),
    /// A number shown with the given decimals in tables and CSV.
    Float(f64, usize),
    /// A list of texts (ids, mostly): `;`-joined in tables and CSV, an array
    /// in JSON (`[]` when empty).
    List(Vec<String>),
    /// A list too long for a text table: there it shows `summary`; CSV and
    /// JSON have every item, as for [`Cell::List`].
    Summarised {
        /// Every item.
        items: Vec<String>,
        /// What a text table shows.
        summary: String,
    },
    /// A yes-or-no value: `true`/`false` in tables and CSV, a boolean in
    /// JSON.
    Bool(bool),
    /// Missing.
    Empty,
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(v, d) => format!("{v:.d$}", d = *d),
            Cell::List(items) | Cell::Summarised { items, .. } => items.join(";"),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
    fn json(&self) -> Value {
        match self {
            Cell::Str(s) if s.is_empty() => Value::Null,
            Cell::Str(s) => Value::String(s.clone()),
            Cell::Int(i) => Value::from(*i),
            Cell::Float(v, d) => {
                let p = 10f64.powi(*d as i32);
                serde_json::Number::from_f64((v * p).round() / p).map_or(Value::Null, Value::Number)
            }
            Cell::List(items) | Cell::Summarised { items, .. } => {
                Value::Array(items.iter().cloned().map(Value::String).collect())
            }
            Cell::Bool(b) => Value::Bool(*b),
            Cell::Empty => Value::Null,
        }
    }
    fn numeric(&self) -> bool {
        matches!(self, Cell::Int(_) | Cell::Float(..))
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Str(s.to_owned())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Str(s)
    }
}
impl From<u64> for Cell {
    fn from(v: u64) -> Cell {
        Cell::Int(v as i64)
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Cell {
        Cell::Int(v as i64)
    }
}
impl From<Vec<String>> for Cell {
    fn from(items: Vec<String>) -> Cell {
        Cell::List(items)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Cell {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// Display width of `s` in a terminal: CJK characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Widest list cell of a text table, in columns; longer lists are cut.
pub const LIST_WIDTH: usize = 60;

/// A list cell as a text table shows it: `;`-joined when that fits in
/// [`LIST_WIDTH`] columns, else the leading items that fit and `… +N` for the
/// N left out (CSV and JSON always carry the whole list).
fn short_list(items: &[String]) -> String {
    let whole = items.join(";");
    if width(&whole) <= LIST_WIDTH {
        return whole;
    }
    let mut shown = String::new();
    for (k, item) in items.iter().enumerate() {
        let sep = if k == 0 { "" } else { ";" };
        let marker = format!(" … +{}", items.len() - k - 1);
        if width(&shown) + width(sep) + width(item) + width(&marker) > LIST_WIDTH {
            return format!("{shown} … +{}", items.len() - k)
                .trim_start()
                .to_owned();
        }
        shown.push_str(sep);
        shown.push_str(item);
    }
    shown
}

/// A table of results.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Column names (also the JSON keys and CSV header).
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
        }
    }
    /// Appends a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }
    /// Renders in `format`; the text always ends with a newline.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Table => self.render_text(),
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&self.columns).expect("in memory");
                for r in &self.rows {
                    w.write_record(r.iter().map(Cell::text)).expect("in memory");
                }
                String::from_utf8(w.into_inner().expect("in memory")).expect("utf-8")
            }
            Format::Json => {
                let v: Vec<Value> = self.rows.iter().map(|r| self.row_json(r)).collect();
                let mut s = serde_json::to_string_pretty(&v).expect("serialisable");
                s.push('\n');
                s
            }
        }
    }
    /// One row as a JSON object.
    pub fn row_json(&self, r: &[Cell]) -> Value {
        let mut m = Map::new();
        for (c, v) in self.columns.iter().zip(r) {
            m.insert(c.clone(), v.json());
        }
        Value::Object(m)
    }
    fn render_text(&self) -> String {
        let texts: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::List(items) => short_list(items),
                        Cell::Summarised { summary, .. } => summary.clone(),
                        c => c.text(),
                    })
                    .collect()
            })
            .collect();
        let mut w: Vec<usize> = self.columns.iter().map(|c| width(c)).collect();
        for r in &texts {
            for (i, t) in r.iter().enumerate() {
                w[i] = w[i].max(width(t));
            }
        }
        let mut out = String::new();
        let line = |cells: &[String], numeric: &dyn Fn(usize) -> bool, out: &mut String| {
            let mut parts = Vec::new();
            for (i, t) in cells.iter().enumerate() {
                let pad = " ".repeat(w[i] - width(t));
                parts.push(if numeric(i) {
                    format!("{pad}{t}")
                } else {
                    format!("{t}{pad}")
                });
            }
            out.push_str(parts.join("  ").trim_end());
            out.push('\n');
        };
        let col_numeric: Vec<bool> = (0..self.columns.len())
            .map(|i| {
                self.rows.iter().any(|r| r[i].numeric())
                    && self
                        .rows
                        .iter()
                        .all(|r| r[i].numeric() || r[i] == Cell::Empty)
            })
            .collect();
        line(&self.columns, &|i| col_numeric[i], &mut out);
        let rule: Vec<String> = w.iter().map(|n| "-".repeat(*n)).collect();
        line(&rule, &|_| false, &mut out);
        for r in &texts {
            line(r, &|i| col_numeric[i], &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summarised_list_is_short_in_text_only() {
        let mut t = Table::new(&["id", "moves"]);
        let items = vec!["a 1>2".to_string(), "b 2>1".to_string()];
        t.push(vec![
            "x".into(),
            Cell::Summarised {
                items: items.clone(),
                summary: "2 changed".into(),
            },
        ]);
        let text = t.render(Format::Table);
        assert!(
            text.contains("x   2 changed") && !text.contains("a 1>2"),
            "{text}"
        );
        assert!(t.render(Format::Csv).contains("x,a 1>2;b 2>1"));
        assert_eq!(
            t.row_json(&t.rows[0])["moves"],
            serde_json::json!(["a 1>2", "b 2>1"])
        );
    }

    #[test]
    fn renders_three_formats() {
        let mut t = Table::new(&["city", "minutes"]);
        t.push(vec!["成都".into(), Cell::Float(12.345, 1)]);
        t.push(vec!["b".into(), Cell::Empty]);
        assert_eq!(t.render(Format::Csv), "city,minutes\n成都,12.3\nb,\n");
        assert_eq!(
            t.render(Format::Json),
            "[\n  {\n    \"city\": \"成都\",\n    \"minutes\": 12.3\n  },\n  {\n    \"city\": \"b\",\n    \"minutes\": null\n  }\n]\n"
        );
        assert_eq!(
            t.render(Format::Table),
            "city  minutes\n----  -------\n成都     12.3\nb\n"
        );
    }

    #[test]
    fn long_lists_are_cut_in_text_tables_only() {
        let ids: Vec<String> = (0..30).map(|i| format!("{:06}", 110100 + i)).collect();
        let mut t = Table::new(&["core", "members"]);
        t.push(vec!["beijing".into(), ids.clone().into()]);
        t.push(vec!["x".into(), ids[..3].to_vec().into()]);
        let text = t.render(Format::Table);
        let row = text.lines().nth(2).unwrap();
        let cell = row.trim_start_matches("beijing").trim();
        // Seven ids of 6 digits joined (48 columns) and " … +23" (6): 54;
        // an eighth id would need 7 more columns and leave 22 (60 + 1).
        assert_eq!(cell, format!("{} … +23", ids[..7].join(";")));
        assert!(width(cell) <= LIST_WIDTH);
        // A short list is whole; CSV and JSON carry all 30 ids.
        assert!(text.lines().nth(3).unwrap().ends_with(&ids[..3].join(";")));
        assert!(t.render(Format::Csv).contains(&ids.join(";")));
        let v: Value = serde_json::from_str(&t.render(Format::Json)).unwrap();
        assert_eq!(v[0]["members"].as_array().unwrap().len(), 30);
        // One item wider than the limit: only the count is shown.
        assert_eq!(short_list(&["x".repeat(70), "y".into()]), "… +2");
    }

    #[test]
    fn lists_are_arrays_in_json_and_joined_elsewhere() {
        let mut t = Table::new(&["core", "left", "note"]);
        t.push(vec![
            "a".into(),
            vec!["x".to_owned(), "y".to_owned()].into(),
            "".into(),
        ]);
        t.push(vec!["b".into(), Vec::<String>::new().into(), Cell::Empty]);
        assert_eq!(t.render(Format::Csv), "core,left,note\na,x;y,\nb,,\n");
        let v: Value = serde_json::from_str(&t.render(Format::Json)).unwrap();
        assert_eq!(
            v,
            serde_json::json!([
                {"core": "a", "left": ["x", "y"], "note": null},
                {"core": "b", "left": [], "note": null}
            ])
        );
        assert_eq!(
            t.render(Format::Table),
            "core  left  note\n----  ----  ----\na     x;y\nb\n"
        );
    }

    #[test]
    fn yes_or_no_is_a_boolean_in_json_and_text_elsewhere() {
        let mut t = Table::new(&["unit", "member"]);
        t.push(vec!["a".into(), Cell::Bool(true)]);
        t.push(vec!["b".into(), Cell::Bool(false)]);
        assert_eq!(t.render(Format::Csv), "unit,member\na,true\nb,false\n");
        let v: Value = serde_json::from_str(&t.render(Format::Json)).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"unit": "a", "member": true}, {"unit": "b", "member": false}])
        );
    }
}
