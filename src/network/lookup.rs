//! Finding cities and agglomerations by what a user types.

use super::Network;
use crate::error::LookupError;
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

impl Network {
    /// Finds a city by id, English name or Chinese name, ignoring case,
    /// spaces, hyphens and apostrophes (`Xi'an`, `xian`, `西安`). An exact id
    /// wins; a name shared by several cities is reported as ambiguous.
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
                candidates: hits.iter().map(|&i| self.city(i).id.clone()).collect(),
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
