//! Command-line types, and nothing else: every flag of every command is declared here with its
//! help text. The commands in `commands/` receive these structs and do the work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted by every command.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Output format: `pretty` for people, `json` (NDJSON or one document) for scripts,
    /// `text` where a command supports it. Default: pretty on a terminal, json otherwise
    #[arg(long, global = true, value_enum, env = "AUTOPLAY_FORMAT")]
    pub format: Option<Format>,
    /// When to colour output (`NO_COLOR` and `TERM=dumb` also turn colour off)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print less: `-q` hides progress and notices, `-qq` also warnings
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "verbose")]
    pub quiet: u8,
    /// Print more: `-v` debug logs, `-vv` trace logs (secrets are always redacted)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Never prompt; a missing value is an error naming its flag
    #[arg(long, global = true, env = "AUTOPLAY_NO_INPUT")]
    pub no_input: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable, coloured on a terminal
    Pretty,
    /// Machine-readable JSON (NDJSON for streams and lists)
    Json,
    /// Plain text (the SDK's `to_text()` for `tail`)
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
    /// Run the main job on built-in data: a local connector, a live tail and what it shows
    Demo(DemoArgs),
    /// Write synthetic traffic as a recording (JSON Lines) to stdout
    Generate(GenerateArgs),
    /// Print a shell completion script
    Completions(CompletionsArgs),
}

// ---------------------------------------------------------------------------------------------
// Stream connection (shared by `tail` and `sessions --live`)
// ---------------------------------------------------------------------------------------------

/// Where the stream is and how to authenticate.
#[derive(Debug, Clone, Args, Default)]
pub struct StreamArgs {
    /// Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)
    #[arg(long, env = "AUTOPLAY_STREAM_URL", help_heading = "Connection")]
    pub url: Option<String>,
    /// Connector base URL; the stream is `{connector}/stream/{product}`
    #[arg(long, env = "AUTOPLAY_CONNECTOR_URL", help_heading = "Connection")]
    pub connector: Option<String>,
    /// Product id (with --connector)
    #[arg(long, env = "AUTOPLAY_PRODUCT_ID", help_heading = "Connection")]
    pub product: Option<String>,
    /// Read the bearer token from this file
    #[arg(long, value_name = "PATH", conflicts_with = "token", help_heading = "Connection")]
    pub token_file: Option<PathBuf>,
    /// The bearer token; `-` reads it from stdin. A literal value is visible to other
    /// processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN
    #[arg(long, value_name = "TOKEN|-", help_heading = "Connection")]
    pub token: Option<String>,
    /// Saved credentials profile to use
    #[arg(long, env = "AUTOPLAY_PROFILE", help_heading = "Connection")]
    pub profile: Option<String>,
    /// Give up after this many failed connection attempts in a row (default: retry forever)
    #[arg(long, value_name = "N", help_heading = "Connection")]
    pub max_retries: Option<u32>,
    /// Reconnect when no bytes (heartbeats included) arrive for this long
    #[arg(long, value_name = "DURATION", default_value = "90s", value_parser = parse_duration, help_heading = "Connection")]
    pub idle_timeout: std::time::Duration,
    /// Connection timeout for each attempt
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "Connection")]
    pub connect_timeout: std::time::Duration,
}

// ---------------------------------------------------------------------------------------------
// tail
// ---------------------------------------------------------------------------------------------

const TAIL_AFTER_HELP: &str = "\
Filters: a comma list is OR within a flag (`--type actions,summary`); different flags AND
together (`--user u_1 --type actions` = actions of u_1). Heartbeats are never printed.

Examples:
  autoplay tail                                  use the saved profile (autoplay onboard --save)
  autoplay tail --connector http://127.0.0.1:8787 --product demo --token-file key.txt
  autoplay tail --format json --record rec.jsonl | jq -c '.actions[]?.canonical_url'
  autoplay tail --user u_42,u_43 --type actions --url-contains /billing
  autoplay tail --forward-to http://localhost:3000/webhook --forward-secret-file secret.txt
  autoplay tail --expect-events 1 --duration 30s     exit 3 unless an event arrives within 30 s";

#[derive(Debug, Clone, Args)]
#[command(after_help = TAIL_AFTER_HELP)]
pub struct TailArgs {
    #[command(flatten)]
    pub stream: StreamArgs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// In pretty mode, also show the raw JSON of summaries and other frames
    #[arg(long)]
    pub all: bool,
    /// Append every received frame's data as one JSON line to FILE (a recording)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub record: Option<PathBuf>,
    /// POST each event's JSON to this URL, signed like the connector's push mode
    #[arg(long, value_name = "URL", help_heading = "Forwarding")]
    pub forward_to: Option<String>,
    /// File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)
    #[arg(long, value_name = "PATH", help_heading = "Forwarding")]
    pub forward_secret_file: Option<PathBuf>,
    /// Also write every actions/summary payload to a Redis event buffer (SDK layout)
    #[arg(long, value_name = "redis://HOST:PORT[/DB]", help_heading = "Redis sink")]
    pub sink: Option<String>,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default", help_heading = "Redis sink")]
    pub prefix: String,
    /// Sliding window of the Redis buffer, in seconds
    #[arg(long, default_value_t = 120.0, help_heading = "Redis sink")]
    pub window: f64,
    /// Stop after this long
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Ending")]
    pub duration: Option<std::time::Duration>,
    /// Stop after N events have been shown
    #[arg(long, value_name = "N", help_heading = "Ending")]
    pub max_events: Option<u64>,
    /// Stop when no event has arrived for SECS seconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Ending")]
    pub exit_when_idle: Option<std::time::Duration>,
    /// Exit 3 when fewer than N events arrived by the end; stops as soon as N have arrived
    #[arg(long, value_name = "N", help_heading = "Ending")]
    pub expect_events: Option<u64>,
}

/// Event filters shared by `tail` and `sessions --live`.
#[derive(Debug, Clone, Args, Default)]
pub struct FilterArgs {
    /// Only these session ids (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub session: Vec<String>,
    /// Only these user ids (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub user: Vec<String>,
    /// Only these emails (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub email: Vec<String>,
    /// Only these event types: actions, summary, usertour_trigger, … (comma list)
    #[arg(long = "type", value_delimiter = ',', help_heading = "Filters")]
    pub event_type: Vec<String>,
    /// Only events with an action URL containing this text (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub url_contains: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// serve / demo / generate
// ---------------------------------------------------------------------------------------------

const SERVE_AFTER_HELP: &str = "\
Endpoints: GET /stream/{product_id} (SSE, Bearer key), POST /products (registration),
GET /health.

Examples:
  autoplay serve --synthetic                         live synthetic traffic for product `demo`
  autoplay serve --replay rec.jsonl --speed max --key dev_key
  autoplay serve --port 0 --replay rec.jsonl         prints the chosen address on stdout first";

#[derive(Debug, Clone, Args)]
#[command(after_help = SERVE_AFTER_HELP)]
pub struct ServeArgs {
    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Port to listen on; 0 picks a free port and prints the address on stdout
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Product ids served (repeatable)
    #[arg(long = "product", value_name = "ID", default_values_t = [String::from("demo")])]
    pub products: Vec<String>,
    /// API keys accepted on the stream (repeatable); one is generated when none is given
    #[arg(long = "key", value_name = "KEY")]
    pub keys: Vec<String>,
    /// Seconds between heartbeat frames
    #[arg(long, default_value_t = 30.0)]
    pub heartbeat: f64,
    /// Replay this recording to each connection
    #[arg(long, value_name = "FILE", conflicts_with = "synthetic", help_heading = "Source")]
    pub replay: Option<PathBuf>,
    /// Replay speed: 1 (real time), 10, … or `max`
    #[arg(long, default_value = "1", value_parser = parse_speed, help_heading = "Source")]
    pub speed: Speed,
    /// Start the recording again when it ends
    #[arg(long = "loop", help_heading = "Source")]
    pub repeat: bool,
    /// Generate realistic live traffic instead of replaying a file
    #[arg(long, help_heading = "Source")]
    pub synthetic: bool,
    /// Number of concurrent synthetic sessions
    #[arg(long, default_value_t = 5, help_heading = "Source")]
    pub sessions: u32,
    /// Synthetic events per second
    #[arg(long, default_value_t = 2.0, help_heading = "Source")]
    pub rate: f64,
    /// Seed of the synthetic generator
    #[arg(long, default_value_t = 1, help_heading = "Source")]
    pub seed: u64,
    /// Send every replayed event to every product's stream
    #[arg(long, help_heading = "Source")]
    pub any_product: bool,
    /// Answer every stream request with this HTTP status (fault injection)
    #[arg(long, value_name = "CODE", help_heading = "Fault injection")]
    pub fail_status: Option<u16>,
    /// Close each connection after N events (fault injection)
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub drop_after: Option<u64>,
    /// Stop sending anything, heartbeats included, after N events (fault injection)
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub stall_after: Option<u64>,
    /// Send `retry: MS` at the start of each stream (the client's reconnect delay)
    #[arg(long, value_name = "MS")]
    pub retry_ms: Option<u64>,
}

/// Replay pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// Multiply real time by this factor.
    Factor(f64),
    /// As fast as the client reads.
    Max,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The longest the demo tails its stream (it stops earlier once the recording is done)
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub duration: std::time::Duration,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Number of sessions
    #[arg(long, default_value_t = 10)]
    pub sessions: u32,
    /// Seed; the same seed gives the same recording
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Product id written into the events
    #[arg(long, default_value = "demo")]
    pub product: String,
    /// Total actions to generate (default: about 25 per session)
    #[arg(long)]
    pub actions: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// sessions
// ---------------------------------------------------------------------------------------------

/// Where session data comes from (one of them).
#[derive(Debug, Clone, Args, Default)]
pub struct SourceArgs {
    /// A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)
    #[arg(long, value_name = "FILE|-|redis://…", help_heading = "Source")]
    pub from: Option<String>,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default", help_heading = "Source")]
    pub prefix: String,
    /// Listen to the live stream instead (connection flags as for `tail`)
    #[arg(long, conflicts_with = "from", help_heading = "Source")]
    pub live: bool,
    /// With --live: how long to listen
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10s", help_heading = "Source")]
    pub duration: std::time::Duration,
    /// Reference time for lookbacks (unix seconds or RFC 3339); default: the latest
    /// `forwarded_at` in the data (the wall clock with --live)
    #[arg(long, value_name = "TIME", help_heading = "Source")]
    pub at: Option<String>,
    #[command(flatten)]
    pub live_stream: LiveStreamArgs,
}

/// The connection flags of `tail` for `sessions --live`, except `--product`: each sessions
/// command's own `--product` (or AUTOPLAY_PRODUCT_ID, or the profile) names the stream.
#[derive(Debug, Clone, Args, Default)]
pub struct LiveStreamArgs {
    /// Full stream URL, e.g. https://connector.example.com/stream/acme
    #[arg(long, env = "AUTOPLAY_STREAM_URL", help_heading = "Connection (--live)")]
    pub url: Option<String>,
    /// Connector base URL; the stream is `{connector}/stream/{product}`
    #[arg(long, env = "AUTOPLAY_CONNECTOR_URL", help_heading = "Connection (--live)")]
    pub connector: Option<String>,
    /// Read the bearer token from this file
    #[arg(long, value_name = "PATH", conflicts_with = "token", help_heading = "Connection (--live)")]
    pub token_file: Option<PathBuf>,
    /// The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)
    #[arg(long, value_name = "TOKEN|-", help_heading = "Connection (--live)")]
    pub token: Option<String>,
    /// Saved credentials profile to use
    #[arg(long, env = "AUTOPLAY_PROFILE", help_heading = "Connection (--live)")]
    pub profile: Option<String>,
    /// Give up after this many failed connection attempts in a row
    #[arg(long, value_name = "N", help_heading = "Connection (--live)")]
    pub max_retries: Option<u32>,
    /// Reconnect when no bytes arrive for this long
    #[arg(long, value_name = "DURATION", default_value = "90s", value_parser = parse_duration, help_heading = "Connection (--live)")]
    pub idle_timeout: std::time::Duration,
    /// Connection timeout for each attempt
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "Connection (--live)")]
    pub connect_timeout: std::time::Duration,
}

impl LiveStreamArgs {
    /// The `tail` connection flags, with `product` (else AUTOPLAY_PRODUCT_ID) as the stream's.
    pub fn to_stream_args(&self, product: Option<&str>) -> StreamArgs {
        StreamArgs {
            url: self.url.clone(),
            connector: self.connector.clone(),
            product: product.map(str::to_string).or_else(|| std::env::var("AUTOPLAY_PRODUCT_ID").ok()),
            token_file: self.token_file.clone(),
            token: self.token.clone(),
            profile: self.profile.clone(),
            max_retries: self.max_retries,
            idle_timeout: self.idle_timeout,
            connect_timeout: self.connect_timeout,
        }
    }
}

const SESSIONS_AFTER_HELP: &str = "\
Sources (every subcommand): --from rec.jsonl | --from - | --from redis://localhost:6379 [--prefix P]
| --live [--duration 30s]. Lookbacks count back from --at (default: the latest forwarded_at in the
data; the wall clock with --live).

Examples:
  autoplay sessions list --from rec.jsonl --sort actions --limit 20
  autoplay sessions show ps_123 --from rec.jsonl
  autoplay sessions context ps_123 --from rec.jsonl --lookback 300 --max-actions 20
  autoplay sessions context ps_123 --from rec.jsonl --query 'How do I invite a teammate?'
  autoplay sessions user u_42 --from redis://localhost:6379 --prefix acme
  autoplay sessions stats --live --duration 1m
  autoplay sessions drain --from redis://localhost:6379 --prefix acme > drained.jsonl";

#[derive(Debug, Subcommand)]
#[command(after_help = SESSIONS_AFTER_HELP)]
pub enum SessionsCommand {
    /// One row per session
    List(SessionsListArgs),
    /// A session's timeline
    Show(SessionsShowArgs),
    /// The exact context text the SDK would give an LLM for a session
    Context(SessionsContextArgs),
    /// A user's recent sessions and activity text (SDK `UserSessionIndex`)
    User(SessionsUserArgs),
    /// Totals: sessions, users, actions per session, event types, top URLs
    Stats(SessionsStatsArgs),
    /// Consume a Redis buffer like the SDK's `drain()` and print NDJSON in score order
    Drain(SessionsDrainArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SessionSort {
    LastSeen,
    Actions,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsListArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Sort order
    #[arg(long, value_enum, default_value_t = SessionSort::LastSeen)]
    pub sort: SessionSort,
    /// At most N rows
    #[arg(long)]
    pub limit: Option<usize>,
    /// Only sessions of this user
    #[arg(long)]
    pub user: Option<String>,
    /// Only sessions of this product
    #[arg(long)]
    pub product: Option<String>,
    /// Only sessions seen since: a duration before --at (`10m`), unix seconds or RFC 3339
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsShowArgs {
    /// Session id
    pub session: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Product id, when the session id exists under several products
    #[arg(long)]
    pub product: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsContextArgs {
    /// Session id
    pub session: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Product id: read its product-scoped bucket (without it the SDK falls back to the only
    /// product-scoped bucket of the session, and to none when there are several)
    #[arg(long)]
    pub product: Option<String>,
    /// Print the SDK `enrich` text for this user query
    #[arg(long)]
    pub query: Option<String>,
    /// Only actions newer than this many seconds before --at
    #[arg(long, value_name = "SECONDS")]
    pub lookback: Option<f64>,
    /// At most N most recent actions
    #[arg(long, value_name = "N")]
    pub max_actions: Option<i64>,
    /// Leave out the summary
    #[arg(long)]
    pub no_summary: bool,
    /// Leave out the actions
    #[arg(long)]
    pub no_actions: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsUserArgs {
    /// User id
    pub user: String,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Only sessions active within this many seconds before --at
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    pub lookback: f64,
    /// Per-user cap on remembered sessions
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub max_sessions: i64,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsStatsArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Number of top URLs to show
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Debug, Clone, Args)]
pub struct SessionsDrainArgs {
    /// The Redis buffer `redis://host:port[/db]`
    #[arg(long, value_name = "redis://…")]
    pub from: String,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default")]
    pub prefix: String,
}

// ---------------------------------------------------------------------------------------------
// triggers
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Subcommand)]
pub enum TriggersCommand {
    /// Lint a products.json trigger config: every problem with its JSON path, line and column
    Validate(TriggersValidateArgs),
    /// Replay a recording through a trigger config and print the SDK's decisions
    Simulate(TriggersSimulateArgs),
    /// Write a commented starting config
    Init(TriggersInitArgs),
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
pub struct TriggersValidateArgs {
    /// The products.json file (`-` for stdin)
    pub config: PathBuf,
    /// Treat warnings as errors (exit 2 on any problem)
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum JudgeMode {
    Approve,
    Reject,
    InstantOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimProfile {
    Sdk,
    Connector,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SdkVersion {
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
  autoplay triggers simulate --config products.json --events rec.jsonl --format json | jq .kind
  autoplay generate --sessions 50 | autoplay triggers simulate --config products.json --events -";

#[derive(Debug, Clone, Args)]
#[command(after_help = TRIGGERS_SIMULATE_AFTER_HELP)]
pub struct TriggersSimulateArgs {
    /// products.json: an array of product rows, or one row object
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// The recording (JSON Lines, as `autoplay tail --record` and `autoplay generate` write
    /// it; `-` for stdin)
    #[arg(long, value_name = "FILE")]
    pub events: PathBuf,
    /// Use this product row for every event (default: the row whose product_id equals the
    /// event's; a single-row config serves every event)
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,
    /// Background pulse interval in seconds (pulses at every multiple); 0 = no pulses
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    pub tick: f64,
    /// Keep pulsing this many seconds after a session's last event
    #[arg(long, value_name = "SECONDS", default_value_t = 300.0)]
    pub horizon: f64,
    /// How the LLM judge answers for gated (llm_judge_validation) winners
    #[arg(long, value_enum, default_value_t = JudgeMode::Approve)]
    pub judge: JudgeMode,
    /// `sdk`: state machine + registry; `connector`: also a 300 s minimum between fires
    #[arg(long, value_enum, default_value_t = SimProfile::Sdk)]
    pub profile: SimProfile,
    /// Context lookback in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 120.0)]
    pub lookback: f64,
    /// At most N actions in the trigger context
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_actions: i64,
    /// Also emit an `evaluation` record for every evaluation that did not fire
    #[arg(long)]
    pub explain: bool,
    /// autoplay-sdk release whose detector semantics to follow
    #[arg(long, value_enum, default_value_t = SdkVersion::V07)]
    pub sdk: SdkVersion,
    /// Warn about unreadable lines and skip them instead of failing
    #[arg(long)]
    pub skip_bad_lines: bool,
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
pub struct TriggersInitArgs {
    /// Where to write the config (`-` prints it to stdout)
    #[arg(default_value = "products.json")]
    pub path: PathBuf,
    /// Overwrite an existing file
    #[arg(long)]
    pub force: bool,
}

// ---------------------------------------------------------------------------------------------
// onboard / auth
// ---------------------------------------------------------------------------------------------

const ONBOARD_AFTER_HELP: &str = "\
Missing values are asked for on a terminal; without one (or with --no-input) each is an error
naming its flag. Secrets are read from files, never from the command line.

Examples:
  autoplay onboard                                          ask for everything, then show the summary
  autoplay onboard --product acme --email ops@acme.com --save
  autoplay onboard --product acme --email ops@acme.com --save --env-file .autoplay/.env --gitignore
  autoplay onboard --product acme --email ops@acme.com --force-reregister --save   rotates the webhook secret
  autoplay onboard --provider posthog --provider-project-id 12345 --email ops@acme.com --save
  autoplay onboard --product acme --email ops@acme.com --format json > result.json

Exit codes:
  0 registered · 1 connector error, unreachable or timed out · 2 missing or bad input, or the
  product is already registered (HTTP 409) without --force-reregister · 4 HTTP 401/403
  (for the provider API: re-registering without the owner token)";

#[derive(Debug, Clone, Args)]
#[command(after_help = ONBOARD_AFTER_HELP)]
pub struct OnboardArgs {
    /// Product id to register (legacy API; the provider API issues one)
    #[arg(long, value_name = "ID")]
    pub product: Option<String>,
    /// Contact email of the product's owner
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Connector base URL [default: https://event-connector-luda.onrender.com, or
    /// https://connector.autoplay.ai with --provider]
    #[arg(long, value_name = "URL", env = "AUTOPLAY_CONNECTOR_URL")]
    pub connector: Option<String>,
    /// File holding the webhook secret (default: 32 random bytes, URL-safe base64)
    #[arg(long, value_name = "PATH")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Push mode: the connector POSTs events to this URL instead of serving the stream
    #[arg(long, value_name = "URL")]
    pub forward_url: Option<String>,
    /// File holding the push-mode forward secret
    #[arg(long, value_name = "PATH", requires = "forward_url")]
    pub forward_secret_file: Option<PathBuf>,
    /// Re-register an existing product (rotates its webhook secret)
    #[arg(long)]
    pub force_reregister: bool,
    /// Answer yes to confirmations (including re-registering after HTTP 409)
    #[arg(short, long)]
    pub yes: bool,
    /// File holding the admin key sent as `X-Admin-Key` (or set AUTOPLAY_ADMIN_KEY)
    #[arg(long, value_name = "PATH")]
    pub admin_key_file: Option<PathBuf>,
    /// Request timeout in seconds, 1–120 [env: ONBOARD_CONNECTOR_TIMEOUT_SECONDS] [default: 15]
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Save the credentials under this profile (`autoplay tail` then needs no flags); on a
    /// terminal without this flag or --env-file, you are offered to save them as `default`
    #[arg(long, value_name = "PROFILE", num_args = 0..=1, default_missing_value = "default")]
    pub save: Option<String>,
    /// Also write the credentials to this .env file (0600; other lines are kept)
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<PathBuf>,
    /// Add the env file's folder to ./.gitignore without asking
    #[arg(long, conflicts_with = "no_gitignore", requires = "env_file")]
    pub gitignore: bool,
    /// Leave .gitignore alone
    #[arg(long)]
    pub no_gitignore: bool,
    /// Activity provider: selects the newer connector API
    #[arg(long, value_name = "posthog|amplitude", help_heading = "Provider API")]
    pub provider: Option<String>,
    /// Project id at the activity provider
    #[arg(long, value_name = "ID", help_heading = "Provider API")]
    pub provider_project_id: Option<String>,
    /// File holding the owner token of the first registration (needed to re-register)
    #[arg(long, value_name = "PATH", help_heading = "Provider API")]
    pub owner_token_file: Option<PathBuf>,
    /// File holding the ingest secret to use (default: the connector issues one)
    #[arg(long, value_name = "PATH", help_heading = "Provider API")]
    pub ingest_secret_file: Option<PathBuf>,
    /// Display name of the product
    #[arg(long, value_name = "NAME", help_heading = "Provider API")]
    pub name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Show the active connector, product and where the token comes from
    Status(AuthStatusArgs),
    /// Remove a saved profile
    Logout(AuthLogoutArgs),
}

const AUTH_STATUS_AFTER_HELP: &str = "\
The token is looked up as `tail` does: --token-file / --token, then AUTOPLAY_APP_UNKEY_TOKEN,
then AUTOPLAY_UNKEY_TOKEN, then the profile (--profile, AUTOPLAY_PROFILE, else `default`).
It is shown redacted. Exit 4 when no token is found.

Examples:
  autoplay auth status
  autoplay auth status --profile staging --format json";

#[derive(Debug, Clone, Args)]
#[command(after_help = AUTH_STATUS_AFTER_HELP)]
pub struct AuthStatusArgs {
    #[command(flatten)]
    pub stream: StreamArgs,
}

#[derive(Debug, Clone, Args)]
pub struct AuthLogoutArgs {
    /// Profile to remove (both its settings and its secrets)
    #[arg(default_value = "default")]
    pub profile: String,
}

// ---------------------------------------------------------------------------------------------
// install-skills / completions
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Agent {
    Cursor,
    Claude,
    All,
}

const INSTALL_SKILLS_AFTER_HELP: &str = "\
Selection: autoplay-core always; with --chatbot only that chatbot, with --user-activity only that
source; with neither, every skill. Files go to .cursor/skills/<name>/ and/or .claude/skills/<name>/,
and .autoplay/skills.lock records what was written. A re-run updates files you did not touch and
keeps files you edited (exit 3) unless --force.

Examples:
  autoplay install-skills                                   every skill, for the agents found
  autoplay install-skills --chatbot intercom --user-activity posthog
  autoplay install-skills --agent claude --chatbot ada      into .claude/skills/
  autoplay install-skills --global --agent all              into ~/.cursor/skills and ~/.claude/skills
  autoplay install-skills --diff                            what an update would change
  autoplay install-skills --list --format json

Exit codes: 0 installed or already up to date · 2 unknown skill name or unsafe destination
  3 files you edited were kept (--force replaces them)";

#[derive(Debug, Clone, Args)]
#[command(after_help = INSTALL_SKILLS_AFTER_HELP)]
pub struct InstallSkillsArgs {
    /// Chatbot skill to install: ada, intercom, botpress, dify, crisp, landbot or tidio
    #[arg(long, value_name = "NAME")]
    pub chatbot: Option<String>,
    /// User-activity source skill to install: fullstory or posthog
    #[arg(long, value_name = "NAME")]
    pub user_activity: Option<String>,
    /// Agent(s) to install for (default: those whose .cursor/ or .claude/ folder exists, else cursor)
    #[arg(long, value_enum)]
    pub agent: Option<Agent>,
    /// Project folder (default: the current folder); an agent's skills folder such as
    /// `.claude/skills` also works and picks that agent
    #[arg(long, value_name = "DIR")]
    pub dest: Option<PathBuf>,
    /// Install into the skill folders in your home folder instead of a project
    #[arg(long, conflicts_with = "dest")]
    pub global: bool,
    /// List the embedded skills (name, family, description) and exit
    #[arg(long)]
    pub list: bool,
    /// Show what would be written; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Show a diff of every file that would change against what is on disk; write nothing
    #[arg(long)]
    pub diff: bool,
    /// Replace skill files you edited (they are kept otherwise)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay completions bash > ~/.local/share/bash-completion/completions/autoplay\n  autoplay completions zsh > ~/.zfunc/_autoplay\n  autoplay completions fish > ~/.config/fish/completions/autoplay.fish"
)]
pub struct CompletionsArgs {
    /// Shell to print the completion script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

// ---------------------------------------------------------------------------------------------
// value parsers
// ---------------------------------------------------------------------------------------------

/// Parses `90`, `90s`, `1.5s`, `500ms`, `2m` or `1h`.
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(split) => text.split_at(split),
        None => (text, "s"),
    };
    let value: f64 = number.trim().parse().map_err(|_| format!("`{text}` is not a duration (try 30s, 500ms, 2m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" | "sec" => value,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => return Err(format!("unknown unit `{unit}` in `{text}` (use ms, s, m or h)")),
    };
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(format!("`{text}` is not a positive duration"));
    }
    Ok(std::time::Duration::from_secs_f64(seconds))
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
    }
}
