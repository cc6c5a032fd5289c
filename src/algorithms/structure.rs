//! The size structure of a cluster: primacy, the four-city index, the
//! rank–size (Zipf) exponent, the Gini coefficient, the middle tiers' share,
//! and a structure type assigned by fixed rules.
//!
//! # Indicators
//! With the member cities ranked by population, P₁ ≥ P₂ ≥ …:
//! - **primacy** = P₁ / P₂; **four-city index** = P₁ / (P₂ + P₃ + P₄);
//!   **second/third** = P₂ / P₃. For a perfect Zipf distribution (Pᵣ = P₁ / r)
//!   these are 2, 0.92 and 1.5.
//! - **Zipf exponent** q: least-squares fit of ln r = a − q·ln Pᵣ, with its R².
//!   q = 1 is Zipf's law; q > 1 means sizes more even than Zipf (flatter),
//!   q < 1 more concentrated at the top.
//! - **Gini** of the member populations (0: all equal; → 1: one city holds all).
//! - **middle share**: the share of the population living in member cities of
//!   the middle tiers (large I, large II, medium; see [`SizeClass`]).
//!
//! # Structure type (first rule that holds)
//! 1. one member: **monocentric**.
//! 2. four-city index ≥ 1 (with four or more members), or primacy ≥ 2 (with
//!    two or three): **monocentric** — the first city outweighs the next three
//!    together, more than a Zipf hierarchy gives.
//! 3. primacy < 1.5 and (two members, or second/third ≥ 1.5): **dual-core**
//!    — two comparable leaders well ahead of the rest (a "dumbbell").
//! 4. primacy < 1.5 (so second/third < 1.5 too): **polycentric** — three or
//!    more comparable leaders, scattered.
//! 5. middle share ≥ 0.4: **gradient** — one leader, not dominant, and a
//!    substantial middle.
//! 6. otherwise **monocentric** — one leader over a weak middle.

use std::fmt;

use super::tiers::{SizeClass, Tiers};
use crate::model::{Agglomeration, CityIdx};
use crate::network::Network;

/// Four-city index from which the first city dominates (rule 2).
pub const DOMINANT_FOUR_CITY: f64 = 1.0;
/// Primacy from which the first city dominates a cluster of two or three (rule 2).
pub const DOMINANT_PRIMACY: f64 = 2.0;
/// Ratio of two consecutive sizes below which they count as comparable (rules 3–4).
pub const COMPARABLE: f64 = 1.5;
/// Middle tiers' share from which a non-dominant hierarchy is a gradient (rule 5).
pub const MIDDLE_MIN: f64 = 0.4;

/// Which population the indicators are computed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Resident population 2020 (`pop_2020`), complete for every city.
    #[default]
    Resident,
    /// Urban-district population, published or estimated ([`Tiers`]).
    Urban,
}

impl Measure {
    /// `resident` or `urban`.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Resident => "resident",
            Measure::Urban => "urban",
        }
    }
}

/// A structure type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructureType {
    /// One dominant core (单中心).
    Monocentric,
    /// Two comparable cores ahead of the rest (双核, "dumbbell").
    DualCore,
    /// A steady decline of sizes through a substantial middle (梯度).
    Gradient,
    /// Several comparable centres (多中心, "scattered").
    Polycentric,
}

impl StructureType {
    /// `monocentric`, `dual-core`, `gradient` or `polycentric`.
    pub fn as_str(self) -> &'static str {
        match self {
            StructureType::Monocentric => "monocentric",
            StructureType::DualCore => "dual-core",
            StructureType::Gradient => "gradient",
            StructureType::Polycentric => "polycentric",
        }
    }
}

impl fmt::Display for StructureType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A least-squares rank–size fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipfFit {
    /// q in ln r = a − q·ln P.
    pub exponent: f64,
    /// The intercept a.
    pub intercept: f64,
    /// Coefficient of determination of the fit.
    pub r2: f64,
}

/// Fits ln rank = a − q·ln size by ordinary least squares. Sizes are ranked
/// in decreasing order (ties keep their input order). `None` with fewer than
/// two sizes, a size that is not positive, or all sizes equal.
///
/// # Complexity
/// O(n log n).
pub fn zipf_fit(sizes: &[f64]) -> Option<ZipfFit> {
    if sizes.len() < 2 || sizes.iter().any(|s| !(s.is_finite() && *s > 0.0)) {
        return None;
    }
    let mut s = sizes.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let n = s.len() as f64;
    let xs: Vec<f64> = s.iter().map(|v| v.ln()).collect();
    let ys: Vec<f64> = (1..=s.len()).map(|r| (r as f64).ln()).collect();
    let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(ZipfFit {
        exponent: -slope,
        intercept: my - slope * mx,
        r2: if syy > 0.0 {
            sxy * sxy / (sxx * syy)
        } else {
            1.0
        },
    })
}

/// Gini coefficient of non-negative sizes (0 for an empty or all-zero list).
///
/// # Complexity
/// O(n log n): with sizes sorted increasingly, G = Σ (2i − n − 1)·xᵢ / (n·Σx).
pub fn gini(sizes: &[f64]) -> f64 {
    let total: f64 = sizes.iter().sum();
    if sizes.is_empty() || total <= 0.0 {
        return 0.0;
    }
    let mut s = sizes.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len() as f64;
    let weighted: f64 = s
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
        .sum();
    weighted / (n * total)
}

/// The indicators of one cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicators {
    /// Number of member cities.
    pub cities: usize,
    /// Total population (of the chosen [`Measure`]).
    pub population: f64,
    /// P₁ / P₂ (needs two members).
    pub primacy: Option<f64>,
    /// P₁ / (P₂ + P₃ + P₄) (needs four members).
    pub four_city: Option<f64>,
    /// P₂ / P₃ (needs three members).
    pub second_third: Option<f64>,
    /// Rank–size fit.
    pub zipf: Option<ZipfFit>,
    /// Gini coefficient.
    pub gini: f64,
    /// Share of the population in middle-tier cities.
    pub middle_share: f64,
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

impl Indicators {
    /// Indicators of members given as (size, class), in any order.
    pub fn of(members: &[(f64, SizeClass)]) -> Indicators {
        let mut s: Vec<f64> = members.iter().map(|m| m.0).collect();
        s.sort_by(|a, b| b.total_cmp(a));
        let population: f64 = s.iter().sum();
        let middle: f64 = members
            .iter()
            .filter(|m| m.1.is_middle())
            .map(|m| m.0)
            .sum();
        Indicators {
            cities: s.len(),
            population,
            primacy: (s.len() >= 2).then(|| ratio(s[0], s[1])).flatten(),
            four_city: (s.len() >= 4)
                .then(|| ratio(s[0], s[1] + s[2] + s[3]))
                .flatten(),
            second_third: (s.len() >= 3).then(|| ratio(s[1], s[2])).flatten(),
            zipf: zipf_fit(&s),
            gini: gini(&s),
            middle_share: if population > 0.0 {
                middle / population
            } else {
                0.0
            },
        }
    }

    /// The structure type and the rule that decided it (see the module docs).
    pub fn structure_type(&self) -> (StructureType, String) {
        use StructureType::*;
        let f = |v: Option<f64>| v.map_or("-".to_owned(), |v| format!("{v:.2}"));
        let Some(primacy) = self.primacy else {
            return (Monocentric, "single city".into());
        };
        if let Some(fc) = self.four_city {
            if fc >= DOMINANT_FOUR_CITY {
                return (Monocentric, format!("four-city {fc:.2} >= 1"));
            }
        } else if primacy >= DOMINANT_PRIMACY {
            return (Monocentric, format!("primacy {primacy:.2} >= 2"));
        }
        if primacy < COMPARABLE {
            return match self.second_third {
                Some(st) if st < COMPARABLE => (
                    Polycentric,
                    format!("primacy {primacy:.2} < 1.5, second/third {st:.2} < 1.5"),
                ),
                st => (
                    DualCore,
                    format!("primacy {primacy:.2} < 1.5, second/third {} >= 1.5", f(st)),
                ),
            };
        }
        let m = self.middle_share;
        if m >= MIDDLE_MIN {
            (
                Gradient,
                format!("primacy {primacy:.2} >= 1.5, middle share {m:.2} >= 0.4"),
            )
        } else {
            (
                Monocentric,
                format!("primacy {primacy:.2} >= 1.5, middle share {m:.2} < 0.4"),
            )
        }
    }
}

/// A city's role in its cluster's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// One of the cities that define the type: the first (monocentric,
    /// gradient), the first two (dual-core), or every city within a factor
    /// 1.5 of the first (polycentric).
    Leading,
    /// Another megacity or super-large city.
    Upper,
    /// A middle-tier city (large I, large II, medium).
    Middle,
    /// A small city.
    Small,
}

impl Role {
    /// `leading`, `upper`, `middle` or `small`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leading => "leading",
            Role::Upper => "upper",
            Role::Middle => "middle",
            Role::Small => "small",
        }
    }
}

/// The structure of one agglomeration.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterStructure {
    /// Members by decreasing size (ties by city index), with size and role.
    pub ranked: Vec<(CityIdx, f64, Role)>,
    /// The indicators.
    pub indicators: Indicators,
    /// The type.
    pub kind: StructureType,
    /// The rule that decided the type, with the values.
    pub reason: String,
}

impl ClusterStructure {
    /// Computes the structure of `ag` on `measure`.
    ///
    /// # Complexity
    /// O(m log m) for m members.
    pub fn of(
        net: &Network,
        tiers: &Tiers,
        ag: &Agglomeration,
        measure: Measure,
    ) -> ClusterStructure {
        let size = |c: CityIdx| match measure {
            Measure::Resident => net.city_population(c) as f64,
            Measure::Urban => tiers.of(c).urban_pop as f64,
        };
        // The member cities (at the county level: prefecture centres and
        // county-level cities, not districts or counties).
        let mut members: Vec<CityIdx> = ag
            .members
            .iter()
            .copied()
            .filter(|&c| net.is_city(c))
            .collect();
        members.sort_unstable();
        members.dedup();
        let mut ranked: Vec<(CityIdx, f64)> = members.iter().map(|&c| (c, size(c))).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let pairs: Vec<(f64, SizeClass)> = ranked
            .iter()
            .map(|&(c, s)| (s, tiers.of(c).class))
            .collect();
        let indicators = Indicators::of(&pairs);
        let (kind, reason) = indicators.structure_type();
        let first = ranked.first().map_or(0.0, |r| r.1);
        let ranked = ranked
            .iter()
            .enumerate()
            .map(|(i, &(c, s))| {
                let leading = match kind {
                    StructureType::Monocentric | StructureType::Gradient => i == 0,
                    StructureType::DualCore => i < 2,
                    StructureType::Polycentric => s * COMPARABLE > first,
                };
                let class = tiers.of(c).class;
                let role = if leading {
                    Role::Leading
                } else if class <= SizeClass::SuperLarge {
                    Role::Upper
                } else if class.is_middle() {
                    Role::Middle
                } else {
                    Role::Small
                };
                (c, s, role)
            })
            .collect();
        ClusterStructure {
            ranked,
            indicators,
            kind,
            reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SizeClass::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn zipf_fit_recovers_exact_power_laws() {
        // P_r = C · r^(-1/q) gives ln r = (ln C − ln P)·q exactly.
        for q in [0.6, 1.0, 1.7] {
            let sizes: Vec<f64> = (1..=9).map(|r| 8e6 * (r as f64).powf(-1.0 / q)).collect();
            let fit = zipf_fit(&sizes).unwrap();
            assert!(close(fit.exponent, q), "{q}: {fit:?}");
            assert!(close(fit.r2, 1.0));
            assert!(close(fit.intercept, q * 8e6f64.ln()));
        }
    }

    #[test]
    fn zipf_fit_matches_the_normal_equations() {
        // An independent fit: solve the 2x2 normal equations by Cramer's rule.
        let sizes: [f64; 6] = [9.0e6, 3.1e6, 2.9e6, 1.2e6, 0.8e6, 0.75e6];
        let pts: Vec<(f64, f64)> = sizes
            .iter()
            .enumerate()
            .map(|(i, s)| (s.ln(), ((i + 1) as f64).ln()))
            .collect();
        let n = pts.len() as f64;
        let (sx, sy) = (
            pts.iter().map(|p| p.0).sum::<f64>(),
            pts.iter().map(|p| p.1).sum::<f64>(),
        );
        let sxx: f64 = pts.iter().map(|p| p.0 * p.0).sum();
        let sxy: f64 = pts.iter().map(|p| p.0 * p.1).sum();
        let det = n * sxx - sx * sx;
        let slope = (n * sxy - sx * sy) / det;
        let a = (sy * sxx - sx * sxy) / det;
        let ss_res: f64 = pts.iter().map(|p| (p.1 - a - slope * p.0).powi(2)).sum();
        let ss_tot: f64 = pts.iter().map(|p| (p.1 - sy / n).powi(2)).sum();
        // Input order must not matter.
        let mut shuffled = sizes.to_vec();
        shuffled.reverse();
        let fit = zipf_fit(&shuffled).unwrap();
        assert!((fit.exponent + slope).abs() < 1e-9);
        assert!((fit.intercept - a).abs() < 1e-9);
        assert!((fit.r2 - (1.0 - ss_res / ss_tot)).abs() < 1e-9);
        assert!(zipf_fit(&[1.0]).is_none());
        assert!(zipf_fit(&[2.0, 2.0, 2.0]).is_none());
        assert!(zipf_fit(&[2.0, 0.0]).is_none());
    }

    #[test]
    fn gini_matches_the_pairwise_definition() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for n in 1..30 {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 40) as f64
                })
                .collect();
            let mean = v.iter().sum::<f64>() / n as f64;
            let pairs: f64 = v
                .iter()
                .flat_map(|a| v.iter().map(move |b| (a - b).abs()))
                .sum();
            let expected = pairs / (2.0 * (n * n) as f64 * mean);
            assert!((gini(&v) - expected).abs() < 1e-12, "n={n}");
        }
        assert_eq!(gini(&[5.0, 5.0, 5.0]), 0.0);
        assert_eq!(gini(&[]), 0.0);
        // One city holds everything among four: (n − 1) / n.
        assert!(close(gini(&[0.0, 0.0, 0.0, 7.0]), 0.75));
    }

    fn typed(m: &[(f64, SizeClass)]) -> StructureType {
        Indicators::of(m).structure_type().0
    }

    #[test]
    fn hand_made_clusters_get_their_types() {
        // A dominant core: 12 / (2 + 1.5 + 1) = 2.67.
        let mono = [
            (12.0e6, Megacity),
            (2.0e6, LargeII),
            (1.5e6, LargeII),
            (1.0e6, LargeII),
        ];
        let ind = Indicators::of(&mono);
        assert!(close(ind.primacy.unwrap(), 6.0));
        assert!(close(ind.four_city.unwrap(), 12.0 / 4.5));
        assert_eq!(typed(&mono), StructureType::Monocentric);
        // Two comparable leaders, a gap after them.
        let dumbbell = [
            (9.0e6, SuperLarge),
            (8.0e6, SuperLarge),
            (2.0e6, LargeII),
            (1.0e6, LargeII),
            (0.3e6, SmallI),
        ];
        assert_eq!(typed(&dumbbell), StructureType::DualCore);
        // Several comparable centres.
        let scattered = [
            (3.0e6, LargeI),
            (2.8e6, LargeII),
            (2.5e6, LargeII),
            (2.4e6, LargeII),
        ];
        assert_eq!(typed(&scattered), StructureType::Polycentric);
        // A Zipf hierarchy: P_r = 6e6 / r; primacy 2, four-city 0.92, middle share high.
        let zipf: Vec<(f64, SizeClass)> = (1..=8)
            .map(|r| {
                let p = 6.0e6 / r as f64;
                (p, SizeClass::of(p as u64))
            })
            .collect();
        let ind = Indicators::of(&zipf);
        assert!(close(ind.primacy.unwrap(), 2.0));
        assert!(close(ind.zipf.unwrap().exponent, 1.0));
        assert!(ind.middle_share >= MIDDLE_MIN);
        assert_eq!(typed(&zipf), StructureType::Gradient);
        // The same leader ahead, but small cities only below it.
        let weak_middle = [
            (4.0e6, SuperLarge),
            (2.0e6, SmallI),
            (1.9e6, SmallI),
            (1.8e6, SmallI),
            (1.7e6, SmallI),
        ];
        let (k, why) = Indicators::of(&weak_middle).structure_type();
        assert_eq!(k, StructureType::Monocentric, "{why}");
        assert!(why.contains("middle share"));
        // Two and one members.
        assert_eq!(
            typed(&[(5.0e6, SuperLarge), (4.0e6, LargeI)]),
            StructureType::DualCore
        );
        assert_eq!(
            typed(&[(5.0e6, SuperLarge), (2.0e6, LargeII)]),
            StructureType::Monocentric
        );
        assert_eq!(typed(&[(1.0, SmallII)]), StructureType::Monocentric);
    }
}
