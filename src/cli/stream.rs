//! The stream flags: where the stream is and how to connect (`tail`, `auth status` and, for
//! `--live`, the sessions commands), the event filters, and `tail` itself.

use std::path::PathBuf;

use clap::Args;

use super::parse_duration;
use crate::shell::env_vars;

// ---------------------------------------------------------------------------------------------
// Stream connection
// ---------------------------------------------------------------------------------------------

/// Where the stream is and how to authenticate, and (`R`) how to keep it open. `P` is the
/// `--product` flag: [`ProductFlag`]
/// for `tail` and `auth status`; [`NoProductFlag`] for the sessions commands, whose own
/// `--product` names the stream. It sits between `--connector` and `--token-file` so the help
/// lists the flags in that order.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct ConnectionArgs<P: Args, R: Args> {
    /// Full stream URL, e.g. https://connector.example.com/stream/acme (wins over --connector/--product)
    #[arg(long, env = env_vars::STREAM_URL, help_heading = "Connection")]
    pub(crate) url: Option<String>,
    /// Connector base URL; the stream is `{connector}/stream/{product}`
    #[arg(long, env = env_vars::CONNECTOR_URL, help_heading = "Connection")]
    pub(crate) connector: Option<String>,
    #[command(flatten)]
    pub(crate) product: P,
    /// Read the bearer token from this file
    #[arg(long, value_name = "PATH", conflicts_with = "token", help_heading = "Connection")]
    pub(crate) token_file: Option<PathBuf>,
    /// The bearer token; `-` reads it from stdin. A literal value is visible to other
    /// processes: prefer --token-file or AUTOPLAY_APP_UNKEY_TOKEN
    #[arg(long, value_name = "TOKEN|-", help_heading = "Connection")]
    pub(crate) token: Option<String>,
    /// Saved credentials profile to use
    #[arg(long, env = env_vars::PROFILE, help_heading = "Connection")]
    pub(crate) profile: Option<String>,
    #[command(flatten)]
    pub(crate) retry: R,
}

/// How the client keeps a stream open: `tail` and `sessions --live` follow a stream and take
/// these; `auth status --check` connects once and takes [`NoRetryFlags`] instead, so its help
/// does not offer flags that would do nothing there.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct RetryArgs {
    /// Give up after this many failed connection attempts in a row (default: retry forever)
    #[arg(long, value_name = "N", help_heading = "Connection")]
    pub(crate) max_retries: Option<u32>,
    /// Reconnect when no bytes (heartbeats included) arrive for this long
    #[arg(long, value_name = "DURATION", default_value = "90s", value_parser = parse_duration, help_heading = "Connection")]
    pub(crate) idle_timeout: std::time::Duration,
    /// Connection timeout for each attempt
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "Connection")]
    pub(crate) connect_timeout: std::time::Duration,
}

/// No retry flags: the command connects at most once.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct NoRetryFlags {}

/// The connection flags of `tail`.
pub(crate) type StreamArgs = ConnectionArgs<ProductFlag, RetryArgs>;

/// The connection flags of `auth status`: where the stream is, no retry flags.
pub(crate) type StatusStreamArgs = ConnectionArgs<ProductFlag, NoRetryFlags>;

/// `--product`, for commands where nothing else names the stream's product.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct ProductFlag {
    /// Product id (with --connector)
    #[arg(long, env = env_vars::PRODUCT_ID, help_heading = "Connection")]
    pub(crate) product: Option<String>,
}

/// No `--product`: the command has its own.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct NoProductFlag {}

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
pub(crate) struct TailArgs {
    #[command(flatten)]
    pub(crate) stream: StreamArgs,
    #[command(flatten)]
    pub(crate) filter: FilterArgs,
    /// In pretty mode, also show the raw JSON of summaries and other frames
    #[arg(long)]
    pub(crate) all: bool,
    /// Append every received frame's data as one JSON line to FILE (a recording)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub(crate) record: Option<PathBuf>,
    /// POST each event's JSON to this URL, signed like the connector's push mode
    #[arg(long, value_name = "URL", help_heading = "Forwarding")]
    pub(crate) forward_to: Option<String>,
    /// File holding the HMAC secret for `X-Connector-Signature` (else AUTOPLAY_FORWARD_SECRET)
    #[arg(long, value_name = "PATH", help_heading = "Forwarding")]
    pub(crate) forward_secret_file: Option<PathBuf>,
    /// Also write every actions/summary payload to a Redis event buffer (SDK layout)
    #[arg(long, value_name = "redis://HOST:PORT[/DB]", help_heading = "Redis sink")]
    pub(crate) sink: Option<String>,
    /// Key prefix of the Redis buffer
    #[arg(long, default_value = "default", help_heading = "Redis sink")]
    pub(crate) prefix: String,
    /// Sliding window of the Redis buffer (`2m`, `120s` or bare seconds)
    #[arg(long, value_name = "DURATION", default_value_t = 120.0, value_parser = super::parse_seconds, help_heading = "Redis sink")]
    pub(crate) window: f64,
    /// Stop after this long
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Ending")]
    pub(crate) duration: Option<std::time::Duration>,
    /// Stop after N events have been shown
    #[arg(long, value_name = "N", help_heading = "Ending")]
    pub(crate) max_events: Option<u64>,
    /// Stop when no event has arrived for SECS seconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, help_heading = "Ending")]
    pub(crate) exit_when_idle: Option<std::time::Duration>,
    /// Exit 3 when fewer than N events arrived by the end; stops as soon as N have arrived
    #[arg(long, value_name = "N", help_heading = "Ending")]
    pub(crate) expect_events: Option<u64>,
}

/// Event filters shared by `tail` and `sessions --live`.
#[derive(Debug, Clone, Args, Default)]
pub(crate) struct FilterArgs {
    /// Only these session ids (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub(crate) session: Vec<String>,
    /// Only these user ids (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub(crate) user: Vec<String>,
    /// Only these emails (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub(crate) email: Vec<String>,
    /// Only these event types: actions, summary, usertour_trigger, … (comma list)
    #[arg(long = "type", value_delimiter = ',', help_heading = "Filters")]
    pub(crate) event_type: Vec<String>,
    /// Only events with an action URL containing this text (comma list)
    #[arg(long, value_delimiter = ',', help_heading = "Filters")]
    pub(crate) url_contains: Vec<String>,
}
