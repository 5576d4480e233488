//! The `triggers` commands: lint, simulate, init.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::triggers::focus::TimeBound;

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  autoplay triggers init\n  autoplay triggers validate products.json --strict\n  autoplay triggers simulate --config products.json --events rec.jsonl"
)]
// Parsed once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
pub(crate) enum TriggersCommand {
    /// Lint a products.json trigger config: every problem with its JSON path, line and column
    Validate(TriggersValidateArgs),
    /// Replay a recording through a trigger config and print the SDK's decisions
    Simulate(TriggersSimulateArgs),
    /// Write a commented starting config
    Init(TriggersInitArgs),
    /// Tell one session's story: pages, phases, fires with reasons, closest misses
    Explain(TriggersExplainArgs),
    /// Sweep config values and compare the outcome of every combination
    Tune(TriggersTuneArgs),
    /// Check a file of expectations about which triggers fire (for CI)
    Test(TriggersTestArgs),
    /// Run the trigger engine on the live stream and print each decision as it happens
    Watch(TriggersWatchArgs),
}

const TRIGGERS_VALIDATE_AFTER_HELP: &str = "\
Examples:
  autoplay triggers validate products.json                 every problem, with file:line:col
  autoplay triggers validate products.json --strict        warnings fail too (for CI)
  autoplay triggers validate - --format json < products.json | jq '.problems[]'

Errors are what the SDK refuses when it loads the config (`triggers simulate` refuses the same
configs); warnings are what it silently skips or what does not do what it seems to.
Keys starting with \"_comment\" are notes and never reported.

Exit codes: 0 valid (warnings allowed) · 2 errors, not JSON, unreadable (or warnings with --strict)";

#[derive(Debug, Clone, Args)]
#[command(after_help = TRIGGERS_VALIDATE_AFTER_HELP)]
pub(crate) struct TriggersValidateArgs {
    /// The products.json file (`-` for stdin)
    pub(crate) config: PathBuf,
    /// Treat warnings as errors (exit 2 on any problem)
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum JudgeMode {
    Approve,
    Reject,
    InstantOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SimProfile {
    Sdk,
    Connector,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SdkVersion {
    #[value(name = "0.7")]
    V07,
    #[value(name = "0.13")]
    V013,
}

const TRIGGERS_SIMULATE_AFTER_HELP: &str = "\
Records (--format json, one per line): fire, timeout, cooldown_cleared, reactive, tour_offer,
tour_started, tour_declined, invalid_transition, session_end, and evaluation with --explain.
Decisions match autoplay-sdk 0.7.3 (or 0.13.0 with --sdk 0.13).

Examples:
  autoplay triggers simulate --config products.json --events rec.jsonl
  autoplay triggers simulate --config products.json --events rec.jsonl --explain --tick 5
  autoplay triggers simulate --config p.json --events r.jsonl --why --session s1
  autoplay triggers simulate --config p.json --events r.jsonl --kind fire --to 9
  autoplay triggers simulate --config products.json --events rec.jsonl --format json | jq .kind
  autoplay triggers simulate --config products.json --events rec.jsonl --report report.html
  autoplay generate --sessions 50 | autoplay triggers simulate --config products.json --events -";

#[derive(Debug, Clone, Args)]
#[command(after_help = TRIGGERS_SIMULATE_AFTER_HELP)]
pub(crate) struct TriggersSimulateArgs {
    /// products.json: an array of product rows, or one row object
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    /// The recording (JSON Lines, as `autoplay tail --record` and `autoplay generate` write
    /// it; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) events: PathBuf,
    #[command(flatten)]
    pub(crate) engine: SimEngineArgs,
    /// `--profile`, the former name of `--rules` (still accepted)
    #[arg(long = "profile", value_enum, hide = true, conflicts_with = "rules")]
    pub(crate) profile: Option<SimProfile>,
    /// Warn about unreadable lines and skip them instead of failing
    #[arg(long)]
    pub(crate) skip_bad_lines: bool,
    /// Also write a self-contained HTML report (sessions on a timeline, charts) to FILE
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) focus: FocusArgs,
    /// Override one config value: a JSON path ([0].integration_config.cooldown_period_s) or
    /// a member name that is unique in the file (dwell_threshold_seconds); repeatable
    #[arg(long, value_name = "KEY=V")]
    pub(crate) set: Vec<String>,
}

/// The engine flags `triggers simulate` and `triggers watch` share (same names, same
/// meaning).
#[derive(Debug, Clone, Args)]
pub(crate) struct SimEngineArgs {
    /// Use this product row for every event (default: the row whose product_id equals the
    /// event's; a single-row config serves every event); `watch --connector` also follows
    /// this product's stream
    #[arg(long, value_name = "ID")]
    pub(crate) product: Option<String>,
    /// Background pulse interval (pulses at every multiple); 0 = no pulses
    #[arg(long, value_name = "DURATION", default_value_t = 10.0, value_parser = super::seconds_in(0.0, 86_400.0))]
    pub(crate) tick: f64,
    /// Keep pulsing this long after a session's last event
    #[arg(long, value_name = "DURATION", default_value_t = 300.0, value_parser = super::seconds_in(0.0, 7.0 * 86_400.0))]
    pub(crate) horizon: f64,
    /// How the LLM judge answers for gated (llm_judge_validation) winners
    #[arg(long, value_enum, default_value_t = JudgeMode::Approve)]
    pub(crate) judge: JudgeMode,
    /// `sdk`: state machine + registry; `connector`: also a 300 s minimum between fires
    #[arg(long, value_enum, default_value_t = SimProfile::Sdk)]
    pub(crate) rules: SimProfile,
    /// Context lookback
    #[arg(long, value_name = "DURATION", default_value_t = 120.0, value_parser = super::parse_seconds)]
    pub(crate) lookback: f64,
    /// At most N actions in the trigger context
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(crate) max_actions: i64,
    /// Also emit an `evaluation` record for every evaluation that did not fire
    #[arg(long)]
    pub(crate) explain: bool,
    /// Add a `why` object (window, each detector's verdict and evidence, the gate) to every
    /// fire and evaluation record; implies --explain
    #[arg(long)]
    pub(crate) why: bool,
    /// autoplay-sdk release whose detector semantics to follow
    #[arg(long, value_enum, default_value_t = SdkVersion::V07)]
    pub(crate) sdk: SdkVersion,
}

/// Which records `triggers simulate` and `triggers watch` print (every session is still run
/// from its first event: the filters choose output, never decisions).
#[derive(Debug, Clone, Args)]
pub(crate) struct FocusArgs {
    /// Print only these sessions (every session is still simulated from its first event)
    #[arg(long, value_name = "ID[,ID…]", value_delimiter = ',', help_heading = "Focus")]
    pub(crate) session: Vec<String>,
    /// Print only the sessions of these users (a session's user is the first user_id its
    /// lines carry)
    #[arg(long, value_name = "ID[,ID…]", value_delimiter = ',', help_heading = "Focus")]
    pub(crate) user: Vec<String>,
    /// Print only fires of these triggers and evaluations where one matched
    #[arg(long, value_name = "ID[,ID…]", value_delimiter = ',', help_heading = "Focus")]
    pub(crate) trigger: Vec<String>,
    /// Print only these record kinds (fire, timeout, evaluation, session_end, …)
    #[arg(long, value_name = "KIND[,KIND…]", value_delimiter = ',', help_heading = "Focus")]
    pub(crate) kind: Vec<String>,
    /// Print only records at or after T: seconds from the session's start, unix seconds or
    /// RFC 3339
    #[arg(long, value_name = "T", value_parser = TimeBound::parse, help_heading = "Focus")]
    pub(crate) from: Option<TimeBound>,
    /// Print only records at or before T (as --from)
    #[arg(long, value_name = "T", value_parser = TimeBound::parse, help_heading = "Focus")]
    pub(crate) to: Option<TimeBound>,
}

/// The simulation options `explain` and `tune` share with `simulate`.
#[derive(Debug, Clone, Args)]
pub(crate) struct SimRunArgs {
    /// Use this product row for every event
    #[arg(long, value_name = "ID")]
    pub(crate) product: Option<String>,
    /// Background pulse interval in seconds; 0 = no pulses
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0, value_parser = super::number_in(0.0, 86_400.0))]
    pub(crate) tick: f64,
    /// Keep pulsing this many seconds after a session's last event
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0, value_parser = super::number_in(0.0, 7.0 * 86_400.0))]
    pub(crate) horizon: f64,
    /// How the LLM judge answers for gated (llm_judge_validation) winners
    #[arg(long, value_enum, default_value_t = JudgeMode::Approve)]
    pub(crate) judge: JudgeMode,
    /// `sdk`: state machine + registry; `connector`: also a 300 s minimum between fires
    /// (`--profile` is still accepted)
    #[arg(long, value_enum, default_value_t = SimProfile::Sdk, alias = "profile")]
    pub(crate) rules: SimProfile,
    /// Context lookback
    #[arg(long, value_name = "DURATION", default_value_t = 120.0, value_parser = super::parse_seconds)]
    pub(crate) lookback: f64,
    /// At most N actions in the trigger context
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub(crate) max_actions: i64,
    /// autoplay-sdk release whose detector semantics to follow
    #[arg(long, value_enum, default_value_t = SdkVersion::V07)]
    pub(crate) sdk: SdkVersion,
    /// Warn about unreadable lines and skip them instead of failing
    #[arg(long)]
    pub(crate) skip_bad_lines: bool,
}

const TRIGGERS_EXPLAIN_AFTER_HELP: &str = "\
The session is simulated with every other session of the recording (from its
first event, with the same options as `triggers simulate`), then told top to
bottom.

Examples:
  autoplay triggers explain s1 --config products.json --events rec.jsonl
  autoplay triggers explain s1 --config p.json --events rec.jsonl --at 120
  autoplay triggers explain s1 --config p.json --events r.jsonl \\
      --trigger user_page_dwell
  autoplay triggers explain s1 --config p.json --events r.jsonl --format json \\
      | jq .fires

Exit codes: 0 told · 2 bad config, recording or option · 5 no such session";

#[derive(Debug, Clone, Args)]
#[command(
    after_help = TRIGGERS_EXPLAIN_AFTER_HELP,
    override_usage = "autoplay triggers explain [OPTIONS] <SESSION> \\\n           --config <FILE> --events <FILE>"
)]
pub(crate) struct TriggersExplainArgs {
    /// The session id
    pub(crate) session: String,
    /// products.json: an array of product rows, or one row object
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    /// The recording (JSON Lines; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) events: PathBuf,
    /// Also show every reason of the decision at (or just before) T: seconds from the
    /// session's start, unix seconds or RFC 3339
    #[arg(long, value_name = "T", value_parser = TimeBound::parse)]
    pub(crate) at: Option<TimeBound>,
    /// Tell only about this trigger's fires and misses
    #[arg(long, value_name = "ID")]
    pub(crate) trigger: Option<String>,
    #[command(flatten)]
    pub(crate) run: SimRunArgs,
}

const TRIGGERS_TUNE_AFTER_HELP: &str = "\
One row per combination: fires per trigger, sessions with a fire, fires per
simulated session-hour, median seconds to the first fire, timeouts. KEY is a
JSON path into the config or a member name that is unique in it; values are
JSON (or text), or a range FROM..TO:STEP. Every combination is validated
before anything runs.

Examples:
  autoplay triggers tune --config products.json --events rec.jsonl \\
      --vary dwell_threshold_seconds=30..120:15
  autoplay triggers tune --config p.json --events rec.jsonl \\
      --vary dwell_threshold_seconds=45,60 --format json | jq .total_fires
  autoplay triggers tune --config p.json --events rec.jsonl \\
      --vary cooldown_period_s=30,60,90 --report tune.html

Exit codes: 0 compared · 2 bad config, value, recording or option";

#[derive(Debug, Clone, Args)]
#[command(
    after_help = TRIGGERS_TUNE_AFTER_HELP,
    override_usage = "autoplay triggers tune [OPTIONS] --config <FILE> --events <FILE> \\\n           --vary <KEY=VALUES>..."
)]
pub(crate) struct TriggersTuneArgs {
    /// products.json: an array of product rows, or one row object
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    /// The recording (JSON Lines; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) events: PathBuf,
    /// KEY=V1,V2,… or KEY=FROM..TO:STEP; repeat to sweep several keys (every combination)
    #[arg(long, value_name = "KEY=VALUES", required = true)]
    pub(crate) vary: Vec<String>,
    /// Also write a self-contained HTML report (one row per combination, sortable) to FILE
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) run: SimRunArgs,
}

const TRIGGERS_TEST_AFTER_HELP: &str = "\
expect.jsonl: one expectation per line, for a session id or \"*\" (each session):
  {\"session\": \"s1\", \"fires\": \"user_page_dwell\", \"between\": [0, 120]}
  {\"session\": \"s1\", \"fires\": \"user_page_dwell\", \"at_most\": 1}
  {\"session\": \"*\", \"never_fires\": \"canonical_url_ping_pong\"}
  {\"session\": \"s2\", \"never_fires\": null}                 (no trigger at all)
  {\"session\": \"s1\", \"state_at\": 100, \"is\": \"thinking\"}
  {\"session\": \"s1\", \"first_fire\": \"canonical_url_ping_pong\"}
Times are seconds from the session's first event.

Examples:
  autoplay triggers test --config p.json --events r.jsonl --expect e.jsonl
  autoplay triggers test --config p.json --events r.jsonl --expect e.jsonl \\
      --update

Exit codes: 0 all met · 3 some not met · 2 bad expectations, config or recording";

#[derive(Debug, Clone, Args)]
#[command(
    after_help = TRIGGERS_TEST_AFTER_HELP,
    override_usage = "autoplay triggers test [OPTIONS] --config <FILE> --events <FILE> \\\n           --expect <FILE>"
)]
pub(crate) struct TriggersTestArgs {
    /// products.json: an array of product rows, or one row object
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    /// The recording (JSON Lines; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub(crate) events: PathBuf,
    /// The expectations (JSON Lines)
    #[arg(long, value_name = "FILE")]
    pub(crate) expect: PathBuf,
    /// Write the expectations the current config meets to --expect instead, for review
    #[arg(long)]
    pub(crate) update: bool,
    #[command(flatten)]
    pub(crate) run: SimRunArgs,
}

const TRIGGERS_INIT_AFTER_HELP: &str = "\
Examples:
  autoplay triggers init                          write ./products.json
  autoplay triggers init config/products.json     (creates config/)
  autoplay triggers init --force                  overwrite an existing file
  autoplay triggers init - | jq .                 print the template instead

The template has the three builtins, chips linked to ping-pong by criteria id and a tour
registry entry; `_comment` keys explain each part. It validates clean and fires on
the demo recording.

Exit codes: 0 written · 2 the file exists (without --force)";

#[derive(Debug, Clone, Args)]
#[command(after_help = TRIGGERS_INIT_AFTER_HELP)]
pub(crate) struct TriggersInitArgs {
    /// Where to write the config (`-` prints it to stdout)
    #[arg(default_value = "products.json")]
    pub(crate) path: PathBuf,
    /// Overwrite an existing file
    #[arg(long)]
    pub(crate) force: bool,
}

// ---------------------------------------------------------------------------------------------
// watch
// ---------------------------------------------------------------------------------------------

const TRIGGERS_WATCH_AFTER_HELP: &str = "\
Examples:
  autoplay triggers watch --config products.json      the saved profile's stream
  autoplay triggers watch --config products.json \\
      --connector http://127.0.0.1:8787 --product demo
  autoplay triggers watch --config products.json --events rec.jsonl
  autoplay triggers watch --config products.json --events - --format json
  autoplay triggers watch --config products.json --kind fire --user u42
  autoplay triggers watch --config products.json \\
      --forward-to http://localhost:3000/hook
  autoplay triggers watch --config products.json --report watch.html

Clocks: `wall` (default on a stream): an event happens when it arrives and
pulses follow the wall clock. `event` (default with --events): the stream's own
timestamps, pulses placed as `triggers simulate` places them; a replay watched
to its end gives simulate's records.
The config file is watched: a valid change applies from the next evaluation, to
live sessions too (their state and history kept). --session, --user, --trigger,
--kind, --from and --to choose what is printed, as in `triggers simulate`.
--report writes the HTML report of every decision when the run ends (also on
Ctrl-C); it holds at most 100,000 sessions and 5,000,000 actions, and says in
its header what it left out.

Exit codes: 0 ended · 1 stream failure · 2 invalid config or flags · 130 Ctrl-C";

/// `--clock`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ClockMode {
    /// The wall clock: events happen when they arrive
    Wall,
    /// The stream's timestamps, as `triggers simulate` reads them
    Event,
}

#[derive(Debug, Args)]
#[command(after_help = TRIGGERS_WATCH_AFTER_HELP)]
pub(crate) struct TriggersWatchArgs {
    /// products.json: a JSON array of product rows (or one row)
    #[arg(long, value_name = "FILE")]
    pub(crate) config: PathBuf,
    #[command(flatten)]
    pub(crate) stream: super::sessions::LiveStreamArgs,
    /// Read events from a recording that may still grow (followed like `tail -f`), or `-`
    /// for stdin, instead of the stream
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["url", "connector"])]
    pub(crate) events: Option<PathBuf>,
    /// What time is: `wall` (default on a stream) or `event` (default with --events)
    #[arg(long, value_enum)]
    pub(crate) clock: Option<ClockMode>,
    #[command(flatten)]
    pub(crate) engine: SimEngineArgs,
    #[command(flatten)]
    pub(crate) focus: FocusArgs,
    /// At most this many live sessions; past it the least recently active one ends
    #[arg(long, value_name = "N", default_value_t = 100_000, help_heading = "Sessions")]
    pub(crate) max_sessions: usize,
    /// Keep a session this long after its horizon in case it comes back
    #[arg(long, value_name = "DURATION", default_value_t = 600.0, value_parser = super::parse_seconds, help_heading = "Sessions")]
    pub(crate) linger: f64,
    /// Append every received event as one JSON line to FILE (a recording)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub(crate) record: Option<PathBuf>,
    /// At exit, write a self-contained HTML report of what the run decided to FILE
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub(crate) report: Option<PathBuf>,
    /// POST each decision record as JSON to this URL, signed like `tail --forward-to`
    #[arg(long, value_name = "URL", help_heading = "Forwarding")]
    pub(crate) forward_to: Option<String>,
    /// File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)
    #[arg(long, value_name = "PATH", help_heading = "Forwarding")]
    pub(crate) forward_secret_file: Option<PathBuf>,
    /// Stop after this long
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration, help_heading = "Ending")]
    pub(crate) duration: Option<std::time::Duration>,
    /// Stop after N events have been received
    #[arg(long, value_name = "N", help_heading = "Ending")]
    pub(crate) max_events: Option<u64>,
    /// Stop when no event has arrived for this long
    #[arg(long, value_name = "DURATION", value_parser = super::parse_duration, help_heading = "Ending")]
    pub(crate) exit_when_idle: Option<std::time::Duration>,
}
