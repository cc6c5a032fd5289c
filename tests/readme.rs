//! Issue 15, item 3: the README's examples are real output. Every fenced
//! block whose fence is a bare ```` ``` ```` and whose first line starts with
//! `$ agglo ` is run: each `$ agglo ...` line through `sh -c` (globs and
//! quotes as a shell reads them) with the built binary first on `PATH`, in a
//! scratch folder where `data/` is the repository's, and its stdout must be
//! the lines under it up to the next `$ ` line. Blocks fenced
//! ```` ```console ```` are not run (a user's own files, timings).
//!
//! `UPDATE_README=1 cargo test --release --test readme` rewrites the blocks
//! with the real output instead of comparing.

use std::path::Path;
use std::process::Command;

fn run_line(cmd: &str, cwd: &Path) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_agglo"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .current_dir(cwd)
        .env("PATH", path)
        .output()
        .expect("sh runs");
    let out = String::from_utf8(o.stdout).expect("UTF-8 output");
    assert!(
        !out.is_empty() || o.status.success(),
        "README command `{cmd}` failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// The README with every runnable block's output replaced by the real one.
fn regenerate(readme: &str, cwd: &Path) -> String {
    let mut out = String::new();
    let mut lines = readme.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        out.push_str(line);
        if line.trim_end() != "```" || !lines.peek().is_some_and(|l| l.starts_with("$ agglo ")) {
            if line.starts_with("```") {
                // Copy any other block unchanged, so its closing fence is not
                // taken for an opening one.
                for l in lines.by_ref() {
                    out.push_str(l);
                    if l.trim_end() == "```" {
                        break;
                    }
                }
            }
            continue;
        }
        while let Some(l) = lines.next() {
            if l.trim_end() == "```" {
                out.push_str(l);
                break;
            }
            if let Some(cmd) = l.strip_prefix("$ ") {
                out.push_str(l);
                out.push_str(&run_line(cmd.trim_end(), cwd));
                while lines
                    .peek()
                    .is_some_and(|n| !n.starts_with("$ ") && n.trim_end() != "```")
                {
                    lines.next();
                }
            }
        }
    }
    out
}

#[test]
fn readme_examples_are_real_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root.join("data"), tmp.path().join("data")).unwrap();
    let fresh = regenerate(&readme, tmp.path());
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&readme_path, &fresh).unwrap();
        return;
    }
    if fresh != readme {
        let (old, new): (Vec<&str>, Vec<&str>) =
            (readme.lines().collect(), fresh.lines().collect());
        let i = old
            .iter()
            .zip(&new)
            .position(|(a, b)| a != b)
            .unwrap_or(old.len().min(new.len()));
        panic!(
            "README.md line {}: the example differs from the real output\n  README: {:?}\n  real:   {:?}\nrun `UPDATE_README=1 cargo test --release --test readme` to regenerate",
            i + 1,
            old.get(i),
            new.get(i)
        );
    }
}

#[test]
fn regenerate_replaces_outputs_and_keeps_other_blocks() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "a\n```\n$ agglo nearest --lon 104.07 --lat 30.57 -k 1 --format csv\nstale\n```\n```console\n$ agglo scenario bad.toml\nkept\n```\n```sh\ncargo test\n```\n";
    let got = regenerate(text, tmp.path());
    assert_eq!(
        got,
        "a\n```\n$ agglo nearest --lon 104.07 --lat 30.57 -k 1 --format csv\nrank,id,name,name_zh,km\n1,chengdu,Chengdu,成都,0.8\n```\n```console\n$ agglo scenario bad.toml\nkept\n```\n```sh\ncargo test\n```\n"
    );
}
