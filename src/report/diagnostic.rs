//! Problems found in files (`lint`, `check`), one per line, in the form editors and CI parse:
//!
//! ```text
//! FILE: SUBJECT: LOCATION: problem (fix)
//! FILE: SUBJECT: LOCATION: warning: problem (fix)
//! ```
//!
//! SUBJECT is `pipeline NAME` or `secret NAME`; LOCATION is a field path such as
//! `transform.secrets[1]` or `data.password`. Errors carry no severity word, exactly the
//! `FILE: pipeline NAME: transform.secrets[i]: problem (fix)` form the issue asks for;
//! warnings and notes say what they are. Messages name keys and fields, never values.

use std::fmt::Write as _;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Information the user asked for or should know (a secret assumed to be on the cluster).
    Note,
    /// Works, but is probably a mistake or only works by accident.
    Warning,
    /// The cluster (pachd, the API server or the kubelet) would refuse or fail on this.
    Error,
}

/// One problem, located inside a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub level: Level,
    /// Field path inside the subject (`transform.secrets[0]`), empty for the whole subject.
    pub location: String,
    pub message: String,
    pub fix: Option<String>,
}

impl Diagnostic {
    pub fn new(level: Level, location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            level,
            location: location.into(),
            message: message.into(),
            fix: None,
        }
    }

    pub fn error(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Error, location, message)
    }

    pub fn warning(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Warning, location, message)
    }

    pub fn note(location: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Level::Note, location, message)
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The report line, without a trailing newline. `subject` may be empty (a file that could
    /// not be read as a whole).
    pub fn line(&self, file: &str, subject: &str) -> String {
        let mut out = String::new();
        out.push_str(file);
        out.push_str(": ");
        if !subject.is_empty() {
            out.push_str(subject);
            out.push_str(": ");
        }
        if !self.location.is_empty() {
            out.push_str(&self.location);
            out.push_str(": ");
        }
        match self.level {
            Level::Error => {}
            Level::Warning => out.push_str("warning: "),
            Level::Note => out.push_str("note: "),
        }
        out.push_str(&self.message);
        if let Some(fix) = &self.fix {
            let _ = write!(out, " ({fix})");
        }
        out
    }
}

/// Counts for the summary line: "2 errors, 1 warning".
pub fn summary(diagnostics: impl IntoIterator<Item = Level>) -> String {
    let (mut errors, mut warnings, mut notes) = (0, 0, 0);
    for level in diagnostics {
        match level {
            Level::Error => errors += 1,
            Level::Warning => warnings += 1,
            Level::Note => notes += 1,
        }
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut parts = vec![plural(errors, "error"), plural(warnings, "warning")];
    if notes > 0 {
        parts.push(plural(notes, "note"));
    }
    parts.join(", ")
}

/// Edit distance, for "did you mean" suggestions on misspelt field names.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// The candidate closest to `name` (ignoring case, `_` and `-`), if it is close enough to be a
/// plausible misspelling.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalize = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = normalize(name);
    candidates
        .iter()
        .map(|c| (edit_distance(&wanted, &normalize(c)), *c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_use_the_bare_form_and_others_say_their_level() {
        let d = Diagnostic::error("transform.secrets[0]", "env_var without key").fix("add key");
        assert_eq!(
            d.line("spec.json", "pipeline mnist"),
            "spec.json: pipeline mnist: transform.secrets[0]: env_var without key (add key)"
        );
        let w = Diagnostic::warning("", "no data");
        assert_eq!(w.line("s.json", ""), "s.json: warning: no data");
    }

    #[test]
    fn summaries_count_each_level() {
        assert_eq!(
            summary([Level::Error, Level::Warning, Level::Error]),
            "2 errors, 1 warning"
        );
        assert_eq!(summary([Level::Note]), "0 errors, 0 warnings, 1 note");
    }

    #[test]
    fn misspellings_find_their_field() {
        assert_eq!(closest("env_vars", &["env_var", "key"]), Some("env_var"));
        assert_eq!(closest("envVar", &["env_var", "key"]), Some("env_var"));
        assert_eq!(closest("mountpth", &["mount_path"]), Some("mount_path"));
        assert_eq!(closest("zzz", &["env_var", "key"]), None);
    }
}
