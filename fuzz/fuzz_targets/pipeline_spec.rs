//! Pipeline spec files (one object, arrays, `---` documents, concatenated objects) as `patch`
//! and `check` read them: no panic, no unbounded recursion.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::pipeline::spec::read_specs;

fuzz_target!(|data: &[u8]| {
    let _ = read_specs(data, "fuzz.json");
});
