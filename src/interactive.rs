//! The guided mode: on a terminal, pachsecret asks for what a secret needs instead of
//! failing on a missing flag.
//!
//! Entered with `pachsecret interactive`, or with a secret subcommand given no arguments at
//! all (`pachsecret generic`) on a terminal. It never starts without a person to answer: when
//! standard input is not a terminal or `CI` is set it fails like any missing flag would.
//!
//! The questions (dialoguer, drawn on stderr so stdout stays the manifest) only gather a plan;
//! the Secret is then built by the same code as the subcommand, and values are read by
//! [`crate::io::values`] (no echo, asked twice). The equivalent non-interactive command, without any
//! value, is shown at the end so the next run can be scripted.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};

use crate::go::apimachinery::{
    config_key_errors, dns1123_subdomain_errors, suggest_dns1123_subdomain,
};
use crate::io::values::{Terminal, ValueReader, ValueSource};
use crate::kinds::docker_registry::{DockerRegistryConfig, PasswordPlan, Plan, RegistryPlan};
use crate::kinds::generic::{GenericConfig, KeyedSource};
use crate::kinds::shared::OutputOptions;
use crate::kinds::shared::{Built, finish};
use crate::report::outcome::{Failure, Rendered};
use crate::report::{Error, Result};

/// The kinds of secret the guided mode can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Generic,
    Tls,
    DockerRegistry,
}

const DOCKER_HUB: &str = "https://index.docker.io/v1/";

/// Runs the guided mode; `kind` is preselected when entered through a subcommand.
pub fn run(kind: Option<Kind>, reader: &mut ValueReader) -> Result<Rendered, Failure> {
    if reader.terminal() == Terminal::Unavailable {
        return Err(Error::usage(
            "the guided mode needs a terminal, and there is none (standard input is not a terminal, or CI is set)",
        )
        .hint("give the flags instead, e.g. pachsecret generic NAME --from-env=KEY=VAR; see pachsecret --help")
        .into());
    }
    let theme = ColorfulTheme::default();
    let kind = match kind {
        Some(kind) => kind,
        None => {
            let choice = Select::with_theme(&theme)
                .with_prompt("What kind of secret?")
                .items([
                    "generic: keys with values typed, from files or from environment variables",
                    "tls: a certificate (chain) and its private key",
                    "docker-registry: credentials to pull images from private registries",
                ])
                .default(0)
                .interact()
                .map_err(prompt_error)?;
            [Kind::Generic, Kind::Tls, Kind::DockerRegistry][choice]
        }
    };
    let name = ask_name(&theme)?;
    let mut output = OutputOptions::defaults();
    let (built, command) = match kind {
        Kind::Generic => {
            let (config, command) = plan_generic(&theme, name, output.clone())?;
            (
                crate::kinds::generic::build(&config, crate::kinds::generic::process_env, reader)?,
                command,
            )
        }
        Kind::Tls => {
            let (config, command) = plan_tls(&theme, name, output.clone())?;
            (crate::kinds::tls::build(&config)?, command)
        }
        Kind::DockerRegistry => {
            let (config, command) = plan_docker(&theme, name, output.clone())?;
            let env = |var: &str| std::env::var_os(var);
            (
                crate::kinds::docker_registry::build(&config, reader, env)?,
                command,
            )
        }
    };
    let mut command = command;
    if let Some(path) = ask_output_file(&theme, &built)? {
        command.push(format!("-O {}", shell_word(path.as_os_str().as_bytes())));
        output.output_file = Some((path, true));
    }
    let snippet = Confirm::with_theme(&theme)
        .with_prompt("Show the pipeline-spec snippet that uses it?")
        .default(true)
        .interact()
        .map_err(prompt_error)?;
    eprintln!(
        "To make this secret again without questions:\n  {}",
        command.join(" ")
    );
    if snippet {
        // On stderr: stdout may be the manifest itself.
        eprintln!(
            "Add to the pipeline spec (or run `pachsecret patch SPEC --secret MANIFEST`):\n{}",
            crate::pipeline::default_snippet(&built.secret)?
        );
    }
    finish(built, &output)
}

fn prompt_error(err: dialoguer::Error) -> Error {
    let dialoguer::Error::IO(e) = err;
    Error::rejected(format!("the terminal prompt failed: {e}"))
}

fn ask_name(theme: &ColorfulTheme) -> Result<Vec<u8>> {
    let name: String = Input::with_theme(theme)
        .with_prompt("Name of the secret")
        .validate_with(|input: &String| -> Result<(), String> {
            if dns1123_subdomain_errors(input.as_bytes()).is_empty() {
                return Ok(());
            }
            Err(match suggest_dns1123_subdomain(input.as_bytes()) {
                Some(s) => format!("lower-case letters, digits, '-' and '.' only, e.g. {s}"),
                None => "lower-case letters, digits, '-' and '.' only, e.g. my-secret".into(),
            })
        })
        .interact_text()
        .map_err(prompt_error)?;
    Ok(name.into_bytes())
}

/// The questions for `generic`: keys one by one, each with where its value comes from.
fn plan_generic(
    theme: &ColorfulTheme,
    name: Vec<u8>,
    output: OutputOptions,
) -> Result<(GenericConfig, Vec<String>)> {
    let mut command = vec![format!("pachsecret generic {}", shell_word(&name))];
    let mut keyed_sources = Vec::new();
    let mut file_sources = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    loop {
        let taken = keys.clone();
        let key: String = Input::with_theme(theme)
            .with_prompt("Key (e.g. password, access-key, config.json)")
            .validate_with(move |input: &String| -> Result<(), String> {
                let errors = config_key_errors(input.as_bytes());
                if !errors.is_empty() {
                    return Err("letters, digits, '-', '_' and '.' only".into());
                }
                if taken.contains(input) {
                    return Err(format!("{input} is already a key of this secret"));
                }
                Ok(())
            })
            .interact_text()
            .map_err(prompt_error)?;
        let source = Select::with_theme(theme)
            .with_prompt(format!("Value of {key}"))
            .items([
                "type it (hidden, asked twice)",
                "read it from a file",
                "take it from an environment variable",
            ])
            .default(0)
            .interact()
            .map_err(prompt_error)?;
        match source {
            0 => {
                command.push(format!("--from-prompt={key}"));
                keyed_sources.push(KeyedSource {
                    key: key.clone().into_bytes(),
                    source: ValueSource::Prompt {
                        label: format!("Value for key {key}"),
                        confirm: true,
                    },
                    flag: "--from-prompt".into(),
                });
            }
            1 => {
                let path = ask_file(theme, "Path of the file", false)?.unwrap_or_default();
                let path = path.to_string_lossy().into_owned();
                command.push(format!("--from-file={key}={}", shell_word(path.as_bytes())));
                file_sources.push(format!("{key}={path}").into_bytes());
            }
            _ => {
                let var: String = Input::with_theme(theme)
                    .with_prompt("Environment variable")
                    .validate_with(|input: &String| -> Result<(), String> {
                        match std::env::var_os(input) {
                            Some(_) => Ok(()),
                            None => Err(format!("{input} is not set in this shell")),
                        }
                    })
                    .interact_text()
                    .map_err(prompt_error)?;
                command.push(format!("--from-env={key}={var}"));
                keyed_sources.push(KeyedSource {
                    key: key.clone().into_bytes(),
                    source: ValueSource::Env(OsString::from(var)),
                    flag: "--from-env".into(),
                });
            }
        }
        keys.push(key);
        if !ask_more(theme, "Add another key?")? {
            break;
        }
    }
    let config = GenericConfig {
        name,
        secret_type: Vec::new(),
        literals: Vec::new(),
        keyed_sources,
        file_sources,
        env_files: Vec::new(),
        output,
    };
    Ok((config, command))
}

fn ask_more(theme: &ColorfulTheme, prompt: &str) -> Result<bool> {
    Confirm::with_theme(theme)
        .with_prompt(prompt)
        .default(false)
        .interact()
        .map_err(prompt_error)
}

/// A path to an existing regular file, checked as it is typed. `=` and `,` are refused
/// because the path becomes a `--from-file=KEY=PATH` item in the equivalent command.
fn ask_file(theme: &ColorfulTheme, prompt: &str, optional: bool) -> Result<Option<PathBuf>> {
    let path: String = Input::with_theme(theme)
        .with_prompt(prompt)
        .allow_empty(optional)
        .validate_with(move |input: &String| -> Result<(), String> {
            if optional && input.is_empty() {
                return Ok(());
            }
            if input.contains('=') || input.contains(',') {
                return Err("pick a path without '=' or ','".into());
            }
            match std::fs::metadata(input) {
                Ok(m) if m.is_file() => Ok(()),
                Ok(_) => Err(format!("{input} is not a regular file")),
                Err(e) => Err(format!(
                    "{input}: {}",
                    crate::go::io_error::go_io_reason(&e)
                )),
            }
        })
        .interact_text()
        .map_err(prompt_error)?;
    Ok((!path.is_empty()).then(|| PathBuf::from(path)))
}

/// The questions for `tls`: the certificate, the key and an optional CA bundle, each checked
/// to exist as it is chosen; the PEM checks then run as for `pachsecret tls`.
fn plan_tls(
    theme: &ColorfulTheme,
    name: Vec<u8>,
    output: OutputOptions,
) -> Result<(crate::kinds::tls::TlsConfig, Vec<String>)> {
    let cert = ask_file(
        theme,
        "Certificate file (PEM; leaf first, then intermediates)",
        false,
    )?
    .unwrap_or_default();
    let key = ask_file(theme, "Private key file (PEM)", false)?.unwrap_or_default();
    let ca = ask_file(
        theme,
        "CA certificate file for ca.crt (optional, Enter to skip)",
        true,
    )?;
    let mut command = vec![
        format!("pachsecret tls {}", shell_word(&name)),
        format!("--cert={}", shell_word(cert.as_os_str().as_bytes())),
        format!("--key={}", shell_word(key.as_os_str().as_bytes())),
    ];
    if let Some(ca) = &ca {
        command.push(format!("--ca={}", shell_word(ca.as_os_str().as_bytes())));
    }
    let config = crate::kinds::tls::TlsConfig {
        name,
        cert,
        key,
        ca,
        now: time::OffsetDateTime::now_utc(),
        passphrase: crate::kinds::tls::passphrase::PassphraseSource::Prompt,
        output,
    };
    Ok((config, command))
}

/// The questions for `docker-registry`: one or more registries; passwords are asked by the
/// build itself, without echo.
fn plan_docker(
    theme: &ColorfulTheme,
    name: Vec<u8>,
    output: OutputOptions,
) -> Result<(DockerRegistryConfig, Vec<String>)> {
    let mut command = vec![format!("pachsecret docker-registry {}", shell_word(&name))];
    let mut registries = Vec::new();
    loop {
        let taken: Vec<Vec<u8>> = registries
            .iter()
            .map(|r: &RegistryPlan| r.server.clone())
            .collect();
        let server: String = Input::with_theme(theme)
            .with_prompt("Registry server")
            .default(if registries.is_empty() {
                DOCKER_HUB.to_string()
            } else {
                String::new()
            })
            .validate_with(move |input: &String| -> Result<(), String> {
                if input.is_empty() || input.contains(',') || input.contains(char::is_whitespace) {
                    return Err("a host such as ghcr.io or registry.example.com:5000".into());
                }
                if taken.contains(&input.as_bytes().to_vec()) {
                    return Err(format!("{input} is already in this secret"));
                }
                Ok(())
            })
            .interact_text()
            .map_err(prompt_error)?;
        let username: String = Input::with_theme(theme)
            .with_prompt(format!("Username at {server}"))
            .validate_with(|input: &String| -> Result<(), String> {
                if input.is_empty() || input.contains(',') || input.contains(':') {
                    return Err("a user name without ',' or ':'".into());
                }
                Ok(())
            })
            .interact_text()
            .map_err(prompt_error)?;
        let email: String = Input::with_theme(theme)
            .with_prompt("Email (optional)")
            .allow_empty(true)
            .interact_text()
            .map_err(prompt_error)?;
        let n = registries.len() + 1;
        let mut spec = format!("--registry={server},username={username}");
        if !email.is_empty() {
            spec.push_str(&format!(",email={email}"));
        }
        command.push(shell_word(spec.as_bytes()));
        registries.push(RegistryPlan {
            password: PasswordPlan::prompt(username.as_bytes(), server.as_bytes()),
            server: server.into_bytes(),
            username: username.into_bytes(),
            email: email.into_bytes(),
            origin: format!("--registry #{n}"),
            password_flag: format!("--registry #{n} password"),
            is_kubectl_group: false,
        });
        if !ask_more(theme, "Add another registry?")? {
            break;
        }
    }
    let config = DockerRegistryConfig {
        name,
        plan: Plan::Credentials {
            registries,
            import: None,
        },
        output,
    };
    Ok((config, command))
}

/// Where the manifest goes: stdout (the default when stdout is piped) or a private file.
fn ask_output_file(theme: &ColorfulTheme, built: &Built) -> Result<Option<PathBuf>> {
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        return Ok(None);
    }
    let to_file = Select::with_theme(theme)
        .with_prompt("Where should the manifest go?")
        .items([
            "a file (mode 0600)",
            "print it here (for pachctl create secret -f /dev/stdin)",
        ])
        .default(0)
        .interact()
        .map_err(prompt_error)?;
    if to_file != 0 {
        return Ok(None);
    }
    let default = format!("{}.json", String::from_utf8_lossy(&built.secret.name));
    let path: String = Input::with_theme(theme)
        .with_prompt("File")
        .default(default)
        .interact_text()
        .map_err(prompt_error)?;
    let path = PathBuf::from(path);
    if Path::new(&path).exists() {
        let replace = Confirm::with_theme(theme)
            .with_prompt(format!("{} exists. Replace it?", path.display()))
            .default(false)
            .interact()
            .map_err(prompt_error)?;
        if !replace {
            return Err(
                Error::rejected(format!("{} exists and was kept", path.display()))
                    .hint("run again and choose another file"),
            );
        }
    }
    Ok(Some(path))
}

/// `bytes` as one shell word, quoted only when it needs to be.
fn shell_word(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=,:@+%".contains(c));
    if plain {
        text.into_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word(b"db-creds"), "db-creds");
        assert_eq!(shell_word(b"--from-file=k=./a b"), "'--from-file=k=./a b'");
        assert_eq!(shell_word(b"it's"), "'it'\\''s'");
    }

    #[test]
    fn without_a_terminal_the_guided_mode_refuses_to_start() {
        let mut reader = ValueReader::new(Terminal::Unavailable);
        let failure = run(None, &mut reader).unwrap_err();
        assert!(failure.errors[0].message.contains("needs a terminal"));
        assert_eq!(failure.exit_code(), crate::report::ExitCode::Usage);
    }
}
