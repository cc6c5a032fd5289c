//! Finding cities and agglomerations by what a user types.

use super::Network;
use crate::error::{CityCandidate, LookupError};
use crate::model::{Agglomeration, CityIdx};

fn norm(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, '\'' | '’' | ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `n` candidates closest to `query` by normalised Levenshtein similarity.
fn closest<'a>(
    query: &str,
    candidates: impl Iterator<Item = (&'a str, &'a str)>,
    n: usize,
) -> Vec<String> {
    let q = norm(query);
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|(id, label)| (strsim::normalized_levenshtein(&q, &norm(label)), id))
        .filter(|(s, _)| *s > 0.4)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, id) in scored {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_owned());
        }
        if out.len() == n {
            break;
        }
    }
    out
}

/// The name without a trailing qualifier: `Suzhou (Anhui)` → `Suzhou`.
fn base_name(name: &str) -> &str {
    match name
        .trim_end()
        .strip_suffix(')')
        .and_then(|s| s.rfind(" ("))
    {
        Some(i) => &name[..i],
        None => name,
    }
}

impl Network {
    /// Finds a city by id, English name or Chinese name, ignoring case,
    /// spaces, hyphens and apostrophes (`Xi'an`, `xian`, `西安`). A name
    /// also matches without its qualifier (`Suzhou` matches `Suzhou (Anhui)`).
    ///
    /// An id typed exactly always wins, so ids are never ambiguous. Otherwise
    /// a query that matches several cities is [`LookupError::Ambiguous`],
    /// listing each candidate's id, name and province; nothing is chosen.
    pub fn find_city(&self, query: &str) -> Result<CityIdx, LookupError> {
        if let Some(i) = self.city_by_id(query.trim()) {
            return Ok(i);
        }
        let q = norm(query);
        let hits: Vec<CityIdx> = (0..self.cities.len() as CityIdx)
            .filter(|&i| {
                let c = self.city(i);
                norm(&c.id) == q
                    || norm(&c.name) == q
                    || norm(base_name(&c.name)) == q
                    || (!c.name_zh.is_empty() && norm(&c.name_zh) == q)
            })
            .collect();
        match hits.len() {
            1 => Ok(hits[0]),
            0 => Err(LookupError::Unknown {
                query: query.to_owned(),
                suggestions: closest(
                    query,
                    self.cities.iter().flat_map(|c| {
                        [
                            (c.id.as_str(), c.id.as_str()),
                            (c.id.as_str(), c.name.as_str()),
                            (c.id.as_str(), c.name_zh.as_str()),
                        ]
                    }),
                    3,
                ),
            }),
            _ => Err(LookupError::Ambiguous {
                query: query.to_owned(),
                candidates: hits
                    .iter()
                    .map(|&i| {
                        let c = self.city(i);
                        CityCandidate {
                            id: c.id.clone(),
                            name: c.name.clone(),
                            province: c.province.clone(),
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// Finds several cities from a comma-separated list.
    pub fn find_cities(&self, list: &str) -> Result<Vec<CityIdx>, LookupError> {
        list.split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| self.find_city(s))
            .collect()
    }

    /// Finds an agglomeration by id, English or Chinese name.
    pub fn find_agglomeration(&self, query: &str) -> Result<&Agglomeration, LookupError> {
        let q = norm(query);
        self.agglomerations
            .iter()
            .find(|a| {
                norm(&a.id) == q
                    || norm(&a.name) == q
                    || (!a.name_zh.is_empty() && norm(&a.name_zh) == q)
            })
            .ok_or_else(|| LookupError::UnknownAgglomeration {
                query: query.to_owned(),
                suggestions: closest(
                    query,
                    self.agglomerations.iter().flat_map(|a| {
                        [
                            (a.id.as_str(), a.id.as_str()),
                            (a.id.as_str(), a.name.as_str()),
                        ]
                    }),
                    3,
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Network {
        crate::io::Input::Embedded.load().unwrap().0
    }

    #[test]
    fn base_name_drops_only_a_trailing_qualifier() {
        assert_eq!(base_name("Suzhou (Anhui)"), "Suzhou");
        assert_eq!(base_name("Suzhou"), "Suzhou");
        assert_eq!(base_name("Hainan Prefecture"), "Hainan Prefecture");
    }

    #[test]
    fn shared_names_are_ambiguous_and_ids_are_not() {
        let n = net();
        for (query, ids) in [
            ("Suzhou", ["suzhou", "suzhou-anhui"]),
            ("Taizhou", ["taizhou", "taizhou-zhejiang"]),
            ("fu zhou", ["fuzhou", "fuzhou-jiangxi"]),
        ] {
            match n.find_city(query) {
                Err(LookupError::Ambiguous { candidates, .. }) => {
                    let got: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
                    assert_eq!(got, ids, "{query}");
                }
                other => panic!("{query}: {other:?}"),
            }
        }
        for id in ["suzhou", "suzhou-anhui", "taizhou", "taizhou-zhejiang"] {
            assert_eq!(n.city(n.find_city(id).unwrap()).id, id);
        }
        let anhui = n.find_city("Suzhou (Anhui)").unwrap();
        assert_eq!(n.city(anhui).id, "suzhou-anhui");
        assert_eq!(n.city(n.find_city("宿州").unwrap()).id, "suzhou-anhui");
    }
}
