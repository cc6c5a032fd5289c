//! Issue 15, item 6: scenario reports list what changed (`--all` restores
//! every row), gains and losses in separate blocks; `route`, `reach` and
//! `matrix` answer on a scenario network; `sweep` reports `gini_change`
//! whatever the objective.

mod common;
use common::*;
use serde_json::Value;

fn scen(name: &str) -> String {
    format!("{}/data/scenarios/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

#[test]
fn only_changed_rows_by_default_with_a_count_of_the_rest() {
    let file = scen("chengdu-chongqing-hsr-removed.toml");
    let args = ["scenario", &file, "--minutes", "120", "--section", "cores"];
    let out = ok(&args);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(
        rows[0].starts_with("chengdu ") && rows[1].starts_with("chongqing "),
        "{out}"
    );
    let every = json(&[&args[..], &["--format", "json", "--all"]].concat());
    let every = every.as_array().unwrap();
    let unchanged = every.iter().filter(|r| r["pop_delta"] == 0).count();
    assert_eq!(unchanged + 2, every.len());
    assert_eq!(
        rows[2],
        format!("{unchanged} cores unchanged (not listed; --all lists every row)")
    );
    assert_eq!(rows.len(), 3, "{out}");
    let all = ok(&[&args[..], &["--all"]].concat());
    assert_eq!(all.lines().count(), 2 + every.len(), "{all}");
    // JSON: the changed rows, and in the full report how many were left out.
    let changed = json(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(changed.as_array().unwrap().len(), 2);
    let full = json(&["scenario", &file, "--minutes", "120", "--format", "json"]);
    assert_eq!(full["unchanged"]["cores"], unchanged);
    assert_eq!(full["cores"].as_array().unwrap().len(), 2);
}

#[test]
fn gains_and_losses_are_separate_labelled_blocks() {
    let file = scen("chengdu-chongqing-hsr-removed.toml");
    let out = ok(&["scenario", &file, "--section", "cities", "--top", "3"]);
    let g = out.find("## gains\n").expect(&out);
    let l = out.find("## losses\n").expect(&out);
    assert!(g < l);
    let v = json(&[
        "scenario",
        &file,
        "--section",
        "cities",
        "--top",
        "3",
        "--format",
        "json",
    ]);
    let (gains, losses) = (
        v["gains"].as_array().unwrap(),
        v["losses"].as_array().unwrap(),
    );
    assert!(gains.iter().all(|r| r["delta"].as_f64().unwrap() > 0.0));
    assert_eq!(losses.len(), 3);
    let d: Vec<f64> = losses
        .iter()
        .map(|r| r["delta"].as_f64().unwrap())
        .collect();
    assert!(
        d[0] <= d[1] && d[1] <= d[2] && d[2] < 0.0,
        "largest loss first: {d:?}"
    );
    let losses_csv = ok(&[
        "scenario",
        &file,
        "--section",
        "losses",
        "--top",
        "3",
        "--format",
        "csv",
    ]);
    assert_eq!(losses_csv.lines().count(), 4);
    // HZMB removal: nobody gains.
    let hzmb = ok(&["scenario", &scen("hzmb-removed.toml"), "--section", "gains"]);
    assert!(hzmb.starts_with("none\n"), "{hzmb}");
}

fn route_minutes(extra: &[&str]) -> f64 {
    let v = json(
        &[
            &[
                "route",
                "--from",
                "chengdu",
                "--to",
                "chongqing",
                "--format",
                "json",
            ],
            extra,
        ]
        .concat(),
    );
    v["minutes"].as_f64().unwrap()
}

#[test]
fn travel_commands_take_a_scenario() {
    let central = scen("chengdu-chongqing-central-line.toml");
    let removed = scen("chengdu-chongqing-hsr-removed.toml");
    let today = route_minutes(&[]);
    let with_line = route_minutes(&["--scenario", &central]);
    let without = route_minutes(&["--scenario", &removed]);
    // Access 15 + half the headway of 40 trains a day 13.5 + 50 ride + egress 15.
    assert!((with_line - 93.5).abs() < 1e-9, "{with_line}");
    assert!(
        without > today && today > with_line,
        "{without} {today} {with_line}"
    );
    let reach = |extra: &[&str]| -> Option<f64> {
        let v = json(
            &[
                &[
                    "reach",
                    "--from",
                    "chengdu",
                    "--minutes",
                    "120",
                    "--format",
                    "json",
                ],
                extra,
            ]
            .concat(),
        );
        v["cities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "chongqing")?["minutes"]
            .as_f64()
    };
    assert_eq!(reach(&["--scenario", &central]), Some(with_line));
    assert_eq!(reach(&["--scenario", &removed]), None);
    let m = json(&[
        "matrix",
        "--between",
        "chengdu,chongqing",
        "--scenario",
        &central,
        "--format",
        "json",
    ]);
    assert_eq!(m["minutes"][0][1].as_f64(), Some(with_line), "{m}");
    // A scenario naming a city that does not exist fails, as `agglo scenario` does.
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"b\"\n[[edit]]\nop = \"remove_link\"\nfrom = \"Suzhou\"\nto = \"shanghai\"\n",
    )
    .unwrap();
    let o = run(&[
        "route",
        "--from",
        "chengdu",
        "--to",
        "chongqing",
        "--scenario",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Suzhou"), "{}", stderr(&o));
}

#[test]
fn sweep_reports_the_gini_change_for_every_objective() {
    let rows = |objective: &str| -> Vec<(String, String, f64)> {
        let v = json(&[
            "sweep",
            "--within-km",
            "120",
            "--top",
            "5",
            "--objective",
            objective,
            "--format",
            "json",
        ]);
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = |k: &str| r[k].as_str().unwrap().to_owned();
                (s("from"), s("to"), r["gini_change"].as_f64().unwrap())
            })
            .collect()
    };
    let acc = rows("accessibility");
    assert!(acc.iter().any(|r| r.2 != 0.0), "{acc:?}");
    let gini = rows("gini");
    // The best candidate by the gini objective reports the same change under accessibility ranking.
    let all_acc = json(&[
        "sweep",
        "--within-km",
        "120",
        "--top",
        "10000",
        "--format",
        "json",
    ]);
    let best = &gini[0];
    let same = all_acc
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["from"] == best.0.as_str() && r["to"] == best.1.as_str())
        .unwrap();
    assert_eq!(same["gini_change"].as_f64().unwrap(), best.2);
}
