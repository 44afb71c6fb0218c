//! `--from-env-file`: kubectl's line rules, exactly (`k8s.io/kubectl/pkg/cmd/util/env_file.go`).
//!
//! Lines are read as Go's `bufio.Scanner` with `ScanLines` reads them: split on `\n`, one
//! trailing `\r` dropped, and a line longer than 65,535 bytes stops the scan. kubectl never
//! checks the scanner's error, so such a line silently drops itself and every line after it
//! while the command still succeeds; we report where that happened so the caller can refuse
//! it (or, with checks off, reproduce kubectl). Per line: the UTF-8 check comes first (even for
//! comments), then the BOM is removed from line 1 only, leading white space is trimmed
//! (trailing white space stays in the value), blank lines and `#` lines are skipped, and the
//! rest is split at the first `=`; there is no quoting, escaping or `export`. A line with no
//! `=` takes its value from the environment (empty when unset).

use std::io::{self, BufRead};

use crate::go::apimachinery::env_var_name_errors;

/// `bufio.MaxScanTokenSize`: a line (without its `\n`) must be shorter than this.
pub const MAX_LINE_LEN: usize = 64 * 1024 - 1;

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// One `KEY=VALUE` (or bare `KEY`) line.
pub struct EnvEntry {
    /// 1-based physical line number.
    pub line: usize,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
    /// The line had no `=`, so the value came from the process environment.
    pub from_environment: bool,
}

/// Why an env file was refused.
#[derive(Debug)]
pub enum EnvFileError {
    Io(io::Error),
    /// Invalid UTF-8 on a line; `column` is the 1-based byte position of the first bad byte.
    InvalidUtf8 {
        line: usize,
        column: usize,
    },
    /// kubectl's `IsEnvVarName` message, or our own when the line has no `=` (the would-be key
    /// is then the whole line, which may be a value, so it is not echoed).
    InvalidKey {
        line: usize,
        message: String,
    },
    /// Whatever the callback refused.
    Rejected(crate::report::Error),
}

/// What a complete scan found beyond the entries.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ScanSummary {
    /// The 1-based number of a line longer than [`MAX_LINE_LEN`]: it and everything after it
    /// were not read, as in kubectl.
    pub truncated_at_line: Option<usize>,
}

/// Reads `reader` line by line, calling `add` for each entry in file order.
pub fn parse(
    reader: impl io::Read,
    mut lookup_env: impl FnMut(&[u8]) -> Option<Vec<u8>>,
    mut add: impl FnMut(EnvEntry) -> Result<(), crate::report::Error>,
) -> Result<ScanSummary, EnvFileError> {
    let mut reader = io::BufReader::with_capacity(64 * 1024, reader);
    let mut raw = Vec::with_capacity(256);
    let mut line_number = 0usize;
    loop {
        raw.clear();
        match read_line_bounded(&mut reader, &mut raw).map_err(EnvFileError::Io)? {
            LineRead::Eof => return Ok(ScanSummary::default()),
            LineRead::TooLong => {
                return Ok(ScanSummary {
                    truncated_at_line: Some(line_number + 1),
                });
            }
            LineRead::Line => {}
        }
        line_number += 1;
        if raw.last() == Some(&b'\r') {
            raw.pop();
        }
        if let Some(entry) = parse_line(&raw, line_number, &mut lookup_env)? {
            add(entry).map_err(EnvFileError::Rejected)?;
        }
    }
}

fn parse_line(
    raw: &[u8],
    line_number: usize,
    lookup_env: &mut impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Option<EnvEntry>, EnvFileError> {
    let text = std::str::from_utf8(raw).map_err(|e| EnvFileError::InvalidUtf8 {
        line: line_number,
        column: e.valid_up_to() + 1,
    })?;
    let text = if line_number == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    };
    debug_assert_eq!(UTF8_BOM, "\u{feff}".as_bytes());
    // Go's unicode.IsSpace and Rust's char::is_whitespace are both Unicode White_Space.
    let text = text.trim_start_matches(char::is_whitespace);
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let (key, value) = match text.split_once('=') {
        Some((key, value)) => (key, Some(value)),
        None => (text, None),
    };
    let errors = env_var_name_errors(key.as_bytes());
    if !errors.is_empty() {
        // kubectl quotes the would-be key; we do not: a line of a PEM block, a URL with a
        // password or `key: value` pasted into the file would put a secret on the screen.
        let message = if value.is_some() {
            format!(
                "the part before '=' (not shown, in case it is a value) is not a valid variable name: {}",
                errors.join(";")
            )
        } else {
            "the line has no '=' and is not a valid variable name either (not shown, in case it is a value)".to_string()
        };
        return Err(EnvFileError::InvalidKey {
            line: line_number,
            message,
        });
    }
    let (value, from_environment) = match value {
        Some(value) => (value.as_bytes().to_vec(), false),
        None => (lookup_env(key.as_bytes()).unwrap_or_default(), true),
    };
    Ok(Some(EnvEntry {
        line: line_number,
        key: key.as_bytes().to_vec(),
        value,
        from_environment,
    }))
}

enum LineRead {
    Line,
    Eof,
    TooLong,
}

/// Reads up to and excluding the next `\n` into `out`, refusing to buffer more than
/// [`MAX_LINE_LEN`] bytes (so `/dev/zero` or a huge single-line file cannot exhaust memory).
fn read_line_bounded(reader: &mut impl BufRead, out: &mut Vec<u8>) -> io::Result<LineRead> {
    let mut seen_any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(if seen_any {
                LineRead::Line
            } else {
                LineRead::Eof
            });
        }
        seen_any = true;
        let (chunk, found_newline) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], true),
            None => (buf, false),
        };
        if out.len() + chunk.len() > MAX_LINE_LEN {
            return Ok(LineRead::TooLong);
        }
        out.extend_from_slice(chunk);
        let consumed = chunk.len() + usize::from(found_newline);
        reader.consume(consumed);
        if found_newline {
            return Ok(LineRead::Line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(input: &[u8]) -> Result<(Vec<(String, String)>, ScanSummary), String> {
        let mut found = Vec::new();
        let summary = parse(
            input,
            |key| (key == b"FROMENV").then(|| b"from env!".to_vec()),
            |e| {
                found.push((
                    String::from_utf8_lossy(&e.key).into_owned(),
                    String::from_utf8_lossy(&e.value).into_owned(),
                ));
                Ok(())
            },
        )
        .map_err(|e| format!("{e:?}"))?;
        Ok((found, summary))
    }

    #[test]
    fn the_kubectl_behaviour_example() {
        let input = b"\xef\xbb\xbfFIRST=1\r\n  # comment\n\t\n   LEAD=  val  \nQ=\"quoted\" # not a comment\nEMPTY=\nexport_ok=x\nFROMENV\nUNSETVAR\nNUL=a\0b\nCR=a\rb\r\r\n\xc2\xa0NBSP=1\n\x0b\x0cVT=2\nMULTI=a=b=c\nLAST=nonl";
        let (found, summary) = entries(input).expect("parses");
        let expected: Vec<(String, String)> = [
            ("FIRST", "1"),
            ("LEAD", "  val  "),
            ("Q", "\"quoted\" # not a comment"),
            ("EMPTY", ""),
            ("export_ok", "x"),
            ("FROMENV", "from env!"),
            ("UNSETVAR", ""),
            ("NUL", "a\0b"),
            ("CR", "a\rb\r"),
            ("NBSP", "1"),
            ("VT", "2"),
            ("MULTI", "a=b=c"),
            ("LAST", "nonl"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(found, expected);
        assert_eq!(summary, ScanSummary::default());
    }

    #[test]
    fn a_bom_after_line_one_stays_and_makes_the_key_invalid() {
        let err = entries(b"\nA=1\n\xef\xbb\xbfB=2").unwrap_err();
        assert!(err.contains("not a valid variable name"), "{err}");
        assert!(err.contains("line: 3"), "{err}");
    }

    #[test]
    fn invalid_utf8_is_refused_even_in_comments() {
        let err = entries(b"A=1\n# comment \xff\n").unwrap_err();
        assert!(err.contains("InvalidUtf8 { line: 2, column: 11 }"), "{err}");
    }

    #[test]
    fn export_and_spaces_before_equals_are_invalid_keys() {
        for line in [&b"export FOO=bar"[..], b"FOO =bar"] {
            let err = entries(line).unwrap_err();
            assert!(
                err.contains("the part before '=' (not shown, in case it is a value) is not a valid variable name"),
                "{err}"
            );
        }
    }

    #[test]
    fn invalid_lines_are_never_echoed() {
        for line in [
            &b"hunter2 is my password"[..],
            b"DB_URL postgres://u:hunter2@h/db",
            b"password: hunter2",
            b"MIIB+hunter2/AB==",
            b"pass word=hunter2",
        ] {
            let err = entries(line).unwrap_err();
            assert!(!err.contains("hunter2"), "{err}");
        }
    }

    #[test]
    fn line_length_limit_boundaries() {
        let ok = [b"A=".as_slice(), &vec![b'x'; MAX_LINE_LEN - 2], b"\nB=1\n"].concat();
        assert_eq!(entries(&ok).expect("parses").0.len(), 2);
        let crlf_ok = [
            b"A=".as_slice(),
            &vec![b'x'; MAX_LINE_LEN - 3],
            b"\r\nB=1\n",
        ]
        .concat();
        assert_eq!(entries(&crlf_ok).expect("parses").0.len(), 2);
        let crlf_long = [
            b"A=".as_slice(),
            &vec![b'x'; MAX_LINE_LEN - 2],
            b"\r\nB=1\n",
        ]
        .concat();
        let (found, summary) = entries(&crlf_long).expect("parses");
        assert!(found.is_empty());
        assert_eq!(summary.truncated_at_line, Some(1));
        let long = [
            b"Z=0\nA=".as_slice(),
            &vec![b'x'; MAX_LINE_LEN - 1],
            b"\nB=1\n",
        ]
        .concat();
        let (found, summary) = entries(&long).expect("parses");
        assert_eq!(found.len(), 1);
        assert_eq!(summary.truncated_at_line, Some(2));
        let last_unterminated = [b"A=".as_slice(), &vec![b'x'; MAX_LINE_LEN - 2]].concat();
        assert_eq!(entries(&last_unterminated).expect("parses").0.len(), 1);
    }
}
