//! Go-compatible JSON string escaping of arbitrary bytes: the result is always valid JSON,
//! never contains a raw `<`, `>` or `&`, and round-trips valid UTF-8.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pachsecret::go::json as gojson;

fuzz_target!(|data: &[u8]| {
    let encoded = gojson::string(data);
    let decoded: String = serde_json::from_slice(&encoded).expect("valid JSON string");
    assert!(!encoded.iter().any(|b| matches!(b, b'<' | b'>' | b'&')));
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(decoded, text);
    }
});
