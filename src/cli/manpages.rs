//! Man pages generated from the clap definitions (clap_mangen), one per (sub)command.
//!
//! `man/` in the repository holds the rendered pages; `tests/docs.rs` fails when they differ
//! from what the current definitions render, and rewrites them outside CI so that a plain
//! `cargo test` followed by a commit keeps them current.

use clap::CommandFactory as _;

use crate::cli::Cli;

/// Every page as (file name, roff bytes): `pachsecret.1`, `pachsecret-generic.1`, ...
pub fn render_all() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    render(&root, &mut pages)?;
    pages.sort();
    Ok(pages)
}

fn render(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render(sub, pages)?;
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render(&mut page)?;
    pages.push((man.get_filename(), page));
    Ok(())
}
