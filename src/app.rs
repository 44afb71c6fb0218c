//! Runs one invocation: parse, dispatch to the subcommand, print, and choose the exit status.
//!
//! This is the only place that touches stdout and stderr. Output is built completely before
//! the first byte is written, so on any error stdout stays empty; a reader that closes the
//! pipe early (`| head`) ends the run quietly.

use std::ffi::OsString;
use std::io::{self, Write as _};

use clap::{CommandFactory as _, Parser as _};

use crate::cli::{Cli, Command};
use crate::go::io_error::go_io_reason;
use crate::io::atomic::{Existing, write_bytes, write_file};
use crate::io::values::{Terminal, ValueReader};
use crate::kinds::shared::{Built, OutputOptions, finish};
use crate::report::outcome::{Failure, Rendered};
use crate::report::{Error, ExitCode};
use crate::report::{Finding, render};
use crate::secret::WriteError;

/// Runs pachsecret with `args` (including the program name) and returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match guided_kind(&args) {
        Some(kind) => return report(crate::interactive::run(Some(kind), &mut reader())),
        None => Cli::try_parse_from(&args),
    };
    let cli = match cli {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            // Rendered without the offending text, which may be a misplaced secret.
            let message = crate::cli::errors::render_parse_error(&err, &args);
            let _ = io::stderr().lock().write_all(message.as_bytes());
            return ExitCode::Usage as i32;
        }
        Err(err) => {
            // Help and version go to stdout with status 0.
            let _ = err.print();
            return err.exit_code();
        }
    };
    report(execute(cli.command))
}

/// A secret subcommand given nothing at all on a terminal starts the guided mode for it.
fn guided_kind(args: &[OsString]) -> Option<crate::interactive::Kind> {
    use crate::interactive::Kind;
    let kind = match args {
        [_, sub] if sub == "generic" => Kind::Generic,
        [_, sub] if sub == "docker-registry" => Kind::DockerRegistry,
        [_, sub] if sub == "tls" => Kind::Tls,
        _ => return None,
    };
    (Terminal::detect() == Terminal::Interactive).then_some(kind)
}

fn reader() -> ValueReader {
    ValueReader::new(Terminal::detect())
}

/// Prints the outcome of a run and returns the exit status.
fn report(result: Result<Rendered, Failure>) -> i32 {
    let mut stderr = io::stderr().lock();
    match result {
        Ok(rendered) => {
            print_findings(&mut stderr, &rendered.warnings);
            let status = match &rendered.output_file {
                Some((path, overwrite)) => {
                    let existing = Existing::unless_forced(*overwrite);
                    match write_file(path, "--output-file", existing, |out| {
                        rendered.stdout.write_to(out)
                    }) {
                        Ok(()) => ExitCode::Success,
                        Err(error) => {
                            let _ = writeln!(stderr, "{}", render::stderr_lines(&error.finding));
                            return error.exit_code() as i32;
                        }
                    }
                }
                None => write_stdout(&rendered, &mut stderr),
            };
            // The side file only after the manifest is out: a refused -O or a failed write
            // leaves no new snippet behind.
            if let Some(side) = &rendered.side_file
                && status == ExitCode::Success
            {
                let existing = Existing::unless_forced(side.force);
                if let Err(error) = write_bytes(&side.path, side.flag, existing, &side.bytes) {
                    let _ = writeln!(stderr, "{}", render::stderr_lines(&error.finding));
                    return error.exit_code() as i32;
                }
            }
            status as i32
        }
        Err(failure) => {
            print_findings(&mut stderr, &failure.warnings);
            for error in &failure.errors {
                let _ = writeln!(stderr, "{}", render::stderr_lines(&error.finding));
            }
            failure.exit_code() as i32
        }
    }
}

fn execute(command: Command) -> Result<Rendered, Failure> {
    match &command {
        Command::Generic(args) => {
            let config = args.config()?;
            let built = crate::kinds::generic::build(
                &config,
                crate::kinds::generic::process_env,
                &mut reader(),
            )?;
            finish_secret(built, &config.output)
        }
        Command::Tls(args) => {
            let config = args.config()?;
            let built = crate::kinds::tls::build(&config)?;
            finish_secret(built, &config.output)
        }
        Command::DockerRegistry(args) => {
            let config = args.config()?;
            let built = crate::kinds::docker_registry::build(&config, &mut reader(), |var| {
                std::env::var_os(var)
            })?;
            finish_secret(built, &config.output)
        }
        Command::Interactive => crate::interactive::run(None, &mut reader()),
        Command::Completions { shell } => Ok(completions(*shell)),
        Command::Snippet(args) => crate::pipeline::snippet(&args.config()),
        Command::Patch(args) => crate::pipeline::patch(&args.config()),
        Command::Check(args) => crate::pipeline::check(&args.config()),
        Command::Lint(args) => crate::manifest::lint::lint(&args.config()),
        Command::Inspect(args) => crate::manifest::inspect::inspect(&args.config()),
    }
}

/// The shared last steps of a secret subcommand, and its `--snippet-file` (written by
/// [`report`] after the manifest).
fn finish_secret(built: Built, output: &OutputOptions) -> Result<Rendered, Failure> {
    let mut rendered = finish(built, output)?;
    crate::pipeline::attach_generation_snippet(output.snippet_file.as_ref(), &mut rendered)?;
    Ok(rendered)
}

/// A completion script for `shell`, generated from the clap definitions.
fn completions(shell: clap_complete::Shell) -> Rendered {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pachsecret", &mut script);
    Rendered::text(script, ExitCode::Success)
}

fn print_findings(stderr: &mut impl io::Write, findings: &[Finding]) {
    for finding in findings {
        let _ = writeln!(stderr, "{}", render::stderr_lines(finding));
    }
}

/// Writes the manifest: in one go when it is in memory, in large chunks when it streams
/// file values. A closed pipe is the reader's choice, not our failure.
fn write_stdout(rendered: &Rendered, stderr: &mut impl io::Write) -> ExitCode {
    let stdout = io::stdout().lock();
    let mut out = io::BufWriter::with_capacity(256 * 1024, stdout);
    let written = rendered
        .stdout
        .write_to(&mut out)
        .and_then(|()| out.flush().map_err(WriteError::Sink));
    match written {
        Ok(()) => rendered.status,
        Err(WriteError::Sink(e)) if e.kind() == io::ErrorKind::BrokenPipe => rendered.status,
        Err(WriteError::Source(message)) => {
            let _ = writeln!(stderr, "{}", render::stderr_lines(&Finding::error(message)));
            ExitCode::Rejected
        }
        Err(WriteError::Sink(e)) => {
            let error =
                Error::rejected(format!("writing to standard output: {}", go_io_reason(&e)));
            let _ = writeln!(stderr, "{}", render::stderr_lines(&error.finding));
            ExitCode::Rejected
        }
    }
}
