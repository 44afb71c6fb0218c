//! The flags every secret subcommand shares (`NAME`, output, checks, metadata), and kubectl's
//! argument rules that turn them into [`OutputOptions`]: exactly one NAME before `--`, the CSV
//! splitting of `StringSlice` flags, `-o` and `--dry-run` values. Errors here are usage errors
//! (exit 2) and never echo a value.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};

use clap::Args;

use super::SnippetFileArgs;
use crate::go::pflag::{parse_bool, split_string_slice};
use crate::kinds::shared::{OutputFormat, OutputOptions, Validation};
use crate::report::text::display_bytes;
use crate::report::text::ordinal;
use crate::report::{Error, Result};
use crate::secret::Shape;

/// The shared flags as the program runs on them.
pub fn output_options(common: &CommonArgs) -> Result<OutputOptions> {
    check_dry_run(common.dry_run.as_deref())?;
    Ok(OutputOptions {
        append_hash: common.append_hash,
        validation: common.validate,
        strict: common.strict,
        format: parse_output_format(common.output.as_deref())?,
        namespace: common.namespace.clone().map(OsString::into_vec),
        save_config: common.save_config,
        shape: common.kubectl_compat,
        labels: parse_pairs(&common.labels, "--label")?,
        annotations: parse_pairs(&common.annotations, "--annotation")?,
        immutable: common.immutable,
        output_file: common.output_file.clone().map(|path| (path, common.force)),
        snippet_file: snippet_file(common)?,
    })
}

/// `--snippet-file`, which may not name the file `-O` writes.
fn snippet_file(common: &CommonArgs) -> Result<Option<crate::pipeline::SnippetFile>> {
    let snippet = common.snippet.snippet_file(common.force);
    if let (Some(snippet), Some(output)) = (&snippet, &common.output_file)
        && same_path(&snippet.path, output)
    {
        return Err(Error::usage(
            "--snippet-file and --output-file name the same file: the snippet would replace the manifest",
        )
        .hint("give the snippet its own file, e.g. --snippet-file=NAME.snippet.json"));
    }
    Ok(snippet)
}

/// Whether two paths name one file: the same absolute path, or (when both exist) the same
/// inode.
fn same_path(a: &std::path::Path, b: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
        return a.dev() == b.dev() && a.ino() == b.ino();
    }
    match (std::path::absolute(a), std::path::absolute(b)) {
        (Ok(a), Ok(b)) => a.components().eq(b.components()),
        _ => a == b,
    }
}

/// `NameFromCommandArgs`: exactly one argument before `--`.
pub fn name_from_args(args: &NameArgs, subcommand: &str) -> Result<Vec<u8>> {
    match args.names.as_slice() {
        [name] => Ok(name.as_bytes().to_vec()),
        names => Err(Error::usage(format!(
            "exactly one NAME is required, got {}",
            names.len()
        ))
        .hint(format!(
            "pachsecret {subcommand} NAME [flags]; flags that take a value need '=' when it is optional (--dry-run=client, --validate=false)"
        ))),
    }
}

fn parse_output_format(output: Option<&str>) -> Result<OutputFormat> {
    let Some(output) = output else {
        return Ok(OutputFormat::Json);
    };
    match output.to_ascii_lowercase().as_str() {
        "json" => Ok(OutputFormat::Json),
        "name" => Ok(OutputFormat::Name),
        "" => Ok(OutputFormat::DryRunMessage),
        "yaml" => Err(Error::usage("-o yaml is not supported: pachsecret writes JSON")
            .hint("pachctl create secret reads JSON only; use -o json (the default)")),
        _ => Err(Error::usage(
            "-o names an output format pachsecret cannot print (the value is not shown, in case it is a secret)",
        )
        .hint("use -o json (the default) or -o name")),
    }
}

/// `GetDryRunStrategy`: pachsecret only ever does what kubectl's client dry run does.
fn check_dry_run(value: Option<&str>) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    let client = match crate::go::pflag::parse_bool(value) {
        Some(b) => b,
        None => match value {
            "unchanged" | "client" => true,
            "server" | "none" => false,
            _ => {
                return Err(Error::usage(
                    "Invalid dry-run value (not shown). Must be \"none\", \"server\", or \"client\".",
                )
                .hint("pachsecret only does what --dry-run=client does; leave the flag out"));
            }
        },
    };
    if client {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "--dry-run={value} would contact a cluster; pachsecret works offline and only writes the manifest"
        ))
        .hint("use --dry-run=client or leave the flag out, then apply it with `pachctl create secret -f FILE`"))
    }
}

/// Splits every occurrence of a `StringSlice` flag (pflag's CSV) into its items.
pub(crate) fn split_slice_flag(values: &[OsString], flag: &str) -> Result<Vec<Vec<u8>>> {
    let mut items = Vec::new();
    for (n, value) in values.iter().enumerate() {
        let bytes = value.as_bytes();
        // Named by position: the argument is a list of paths, but may hold a misplaced value.
        let split = split_string_slice(bytes).map_err(|e| {
            Error::usage(format!(
                "invalid argument for the {} {flag} (not shown, in case it is a secret): {}",
                ordinal(n + 1),
                e.0
            ))
            .hint(format!(
                "{flag} is a comma-separated list where '\"' quotes; quote a whole item that contains ',' or '\"', e.g. {flag}='\"a,b\"'"
            ))
        })?;
        items.extend(split);
    }
    Ok(items)
}

/// Parses repeated `KEY=VALUE` flags into a map; a key given twice is a usage error.
pub fn parse_pairs(values: &[OsString], flag: &str) -> Result<BTreeMap<Vec<u8>, Vec<u8>>> {
    let mut map = BTreeMap::new();
    for (n, value) in values.iter().enumerate() {
        let bytes = value.as_bytes();
        let Some(i) = bytes.iter().position(|b| *b == b'=') else {
            return Err(
                Error::usage(format!("the {} {flag} has no '='", ordinal(n + 1))).hint(format!(
                    "write {flag}=KEY=VALUE (the value may be empty: {flag}=KEY=)"
                )),
            );
        };
        let (key, value) = (bytes[..i].to_vec(), bytes[i + 1..].to_vec());
        if map.insert(key.clone(), value).is_some() {
            return Err(
                Error::usage(format!("{flag} {} is given twice", display_bytes(&key)))
                    .hint("give each key once"),
            );
        }
    }
    Ok(map)
}

/// `NAME`, counted as kubectl counts it: the arguments before `--`, exactly one.
#[derive(Debug, Args)]
pub struct NameArgs {
    /// Name of the secret (a DNS-1123 subdomain: lower case, digits, '-' and '.')
    #[arg(value_name = "NAME", num_args = 0..)]
    pub names: Vec<OsString>,

    /// Arguments after `--` are ignored, as kubectl ignores them.
    #[arg(last = true, hide = true, num_args = 0..)]
    pub after_dash: Vec<OsString>,
}

/// Help headings, in the order `--help` shows them.
pub(super) const SOURCES: &str = "Sources";
pub(super) const SECRET: &str = "Secret";
pub(super) const OUTPUT: &str = "Output";
pub(super) const CHECKS: &str = "Checks";
pub(super) const KUBECTL: &str = "kubectl compatibility";

/// Flags shared by every secret-creating subcommand.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Namespace to record in metadata.namespace (pachd ignores it: secrets live in its own)
    #[arg(
        short = 'n',
        long,
        value_name = "NAMESPACE",
        allow_hyphen_values = true,
        help_heading = SECRET
    )]
    pub namespace: Option<OsString>,

    /// Add a label: KEY=VALUE (repeatable; checked as the API server checks labels)
    #[arg(
        long = "label",
        short = 'l',
        value_name = "KEY=VALUE",
        allow_hyphen_values = true,
        help_heading = SECRET
    )]
    pub labels: Vec<OsString>,

    /// Add an annotation: KEY=VALUE (repeatable)
    #[arg(
        long = "annotation",
        value_name = "KEY=VALUE",
        allow_hyphen_values = true,
        help_heading = SECRET
    )]
    pub annotations: Vec<OsString>,

    /// Mark the secret immutable (`immutable: true`): its data can then never be changed
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = parse_go_bool,
        help_heading = SECRET
    )]
    pub immutable: Option<bool>,

    /// Append a hash of the secret's content to its name (NAME-HASH), as kubectl does
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool,
        help_heading = SECRET
    )]
    pub append_hash: bool,

    /// Output format: json (the default) or name (prints secret/NAME)
    #[arg(
        short = 'o',
        long,
        value_name = "FORMAT",
        allow_hyphen_values = true,
        help_heading = OUTPUT
    )]
    pub output: Option<String>,

    /// Write the manifest to PATH (mode 0600, atomically) instead of standard output
    #[arg(short = 'O', long, value_name = "PATH", help_heading = OUTPUT)]
    pub output_file: Option<std::path::PathBuf>,

    /// Replace an existing --output-file or --snippet-file
    #[arg(long, help_heading = OUTPUT)]
    pub force: bool,

    /// Extra checks: strict|true (fail), warn (print only), ignore|false (kubectl's exact behaviour)
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "strict",
        default_value = "strict",
        value_parser = Validation::parse,
        help_heading = CHECKS,
        long_help = "\
What to do with the checks kubectl skips but the API server enforces (DNS-1123 name, \
1 MiB total, keys required by --type) and with warnings (a value ending in a newline). \
strict or true: fail with exit status 1 (the default). warn: print them and write the \
secret anyway. ignore or false: no checks and no warnings, exactly kubectl's behaviour."
    )]
    pub validate: Validation,

    /// Treat warnings as errors (exit 1, nothing written)
    #[arg(long, help_heading = CHECKS)]
    pub strict: bool,

    /// Reproduce the output of this kubectl release: 1.27 to 1.33
    /// print `"creationTimestamp": null`, 1.34 and later omit it
    #[arg(
        long,
        value_name = "VERSION",
        default_value = "1.33",
        value_parser = parse_kubectl_compat,
        help_heading = KUBECTL
    )]
    pub kubectl_compat: Shape,

    /// Record the manifest in the kubectl.kubernetes.io/last-applied-configuration annotation
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool,
        help_heading = KUBECTL
    )]
    pub save_config: bool,

    /// Accepted for kubectl compatibility; pachsecret never contacts a cluster (only client)
    #[arg(
        long,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "unchanged",
        hide_short_help = true,
        help_heading = KUBECTL
    )]
    pub dry_run: Option<String>,

    /// Accepted for kubectl compatibility; has no effect on the manifest
    #[arg(
        long,
        value_name = "NAME",
        hide_short_help = true,
        help_heading = KUBECTL
    )]
    pub field_manager: Option<String>,

    /// Accepted for kubectl compatibility; has no effect on the manifest
    #[arg(
        long,
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        default_value = "false",
        value_parser = parse_go_bool,
        hide_short_help = true,
        help_heading = KUBECTL
    )]
    pub show_managed_fields: bool,

    #[command(flatten)]
    pub snippet: SnippetFileArgs,
}

/// `--kubectl-compat`: the releases whose output was compared byte for byte.
fn parse_kubectl_compat(value: &str) -> Result<Shape, String> {
    let minor = value
        .strip_prefix("v")
        .unwrap_or(value)
        .strip_prefix("1.")
        .and_then(|m| m.split('.').next())
        .and_then(|m| m.parse::<u32>().ok());
    match minor {
        Some(27..=33) => Ok(Shape::Kubectl133),
        Some(34..=37) => Ok(Shape::Kubectl134),
        _ => Err("supported releases are 1.27 to 1.37 (1.27-1.33 print \"creationTimestamp\": null, 1.34-1.37 omit it)".into()),
    }
}

/// pflag's bool values (`strconv.ParseBool`), with its error text.
pub(crate) fn parse_go_bool(value: &str) -> Result<bool, String> {
    parse_bool(value).ok_or_else(|| "strconv.ParseBool: invalid syntax".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_split_at_the_first_equals_and_refuse_repeats() {
        let map = parse_pairs(&["a=b=c".into(), "e=".into()], "--label").unwrap();
        assert_eq!(map[b"a".as_slice()], b"b=c");
        assert_eq!(map[b"e".as_slice()], b"");
        assert!(parse_pairs(&["a".into()], "--label").is_err());
        assert!(parse_pairs(&["a=1".into(), "a=2".into()], "--label").is_err());
    }
}
