//! RSA private-key validation as `x509.ParsePKCS1PrivateKey` does it, per Go release.
//!
//! Go 1.22/1.23 (`rsa.PrivateKey.Validate`): 2 ≤ e ≤ 2³¹−1, every prime > 1, their product
//! is N, and d·e ≡ 1 (mod p−1) for each prime. The encoded CRT values (dP, dQ, qInv) are
//! parsed and then ignored (recomputed).
//!
//! Go 1.24 (`crypto/internal/fips140/rsa`, kubectl 1.33): CRT values present must be positive
//! ("x509: private key contains zero or negative value"); for a two-prime key with all three
//! CRT values, `NewPrivateKeyWithPrecomputation` checks N, p, q > 1, d < N, qInv < p, N odd,
//! e odd and in range, p, q < N, p·q ≡ 0 (mod N), p, q > 2, dP < p−1 and e·dP ≡ 1 (mod p−1)
//! (same for q), q·qInv ≡ 1 (mod p); d itself is not checked against e. When that fails and
//! `GODEBUG=x509rsacrt=0`, or when a CRT value is missing, the key is validated again with the
//! values recomputed from d (`NewPrivateKey`: p odd, then the same checks). Keys with more
//! than two primes take the legacy path: N odd, e odd and in range, d < N, plus the old checks.
//!
//! [`crt_inconsistency`] is not a Go rule: it tells whether the encoded CRT values disagree
//! with the primes, which makes the key corrupt whatever a kubectl release accepts.

use num_bigint::BigInt;

use super::goversion::GoX509Rules;

/// The fields of a PKCS#1 `RSAPrivateKey` that validation looks at.
pub struct RsaFields<'a> {
    pub n: &'a BigInt,
    pub e: i64,
    pub d: &'a BigInt,
    /// p, q, then any additional primes.
    pub primes: &'a [BigInt],
    /// dP, dQ, qInv as far as they are present (0 to 3 values).
    pub crt: &'a [BigInt],
}

/// Whether `ParsePKCS1PrivateKey` of the release of `rules` accepts the key, after the
/// structure, the version and the signs of N, D, P and Q were checked by the caller.
pub fn validate(key: &RsaFields<'_>, rules: &GoX509Rules) -> bool {
    if !rules.rsa_fips_checks {
        return legacy_validate(key);
    }
    let zero = BigInt::from(0);
    if key.crt.iter().any(|v| *v <= zero) {
        return false;
    }
    if key.primes.len() != 2 {
        return check_public(key.n, key.e) && key.d < key.n && legacy_validate(key);
    }
    let (p, q) = (&key.primes[0], &key.primes[1]);
    if let [dp, dq, qinv] = key.crt {
        if fips_private_key(key.n, key.e, key.d, p, q, Some((dp, dq, qinv))) {
            return true;
        }
        if rules.rsa_crt_check {
            return false;
        }
    }
    fips_private_key(key.n, key.e, key.d, p, q, None)
}

/// `rsa.PrivateKey.Validate` of Go 1.22/1.23 (and `checkPub`).
fn legacy_validate(key: &RsaFields<'_>) -> bool {
    if !(2..=i64::from(i32::MAX)).contains(&key.e) {
        return false;
    }
    let one = BigInt::from(1);
    let mut product = one.clone();
    for prime in key.primes {
        if *prime <= one {
            return false;
        }
        product *= prime;
    }
    if product != *key.n {
        return false;
    }
    // num-bigint cannot zeroize; these intermediates are the price of Go's exact Validate.
    let de = BigInt::from(key.e) * key.d;
    key.primes.iter().all(|prime| &de % (prime - &one) == one)
}

/// `checkPublicKey` of `crypto/internal/fips140/rsa` (Go 1.24).
fn check_public(n: &BigInt, e: i64) -> bool {
    n.bit(0) && e >= 2 && e & 1 == 1 && e <= i64::from(i32::MAX)
}

/// `NewPrivateKeyWithPrecomputation` (with `crt`) or `NewPrivateKey` (without) and
/// `checkPrivateKey`, Go 1.24.
fn fips_private_key(
    n: &BigInt,
    e: i64,
    d: &BigInt,
    p: &BigInt,
    q: &BigInt,
    crt: Option<(&BigInt, &BigInt, &BigInt)>,
) -> bool {
    let one = BigInt::from(1);
    let two = BigInt::from(2);
    if *n <= one || *p <= one || *q <= one || d >= n {
        return false;
    }
    let p1 = p - &one;
    let q1 = q - &one;
    let (dp, dq, qinv) = match crt {
        Some((dp, dq, qinv)) => {
            if qinv >= p {
                return false;
            }
            (dp.clone(), dq.clone(), qinv.clone())
        }
        None => {
            if !p.bit(0) || *p <= two {
                return false; // "p is even" / p-1 is no modulus
            }
            let qinv = (q % p).modpow(&(p - &two), p);
            (d % &p1, d % &q1, qinv)
        }
    };
    let e = BigInt::from(e);
    check_public(n, i64::try_from(&e).unwrap_or(0))
        && p < n
        && q < n
        && (p * q) % n == BigInt::from(0)
        && *p > two
        && *q > two
        && dp < p1
        && (&e * &dp) % &p1 == one
        && dq < q1
        && (&e * &dq) % &q1 == one
        && (q * &qinv) % p == one
}

/// Which encoded CRT values of a two-prime key disagree with its primes and d: `dP`
/// (≠ d mod p−1), `dQ` (≠ d mod q−1), `qInv` (q·qInv ≢ 1 mod p). Empty when they agree or
/// are absent.
pub fn crt_inconsistency(key: &RsaFields<'_>) -> Vec<&'static str> {
    let [p, q] = key.primes else {
        return Vec::new();
    };
    let [dp, dq, qinv] = key.crt else {
        return Vec::new();
    };
    let one = BigInt::from(1);
    let mut wrong = Vec::new();
    if *p <= one || *q <= one {
        return wrong;
    }
    if *dp != key.d % (p - &one) {
        wrong.push("dP");
    }
    if *dq != key.d % (q - &one) {
        wrong.push("dQ");
    }
    if *qinv >= *p || (q * qinv) % p != one {
        wrong.push("qInv");
    }
    wrong
}

/// [`crt_inconsistency`] of a PKCS#1 key, or of the RSA key inside a PKCS#8 one (any other
/// DER gives an empty list).
pub fn crt_inconsistency_in_key(der: &[u8]) -> Vec<&'static str> {
    use crate::go::asn1::{Reader, TAG_OCTET_STRING, TAG_OID, oid};
    let pkcs8_inner = || -> Option<&[u8]> {
        let mut seq = Reader::new(der).sequence()?;
        seq.small_integer()?;
        let mut algorithm = seq.sequence()?;
        (algorithm.expect(TAG_OID)?.content == oid::RSA_ENCRYPTION).then_some(())?;
        Some(seq.expect(TAG_OCTET_STRING)?.content)
    };
    let fields = |der: &[u8]| -> Option<Vec<BigInt>> {
        let mut seq = Reader::new(der).sequence()?;
        let mut values = Vec::new();
        while let Some(value) = seq.integer() {
            values.push(value);
        }
        (values.len() >= 9).then_some(values)
    };
    let Some(v) = fields(der).or_else(|| fields(pkcs8_inner()?)) else {
        return Vec::new();
    };
    let Ok(e) = i64::try_from(&v[2]) else {
        return Vec::new();
    };
    crt_inconsistency(&RsaFields {
        n: &v[1],
        e,
        d: &v[3],
        primes: &v[4..6],
        crt: &v[6..9],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // p = 61, q = 53, n = 3233, e = 17, d = 2753 (d mod 60 = 53, d mod 52 = 49, q⁻¹ mod p = 38).
    fn fields(d: i64, crt: &[i64]) -> (BigInt, BigInt, Vec<BigInt>, Vec<BigInt>) {
        (
            BigInt::from(3233),
            BigInt::from(d),
            vec![BigInt::from(61), BigInt::from(53)],
            crt.iter().map(|&v| BigInt::from(v)).collect(),
        )
    }

    fn check(d: i64, crt: &[i64], rules: &GoX509Rules) -> bool {
        let (n, d, primes, crt) = fields(d, crt);
        validate(
            &RsaFields {
                n: &n,
                e: 17,
                d: &d,
                primes: &primes,
                crt: &crt,
            },
            rules,
        )
    }

    #[test]
    fn go_1_24_checks_the_crt_values_unless_x509rsacrt_0() {
        let new = GoX509Rules::GO_1_24;
        let lax = GoX509Rules::for_kubectl(33, Some("x509rsacrt=0")).unwrap();
        let old = GoX509Rules::GO_1_23;
        for rules in [&old, &new, &lax] {
            assert!(check(2753, &[53, 49, 38], rules));
            assert!(check(2753, &[], rules));
        }
        assert!(check(2753, &[55, 49, 38], &old));
        assert!(!check(2753, &[55, 49, 38], &new));
        assert!(check(2753, &[55, 49, 38], &lax));
        assert!(
            !check(2753, &[53, 49, 38 + 61], &new),
            "qInv must be reduced"
        );
        assert!(
            !check(2753, &[0, 49, 38], &lax),
            "zero CRT values are refused"
        );
        // d is not checked when the CRT values are used.
        assert!(!check(2755, &[53, 49, 38], &old));
        assert!(check(2755, &[53, 49, 38], &new));
        assert!(!check(2755, &[], &new));
        // d must be below N.
        assert!(check(2753 + 3120, &[], &old));
        assert!(!check(2753 + 3120, &[], &new));
    }

    #[test]
    fn crt_inconsistency_names_the_wrong_values() {
        let (n, d, primes, crt) = fields(2753, &[53, 50, 39]);
        let key = RsaFields {
            n: &n,
            e: 17,
            d: &d,
            primes: &primes,
            crt: &crt,
        };
        assert_eq!(crt_inconsistency(&key), ["dQ", "qInv"]);
        let (n, d, primes, crt) = fields(2753, &[53, 49, 38]);
        let key = RsaFields {
            n: &n,
            e: 17,
            d: &d,
            primes: &primes,
            crt: &crt,
        };
        assert!(crt_inconsistency(&key).is_empty());
    }
}
