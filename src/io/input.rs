use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::limits::MAX_STREAM_BYTES;
use super::{NetworkData, read_csv_counties, read_csv_network, read_geojson_network};
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
    /// `data/counties.csv`: the county-level units.
    pub const COUNTIES: &str = include_str!("../../data/counties.csv");
    /// `data/county_links.csv`: road links between neighbouring units, between
    /// close units that are not neighbours (through links), and to their
    /// prefecture centres, and rail links at county stations.
    pub const COUNTY_LINKS: &str = include_str!("../../data/county_links.csv");
    /// `data/agglomeration_counties.csv`: the county units of partial members.
    pub const AGGLOMERATION_COUNTIES: &str = include_str!("../../data/agglomeration_counties.csv");
}

/// The level of detail of a network's units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// One node per city (prefecture-level cities in the shipped data).
    #[default]
    Prefecture,
    /// County-level units as well: districts, county-level cities and
    /// counties become the units, and each prefecture's node its centre.
    County,
}

impl Level {
    /// `prefecture` or `county`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Prefecture => "prefecture",
            Level::County => "county",
        }
    }
}

/// Where the county units of a county-level network come from.
#[derive(Debug, Clone, PartialEq)]
pub enum CountySource {
    /// `data/counties.csv` and `data/county_links.csv`, embedded.
    Embedded,
    /// A `counties.csv` and, optionally, a `county_links.csv` and an
    /// `agglomeration_counties.csv`.
    Files {
        /// The county units.
        counties: PathBuf,
        /// Links naming county units (the columns of `links.csv`).
        links: Option<PathBuf>,
        /// County lists of partial members of agglomerations.
        agglomeration_counties: Option<PathBuf>,
    },
}

impl CountySource {
    /// The county units alone (`counties.csv`, no links), checked as a
    /// reader checks them: for layers drawn without a county-level network.
    pub fn units(&self) -> Result<Vec<crate::model::City>, LoadError> {
        let mut data = NetworkData::default();
        match self {
            CountySource::Embedded => read_csv_counties(
                &mut data,
                ("<embedded>/counties.csv", embedded::COUNTIES),
                None,
                None,
            ),
            CountySource::Files { counties, .. } => {
                let c = read(counties)?;
                read_csv_counties(&mut data, (&counties.display().to_string(), &c), None, None);
            }
        }
        let issues = crate::error::Issues(data.issues);
        if issues.error_count() > 0 {
            return Err(LoadError::Invalid { issues });
        }
        Ok(data.cities)
    }

    /// Adds the county units and their links to `data`.
    pub fn read_into(&self, data: &mut NetworkData) -> Result<(), LoadError> {
        match self {
            CountySource::Embedded => read_csv_counties(
                data,
                ("<embedded>/counties.csv", embedded::COUNTIES),
                Some(("<embedded>/county_links.csv", embedded::COUNTY_LINKS)),
                Some((
                    "<embedded>/agglomeration_counties.csv",
                    embedded::AGGLOMERATION_COUNTIES,
                )),
            ),
            CountySource::Files {
                counties,
                links,
                agglomeration_counties,
            } => {
                let c = read(counties)?;
                let l = links.as_deref().map(read).transpose()?;
                let a = agglomeration_counties.as_deref().map(read).transpose()?;
                let name = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
                let (ln, an) = (name(links), name(agglomeration_counties));
                read_csv_counties(
                    data,
                    (&counties.display().to_string(), &c),
                    ln.as_deref().zip(l.as_deref()),
                    an.as_deref().zip(a.as_deref()),
                );
            }
        }
        Ok(())
    }
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
    read_text(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })
}

/// A reader that fails once more than `left` bytes have been read.
struct Capped<R> {
    inner: R,
    left: u64,
    limit: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // At the cap: the input is too long if anything follows.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "more than {} MiB from a file that is not a regular file",
                        self.limit >> 20
                    ),
                )),
            };
        }
        let want = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let got = self.inner.read(&mut buf[..want])?;
        self.left -= got as u64;
        Ok(got)
    }
}

/// Opens an input file for reading. A regular file is read whatever its
/// size; anything else (a FIFO, a device such as `/dev/zero`) fails once it
/// has given [`MAX_STREAM_BYTES`], so that an endless stream cannot grow
/// memory without limit.
pub fn open_input(path: &Path) -> io::Result<Box<dyn Read>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is a folder, not a file",
        ));
    }
    if meta.is_file() {
        return Ok(Box::new(file));
    }
    Ok(Box::new(Capped {
        inner: file,
        left: MAX_STREAM_BYTES,
        limit: MAX_STREAM_BYTES,
    }))
}

/// Reads a whole text file through [`open_input`]. Invalid UTF-8 is an
/// error naming the line and column (1-based, in bytes) where it starts.
pub fn read_text(path: &Path) -> io::Result<String> {
    let mut bytes = Vec::new();
    open_input(path)?.read_to_end(&mut bytes)?;
    utf8_text(bytes)
}

/// The text of `bytes`, or an error naming the line and column of the first
/// byte that is not UTF-8.
pub(crate) fn utf8_text(bytes: Vec<u8>) -> io::Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "line {line}, column {}: not valid UTF-8 (byte 0x{:02x})",
                at - start + 1,
                bytes[at]
            ),
        )
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

    /// The county units that go with this input by default: the embedded
    /// ones for the embedded dataset, `counties.csv` (and `county_links.csv`
    /// if present) in a `--data` folder; none for other inputs.
    pub fn default_counties(&self) -> Option<CountySource> {
        match self {
            Input::Embedded => Some(CountySource::Embedded),
            Input::Dir(dir) => {
                let c = dir.join("counties.csv");
                let l = dir.join("county_links.csv");
                let a = dir.join("agglomeration_counties.csv");
                c.exists().then(|| CountySource::Files {
                    counties: c,
                    links: l.exists().then_some(l),
                    agglomeration_counties: a.exists().then_some(a),
                })
            }
            _ => None,
        }
    }

    /// Reads the input with `counties` added (a county-level network), or
    /// without (prefecture level), then checks and builds it.
    pub fn load_with(
        &self,
        counties: Option<&CountySource>,
    ) -> Result<(Network, Issues), LoadError> {
        let mut data = self.read()?;
        if let Some(src) = counties {
            src.read_into(&mut data)?;
        }
        Network::from_data(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_its_line_and_column() {
        let e = utf8_text(b"id,name\nab,c\xffd\n".to_vec()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2, column 5: not valid UTF-8 (byte 0xff)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_cut_off() {
        let e = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("more than 256 MiB"), "{e}");
    }
}
