//! Property tests (proptest) over the parsers that take arbitrary user bytes: no panic on any
//! input, and the invariants each one promises. The cargo-fuzz targets in `fuzz/` run the same
//! entry points for much longer (see the README).

use proptest::prelude::*;

use pachsecret::go::apimachinery::{config_key_errors, env_var_name_errors};
use pachsecret::go::json as gojson;
use pachsecret::go::kubectl_envfile as envfile;
use pachsecret::go::pflag::split_string_slice;
use pachsecret::go::strconv::go_quote;
use pachsecret::kinds::sources::FileSource;

proptest! {
    #[test]
    fn go_json_strings_are_valid_json_and_round_trip_valid_utf8(s in ".*") {
        let encoded = gojson::string(s.as_bytes());
        let decoded: String = serde_json::from_slice(&encoded).unwrap();
        prop_assert_eq!(decoded, s);
    }

    #[test]
    fn go_json_strings_of_any_bytes_are_valid_json(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let encoded = gojson::string(&bytes);
        let decoded: String = serde_json::from_slice(&encoded).unwrap();
        // One U+FFFD per invalid byte: never fewer characters than Rust's lossy decoding.
        prop_assert!(decoded.chars().count() >= String::from_utf8_lossy(&bytes).chars().count());
        prop_assert!(!encoded.windows(1).any(|w| w[0] == b'<' || w[0] == b'>' || w[0] == b'&'));
    }

    #[test]
    fn env_files_of_any_bytes_never_panic_and_yield_valid_keys(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut keys = Vec::new();
        let result = envfile::parse(bytes.as_slice(), |_| None, |entry| {
            keys.push(entry.key);
            Ok(())
        });
        if result.is_ok() {
            for key in keys {
                prop_assert!(env_var_name_errors(&key).is_empty());
            }
        }
    }

    #[test]
    fn env_file_lines_made_of_rules_parse_to_their_pairs(
        pairs in proptest::collection::vec(("[A-Za-z_][A-Za-z0-9_.-]{0,8}", "[^\r\n]{0,16}"), 0..8),
        crlf in any::<bool>(),
    ) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let text: String = pairs.iter().map(|(k, v)| format!("{k}={v}{newline}")).collect();
        let mut found = Vec::new();
        envfile::parse(text.as_bytes(), |_| None, |e| {
            found.push((String::from_utf8(e.key).unwrap(), String::from_utf8(e.value).unwrap()));
            Ok(())
        }).unwrap();
        let expected: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| !k.starts_with("..") && k != ".").collect();
        prop_assert_eq!(found, expected);
    }

    #[test]
    fn csv_flag_values_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = split_string_slice(&bytes);
    }

    #[test]
    fn csv_items_without_special_characters_round_trip(items in proptest::collection::vec("[^,\"\r\n]{1,8}", 1..5)) {
        let joined = items.join(",");
        let split = split_string_slice(joined.as_bytes()).unwrap();
        let split: Vec<String> = split.into_iter().map(|f| String::from_utf8(f).unwrap()).collect();
        prop_assert_eq!(split, items);
    }

    #[test]
    fn quoted_csv_items_round_trip(items in proptest::collection::vec("[^\r]{0,8}", 1..4)) {
        let joined = items.iter().map(|i| format!("\"{}\"", i.replace('"', "\"\""))).collect::<Vec<_>>().join(",");
        let split = split_string_slice(joined.as_bytes()).unwrap();
        let split: Vec<String> = split.into_iter().map(|f| String::from_utf8(f).unwrap()).collect();
        prop_assert_eq!(split, items);
    }

    #[test]
    fn key_rules_and_quoting_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = config_key_errors(&bytes);
        let _ = env_var_name_errors(&bytes);
        let quoted = go_quote(&bytes);
        prop_assert!(!quoted.chars().any(|c| c.is_control()));
        let _ = FileSource::parse(&bytes);
    }
}
