//! pflag's CSV splitting of `--from-file` / `--from-env-file` values, and the `[KEY=]PATH`
//! parser applied to each item: no panic on any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::go::pflag::split_string_slice;
use pachsecret::kinds::sources::FileSource;

fuzz_target!(|data: &[u8]| {
    if let Ok(items) = split_string_slice(data) {
        for item in items {
            let _ = FileSource::parse(&item);
        }
    }
});
