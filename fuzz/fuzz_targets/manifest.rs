//! Secret manifests read as pachd reads them (`lint`, `inspect`, `check`, `snippet`): no
//! panic on any bytes, and a manifest it accepts re-serializes in kubectl's form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::manifest::reader::read_manifest;
use pachsecret::secret::Shape;

fuzz_target!(|data: &[u8]| {
    let report = read_manifest(data);
    if let Some(secret) = &report.secret {
        let _ = secret.to_json(Shape::default());
    }
});
