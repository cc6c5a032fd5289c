//! The county level: county units as nodes of the same network, circles
//! counted on units from the centre or from the urban districts, and the
//! loader's errors on bad county files.

mod common;

use std::collections::BTreeSet;

use agglo::algorithms::{
    CircleOptions, CircleOrigin, Direction, Engine, TimeModel, commuting_circles, origins_of,
};
use agglo::io::{CountySource, Input};
use agglo::{Network, UnitKind};
use common::{network_dir, ok, run, stderr};

fn county_net() -> Network {
    Input::Embedded
        .load_with(Some(&CountySource::Embedded))
        .unwrap()
        .0
}

#[test]
fn county_units_join_the_network_and_carry_the_population() {
    let net = county_net();
    let prefecture = Input::Embedded.load().unwrap().0;
    let count = |k: UnitKind| net.cities().iter().filter(|c| c.kind == k).count();
    assert_eq!(count(UnitKind::County), 2989);
    // Every prefecture node with county units became a centre, and so did
    // Changbaishan, whose people Baishan's and Yanbian's units count
    // (`counted_in`); the rest (Hong Kong, Macao) stay cities and are units.
    assert_eq!(
        count(UnitKind::Centre) + count(UnitKind::City),
        prefecture.cities().len()
    );
    for c in net.cities().iter().filter(|c| c.kind == UnitKind::Centre) {
        assert_eq!(c.pop_2020, 0, "{}: a centre counts no people", c.id);
    }
    // The people are the same at both levels: Changbaishan's 61,146 are
    // counted once, in the county units of Baishan and Yanbian.
    let total = |n: &Network| n.units().map(|u| n.city(u).pop_2020).sum::<u64>();
    let changbaishan = net.city(net.city_by_id("changbaishan").unwrap());
    assert_eq!(changbaishan.kind, UnitKind::Centre);
    assert_eq!(changbaishan.pop_2020, 0);
    assert_eq!(total(&net), total(&prefecture));
    assert_eq!(total(&net), 1_409_778_724 + 7_474_200 + 683_200);
    // Every county unit hangs under its prefecture, and an agglomeration's
    // members include the units of its member cities.
    let chengdu = net.city_by_id("chengdu").unwrap();
    assert!(net.counties_of(chengdu).len() >= 20);
    for &u in net.counties_of(chengdu) {
        assert_eq!(net.prefecture_of(u), chengdu);
    }
    let metro = net.find_agglomeration("chengdu-metro").unwrap();
    for &u in net.counties_of(chengdu) {
        assert!(metro.members.contains(&u));
    }
}

#[test]
fn every_unit_is_reachable_from_the_capital() {
    let net = county_net();
    let engine = Engine::new(&net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    let beijing = net.city_by_id("beijing").unwrap();
    engine.search(&mut ws, &[beijing], Direction::Out, f64::INFINITY);
    let unreached: Vec<&str> = net
        .units()
        .filter(|&u| !engine.time_to(&ws, u).is_finite())
        .map(|u| net.city(u).id.as_str())
        .collect();
    assert!(unreached.is_empty(), "unreached units: {unreached:?}");
}

#[test]
fn urban_districts_follow_the_rule() {
    let net = county_net();
    let ids = |city: &str| -> BTreeSet<String> {
        let c = net.city_by_id(city).unwrap();
        net.urban_districts(c)
            .into_iter()
            .map(|u| net.city(u).id.clone())
            .collect()
    };
    // Beijing's six central districts (城六区).
    let beijing: BTreeSet<String> = ["110101", "110102", "110105", "110106", "110107", "110108"]
        .map(String::from)
        .into();
    assert_eq!(ids("beijing"), beijing);
    // Chengdu's five central districts and Longquanyi.
    let chengdu: BTreeSet<String> = ["510104", "510105", "510106", "510107", "510108", "510112"]
        .map(String::from)
        .into();
    assert_eq!(ids("chengdu"), chengdu);
    // A city without county units starts from its own node.
    let hk = net.city_by_id("hong-kong").unwrap();
    assert!(net.urban_districts(hk).is_empty());
    assert_eq!(origins_of(&net, &[hk], CircleOrigin::Districts), vec![hk]);
}

/// The number of cores whose 60-minute circle from their urban districts
/// still holds only their own units: Dalian and Zhanjiang, whose nearest unit
/// of another city is more than an hour away by road, and for Zhanjiang also by
/// the Guangzhou–Zhanjiang HSR (Xiashan–Dianbai 76 minutes door to door; README,
/// county-level limitations). The goal is none; this bound may only fall.
const CORES_ALONE_AT_MOST: usize = 2;

#[test]
fn circles_count_units_only_and_rarely_hold_the_core_alone_from_its_districts() {
    let net = county_net();
    let engine = Engine::new(&net, TimeModel::default(), None);
    let aggs: Vec<&agglo::Agglomeration> = net.agglomerations().iter().collect();
    for origin in [CircleOrigin::Centre, CircleOrigin::Districts] {
        let circles = commuting_circles(
            &net,
            &engine,
            Direction::Out,
            &aggs,
            &[30.0, 60.0, 90.0],
            false,
            CircleOptions {
                origin,
                ..CircleOptions::default()
            },
        );
        let mut alone = BTreeSet::new();
        for c in &circles {
            assert!(c.cities.iter().all(|&(u, _)| net.is_unit(u)));
            let pop: u64 = c.cities.iter().map(|&(u, _)| net.city(u).pop_2020).sum();
            assert_eq!(pop, c.population);
            assert!(
                !c.cities.is_empty(),
                "{} {}: empty",
                c.agglomeration,
                c.minutes
            );
            if origin == CircleOrigin::Districts {
                // The districts themselves are inside at every budget.
                for &o in &c.origins {
                    assert!(c.cities.iter().any(|&(u, m)| u == o && m == 0.0));
                }
            }
            if origin == CircleOrigin::Districts && c.minutes == 60.0 {
                let core = c.cores[0];
                if c.cities.iter().all(|&(u, _)| net.prefecture_of(u) == core) {
                    alone.insert(net.city(core).id.clone());
                }
            }
        }
        assert!(
            alone.len() <= CORES_ALONE_AT_MOST,
            "{} cores hold only their own units at 60 minutes: {alone:?}",
            alone.len()
        );
        if origin == CircleOrigin::Districts {
            // The big six reach beyond their own city within the hour.
            for core in [
                "beijing",
                "shanghai",
                "guangzhou",
                "shenzhen",
                "chengdu",
                "chongqing",
            ] {
                assert!(!alone.contains(core), "{core} holds only its own units");
            }
        }
    }
}

#[test]
fn level_county_from_the_cli() {
    let out = ok(&["--level", "county", "info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["level"], "county");
    assert_eq!(v["county_units"], 2989);
    // Options work after the subcommand too.
    let out = ok(&[
        "circles",
        "--agglomeration",
        "chengdu-metro",
        "--level",
        "county",
        "--origin",
        "districts",
        "--format",
        "csv",
    ]);
    let row = out.lines().nth(1).unwrap();
    assert!(row.starts_with("chengdu-metro,chengdu,60,"), "{row}");
    // A county id is a place name like any other.
    let out = ok(&[
        "--level", "county", "route", "--from", "510104", "--to", "chengdu",
    ]);
    assert!(out.contains("total"));
}

const CITIES: &str = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
    a,A,甲,P,,104.0,30.6,100,90,,,\n\
    b,B,乙,P,,104.5,30.6,50,,,,\n";
const LINKS: &str = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
    a,b,expressway,40,50,,,,,\n";

#[test]
fn a_folder_with_counties_loads_at_county_level() {
    let d = network_dir(CITIES, LINKS, None);
    std::fs::write(
        d.path().join("counties.csv"),
        "id,kind,prefecture,pop_2020,lon,lat,area_km2\n\
         100001,district,a,60,104.01,30.61,100\n\
         100002,county,a,40,104.1,30.7,900\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("county_links.csv"),
        "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
         100001,a,road,3,2,,,,,\n\
         100001,100002,road,15,14,,,,,\n",
    )
    .unwrap();
    let dir = d.path().to_str().unwrap();
    let out = ok(&[
        "--data", dir, "--level", "county", "info", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["units"], 3, "{out}");
    assert_eq!(v["population_2020"], 150);
    // The same folder at the prefecture level ignores the county files.
    let out = ok(&["--data", dir, "info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cities"], 2);
}

/// A city whose people other cities' units count (`counted_in`) counts none
/// at the county level, and must name cities with county units.
#[test]
fn a_city_counted_in_other_units_is_counted_once() {
    let cities = "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min,counted_in\n\
        a,A,甲,P,,104.0,30.6,90,,,,,\n\
        b,B,乙,P,,105.0,31.0,50,,,,,\n\
        x,X,丙,P,,104.2,30.8,10,,,,,a\n";
    let links = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
        a,b,expressway,80,110,,,,,\n\
        a,x,road,30,30,,,,,\n";
    let d = network_dir(cities, links, None);
    // a's units hold 100 people: a's 90 and x's 10.
    std::fs::write(
        d.path().join("counties.csv"),
        "id,kind,prefecture,pop_2020,lon,lat\n100001,district,a,60,104.01,30.61\n100002,county,a,40,104.1,30.7\n",
    )
    .unwrap();
    let dir = d.path().to_str().unwrap();
    let info = |level: &str| -> serde_json::Value {
        serde_json::from_str(&ok(&[
            "--data", dir, "--level", level, "info", "--format", "json",
        ]))
        .unwrap()
    };
    assert_eq!(info("prefecture")["population_2020"], 150);
    assert_eq!(info("county")["population_2020"], 150);
    assert_eq!(info("county")["units"], 3);
    // It must name a city with county units.
    std::fs::write(
        d.path().join("cities.csv"),
        cities.replace(",,a\n", ",,b\n"),
    )
    .unwrap();
    let o = run(&["--data", dir, "--level", "county", "validate"]);
    assert!(!o.status.success());
    let text = common::stdout(&o) + &stderr(&o);
    assert!(
        text.contains("cities.csv:4: field `counted_in`: `b` is not a city with county units"),
        "{text}"
    );
}

#[test]
fn bad_county_files_are_refused_naming_file_line_and_field() {
    let d = network_dir(CITIES, LINKS, None);
    let counties = d.path().join("counties.csv");
    std::fs::write(
        &counties,
        "id,kind,prefecture,pop_2020,lon,lat,area_km2\n\
         100001,district,a,60,104.01,30.61,100\n\
         100002,county,nowhere,40,104.1,30.7,900\n\
         100003,county,a,-4,104.1,30.7,-2\n",
    )
    .unwrap();
    let dir = d.path().to_str().unwrap();
    let o = run(&["--data", dir, "--level", "county", "validate"]);
    assert!(!o.status.success());
    let text = common::stdout(&o) + &stderr(&o);
    assert!(
        text.contains(
            "counties.csv:3: field `prefecture`: unknown prefecture-level city `nowhere`"
        ),
        "{text}"
    );
    assert!(text.contains("counties.csv:4: field `pop_2020`"), "{text}");
    assert!(text.contains("counties.csv:4: field `area_km2`"), "{text}");
    // Without county units, --level county says what is missing.
    let e = network_dir(CITIES, LINKS, None);
    let o = run(&[
        "--data",
        e.path().to_str().unwrap(),
        "--level",
        "county",
        "info",
    ]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("--level county needs county units"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn tiers_and_structure_count_county_level_cities_too() {
    // The census lists of 7 megacities and 14 super-large cities hold at the
    // county level, with the county-level cities (县级市) added below them.
    let out = ok(&["--level", "county", "tiers", "--format", "json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let mainland = rows.iter().find(|r| r["scope"] == "mainland").unwrap();
    assert_eq!(mainland["megacity"], 7);
    assert_eq!(mainland["super-large"], 14);
    let cities = mainland["cities"].as_u64().unwrap();
    assert!((700..800).contains(&cities), "{cities} cities");
    // Kunshan is a city of its own; Dongguan is counted once.
    let list = ok(&["--level", "county", "tiers", "--list", "--format", "csv"]);
    assert!(
        list.lines().any(|l| l.starts_with("320583,Kunshan,")),
        "{list}"
    );
    assert!(!list.lines().any(|l| l.starts_with("441900,")));
    assert!(
        !list.lines().any(|l| l.starts_with("510104,")),
        "a district is no city"
    );
    // Structure ranks the member cities: Chengdu's county-level cities are
    // members of the Chengdu–Chongqing cluster, its districts are not.
    let out = ok(&[
        "--level",
        "county",
        "structure",
        "--agglomeration",
        "chengdu-chongqing",
        "--members",
        "--format",
        "csv",
    ]);
    assert!(out.contains(",510185,"), "Jianyang missing:\n{out}");
    assert!(!out.contains(",510104,"));
}

#[test]
fn delineate_assigns_county_units_once_each() {
    let out = ok(&["--level", "county", "delineate", "--format", "json"]);
    let areas: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let net = county_net();
    let mut seen = BTreeSet::new();
    for a in &areas {
        let core = a["core"].as_str().unwrap();
        let core_i = net.city_by_id(core).unwrap();
        assert!(net.is_city(core_i), "{core} is no city");
        // The members column leaves out the core itself, which counts when it
        // is a unit (Hong Kong; a centre counts 0).
        let mut pop = net.city(core_i).pop_2020;
        for m in a["members"].as_array().unwrap() {
            let id = m.as_str().unwrap();
            let i = net.city_by_id(id).unwrap();
            assert!(net.is_unit(i), "{core}: {id} is not a unit");
            assert!(seen.insert(id.to_owned()), "{id} is in two areas");
            pop += net.city(i).pop_2020;
        }
        assert_eq!(a["population"].as_u64().unwrap(), pop, "{core}");
    }
    // Beijing's area holds its central districts.
    let beijing = areas.iter().find(|a| a["core"] == "beijing").unwrap();
    let members: Vec<&str> = beijing["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for d in ["110101", "110102", "110105", "110106", "110107", "110108"] {
        assert!(
            members.contains(&d),
            "{d} not in Beijing's area: {members:?}"
        );
    }
}

#[test]
fn delineation_is_compared_with_the_plans_unit_by_unit() {
    let out = ok(&[
        "--level",
        "county",
        "delineate",
        "--view",
        "official",
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    let net = county_net();
    let chongqing = rows
        .iter()
        .find(|r| r["agglomeration"] == "chongqing-metro")
        .unwrap();
    // The plan's 21 districts and Guang'an against the derived area: a
    // share of units in both, every listed difference a unit.
    let j = chongqing["jaccard"].as_f64().unwrap();
    assert!(j > 0.3 && j < 1.0, "jaccard {j}");
    for side in ["outside", "extra"] {
        for v in chongqing[side].as_array().unwrap() {
            let id = v.as_str().unwrap().split('>').next().unwrap();
            let i = net.city_by_id(id).unwrap();
            assert!(net.is_unit(i), "{side}: {id} is not a unit");
        }
    }
}

/// Issue 13 (road model v2): a drive pays the fixed minutes of a modelled
/// road link about once per two units crossed, not once per unit (through links
/// between close units that are not neighbours, data/README.md 8.1). With
/// model v1 Chengdu to Chongqing by road took 231 minutes (+28 % against the
/// published 180) and Qingdao's districts reached Gaomi in 77.
#[test]
fn a_long_drive_pays_the_fixed_minutes_about_once_per_through_link() {
    let net = county_net();
    let model = TimeModel {
        modes: vec![agglo::Mode::Road, agglo::Mode::Expressway],
        ..TimeModel::default()
    };
    let engine = Engine::new(&net, model, None);
    let mut ws = engine.workspace();
    let from = net.find_city("chengdu").unwrap();
    let to = net.find_city("chongqing").unwrap();
    engine.search(&mut ws, &[from], Direction::Out, 600.0);
    let minutes = engine.time_to(&ws, to);
    let links = engine.path(&ws, to).len();
    assert!(
        minutes <= 1.25 * 180.0,
        "Chengdu–Chongqing by road: {minutes:.1} min"
    );
    assert!(
        links <= 6,
        "Chengdu–Chongqing by road over {links} links ({minutes:.1} min)"
    );
    // Qingdao's urban districts reach Gaomi (Weifang) within the hour (model
    // v1: 77 minutes).
    let origins = origins_of(
        &net,
        &[net.find_city("qingdao").unwrap()],
        CircleOrigin::Districts,
    );
    engine.search(&mut ws, &origins, Direction::Out, 120.0);
    let gaomi = net.find_city("370785").unwrap();
    let t = engine.time_to(&ws, gaomi);
    assert!(t <= 60.0, "Qingdao to Gaomi by road: {t:.1} min");
}

/// Regression (issue 14 item 4): prefecture centres are passed through, not
/// origins or destinations. Before, each centre counted as a destination one
/// minute from the district around it, so that district's harmonic
/// closeness gained 1/1 min (Ziliujing, around Zigong's centre, ranked
/// first at 3.16) and centres had closeness of their own.
#[test]
fn centrality_paths_start_and_end_at_units_not_centres() {
    use agglo::algorithms::centrality::{CentralityOptions, agglomeration_centrality};
    let net = county_net();
    let ag = net.find_agglomeration("chengdu-chongqing").unwrap();
    let units = ag.members.iter().filter(|&&c| net.is_unit(c)).count();
    assert!(units < ag.members.len(), "the cluster has centres");
    let res = agglomeration_centrality(&net, ag, &CentralityOptions::default());
    for r in &res {
        let c = net.city(r.city);
        if net.is_unit(r.city) {
            assert!(r.harmonic[0] > 0.0, "{}", c.id);
            // A unit reaches at most the other units.
            assert!(
                r.closeness[0] > 0.0 && r.closeness[0].is_finite(),
                "{}",
                c.id
            );
        } else {
            // A centre is no source: nothing reached, no closeness.
            assert_eq!((r.harmonic[0], r.closeness[0]), (0.0, 0.0), "{}", c.id);
        }
    }
    // Ziliujing's harmonic closeness no longer counts Zigong's centre at 1 min.
    let zlj = res
        .iter()
        .find(|r| net.city(r.city).id == "510302")
        .unwrap();
    assert!(zlj.harmonic[0] < 2.5, "{}", zlj.harmonic[0]);
}

/// Issue 13, item 4: Hong Kong and Macao have no county units, and their
/// county-level circles were drawn as disks (Hong Kong alone at 30 and 45
/// minutes gave 704 and then 1,584 km², a disk over the sea). Their
/// boundaries are now the county map's country outline less its units
/// (data/sar_boundaries.geojson), so every circle of the Pearl River Delta is
/// the dissolved union of its units, and a SAR adds its own area.
#[test]
fn hong_kong_and_macao_circles_are_their_polygons_not_disks() {
    use agglo::geometry::Boundaries;
    use geo::GeodesicArea;
    let net = county_net();
    let b = Boundaries::embedded_counties().unwrap();
    let engine = Engine::new(&net, TimeModel::default(), None);
    let aggs: Vec<&agglo::Agglomeration> = net
        .agglomerations()
        .iter()
        .filter(|a| ["pearl-river-delta", "shenzhen-metro"].contains(&a.id.as_str()))
        .collect();
    let circles = commuting_circles(
        &net,
        &engine,
        Direction::Out,
        &aggs,
        &[30.0, 45.0, 60.0, 90.0],
        false,
        CircleOptions {
            shapes: Some(b),
            ..CircleOptions::default()
        },
    );
    let km2 = |ids: &[&str]| b.dissolve(ids).unwrap().geodesic_area_unsigned() / 1e6;
    let within_1pct = |got: f64, want: f64| (got / want - 1.0).abs() < 0.01;
    let (hk, macao) = (km2(&["hong-kong"]), km2(&["macao"]));
    // Land areas about 1,106 and 33 km².
    assert!((1080.0..1130.0).contains(&hk), "{hk}");
    assert!((32.0..35.0).contains(&macao), "{macao}");
    let mut seen = 0;
    for c in &circles {
        let ids: Vec<&str> = c
            .cities
            .iter()
            .map(|&(u, _)| net.city(u).id.as_str())
            .collect();
        let core = net.city(c.cores[0]).id.as_str();
        // Every unit has a polygon: the circle is their union, never a disk.
        let union = km2(&ids);
        assert!(
            within_1pct(c.area_km2, union),
            "{} {core} {}: {} km², union of {ids:?} {union}",
            c.agglomeration,
            c.minutes,
            c.area_km2
        );
        if core == "hong-kong" && c.minutes <= 45.0 {
            assert_eq!(ids, ["hong-kong"]);
            assert!(
                within_1pct(c.area_km2, hk),
                "{} min: {}",
                c.minutes,
                c.area_km2
            );
            seen += 1;
        }
        if core == "macao" && c.minutes <= 45.0 {
            assert_eq!(ids[0], "macao");
            // Macao's polygon and the units reached, nothing more: the
            // borders are shared, so the areas add up.
            let rest = km2(&ids[1..]);
            assert!(
                within_1pct(c.area_km2, rest + macao),
                "{} min: {}",
                c.minutes,
                c.area_km2
            );
            seen += 1;
        }
        if ids.contains(&"hong-kong") && core == "shenzhen" {
            let without: Vec<&str> = ids.iter().copied().filter(|&i| i != "hong-kong").collect();
            let grew = c.area_km2 - km2(&without);
            assert!(within_1pct(grew, hk), "{} min: +{grew}", c.minutes);
            seen += 1;
        }
    }
    assert!(seen >= 4 + 4, "{seen}");
}
