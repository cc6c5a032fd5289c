//! Readers and writers: CSV and GeoJSON networks, output files (one rule
//! for every destination, see [`write_atomic`]; several files as a whole,
//! see [`FolderSet`]), and QGIS-ready layers (GeoJSON, GeoPackage, `.qml`
//! styles).

mod atomic;
mod csv_in;
mod csv_out;
mod fields;
mod geojson_io;
mod gpkg;
mod gpkg_rtree;
mod input;
mod layer;
mod layer_geojson;
pub mod limits;
mod output_set;
mod qgis;
mod qml;
mod records;
mod units_layer;

pub use atomic::{TMP_PREFIX, write_atomic};
pub use csv_in::{
    AGGLOMERATION_COLUMNS, CITY_COLUMNS, COUNTY_COLUMNS, LINK_COLUMNS, read_csv_counties,
    read_csv_network,
};
pub use csv_out::{agglomerations_csv, cities_csv, links_csv};
pub use geojson_io::{network_to_geojson, read_geojson_network, round_multipolygon, round6};
pub use gpkg::{
    GPKG_APPLICATION_ID, GPKG_USER_VERSION, gpkg_bytes, gpkg_geometry_blob, write_gpkg,
};
pub use gpkg_rtree::{RTREE_EXTENSION, rtree_table};
pub use input::{CountySource, Input, Level, embedded, open_input, read_text};
pub use layer::{FieldType, GeometryType, Layer, LayerError, LayerFeature, Value};
pub use layer_geojson::{layer_to_geojson, write_layer_geojson};
pub use output_set::{FolderSet, Ownership, Replace, write_file_set};
pub use qgis::{
    QGIS_FOLDER, QgisFormat, StyledLayer, centrality_layer, circle_units_layer, circles_layer,
    cities_layer, links_layer, renamed, scenario_cities_layer, scenario_links_layer,
    write_qgis_folder,
};
pub(crate) use qml::esc as xml_escape;
pub use qml::{Style, budget_colour, mode_colour, qml, status_colour};
pub(crate) use records::is_valid_id;
pub use records::{AggRecord, CountyList, LinkRecord, NetworkData};
pub use units_layer::{UnitColumn, counties_layer};
