/*!
`autoplay`: the developer toolkit for the Autoplay real-time user-activity platform.

The binary is a thin shell around [`main`]: parse the command line (`cli`), turn it into
plain settings (`settings`), run the command (`commands`), render any error. Library modules
hold the domain logic (event model, SSE parsing, the trigger engine, session aggregation)
and stay free of terminal I/O where they can; `commands/` holds one module per subcommand
that wires those pieces together.
*/

pub(crate) mod cli;
pub(crate) mod commands;
pub(crate) mod connector;
pub mod event;
pub(crate) mod fs;
#[doc(hidden)]
pub mod fuzz_api;
pub mod json;
pub(crate) mod mcp;
pub(crate) mod posthog;
pub(crate) mod py;
pub(crate) mod recording;
pub(crate) mod report;
pub(crate) mod server;
pub mod sessions;
pub(crate) mod settings;
pub(crate) mod shell;
pub(crate) mod simulate;
pub(crate) mod skills;
pub mod stream;
pub(crate) mod templates;
pub mod triggers;

pub use shell::exit::ExitStatus;

/// Parses the command line, runs the command and renders any error.
pub fn main() -> std::process::ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout and usage errors to stderr itself.
            let _ = err.print();
            return if err.use_stderr() { ExitStatus::Usage.into() } else { ExitStatus::Success.into() };
        }
    };
    let invocation = settings::Invocation::from(cli);
    shell::ui::init(invocation.global.ui);
    shell::logging::init(invocation.global.ui.verbose);
    let status = match commands::run(invocation) {
        Ok(status) => status,
        Err(err) => shell::diagnostics::report(&err),
    };
    status.into()
}
