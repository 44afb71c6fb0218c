//! Pipeline spec files: finding the specs in a file, and patching one in place, byte-exactly.
//!
//! A file may hold one spec, a JSON array of specs, specs separated by `---` lines (both read
//! by Pachyderm 2.x) or concatenated objects (read by 1.x only). pachsecret accepts all four;
//! `check` warns about the last.
//!
//! Patching edits the original bytes: it finds `transform`, `transform.secrets` and
//! `transform.image_pull_secrets` by their spans and replaces or inserts only what changes,
//! laid out like the surrounding text (its indentation, one-line or multi-line style, and its
//! `:` spacing). Every other byte, including number formats, escapes, comments-free whitespace
//! and the framing between specs, stays as it was. Entries for the same `env_var`, or the same
//! mounted secret, are updated rather than duplicated, so patching twice changes nothing.

use std::ops::Range;

use crate::report::Finding;
use crate::report::{Error, Result};
use crate::syntax::json::{Member, Node, Value, parse_value_at, skip_whitespace};

use super::fragment::{Fragment, Json, Naming, SecretMount, Style, push_json_string};

/// How several specs share a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// One object.
    Single,
    /// A JSON array of objects.
    Array,
    /// Documents separated by `---` lines.
    Separated,
    /// Objects one after another (Pachyderm 1.x only).
    Concatenated,
}

/// The specs found in a file, with the spans of the original bytes.
#[derive(Debug)]
pub struct SpecFile {
    pub framing: Framing,
    pub specs: Vec<Node>,
}

impl SpecFile {
    /// A file-level warning about the framing, if Pachyderm 2.x would not read it.
    pub fn framing_warning(&self) -> Option<Finding> {
        (self.framing == Framing::Concatenated && self.specs.len() > 1).then(|| {
            Finding::warning(
                "the specs are concatenated JSON objects, which only Pachyderm 1.x reads",
            )
            .hint("for 2.x put a line `---` between them, or wrap them in a JSON array")
        })
    }
}

/// Finds the specs in `input`. Errors say why the file cannot be read and how to proceed.
pub fn read_specs(input: &[u8], shown: &str) -> Result<SpecFile> {
    let documents = split_documents(input);
    let separated = documents.len() > 1;
    let mut values = Vec::new();
    for range in documents {
        let start = skip_whitespace(input, range.start);
        if start >= range.end {
            continue;
        }
        if input[start] != b'{' && input[start] != b'[' {
            return Err(not_json(shown));
        }
        let mut pos = start;
        while pos < range.end {
            let (node, end) = parse_value_at(&input[..range.end], pos).map_err(|e| {
                Error::rejected(format!(
                    "{shown}: invalid JSON at {}: {}",
                    e.position(input),
                    e.message
                ))
                .hint("fix the syntax first; pachctl would refuse the file too")
            })?;
            values.push(node);
            pos = skip_whitespace(input, end);
            if pos < range.end && input[pos] != b'{' {
                return Err(Error::rejected(format!(
                    "{shown}: unexpected bytes after a spec at {}",
                    position(input, pos)
                ))
                .hint("a spec file holds JSON objects, a JSON array of them, or objects separated by `---` lines"));
            }
        }
    }
    let framing = if separated {
        Framing::Separated
    } else if values.len() > 1 {
        Framing::Concatenated
    } else if values.first().is_some_and(|v| v.as_array().is_some()) {
        Framing::Array
    } else {
        Framing::Single
    };
    let mut specs = Vec::new();
    for value in values {
        match value.value {
            Value::Array(items) if framing != Framing::Concatenated => specs.extend(items),
            _ => specs.push(value),
        }
    }
    if specs.is_empty() {
        return Err(Error::rejected(format!("{shown}: no pipeline spec found"))
            .hint("a spec is a JSON object with pipeline, transform and input"));
    }
    if let Some(bad) = specs.iter().find(|s| s.as_object().is_none()) {
        return Err(Error::rejected(format!(
            "{shown}: expected pipeline specs (JSON objects), found {} at {}",
            bad.kind(),
            position(input, bad.span.start)
        )));
    }
    Ok(SpecFile { framing, specs })
}

fn position(input: &[u8], offset: usize) -> String {
    let (line, column) = crate::syntax::json::line_column(input, offset);
    format!("line {line}, column {column}")
}

fn not_json(shown: &str) -> Error {
    Error::rejected(format!(
        "{shown} is not a JSON pipeline spec (YAML?); pachsecret reads and patches JSON specs only"
    ))
    .hint("convert it with `yq -o=json . SPEC.yaml > SPEC.json`, or paste the output of `pachsecret snippet` into your YAML (JSON is valid YAML)")
}

/// Ranges of the documents of a `---`-separated file (the whole input when there is no
/// separator). A JSON string cannot hold a raw newline, so a line that is exactly `---` is
/// always a separator.
fn split_documents(input: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut doc_start = 0;
    let mut line_start = 0;
    while line_start < input.len() {
        let line_end = input[line_start..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(input.len(), |i| line_start + i);
        let line = &input[line_start..line_end];
        let trimmed = line
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'))
            .map_or(&line[..0], |i| &line[..=i]);
        if trimmed == b"---" {
            ranges.push(doc_start..line_start);
            doc_start = (line_end + 1).min(input.len());
        }
        line_start = line_end + 1;
    }
    ranges.push(doc_start..input.len());
    ranges
}

/// A replacement of `range` by `text` in the original bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// Applies non-overlapping edits.
pub fn apply_edits(input: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out =
        Vec::with_capacity(input.len() + edits.iter().map(|e| e.text.len()).sum::<usize>());
    let mut pos = 0;
    for edit in edits {
        out.extend_from_slice(&input[pos..edit.range.start]);
        out.extend_from_slice(edit.text.as_bytes());
        pos = edit.range.end;
    }
    out.extend_from_slice(&input[pos..]);
    out
}

/// The spelling a spec already uses: lowerCamel if its keys have humps and no underscores.
pub fn detect_naming(spec: &Node) -> Naming {
    let mut keys: Vec<&str> = Vec::new();
    if let Some(members) = spec.as_object() {
        keys.extend(members.iter().map(|m| m.key.as_str()));
    }
    if let Some(transform) = spec.get("transform").and_then(Node::as_object) {
        keys.extend(transform.iter().map(|m| m.key.as_str()));
        if let Some(entries) = spec
            .get("transform")
            .and_then(|t| t.get("secrets"))
            .and_then(Node::as_array)
        {
            for entry in entries.iter().filter_map(Node::as_object) {
                keys.extend(entry.iter().map(|m| m.key.as_str()));
            }
        }
    }
    let snake = keys.iter().any(|k| k.contains('_'));
    let camel = keys
        .iter()
        .any(|k| k.bytes().skip(1).any(|b| b.is_ascii_uppercase()));
    if camel && !snake {
        Naming::Camel
    } else {
        Naming::Snake
    }
}

/// The edits that make `spec` use `fragment`.
pub fn patch_edits(
    input: &[u8],
    spec: &Node,
    fragment: &Fragment,
    naming: Naming,
) -> Result<Vec<Edit>> {
    let members = spec.as_object().unwrap_or(&[]);
    let mut edits = Vec::new();
    let wanted = fragment.transform_members(naming);
    let Some(transform) = members.iter().find(|m| m.key == "transform") else {
        let value = Json::Object(wanted);
        insert_member(input, spec, None, "transform", &value, &mut edits);
        return Ok(edits);
    };
    let node = &transform.value;
    let Some(transform_members) = node.as_object() else {
        return Err(Error::rejected(format!(
            "transform is {}, not an object; cannot add secrets to it",
            node.kind()
        )));
    };
    let parent = Some(Layout::of(input, spec, None));

    if !fragment.secrets.is_empty() {
        match transform_members.iter().find(|m| m.key == "secrets") {
            None => {
                let value =
                    Json::Array(fragment.secrets.iter().map(|s| s.to_json(naming)).collect());
                insert_member(input, node, parent.as_ref(), "secrets", &value, &mut edits);
            }
            Some(member) => merge_secrets(
                input,
                node,
                parent.as_ref(),
                member,
                fragment,
                naming,
                &mut edits,
            )?,
        }
    }
    if !fragment.image_pull_secrets.is_empty() {
        let existing: Vec<&Member> = transform_members
            .iter()
            .filter(|m| m.key == "image_pull_secrets" || m.key == "imagePullSecrets")
            .collect();
        match existing.as_slice() {
            [] => {
                let value = Json::Array(
                    fragment
                        .image_pull_secrets
                        .iter()
                        .map(|s| Json::String(s.clone()))
                        .collect(),
                );
                insert_member(
                    input,
                    node,
                    parent.as_ref(),
                    naming.image_pull_secrets(),
                    &value,
                    &mut edits,
                );
            }
            [member] => {
                // `null` is an empty list to protobuf's JSON reader; it is replaced by one.
                let items: &[Node] = match &member.value.value {
                    Value::Array(items) => items,
                    Value::Null => &[],
                    _ => {
                        return Err(Error::rejected(format!(
                            "transform.{} is {}, not an array",
                            member.key,
                            member.value.kind()
                        )));
                    }
                };
                let new: Vec<Json> = fragment
                    .image_pull_secrets
                    .iter()
                    .filter(|name| !items.iter().any(|i| i.as_str() == Some(name.as_str())))
                    .map(|name| Json::String(name.clone()))
                    .collect();
                let layout = Layout::of(input, node, parent.as_ref());
                append_elements(input, &member.value, &layout, new, &mut edits);
            }
            _ => {
                return Err(Error::rejected(
                    "transform has both image_pull_secrets and imagePullSecrets; Pachyderm 2.x refuses that",
                )
                .hint("merge them into one field, then run patch again"));
            }
        }
    }
    Ok(edits)
}

fn merge_secrets(
    input: &[u8],
    transform: &Node,
    parent: Option<&Layout>,
    member: &Member,
    fragment: &Fragment,
    naming: Naming,
    edits: &mut Vec<Edit>,
) -> Result<()> {
    let items: &[Node] = match &member.value.value {
        Value::Array(items) => items,
        Value::Null => &[],
        _ => {
            return Err(Error::rejected(format!(
                "transform.secrets is {}, not an array",
                member.value.kind()
            )));
        }
    };
    let transform_layout = Layout::of(input, transform, parent);
    let array_layout = Layout::of(input, &member.value, Some(&transform_layout));
    let mut new = Vec::new();
    for wanted in &fragment.secrets {
        match items.iter().find(|item| same_entry(item, wanted)) {
            Some(existing) => {
                let layout = Layout::of(input, existing, Some(&array_layout));
                update_entry(existing, &layout, wanted, naming, edits);
            }
            None => new.push(wanted.to_json(naming)),
        }
    }
    append_elements(input, &member.value, &transform_layout, new, edits);
    Ok(())
}

/// Either spelling of a SecretMount field.
fn field<'a>(item: &'a Node, snake: &str, camel: &str) -> Option<&'a Member> {
    item.as_object()?
        .iter()
        .find(|m| m.key == snake || m.key == camel)
}

fn field_str<'a>(item: &'a Node, snake: &str, camel: &str) -> Option<&'a str> {
    field(item, snake, camel).and_then(|m| m.value.as_str())
}

/// An existing entry is the one to update when it sets the same variable, or mounts the same
/// secret.
fn same_entry(item: &Node, wanted: &SecretMount) -> bool {
    if let Some(env_var) = &wanted.env_var {
        return field_str(item, "env_var", "envVar") == Some(env_var.as_str());
    }
    wanted.mount_path.is_some()
        && field_str(item, "name", "name") == Some(wanted.name.as_str())
        && field(item, "mount_path", "mountPath").is_some()
}

fn update_entry(
    item: &Node,
    layout: &Layout,
    wanted: &SecretMount,
    naming: Naming,
    edits: &mut Vec<Edit>,
) {
    let mut missing = Vec::new();
    for (name, value) in wanted.members(naming) {
        let (snake, camel) = match name {
            "envVar" | "env_var" => ("env_var", "envVar"),
            "mountPath" | "mount_path" => ("mount_path", "mountPath"),
            other => (other, other),
        };
        match field(item, snake, camel) {
            Some(m) if m.value.as_str() == Some(value.as_str()) => {}
            Some(m) => {
                let mut text = String::new();
                push_json_string(&mut text, &value);
                edits.push(Edit {
                    range: m.value.span.clone(),
                    text,
                });
            }
            None => missing.push((name.to_string(), Json::String(value))),
        }
    }
    for (name, value) in missing {
        insert_member_with(item, layout, &name, &value, edits);
    }
}

/// How the members of an object (or the elements of an array) are laid out in the file.
#[derive(Clone, Debug)]
struct Layout {
    /// Whitespace before the first member: `"\n    "`, `" "` or `""`.
    lead: String,
    /// Between two members, comma included: `",\n    "`, `", "`, `" , "`...
    sep: String,
    /// Indentation of the members' lines (what follows the last newline of `lead`).
    member_indent: String,
    /// Indentation of the line the container opens on.
    line_indent: String,
    /// How new values are rendered (indent unit, one line or several, `:` and `,` spacing).
    style: Style,
}

impl Layout {
    /// The layout of `node`'s members; an empty container borrows its parent's style.
    fn of(input: &[u8], node: &Node, parent: Option<&Layout>) -> Layout {
        let line_indent = line_indent(input, node.span.start);
        let (starts, ends): (Vec<usize>, Vec<usize>) = match &node.value {
            Value::Object(members) => members
                .iter()
                .map(|m| (m.key_span.start, m.value.span.end))
                .unzip(),
            Value::Array(items) => items.iter().map(|i| (i.span.start, i.span.end)).unzip(),
            _ => (Vec::new(), Vec::new()),
        };
        let mut style = parent.map_or_else(Style::default, |p| p.style.clone());
        if let Some(first) = node.as_object().and_then(<[Member]>::first) {
            style.colon =
                String::from_utf8_lossy(&input[first.key_span.end..first.value.span.start])
                    .into_owned();
        }
        let Some(&first_start) = starts.first() else {
            let member_indent = if style.multiline {
                format!("{line_indent}{}", style.indent)
            } else {
                String::new()
            };
            let lead = if style.multiline {
                format!("\n{member_indent}")
            } else {
                String::new()
            };
            let sep = if style.multiline {
                format!(",{lead}")
            } else {
                style.comma.clone()
            };
            return Layout {
                lead,
                sep,
                member_indent,
                line_indent,
                style,
            };
        };
        let lead = String::from_utf8_lossy(&input[node.span.start + 1..first_start]).into_owned();
        style.multiline = lead.contains('\n');
        let sep = match (ends.first(), starts.get(1)) {
            (Some(&first_end), Some(&second)) => {
                String::from_utf8_lossy(&input[first_end..second]).into_owned()
            }
            _ if style.multiline => format!(",{lead}"),
            _ if style.colon.ends_with(' ') => ", ".into(),
            _ => format!(",{lead}"),
        };
        let member_indent = lead.rsplit('\n').next().unwrap_or("").to_string();
        if style.multiline {
            if let Some(unit) = member_indent
                .strip_prefix(line_indent.as_str())
                .filter(|unit| !unit.is_empty())
            {
                style.indent = unit.to_string();
            }
        } else {
            style.comma = sep.clone();
        }
        Layout {
            lead,
            sep,
            member_indent,
            line_indent,
            style,
        }
    }
}

/// The leading whitespace of the line holding `offset`.
fn line_indent(input: &[u8], offset: usize) -> String {
    let start = input[..offset]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let indent = input[start..offset]
        .iter()
        .take_while(|b| **b == b' ' || **b == b'\t')
        .count();
    String::from_utf8_lossy(&input[start..start + indent]).into_owned()
}

fn insert_member(
    input: &[u8],
    object: &Node,
    parent: Option<&Layout>,
    name: &str,
    value: &Json,
    edits: &mut Vec<Edit>,
) {
    let layout = Layout::of(input, object, parent);
    insert_member_with(object, &layout, name, value, edits);
}

/// Adds `"name": value` as the last member of `object`.
fn insert_member_with(
    object: &Node,
    layout: &Layout,
    name: &str,
    value: &Json,
    edits: &mut Vec<Edit>,
) {
    let mut member = String::new();
    push_json_string(&mut member, name);
    member.push_str(&layout.style.colon);
    let base = if layout.style.multiline {
        layout.member_indent.as_str()
    } else {
        ""
    };
    value.render(&layout.style, base, &mut member);
    match object.as_object().and_then(<[Member]>::last) {
        Some(last) => edits.push(Edit {
            range: last.value.span.end..last.value.span.end,
            text: format!("{}{member}", layout.sep),
        }),
        None => {
            // `{}` or `{ }`: rewrite the braces around the one new member.
            let closing = if layout.style.multiline {
                format!("\n{}", layout.line_indent)
            } else {
                String::new()
            };
            edits.push(Edit {
                range: object.span.clone(),
                text: format!("{{{}{member}{closing}}}", layout.lead),
            });
        }
    }
}

/// Appends `values` to the array `array`, laid out like its elements (or, for an empty
/// array, like `container`'s members one level deeper).
fn append_elements(
    input: &[u8],
    array: &Node,
    container: &Layout,
    values: Vec<Json>,
    edits: &mut Vec<Edit>,
) {
    if values.is_empty() {
        return;
    }
    let layout = Layout::of(input, array, Some(container));
    let base = if layout.style.multiline {
        layout.member_indent.clone()
    } else {
        String::new()
    };
    let mut text = String::new();
    for (i, value) in values.iter().enumerate() {
        let has_before = i > 0 || array.as_array().is_some_and(|a| !a.is_empty());
        if has_before {
            text.push_str(&layout.sep);
        } else {
            text.push_str(&layout.lead);
        }
        value.render(&layout.style, &base, &mut text);
    }
    match array.as_array().and_then(<[Node]>::last) {
        Some(last) => edits.push(Edit {
            range: last.span.end..last.span.end,
            text,
        }),
        None => {
            let closing = if layout.style.multiline {
                format!("\n{}", layout.line_indent)
            } else {
                String::new()
            };
            edits.push(Edit {
                range: array.span.clone(),
                text: format!("[{text}{closing}]"),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patch(input: &str, fragment: &Fragment) -> String {
        let file = read_specs(input.as_bytes(), "spec.json").expect("specs");
        let mut edits = Vec::new();
        for spec in &file.specs {
            let naming = detect_naming(spec);
            edits.extend(patch_edits(input.as_bytes(), spec, fragment, naming).expect("patch"));
        }
        String::from_utf8(apply_edits(input.as_bytes(), edits)).expect("utf8")
    }

    fn clearml() -> Fragment {
        Fragment {
            secrets: vec![
                SecretMount::env("clearml", "CLEARML_API_ACCESS_KEY", "access"),
                SecretMount::env("clearml", "CLEARML_API_SECRET_KEY", "secret"),
            ],
            image_pull_secrets: Vec::new(),
        }
    }

    #[test]
    fn inserts_secrets_with_the_files_indentation() {
        let input = "{\n    \"pipeline\": {\"name\": \"mnist\"},\n    \"transform\": {\n        \"image\": \"x:1\",\n        \"cmd\": [\"python3\"]\n    }\n}\n";
        let out = patch(input, &clearml());
        assert_eq!(
            out,
            "{\n    \"pipeline\": {\"name\": \"mnist\"},\n    \"transform\": {\n        \"image\": \"x:1\",\n        \"cmd\": [\"python3\"],\n        \"secrets\": [\n            {\n                \"name\": \"clearml\",\n                \"env_var\": \"CLEARML_API_ACCESS_KEY\",\n                \"key\": \"access\"\n            },\n            {\n                \"name\": \"clearml\",\n                \"env_var\": \"CLEARML_API_SECRET_KEY\",\n                \"key\": \"secret\"\n            }\n        ]\n    }\n}\n"
        );
        assert_eq!(patch(&out, &clearml()), out, "idempotent");
    }

    #[test]
    fn compact_specs_stay_compact() {
        let input = r#"{"pipeline":{"name":"p"},"transform":{"image":"x","secrets":[]}}"#;
        let out = patch(input, &clearml());
        assert_eq!(
            out,
            r#"{"pipeline":{"name":"p"},"transform":{"image":"x","secrets":[{"name":"clearml","env_var":"CLEARML_API_ACCESS_KEY","key":"access"},{"name":"clearml","env_var":"CLEARML_API_SECRET_KEY","key":"secret"}]}}"#
        );
        serde_json::from_str::<serde_json::Value>(&out).expect("valid");
        assert_eq!(patch(&out, &clearml()), out);
    }

    #[test]
    fn existing_entries_are_updated_in_place() {
        let input = r#"{"transform": {"secrets": [{"name": "old", "envVar": "CLEARML_API_ACCESS_KEY", "key": "a", "x": 1.50}]}}"#;
        let out = patch(input, &clearml());
        assert!(out.starts_with(r#"{"transform": {"secrets": [{"name": "clearml", "envVar": "CLEARML_API_ACCESS_KEY", "key": "access", "x": 1.50}, {"#), "{out}");
        assert_eq!(patch(&out, &clearml()), out);
    }

    #[test]
    fn null_lists_are_replaced() {
        let input = r#"{"transform": {"image": "x", "secrets": null, "image_pull_secrets": null}}"#;
        let mut fragment = clearml();
        fragment.secrets.truncate(1);
        fragment.image_pull_secrets.push("regcred".into());
        let out = patch(input, &fragment);
        assert_eq!(
            out,
            r#"{"transform": {"image": "x", "secrets": [{"name": "clearml", "env_var": "CLEARML_API_ACCESS_KEY", "key": "access"}], "image_pull_secrets": ["regcred"]}}"#
        );
        assert_eq!(patch(&out, &fragment), out);
    }

    #[test]
    fn framings_are_recognised() {
        let read = |s: &str| read_specs(s.as_bytes(), "f").map(|f| (f.framing, f.specs.len()));
        assert_eq!(read("{}").ok(), Some((Framing::Single, 1)));
        assert_eq!(read("[{}, {}]").ok(), Some((Framing::Array, 2)));
        assert_eq!(read("{}\n---\n{}\n").ok(), Some((Framing::Separated, 2)));
        assert_eq!(read("---\n{}\n").ok(), Some((Framing::Separated, 1)));
        assert_eq!(read("{} {}").ok(), Some((Framing::Concatenated, 2)));
        assert!(read("pipeline:\n  name: x\n").is_err());
        assert!(read("{} x").is_err());
    }
}
