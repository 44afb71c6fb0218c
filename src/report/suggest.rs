//! "Did you mean": the known name closest to a misspelt one.

/// The candidate closest to `name` (ignoring case, `_` and `-`), if it is close enough to be a
/// plausible misspelling: at most 2 edits, or a quarter of the candidate's length.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalize = |s: &str| {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let wanted = normalize(name);
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(&wanted, &normalize(c)), *c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspellings_find_their_field() {
        assert_eq!(closest("env_vars", &["env_var", "key"]), Some("env_var"));
        assert_eq!(closest("envVar", &["env_var", "key"]), Some("env_var"));
        assert_eq!(closest("mountpth", &["mount_path"]), Some("mount_path"));
        assert_eq!(closest("zzz", &["env_var", "key"]), None);
    }
}
