//! The Docker config reader (`--from-file` content, `--from-docker-config`): no panic and no
//! unbounded recursion on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::kinds::docker_registry::dockerconfig::parse_config;

fuzz_target!(|data: &[u8]| {
    let _ = parse_config(data);
});
