//! Driving pachsecret on a real terminal: a private tmux server, keys sent with send-keys and
//! the screen read with capture-pane. Tests skip with a visible message where tmux is absent.

use std::path::Path;
use std::time::Duration;

use super::show;

/// A tmux server of our own (its own socket), killed when dropped.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(command: &str) -> Option<Tmux> {
        let probe = std::process::Command::new("tmux").arg("-V").output();
        if probe.map(|o| !o.status.success()).unwrap_or(true) {
            eprintln!("SKIPPED: tmux is not installed; the terminal prompt test did not run");
            return None;
        }
        let socket = format!("pachsecret-test-{}-{}", std::process::id(), rand_suffix());
        let status = std::process::Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "150",
                "-y",
                "20",
                command,
            ])
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        Some(Tmux { socket })
    }

    /// The name of this server's socket, for extra tmux commands.
    pub fn socket(&self) -> &str {
        &self.socket
    }

    /// Waits until `text` appears at least `count` times on the screen.
    pub fn wait_for_count(&self, text: &str, count: usize) -> String {
        for _ in 0..200 {
            let screen = self.screen();
            if screen.matches(text).count() >= count {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{text:?} never appeared {count} times; screen:\n{}",
            self.screen()
        );
    }

    pub fn screen(&self) -> String {
        let out = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .expect("tmux capture-pane");
        show(&out.stdout)
    }

    pub fn wait_for(&self, text: &str) -> String {
        for _ in 0..200 {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{text:?} never appeared; screen:\n{}", self.screen());
    }

    pub fn type_line(&self, text: &str) {
        for keys in [&["-l", text][..], &["Enter"]] {
            let status = std::process::Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", "0"])
                .args(keys)
                .status()
                .expect("tmux send-keys");
            assert!(status.success());
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos() as u64)
        .unwrap_or(0)
}

fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// The command run inside tmux: pachsecret ARGV (subcommand first) with the terminal as stdin, output to files, and
/// a marker file when it ends.
pub fn tmux_command(dir: &Path, extra_env: &str, argv: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("pachsecret");
    format!(
        "cd {dir} && env -u CI -u DOCKER_CONFIG {extra_env} {bin} {argv} > out.json 2> err.txt; echo $? > status",
        dir = shell_quote(dir),
        bin = shell_quote(&bin),
    )
}

pub fn wait_for_file(path: &Path) -> String {
    for _ in 0..200 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with('\n')
        {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{} never appeared", path.display());
}
