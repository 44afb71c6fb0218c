//! How findings look: the two forms, written once.
//!
//! - On stderr of the secret subcommands (and for every error): `warning: MESSAGE` or
//!   `error: MESSAGE`, then `  hint: FIX` on its own line.
//! - As report lines of `lint` and `check` (their output), one per finding, in the form editors
//!   and CI parse: `FILE: SUBJECT: FIELD: [warning: |note: ]MESSAGE (FIX)`. Errors carry no
//!   severity word, so the line reads as `FILE: pipeline NAME: transform.secrets[0]: problem`.
//!
//! Both pass every part through [`super::text::shown`]: whatever a message quotes from a file
//! name, a spec or a certificate, no control character, ESC sequence or bidi override reaches
//! the terminal, and no line break can forge a second line.

use std::fmt::Write as _;

use super::text::shown;
use super::{Finding, Severity};

/// The located message, then `\n  hint: …` when there is a hint.
pub fn message_with_hint(finding: &Finding) -> String {
    let mut out = located_message(finding);
    if let Some(hint) = &finding.hint {
        let _ = write!(out, "\n  hint: {}", shown(hint));
    }
    out
}

/// `warning: …` / `error: …` / `note: …` lines for stderr.
pub fn stderr_lines(finding: &Finding) -> String {
    let word = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    format!("{word}: {}", message_with_hint(finding))
}

/// The report line of `lint` and `check`, without a trailing newline.
pub fn report_line(finding: &Finding) -> String {
    let mut out = String::new();
    push_location(finding, &mut out);
    match finding.severity {
        Severity::Error => {}
        Severity::Warning => out.push_str("warning: "),
        Severity::Note => out.push_str("note: "),
    }
    out.push_str(&shown(&finding.message));
    if let Some(hint) = &finding.hint {
        let _ = write!(out, " ({})", shown(hint));
    }
    out
}

fn located_message(finding: &Finding) -> String {
    let mut out = String::new();
    push_location(finding, &mut out);
    out.push_str(&shown(&finding.message));
    out
}

fn push_location(finding: &Finding, out: &mut String) {
    let location = &finding.location;
    for part in [&location.file, &location.subject, &location.field] {
        if !part.is_empty() {
            out.push_str(&shown(part));
            out.push_str(": ");
        }
    }
}

/// Counts for a summary line: "2 errors, 1 warning" (notes only when there are some).
pub fn summary(severities: impl IntoIterator<Item = Severity>) -> String {
    let (mut errors, mut warnings, mut notes) = (0, 0, 0);
    for severity in severities {
        match severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Note => notes += 1,
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_use_the_bare_form_for_errors_and_say_the_level_otherwise() {
        let d = Finding::error("env_var without key")
            .at("transform.secrets[0]")
            .hint("add key")
            .about("pipeline mnist")
            .in_file("spec.json");
        assert_eq!(
            report_line(&d),
            "spec.json: pipeline mnist: transform.secrets[0]: env_var without key (add key)"
        );
        let w = Finding::warning("no data").in_file("s.json");
        assert_eq!(report_line(&w), "s.json: warning: no data");
    }

    #[test]
    fn stderr_lines_put_the_hint_on_its_own_line() {
        let w = Finding::warning("the value ends with a newline").hint("strip it");
        assert_eq!(
            stderr_lines(&w),
            "warning: the value ends with a newline\n  hint: strip it"
        );
    }

    #[test]
    fn nothing_in_a_finding_can_drive_the_terminal() {
        let f = Finding::error("secret \u{1b}]0;pwned\u{7} has no key a\rb")
            .at("transform.secrets[0]\u{202e}")
            .hint("line\nerror: forged")
            .in_file("spec\u{9b}.json");
        let line = report_line(&f);
        let stderr = stderr_lines(&f);
        for text in [&line, &stderr] {
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{text:?}"
            );
            assert!(!text.contains('\u{202e}'));
        }
        assert!(!line.contains('\n'));
        assert_eq!(
            stderr.matches('\n').count(),
            1,
            "only the hint's own line break"
        );
    }

    #[test]
    fn summaries_count_each_level() {
        use Severity::*;
        assert_eq!(summary([Error, Warning, Error]), "2 errors, 1 warning");
        assert_eq!(summary([Note]), "0 errors, 0 warnings, 1 note");
    }
}
