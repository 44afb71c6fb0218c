//! clap's parse errors, told in pachsecret's words and without the text that was typed.
//!
//! clap quotes the offending value (`invalid value 'hunter2' for '--append-hash'`,
//! `unexpected value 'ghp_…' for '--docker-password-stdin'`). A password pasted into the wrong
//! flag, or after a flag that takes none, would then be on the screen and in CI logs. So the
//! error is rebuilt from clap's structured context: the flag's name, what it accepts, the
//! position of a stray argument, a suggested flag or subcommand, and the usage line. Never the
//! value.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::report::text::ordinal;
use crate::report::{Finding, render};

/// The message for a clap error that is not `--help` or `--version`, ready for stderr
/// (ends with a newline). `args` is the command line, to say where a stray argument was.
pub fn render_parse_error(error: &clap::Error, args: &[std::ffi::OsString]) -> String {
    let (message, hint) = describe(error, args);
    let mut finding = Finding::error(message);
    if let Some(hint) = hint {
        finding = finding.hint(hint);
    }
    let mut out = render::stderr_lines(&finding);
    out.push('\n');
    if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
        out.push('\n');
        out.push_str(usage.to_string().trim_end());
        out.push('\n');
    }
    out
}

fn describe(error: &clap::Error, args: &[std::ffi::OsString]) -> (String, Option<String>) {
    let flag = invalid_arg(error);
    match error.kind() {
        ErrorKind::InvalidValue if value_is_missing(error) => {
            let flag = flag.unwrap_or_else(|| "a flag".into());
            (
                format!("{flag} needs a value"),
                Some(format!("write {flag}=VALUE")),
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let flag = flag.unwrap_or_else(|| "an argument".into());
            let accepts = accepted(&flag, error);
            (
                format!("invalid value for {flag} (not shown, in case it is a secret)"),
                Some(format!("{flag} accepts {accepts}")),
            )
        }
        ErrorKind::TooManyValues | ErrorKind::UnknownArgument if is_value_after_flag(error) => {
            let flag = flag.unwrap_or_else(|| "a flag".into());
            (
                format!(
                    "{flag} takes no value, but one was given with '=' (not shown, in case it is a secret)"
                ),
                Some(value_hint(&flag)),
            )
        }
        ErrorKind::UnknownArgument => unknown_argument(error, args),
        ErrorKind::InvalidSubcommand => {
            let suggestion = suggested(error, ContextKind::SuggestedSubcommand);
            (
                "unknown subcommand (not shown, in case it is a secret)".into(),
                Some(match suggestion {
                    Some(s) => format!("did you mean `pachsecret {s}`? See `pachsecret --help`"),
                    None => "the subcommands are listed by `pachsecret --help`".into(),
                }),
            )
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(error, ContextKind::InvalidArg).join(", ");
            (
                format!("missing required arguments: {missing}"),
                Some("see --help for the full form".into()),
            )
        }
        ErrorKind::ArgumentConflict => {
            let first = flag.unwrap_or_else(|| "an argument".into());
            let other = strings(error, ContextKind::PriorArg)
                .iter()
                .map(|s| flag_name(s))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("{first} cannot be used with {other}"),
                Some("give only one of them".into()),
            )
        }
        ErrorKind::NoEquals => {
            let flag = flag.unwrap_or_else(|| "a flag".into());
            (
                format!("{flag} takes its value after '=' only"),
                Some(format!("write {}=VALUE", flag_name(&flag))),
            )
        }
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            let flag = flag.unwrap_or_else(|| "a flag".into());
            (
                format!("wrong number of values for {flag}"),
                Some("see --help for the full form".into()),
            )
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => (
            "a subcommand is required".into(),
            Some("see `pachsecret --help`".into()),
        ),
        _ => (
            "the command line cannot be parsed".into(),
            Some("see --help".into()),
        ),
    }
}

/// clap's `InvalidArg`: the flag as clap shows it (`--append-hash[=<BOOL>]`), reduced to
/// its name (`--append-hash`). Flag names are ours, never user text.
fn invalid_arg(error: &clap::Error) -> Option<String> {
    match error.get(ContextKind::InvalidArg)? {
        ContextValue::String(s) => Some(flag_name(s)),
        ContextValue::Strings(v) => v.first().map(|s| flag_name(s)),
        _ => None,
    }
}

/// `--append-hash[=<BOOL>]` → `--append-hash`; `<SHELL>` → `the SHELL argument`.
fn flag_name(shown: &str) -> String {
    if shown.starts_with('-') {
        let end = shown.find(['[', ' ', '=']).unwrap_or(shown.len());
        shown[..end].to_string()
    } else {
        let name = shown
            .trim_start_matches('<')
            .trim_end_matches("...")
            .trim_end_matches('>');
        format!("the {name} argument")
    }
}

/// clap reports `--flag=value` on a flag without values either as too many values or, for
/// some actions, as an unknown argument whose text holds the '='. Both mean "a value after a
/// flag that takes none".
fn is_value_after_flag(error: &clap::Error) -> bool {
    match error.kind() {
        ErrorKind::TooManyValues => true,
        ErrorKind::UnknownArgument => false,
        _ => false,
    }
}

/// `--from-literal` at the end of the line: clap's "a value is required".
fn value_is_missing(error: &clap::Error) -> bool {
    matches!(error.get(ContextKind::InvalidValue), Some(ContextValue::String(v)) if v.is_empty())
}

fn value_hint(flag: &str) -> String {
    match flag {
        "--docker-password-stdin" => "--docker-password-stdin reads the password from standard input: printf %s \"$TOKEN\" | pachsecret docker-registry ... --docker-password-stdin; to name a variable use --docker-password-env=VAR".into(),
        _ => format!("write {flag} alone"),
    }
}

fn unknown_argument(error: &clap::Error, args: &[std::ffi::OsString]) -> (String, Option<String>) {
    let shown = strings(error, ContextKind::InvalidArg);
    let suggestion = suggested(error, ContextKind::SuggestedArg);
    match shown.first() {
        // A flag name (up to any '=') is ours to show; what follows '=' may be a secret.
        Some(text) if text.starts_with("--") || (text.starts_with('-') && text.len() == 2) => {
            let name = text.split('=').next().unwrap_or(text);
            (
                format!("unknown flag {name}"),
                Some(match suggestion {
                    Some(s) => format!("did you mean {}? See --help", flag_name(&s)),
                    None => "see --help for the flags this subcommand takes".into(),
                }),
            )
        }
        Some(text) => {
            let position = args
                .iter()
                .skip(1)
                .position(|a| a.as_encoded_bytes() == text.as_bytes())
                .map(|i| format!("the {} argument", ordinal(i + 1)))
                .unwrap_or_else(|| "an argument".into());
            (
                format!("unexpected argument: {position} (not shown, in case it is a secret)"),
                Some("this subcommand takes no such argument; values belong after a flag, e.g. --flag=VALUE".into()),
            )
        }
        None => ("unexpected argument".into(), Some("see --help".into())),
    }
}

fn suggested(error: &clap::Error, kind: ContextKind) -> Option<String> {
    strings(error, kind).into_iter().next()
}

fn strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        _ => Vec::new(),
    }
}

/// What a flag accepts, said without the rejected value.
fn accepted(flag: &str, error: &clap::Error) -> String {
    let go_bool = "true or false (also 1, t, T, TRUE, True, 0, f, F, FALSE, False, as Go's strconv.ParseBool reads them)";
    match flag {
        "--append-hash" | "--save-config" | "--immutable" | "--show-managed-fields" => {
            go_bool.into()
        }
        "--validate" => "strict (or true), warn, ignore (or false)".into(),
        "--kubectl-compat" => {
            "a kubectl release from 1.27 to 1.37, such as 1.32 (or v1.32.4)".into()
        }
        "--now" => "an RFC 3339 time such as 2026-01-01T00:00:00Z".into(),
        _ => {
            let valid = strings(error, ContextKind::ValidValue);
            if valid.is_empty() {
                "the values listed by --help".into()
            } else {
                format!("one of: {}", valid.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser as _;

    fn parse_error(args: &[&str]) -> String {
        let args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
        let err = crate::cli::Cli::try_parse_from(&args).expect_err("a parse error");
        render_parse_error(&err, &args)
    }

    #[test]
    fn values_given_in_the_wrong_place_are_never_echoed() {
        for args in [
            &["pachsecret", "generic", "x", "--append-hash=S3NTINEL"][..],
            &["pachsecret", "generic", "x", "--immutable=S3NTINEL"],
            &["pachsecret", "generic", "x", "--save-config=S3NTINEL"],
            &["pachsecret", "generic", "x", "--validate=S3NTINEL"],
            &["pachsecret", "generic", "x", "--kubectl-compat=S3NTINEL"],
            &["pachsecret", "generic", "x", "--strict=S3NTINEL"],
            &["pachsecret", "generic", "x", "--force=S3NTINEL"],
            &[
                "pachsecret",
                "docker-registry",
                "r",
                "--docker-password-stdin=S3NTINEL",
            ],
            &["pachsecret", "tls", "t", "--now=S3NTINEL"],
            &["pachsecret", "generic", "x", "--from-literl=S3NTINEL"],
            &["pachsecret", "S3NTINEL"],
            &["pachsecret", "completions", "S3NTINEL"],
            &["pachsecret", "lint", "--fix=S3NTINEL", "a"],
            &["pachsecret", "inspect", "--show-values=S3NTINEL", "a"],
            &[
                "pachsecret",
                "patch",
                "s.json",
                "--secret",
                "a",
                "--in-place=S3NTINEL",
            ],
        ] {
            let text = parse_error(args);
            assert!(!text.contains("S3NTINEL"), "{args:?}: {text}");
            assert!(text.starts_with("error: "), "{args:?}: {text}");
        }
    }

    #[test]
    fn errors_name_the_flag_and_what_it_accepts() {
        let text = parse_error(&["pachsecret", "generic", "x", "--validate=nope"]);
        assert!(text.starts_with("error: invalid value for --validate (not shown, in case it is a secret)\n  hint: --validate accepts strict (or true), warn, ignore (or false)\n"), "{text}");
        let text = parse_error(&[
            "pachsecret",
            "docker-registry",
            "r",
            "--docker-password-stdin=tok",
        ]);
        assert!(
            text.starts_with("error: --docker-password-stdin takes no value"),
            "{text}"
        );
        assert!(text.contains("--docker-password-env=VAR"), "{text}");
        let text = parse_error(&["pachsecret", "generic", "x", "--from-literl=a=b"]);
        assert!(
            text.starts_with(
                "error: unknown flag --from-literl\n  hint: did you mean --from-literal?"
            ),
            "{text}"
        );
        let text = parse_error(&["pachsecret", "genric"]);
        assert!(
            text.contains("did you mean `pachsecret generic`?"),
            "{text}"
        );
    }
}
