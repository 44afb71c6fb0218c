//! The env-file parser on arbitrary bytes: no panic, no hang, bounded memory (lines are capped
//! at 65,535 bytes), and every key it yields is a valid environment variable name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::go::kubectl_envfile as envfile;
use pachsecret::go::apimachinery::env_var_name_errors;

fuzz_target!(|data: &[u8]| {
    let _ = envfile::parse(
        data,
        |key| (key == b"FROMENV").then(|| b"value".to_vec()),
        |entry| {
            assert!(env_var_name_errors(&entry.key).is_empty());
            Ok(())
        },
    );
});
