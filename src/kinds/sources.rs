//! Where secret data comes from: `--from-literal`, `--from-file` and `--from-env-file`.
//!
//! Each source kind follows kubectl (`create_secret.go`, `pkg/util/util.go`): how an argument
//! is split into key and path, how files, directories and env files are read, which key rule
//! applies, and that a key may be added only once. [`DataBuilder`] holds the data being built
//! and remembers where every key came from, so that later checks can name the flag and file.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use crate::go::apimachinery::{config_key_errors, config_key_message};
use crate::go::io_error::go_io_reason;
use crate::go::kubectl_envfile::{self as envfile, EnvFileError};
use crate::io::input::{self, Limit};
use crate::report::text::{display_bytes, display_path};
use crate::report::{Error, Result};
use crate::secret::{Data, SecretValue};

/// Where a key's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The n-th `--from-literal` (1-based).
    Literal(usize),
    /// A file named by `--from-file` (`flag` is the flag's name, for messages).
    File { flag: &'static str, path: PathBuf },
    /// A regular file found in a directory given to `--from-file`.
    DirectoryEntry { path: PathBuf },
    /// A `KEY=VALUE` line of an env file.
    EnvFile { path: PathBuf, line: usize },
    /// A bare `KEY` line of an env file, read from the environment.
    Environment { path: PathBuf, line: usize },
    /// A value read safely: `--from-env`, `--from-stdin`, `--from-prompt`, `--from-file=KEY=-`.
    /// `flag` names the occurrence (`the 2nd --from-env`).
    Input { flag: String, source: String },
    /// Built by pachsecret itself (tls, docker-registry).
    Generated,
}

impl Origin {
    /// "--from-file=cfg/pw.txt", "line 3 of .env", ... for messages.
    pub fn describe(&self) -> String {
        match self {
            Origin::Literal(n) => format!("--from-literal #{n}"),
            Origin::File { flag, path } => format!("{flag}={}", display_path(path)),
            Origin::DirectoryEntry { path } => {
                format!("--from-file directory entry {}", display_path(path))
            }
            Origin::EnvFile { path, line } => format!("line {line} of {}", display_path(path)),
            Origin::Environment { path, line } => {
                format!("the environment (line {line} of {})", display_path(path))
            }
            Origin::Input { flag, source } => format!("{flag}, {source}"),
            Origin::Generated => "generated".into(),
        }
    }

    /// Whether the key was typed on the command line (`--from-literal=KEY=…`,
    /// `--from-env=KEY=…`), rather than taken from a file name.
    fn key_was_typed(&self) -> bool {
        matches!(self, Origin::Literal(_) | Origin::Input { .. })
    }

    /// Whether the value was typed or written by a person as one short value (where a
    /// trailing newline is almost always an accident).
    pub fn is_user_value(&self) -> bool {
        !matches!(self, Origin::Generated)
    }
}

/// The `data` of a Secret under construction, with kubectl's key rules.
#[derive(Debug, Default)]
pub struct DataBuilder {
    data: Data,
    origins: Vec<(Vec<u8>, Origin)>,
    /// The checks will refuse any value over 1 MiB (`--validate=strict`), so none is read.
    strict: bool,
}

impl DataBuilder {
    /// An empty builder; with `strict`, inputs stop at the 1 MiB a Secret can hold.
    pub fn new(strict: bool) -> Self {
        DataBuilder {
            strict,
            ..Self::default()
        }
    }

    /// The most a value read into memory may hold.
    pub fn value_limit(&self) -> Limit {
        Limit::for_value(self.strict)
    }

    /// The most an env file may hold: a document, or with the checks off what a pipe can.
    pub fn env_file_limit(&self) -> Limit {
        if self.strict {
            Limit::DOCUMENT
        } else {
            Limit::UNCHECKED_VALUE
        }
    }

    /// `addKeyFromLiteralToSecret`: the key must be a valid config key and new.
    pub fn add(&mut self, key: Vec<u8>, value: Vec<u8>, origin: Origin) -> Result<()> {
        self.add_value(key, SecretValue::new(value), origin)
    }

    /// [`Self::add`] for a value that may be streamed from a large file.
    pub fn add_value(&mut self, key: Vec<u8>, value: SecretValue, origin: Origin) -> Result<()> {
        let errors = config_key_errors(&key);
        if !errors.is_empty() && origin.key_was_typed() {
            // A key typed on the command line may be a value given in the wrong place.
            return Err(Error::rejected(format!(
                "the key of {} is not a valid key name (not shown, in case it is a value): {}",
                origin.describe(),
                errors.join(";")
            ))
            .hint("keys may contain only letters, digits, '-', '_' and '.': write KEY=VALUE with such a key"));
        }
        if !errors.is_empty() {
            return Err(Error::rejected(config_key_message(&key, &errors)).hint(format!(
                "(from {}) keys may contain only letters, digits, '-', '_' and '.'; choose a key explicitly, e.g. --from-file=my-key=PATH",
                origin.describe()
            )));
        }
        if self.data.contains_key(&key) {
            let first = self
                .origin(&key)
                .map(Origin::describe)
                .unwrap_or_else(|| "an earlier source".into());
            return Err(Error::rejected(format!(
                "cannot add key {}, another key by that name already exists",
                display_bytes(&key)
            ))
            .hint(format!(
                "{} repeats the key first set by {first}; give one of them another key name",
                origin.describe()
            )));
        }
        self.data.insert(key.clone(), value);
        self.origins.push((key, origin));
        Ok(())
    }

    pub fn origin(&self, key: &[u8]) -> Option<&Origin> {
        self.origins.iter().find(|(k, _)| k == key).map(|(_, o)| o)
    }

    pub fn origins(&self) -> &[(Vec<u8>, Origin)] {
        &self.origins
    }

    pub fn into_parts(self) -> (Data, Vec<(Vec<u8>, Origin)>) {
        (self.data, self.origins)
    }
}

/// `ParseLiteralSource`: split at the first `=`; the key must not be empty. The argument is
/// never echoed: when it has no `=` it is most likely a bare value.
pub fn add_literal(builder: &mut DataBuilder, index: usize, source: &OsStr) -> Result<()> {
    let bytes = source.as_bytes();
    match bytes.iter().position(|b| *b == b'=') {
        Some(0) => Err(Error::usage(format!(
            "invalid literal source (--from-literal #{index}): the key before '=' is empty, expected key=value"
        ))
        .hint("write --from-literal=KEY=VALUE")),
        None => Err(Error::usage(format!(
            "invalid literal source (--from-literal #{index}): no '=' found, expected key=value"
        ))
        .hint("write --from-literal=KEY=VALUE; the argument is not shown here in case it is a secret value")),
        Some(i) => builder.add(bytes[..i].to_vec(), bytes[i + 1..].to_vec(), Origin::Literal(index)),
    }
}

/// A parsed `--from-file` argument (`ParseFileSource`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSource {
    /// The explicit `KEY=` part, if any.
    pub key: Option<Vec<u8>>,
    pub path: PathBuf,
}

impl FileSource {
    /// Counts `=` as kubectl does: none → the key is the file's base name; one → `KEY=PATH`;
    /// more → an error (so paths containing `=` cannot be used at all).
    pub fn parse(source: &[u8]) -> Result<FileSource> {
        let path_of = |b: &[u8]| PathBuf::from(OsStr::from_bytes(b));
        match source.iter().filter(|b| **b == b'=').count() {
            0 => Ok(FileSource {
                key: None,
                path: path_of(source),
            }),
            1 if source[0] == b'=' => Err(Error::usage(format!(
                "key name for file path {} missing",
                display_bytes(&source[1..])
            ))
            .hint(format!(
                "write --from-file=KEY={0} or --from-file={0} (the key is then the file name)",
                display_bytes(&source[1..])
            ))),
            1 if source.ends_with(b"=") => Err(Error::usage(format!(
                "file path for key name {} missing",
                display_bytes(&source[..source.len() - 1])
            ))
            .hint("write --from-file=KEY=PATH")),
            1 => {
                let i = source.iter().position(|b| *b == b'=').unwrap_or(0);
                Ok(FileSource {
                    key: Some(source[..i].to_vec()),
                    path: path_of(&source[i + 1..]),
                })
            }
            _ => Err(Error::usage("key names or file paths cannot contain '='").hint(format!(
                "in --from-file={}, only one '=' may separate KEY and PATH; link or copy a file whose path contains '=' to another name",
                display_bytes(source)
            ))),
        }
    }

    /// The key a bare path gets: Go's `path.Base` (trailing slashes stripped, `""` → `.`).
    pub fn default_key(path: &Path) -> Vec<u8> {
        let bytes = path.as_os_str().as_bytes();
        if bytes.is_empty() {
            return b".".to_vec();
        }
        let trimmed = {
            let mut end = bytes.len();
            while end > 0 && bytes[end - 1] == b'/' {
                end -= 1;
            }
            &bytes[..end]
        };
        if trimmed.is_empty() {
            return b"/".to_vec();
        }
        match trimmed.iter().rposition(|b| *b == b'/') {
            Some(i) => trimmed[i + 1..].to_vec(),
            None => trimmed.to_vec(),
        }
    }
}

fn stat_error(path: &Path, flag: &str, err: &std::io::Error) -> Error {
    Error::rejected(format!(
        "error reading {}: {}",
        display_path(path),
        go_io_reason(err)
    ))
    .hint(format!(
        "{flag} takes an existing file{}; relative paths start from the current directory",
        if flag == "--from-file" {
            " or directory"
        } else {
            ""
        }
    ))
}

/// `handleSecretFromFileSources` for one `--from-file` item.
///
/// A directory contributes each *regular* file directly inside it (by `lstat`, so symlinks,
/// subdirectories, fifos and devices are skipped; hidden files are kept), in name order; an
/// entry whose name is not a valid key is an error, not skipped (kubectl's help text says
/// otherwise, its code does this). A symlink given explicitly is followed.
pub fn add_file_source(builder: &mut DataBuilder, source: &FileSource) -> Result<()> {
    let flag = "--from-file";
    let metadata = fs::metadata(&source.path).map_err(|e| stat_error(&source.path, flag, &e))?;
    if !metadata.is_dir() {
        let value = input::read_value(flag, &source.path, builder.strict)?;
        let key = source
            .key
            .clone()
            .unwrap_or_else(|| FileSource::default_key(&source.path));
        return builder.add_value(
            key,
            value,
            Origin::File {
                flag,
                path: source.path.clone(),
            },
        );
    }
    if source.key.is_some() {
        return Err(Error::usage("cannot give a key name for a directory path").hint(format!(
            "{} is a directory: every file in it becomes a key named after the file; drop the KEY= part",
            display_path(&source.path)
        )));
    }
    let listing_error = |e: std::io::Error| {
        Error::rejected(format!(
            "error listing files in {}: {}",
            display_path(&source.path),
            go_io_reason(&e)
        ))
    };
    let mut entries = fs::read_dir(&source.path)
        .map_err(listing_error)?
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(listing_error)?;
    entries.sort_by(|a, b| a.file_name().as_bytes().cmp(b.file_name().as_bytes()));
    for entry in entries {
        let is_regular = entry.file_type().map_err(listing_error)?.is_file();
        if !is_regular {
            continue;
        }
        let path = entry.path();
        let value = input::read_value(flag, &path, builder.strict)?;
        builder.add_value(
            entry.file_name().as_bytes().to_vec(),
            value,
            Origin::DirectoryEntry { path },
        )?;
    }
    Ok(())
}

/// [`add_file_source`], except that the path `-` is standard input (kubectl would look for a
/// file named `-`: write `./-` for that). The key is `KEY=` if given, else `-`.
pub fn add_file_or_stdin(
    builder: &mut DataBuilder,
    source: &FileSource,
    reader: &mut crate::io::values::ValueReader,
) -> Result<()> {
    if source.path.as_os_str() != "-" {
        return add_file_source(builder, source);
    }
    let limit = builder.value_limit();
    let value = reader.read(&crate::io::values::ValueSource::Stdin, "--from-file", limit)?;
    let key = source.key.clone().unwrap_or_else(|| b"-".to_vec());
    let origin = Origin::Input {
        flag: "--from-file".into(),
        source: "standard input".into(),
    };
    builder.add(key, value.to_vec(), origin)
}

/// What reading env files found that kubectl would silently accept.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct EnvFileReport {
    /// (file, line): a line over 65,535 bytes where kubectl stops reading without an error.
    pub truncated: Vec<(PathBuf, usize)>,
}

/// `handleSecretFromEnvFileSources` for one env file.
pub fn add_env_file(
    builder: &mut DataBuilder,
    path: &Path,
    lookup_env: impl FnMut(&[u8]) -> Option<Vec<u8>>,
    report: &mut EnvFileReport,
) -> Result<()> {
    let flag = "--from-env-file";
    let metadata = fs::metadata(path).map_err(|e| stat_error(path, flag, &e))?;
    if metadata.is_dir() {
        return Err(
            Error::rejected("env secret file cannot be a directory").hint(format!(
                "{} is a directory; to add every file in it as a key use --from-file={0}",
                display_path(path)
            )),
        );
    }
    let lines = input::read(flag, path, builder.env_file_limit())?;
    add_env_lines(builder, path, lines.as_slice(), lookup_env, report)
}

/// Parses env-file lines from `input` (a file, or standard input for `--from-env-file=-`);
/// `path` names it in messages.
pub fn add_env_lines(
    builder: &mut DataBuilder,
    path: &Path,
    input: impl std::io::Read,
    lookup_env: impl FnMut(&[u8]) -> Option<Vec<u8>>,
    report: &mut EnvFileReport,
) -> Result<()> {
    let summary = envfile::parse(input, lookup_env, |entry| {
        let origin = if entry.from_environment {
            Origin::Environment {
                path: path.to_path_buf(),
                line: entry.line,
            }
        } else {
            Origin::EnvFile {
                path: path.to_path_buf(),
                line: entry.line,
            }
        };
        builder.add(entry.key, entry.value, origin)
    })
    .map_err(|e| match e {
        EnvFileError::Io(e) => Error::rejected(format!(
            "error reading {}: {}",
            display_path(path),
            go_io_reason(&e)
        )),
        EnvFileError::InvalidUtf8 { line, column } => Error::rejected(format!(
            "env file {} contains invalid utf8 bytes at line {line} (byte {column})",
            display_path(path)
        ))
        .hint("env files must be UTF-8 text; for binary values use --from-file=KEY=PATH instead"),
        EnvFileError::InvalidKey { line, message } => {
            Error::rejected(format!("line {line} of {}: {message}", display_path(path))).hint(
                "env file lines are KEY=VALUE (no 'export', no spaces around '='), a bare KEY to copy it from the environment, or # comments",
            )
        }
        EnvFileError::Rejected(e) => e,
    })?;
    if let Some(line) = summary.truncated_at_line {
        report.truncated.push((path.to_path_buf(), line));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_splits_at_the_first_equals() {
        let mut b = DataBuilder::new(true);
        add_literal(&mut b, 1, OsStr::new("a==b=c")).expect("valid");
        let (data, _) = b.into_parts();
        assert_eq!(data[b"a".as_slice()].in_memory(), Some(b"=b=c".as_slice()));
    }

    #[test]
    fn literal_errors_do_not_echo_the_argument() {
        let mut b = DataBuilder::new(true);
        let err = add_literal(&mut b, 2, OsStr::new("hunter2")).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        let err = add_literal(&mut b, 3, OsStr::new("=hunter2")).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn duplicate_keys_name_both_sources() {
        let mut b = DataBuilder::new(true);
        add_literal(&mut b, 1, OsStr::new("a=1")).expect("valid");
        let err = add_literal(&mut b, 2, OsStr::new("a=2")).unwrap_err();
        assert_eq!(
            err.message,
            "cannot add key a, another key by that name already exists"
        );
        assert!(
            err.to_string()
                .contains("--from-literal #2 repeats the key first set by --from-literal #1")
        );
    }

    #[test]
    fn file_sources_count_equals_signs() {
        assert_eq!(
            FileSource::parse(b"k=p").expect("valid"),
            FileSource {
                key: Some(b"k".to_vec()),
                path: "p".into()
            }
        );
        assert_eq!(FileSource::parse(b"p").expect("valid").key, None);
        assert_eq!(
            FileSource::parse(b"=p").unwrap_err().message,
            "key name for file path p missing"
        );
        assert_eq!(
            FileSource::parse(b"k=").unwrap_err().message,
            "file path for key name k missing"
        );
        assert_eq!(
            FileSource::parse(b"a=b=c").unwrap_err().message,
            "key names or file paths cannot contain '='"
        );
    }

    #[test]
    fn default_keys_follow_go_path_base() {
        let key = |p: &str| String::from_utf8(FileSource::default_key(Path::new(p))).expect("utf8");
        assert_eq!(key("a/b.txt"), "b.txt");
        assert_eq!(key("dir/"), "dir");
        assert_eq!(key("/"), "/");
        assert_eq!(key("///"), "/");
        assert_eq!(key(""), ".");
        assert_eq!(key("./a"), "a");
    }
}
