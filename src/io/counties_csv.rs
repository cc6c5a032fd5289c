//! A small reader of `counties.csv` (county-level units: adcode, names,
//! prefecture, province, census figures, representative point, area; see
//! `data/README.md` section 7). It feeds the `counties` layer; the network's
//! county nodes may replace it later, so it stays separate from the network
//! loaders.

use std::collections::BTreeMap;

/// `data/counties.csv`, embedded.
pub(crate) const COUNTIES_CSV: &str = include_str!("../../data/counties.csv");

/// One county-level unit.
#[derive(Debug, Clone, PartialEq)]
pub struct CountyRow {
    /// Unit id: the 6-digit adcode as text.
    pub id: String,
    /// The adcode (GB/T 2260).
    pub adcode: u32,
    /// Chinese name.
    pub name_zh: String,
    /// English name, where the source has one.
    pub name: Option<String>,
    /// `district`, `city`, `county`, `banner`, `special` or `functional`.
    pub kind: String,
    /// Id of the city node whose population includes the unit.
    pub prefecture: String,
    /// Province (English).
    pub province: String,
    /// 2020 census population.
    pub pop_2020: u64,
    /// Urban (城镇) share of the 2020 population, 0–1.
    pub urban_share_2020: Option<f64>,
    /// 2010 census population on 2020 boundaries, where a match exists.
    pub pop_2010: Option<u64>,
    /// Representative point: longitude (x), WGS84.
    pub lon: f64,
    /// Representative point: latitude (y), WGS84.
    pub lat: f64,
    /// Area, km² (of the unsimplified boundary).
    pub area_km2: f64,
}

/// A `counties.csv` that cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CountyError {
    /// The CSV itself is malformed.
    #[error("{file}:{line}: {message}")]
    Csv {
        /// The file.
        file: String,
        /// 1-based line (the header is line 1).
        line: u64,
        /// The CSV reader's message.
        message: String,
    },
    /// A required column is missing from the header.
    #[error("{file}: missing column `{column}`")]
    MissingColumn {
        /// The file.
        file: String,
        /// The column.
        column: &'static str,
    },
    /// A field is empty or not of its type.
    #[error("{file}:{line}, field `{field}`: {reason} (`{value}`)")]
    Field {
        /// The file.
        file: String,
        /// 1-based line.
        line: u64,
        /// The column.
        field: &'static str,
        /// The text found.
        value: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Two rows have the same id.
    #[error("{file}:{line}, field `id`: `{id}` repeats line {first}")]
    DuplicateId {
        /// The file.
        file: String,
        /// 1-based line of the repeat.
        line: u64,
        /// 1-based line of the first.
        first: u64,
        /// The id.
        id: String,
    },
}

const COLUMNS: [&str; 13] = [
    "id",
    "adcode",
    "name_zh",
    "name",
    "kind",
    "prefecture",
    "province",
    "pop_2020",
    "urban_share_2020",
    "pop_2010",
    "lon",
    "lat",
    "area_km2",
];

/// Reads `counties.csv` text; `file` names it in errors. Other columns are
/// ignored.
pub fn read_counties_csv(file: &str, text: &str) -> Result<Vec<CountyRow>, CountyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| CountyError::Csv {
        file: file.to_owned(),
        line: e.position().map_or(1, |p| p.line()),
        message: e.to_string(),
    };
    let header = r.headers().map_err(csv_err)?.clone();
    let mut col = [0usize; COLUMNS.len()];
    for (k, name) in COLUMNS.iter().enumerate() {
        col[k] =
            header
                .iter()
                .position(|h| h.trim() == *name)
                .ok_or(CountyError::MissingColumn {
                    file: file.to_owned(),
                    column: name,
                })?;
    }
    let mut rows = Vec::new();
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(csv_err)?;
        let line = rec.position().map_or(0, |p| p.line());
        let raw = |k: usize| rec.get(col[k]).unwrap_or("").trim();
        let bad = |k: usize, reason: &'static str| CountyError::Field {
            file: file.to_owned(),
            line,
            field: COLUMNS[k],
            value: raw(k).to_owned(),
            reason,
        };
        let text = |k: usize| -> Result<String, CountyError> {
            match raw(k) {
                "" => Err(bad(k, "empty")),
                s => Ok(s.to_owned()),
            }
        };
        let opt = |k: usize| Some(raw(k)).filter(|s| !s.is_empty());
        let count = |s: &str, k: usize| s.parse::<u64>().map_err(|_| bad(k, "not a whole number"));
        let real = |s: &str, k: usize, lo: f64, hi: f64| {
            s.parse::<f64>()
                .ok()
                .filter(|v| (lo..=hi).contains(v))
                .ok_or_else(|| bad(k, "not a number in range"))
        };
        let id = text(0)?;
        if !(id.len() == 6 && id.bytes().all(|b| b.is_ascii_digit())) {
            return Err(bad(0, "not a 6-digit adcode"));
        }
        if let Some(&first) = seen.get(&id) {
            return Err(CountyError::DuplicateId {
                file: file.to_owned(),
                line,
                first,
                id,
            });
        }
        seen.insert(id.clone(), line);
        rows.push(CountyRow {
            adcode: count(&text(1)?, 1)?
                .try_into()
                .map_err(|_| bad(1, "too large"))?,
            name_zh: text(2)?,
            name: opt(3).map(str::to_owned),
            kind: text(4)?,
            prefecture: text(5)?,
            province: text(6)?,
            pop_2020: count(&text(7)?, 7)?,
            urban_share_2020: opt(8).map(|s| real(s, 8, 0.0, 1.0)).transpose()?,
            pop_2010: opt(9).map(|s| count(s, 9)).transpose()?,
            lon: real(&text(10)?, 10, -180.0, 180.0)?,
            lat: real(&text(11)?, 11, -90.0, 90.0)?,
            area_km2: real(&text(12)?, 12, 0.0, 1e8)?,
            id,
        });
    }
    Ok(rows)
}

/// The embedded `data/counties.csv`.
pub fn embedded_counties() -> Result<Vec<CountyRow>, CountyError> {
    read_counties_csv("<embedded>/counties.csv", COUNTIES_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_reads_and_sums_to_the_census() {
        let rows = embedded_counties().unwrap();
        assert_eq!(rows.len(), 2989);
        assert_eq!(rows.iter().map(|r| r.pop_2020).sum::<u64>(), 1_409_778_724);
        assert_eq!(rows[0].id, "110101");
        assert_eq!(rows[0].name.as_deref(), Some("Dongcheng"));
    }

    #[test]
    fn errors_name_the_file_line_and_field() {
        let head = "id,adcode,name_zh,name,kind,prefecture,province,pop_2020,urban_share_2020,pop_2010,lon,lat,area_km2\n";
        let ok = "110101,110101,东城区,Dongcheng,district,beijing,Beijing,708829,1.0,,116.4,39.9,41.98\n";
        assert_eq!(
            read_counties_csv("c.csv", &format!("{head}{ok}"))
                .unwrap()
                .len(),
            1
        );
        let e = read_counties_csv(
            "c.csv",
            &format!("{head}{ok}{}", ok.replace("1.0,", "1.5,")),
        )
        .unwrap_err();
        assert!(
            matches!(&e, CountyError::DuplicateId { line: 3, .. }),
            "{e}"
        );
        let e = read_counties_csv("c.csv", &format!("{head}{}", ok.replace("1.0,", "1.5,")))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.csv:2, field `urban_share_2020`: not a number in range (`1.5`)"
        );
        let e = read_counties_csv("c.csv", "id,name\n").unwrap_err();
        assert!(matches!(
            e,
            CountyError::MissingColumn {
                column: "adcode",
                ..
            }
        ));
    }
}
