//! A long fuzz campaign over every reader (see `agglo::fuzz`).
//!
//! ```text
//! cargo run --release --example fuzz -- --minutes 30 [--seed N] [--case-secs 20] [--max-rss-mb 2048]
//! ```
//!
//! Targets take turns in slices of 200 cases until the time is up. Each case
//! runs in-process under `catch_unwind` with a time limit; a watchdog thread
//! samples the resident memory every 20 ms and, above the limit, saves the
//! case in flight and aborts. Failing cases are saved to
//! `tests/fuzz/crashes/TARGET-N.case` (read them back with
//! `agglo::fuzz::Bundle::from_bytes`). Prints executions, acceptances,
//! refusals and failures per reader.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use agglo::fuzz::{Bundle, Target, Verdict, mutate, run_guarded};
use agglo::generate::XorShift;

fn arg(args: &[String], name: &str, default: f64) -> f64 {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / (1024.0 * 1024.0))
}

fn save(dir: &Path, target: Target, n: usize, b: &Bundle) -> PathBuf {
    let p = dir.join(format!("{}-{n}.case", target.name()));
    let _ = std::fs::write(&p, b.to_bytes());
    p
}

#[derive(Default)]
struct Tally {
    executions: usize,
    accepted: usize,
    refused: usize,
    failures: usize,
    slowest: Duration,
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let minutes = arg(&args, "--minutes", 30.0);
    let seed = arg(&args, "--seed", 1.0) as u64;
    let case_limit = Duration::from_secs_f64(arg(&args, "--case-secs", 20.0));
    let max_rss = arg(&args, "--max-rss-mb", 2048.0);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let crashes = root.join("tests/fuzz/crashes");
    std::fs::create_dir_all(&crashes)?;
    // Panics are expected findings: keep the output to the summary.
    std::panic::set_hook(Box::new(|_| {}));

    let in_flight: Arc<Mutex<Option<(Target, Bundle)>>> = Arc::new(Mutex::new(None));
    {
        let in_flight = Arc::clone(&in_flight);
        let crashes = crashes.clone();
        std::thread::spawn(move || {
            loop {
                std::thread::sleep(Duration::from_millis(20));
                let rss = rss_mb();
                if rss > max_rss {
                    if let Some((t, b)) = in_flight.lock().ok().and_then(|g| g.clone()) {
                        let p = save(&crashes, t, 9999, &b);
                        eprintln!(
                            "memory {rss:.0} MB above {max_rss} MB: saved {}",
                            p.display()
                        );
                    }
                    std::process::abort();
                }
            }
        });
    }

    let seeds: Vec<(Target, Vec<Bundle>)> = Target::ALL
        .iter()
        .map(|&t| Ok((t, t.seeds(root)?)))
        .collect::<std::io::Result<_>>()?;
    let dir = tempfile::tempdir()?;
    let mut rng = XorShift::new(seed);
    let mut tally: BTreeMap<Target, Tally> = BTreeMap::new();
    let started = Instant::now();
    let deadline = Duration::from_secs_f64(minutes * 60.0);
    let mut peak = 0.0f64;
    'outer: while started.elapsed() < deadline {
        for (t, s) in &seeds {
            let case_dir = dir.path().join(t.name());
            std::fs::create_dir_all(&case_dir)?;
            for _ in 0..200 {
                if started.elapsed() >= deadline {
                    break 'outer;
                }
                let k = rng.below(s.len());
                let b = mutate(&mut rng, *t, &s[k]);
                *in_flight.lock().unwrap() = Some((*t, b.clone()));
                let t0 = Instant::now();
                let v = run_guarded(*t, &b, &case_dir, case_limit)?;
                let e = tally.entry(*t).or_default();
                e.executions += 1;
                e.slowest = e.slowest.max(t0.elapsed());
                peak = peak.max(rss_mb());
                match &v {
                    Verdict::Accepted => e.accepted += 1,
                    Verdict::Refused(_) => e.refused += 1,
                    _ => {
                        e.failures += 1;
                        let p = save(&crashes, *t, e.failures, &b);
                        eprintln!("{}: {v:?} -> {}", t.name(), p.display());
                        if v == Verdict::Hang {
                            eprintln!("a hung case cannot be stopped in-process: ending the run");
                            break 'outer;
                        }
                    }
                }
            }
        }
    }
    println!(
        "fuzzed {:.1} minutes, seed {seed}, peak resident memory {peak:.0} MB",
        started.elapsed().as_secs_f64() / 60.0
    );
    println!("| reader | executions | accepted | refused | failures | slowest case |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut total = 0;
    for (t, e) in &tally {
        total += e.executions;
        println!(
            "| {} | {} | {} | {} | {} | {:.0} ms |",
            t.name(),
            e.executions,
            e.accepted,
            e.refused,
            e.failures,
            e.slowest.as_secs_f64() * 1000.0
        );
    }
    println!("| total | {total} | | | | |");
    Ok(())
}
