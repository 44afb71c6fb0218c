//! The `pachsecret` binary: everything happens in [`pachsecret::run`].

fn main() {
    std::process::exit(pachsecret::run(std::env::args_os()));
}
