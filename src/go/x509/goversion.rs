//! Which of Go's certificate and key rules apply: the Go release a kubectl binary was built
//! with, its `go.mod` GODEBUG defaults, and `GODEBUG` from the environment.
//!
//! Established by running kubectl.1.27 … kubectl.1.33 (see `testdata/kubectl-releases/README.md`):
//!
//! | kubectl | Go | default GODEBUG that matters here |
//! |---|---|---|
//! | 1.27, 1.28, 1.29 | 1.22.x | (no x509 settings exist yet) |
//! | 1.30, 1.31 | 1.23.8 | `x509negativeserial=1` (go.mod says go 1.22) |
//! | 1.32 | 1.23.8 | none: negative serials refused |
//! | 1.33 | 1.24.2 | none: `x509rsacrt=1` (CRT values checked) |
//!
//! Go's parser changed between those releases in these ways (each a field below): Go 1.23
//! refuses critical AIA / SKID / AKID extensions, refuses a leading empty DNS label
//! (`domainToReverseLabels`), names the OID of a duplicate extension and checks negative
//! serials; Go 1.24 refuses duplicate policy OIDs, parses policy constraints, policy mappings
//! and inhibit-any-policy, and validates RSA keys with `crypto/internal/fips140/rsa`.

/// The rules of one kubectl release's `x509.ParseCertificate` and `tls.X509KeyPair`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoX509Rules {
    /// Go's minor version (22, 23, 24): for messages and tests.
    pub go_minor: u32,
    /// Negative serial numbers are accepted (Go 1.22; Go 1.23+ with `x509negativeserial=1`).
    pub negative_serial_ok: bool,
    /// A critical authority-information-access extension is accepted (Go 1.22).
    pub critical_aia_ok: bool,
    /// Critical subject / authority key identifier extensions are accepted (Go 1.22).
    pub critical_key_ids_ok: bool,
    /// `domainToReverseLabels` treats a leading `.` as an empty label (Go 1.23+), so
    /// `http://.example.com/` and the constraint `..example.com` are refused.
    pub leading_empty_label_refused: bool,
    /// The duplicate-extension error names the OID (Go 1.23+) instead of
    /// `x509: certificate contains duplicate extensions` (Go 1.22).
    pub duplicate_extension_names_oid: bool,
    /// Certificate policies may not repeat an OID (Go 1.24).
    pub duplicate_policies_refused: bool,
    /// Policy constraints, policy mappings and inhibit-any-policy are parsed (Go 1.24).
    pub policy_extensions_parsed: bool,
    /// RSA private keys are validated as Go 1.24's `crypto/internal/fips140/rsa` does (zero
    /// CRT values refused, `d < N`, odd modulus and exponent, `d` itself not checked when the
    /// CRT values are used).
    pub rsa_fips_checks: bool,
    /// The encoded CRT values (dP, dQ, qInv) must be consistent (Go 1.24 unless
    /// `x509rsacrt=0`, which retries with recomputed values).
    pub rsa_crt_check: bool,
}

impl GoX509Rules {
    /// Go 1.22 (kubectl 1.27–1.29).
    pub const GO_1_22: GoX509Rules = GoX509Rules {
        go_minor: 22,
        negative_serial_ok: true,
        critical_aia_ok: true,
        critical_key_ids_ok: true,
        leading_empty_label_refused: false,
        duplicate_extension_names_oid: false,
        duplicate_policies_refused: false,
        policy_extensions_parsed: false,
        rsa_fips_checks: false,
        rsa_crt_check: false,
    };

    /// Go 1.23 with its own defaults (kubectl 1.32).
    pub const GO_1_23: GoX509Rules = GoX509Rules {
        go_minor: 23,
        negative_serial_ok: false,
        critical_aia_ok: false,
        critical_key_ids_ok: false,
        leading_empty_label_refused: true,
        duplicate_extension_names_oid: true,
        ..GoX509Rules::GO_1_22
    };

    /// Go 1.24 with its own defaults (kubectl 1.33).
    pub const GO_1_24: GoX509Rules = GoX509Rules {
        go_minor: 24,
        duplicate_policies_refused: true,
        policy_extensions_parsed: true,
        rsa_fips_checks: true,
        rsa_crt_check: true,
        ..GoX509Rules::GO_1_23
    };

    /// kubectl 1.32 with no `GODEBUG`: the reference pachsecret matches byte for byte.
    pub const KUBECTL_1_32: GoX509Rules = GoX509Rules::GO_1_23;

    /// The rules of `kubectl.1.MINOR` (27 ≤ MINOR ≤ 33) run with `GODEBUG=godebug` (`None` or
    /// `""` for none). `None` for a release whose behaviour was not established.
    pub fn for_kubectl(minor: u32, godebug: Option<&str>) -> Option<GoX509Rules> {
        let mut rules = match minor {
            27..=29 => GoX509Rules::GO_1_22,
            30 | 31 => GoX509Rules {
                // go.mod's `go 1.22` keeps Go 1.22's behaviour for this setting.
                negative_serial_ok: true,
                ..GoX509Rules::GO_1_23
            },
            32 => GoX509Rules::GO_1_23,
            33 => GoX509Rules::GO_1_24,
            _ => return None,
        };
        rules.apply_godebug(godebug.unwrap_or(""));
        Some(rules)
    }

    /// kubectl 1.32 with `GODEBUG` from this process's environment (kubectl honours it, so
    /// pachsecret does too): what `parse_certificate` and `x509_key_pair` use.
    pub fn reference() -> GoX509Rules {
        static RULES: std::sync::OnceLock<GoX509Rules> = std::sync::OnceLock::new();
        *RULES.get_or_init(|| {
            let godebug = std::env::var("GODEBUG").unwrap_or_default();
            GoX509Rules::for_kubectl(32, Some(&godebug)).unwrap_or(GoX509Rules::KUBECTL_1_32)
        })
    }

    /// The settings Go of this version knows: `x509negativeserial` (Go 1.23+; only `1`
    /// accepts, as Go compares with "1") and `x509rsacrt` (Go 1.24+; only `0` drops the
    /// check, as Go compares with "0"). Older Go ignores both.
    fn apply_godebug(&mut self, godebug: &str) {
        if self.go_minor >= 23
            && let Some(value) = godebug_value(godebug, "x509negativeserial")
        {
            self.negative_serial_ok = value == "1";
        }
        if self.go_minor >= 24
            && let Some(value) = godebug_value(godebug, "x509rsacrt")
        {
            self.rsa_crt_check = value != "0";
        }
    }
}

/// Go's `GODEBUG` syntax: comma-separated `key=value`, the last setting of a key wins.
pub fn godebug_value<'a>(godebug: &'a str, key: &str) -> Option<&'a str> {
    godebug
        .rsplit(',')
        .filter_map(|item| item.split_once('='))
        .find(|(k, _)| *k == key)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn godebug_last_setting_wins() {
        assert_eq!(
            godebug_value("x509negativeserial=1", "x509negativeserial"),
            Some("1")
        );
        assert_eq!(
            godebug_value(
                "a=b,x509negativeserial=0,x509negativeserial=1",
                "x509negativeserial"
            ),
            Some("1")
        );
        assert_eq!(godebug_value("x509rsacrt=0", "x509negativeserial"), None);
        assert_eq!(godebug_value("", "x509rsacrt"), None);
    }

    #[test]
    fn releases_map_to_go_versions_and_defaults() {
        let r = |m, g| GoX509Rules::for_kubectl(m, g).unwrap();
        assert_eq!(r(27, None), GoX509Rules::GO_1_22);
        assert_eq!(r(29, Some("x509negativeserial=0")), GoX509Rules::GO_1_22);
        assert!(r(31, None).negative_serial_ok && !r(31, None).critical_aia_ok);
        assert!(!r(31, Some("x509negativeserial=0")).negative_serial_ok);
        assert!(!r(32, None).negative_serial_ok);
        assert!(r(32, Some("x509negativeserial=1")).negative_serial_ok);
        assert!(r(33, None).rsa_crt_check);
        assert!(!r(33, Some("x509rsacrt=0")).rsa_crt_check);
        assert!(
            !r(32, Some("x509rsacrt=1")).rsa_crt_check,
            "Go 1.23 has no such setting"
        );
        assert_eq!(GoX509Rules::for_kubectl(26, None), None);
        assert_eq!(GoX509Rules::for_kubectl(34, None), None);
    }
}
