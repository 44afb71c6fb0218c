//! Man pages generated from the clap definitions (clap_mangen), one per (sub)command.
//!
//! Each page has clap's NAME, SYNOPSIS, DESCRIPTION and option sections (one per help
//! heading), then EXAMPLES, EXIT STATUS, ENVIRONMENT, SEE ALSO and VERSION, and the footer
//! names the program and its version. `man/` in the repository holds the rendered pages;
//! `tests/docs.rs` fails when they differ from what the current definitions render, and
//! rewrites them outside CI so that a plain `cargo test` followed by a commit keeps them
//! current.

use clap::CommandFactory as _;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every page as (file name, roff bytes): `pachsecret.1`, `pachsecret-generic.1`, ...
pub fn render_all() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    render(&root, &mut pages)?;
    pages.sort();
    Ok(pages)
}

fn render(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render(sub, pages)?;
    }
    let man = clap_mangen::Man::new(cmd.clone())
        .source(format!("pachsecret {VERSION}"))
        .manual("pachsecret manual");
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut page)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut page)?;
    }
    let mut roff = Roff::new();
    examples(cmd, &mut roff);
    exit_status(&mut roff);
    environment(leaf_name(cmd), &mut roff);
    see_also(cmd, &mut roff);
    roff.control("SH", ["VERSION"]).text([roman(VERSION)]);
    roff.to_writer(&mut page)?;
    pages.push((man.get_filename(), page));
    Ok(())
}

/// `generic` for `pachsecret-generic`, `pachsecret` for the root.
fn leaf_name(cmd: &clap::Command) -> &str {
    cmd.get_name()
}

/// The examples of `--help`, without layout changes (no filling), and without the exit
/// status line, which has its own section here.
fn examples(cmd: &clap::Command, roff: &mut Roff) {
    let Some(text) = cmd.get_after_long_help().map(ToString::to_string) else {
        return;
    };
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("Exit status:") && *l != "Examples:")
        .collect();
    let body = lines.join("\n");
    let body = body.trim();
    if body.is_empty() {
        return;
    }
    roff.control("SH", ["EXAMPLES"]).control("nf", []);
    for line in body.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in [
        ("0", "Success; for check and lint, no errors were found."),
        (
            "1",
            "The input was rejected: a file, key, value or check failed (for check and lint: an error was found).",
        ),
        (
            "2",
            "Usage error: the command line itself is wrong. Nothing was read or written.",
        ),
    ] {
        roff.control("TP", [])
            .text([bold(code)])
            .text([roman(meaning)]);
    }
}

/// The variables a subcommand reads. No value of any of them is ever printed.
fn environment(name: &str, roff: &mut Roff) {
    const CI: (&str, &str) = (
        "CI",
        "When set to anything but an empty string, 0 or false, pachsecret never prompts: a value that would be asked for is an error naming the non-interactive flags instead.",
    );
    const NO_COLOR: (&str, &str) = (
        "NO_COLOR",
        "When set, the guided mode's questions are drawn without colour (also CLICOLOR=0).",
    );
    const GODEBUG: (&str, &str) = (
        "GODEBUG",
        "Read as kubectl reads it, for the Go certificate-parsing settings kubectl honours (x509negativeserial=1 accepts negative serial numbers, as kubectl 1.32 does with it).",
    );
    const DOCKER_CONFIG: (&str, &str) = (
        "DOCKER_CONFIG",
        "The directory holding config.json for --from-docker-config without a path (default: $HOME/.docker).",
    );
    const HOME: (&str, &str) = (
        "HOME",
        "Where the default Docker config is looked for when DOCKER_CONFIG is not set.",
    );
    const NAMED: (&str, &str) = (
        "(variables you name)",
        "--from-env=KEY=VAR, --docker-password-env=VAR, --key-passphrase-env=VAR and password-env= read the variable named; a bare KEY line of an --from-env-file reads KEY.",
    );
    let vars: &[(&str, &str)] = match name {
        "pachsecret" => &[CI, NO_COLOR, GODEBUG, DOCKER_CONFIG, HOME, NAMED],
        "generic" => &[CI, NO_COLOR, NAMED],
        "tls" => &[CI, GODEBUG, NAMED],
        "docker-registry" => &[CI, DOCKER_CONFIG, HOME, NAMED],
        "interactive" => &[CI, NO_COLOR],
        _ => &[],
    };
    roff.control("SH", ["ENVIRONMENT"]);
    if vars.is_empty() {
        roff.text([roman(
            "None: this subcommand reads no environment variables.",
        )]);
    }
    for (var, meaning) in vars {
        roff.control("TP", [])
            .text([bold(*var)])
            .text([roman(*meaning)]);
    }
    roff.control("PP", []).text([roman(
        "KUBECONFIG and kubeconfig files are never read: pachsecret does not talk to a cluster.",
    )]);
}

fn see_also(cmd: &clap::Command, roff: &mut Roff) {
    let mut pages: Vec<String> = Vec::new();
    if cmd.get_name() != "pachsecret" {
        pages.push("pachsecret(1)".into());
    }
    let related: &[&str] = match cmd.get_name() {
        "generic" | "tls" | "docker-registry" => &["snippet", "check", "lint", "inspect"],
        "snippet" | "patch" | "check" => &["generic", "snippet", "patch", "check"],
        "lint" | "inspect" => &["lint", "inspect", "check"],
        "interactive" => &["generic", "tls", "docker-registry", "snippet"],
        "pachsecret" => &[
            "generic",
            "tls",
            "docker-registry",
            "snippet",
            "patch",
            "check",
            "lint",
            "inspect",
            "interactive",
        ],
        _ => &[],
    };
    pages.extend(
        related
            .iter()
            .filter(|sub| **sub != cmd.get_name())
            .map(|sub| format!("pachsecret-{sub}(1)")),
    );
    pages.extend(["kubectl-create-secret(1)".into(), "pachctl(1)".into()]);
    roff.control("SH", ["SEE ALSO"])
        .text([roman(pages.join(", "))]);
}
