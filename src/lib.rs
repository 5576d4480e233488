/*!
`autoplay`: the developer toolkit for the Autoplay real-time user-activity platform.

The binary is a thin shell around [`main`]. Library modules hold the domain logic
(event model, SSE parsing, the trigger engine, session aggregation) and stay free of
terminal I/O where they can; `commands/` holds one module per subcommand that wires
those pieces to the command line.
*/

pub mod cli;
pub mod commands;
pub mod connector;
pub mod event;
pub mod json;
pub mod py;
pub mod recording;
pub mod server;
pub mod sessions;
pub mod shell;
pub mod skills;
pub mod stream;
pub mod triggers;

pub use shell::exit::ExitStatus;

/// Parses the command line, runs the command and renders any error.
pub fn main() -> std::process::ExitCode {
    use clap::Parser;
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help/version to stdout and usage errors to stderr itself.
            let _ = err.print();
            return if err.use_stderr() { ExitStatus::Usage.into() } else { ExitStatus::Success.into() };
        }
    };
    shell::ui::init(&cli.global);
    shell::logging::init(&cli.global);
    let status = match commands::run(cli) {
        Ok(status) => status,
        Err(err) => shell::diagnostics::report(&err),
    };
    status.into()
}
