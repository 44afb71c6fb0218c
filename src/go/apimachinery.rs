//! Name and key rules of the Kubernetes API machinery, with their exact messages.
//!
//! Ports of `k8s.io/apimachinery/pkg/util/validation` (`IsConfigMapKey`, `IsEnvVarName`,
//! `IsDNS1123Subdomain`, `IsDNS1123Label`), unchanged from kubectl 1.27 to today. Offending
//! keys are shown with Go's `%q` ([`crate::go::strconv::go_quote`]), as kubectl shows them.

use crate::go::strconv::go_quote;

/// `DNS1123SubdomainMaxLength`: also the limit on a Secret data key.
pub const DNS1123_SUBDOMAIN_MAX_LEN: usize = 253;
/// `DNS1123LabelMaxLength`: volume names, and so names of mounted secrets.
pub const DNS1123_LABEL_MAX_LEN: usize = 63;

// The messages contain a doubled space before each "or": apimachinery's `RegexError` writes
// `'example', ` and then ` or ` between examples.
const CONFIG_KEY_REGEX_MSG: &str = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";
const ENV_NAME_REGEX_MSG: &str = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

fn is_config_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')
}

/// `hasChDirPrefix`: keys become file names in a mounted volume.
fn chdir_prefix_errors(value: &[u8], errors: &mut Vec<String>) {
    if value == b"." {
        errors.push("must not be '.'".into());
    } else if value == b".." {
        errors.push("must not be '..'".into());
    } else if value.starts_with(b"..") {
        errors.push("must not start with '..'".into());
    }
}

/// `IsConfigMapKey`: the rule for every key of a Secret's `data`. Empty when valid.
pub fn config_key_errors(key: &[u8]) -> Vec<String> {
    let mut errors = Vec::new();
    if key.len() > DNS1123_SUBDOMAIN_MAX_LEN {
        errors.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX_LEN} characters"
        ));
    }
    if key.is_empty() || !key.iter().copied().all(is_config_key_byte) {
        errors.push(CONFIG_KEY_REGEX_MSG.into());
    }
    chdir_prefix_errors(key, &mut errors);
    errors
}

/// `IsEnvVarName`: the rule for keys in an env file (checked before [`config_key_errors`]).
pub fn env_var_name_errors(name: &[u8]) -> Vec<String> {
    let mut errors = Vec::new();
    let valid = match name.split_first() {
        Some((first, rest)) => {
            (first.is_ascii_alphabetic() || matches!(first, b'-' | b'.' | b'_'))
                && rest.iter().copied().all(is_config_key_byte)
        }
        None => false,
    };
    if !valid {
        errors.push(ENV_NAME_REGEX_MSG.into());
    }
    chdir_prefix_errors(name, &mut errors);
    errors
}

/// kubectl's message for a data key that fails [`config_key_errors`]. Note: no colon after
/// "Secret", and reasons joined by `;` without a space, exactly as kubectl prints them.
pub fn config_key_message(key: &[u8], errors: &[String]) -> String {
    format!(
        "{} is not valid key name for a Secret {}",
        go_quote(key),
        errors.join(";")
    )
}

/// kubectl's message for an env-file key that fails [`env_var_name_errors`].
pub fn env_var_name_message(key: &[u8], errors: &[String]) -> String {
    format!(
        "{} is not a valid key name: {}",
        go_quote(key),
        errors.join(";")
    )
}

fn is_dns1123_label_body(label: &[u8]) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match (label.first(), label.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && label.iter().all(|b| alnum(b) || *b == b'-')
        }
        _ => false,
    }
}

/// `IsDNS1123Subdomain`: the rule for object names, Secrets included. Empty when valid.
pub fn dns1123_subdomain_errors(name: &[u8]) -> Vec<String> {
    let mut errors = Vec::new();
    if name.len() > DNS1123_SUBDOMAIN_MAX_LEN {
        errors.push(format!(
            "must be no more than {DNS1123_SUBDOMAIN_MAX_LEN} characters"
        ));
    }
    if !name.split(|b| *b == b'.').all(is_dns1123_label_body) {
        errors.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')".into());
    }
    errors
}

/// `IsDNS1123Label`: the rule for volume names. Empty when valid.
pub fn dns1123_label_errors(name: &[u8]) -> Vec<String> {
    let mut errors = Vec::new();
    if name.len() > DNS1123_LABEL_MAX_LEN {
        errors.push(format!(
            "must be no more than {DNS1123_LABEL_MAX_LEN} characters"
        ));
    }
    if !is_dns1123_label_body(name) {
        errors.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')".into());
    }
    errors
}

/// The closest valid DNS-1123 subdomain to `name`, to suggest in an error: lower-cased, runs
/// of other characters replaced by `-`, trimmed to start and end with an alphanumeric.
pub fn suggest_dns1123_subdomain(name: &[u8]) -> Option<String> {
    let mut out = String::new();
    for &b in name {
        let c = b.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' {
            out.push(c as char);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let labels: Vec<String> = out
        .split('.')
        .map(|l| l.trim_matches('-').to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut joined = labels.join(".");
    joined.truncate(DNS1123_SUBDOMAIN_MAX_LEN);
    let joined = joined.trim_end_matches(['-', '.']).to_string();
    (!joined.is_empty() && dns1123_subdomain_errors(joined.as_bytes()).is_empty()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_keys_accept_kubectls_alphabet() {
        for key in [
            "a",
            "A-b_c.d",
            ".hidden",
            "-",
            "_",
            "0",
            "tls.crt",
            ".dockerconfigjson",
        ] {
            assert!(config_key_errors(key.as_bytes()).is_empty(), "{key}");
        }
    }

    #[test]
    fn config_key_errors_are_collected_in_kubectls_order() {
        let long = format!("..{}", "a".repeat(252));
        assert_eq!(
            config_key_message(long.as_bytes(), &config_key_errors(long.as_bytes())),
            format!(
                "\"{long}\" is not valid key name for a Secret must be no more than 253 characters;must not start with '..'"
            )
        );
        assert_eq!(
            config_key_errors(b".."),
            vec!["must not be '..'".to_string()]
        );
        assert_eq!(config_key_errors(b"."), vec!["must not be '.'".to_string()]);
        assert_eq!(config_key_errors(&[b'a'; 253]).len(), 0);
        assert_eq!(
            config_key_message(b"a b", &config_key_errors(b"a b")),
            "\"a b\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"
        );
    }

    #[test]
    fn env_names_must_not_start_with_a_digit_but_have_no_length_limit() {
        assert!(env_var_name_errors(b"1A").len() == 1);
        assert!(env_var_name_errors(b"export FOO").len() == 1);
        assert!(env_var_name_errors(b"").len() == 1);
        for ok in ["A-B.c", ".a", "-", "_x9"] {
            assert!(env_var_name_errors(ok.as_bytes()).is_empty(), "{ok}");
        }
        assert!(env_var_name_errors("a".repeat(300).as_bytes()).is_empty());
        assert_eq!(
            env_var_name_message(b"..x", &env_var_name_errors(b"..x")),
            "\"..x\" is not a valid key name: must not start with '..'"
        );
    }

    #[test]
    fn dns_subdomains() {
        for ok in ["a", "my-secret", "a.b-c.d", "0", "x".repeat(253).as_str()] {
            assert!(dns1123_subdomain_errors(ok.as_bytes()).is_empty(), "{ok}");
        }
        for bad in [
            "",
            "A",
            "-a",
            "a-",
            "a..b",
            ".a",
            "a.",
            "a_b",
            "x".repeat(254).as_str(),
        ] {
            assert!(
                !dns1123_subdomain_errors(bad.as_bytes()).is_empty(),
                "{bad}"
            );
        }
        assert!(dns1123_label_errors(b"a.b").len() == 1);
        assert!(dns1123_label_errors("x".repeat(64).as_bytes()).len() == 1);
    }

    #[test]
    fn suggestions_are_valid_names() {
        assert_eq!(
            suggest_dns1123_subdomain(b"My_Secret!").as_deref(),
            Some("my-secret")
        );
        assert_eq!(suggest_dns1123_subdomain(b"a..b").as_deref(), Some("a.b"));
        assert_eq!(suggest_dns1123_subdomain(b"!!!"), None);
    }
}
