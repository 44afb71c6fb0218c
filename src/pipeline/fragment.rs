//! The `transform` fragment that uses secrets, and the JSON text pachsecret writes for it.
//!
//! The model mirrors `SecretMount` and `Transform.image_pull_secrets` in Pachyderm's
//! `src/pps/pps.proto`. Field names are written in snake_case, as the pipeline-spec
//! documentation spells them, or in protobuf's lowerCamel JSON names (`--camel-case`); 2.x
//! accepts both. The same small renderer serves the standalone snippet and the text inserted
//! into an existing spec, so both look alike and are valid JSON on their own.

use crate::go::json::push_string;

/// How field names are spelled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Naming {
    /// `env_var`, `mount_path`, `image_pull_secrets` (the documented form).
    #[default]
    Snake,
    /// `envVar`, `mountPath`, `imagePullSecrets` (protobuf's JSON names).
    Camel,
}

impl Naming {
    pub fn env_var(self) -> &'static str {
        match self {
            Naming::Snake => "env_var",
            Naming::Camel => "envVar",
        }
    }

    pub fn mount_path(self) -> &'static str {
        match self {
            Naming::Snake => "mount_path",
            Naming::Camel => "mountPath",
        }
    }

    pub fn image_pull_secrets(self) -> &'static str {
        match self {
            Naming::Snake => "image_pull_secrets",
            Naming::Camel => "imagePullSecrets",
        }
    }
}

/// One `transform.secrets[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecretMount {
    pub name: String,
    pub env_var: Option<String>,
    pub key: Option<String>,
    pub mount_path: Option<String>,
}

impl SecretMount {
    pub fn env(name: &str, env_var: &str, key: &str) -> Self {
        SecretMount {
            name: name.into(),
            env_var: Some(env_var.into()),
            key: Some(key.into()),
            mount_path: None,
        }
    }

    pub fn mount(name: &str, path: &str) -> Self {
        SecretMount {
            name: name.into(),
            mount_path: Some(path.into()),
            ..SecretMount::default()
        }
    }

    /// The members in the order the documentation writes them: name, env_var, key,
    /// mount_path.
    pub fn members(&self, naming: Naming) -> Vec<(&'static str, String)> {
        let mut members = vec![("name", self.name.clone())];
        if let Some(env_var) = &self.env_var {
            members.push((naming.env_var(), env_var.clone()));
        }
        if let Some(key) = &self.key {
            members.push(("key", key.clone()));
        }
        if let Some(path) = &self.mount_path {
            members.push((naming.mount_path(), path.clone()));
        }
        members
    }

    pub fn to_json(&self, naming: Naming) -> Json {
        Json::Object(
            self.members(naming)
                .into_iter()
                .map(|(k, v)| (k.to_string(), Json::String(v)))
                .collect(),
        )
    }
}

/// What a pipeline's `transform` needs to use a set of secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fragment {
    pub secrets: Vec<SecretMount>,
    pub image_pull_secrets: Vec<String>,
}

impl Fragment {
    /// The members of `transform` this fragment sets.
    pub fn transform_members(&self, naming: Naming) -> Vec<(String, Json)> {
        let mut members = Vec::new();
        if !self.secrets.is_empty() {
            members.push((
                "secrets".to_string(),
                Json::Array(self.secrets.iter().map(|s| s.to_json(naming)).collect()),
            ));
        }
        if !self.image_pull_secrets.is_empty() {
            members.push((
                naming.image_pull_secrets().to_string(),
                Json::Array(
                    self.image_pull_secrets
                        .iter()
                        .map(|s| Json::String(s.clone()))
                        .collect(),
                ),
            ));
        }
        members
    }

    /// The standalone snippet: `{"transform": {...}}`, two-space indented like the
    /// documentation's specs, ending in a newline.
    pub fn to_snippet(&self, naming: Naming) -> String {
        let doc = Json::Object(vec![(
            "transform".to_string(),
            Json::Object(self.transform_members(naming)),
        )]);
        let mut out = String::new();
        doc.render(&Style::default(), "", &mut out);
        out.push('\n');
        out
    }
}

/// The few JSON shapes the fragment needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Layout of rendered JSON, chosen to match the document it goes into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// One level of indentation.
    pub indent: String,
    /// Members and elements on lines of their own; otherwise on one line.
    pub multiline: bool,
    /// Between a key and its value: `": "` or `":"`.
    pub colon: String,
    /// Between two members or elements on one line: `", "`, `","` or `" , "`.
    pub comma: String,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            indent: "  ".into(),
            multiline: true,
            colon: ": ".into(),
            comma: ", ".into(),
        }
    }
}

impl Json {
    /// Appends this value; `base` is the indentation of the line the value starts on.
    pub fn render(&self, style: &Style, base: &str, out: &mut String) {
        match self {
            Json::String(s) => push_json_string(out, s),
            Json::Array(items) => {
                render_container(
                    style,
                    base,
                    out,
                    ('[', ']'),
                    items.len(),
                    |i, inner, out| {
                        items[i].render(style, inner, out);
                    },
                );
            }
            Json::Object(members) => {
                render_container(
                    style,
                    base,
                    out,
                    ('{', '}'),
                    members.len(),
                    |i, inner, out| {
                        let (key, value) = &members[i];
                        push_json_string(out, key);
                        out.push_str(&style.colon);
                        value.render(style, inner, out);
                    },
                );
            }
        }
    }
}

fn render_container(
    style: &Style,
    base: &str,
    out: &mut String,
    (open, close): (char, char),
    len: usize,
    mut item: impl FnMut(usize, &str, &mut String),
) {
    out.push(open);
    if len == 0 {
        out.push(close);
        return;
    }
    let inner = format!("{base}{}", style.indent);
    for i in 0..len {
        if i > 0 {
            if style.multiline {
                out.push(',');
            } else {
                out.push_str(&style.comma);
            }
        }
        if style.multiline {
            out.push('\n');
            out.push_str(&inner);
        }
        item(i, &inner, out);
    }
    if style.multiline {
        out.push('\n');
        out.push_str(base);
    }
    out.push(close);
}

/// A JSON string literal with Go's escaping (valid JSON, safe to paste into HTML too).
pub fn push_json_string(out: &mut String, s: &str) {
    let mut bytes = Vec::with_capacity(s.len() + 2);
    push_string(&mut bytes, s.as_bytes());
    // push_string turns valid UTF-8 into valid UTF-8.
    out.push_str(&String::from_utf8_lossy(&bytes));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clearml() -> Fragment {
        Fragment {
            secrets: vec![
                SecretMount::env("clearml", "CLEARML_API_ACCESS_KEY", "access"),
                SecretMount::env("clearml", "CLEARML_API_SECRET_KEY", "secret"),
            ],
            image_pull_secrets: vec!["regcred".into()],
        }
    }

    #[test]
    fn snippet_is_documented_form_and_valid_json() {
        let text = clearml().to_snippet(Naming::Snake);
        assert_eq!(
            text,
            r#"{
  "transform": {
    "secrets": [
      {
        "name": "clearml",
        "env_var": "CLEARML_API_ACCESS_KEY",
        "key": "access"
      },
      {
        "name": "clearml",
        "env_var": "CLEARML_API_SECRET_KEY",
        "key": "secret"
      }
    ],
    "image_pull_secrets": [
      "regcred"
    ]
  }
}
"#
        );
        serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
    }

    #[test]
    fn camel_case_renames_the_proto_fields() {
        let mut f = clearml();
        f.secrets.push(SecretMount::mount("tls", "/etc/tls"));
        let text = f.to_snippet(Naming::Camel);
        assert!(text.contains("\"envVar\": \"CLEARML_API_ACCESS_KEY\""));
        assert!(text.contains("\"mountPath\": \"/etc/tls\""));
        assert!(text.contains("\"imagePullSecrets\": ["));
        assert!(!text.contains('_') || !text.contains("env_var"));
    }

    #[test]
    fn single_line_style() {
        let style = Style {
            indent: String::new(),
            multiline: false,
            ..Style::default()
        };
        let mut out = String::new();
        SecretMount::mount("a<b", "/x")
            .to_json(Naming::Snake)
            .render(&style, "", &mut out);
        assert_eq!(out, r#"{"name": "a\u003cb", "mount_path": "/x"}"#);
    }
}
