use std::path::{Path, PathBuf};

use super::{NetworkData, read_csv_network, read_geojson_network};
use crate::error::{Issues, LoadError};
use crate::network::Network;

/// The shipped dataset, embedded at compile time.
pub mod embedded {
    /// `data/cities.csv`.
    pub const CITIES: &str = include_str!("../../data/cities.csv");
    /// `data/links.csv`.
    pub const LINKS: &str = include_str!("../../data/links.csv");
    /// `data/agglomerations.csv`.
    pub const AGGLOMERATIONS: &str = include_str!("../../data/agglomerations.csv");
}

/// Where a network comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The dataset embedded in the binary.
    Embedded,
    /// A folder with `cities.csv`, `links.csv` and optionally `agglomerations.csv`.
    Dir(PathBuf),
    /// Explicit CSV files.
    Files {
        /// `cities.csv`.
        cities: PathBuf,
        /// `links.csv`.
        links: PathBuf,
        /// `agglomerations.csv`, optional.
        agglomerations: Option<PathBuf>,
    },
    /// One GeoJSON FeatureCollection.
    GeoJson(PathBuf),
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })
}

impl Input {
    /// Reads and parses the input without cross-checking it.
    pub fn read(&self) -> Result<NetworkData, LoadError> {
        Ok(match self {
            Input::Embedded => read_csv_network(
                ("<embedded>/cities.csv", embedded::CITIES),
                ("<embedded>/links.csv", embedded::LINKS),
                Some(("<embedded>/agglomerations.csv", embedded::AGGLOMERATIONS)),
            ),
            Input::Dir(dir) => {
                let agg = dir.join("agglomerations.csv");
                let files = Input::Files {
                    cities: dir.join("cities.csv"),
                    links: dir.join("links.csv"),
                    agglomerations: agg.exists().then_some(agg),
                };
                return files.read();
            }
            Input::Files {
                cities,
                links,
                agglomerations,
            } => {
                let c = read(cities)?;
                let l = read(links)?;
                let a = agglomerations.as_deref().map(read).transpose()?;
                let (cn, ln) = (cities.display().to_string(), links.display().to_string());
                let an = agglomerations.as_ref().map(|p| p.display().to_string());
                read_csv_network((&cn, &c), (&ln, &l), an.as_deref().zip(a.as_deref()))
            }
            Input::GeoJson(path) => read_geojson_network(&path.display().to_string(), &read(path)?),
        })
    }

    /// Reads, checks and builds the network; warnings come back beside it.
    pub fn load(&self) -> Result<(Network, Issues), LoadError> {
        Network::from_data(self.read()?)
    }
}
