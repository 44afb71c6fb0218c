//! Generated documentation stays current: man pages in `man/` and shell completions.

use std::fs;
use std::path::Path;

use crate::util::pachsecret;

/// Compares `man/` with what the clap definitions render now. Outside CI a stale page is
/// rewritten (commit the result); in CI (`CI=true`) it only fails.
#[test]
fn man_pages_are_generated_from_the_clap_definitions_and_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = pachsecret::cli::manpages::render_all().unwrap();
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    assert!(
        names.contains(&"pachsecret.1") && names.contains(&"pachsecret-generic.1"),
        "{names:?}"
    );
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let mut stale = Vec::new();
    for (name, page) in &pages {
        let path = dir.join(name);
        if fs::read(&path).ok().as_deref() != Some(page.as_slice()) {
            stale.push(name.clone());
            if !in_ci {
                fs::create_dir_all(&dir).unwrap();
                fs::write(&path, page).unwrap();
            }
        }
    }
    let extra: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".1") && !names.contains(&f.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "man/ has pages for commands that no longer exist: {extra:?}"
    );
    assert!(
        stale.is_empty(),
        "man pages were stale: {stale:?}{}",
        if in_ci {
            "; run `cargo test` locally and commit man/"
        } else {
            "; rewritten now, commit man/"
        }
    );
}

#[test]
fn man_page_of_generic_carries_the_examples() {
    let pages = pachsecret::cli::manpages::render_all().unwrap();
    let (_, page) = pages
        .iter()
        .find(|(n, _)| n == "pachsecret-generic.1")
        .unwrap();
    let text = String::from_utf8_lossy(page);
    assert!(text.contains(".TH pachsecret-generic 1"), "{text}");
    assert!(text.contains("pachctl create secret"), "{text}");
    assert!(text.contains("\\-\\-from\\-env\\-file"), "{text}");
}

#[test]
fn every_man_page_has_the_sections_a_reader_looks_for() {
    let version = env!("CARGO_PKG_VERSION");
    for (name, page) in pachsecret::cli::manpages::render_all().unwrap() {
        let text = String::from_utf8_lossy(&page);
        let title = name.trim_end_matches(".1");
        assert!(
            text.contains(&format!(
                ".TH {title} 1  \"pachsecret {version}\" \"pachsecret manual\""
            )),
            "{name}: footer must name the program and its version:\n{text}"
        );
        for section in ["NAME", "SYNOPSIS", "EXIT STATUS", "ENVIRONMENT", "SEE ALSO"] {
            assert!(
                text.contains(&format!(".SH \"{section}\""))
                    || text.contains(&format!(".SH {section}\n")),
                "{name} lacks {section}"
            );
        }
    }
    let pages = pachsecret::cli::manpages::render_all().unwrap();
    let page = |n: &str| {
        String::from_utf8_lossy(&pages.iter().find(|(p, _)| p == n).unwrap().1).into_owned()
    };
    assert!(page("pachsecret-tls.1").contains("GODEBUG"));
    assert!(page("pachsecret-docker-registry.1").contains("DOCKER_CONFIG"));
    assert!(page("pachsecret-generic.1").contains("NO_COLOR"));
    // Flags that change nothing are in the man page even though -h leaves them out.
    assert!(page("pachsecret-generic.1").contains("\\-\\-field\\-manager"));
}

#[test]
fn short_help_leaves_out_the_flags_that_change_nothing() {
    let short = pachsecret().args(["generic", "-h"]).output().unwrap();
    let long = pachsecret().args(["generic", "--help"]).output().unwrap();
    let (short, long) = (
        String::from_utf8(short.stdout).unwrap(),
        String::from_utf8(long.stdout).unwrap(),
    );
    for flag in ["--dry-run", "--field-manager", "--show-managed-fields"] {
        assert!(!short.contains(flag), "-h shows {flag}");
        assert!(long.contains(flag), "--help lacks {flag}");
    }
    for heading in [
        "Sources:",
        "Secret:",
        "Output:",
        "Checks:",
        "kubectl compatibility:",
    ] {
        assert!(short.contains(heading), "-h lacks the heading {heading}");
    }
    assert!(short.contains("Usage: pachsecret generic NAME "), "{short}");
}

#[test]
fn completions_cover_every_shell_and_flag() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = pachsecret().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("from-env-file"),
            "{shell} completion lacks --from-env-file"
        );
        assert!(script.contains("generic"), "{shell}");
    }
    pachsecret().args(["completions", "tcsh"]).assert().code(2);
}

/// ARCHITECTURE.md is the map a new engineer reads first: it must name every module in
/// `src/` (a file by its name beside its folder's, a folder's `mod.rs` by the folder).
#[test]
fn architecture_names_every_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut missing = Vec::new();
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(root.join("src")).unwrap();
            let file = relative.file_name().unwrap().to_string_lossy().into_owned();
            let folder = relative
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| format!("{}/", p.display()));
            let named = match (&folder, file.as_str()) {
                (None, file) => map.contains(file),
                (Some(folder), "mod.rs") => map.contains(folder.as_str()),
                (Some(folder), file) => {
                    let leaf = format!(
                        "{}/",
                        folder.trim_end_matches('/').rsplit('/').next().unwrap()
                    );
                    map.contains(file) && (map.contains(folder.as_str()) || map.contains(&leaf))
                }
            };
            if !named {
                missing.push(relative.display().to_string());
            }
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name: {missing:?}"
    );
}
