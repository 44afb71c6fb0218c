//! The PEM scanner, certificate and key parsing and the pair decision of `tls` (Go's
//! `tls.X509KeyPair`): no panic, no hang, on any bytes. The input is split in two at its
//! first byte's value, giving a certificate input and a key input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::go::tls_keypair::x509_key_pair;
use pachsecret::go::pem::decode_all;

fuzz_target!(|data: &[u8]| {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let at = (split as usize * rest.len()) / 256;
    let (cert, key) = rest.split_at(at);
    let _ = decode_all(cert);
    let _ = x509_key_pair(cert, key);
});
