//! `route`, `reach`, `matrix` and `circles` on the hand-built fixture, where
//! access, waiting and transfers decide what lies within the hour, and on the
//! shipped data.

mod common;

use common::*;

fn small() -> String {
    fixture("small").display().to_string()
}

fn reach_ids(extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec![
        "--data",
        &*Box::leak(small().into_boxed_str()),
        "reach",
        "--from",
        "alpha",
        "--format",
        "csv",
    ];
    args.extend_from_slice(extra);
    ok(&args)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[3].to_owned())
        })
        .collect()
}

#[test]
fn waiting_keeps_gamma_outside_the_hour() {
    // HSR alpha→gamma: access 10 + wait 15 (36 services/day) + 15 + 15 + egress 15 = 70.
    let with_wait = reach_ids(&[]);
    assert_eq!(
        with_wait,
        [
            ("alpha".into(), "0.0".into()),
            ("beta".into(), "40.0".into()),
            ("delta".into(), "45.0".into())
        ]
    );
    // Without the wait: 55 minutes, inside.
    let no_wait = reach_ids(&["--no-wait"]);
    assert!(
        no_wait.contains(&("gamma".into(), "55.0".into())),
        "{no_wait:?}"
    );
}

#[test]
fn access_time_makes_the_car_faster_than_the_train() {
    // Beta's HSR station is 30 minutes out: alpha→beta by HSR is 10+15+15+30 = 70, by car 40.
    let out = ok(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "beta",
        "--format",
        "csv",
    ]);
    assert!(out.contains("1,ride,alpha,beta,expressway,,40.0"), "{out}");
    let out = ok(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "beta",
        "--modes",
        "hsr",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out,
        "step,kind,from,to,mode,line,minutes\n1,access,alpha,alpha,hsr,,10.0\n2,wait,alpha,alpha,hsr,,15.0\n3,ride,alpha,beta,hsr,Line 1,15.0\n4,egress,beta,beta,hsr,,30.0\n,total,alpha,beta,,,70.0\n"
    );
}

#[test]
fn changes_between_road_and_rail_pay_access_not_transfer_and_can_be_forbidden() {
    // Car to delta (45), change to rail: access 10 + wait 30 (capped) + 50 +
    // egress 10; no transfer minutes between a road and a train (the access
    // minutes stand for the change).
    let out = ok(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "epsilon",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["minutes"], 145.0);
    let kinds: Vec<&str> = v["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ride", "access", "wait", "ride", "egress"]);
    let o = run(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "epsilon",
        "--max-transfers",
        "0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("unreachable: no trip from alpha to epsilon"));
    // ... so a higher transfer penalty leaves this trip as it is.
    let out = ok(&[
        "--data",
        &small(),
        "route",
        "--from",
        "alpha",
        "--to",
        "epsilon",
        "--transfer-min",
        "25",
        "--format",
        "json",
    ]);
    assert!(out.contains("\"minutes\": 145.0"), "{out}");
}

#[test]
fn one_way_links_make_in_and_out_differ() {
    // zeta→gamma may use the one-way road (150) or the expressway (110);
    // with the expressway gone, only zeta→gamma remains possible.
    let out = ok(&[
        "--data",
        &small(),
        "route",
        "--from",
        "zeta",
        "--to",
        "gamma",
        "--modes",
        "road",
        "--format",
        "json",
    ]);
    assert!(out.contains("\"minutes\": 150.0"), "{out}");
    let o = run(&[
        "--data",
        &small(),
        "route",
        "--from",
        "gamma",
        "--to",
        "zeta",
        "--modes",
        "road",
    ]);
    assert_eq!(o.status.code(), Some(1));
    // --direction in: trips towards the named city.
    let out = ok(&[
        "--data",
        &small(),
        "reach",
        "--from",
        "gamma",
        "--modes",
        "road",
        "--direction",
        "in",
        "--minutes",
        "200",
        "--format",
        "csv",
    ]);
    assert!(out.contains("zeta,Zeta,己城,150.0"), "{out}");
    let out = ok(&[
        "--data",
        &small(),
        "reach",
        "--from",
        "gamma",
        "--modes",
        "road",
        "--minutes",
        "200",
        "--format",
        "csv",
    ]);
    assert!(!out.contains("zeta"), "{out}");
}

#[test]
fn nested_budgets_and_several_origins_come_from_one_search() {
    let out = ok(&[
        "--data",
        &small(),
        "reach",
        "--from",
        "alpha,zeta",
        "--minutes",
        "30,45,60",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let totals = v["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 3);
    assert_eq!(totals[0]["cities"], 2); // the two origins
    assert_eq!(totals[1]["cities"], 4); // + beta (40), delta (45)
    assert_eq!(
        totals[2]["population"],
        5_000_000 + 200_000 + 1_000_000 + 600_000
    );
}

#[test]
fn matrix_is_square_and_marks_unreachable_pairs() {
    let out = ok(&[
        "--data",
        &small(),
        "matrix",
        "--between",
        "alpha,beta,epsilon",
        "--max-minutes",
        "100",
        "--format",
        "csv",
    ]);
    assert_eq!(
        out,
        "from,alpha,beta,epsilon\nalpha,0.0,40.0,\nbeta,40.0,0.0,\nepsilon,,,0.0\n"
    );
    let out = ok(&[
        "--data",
        &small(),
        "matrix",
        "--agglomeration",
        "alpha-metro",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cities"], serde_json::json!(["alpha", "beta", "delta"]));
    assert_eq!(v["minutes"][1][2], 85.0); // beta→alpha→delta by car
}

#[test]
fn circles_report_people_share_and_outside_members() {
    let d = tempfile::tempdir().unwrap();
    let gj = d.path().join("c.geojson");
    let out = ok(&[
        "--data",
        &small(),
        "circles",
        "--agglomeration",
        "alpha-metro",
        "--minutes",
        "45,60",
        "--out",
        &gj.display().to_string(),
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "agglomeration,core,minutes,cities,population,share,area_km2,outside"
    );
    assert!(
        lines[2].starts_with("alpha-metro,alpha,60,3,6600000,1.000,"),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gj).unwrap()).unwrap();
    let f = &v["features"][1];
    assert_eq!(f["geometry"]["type"], "MultiPolygon");
    assert_eq!(f["properties"]["core"], "alpha");
    assert_eq!(f["properties"]["minutes"], 60.0);
    assert_eq!(f["properties"]["cities"], 3);
    assert_eq!(f["properties"]["population"], 6_600_000);
    assert!(f["properties"]["area_km2"].as_f64().unwrap() > 2000.0);
}

#[test]
fn chengdu_within_an_hour_and_the_chengdu_chongqing_trip() {
    let out = ok(&["reach", "--from", "chengdu"]);
    println!("{out}");
    assert!(out.lines().nth(2).unwrap().starts_with("chengdu"));
    // The fastest timetable trip agrees with the known-fact range (58–75 min) ...
    let out = ok(&[
        "route",
        "--from",
        "Chengdu",
        "--to",
        "重庆",
        "--no-wait",
        "--no-access",
        "--transfer-min",
        "0",
        "--modes",
        "hsr",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let invehicle = v["minutes"].as_f64().unwrap();
    println!("Chengdu–Chongqing in-vehicle: {invehicle} min");
    assert!((58.0..=75.0).contains(&invehicle));
    // ... and door to door adds access, wait and egress on top.
    let out = ok(&[
        "route",
        "--from",
        "chengdu",
        "--to",
        "chongqing",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d2d = v["minutes"].as_f64().unwrap();
    println!("Chengdu–Chongqing door to door: {d2d} min");
    assert!(d2d > invehicle + 20.0 && d2d < invehicle + 90.0);
}
