//! Readers and writers: CSV and GeoJSON networks, atomic output files, and
//! QGIS-ready layers (GeoJSON, GeoPackage, `.qml` styles).

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
mod qgis;
mod qml;
mod records;

pub use atomic::write_atomic;
pub use csv_in::{AGGLOMERATION_COLUMNS, CITY_COLUMNS, LINK_COLUMNS, read_csv_network};
pub use csv_out::{agglomerations_csv, cities_csv, links_csv};
pub use geojson_io::{network_to_geojson, read_geojson_network, round_multipolygon, round6};
pub use gpkg::{GPKG_APPLICATION_ID, GPKG_USER_VERSION, gpkg_geometry_blob, write_gpkg};
pub use gpkg_rtree::{RTREE_EXTENSION, rtree_table};
pub use input::{Input, embedded, open_input, read_text};
pub use layer::{FieldType, GeometryType, Layer, LayerError, LayerFeature, Value};
pub use layer_geojson::{layer_to_geojson, write_layer_geojson};
pub use qgis::{
    QgisFormat, StyledLayer, centrality_layer, circles_layer, cities_layer, links_layer, renamed,
    scenario_cities_layer, scenario_links_layer, write_qgis_folder,
};
pub(crate) use qml::esc as xml_escape;
pub use qml::{Style, budget_colour, mode_colour, qml, status_colour};
pub(crate) use records::is_valid_id;
pub use records::{AggRecord, LinkRecord, NetworkData};
