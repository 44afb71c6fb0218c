//! Runs one invocation: parse, dispatch to the subcommand, print, and choose the exit status.
//!
//! This is the only place that touches stdout and stderr. Output is built completely before
//! the first byte is written, so on any error stdout stays empty; a reader that closes the
//! pipe early (`| head`) ends the run quietly.

use std::ffi::OsString;
use std::io::{self, Write as _};

use clap::Parser as _;

use crate::checks::Finding;
use crate::cli::{Cli, Command};
use crate::config::GenericConfig;
use crate::error::{Error, ExitCode, go_io_reason};
use crate::output::{Failure, Rendered, finish};

/// Runs pachsecret with `args` (including the program name) and returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = err.print();
            return err.exit_code();
        }
    };
    let result = execute(cli.command);
    let mut stderr = io::stderr().lock();
    match result {
        Ok(rendered) => {
            print_findings(&mut stderr, &rendered.warnings);
            write_stdout(&rendered, &mut stderr) as i32
        }
        Err(failure) => {
            print_findings(&mut stderr, &failure.warnings);
            for error in &failure.errors {
                let _ = writeln!(stderr, "error: {error}");
            }
            failure.exit_code() as i32
        }
    }
}

fn execute(command: Command) -> Result<Rendered, Failure> {
    match command {
        Command::Generic(args) => {
            let config = GenericConfig::from_args(&args)?;
            let built = crate::generic::build(&config, crate::generic::process_env)?;
            finish(built, &config.output)
        }
        Command::Tls(args) => {
            let config = crate::tls::TlsConfig::from_args(&args)?;
            let built = crate::tls::build(&config)?;
            finish(built, &config.output)
        }
    }
}

fn print_findings(stderr: &mut impl io::Write, findings: &[Finding]) {
    for finding in findings {
        let _ = writeln!(stderr, "warning: {}", finding.message);
        if let Some(hint) = &finding.hint {
            let _ = writeln!(stderr, "  hint: {hint}");
        }
    }
}

/// Writes the manifest in one go. A closed pipe is the reader's choice, not our failure.
fn write_stdout(rendered: &Rendered, stderr: &mut impl io::Write) -> ExitCode {
    let mut stdout = io::stdout().lock();
    let written = stdout
        .write_all(&rendered.stdout)
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => ExitCode::Success,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::Success,
        Err(e) => {
            let error =
                Error::rejected(format!("writing to standard output: {}", go_io_reason(&e)));
            let _ = writeln!(stderr, "error: {error}");
            ExitCode::Rejected
        }
    }
}
