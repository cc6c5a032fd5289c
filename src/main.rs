//! The `agglo` command line: parse, run, print errors, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        // The reader of stdout has gone (`agglo cities | head -1`): stop
        // quietly, as a tool killed by SIGPIPE would, but with status 0.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Never panic on a closed stderr.
            use std::io::Write as _;
            let _ = writeln!(std::io::stderr().lock(), "agglo: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// Whether the error comes from writing into a pipe whose reader is closed.
fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes joined by ": ", leaving out a cause whose text
/// the message already holds (typed errors name their source themselves).
fn message(e: &anyhow::Error) -> String {
    let mut text = e.to_string();
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let load = agglo::error::LoadError::Io {
            path: "x.csv".into(),
            source: io,
        };
        let e = anyhow::Error::new(load).context("cannot load the network");
        assert_eq!(
            super::message(&e),
            "cannot load the network: cannot read x.csv: gone"
        );
    }

    #[test]
    fn argument_definitions_are_consistent() {
        super::cli::Cli::command().debug_assert();
    }
}
