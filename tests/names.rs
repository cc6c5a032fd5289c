//! Issue 15, item 5: a name two cities share is an error listing them, in
//! every command that takes city names; ids always resolve.

mod common;
use common::*;

fn refused(args: &[&str], ids: &[&str]) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "agglo {args:?}: {}", stdout(&o));
    let e = stderr(&o);
    assert!(e.contains("is ambiguous"), "{args:?}: {e}");
    for id in ids {
        assert!(
            e.contains(&format!("`{id}`")),
            "{args:?} should list {id}: {e}"
        );
    }
    assert!(stdout(&o).is_empty(), "{args:?} printed a result");
}

#[test]
fn ambiguous_names_are_refused_by_route_reach_and_matrix() {
    let suzhou = ["suzhou", "suzhou-anhui"];
    refused(&["route", "--from", "Suzhou", "--to", "shanghai"], &suzhou);
    refused(
        &["route", "--from", "shanghai", "--to", "Taizhou"],
        &["taizhou", "taizhou-zhejiang"],
    );
    refused(&["reach", "--from", "shanghai,Suzhou"], &suzhou);
    refused(&["matrix", "--between", "shanghai,Suzhou,wuxi"], &suzhou);
    let o = run(&["route", "--from", "Suzhou", "--to", "shanghai"]);
    assert!(
        stderr(&o).contains("(Suzhou (Anhui), Anhui)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn ids_and_qualified_names_resolve() {
    let out = ok(&[
        "reach",
        "--from",
        "suzhou-anhui",
        "--minutes",
        "30",
        "--format",
        "csv",
    ]);
    assert!(
        out.lines().nth(1).unwrap().starts_with("suzhou-anhui,"),
        "{out}"
    );
    let out = ok(&[
        "reach",
        "--from",
        "Suzhou (Anhui)",
        "--minutes",
        "30",
        "--format",
        "csv",
    ]);
    assert!(
        out.lines().nth(1).unwrap().starts_with("suzhou-anhui,"),
        "{out}"
    );
    let out = ok(&[
        "route", "--from", "suzhou", "--to", "shanghai", "--format", "csv",
    ]);
    assert!(out.contains(",suzhou,"), "{out}");
}
