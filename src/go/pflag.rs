//! The parts of Go's flag handling (spf13/pflag) whose semantics show through kubectl's flags.
//!
//! * `StringSlice` flags (`--from-file`, `--from-env-file`) split each occurrence as **one CSV
//!   record** with `encoding/csv` (pflag's `readAsCSV`): commas separate, quotes are syntax,
//!   leading blank lines are skipped, and a newline ends the record, silently dropping the rest.
//! * bool flags accept `strconv.ParseBool` spellings (`--append-hash=false`).

/// A CSV syntax error, worded as Go's `csv.ParseError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError(pub String);

const ERR_BARE_QUOTE: &str = "bare \" in non-quoted-field";
const ERR_QUOTE: &str = "extraneous or missing \" in quoted-field";

fn parse_error(start_line: usize, line: usize, column: usize, err: &str) -> CsvError {
    if start_line == line {
        CsvError(format!(
            "parse error on line {line}, column {column}: {err}"
        ))
    } else {
        CsvError(format!(
            "record on line {start_line}; parse error on line {line}, column {column}: {err}"
        ))
    }
}

/// Splits one flag occurrence the way pflag's `StringSlice.Set` does.
///
/// An empty value yields no items. A value holding only blank lines is `io.EOF` in Go, which
/// pflag reports as an error (`EOF`).
pub fn split_string_slice(value: &[u8]) -> Result<Vec<Vec<u8>>, CsvError> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    CsvRecordReader::new(value).read_record()
}

/// A port of `encoding/csv.Reader.readRecord` with the default settings (comma `,`, no
/// comment character, strict quotes), reading the first record only.
struct CsvRecordReader<'a> {
    input: &'a [u8],
    line_number: usize,
}

impl<'a> CsvRecordReader<'a> {
    fn new(input: &'a [u8]) -> Self {
        CsvRecordReader {
            input,
            line_number: 0,
        }
    }

    /// `readLine`: the next line including its `\n`, with `\r\n` normalised to `\n` and a
    /// lone `\r` before EOF dropped. `None` at end of input.
    fn read_line(&mut self) -> Option<Vec<u8>> {
        if self.input.is_empty() {
            return None;
        }
        let (mut line, rest) = match self.input.iter().position(|b| *b == b'\n') {
            Some(i) => (self.input[..=i].to_vec(), &self.input[i + 1..]),
            None => {
                let mut line = self.input.to_vec();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                (line, &self.input[self.input.len()..])
            }
        };
        self.input = rest;
        self.line_number += 1;
        let n = line.len();
        if n >= 2 && line[n - 2] == b'\r' && line[n - 1] == b'\n' {
            line.truncate(n - 2);
            line.push(b'\n');
        }
        Some(line)
    }

    fn read_record(&mut self) -> Result<Vec<Vec<u8>>, CsvError> {
        // Skip empty lines; at EOF Go returns io.EOF, which pflag passes on.
        let mut line = loop {
            match self.read_line() {
                None => return Err(CsvError("EOF".into())),
                Some(line) if line.is_empty() || line == b"\n" => continue,
                Some(line) => break line,
            }
        };
        let record_line = self.line_number;
        let mut fields = Vec::new();
        let mut pos_line = self.line_number;
        let mut col = 1usize;
        // `p` indexes the unread part of `line`.
        let mut p = 0usize;
        loop {
            if line.get(p) != Some(&b'"') {
                // Non-quoted field: up to the next comma, or the end of the line.
                let rest = &line[p..];
                let comma = rest.iter().position(|b| *b == b',');
                let field = match comma {
                    Some(i) => &rest[..i],
                    None => &rest[..rest.len() - usize::from(rest.last() == Some(&b'\n'))],
                };
                if let Some(j) = field.iter().position(|b| *b == b'"') {
                    return Err(parse_error(
                        record_line,
                        self.line_number,
                        col + j,
                        ERR_BARE_QUOTE,
                    ));
                }
                fields.push(field.to_vec());
                match comma {
                    Some(i) => {
                        col += i + 1;
                        p += i + 1;
                        continue;
                    }
                    None => return Ok(fields),
                }
            }
            // Quoted field.
            let mut field = Vec::new();
            p += 1;
            col += 1;
            loop {
                let rest = &line[p..];
                if let Some(i) = rest.iter().position(|b| *b == b'"') {
                    field.extend_from_slice(&rest[..i]);
                    p += i + 1;
                    col += i + 1;
                    let after = &line[p..];
                    match after.first() {
                        Some(b'"') => {
                            field.push(b'"');
                            p += 1;
                            col += 1;
                        }
                        Some(b',') => {
                            p += 1;
                            col += 1;
                            fields.push(field);
                            break;
                        }
                        _ if after.is_empty() || after == b"\n" => {
                            fields.push(field);
                            return Ok(fields);
                        }
                        _ => {
                            return Err(parse_error(
                                record_line,
                                self.line_number,
                                col - 1,
                                ERR_QUOTE,
                            ));
                        }
                    }
                } else if !rest.is_empty() {
                    // The quoted field runs on to the next line.
                    field.extend_from_slice(rest);
                    col += rest.len();
                    match self.read_line() {
                        Some(next) if !next.is_empty() => {
                            pos_line += 1;
                            col = 1;
                            line = next;
                            p = 0;
                        }
                        // Go clears io.EOF here and the next pass finds nothing left: an
                        // unterminated quote.
                        _ => return Err(parse_error(record_line, pos_line, col, ERR_QUOTE)),
                    }
                } else {
                    return Err(parse_error(record_line, pos_line, col, ERR_QUOTE));
                }
            }
        }
    }
}

/// `strconv.ParseBool`, which pflag uses for bool flags given a value.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Result<Vec<String>, String> {
        split_string_slice(s.as_bytes())
            .map(|v| {
                v.into_iter()
                    .map(|f| String::from_utf8(f).expect("utf8"))
                    .collect()
            })
            .map_err(|e| e.0)
    }

    #[test]
    fn commas_split_and_spaces_are_kept() {
        assert_eq!(split("a,A"), Ok(vec!["a".into(), "A".into()]));
        assert_eq!(split(" a"), Ok(vec![" a".into()]));
        assert_eq!(split("a,,A"), Ok(vec!["a".into(), "".into(), "A".into()]));
        assert_eq!(split(""), Ok(vec![]));
        assert_eq!(split("a,"), Ok(vec!["a".into(), "".into()]));
    }

    #[test]
    fn quotes_group_and_escape() {
        assert_eq!(split("\"k=c,d\""), Ok(vec!["k=c,d".into()]));
        assert_eq!(split("\"a\"\"b\""), Ok(vec!["a\"b".into()]));
        assert_eq!(split("\"a\",b"), Ok(vec!["a".into(), "b".into()]));
        assert_eq!(split("\"a\nb\""), Ok(vec!["a\nb".into()]));
        assert_eq!(split("\"a\r\nb\""), Ok(vec!["a\nb".into()]));
    }

    #[test]
    fn quote_errors_match_go() {
        assert_eq!(
            split("k=\"c,d\""),
            Err("parse error on line 1, column 3: bare \" in non-quoted-field".into())
        );
        assert_eq!(
            split("\"a\"b"),
            Err("parse error on line 1, column 3: extraneous or missing \" in quoted-field".into())
        );
        assert_eq!(
            split("\"abc"),
            Err("parse error on line 1, column 5: extraneous or missing \" in quoted-field".into())
        );
    }

    #[test]
    fn a_newline_ends_the_record_and_blank_lines_before_it_are_skipped() {
        assert_eq!(split("a\nA"), Ok(vec!["a".into()]));
        assert_eq!(split("\n\na,b\nc"), Ok(vec!["a".into(), "b".into()]));
        assert_eq!(split("a\r"), Ok(vec!["a".into()]));
        assert_eq!(split("a\r\n"), Ok(vec!["a".into()]));
        assert_eq!(split("\n"), Err("EOF".into()));
    }

    #[test]
    fn bools_follow_strconv() {
        assert_eq!(parse_bool("T"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("yes"), None);
    }
}
