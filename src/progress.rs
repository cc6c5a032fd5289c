//! Progress bars on standard error for long work, shown only when standard
//! error is a terminal and only once the work has run for [`SHOW_AFTER`]:
//! redirected or piped runs (tests, scripts, CI) and quick commands print
//! nothing.
//!
//! A [`Progress`] is cheap to clone and may be advanced from several threads
//! at once; its bar never affects results or output files.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Work shorter than this shows no bar.
pub const SHOW_AFTER: Duration = Duration::from_millis(1500);

/// A counter of done steps out of a known total, drawn as a bar on standard
/// error when that is a terminal and the work has run for [`SHOW_AFTER`].
/// With standard error not a terminal every method does nothing.
#[derive(Debug, Clone)]
pub struct Progress {
    bar: Option<Bar>,
}

#[derive(Debug, Clone)]
struct Bar {
    bar: ProgressBar,
    start: Instant,
    shown: Arc<AtomicBool>,
}

impl Progress {
    /// A counter for `total` steps of the work named `what` (e.g. "sources").
    pub fn new(total: u64, what: &str) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {human_pos}/{human_len} {msg} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Progress {
            bar: Some(Bar {
                bar,
                start: Instant::now(),
                shown: Arc::new(AtomicBool::new(false)),
            }),
        }
    }

    /// A counter that never draws (for callers that report otherwise).
    pub fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// Adds `n` done steps.
    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.bar.inc(n);
            if !b.shown.load(Ordering::Relaxed)
                && b.start.elapsed() >= SHOW_AFTER
                && !b.shown.swap(true, Ordering::Relaxed)
            {
                b.bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }

    /// Removes the bar (the work is done).
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.bar.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        // The last clone clears its line, so a bar never outlives its work.
        if Arc::strong_count(&self.shown) == 1 {
            self.bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_progress_counts_nothing_and_does_not_fail() {
        let p = Progress::hidden();
        p.inc(3);
        p.finish();
        // Under `cargo test` standard error is captured, not a terminal.
        let q = Progress::new(10, "steps");
        let r = q.clone();
        r.inc(5);
        q.finish();
    }
}
