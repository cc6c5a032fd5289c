//! City size classes (城市规模等级) under the 2014 State Council standard.
//!
//! The standard (国发〔2014〕51号) classes a city by the resident population
//! of its urban districts (城区常住人口, the census's `pop_chengqu`). The
//! embedded dataset takes that figure from the 2020 census county tabulation
//! for 347 of its 368 cities (data/README.md); for the others it is estimated
//! as `pop_2020 × r`, where `r` is the **lower quartile** of
//! `urban_pop_2020 / pop_2020` over the cities that have both figures (linear
//! interpolation between order statistics). The cities left without a figure
//! are mostly counties and rural prefectures whose seat is a county, less
//! urban than a typical city with one, so the lower quartile rather than the
//! median. When no city has a figure, `r = 1` (the resident population, an
//! upper bound). Every estimated class is flagged.
//!
//! The census's published lists of megacities and super-large cities cover
//! the mainland only: [`census_scope`] leaves out the special administrative
//! regions (level `sar`), which are classed like any other city.

use std::fmt;

use crate::model::CityIdx;
use crate::network::Network;

/// A size class of the 2014 standard, largest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SizeClass {
    /// 超大城市: 10 million or more.
    Megacity,
    /// 特大城市: 5 to 10 million.
    SuperLarge,
    /// Ⅰ型大城市: 3 to 5 million.
    LargeI,
    /// Ⅱ型大城市: 1 to 3 million.
    LargeII,
    /// 中等城市: 0.5 to 1 million.
    Medium,
    /// Ⅰ型小城市: 0.2 to 0.5 million.
    SmallI,
    /// Ⅱ型小城市: under 0.2 million.
    SmallII,
}

impl SizeClass {
    /// Every class, largest first.
    pub const ALL: [SizeClass; 7] = [
        SizeClass::Megacity,
        SizeClass::SuperLarge,
        SizeClass::LargeI,
        SizeClass::LargeII,
        SizeClass::Medium,
        SizeClass::SmallI,
        SizeClass::SmallII,
    ];

    /// The class of an urban-district population (lower bounds inclusive).
    pub fn of(urban_pop: u64) -> SizeClass {
        match urban_pop {
            10_000_000.. => SizeClass::Megacity,
            5_000_000.. => SizeClass::SuperLarge,
            3_000_000.. => SizeClass::LargeI,
            1_000_000.. => SizeClass::LargeII,
            500_000.. => SizeClass::Medium,
            200_000.. => SizeClass::SmallI,
            _ => SizeClass::SmallII,
        }
    }

    /// The smallest urban-district population of this class.
    pub fn floor(self) -> u64 {
        match self {
            SizeClass::Megacity => 10_000_000,
            SizeClass::SuperLarge => 5_000_000,
            SizeClass::LargeI => 3_000_000,
            SizeClass::LargeII => 1_000_000,
            SizeClass::Medium => 500_000,
            SizeClass::SmallI => 200_000,
            SizeClass::SmallII => 0,
        }
    }

    /// The name used in output: `megacity`, `super-large`, `large-I`,
    /// `large-II`, `medium`, `small-I`, `small-II`.
    pub fn as_str(self) -> &'static str {
        match self {
            SizeClass::Megacity => "megacity",
            SizeClass::SuperLarge => "super-large",
            SizeClass::LargeI => "large-I",
            SizeClass::LargeII => "large-II",
            SizeClass::Medium => "medium",
            SizeClass::SmallI => "small-I",
            SizeClass::SmallII => "small-II",
        }
    }

    /// The Chinese name of the class.
    pub fn name_zh(self) -> &'static str {
        match self {
            SizeClass::Megacity => "超大城市",
            SizeClass::SuperLarge => "特大城市",
            SizeClass::LargeI => "Ⅰ型大城市",
            SizeClass::LargeII => "Ⅱ型大城市",
            SizeClass::Medium => "中等城市",
            SizeClass::SmallI => "Ⅰ型小城市",
            SizeClass::SmallII => "Ⅱ型小城市",
        }
    }

    /// Whether the class is one of the middle tiers (large I, large II, medium).
    pub fn is_middle(self) -> bool {
        matches!(
            self,
            SizeClass::LargeI | SizeClass::LargeII | SizeClass::Medium
        )
    }
}

impl fmt::Display for SizeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule used to estimate missing urban-district populations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UrbanEstimate {
    /// Urban share applied to `pop_2020` where no figure is given.
    pub ratio: f64,
    /// How many cities with both figures the ratio was derived from (0: `ratio` is 1).
    pub basis: usize,
}

impl UrbanEstimate {
    /// Derives the ratio from the cities of `net` that have both figures.
    pub fn from_network(net: &Network) -> UrbanEstimate {
        let ratios: Vec<f64> = (0..net.cities().len() as CityIdx)
            .filter(|&i| net.is_city(i) && net.city_population(i) > 0)
            .filter_map(|i| {
                let pop = net.city_population(i) as f64;
                net.city(i).urban_pop_2020.map(|u| u as f64 / pop)
            })
            .collect();
        UrbanEstimate::from_ratios(ratios)
    }

    /// The lower quartile of `ratios` (each clamped to [0, 1]), or 1 if empty.
    pub fn from_ratios(mut ratios: Vec<f64>) -> UrbanEstimate {
        ratios.retain(|r| r.is_finite());
        if ratios.is_empty() {
            return UrbanEstimate {
                ratio: 1.0,
                basis: 0,
            };
        }
        for r in &mut ratios {
            *r = r.clamp(0.0, 1.0);
        }
        ratios.sort_by(f64::total_cmp);
        UrbanEstimate {
            ratio: quantile(&ratios, 0.25),
            basis: ratios.len(),
        }
    }

    /// The estimated urban-district population of a city of `pop_2020` residents.
    pub fn estimate(&self, pop_2020: u64) -> u64 {
        (pop_2020 as f64 * self.ratio).round() as u64
    }
}

/// Quantile `q` of sorted, non-empty `v` by linear interpolation between
/// order statistics (type 7 of Hyndman and Fan).
pub(crate) fn quantile(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

/// The cities the 2020 census lists cover: every city except the special
/// administrative regions (level `sar`), in city-index order.
pub fn census_scope(net: &Network) -> Vec<CityIdx> {
    (0..net.cities().len() as CityIdx)
        .filter(|&c| net.is_city(c) && net.city(c).level.as_deref() != Some("sar"))
        .collect()
}

/// A city's size class and the urban population it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CityClass {
    /// The city.
    pub city: CityIdx,
    /// Urban-district population, published or estimated.
    pub urban_pop: u64,
    /// Whether `urban_pop` is an estimate.
    pub estimated: bool,
    /// The class of `urban_pop`.
    pub class: SizeClass,
}

/// Every city's class, indexed by city.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiers {
    /// The estimation rule used.
    pub estimate: UrbanEstimate,
    /// One entry per city, in city-index order.
    pub cities: Vec<CityClass>,
}

impl Tiers {
    /// Classes every city of `net`.
    ///
    /// # Complexity
    /// O(n log n) for n cities (sorting the ratios).
    pub fn classify(net: &Network) -> Tiers {
        let estimate = UrbanEstimate::from_network(net);
        let cities = net
            .cities()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let (urban_pop, estimated) = match c.urban_pop_2020 {
                    Some(u) => (u, false),
                    None => (estimate.estimate(net.city_population(i as CityIdx)), true),
                };
                CityClass {
                    city: i as CityIdx,
                    urban_pop,
                    estimated,
                    class: SizeClass::of(urban_pop),
                }
            })
            .collect();
        Tiers { estimate, cities }
    }

    /// The class of one city.
    pub fn of(&self, c: CityIdx) -> &CityClass {
        &self.cities[c as usize]
    }

    /// Counts per class of `cities`: (class, published, estimated), largest class first.
    pub fn counts(&self, cities: &[CityIdx]) -> Vec<(SizeClass, usize, usize)> {
        SizeClass::ALL
            .iter()
            .map(|&k| {
                let of: Vec<&CityClass> = cities
                    .iter()
                    .map(|&c| self.of(c))
                    .filter(|cc| cc.class == k)
                    .collect();
                let est = of.iter().filter(|cc| cc.estimated).count();
                (k, of.len() - est, est)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_bounds_follow_the_standard() {
        let cases = [
            (10_000_000, SizeClass::Megacity),
            (9_999_999, SizeClass::SuperLarge),
            (5_000_000, SizeClass::SuperLarge),
            (4_999_999, SizeClass::LargeI),
            (3_000_000, SizeClass::LargeI),
            (2_999_999, SizeClass::LargeII),
            (1_000_000, SizeClass::LargeII),
            (999_999, SizeClass::Medium),
            (500_000, SizeClass::Medium),
            (499_999, SizeClass::SmallI),
            (200_000, SizeClass::SmallI),
            (199_999, SizeClass::SmallII),
            (0, SizeClass::SmallII),
        ];
        for (p, k) in cases {
            assert_eq!(SizeClass::of(p), k, "{p}");
            assert!(p >= k.floor());
        }
        // Floors are strictly decreasing and each floor is in its own class.
        for w in SizeClass::ALL.windows(2) {
            assert!(w[0].floor() > w[1].floor());
            assert_eq!(SizeClass::of(w[0].floor()), w[0]);
        }
    }

    #[test]
    fn census_scope_leaves_out_the_sars() {
        let cities = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min,level\n\
            a,A,甲,P,,114.0,22.6,100,,90,,,prefecture\n\
            hk,HK,港,H,,114.2,22.3,50,,50,,,sar\n\
            c,C,丙,P,,113.0,22.6,30,,,,,\n";
        let links = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n";
        let data = crate::io::read_csv_network(("c.csv", cities), ("l.csv", links), None);
        assert!(data.issues.is_empty(), "{:?}", data.issues);
        let (net, _) = Network::from_data(data).unwrap();
        let names: Vec<&str> = census_scope(&net)
            .iter()
            .map(|&c| net.city(c).id.as_str())
            .collect();
        assert_eq!(names, ["a", "c"]);
    }

    #[test]
    fn lower_quartile_interpolates() {
        // Sorted 0.1, 0.2, 0.3, 0.4, 0.5: position 0.25 * 4 = 1 -> 0.2.
        let e = UrbanEstimate::from_ratios(vec![0.5, 0.1, 0.4, 0.2, 0.3]);
        assert!((e.ratio - 0.2).abs() < 1e-12);
        assert_eq!(e.basis, 5);
        // Four values: position 0.75 -> 0.1 + 0.75 * 0.1.
        let e = UrbanEstimate::from_ratios(vec![0.1, 0.2, 0.3, 0.4]);
        assert!((e.ratio - 0.175).abs() < 1e-12);
        assert_eq!(e.estimate(1_000_000), 175_000);
        // Nothing to learn from: the resident population is used.
        let e = UrbanEstimate::from_ratios(vec![]);
        assert_eq!((e.ratio, e.basis), (1.0, 0));
        // Ratios above one (bad data) are clamped.
        let e = UrbanEstimate::from_ratios(vec![1.7]);
        assert_eq!(e.ratio, 1.0);
    }
}
