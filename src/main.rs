//! The `agglo` command line: parse, run, print errors, exit.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("agglo: {}", message(&e));
            ExitCode::from(2)
        }
    }
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
