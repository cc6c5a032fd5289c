//! Issue 15, item 3: every command's `--format json` output is documented by
//! a versioned JSON Schema (`schemas/v1/<name>.json`), and real output of
//! every run listed in `schemas/v1/cases.txt` validates against it.

mod common;
use std::path::Path;

use common::*;
use serde_json::Value;

fn schema_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/v1"))
}

#[test]
fn every_json_output_matches_its_versioned_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let cases = std::fs::read_to_string(schema_dir().join("cases.txt")).unwrap();
    let mut checked = std::collections::BTreeSet::new();
    for line in cases.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line
            .replace("{tmp}", tmp.path().to_str().unwrap())
            .replace("{data}", data.to_str().unwrap());
        let mut parts = line.split_whitespace();
        let name = parts.next().unwrap();
        let mut args: Vec<&str> = parts.collect();
        if name == "-" {
            ok(&args);
            continue;
        }
        args.extend(["--format", "json"]);
        // A run may report a negative answer with exit status 1 (an
        // unreachable route); its stdout is still JSON of the same shape.
        let o = run(&args);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "agglo {args:?} failed:\n{}",
            stderr(&o)
        );
        let out: Value = serde_json::from_str(&stdout(&o))
            .unwrap_or_else(|e| panic!("agglo {args:?}: not JSON: {e}"));
        let path = schema_dir().join(format!("{name}.json"));
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            schema["$id"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/v1/{name}.json")),
            "{name}: $id names the version and the file"
        );
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{}: not a schema: {e}", path.display()));
        let errors: Vec<String> = validator
            .iter_errors(&out)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .take(5)
            .collect();
        assert!(
            errors.is_empty(),
            "agglo {args:?} against {name}.json:\n{}",
            errors.join("\n")
        );
        checked.insert(name.to_owned());
    }
    // Every schema file is exercised by at least one run.
    for f in std::fs::read_dir(schema_dir()).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "json") {
            let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
            assert!(
                checked.contains(&stem),
                "{} is not checked by any run",
                f.display()
            );
        }
    }
}

#[test]
fn a_schema_rejects_output_of_another_shape() {
    // The schemas are strict enough to fail: a list given as a `;`-joined
    // string, or a missing key, does not validate.
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_dir().join("circles.json")).unwrap())
            .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let mut row: Value = serde_json::from_str(&ok(&[
        "circles",
        "--agglomeration",
        "chengdu-metro",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(v.is_valid(&row));
    row[0]["outside"] = Value::String("deyang;ziyang".into());
    assert!(!v.is_valid(&row));
    row[0].as_object_mut().unwrap().remove("outside");
    assert!(!v.is_valid(&row));
}
