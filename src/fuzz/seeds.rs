//! Seeds of the fuzz targets: the real fixtures, read from the repository.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{Bundle, Target};
use crate::io::Input;
use crate::road::DimacsOptions;

impl Target {
    /// The seeds of this target, read from the repository at `root`: the
    /// small test network and the shipped dataset, the shipped scenarios
    /// (alone and chained, plus a chain deeper than the limit and a cycle),
    /// and small road networks in each format.
    pub fn seeds(self, root: &Path) -> std::io::Result<Vec<Bundle>> {
        let read = |p: &str| std::fs::read(root.join(p));
        let network = |dir: &str| -> std::io::Result<Bundle> {
            Ok(Bundle::new(vec![
                ("cities.csv", read(&format!("{dir}/cities.csv"))?),
                ("links.csv", read(&format!("{dir}/links.csv"))?),
                (
                    "agglomerations.csv",
                    read(&format!("{dir}/agglomerations.csv"))?,
                ),
            ]))
        };
        Ok(match self {
            Target::CitiesCsv | Target::LinksCsv | Target::AgglomerationsCsv => {
                vec![network("tests/fixtures/small")?, network("data")?]
            }
            Target::NetworkGeoJson => {
                let mut out = Vec::new();
                for dir in ["tests/fixtures/small", "data"] {
                    let net = Input::Dir(root.join(dir))
                        .load()
                        .map_err(std::io::Error::other)?
                        .0;
                    let text = crate::io::network_to_geojson(&net).to_string();
                    out.push(Bundle::new(vec![("network.geojson", text.into_bytes())]));
                }
                out
            }
            Target::ScenarioToml => {
                let mut files = Vec::new();
                let mut dir: Vec<PathBuf> = std::fs::read_dir(root.join("data/scenarios"))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                    .collect();
                dir.sort();
                for p in &dir {
                    files.push(std::fs::read(p)?);
                }
                let mut out: Vec<Bundle> = files
                    .iter()
                    .map(|f| Bundle::new(vec![("a.toml", f.clone())]))
                    .collect();
                // A chain a -> b -> c of the shipped scenarios' edits.
                let with_base = |text: &[u8], base: &str| -> Vec<u8> {
                    let t = String::from_utf8_lossy(text);
                    format!("base = \"{base}\"\n{t}").into_bytes()
                };
                // Chained from the files that apply to the prefecture network:
                // a county-level scenario names units by a quoted 6-digit id.
                let names_unit = |t: &[u8]| {
                    t.windows(8).any(|w| {
                        w[0] == b'"' && w[7] == b'"' && w[1..7].iter().all(u8::is_ascii_digit)
                    })
                };
                let city_level: Vec<&Vec<u8>> = files.iter().filter(|f| !names_unit(f)).collect();
                if city_level.len() >= 3 {
                    out.push(Bundle::new(vec![
                        ("a.toml", with_base(city_level[0], "b.toml")),
                        ("b.toml", with_base(city_level[1], "c.toml")),
                        ("c.toml", city_level[2].clone()),
                    ]));
                }
                // A chain deeper than the limit, and a cycle.
                let deep: Vec<(String, Vec<u8>)> = (0..crate::io::limits::MAX_BASE_DEPTH + 2)
                    .map(|i| {
                        (
                            format!("s{i}.toml"),
                            format!("name = \"s{i}\"\nbase = \"s{}.toml\"\n", i + 1).into_bytes(),
                        )
                    })
                    .collect();
                let mut deep_bundle = Bundle {
                    files: vec![(
                        "a.toml".into(),
                        b"name = \"a\"\nbase = \"s0.toml\"\n".to_vec(),
                    )],
                };
                deep_bundle.files.extend(deep);
                out.push(deep_bundle);
                out.push(Bundle::new(vec![
                    ("a.toml", b"name = \"a\"\nbase = \"b.toml\"\n".to_vec()),
                    ("b.toml", b"name = \"b\"\nbase = \"a.toml\"\n".to_vec()),
                ]));
                out
            }
            Target::CountiesCsv | Target::CountyLinksCsv => {
                vec![small_counties(), sichuan_counties(root)?]
            }
            Target::DimacsGr | Target::DimacsCo => {
                let (gr, co) =
                    crate::road::write_dimacs(small_road(), DimacsOptions::default(), "seed");
                vec![Bundle::new(vec![
                    ("g.gr", gr.into_bytes()),
                    ("g.co", co.into_bytes()),
                ])]
            }
            Target::RoadCsv => {
                let g = small_road();
                let mut nodes = String::from("id,lon,lat\n");
                let mut edges = String::from("from,to,minutes,km,speed_kmh,oneway\n");
                for v in 0..g.node_count() as u32 {
                    nodes.push_str(&format!("n{v},{},{}\n", g.lon(v), g.lat(v)));
                    for (h, w) in g.graph().out(v) {
                        if h > v {
                            let km = w / 60.0 * 40.0;
                            if v % 2 == 0 {
                                edges.push_str(&format!("n{v},n{h},{w},,,\n"));
                            } else {
                                edges.push_str(&format!("n{v},n{h},,{km},40,no\n"));
                            }
                        }
                    }
                }
                vec![Bundle::new(vec![
                    ("nodes.csv", nodes.into_bytes()),
                    ("edges.csv", edges.into_bytes()),
                ])]
            }
            Target::RoadGeoJson => {
                let g = small_road();
                let mut feats = Vec::new();
                for v in 0..g.node_count() as u32 {
                    for (h, w) in g.graph().out(v) {
                        if h > v {
                            let props = match v % 3 {
                                0 => format!("{{\"minutes\": {w}}}"),
                                1 => "{\"maxspeed\": \"50 km/h\", \"oneway\": \"yes\"}".into(),
                                _ => "{\"highway\": \"primary\"}".into(),
                            };
                            feats.push(format!(
                                "{{\"type\":\"Feature\",\"properties\":{props},\"geometry\":{{\"type\":\"LineString\",\"coordinates\":[[{},{}],[{},{}]]}}}}",
                                g.lon(v),
                                g.lat(v),
                                g.lon(h),
                                g.lat(h)
                            ));
                        }
                    }
                }
                let text = format!(
                    "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
                    feats.join(",\n")
                );
                vec![Bundle::new(vec![("roads.geojson", text.into_bytes())])]
            }
        })
    }
}

/// A small connected road graph near Beijing, the seed of the road targets.
fn small_road() -> &'static crate::road::RoadGraph {
    static G: OnceLock<crate::road::RoadGraph> = OnceLock::new();
    G.get_or_init(|| {
        let geo = crate::generate::random_geometric_points(
            40,
            crate::generate::radius_for_degree(40, 4.0),
            5,
        )
        .largest_component();
        let lon = geo.points.iter().map(|p| 116.0 + p.0 * 0.1).collect();
        let lat = geo.points.iter().map(|p| 39.5 + p.1 * 0.1).collect();
        let arcs: Vec<(u32, u32, f64)> = geo
            .edges
            .iter()
            .map(|&(a, b, d)| (a, b, (d * 600.0).round().max(1.0) / 60.0))
            .collect();
        crate::road::RoadGraph::new(lon, lat, &arcs, true, None).expect("a valid generated graph")
    })
}

/// A network of two cities and three county units, with an agglomeration
/// and its county list: the small seed of the county targets.
fn small_counties() -> Bundle {
    Bundle::new(vec![
        (
            "cities.csv",
            b"id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
              a,A,\xe7\x94\xb2,P,,104.0,30.6,100,90,,,\n\
              b,B,\xe4\xb9\x99,P,,104.5,30.6,50,,,,\n"
                .to_vec(),
        ),
        (
            "links.csv",
            b"from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
              a,b,expressway,40,50,,,,,\n"
                .to_vec(),
        ),
        (
            "agglomerations.csv",
            b"id,name,name_zh,kind,cores,members\nab,AB,AB,metro-area,a,a;b\n".to_vec(),
        ),
        (
            "counties.csv",
            b"id,kind,prefecture,pop_2020,lon,lat,area_km2\n\
              100001,district,a,60,104.01,30.61,100\n\
              100002,county,a,40,104.1,30.7,900\n\
              100003,county,b,50,104.5,30.65,800\n"
                .to_vec(),
        ),
        (
            "county_links.csv",
            b"from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
              100001,a,road,3,2,,,,,\n\
              100001,100002,road,15,14,,,,,\n\
              100002,100003,road,35,40,,,,,\n\
              100003,b,road,5,4,,,,,\n"
                .to_vec(),
        ),
        (
            "agglomeration_counties.csv",
            b"agglomeration,prefecture,counties,source\n".to_vec(),
        ),
    ])
}

/// The shipped data of Sichuan: its cities and the links among them, their
/// county units and the county links among those (no agglomerations).
fn sichuan_counties(root: &Path) -> std::io::Result<Bundle> {
    let read = |name: &str| std::fs::read(root.join("data").join(name));
    // Rows of a CSV file whose `keep` holds, the header first.
    fn filter(
        bytes: &[u8],
        mut keep: impl FnMut(&csv::StringRecord, &csv::StringRecord) -> bool,
    ) -> std::io::Result<Vec<u8>> {
        let mut r = csv::Reader::from_reader(bytes);
        let h = r.headers().map_err(std::io::Error::other)?.clone();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&h).map_err(std::io::Error::other)?;
        for rec in r.records() {
            let rec = rec.map_err(std::io::Error::other)?;
            if keep(&h, &rec) {
                w.write_record(&rec).map_err(std::io::Error::other)?;
            }
        }
        w.into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))
    }
    fn get<'r>(h: &csv::StringRecord, r: &'r csv::StringRecord, col: &str) -> &'r str {
        h.iter()
            .position(|c| c == col)
            .and_then(|i| r.get(i))
            .unwrap_or("")
    }
    let mut ids = std::collections::HashSet::new();
    let cities = filter(&read("cities.csv")?, |h, r| {
        let keep = get(h, r, "province") == "Sichuan";
        if keep {
            ids.insert(get(h, r, "id").to_owned());
        }
        keep
    })?;
    let links = filter(&read("links.csv")?, |h, r| {
        ids.contains(get(h, r, "from")) && ids.contains(get(h, r, "to"))
    })?;
    let counties = filter(&read("counties.csv")?, |h, r| {
        let keep = ids.contains(get(h, r, "prefecture"));
        if keep {
            ids.insert(get(h, r, "id").to_owned());
        }
        keep
    })?;
    let county_links = filter(&read("county_links.csv")?, |h, r| {
        ids.contains(get(h, r, "from")) && ids.contains(get(h, r, "to"))
    })?;
    Ok(Bundle::new(vec![
        ("cities.csv", cities),
        ("links.csv", links),
        ("counties.csv", counties),
        ("county_links.csv", county_links),
    ]))
}
