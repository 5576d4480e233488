//! One module per subcommand. Each takes its clap struct and returns the exit status, or an
//! error the renderer in [`crate::shell::diagnostics`] prints.

use crate::cli::{Cli, Command, GlobalArgs};
use crate::shell::exit::ExitStatus;

pub mod auth;
pub mod completions;
pub mod demo;
pub mod generate;
pub mod install_skills;
pub mod onboard;
pub mod serve;
pub mod sessions;
pub mod tail;
pub mod triggers;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    let global = cli.global;
    match cli.command {
        Command::Onboard(args) => onboard::run(&global, args),
        Command::Auth(command) => auth::run(&global, command),
        Command::Tail(args) => tail::run(&global, args),
        Command::Sessions(command) => sessions::run(&global, command),
        Command::Triggers(command) => triggers::run(&global, command),
        Command::InstallSkills(args) => install_skills::run(&global, args),
        Command::Serve(args) => serve::run(&global, args),
        Command::Demo(args) => demo::run(&global, args),
        Command::Generate(args) => generate::run(&global, args),
        Command::Completions(args) => completions::run(&global, args),
    }
}

/// A multi-threaded tokio runtime for commands that do network I/O.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the async runtime")
}

#[allow(dead_code)]
pub(crate) fn not_yet(command: &str, _global: &GlobalArgs) -> anyhow::Result<ExitStatus> {
    Err(anyhow::Error::from(crate::shell::exit::UserError::failure(format!(
        "`autoplay {command}` is not available in this build yet"
    ))))
}
