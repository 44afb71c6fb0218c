//! The `.dockerconfigjson` document: writing it as kubectl does, and reading existing ones as
//! the kubelet does.
//!
//! Writing mirrors `generateSecretDockerRegistry` in kubectl's `create_secret_docker.go`:
//! `json.Marshal` (compact, Go's HTML-safe escaping, no trailing newline) of
//!
//! ```text
//! {"auths":{SERVER:{"username":U,"password":P,"email":E,"auth":base64(U:P)}}}
//! ```
//!
//! with every entry field `omitempty`, servers in Go's map order (byte order of the raw
//! bytes), and `auth` computed on the raw bytes, so invalid UTF-8 stays intact there while the
//! `username`/`password` strings show `\ufffd`.
//!
//! Reading follows the kubelet's `credentialprovider.DockerConfigEntry.UnmarshalJSON`: an
//! entry's `auth`, when present, is base64 of `user:password` and wins over the separate
//! fields; entries without either cannot be used to pull.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};
use zeroize::{Zeroize as _, Zeroizing};

use crate::go::json::{Layout, ObjectWriter};
use crate::report::text::{quoted, shown};
use crate::secret::push_base64_string;

/// kubectl's `--docker-server` default: Docker Hub's historical v1 index.
pub const DEFAULT_SERVER: &[u8] = b"https://index.docker.io/v1/";

/// The data key of a `kubernetes.io/dockerconfigjson` Secret (`corev1.DockerConfigJsonKey`).
pub const DOCKER_CONFIG_JSON_KEY: &[u8] = b".dockerconfigjson";

/// The Secret type docker-registry produces (`corev1.SecretTypeDockerConfigJson`).
pub const DOCKER_CONFIG_JSON_TYPE: &[u8] = b"kubernetes.io/dockerconfigjson";

/// The credentials for one registry. `Debug` shows the username only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: Zeroizing<Vec<u8>>,
    pub password: Zeroizing<Vec<u8>>,
    pub email: Vec<u8>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &String::from_utf8_lossy(&self.username))
            .field("password", &"<redacted>")
            .field("email", &String::from_utf8_lossy(&self.email))
            .finish()
    }
}

impl Credentials {
    /// `user:password`, the bytes `auth` is the base64 of.
    fn user_colon_password(&self) -> Zeroizing<Vec<u8>> {
        let mut joined = Zeroizing::new(Vec::with_capacity(
            self.username.len() + 1 + self.password.len(),
        ));
        joined.extend_from_slice(&self.username);
        joined.push(b':');
        joined.extend_from_slice(&self.password);
        joined
    }
}

/// `{"auths": {...}}`: registries and their credentials, in Go's map order.
#[derive(Clone, Debug, Default)]
pub struct Auths {
    entries: BTreeMap<Vec<u8>, Credentials>,
}

impl Auths {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a registry; `false` if it is already present (the entry is not replaced).
    pub fn insert(&mut self, server: Vec<u8>, credentials: Credentials) -> bool {
        if self.entries.contains_key(&server) {
            return false;
        }
        self.entries.insert(server, credentials);
        true
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `json.Marshal(DockerConfigJSON{Auths: ...})`, byte for byte.
    pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
        let mut w = ObjectWriter::new(Layout::Compact);
        w.begin_object();
        w.key(b"auths");
        w.begin_object();
        for (server, credentials) in &self.entries {
            w.key(server);
            w.begin_object();
            for (field, value) in [
                (&b"username"[..], &credentials.username[..]),
                (b"password", &credentials.password),
                (b"email", &credentials.email),
            ] {
                if !value.is_empty() {
                    w.string_member(field, value);
                }
            }
            // Never empty: it holds at least the ':'.
            w.key(b"auth");
            push_base64_string(w.buffer(), &credentials.user_colon_password());
            w.end_object();
        }
        w.end_object();
        w.end_object();
        w.finish()
    }
}

/// What an existing Docker config file holds, as far as pulling images is concerned.
#[derive(Debug)]
pub struct ParsedConfig {
    /// `auths`, keyed by server, sorted by server.
    pub entries: Vec<(String, EntryState)>,
    /// `credsStore`: a helper holding every registry's credentials.
    pub creds_store: Option<String>,
    /// `credHelpers`: per-registry helpers.
    pub cred_helpers: BTreeMap<String, String>,
}

/// One `auths` entry, judged as the kubelet would.
#[derive(Debug)]
pub enum EntryState {
    /// Username and password the kubelet can send.
    Usable(Credentials),
    /// Only an `identitytoken` or `registrytoken` (OAuth tokens from `docker login` with
    /// some registries): the kubelet ignores those fields.
    TokenOnly,
    /// No credentials at all: typical of Docker Desktop, where they live in `credsStore`.
    Empty,
    /// Something the kubelet would fail on; the reason never contains a credential.
    Invalid(String),
}

/// Why a document is not a Docker config the kubelet can read.
#[derive(Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// Not JSON, or JSON but not an object; the text is serde's (positions only).
    NotJsonObject(String),
    /// The legacy `~/.dockercfg` layout: servers at the top level, no `auths`.
    LegacyDockercfg,
    /// An object without an `auths` object.
    NoAuths,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotJsonObject(reason) => write!(f, "is not a JSON object ({reason})"),
            ConfigError::LegacyDockercfg => f.write_str(
                "is in the legacy .dockercfg format (registries at the top level, no \"auths\")",
            ),
            ConfigError::NoAuths => f.write_str("has no \"auths\" object"),
        }
    }
}

impl ConfigError {
    /// How to fix the document.
    pub fn hint(&self) -> &'static str {
        match self {
            ConfigError::NotJsonObject(_) => {
                "give a Docker config such as ~/.docker/config.json: {\"auths\":{\"SERVER\":{\"auth\":\"base64(user:password)\"}}}"
            }
            ConfigError::LegacyDockercfg => {
                "wrap it as {\"auths\": <the old file>} to get .dockerconfigjson, or keep it as a kubernetes.io/dockercfg secret: pachsecret generic NAME --type=kubernetes.io/dockercfg --from-file=.dockercfg=PATH"
            }
            ConfigError::NoAuths => {
                "a .dockerconfigjson needs {\"auths\":{\"SERVER\":{...}}}; `docker login` writes one, or use pachsecret docker-registry with --docker-username"
            }
        }
    }
}

/// A parsed Docker config whose string values (passwords, `auth`, tokens) are zeroized when
/// it is dropped. serde_json's `Value` knows nothing of zeroizing; every parse of a Docker
/// config goes through this.
pub struct ScrubbedJson(pub Value);

impl ScrubbedJson {
    pub fn parse(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes).map(ScrubbedJson)
    }
}

impl Drop for ScrubbedJson {
    fn drop(&mut self) {
        fn scrub(value: &mut Value) {
            match value {
                Value::String(s) => s.zeroize(),
                Value::Array(items) => items.iter_mut().for_each(scrub),
                Value::Object(members) => members.values_mut().for_each(scrub),
                Value::Null | Value::Bool(_) | Value::Number(_) => {}
            }
        }
        scrub(&mut self.0);
    }
}

/// Parses a Docker config (`config.json` or a `.dockerconfigjson` value).
pub fn parse_config(bytes: &[u8]) -> Result<ParsedConfig, ConfigError> {
    let parsed =
        ScrubbedJson::parse(bytes).map_err(|e| ConfigError::NotJsonObject(syntax_position(&e)))?;
    let Value::Object(top) = &parsed.0 else {
        return Err(ConfigError::NotJsonObject(
            "a JSON value of another kind".into(),
        ));
    };
    let auths = match top.get("auths") {
        Some(Value::Object(auths)) => auths,
        Some(_) => return Err(ConfigError::NoAuths),
        None if looks_like_dockercfg(top) => return Err(ConfigError::LegacyDockercfg),
        None => return Err(ConfigError::NoAuths),
    };
    let entries = auths
        .iter()
        .map(|(server, entry)| (server.clone(), entry_state(entry)))
        .collect();
    let creds_store = top
        .get("credsStore")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let cred_helpers = top
        .get("credHelpers")
        .and_then(Value::as_object)
        .map(|helpers| {
            helpers
                .iter()
                .map(|(server, helper)| {
                    (
                        server.clone(),
                        helper.as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ParsedConfig {
        entries,
        creds_store,
        cred_helpers,
    })
}

/// serde's syntax errors hold positions, never the offending text; only that is kept.
fn syntax_position(e: &serde_json::Error) -> String {
    if e.line() == 0 {
        return "not valid JSON".into();
    }
    let what = match e.classify() {
        serde_json::error::Category::Eof => "unexpected end",
        _ => "syntax error",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

/// `.dockercfg` (before Docker 1.7) is `{"SERVER":{"auth":..., "email":...}}`.
fn looks_like_dockercfg(top: &Map<String, Value>) -> bool {
    !top.is_empty()
        && top.values().all(|v| {
            v.as_object()
                .is_some_and(|e| e.contains_key("auth") || e.contains_key("username"))
        })
}

fn entry_state(entry: &Value) -> EntryState {
    let Value::Object(fields) = entry else {
        return EntryState::Invalid("the entry is not a JSON object".into());
    };
    let mut strings = BTreeMap::new();
    for name in ["username", "password", "email", "auth"] {
        match fields.get(name) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                strings.insert(name, Zeroizing::new(s.as_bytes().to_vec()));
            }
            // json.Unmarshal into the kubelet's struct fails on the whole document.
            Some(_) => return EntryState::Invalid(format!("\"{name}\" is not a string")),
        }
    }
    let field = |name: &str| strings.get(name).cloned().unwrap_or_default();
    let (username, password) = (field("username"), field("password"));
    let auth = field("auth");
    let credentials = if auth.is_empty() {
        if username.is_empty() && password.is_empty() {
            let has_token = ["identitytoken", "registrytoken"].iter().any(|k| {
                fields
                    .get(*k)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty())
            });
            return if has_token {
                EntryState::TokenOnly
            } else {
                EntryState::Empty
            };
        }
        Credentials {
            username,
            password,
            email: field("email").to_vec(),
        }
    } else {
        let (decoded_user, decoded_password) = match decode_auth(&auth) {
            Ok(pair) => pair,
            Err(reason) => return EntryState::Invalid(reason),
        };
        if (!username.is_empty() && username != decoded_user)
            || (!password.is_empty() && password != decoded_password)
        {
            return EntryState::Invalid(
                "\"username\"/\"password\" differ from what \"auth\" decodes to; the kubelet uses \"auth\"".into(),
            );
        }
        Credentials {
            username: decoded_user,
            password: decoded_password,
            email: field("email").to_vec(),
        }
    };
    EntryState::Usable(credentials)
}

/// A username and password pair, both zeroized on drop.
pub type UserPassword = (Zeroizing<Vec<u8>>, Zeroizing<Vec<u8>>);

/// `decodeDockerConfigFieldAuth`: standard base64 of `user:password`, split at the first ':'.
pub fn decode_auth(auth: &[u8]) -> Result<UserPassword, String> {
    let decoded = Zeroizing::new(
        BASE64
            .decode(auth)
            .map_err(|_| "\"auth\" is not valid standard base64".to_string())?,
    );
    match decoded.iter().position(|b| *b == b':') {
        Some(i) => Ok((
            Zeroizing::new(decoded[..i].to_vec()),
            Zeroizing::new(decoded[i + 1..].to_vec()),
        )),
        None => Err(
            "\"auth\" does not decode to user:password (no ':'), so the kubelet cannot use it"
                .into(),
        ),
    }
}

/// Why a registry address is unusual, if it is. Such servers are still written (kubectl and
/// the API server accept any key), but the kubelet matches images against them by host and
/// path prefix (`credentialprovider.BasicDockerKeyring`), and ignores entries whose address
/// does not parse as a URL, so some never match.
/// A registry address as it may be shown: any user name and password written into it
/// (`https://user:password@host`, `user:password@host:5000/path`) replaced by `***`, then
/// made terminal-safe. Every message that names a registry uses this.
pub fn shown_server(server: &[u8]) -> String {
    shown(redact_userinfo(server))
}

/// `server` with the userinfo of its authority (everything before the last `@` of the part
/// between `scheme://` and the first `/`) replaced by `***`.
pub fn redact_userinfo(server: &[u8]) -> Vec<u8> {
    let authority_start = server
        .windows(3)
        .position(|w| w == b"://")
        .map_or(0, |i| i + 3);
    let rest = &server[authority_start..];
    let authority_len = rest.iter().position(|b| *b == b'/').unwrap_or(rest.len());
    match rest[..authority_len].iter().rposition(|b| *b == b'@') {
        Some(at) => [&server[..authority_start], b"***".as_slice(), &rest[at..]].concat(),
        None => server.to_vec(),
    }
}

pub fn unusual_server(server: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(server) else {
        return Some("it is not valid UTF-8".into());
    };
    if text.is_empty() {
        return Some("it is empty".into());
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains spaces or control characters".into());
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, text),
    };
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    match scheme {
        Some("https") | None => {}
        Some("http") => {
            return Some(
                "it uses plain http://; that is right only for a registry without TLS".into(),
            );
        }
        Some(other) => return Some(format!("its scheme {other}:// is neither https nor http")),
    }
    if host.contains('@') {
        return Some(
            "it holds a user name or password before '@' (shown as ***); the kubelet matches registries by host, and credentials belong in the entry's username and password".into(),
        );
    }
    if host.is_empty() {
        return Some("it has no host name".into());
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_' | '*'))
    {
        return Some(format!(
            "its host {} has characters a host name cannot have",
            quoted(host)
        ));
    }
    // `BasicDockerKeyring.Add` (kubernetes pkg/credentialprovider/keyring.go) treats a path
    // starting with /v1/ or /v2/ as if those 3 characters were not there, and keys the
    // credentials by host alone when what remains is empty or "/".
    let effective = if path.starts_with("/v1/") || path.starts_with("/v2/") {
        &path[3..]
    } else {
        path
    };
    let effective = effective.trim_end_matches('/');
    if !effective.is_empty() {
        return Some(format!(
            "it has the path {}: the kubelet uses these credentials only for images under {}{}/",
            quoted(path),
            shown(host),
            shown(effective)
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(user: &[u8], password: &[u8], email: &[u8]) -> Credentials {
        Credentials {
            username: Zeroizing::new(user.to_vec()),
            password: Zeroizing::new(password.to_vec()),
            email: email.to_vec(),
        }
    }

    fn json(auths: &Auths) -> String {
        String::from_utf8(auths.to_json().to_vec()).expect("utf8")
    }

    // The two documents below are kubectl 1.32's output (kubectl-behaviour.md §4.3).
    #[test]
    fn kubectl_default_server_and_omitted_email() {
        let mut auths = Auths::new();
        auths.insert(DEFAULT_SERVER.to_vec(), creds(b"u", b"p", b""));
        assert_eq!(
            json(&auths),
            r#"{"auths":{"https://index.docker.io/v1/":{"username":"u","password":"p","auth":"dTpw"}}}"#
        );
    }

    #[test]
    fn kubectl_escaping_and_raw_bytes_in_auth() {
        let mut auths = Auths::new();
        auths.insert(
            b"srv<>".to_vec(),
            creds(
                "u<&>\"\\é".as_bytes(),
                b"p:<>&\"\\\xe2\x80\xa8\x01\xff",
                b"e@x",
            ),
        );
        assert_eq!(
            json(&auths),
            r#"{"auths":{"srv\u003c\u003e":{"username":"u\u003c\u0026\u003e\"\\é","password":"p:\u003c\u003e\u0026\"\\\u2028\u0001\ufffd","email":"e@x","auth":"dTwmPiJcw6k6cDo8PiYiXOKAqAH/"}}}"#
        );
    }

    #[test]
    fn several_servers_in_go_map_order_and_no_duplicates() {
        let mut auths = Auths::new();
        assert!(auths.insert(b"quay.io".to_vec(), creds(b"b", b"2", b"")));
        assert!(auths.insert(b"ghcr.io".to_vec(), creds(b"a", b"1", b"")));
        assert!(auths.insert(b"Zeta.example".to_vec(), creds(b"c", b"3", b"")));
        assert!(!auths.insert(b"ghcr.io".to_vec(), creds(b"x", b"y", b"")));
        let text = json(&auths);
        let z = text.find("Zeta").expect("present");
        let g = text.find("ghcr").expect("present");
        let q = text.find("quay").expect("present");
        assert!(z < g && g < q, "{text}");
        assert!(!text.contains("\"x\""));
    }

    #[test]
    fn auth_wins_and_must_decode_to_user_colon_password() {
        let parsed = parse_config(
            br#"{"auths":{"a":{"auth":"dTpwOng="},"b":{"auth":"bm9jb2xvbg=="},"c":{"auth":"%%%"},
               "d":{"username":"u","password":"q","auth":"dTpw"},"e":{"username":"u","password":"p"},
               "f":{},"g":{"identitytoken":"t"},"h":{"auth":5}}}"#,
        )
        .expect("valid document");
        let state = |s: &str| {
            &parsed
                .entries
                .iter()
                .find(|(k, _)| k == s)
                .expect("entry")
                .1
        };
        match state("a") {
            EntryState::Usable(c) => {
                assert_eq!(&c.username[..], b"u");
                assert_eq!(&c.password[..], b"p:x");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(state("b"), EntryState::Invalid(r) if r.contains("no ':'")));
        assert!(matches!(state("c"), EntryState::Invalid(r) if r.contains("base64")));
        assert!(matches!(state("d"), EntryState::Invalid(r) if r.contains("differ")));
        assert!(matches!(state("e"), EntryState::Usable(_)));
        assert!(matches!(state("f"), EntryState::Empty));
        assert!(matches!(state("g"), EntryState::TokenOnly));
        assert!(matches!(state("h"), EntryState::Invalid(_)));
    }

    #[test]
    fn document_shapes() {
        assert!(matches!(
            parse_config(b"not json"),
            Err(ConfigError::NotJsonObject(_))
        ));
        assert!(matches!(
            parse_config(b"[]"),
            Err(ConfigError::NotJsonObject(_))
        ));
        assert_eq!(
            parse_config(br#"{"r.example":{"auth":"dTpw","email":"e"}}"#).unwrap_err(),
            ConfigError::LegacyDockercfg
        );
        assert_eq!(parse_config(b"{}").unwrap_err(), ConfigError::NoAuths);
        assert_eq!(
            parse_config(br#"{"auths":[]}"#).unwrap_err(),
            ConfigError::NoAuths
        );
        let parsed = parse_config(
            br#"{"auths":{},"credsStore":"desktop","credHelpers":{"gcr.io":"gcloud"}}"#,
        )
        .expect("valid");
        assert_eq!(parsed.creds_store.as_deref(), Some("desktop"));
        assert_eq!(parsed.cred_helpers["gcr.io"], "gcloud");
    }

    #[test]
    fn syntax_errors_never_quote_the_document() {
        let err = parse_config(br#"{"auths": hunter2}"#).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }

    #[test]
    fn usual_and_unusual_servers() {
        for usual in [
            "https://index.docker.io/v1/",
            "ghcr.io",
            "localhost:5000",
            "https://registry.example.com",
            "https://registry.example.com/v2/",
            "ghcr.io/",
            "10.0.0.1:5000",
            "*.example.com",
        ] {
            assert_eq!(unusual_server(usual.as_bytes()), None, "{usual}");
        }
        for (unusual, why) in [
            ("http://registry.local", "plain http"),
            ("ftp://x", "scheme ftp"),
            ("ghcr.io/my-org", "only for images under ghcr.io/my-org/"),
            (
                "https://ghcr.io/v2/my-org",
                "only for images under ghcr.io/my-org/",
            ),
            (
                "https://index.docker.io/v1",
                "only for images under index.docker.io/v1/",
            ),
            ("", "empty"),
            ("a b", "spaces"),
            ("https://", "no host"),
            ("srv<>", "characters"),
        ] {
            let note = unusual_server(unusual.as_bytes()).expect(unusual);
            assert!(note.contains(why), "{unusual}: {note}");
        }
        assert!(unusual_server(b"\xff").is_some());
    }
}
