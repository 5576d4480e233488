//! The `sessions` commands and where their data comes from.

use clap::{Args, Subcommand, ValueEnum};

use super::parse_duration;
use super::stream::{ConnectionArgs, NoProductFlag, RetryArgs};

/// Where session data comes from (one of them).
#[derive(Debug, Clone, Args, Default)]
#[command(mut_args(live_connection_help))]
pub(crate) struct SourceArgs {
    /// A recording (`-` for stdin) or a Redis buffer `redis://host:port[/db]` (read, not consumed)
    #[arg(long, value_name = "FILE|-|redis://…", help_heading = "Source")]
    pub(crate) from: Option<String>,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default", help_heading = "Source")]
    pub(crate) prefix: String,
    /// Listen to the live stream instead (connection flags as for `tail`)
    #[arg(long, conflicts_with = "from", help_heading = "Source")]
    pub(crate) live: bool,
    /// With --live: how long to listen
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10s", help_heading = "Source")]
    pub(crate) duration: std::time::Duration,
    /// Reference time for lookbacks (unix seconds or RFC 3339); default: the latest
    /// `forwarded_at` in the data (the wall clock with --live)
    #[arg(long, value_name = "TIME", help_heading = "Source")]
    pub(crate) at: Option<String>,
    #[command(flatten)]
    pub(crate) live_stream: LiveStreamArgs,
}

/// The connection flags of `tail` for `sessions --live`, except `--product`: each sessions
/// command's own `--product` (or AUTOPLAY_PRODUCT_ID, or the profile) names the stream.
pub(crate) type LiveStreamArgs = ConnectionArgs<NoProductFlag, RetryArgs>;

/// `--live` has its own help heading, and shorter help for four flags than `tail` shows.
fn live_connection_help(arg: clap::Arg) -> clap::Arg {
    let help = match arg.get_id().as_str() {
        "url" => Some("Full stream URL, e.g. https://connector.example.com/stream/acme"),
        "token" => Some("The bearer token; `-` reads it from stdin (prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN)"),
        "max_retries" => Some("Give up after this many failed connection attempts in a row"),
        "idle_timeout" => Some("Reconnect when no bytes arrive for this long"),
        "connector" | "token_file" | "profile" | "connect_timeout" => None,
        _ => return arg,
    };
    let arg = arg.help_heading("Connection (--live)");
    match help {
        Some(help) => arg.help(help),
        None => arg,
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
pub(crate) enum SessionsCommand {
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
pub(crate) enum SessionSort {
    LastSeen,
    Actions,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions list --from rec.jsonl\n  autoplay sessions list --from rec.jsonl --sort actions --limit 20\n  autoplay sessions list --live --duration 30s --format json"
)]
pub(crate) struct SessionsListArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Sort order
    #[arg(long, value_enum, default_value_t = SessionSort::LastSeen)]
    pub(crate) sort: SessionSort,
    /// At most N rows
    #[arg(long)]
    pub(crate) limit: Option<usize>,
    /// Only sessions of this user
    #[arg(long)]
    pub(crate) user: Option<String>,
    /// Only sessions of this product
    #[arg(long)]
    pub(crate) product: Option<String>,
    /// Only sessions seen since: a duration before --at (`10m`), unix seconds or RFC 3339
    #[arg(long, value_name = "WHEN")]
    pub(crate) since: Option<String>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions show ps_123 --from rec.jsonl\n  autoplay sessions show ps_123 --from redis://localhost:6379 --prefix acme --format json"
)]
pub(crate) struct SessionsShowArgs {
    /// Session id
    pub(crate) session: String,
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Product id, when the session id exists under several products
    #[arg(long)]
    pub(crate) product: Option<String>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions context ps_123 --from rec.jsonl\n  autoplay sessions context ps_123 --from rec.jsonl --lookback 300 --max-actions 20\n  autoplay sessions context ps_123 --from rec.jsonl --query 'How do I invite a teammate?'"
)]
pub(crate) struct SessionsContextArgs {
    /// Session id
    pub(crate) session: String,
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Product id: read its product-scoped bucket (without it the SDK falls back to the only
    /// product-scoped bucket of the session, and to none when there are several)
    #[arg(long)]
    pub(crate) product: Option<String>,
    /// Print the SDK `enrich` text for this user query
    #[arg(long)]
    pub(crate) query: Option<String>,
    /// Only actions newer than this long before --at
    #[arg(long, value_name = "DURATION", value_parser = super::parse_seconds)]
    pub(crate) lookback: Option<f64>,
    /// At most N most recent actions
    #[arg(long, value_name = "N")]
    pub(crate) max_actions: Option<i64>,
    /// Leave out the summary
    #[arg(long)]
    pub(crate) no_summary: bool,
    /// Leave out the actions
    #[arg(long)]
    pub(crate) no_actions: bool,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions user u_42 --from rec.jsonl\n  autoplay sessions user u_42 --from redis://localhost:6379 --prefix acme"
)]
pub(crate) struct SessionsUserArgs {
    /// User id
    pub(crate) user: String,
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Only sessions active within this many seconds before --at
    #[arg(long, value_name = "DURATION", default_value_t = 300.0, value_parser = super::parse_seconds)]
    pub(crate) lookback: f64,
    /// Per-user cap on remembered sessions
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) max_sessions: i64,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions stats --from rec.jsonl\n  autoplay sessions stats --live --duration 1m --format json"
)]
pub(crate) struct SessionsStatsArgs {
    #[command(flatten)]
    pub(crate) source: SourceArgs,
    /// Number of top URLs to show
    #[arg(long, default_value_t = 10)]
    pub(crate) top: usize,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay sessions drain --from redis://localhost:6379 --prefix acme > drained.jsonl"
)]
pub(crate) struct SessionsDrainArgs {
    /// The Redis buffer `redis://host:port[/db]`
    #[arg(long, value_name = "redis://…")]
    pub(crate) from: String,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default")]
    pub(crate) prefix: String,
}
