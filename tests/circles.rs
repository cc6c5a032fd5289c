//! Commuting-circle polygons: valid, nested, containing the origin's
//! surroundings and nothing the remaining minutes cannot reach.

mod common;

use agglo::algorithms::{
    CircleOptions, Direction, Engine, MIN_RADIUS_KM, TimeModel, area_km2, circle_polygon,
    commuting_circles,
};
use agglo::io::Input;
use agglo::{Network, haversine_km};
use geo::{BooleanOps, Contains, CoordsIter, Validation, Winding};

fn net() -> Network {
    Input::Embedded.load().unwrap().0
}

#[test]
fn circles_of_every_core_are_valid_nested_and_honest() {
    let net = net();
    let engine = Engine::new(&net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    let opt = CircleOptions::default();
    let budgets = [30.0, 60.0, 90.0];
    let cores = net.core_cities();
    assert!(cores.len() > 30);
    for &core in &cores {
        engine.search(&mut ws, &[core], Direction::Out, 90.0);
        let reach = engine.reach(&ws);
        let c = net.city(core);
        let mut prev: Option<geo::MultiPolygon<f64>> = None;
        for b in budgets {
            let poly = circle_polygon(&net, &reach, c, b, opt);
            assert!(poly.is_valid(), "{} {b}: invalid polygon", c.id);
            for p in &poly.0 {
                assert!(
                    p.exterior().is_ccw(),
                    "{} {b}: exterior ring not counter-clockwise",
                    c.id
                );
                assert!(p.exterior().is_closed());
            }
            // The origin and its surroundings (90% of the local radius) are inside.
            let r_km = b * opt.local_speed_kmh / 60.0 * 0.9;
            let dlon = r_km / (111.32 * c.lat.to_radians().cos());
            for (x, y) in [
                (c.lon, c.lat),
                (c.lon + dlon, c.lat),
                (c.lon, c.lat - r_km / 110.57),
            ] {
                assert!(
                    poly.contains(&geo::Point::new(x, y)),
                    "{} {b}: ({x},{y}) outside",
                    c.id
                );
            }
            // Every vertex is reachable: within the remaining minutes of a reached city.
            for v in poly.exterior_coords_iter() {
                let ok = reach.times.iter().filter(|(_, t)| *t <= b).any(|&(ci, t)| {
                    let city = net.city(ci);
                    let r = ((b - t) * opt.local_speed_kmh / 60.0).max(MIN_RADIUS_KM);
                    haversine_km(city.lon, city.lat, v.x, v.y) <= r * 1.001 + 0.01
                });
                assert!(ok, "{} {b}: vertex {v:?} beyond reach", c.id);
            }
            // Nested: the smaller budget's polygon does not poke out of the larger one.
            if let Some(small) = &prev {
                let outside = area_km2(&small.difference(&poly));
                assert!(
                    outside < 1e-6 * area_km2(small).max(1.0),
                    "{} {b}: {outside} km² outside",
                    c.id
                );
            }
            prev = Some(poly);
        }
    }
}

#[test]
fn area_matches_a_lone_disk() {
    // A city with no links: the circle is one disk of radius budget × speed.
    let dir = common::network_dir(
        "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
         a,A,,P,,104,30,1,,,,\nb,B,,P,,110,35,1,,,,\n",
        "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n",
        None,
    );
    let net = Input::Dir(dir.path().to_owned()).load().unwrap().0;
    let engine = Engine::new(&net, TimeModel::default(), None);
    let mut ws = engine.workspace();
    engine.search(&mut ws, &[0], Direction::Out, 60.0);
    let poly = circle_polygon(
        &net,
        &engine.reach(&ws),
        net.city(0),
        60.0,
        CircleOptions::default(),
    );
    // 64-gon inscribed in a 30 km circle: area = 0.5 * 64 * r² * sin(2π/64).
    let expect = 0.5 * 64.0 * 30.0f64.powi(2) * (std::f64::consts::TAU / 64.0).sin();
    let got = area_km2(&poly);
    assert!((got - expect).abs() / expect < 2e-3, "{got} vs {expect}");
}

/// Issue 15, item 4: a city counted in a circle lies inside its polygon, so a
/// point-in-polygon count (as QGIS does it) finds the population the circle
/// reports. Every core and every agglomeration's union of cores, at five
/// budgets, on the polygon as written (coordinates rounded to 6 decimals).
#[test]
fn every_counted_city_lies_inside_its_circle() {
    let net = net();
    let engine = Engine::new(&net, TimeModel::default(), None);
    let aggs: Vec<_> = net.agglomerations().iter().collect();
    let budgets = [30.0, 45.0, 60.0, 90.0, 120.0];
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let mut at_budget = 0;
    for union in [false, true] {
        let circles = commuting_circles(
            &net,
            &engine,
            Direction::Out,
            &aggs,
            &budgets,
            union,
            CircleOptions::default(),
        );
        assert!(circles.len() >= aggs.len() * budgets.len());
        for c in &circles {
            let poly: geo::MultiPolygon<f64> =
                geo::MapCoords::map_coords(&c.polygon, |p| geo::Coord {
                    x: round(p.x),
                    y: round(p.y),
                });
            let mut inside = 0u64;
            for &(ci, m) in &c.cities {
                let city = net.city(ci);
                let pt = geo::Point::new(round(city.lon), round(city.lat));
                assert!(
                    poly.contains(&pt),
                    "{} from {:?} at {} min: {} ({m:.3} min) is counted but outside",
                    c.agglomeration,
                    c.origins,
                    c.minutes,
                    city.id
                );
                inside += city.pop_2020;
                at_budget += usize::from(m == c.minutes);
            }
            assert_eq!(inside, c.population, "{} {}", c.agglomeration, c.minutes);
        }
    }
    // The data holds cities reached exactly at a budget (Zhengzhou–Xuchang at 60.0).
    assert!(at_budget > 0);
}

/// Runs `circles --out` on a two-city network centred at `lon0` and returns
/// the circle's area and every coordinate written.
fn circle_near(lon0: f64, lat: f64) -> (f64, Vec<(f64, f64)>) {
    let wrap = |x: f64| if x > 180.0 { x - 360.0 } else { x };
    let cities = format!(
        "id,name,name_zh,province,adcode,lon,lat,pop_2020,pop_2010,urban_pop_2020,access_hsr_min,access_rail_min\n\
         a,A,甲,P,,{},{lat},100000,,,,\n\
         b,B,乙,P,,{},{lat},50000,,,,\n",
        wrap(lon0),
        wrap(lon0 + 0.3),
    );
    let links = "from,to,mode,minutes,km,services_per_day,line,opened,oneway,source\n\
                 a,b,expressway,20,30,,,,,\n";
    let aggs = "id,name,name_zh,kind,cores,members\nab,AB,AB,metro-area,a,a;b\n";
    let d = common::network_dir(&cities, links, Some(aggs));
    let out = d.path().join("c.geojson");
    let dir = d.path().to_str().unwrap();
    let json = common::ok(&[
        "--data",
        dir,
        "circles",
        "--minutes",
        "90",
        "--local-speed",
        "60",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let area = rows[0]["area_km2"].as_f64().unwrap();
    let fc: geojson::FeatureCollection = std::fs::read_to_string(&out).unwrap().parse().unwrap();
    let mut coords = Vec::new();
    for f in fc.features {
        let g: geo::Geometry<f64> = f.geometry.unwrap().try_into().unwrap();
        coords.extend(g.coords_iter().map(|c| (c.x, c.y)));
    }
    (area, coords)
}

#[test]
fn a_circle_across_the_antimeridian_is_cut_there_not_drawn_beyond_it() {
    // Two cities either side of 180°: the circle is two polygons within
    // ±180°, as large as the same circle away from the antimeridian.
    let (area, coords) = circle_near(179.9, -16.8);
    assert!(
        coords
            .iter()
            .all(|&(x, y)| x.abs() <= 180.0 && y.abs() <= 90.0),
        "a vertex beyond ±180°"
    );
    assert!(coords.iter().any(|&(x, _)| x < -179.0) && coords.iter().any(|&(x, _)| x > 179.0));
    let (same, _) = circle_near(100.0, -16.8);
    assert!((area - same).abs() <= 0.01 * same, "{area} vs {same}");
}
