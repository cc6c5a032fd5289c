//! Readers and writers: CSV and GeoJSON networks, atomic output files.

mod atomic;
mod csv_in;
mod csv_out;
mod fields;
mod geojson_io;
mod input;
mod records;

pub use atomic::write_atomic;
pub use csv_in::{AGGLOMERATION_COLUMNS, CITY_COLUMNS, LINK_COLUMNS, read_csv_network};
pub use csv_out::{agglomerations_csv, cities_csv, links_csv};
pub use geojson_io::{network_to_geojson, read_geojson_network, round_multipolygon, round6};
pub use input::{Input, embedded};
pub use records::{AggRecord, LinkRecord, NetworkData};
