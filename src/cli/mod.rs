//! Command-line types, and nothing else: every flag of every command is declared here with its
//! help text, one file per command group. [`crate::settings`] turns these structs into the
//! plain settings the commands receive; nothing else below the entry point reads them.
//!
//! The value types a flag parses into (`Format`, `ColorChoice`, `Speed`) belong to the layer
//! that uses them; this module only teaches clap to parse them.

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::server::Speed;
use crate::shell::env_vars;
/// Re-exported for the commands that still read their clap structs (`sessions`, `triggers`).
pub(crate) use crate::shell::output::Format;
use crate::shell::ui::ColorChoice;

mod account;
mod complete;
mod doctor;
mod help;
mod local;
mod mcp;
mod project;
mod send;
mod sessions;
mod stream;
mod triggers;

pub(crate) use account::{AuthCommand, OnboardArgs};
pub(crate) use doctor::DoctorArgs;
pub(crate) use local::{DemoArgs, GenerateArgs, ServeArgs};
pub(crate) use mcp::McpArgs;
pub(crate) use project::{Agent, CompletionsArgs, InstallSkillsArgs};
pub(crate) use send::{SendArgs, SendKind};
pub(crate) use sessions::{SessionSort, SessionsCommand, SourceArgs};
pub(crate) use stream::{ConnectionArgs, FilterArgs, NoProductFlag, ProductFlag, RetryArgs, StreamArgs, TailArgs};
pub(crate) use triggers::{
    ClockMode, FocusArgs, JudgeMode, SdkVersion, SimEngineArgs, SimProfile, SimRunArgs, TriggersCommand,
    TriggersExplainArgs, TriggersSimulateArgs, TriggersTuneArgs, TriggersWatchArgs,
};

const ROOT_AFTER_HELP: &str = "\
Examples:
  autoplay demo                                   see everything work locally, no account needed
  autoplay onboard                                register a product and save its credentials
  autoplay tail                                   follow the live stream of the saved product
  autoplay tail --format json | jq .session_id    NDJSON for scripts
  autoplay sessions context ps_123 --from rec.jsonl
  autoplay triggers simulate --config products.json --events rec.jsonl

Exit codes:
  0 ok · 1 failure · 2 usage, config or input error · 3 expectation not met or timed out
  4 authentication (401/403, no credentials) · 5 not found (404) · 130 interrupted";

/// The Autoplay developer toolkit: onboard a product, tail its live event stream, inspect
/// sessions and replay recordings through trigger configs.
#[derive(Debug, Parser)]
#[command(name = "autoplay", version, after_help = ROOT_AFTER_HELP, propagate_version = true)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The command tree as it is parsed and shown: the derived definition with its help laid out
/// for the terminal ([`help`]).
pub(crate) fn command() -> clap::Command {
    command_with(help::Texts::LaidOut)
}

fn command_with(texts: help::Texts) -> clap::Command {
    help::finish(complete::add_candidates(<Cli as clap::CommandFactory>::command()), help::width(), texts)
}

/// The script that makes `shell` ask the binary for completions ([`complete`]).
pub(crate) fn completion_script(shell: clap_complete::Shell, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    complete::registration(shell, out)
}

/// Parses the process's arguments with [`command`]; when the shell is asking for completions
/// (`COMPLETE=<shell>`), answers and exits instead.
///
/// A command line that parses never shows the help texts, so it is parsed by a tree whose
/// texts are not laid out, and so is `--version`, which shows none either; anything else
/// (help, a mistake) is parsed again by the whole tree, so that what clap shows is laid out
/// for the terminal.
pub(crate) fn parse() -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    complete::answer_if_asked();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match command_with(help::Texts::AsWritten).try_get_matches_from(&args) {
        Ok(matches) => {
            if let Ok(cli) = Cli::from_arg_matches(&matches) {
                return Ok(cli);
            }
        }
        Err(err) if err.kind() == clap::error::ErrorKind::DisplayVersion => return Err(err),
        Err(_) => {}
    }
    let mut command = command();
    let matches = command.try_get_matches_from_mut(&args)?;
    Cli::from_arg_matches(&matches).map_err(|err| err.format(&mut command))
}

/// Flags accepted by every command.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct GlobalArgs {
    /// Output format: `pretty` for people, `json` (NDJSON or one document) for scripts,
    /// `text` where a command supports it. Default: pretty on a terminal, json otherwise
    #[arg(long, global = true, value_enum, env = env_vars::FORMAT, help_heading = help::GLOBAL_HEADING)]
    pub(crate) format: Option<Format>,
    /// When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, help_heading = help::GLOBAL_HEADING)]
    pub(crate) color: ColorChoice,
    /// Print less: `-q` hides progress and notices, `-qq` also warnings
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose", help_heading = help::GLOBAL_HEADING)]
    pub(crate) quiet: u8,
    /// Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = help::GLOBAL_HEADING)]
    pub(crate) verbose: u8,
    /// Never prompt; a missing value is an error naming its flag
    #[arg(long, global = true, env = env_vars::NO_INPUT, value_parser = env_vars::boolean(), help_heading = help::GLOBAL_HEADING)]
    pub(crate) no_input: bool,
    /// Never draw progress bars or spinners (they are drawn only on a terminal anyway)
    #[arg(long, global = true, env = env_vars::NO_PROGRESS, value_parser = env_vars::boolean(), help_heading = help::GLOBAL_HEADING)]
    pub(crate) no_progress: bool,
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Pretty, Format::Json, Format::Text]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            Format::Pretty => PossibleValue::new("pretty").help("Human-readable, coloured on a terminal"),
            Format::Json => PossibleValue::new("json").help("Machine-readable JSON (NDJSON for streams and lists)"),
            Format::Text => PossibleValue::new("text").help("Plain text (the SDK's `to_text()` for `tail`)"),
        })
    }
}

impl ValueEnum for ColorChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }))
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Register a product on the connector and save its credentials
    Onboard(OnboardArgs),
    /// Show or remove saved credentials
    #[command(subcommand)]
    Auth(AuthCommand),
    /// Follow a product's live event stream
    Tail(TailArgs),
    /// Inspect sessions and users from a recording, a live stream or a Redis buffer
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Lint trigger configs and replay recordings through them
    #[command(subcommand)]
    Triggers(TriggersCommand),
    /// Install the Autoplay agent skills for Cursor and Claude into a project
    InstallSkills(InstallSkillsArgs),
    /// Run a local connector (SSE stream and registration API) for development and tests
    Serve(ServeArgs),
    /// Send a test event (a page view or a click) to a product's webhook
    Send(SendArgs),
    /// Run the main job on built-in data: a local connector, a live tail and what it shows
    Demo(DemoArgs),
    /// Write synthetic traffic as a recording (JSON Lines) to stdout
    Generate(GenerateArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
    /// Serve the toolkit to coding agents over the Model Context Protocol (stdio or HTTP)
    Mcp(McpArgs),
    /// Check the setup: config, credentials, connector, token, skills, completions
    Doctor(DoctorArgs),
}

// ---------------------------------------------------------------------------------------------
// value parsers
// ---------------------------------------------------------------------------------------------

pub(crate) use crate::shell::duration::parse as parse_duration;

/// [`parse_duration`] as seconds, for the flags whose settings hold seconds.
pub(crate) fn parse_seconds(text: &str) -> Result<f64, String> {
    parse_duration(text).map(|d| d.as_secs_f64())
}

/// A duration flag in seconds with its own range (`min..=max` seconds).
pub(crate) fn seconds_in(min: f64, max: f64) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |text| crate::shell::duration::parse_in(text, min, max).map(|d| d.as_secs_f64())
}

/// A plain number flag with a range (`min..=max`); not-a-number and infinities are refused.
pub(crate) fn number_in(min: f64, max: f64) -> impl Fn(&str) -> Result<f64, String> + Clone + Send + Sync + 'static {
    move |text| {
        let value: f64 = text.trim().parse().map_err(|_| format!("`{text}` is not a number"))?;
        if !value.is_finite() || value < min || value > max {
            return Err(format!("`{text}` is outside {}..={}", crate::py::float_repr(min), crate::py::float_repr(max)));
        }
        Ok(value)
    }
}

fn parse_speed(text: &str) -> Result<Speed, String> {
    if text.eq_ignore_ascii_case("max") {
        return Ok(Speed::Max);
    }
    let factor: f64 =
        text.trim_end_matches('x').parse().map_err(|_| format!("`{text}` is not a speed (try 1, 10 or max)"))?;
    if !(factor.is_finite() && factor > 0.0) {
        return Err(format!("speed must be above 0, got `{text}`"));
    }
    Ok(Speed::Factor(factor))
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks (duplicate flags, bad defaults) over the whole tree.
    #[test]
    fn the_command_tree_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
        super::command().debug_assert();
    }
}
