//! Issue 15, item 3: every command's `--format json` output is documented by
//! a versioned JSON Schema (`schemas/v1/<name>.json`), and real output of
//! every run listed in `schemas/v1/cases.txt` validates against it, at both
//! levels of detail (`--level prefecture` and `--level county`) for every
//! command that reads the city network.

mod common;
use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

fn schema_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/v1"))
}

/// The levels a case of `cases.txt` runs at: `road` commands read their own
/// graph and refuse `--level`; a case may name one level with `@prefecture`
/// or `@county` after its schema name.
fn levels(name: &str, tag: Option<&str>) -> Vec<&'static str> {
    match tag {
        Some("@prefecture") => vec!["prefecture"],
        Some("@county") => vec!["county"],
        Some(t) => panic!("cases.txt: unknown level tag {t}"),
        None if name.starts_with("road-") => vec![""],
        None => vec!["prefecture", "county"],
    }
}

/// Validates one run's stdout against `schemas/v1/<name>.json`, or against
/// the part of it at a JSON pointer (`scenario#/properties/links`: one
/// section of a scenario report); the problems found, if any.
fn check(name: &str, args: &[&str]) -> Result<(), String> {
    let (name, pointer) = name.split_once('#').unwrap_or((name, ""));
    // A run may report a negative answer with exit status 1 (an
    // unreachable route); its stdout is still JSON of the same shape.
    let o = run(args);
    if !matches!(o.status.code(), Some(0 | 1)) {
        return Err(format!("agglo {args:?} failed:\n{}", stderr(&o)));
    }
    let out: Value =
        serde_json::from_str(&stdout(&o)).map_err(|e| format!("agglo {args:?}: not JSON: {e}"))?;
    let path = schema_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let schema: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let id = schema["$id"].as_str().unwrap_or("");
    if !id.ends_with(&format!("/v1/{name}.json")) {
        return Err(format!(
            "{name}: $id `{id}` does not name the version and the file"
        ));
    }
    let part = schema
        .pointer(pointer)
        .ok_or_else(|| format!("{name}.json has nothing at #{pointer}"))?;
    let validator = jsonschema::validator_for(part)
        .map_err(|e| format!("{}: not a schema: {e}", path.display()))?;
    let errors: Vec<String> = validator
        .iter_errors(&out)
        .map(|e| format!("  {} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "agglo {args:?} against {name}.json:\n{}",
            errors.join("\n")
        ))
    }
}

#[test]
fn every_json_output_matches_its_versioned_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = std::fs::read_to_string(schema_dir().join("cases.txt")).unwrap();
    let mut checked = BTreeSet::new();
    let mut failures = Vec::new();
    for line in cases.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line
            .replace("{tmp}", tmp.path().to_str().unwrap())
            .replace("{data}", root.join("data").to_str().unwrap())
            .replace("{fixtures}", root.join("tests/fixtures").to_str().unwrap());
        let mut parts = line.split_whitespace().peekable();
        let name = parts.next().unwrap();
        let tag = parts.next_if(|p| p.starts_with('@'));
        let args: Vec<&str> = parts.collect();
        if name == "-" {
            ok(&args);
            continue;
        }
        for level in levels(name, tag) {
            let mut args = args.clone();
            if !level.is_empty() {
                args.extend(["--level", level]);
            }
            args.extend(["--format", "json"]);
            match check(name, &args) {
                Ok(()) => {
                    let file = name.split('#').next().unwrap();
                    checked.insert((file.to_owned(), level));
                }
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} run(s) do not match their schema:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every schema file is exercised by at least one run, at both levels
    // unless it is a `road` command's.
    for f in std::fs::read_dir(schema_dir()).unwrap() {
        let f = f.unwrap().path();
        if f.extension().is_some_and(|e| e == "json") {
            let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
            for level in levels(&stem, None) {
                assert!(
                    checked.contains(&(stem.clone(), level)),
                    "{} is not checked by any run{}",
                    f.display(),
                    if level.is_empty() {
                        String::new()
                    } else {
                        format!(" at --level {level}")
                    }
                );
            }
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
