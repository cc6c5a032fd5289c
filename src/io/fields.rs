//! Typed access to named fields of one record, recording every problem as an
//! [`Issue`] rather than stopping at the first.

use super::limits::show;
use crate::error::{Issue, Loc};

/// A source of named string fields (a CSV row or GeoJSON properties).
pub(crate) trait FieldSource {
    /// The raw text of a field; `None` when the field is absent or empty.
    fn raw(&self, name: &str) -> Option<String>;
}

/// Reads typed fields from one record, pushing problems to `issues`.
pub(crate) struct Fields<'a, S: FieldSource> {
    pub src: S,
    pub loc: Loc,
    pub issues: &'a mut Vec<Issue>,
    pub ok: bool,
}

impl<'a, S: FieldSource> Fields<'a, S> {
    pub fn new(src: S, loc: Loc, issues: &'a mut Vec<Issue>) -> Self {
        Fields {
            src,
            loc,
            issues,
            ok: true,
        }
    }

    pub fn error(&mut self, field: &str, msg: impl Into<String>) {
        self.ok = false;
        self.issues
            .push(Issue::error(self.loc.clone(), Some(field), msg));
    }

    /// Optional text; empty means absent.
    pub fn opt_str(&mut self, name: &str) -> Option<String> {
        self.src.raw(name).map(|s| s.trim().to_owned())
    }

    /// Required, non-empty text.
    pub fn str(&mut self, name: &str) -> String {
        match self.opt_str(name) {
            Some(s) => s,
            None => {
                self.error(name, "is required but empty");
                String::new()
            }
        }
    }

    /// Optional finite, non-negative number.
    pub fn opt_f64(&mut self, name: &str) -> Option<f64> {
        let raw = self.opt_str(name)?;
        match raw.parse::<f64>() {
            Ok(v) if !v.is_finite() => {
                self.error(name, format!("must be a finite number, got `{raw}`"));
                None
            }
            Ok(v) if v < 0.0 => {
                self.error(name, format!("must not be negative, got {raw}"));
                None
            }
            Ok(v) => Some(v),
            Err(_) => {
                self.error(name, format!("is not a number: `{raw}`"));
                None
            }
        }
    }

    /// Optional finite number in `[0, max]`.
    pub fn opt_f64_max(&mut self, name: &str, max: f64) -> Option<f64> {
        let v = self.opt_f64(name)?;
        if v > max {
            self.error(name, format!("must be at most {max}, got {}", show(v)));
            return None;
        }
        Some(v)
    }

    /// Required finite number in `[0, max]` (NaN is returned on error, so
    /// that no later check mistakes it for a real value).
    pub fn f64_max(&mut self, name: &str, max: f64) -> f64 {
        if self.src.raw(name).is_none() {
            self.error(name, "is required but empty");
            return f64::NAN;
        }
        self.opt_f64_max(name, max).unwrap_or(f64::NAN)
    }

    /// Number within a closed range.
    pub fn f64_in(&mut self, name: &str, lo: f64, hi: f64) -> f64 {
        let raw = self.opt_str(name);
        match raw.as_deref().map(str::parse::<f64>) {
            None => {
                self.error(name, "is required but empty");
                0.0
            }
            Some(Ok(v)) if v.is_finite() && (lo..=hi).contains(&v) => v,
            Some(Ok(_)) => {
                self.error(
                    name,
                    format!("must lie in [{lo}, {hi}], got {}", raw.unwrap_or_default()),
                );
                0.0
            }
            Some(Err(_)) => {
                self.error(
                    name,
                    format!("is not a number: `{}`", raw.unwrap_or_default()),
                );
                0.0
            }
        }
    }

    /// Optional whole non-negative number (population, adcode, year).
    pub fn opt_u64(&mut self, name: &str) -> Option<u64> {
        let raw = self.opt_str(name)?;
        match raw.parse::<u64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let msg = if raw.starts_with('-') {
                    format!("must not be negative, got {raw}")
                } else {
                    format!("is not a whole non-negative number: `{raw}`")
                };
                self.error(name, msg);
                None
            }
        }
    }

    /// Optional whole number in `[0, max]`.
    pub fn opt_u64_max(&mut self, name: &str, max: u64) -> Option<u64> {
        let v = self.opt_u64(name)?;
        if v > max {
            self.error(name, format!("must be at most {max}, got {v}"));
            return None;
        }
        Some(v)
    }

    /// Required whole number in `[0, max]`.
    pub fn u64_max(&mut self, name: &str, max: u64) -> u64 {
        if self.src.raw(name).is_none() {
            self.error(name, "is required but empty");
            return 0;
        }
        self.opt_u64_max(name, max).unwrap_or(0)
    }

    /// Optional year.
    pub fn opt_year(&mut self, name: &str) -> Option<u16> {
        let v = self.opt_u64(name)?;
        if (1800..=2200).contains(&v) {
            Some(v as u16)
        } else {
            self.error(name, format!("is not a plausible year: {v}"));
            None
        }
    }

    /// Optional boolean (`true/false/yes/no/1/0`, empty = false).
    pub fn bool(&mut self, name: &str) -> bool {
        match self.opt_str(name).map(|s| s.to_ascii_lowercase()) {
            None => false,
            Some(s) => match s.as_str() {
                "true" | "yes" | "1" | "y" => true,
                "false" | "no" | "0" | "n" => false,
                _ => {
                    self.error(name, format!("is not a boolean (true/false): `{s}`"));
                    false
                }
            },
        }
    }

    /// A `;`-separated list of ids.
    pub fn id_list(&mut self, name: &str) -> Vec<String> {
        self.opt_str(name)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Parses a value with `FromStr`, reporting the parser's message.
    pub fn parsed<T: std::str::FromStr>(&mut self, name: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let raw = self.opt_str(name);
        match raw {
            None => {
                self.error(name, "is required but empty");
                None
            }
            Some(r) => match r.parse::<T>() {
                Ok(v) => Some(v),
                Err(e) => {
                    self.error(name, e.to_string());
                    None
                }
            },
        }
    }
}
