//! Go's `net/url.Parse` (Go 1.22–1.24, `net/url/url.go`), as far as `crypto/x509` needs it
//! for a SAN URI: whether it parses, Go's error text, and the unescaped host.
//!
//! Only the parts whose errors can show are ported: control bytes, the scheme, the "first
//! path segment" rule, the authority (userinfo, host, `[...]` literals, zones, ports) and the
//! escapes of path, userinfo, host and fragment. The query is not validated by `Parse`.
//! Later Go releases (1.25.2+) also check what is inside `[...]`; Go 1.22–1.24 do not.

use crate::go::strconv::go_quote;

/// What `crypto/x509` looks at in a parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `URL.Host`, unescaped (`host[:port]`, brackets kept).
    pub host: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
    UserPassword,
    Fragment,
}

/// `url.Parse(raw)`: the URL, or the text of Go's `*url.Error` (`parse "RAW": REASON`).
pub fn parse(raw: &[u8]) -> Result<Url, String> {
    let (u, fragment) = match raw.iter().position(|&b| b == b'#') {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let url = parse_without_fragment(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        unescape(fragment, Mode::Fragment).map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    }
    Ok(url)
}

fn parse_without_fragment(raw: &[u8]) -> Result<Url, String> {
    if raw.iter().any(|&b| b < b' ' || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url { host: Vec::new() };
    if raw == b"*" {
        return Ok(url);
    }
    let (scheme, rest) = get_scheme(raw)?;
    let rest = if rest.ends_with(b"?") && rest.iter().filter(|&&b| b == b'?').count() == 1 {
        &rest[..rest.len() - 1]
    } else {
        match rest.iter().position(|&b| b == b'?') {
            Some(i) => &rest[..i],
            None => rest,
        }
    };
    if !rest.starts_with(b"/") {
        if !scheme.is_empty() {
            return Ok(url); // opaque
        }
        let segment = rest.split(|&b| b == b'/').next().unwrap_or_default();
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    let mut path = rest;
    if (!scheme.is_empty() || !rest.starts_with(b"///")) && rest.starts_with(b"//") {
        let authority_and_path = &rest[2..];
        let (authority, after) = match authority_and_path.iter().position(|&b| b == b'/') {
            Some(i) => (&authority_and_path[..i], &authority_and_path[i..]),
            None => (authority_and_path, &b""[..]),
        };
        url.host = parse_authority(authority)?;
        path = after;
    }
    unescape(path, Mode::Path)?;
    Ok(url)
}

/// `getScheme`: `[a-zA-Z][a-zA-Z0-9+-.]*:`, or no scheme.
fn get_scheme(raw: &[u8]) -> Result<(&[u8], &[u8]), String> {
    for (i, &c) in raw.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i == 0 => return Ok((b"", raw)),
            b'0'..=b'9' | b'+' | b'-' | b'.' => {}
            b':' if i == 0 => return Err("missing protocol scheme".into()),
            b':' => return Ok((&raw[..i], &raw[i + 1..])),
            _ => return Ok((b"", raw)),
        }
    }
    Ok((b"", raw))
}

fn parse_authority(authority: &[u8]) -> Result<Vec<u8>, String> {
    let at = authority.iter().rposition(|&b| b == b'@');
    let host = parse_host(match at {
        Some(i) => &authority[i + 1..],
        None => authority,
    })?;
    if let Some(i) = at {
        let userinfo = &authority[..i];
        if !userinfo.iter().all(|&b| valid_userinfo_byte(b)) {
            return Err("net/url: invalid userinfo".into());
        }
        match userinfo.iter().position(|&b| b == b':') {
            None => {
                unescape(userinfo, Mode::UserPassword)?;
            }
            Some(colon) => {
                unescape(&userinfo[..colon], Mode::UserPassword)?;
                unescape(&userinfo[colon + 1..], Mode::UserPassword)?;
            }
        }
    }
    Ok(host)
}

fn valid_userinfo_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b':'
                | b'~'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'%'
                | b'@'
        )
}

/// `parseHost`: `host[:port]` or `[literal][:port]` with an optional `%25zone`.
fn parse_host(host: &[u8]) -> Result<Vec<u8>, String> {
    if host.starts_with(b"[") {
        let Some(close) = host.iter().rposition(|&b| b == b']') else {
            return Err("missing ']' in host".into());
        };
        let colon_port = &host[close + 1..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
        if let Some(zone) = host[..close].windows(3).position(|w| w == b"%25") {
            let mut out = unescape(&host[..zone], Mode::Host)?;
            out.extend(unescape(&host[zone..close], Mode::Zone)?);
            out.extend(unescape(&host[close..], Mode::Host)?);
            return Ok(out);
        }
    } else if let Some(colon) = host.iter().rposition(|&b| b == b':') {
        let colon_port = &host[colon..];
        if !valid_optional_port(colon_port) {
            return Err(format!("invalid port {} after host", go_quote(colon_port)));
        }
    }
    unescape(host, Mode::Host)
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn unhex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0,
    }
}

/// `shouldEscape` for the modes `unescape` consults it in.
fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if matches!(mode, Mode::Host | Mode::Zone)
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => match mode {
            Mode::Path => c == b'?',
            Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
            Mode::Fragment => false,
            // Host and zone fall through to "escape everything else".
            Mode::Host | Mode::Zone => true,
        },
        b'!' | b'(' | b')' | b'*' if mode == Mode::Fragment => false,
        _ => true,
    }
}

/// `unescape`: `%XX` must be two hex digits; in a host only non-ASCII may be escaped (and
/// `%25`); hosts and zones may only hold a few ASCII punctuation characters.
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let escape_error = |bad: &[u8]| format!("invalid URL escape {}", go_quote(bad));
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' => {
                if i + 2 >= s.len()
                    || !s[i + 1].is_ascii_hexdigit()
                    || !s[i + 2].is_ascii_hexdigit()
                {
                    let bad = &s[i..];
                    return Err(escape_error(&bad[..bad.len().min(3)]));
                }
                let escaped = &s[i..i + 3];
                if mode == Mode::Host && unhex(s[i + 1]) < 8 && escaped != b"%25" {
                    return Err(escape_error(escaped));
                }
                let value = (unhex(s[i + 1]) << 4) | unhex(s[i + 2]);
                if mode == Mode::Zone
                    && escaped != b"%25"
                    && value != b' '
                    && should_escape(value, Mode::Host)
                {
                    return Err(escape_error(escaped));
                }
                out.push(value);
                i += 3;
            }
            c => {
                if matches!(mode, Mode::Host | Mode::Zone) && c < 0x80 && should_escape(c, mode) {
                    return Err(format!(
                        "invalid character {} in host name",
                        go_quote(&s[i..=i])
                    ));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(raw: &str) -> String {
        String::from_utf8(parse(raw.as_bytes()).unwrap().host).unwrap()
    }

    fn error(raw: &str) -> String {
        parse(raw.as_bytes()).unwrap_err()
    }

    #[test]
    fn go_url_hosts() {
        assert_eq!(
            host("https://user:pw@example.com:8443/p?q#f"),
            "example.com:8443"
        );
        assert_eq!(host("http://[fe80::1%25en0]/"), "[fe80::1%en0]");
        assert_eq!(host("http://%c3%a4/"), "ä");
        assert_eq!(host("urn:a b"), "");
        assert_eq!(host("foo/bar"), "");
        assert_eq!(host("http:///path"), "");
        assert_eq!(host("http://a:/"), "a:");
    }

    #[test]
    fn go_url_errors() {
        assert_eq!(
            error("http://a b/"),
            r#"parse "http://a b/": invalid character " " in host name"#
        );
        assert_eq!(
            error("http://a/%4"),
            r#"parse "http://a/%4": invalid URL escape "%4""#
        );
        assert_eq!(
            error("http://%41/"),
            r#"parse "http://%41/": invalid URL escape "%41""#
        );
        assert_eq!(
            error("http://[::1/"),
            r#"parse "http://[::1/": missing ']' in host"#
        );
        assert_eq!(
            error("http://[::1]x/"),
            r#"parse "http://[::1]x/": invalid port "x" after host"#
        );
        assert_eq!(error(":foo"), r#"parse ":foo": missing protocol scheme"#);
        assert_eq!(
            error("1a:b"),
            r#"parse "1a:b": first path segment in URL cannot contain colon"#
        );
        assert_eq!(
            error("http://a/\x01"),
            r#"parse "http://a/\x01": net/url: invalid control character in URL"#
        );
        assert_eq!(
            error("http://a b@host/"),
            r#"parse "http://a b@host/": net/url: invalid userinfo"#
        );
        assert_eq!(
            error("http://a/#%zz"),
            r#"parse "http://a/#%zz": invalid URL escape "%zz""#
        );
        assert!(
            parse(b"http://a/?%zz").is_ok(),
            "Parse does not check the query"
        );
        assert!(parse(b"http://a<b/").is_ok());
    }
}
