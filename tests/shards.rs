//! `--shard I/N` and `agglo merge`: the parts of every shard, merged, are
//! the unsharded run's bytes, for `sweep`, `matrix` and `road matrix`; parts
//! of different runs, missing and duplicate shards are refused.

mod common;

use std::path::{Path, PathBuf};

use common::{bin, run, stderr};

/// Runs `args` and returns stdout, asserting success.
fn ok_bytes(args: &[String]) -> Vec<u8> {
    let o = bin().args(args).output().expect("agglo runs");
    assert!(o.status.success(), "agglo {args:?} failed:\n{}", stderr(&o));
    o.stdout
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Writes the parts of `args` run as `n` shards into `dir` and returns them.
fn parts(dir: &Path, args: &[&str], n: usize, tag: &str) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let p = dir.join(format!("{tag}-{i}-of-{n}.csv"));
            let mut a = strings(args);
            a.extend(strings(&["--shard", &format!("{i}/{n}"), "--part"]));
            a.push(p.display().to_string());
            let out = ok_bytes(&a);
            assert!(out.is_empty(), "a shard prints nothing on stdout");
            p
        })
        .collect()
}

/// `agglo merge PARTS... EXTRA` (parts in reverse order: the order does not
/// matter) and its stdout.
fn merge(parts: &[PathBuf], extra: &[&str]) -> Vec<u8> {
    let mut a = vec!["merge".to_string()];
    a.extend(parts.iter().rev().map(|p| p.display().to_string()));
    a.extend(strings(extra));
    ok_bytes(&a)
}

/// The unsharded run's stdout equals the merge of 1, 2, 3 and 5 shards.
fn round_trip(dir: &Path, args: &[&str]) {
    let whole = ok_bytes(&strings(args));
    assert!(!whole.is_empty());
    for n in [1, 2, 3, 5] {
        let p = parts(dir, args, n, "p");
        let merged = merge(&p, &[]);
        assert!(
            merged == whole,
            "{args:?} in {n} shards:\n--- merged\n{}\n--- whole\n{}",
            String::from_utf8_lossy(&merged),
            String::from_utf8_lossy(&whole)
        );
    }
}

#[test]
fn sweep_shards_merge_to_the_unsharded_bytes() {
    let d = tempfile::tempdir().unwrap();
    for format in ["table", "csv", "json"] {
        round_trip(
            d.path(),
            &[
                "sweep",
                "--within-km",
                "120",
                "--top",
                "15",
                "--format",
                format,
            ],
        );
    }
    // Every candidate kept (the top is larger than the list), another
    // objective and budget.
    round_trip(
        d.path(),
        &[
            "sweep",
            "--within-km",
            "100",
            "--top",
            "100000",
            "--objective",
            "gini",
            "--minutes",
            "90",
            "--format",
            "csv",
        ],
    );
}

#[test]
fn sweep_geojson_lines_merge_to_the_unsharded_file() {
    let d = tempfile::tempdir().unwrap();
    let whole = d.path().join("whole.geojson");
    let args = ["sweep", "--within-km", "120", "--top", "12"];
    let mut a = strings(&args);
    a.extend(strings(&["--out", &whole.display().to_string()]));
    let table = ok_bytes(&a);
    let p = parts(d.path(), &args, 3, "g");
    let merged = d.path().join("merged.geojson");
    let out = merge(&p, &["--geojson", &merged.display().to_string()]);
    assert_eq!(out, table);
    let (w, m) = (
        std::fs::read(&whole).unwrap(),
        std::fs::read(&merged).unwrap(),
    );
    assert!(w.len() > 1000);
    assert_eq!(w, m);
    // --out writes the table to a file instead of stdout.
    let file = d.path().join("top.txt");
    let out = merge(&p, &["--out", &file.display().to_string()]);
    assert!(out.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), table);
}

/// Duplicate candidates in a file tie on every figure and keep their order
/// in the file, sharded or not.
#[test]
fn sweep_duplicate_candidates_keep_their_order() {
    let d = tempfile::tempdir().unwrap();
    let c = d.path().join("c.csv");
    std::fs::write(
        &c,
        "from,to,minutes,km\nwuxi,jiaxing,30,110\nhuzhou,wuxi,20,84\nwuxi,jiaxing,30,110\nwuxi,jiaxing,30,111\n",
    )
    .unwrap();
    let c = c.display().to_string();
    round_trip(d.path(), &["sweep", "--candidates", &c, "--format", "csv"]);
}

#[test]
fn matrix_shards_merge_to_the_unsharded_bytes() {
    let d = tempfile::tempdir().unwrap();
    for format in ["table", "csv", "json"] {
        round_trip(
            d.path(),
            &[
                "matrix",
                "--agglomeration",
                "yangtze-river-delta",
                "--format",
                format,
            ],
        );
    }
    // Bounded searches leave empty cells; trips towards each city.
    round_trip(
        d.path(),
        &[
            "matrix",
            "--between",
            "beijing,tianjin,shanghai,guangzhou,shenzhen,chengdu,lhasa",
            "--max-minutes",
            "150",
            "--direction",
            "in",
            "--format",
            "csv",
        ],
    );
    // More shards than rows: some parts hold no rows.
    let args = ["matrix", "--between", "beijing,tianjin,baoding"];
    let whole = ok_bytes(&strings(&args));
    let p = parts(d.path(), &args, 5, "many");
    assert_eq!(merge(&p, &[]), whole);
    // --out of the unsharded run and of the merge.
    let (a, b) = (d.path().join("a.csv"), d.path().join("b.csv"));
    let mut w = strings(&args);
    w.extend(strings(&["--out", &a.display().to_string()]));
    ok_bytes(&w);
    merge(&p, &["--out", &b.display().to_string()]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

/// A generated road graph of about 2,700 nodes (above the size from which
/// matrices relabel the graph) and 80 points on a grid over it.
fn road_inputs(dir: &Path) -> (String, String) {
    let prefix = dir.join("rg");
    let o = run(&[
        "road",
        "generate",
        "--nodes",
        "3000",
        "--out",
        &prefix.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut pts = String::from("id,lon,lat\n");
    for i in 0..10 {
        for j in 0..8 {
            let (x, y) = (116.005 + i as f64 * 0.018, 39.505 + j as f64 * 0.018);
            pts.push_str(&format!("p{i}_{j},{x:.4},{y:.4}\n"));
        }
    }
    let p = dir.join("pts.csv");
    std::fs::write(&p, pts).unwrap();
    (
        prefix.with_extension("gr").display().to_string(),
        p.display().to_string(),
    )
}

#[test]
fn road_matrix_shards_merge_to_the_unsharded_bytes() {
    let d = tempfile::tempdir().unwrap();
    let (gr, pts) = road_inputs(d.path());
    for format in ["csv", "json"] {
        round_trip(
            d.path(),
            &[
                "road", "matrix", "--graph", &gr, "--points", &pts, "--format", format,
            ],
        );
    }
}

/// A part's bytes do not depend on the number of threads.
#[test]
fn parts_are_the_same_at_any_thread_count() {
    let d = tempfile::tempdir().unwrap();
    let (gr, pts) = road_inputs(d.path());
    for args in [
        vec!["sweep", "--within-km", "150", "--top", "30"],
        vec!["matrix", "--agglomeration", "beijing-tianjin-hebei"],
        vec!["road", "matrix", "--graph", &gr, "--points", &pts],
    ] {
        let mut bytes = Vec::new();
        for threads in ["1", "2", "3"] {
            let mut a = strings(&args);
            a.extend(strings(&["--shard", "2/3", "--part", "-"]));
            let o = bin()
                .args(&a)
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            bytes.push(o.stdout);
        }
        assert!(bytes[0].starts_with(b"#agglo-part {"));
        assert!(bytes.windows(2).all(|w| w[0] == w[1]), "{args:?}");
    }
}

fn fails(args: &[&str]) -> String {
    let o = bin().args(args).output().expect("agglo runs");
    assert!(!o.status.success(), "agglo {args:?} should fail");
    stderr(&o)
}

#[test]
fn bad_shards_and_mismatched_parts_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let part = d.path().join("x.csv").display().to_string();
    for (spec, msg) in [
        ("0/2", "shards are numbered 1 to 2"),
        ("3/2", "shards are numbered 1 to 2"),
        ("1/0", "N must be at least 1"),
        ("a/2", "not a whole number"),
        ("2", "expected I/N"),
    ] {
        let e = fails(&["sweep", "--shard", spec, "--part", &part]);
        assert!(
            e.contains(&format!("shard `{spec}`")) && e.contains(msg),
            "{spec}: {e}"
        );
    }
    let e = fails(&["matrix", "--between", "beijing,tianjin", "--shard", "1/2"]);
    assert!(e.contains("--part"), "{e}");
    let e = fails(&["sweep", "--part", &part]);
    assert!(e.contains("--shard"), "{e}");
    let e = fails(&[
        "sweep",
        "--shard",
        "1/2",
        "--part",
        &part,
        "--out",
        "x.geojson",
    ]);
    assert!(e.contains("cannot be used with"), "{e}");

    let args = ["matrix", "--agglomeration", "chengdu-chongqing"];
    let p = parts(d.path(), &args, 3, "m");
    let name = |p: &Path| p.display().to_string();
    // A missing shard, named.
    let e = fails(&["merge", &name(&p[0]), &name(&p[2])]);
    assert!(e.contains("shard 2/3 is missing"), "{e}");
    // A shard given twice, with both files.
    let e = fails(&[
        "merge",
        &name(&p[0]),
        &name(&p[1]),
        &name(&p[1]),
        &name(&p[2]),
    ]);
    assert!(e.contains("shard 2/3 is given twice"), "{e}");
    // Another option (budget) makes another run.
    let mut other = args.to_vec();
    other.extend(["--max-minutes", "90"]);
    let q = parts(d.path(), &other, 3, "o");
    let e = fails(&["merge", &name(&p[0]), &name(&q[1]), &name(&p[2])]);
    assert!(
        e.contains("does not belong with") && e.contains("fingerprint"),
        "{e}"
    );
    // Another shard count.
    let r = parts(d.path(), &args, 2, "r");
    let e = fails(&["merge", &name(&p[0]), &name(&r[1])]);
    assert!(e.contains("shard count is `2`, not `3`"), "{e}");
    // Another network (a scenario applied) makes another run too.
    let s = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/scenarios/chengdu-chongqing-hsr-removed.toml")
        .display()
        .to_string();
    let mut with = args.to_vec();
    with.extend(["--scenario", &s]);
    let t = parts(d.path(), &with, 3, "s");
    let e = fails(&["merge", &name(&p[0]), &name(&p[1]), &name(&t[2])]);
    assert!(e.contains("fingerprint"), "{e}");
    // Another command.
    let u = parts(d.path(), &["sweep", "--within-km", "60"], 3, "u");
    let e = fails(&["merge", &name(&p[0]), &name(&u[1]), &name(&p[2])]);
    assert!(e.contains("command is `sweep`, not `matrix`"), "{e}");
    let e = fails(&[
        "merge",
        &name(&p[0]),
        &name(&p[1]),
        &name(&p[2]),
        "--geojson",
        "g",
    ]);
    assert!(e.contains("--geojson is for parts of `agglo sweep`"), "{e}");
    // A file that is not a part, and a part cut short.
    let plain = d.path().join("plain.csv");
    std::fs::write(&plain, "row,a\n0,1\n").unwrap();
    let e = fails(&["merge", &name(&plain)]);
    assert!(e.contains("not an agglo part file"), "{e}");
    let text = std::fs::read_to_string(&p[0]).unwrap();
    let cut = d.path().join("cut.csv");
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(&cut, lines[..lines.len() - 1].join("\n") + "\n").unwrap();
    let e = fails(&["merge", &name(&cut), &name(&p[1]), &name(&p[2])]);
    assert!(e.contains("announces") && e.contains("cut.csv"), "{e}");
    // A row moved to the wrong shard.
    let moved = d.path().join("moved.csv");
    let mut edited: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    let last = edited.len() - 1;
    let (row, rest) = edited[last].split_once(',').unwrap();
    edited[last] = format!("{},{rest}", row.parse::<usize>().unwrap() + 1);
    std::fs::write(&moved, edited.join("\n") + "\n").unwrap();
    let e = fails(&["merge", &name(&moved), &name(&p[1]), &name(&p[2])]);
    assert!(
        e.contains("moved.csv: line") && e.contains("field `row`"),
        "{e}"
    );
}

/// The Dask driver (`contrib/dask/run_shards.py`) on a LocalCluster of 2
/// workers gives the unsharded bytes. Needs Python with `dask` and
/// `distributed` (`.ci/run` installs them); fails, not skips, without them.
#[test]
#[ignore = "needs Python with dask and distributed; CI runs it"]
fn dask_local_cluster_round_trip() {
    let check = std::process::Command::new("python3")
        .args(["-c", "import dask.distributed"])
        .output();
    match check {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "python3 cannot import dask.distributed (pip install dask==2026.8.0 distributed==2026.8.0):\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("python3 not found: {e}"),
    }
    let d = tempfile::tempdir().unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("contrib/dask/run_shards.py");
    let agglo = env!("CARGO_BIN_EXE_agglo");
    let (gr, pts) = road_inputs(d.path());
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "sweep",
            "--within-km",
            "150",
            "--top",
            "25",
            "--format",
            "csv",
        ],
        vec!["matrix", "--agglomeration", "yangtze-river-delta"],
        vec![
            "road", "matrix", "--graph", &gr, "--points", &pts, "--format", "csv",
        ],
    ];
    for (k, args) in cases.iter().enumerate() {
        let whole = ok_bytes(&strings(args));
        let out = d.path().join(format!("dask-{k}.txt"));
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(&script)
            .args(["--shards", "3", "--local-workers", "2", "--threads", "1"])
            .args(["--agglo", agglo, "--out"])
            .arg(&out)
            .arg("--")
            .args(args);
        let o = cmd.output().expect("python3 runs");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success(),
            "{args:?}: the Dask driver failed:\n{err}"
        );
        assert!(err.contains("3 shards on 2 Dask workers"), "{err}");
        assert_eq!(
            std::fs::read(&out).unwrap(),
            whole,
            "{args:?}: Dask merge differs"
        );
    }
}
