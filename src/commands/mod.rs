//! One module per subcommand. Each takes the global settings and its own settings (built in
//! [`crate::settings`]) and returns the exit status, or an error the renderer in
//! [`crate::shell::diagnostics`] prints. Commands compose library calls; they never call
//! each other.

use crate::settings::{CommandSettings, Invocation};
use crate::shell::exit::ExitStatus;

pub(crate) mod auth;
pub(crate) mod completions;
pub(crate) mod demo;
pub(crate) mod doctor;
pub(crate) mod generate;
pub(crate) mod install_skills;
pub(crate) mod mcp;
pub(crate) mod onboard;
pub(crate) mod send;
pub(crate) mod serve;
pub(crate) mod sessions;
pub(crate) mod tail;
pub(crate) mod triggers;

/// Runs the parsed command line.
pub(crate) fn run(invocation: Invocation) -> anyhow::Result<ExitStatus> {
    let global = invocation.global;
    match invocation.command {
        CommandSettings::Onboard(settings) => onboard::run(&global, settings),
        CommandSettings::Auth(settings) => auth::run(&global, settings),
        CommandSettings::Tail(settings) => tail::run(&global, settings),
        CommandSettings::Sessions(settings) => sessions::run(&global, settings),
        CommandSettings::Triggers(settings) => triggers::run(&global, settings),
        CommandSettings::InstallSkills(settings) => install_skills::run(&global, settings),
        CommandSettings::Serve(settings) => serve::run(settings),
        CommandSettings::Send(settings) => send::run(&global, settings),
        CommandSettings::Doctor(settings) => doctor::run(&global, settings),
        CommandSettings::Demo(settings) => demo::run(&global, settings),
        CommandSettings::Generate(settings) => generate::run(settings),
        CommandSettings::Completions(settings) => completions::run(settings),
        CommandSettings::Mcp(settings) => mcp::run(settings),
    }
}

/// A multi-threaded tokio runtime for commands that do network I/O.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("could not start the async runtime")
}
