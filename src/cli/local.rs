//! `serve`, `demo` and `generate`: the commands that run on local or synthetic data.

use std::path::PathBuf;

use clap::Args;

use super::{Speed, parse_duration, parse_speed};

const SERVE_AFTER_HELP: &str = "\
Endpoints: GET /stream/{product_id} (SSE, Bearer key), POST /products (registration),
GET /health.

Examples:
  autoplay serve --synthetic                         live synthetic traffic for product `demo`
  autoplay serve --replay rec.jsonl --speed max --key dev_key
  autoplay serve --port 0 --replay rec.jsonl         prints the chosen address on stdout first";

#[derive(Debug, Clone, Args)]
#[command(after_help = SERVE_AFTER_HELP)]
pub(crate) struct ServeArgs {
    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: String,
    /// Port to listen on; 0 picks a free port and prints the address on stdout
    #[arg(long, default_value_t = 8787)]
    pub(crate) port: u16,
    /// Product ids served (repeatable)
    #[arg(long = "product", value_name = "ID", default_values_t = [String::from("demo")])]
    pub(crate) products: Vec<String>,
    /// API keys accepted on the stream (repeatable); without one, the key kept in
    /// `serve.key` under the config folder is used (made on first use)
    #[arg(long = "key", value_name = "KEY")]
    pub(crate) keys: Vec<String>,
    /// Replace the kept key with a new one
    #[arg(long, conflicts_with = "keys")]
    pub(crate) new_key: bool,
    /// Time between heartbeat frames (30s, 500ms or bare seconds)
    #[arg(long, value_name = "DURATION", default_value_t = 30.0, value_parser = super::seconds_in(0.01, 3600.0))]
    pub(crate) heartbeat: f64,
    /// Replay this recording to each connection
    #[arg(long, value_name = "FILE", conflicts_with = "synthetic", help_heading = "Source")]
    pub(crate) replay: Option<PathBuf>,
    /// Replay speed: 1 (real time), 10, … or `max`
    #[arg(long, default_value = "1", value_parser = parse_speed, help_heading = "Source")]
    pub(crate) speed: Speed,
    /// Start the recording again when it ends
    #[arg(long = "loop", help_heading = "Source")]
    pub(crate) repeat: bool,
    /// Generate realistic live traffic instead of replaying a file
    #[arg(long, help_heading = "Source")]
    pub(crate) synthetic: bool,
    /// Number of concurrent synthetic sessions
    #[arg(long, default_value_t = 5, help_heading = "Source")]
    pub(crate) sessions: u32,
    /// Synthetic events per second
    #[arg(long, default_value_t = 2.0, value_parser = super::number_in(0.001, 10_000.0), help_heading = "Source")]
    pub(crate) rate: f64,
    /// Seed of the synthetic generator
    #[arg(long, default_value_t = 1, help_heading = "Source")]
    pub(crate) seed: u64,
    /// Send every replayed event to every product's stream
    #[arg(long, help_heading = "Source")]
    pub(crate) any_product: bool,
    /// Answer every stream request with this HTTP status (fault injection)
    #[arg(long, value_name = "CODE", help_heading = "Fault injection")]
    pub(crate) fail_status: Option<u16>,
    /// Close each connection after N events (fault injection)
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub(crate) drop_after: Option<u64>,
    /// Stop sending anything, heartbeats included, after N events (fault injection)
    #[arg(long, value_name = "N", help_heading = "Fault injection")]
    pub(crate) stall_after: Option<u64>,
    /// Send `retry: MS` at the start of each stream (the client's reconnect delay)
    #[arg(long, value_name = "MS")]
    pub(crate) retry_ms: Option<u64>,
    /// Close a connection whose request head has not arrived in this time
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "Limits")]
    pub(crate) header_timeout: std::time::Duration,
    /// Connections open at once; one more is answered 503
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=1_000_000), help_heading = "Limits")]
    pub(crate) max_connections: u32,
}

const DEMO_AFTER_HELP: &str = "\
Every command the demo prints runs as printed: it writes the recording, the trigger config,
the local key and the report to a folder it names (`autoplay-demo` in the temporary folder,
or the one given with --keep). --format json prints one JSON object per step instead (the
counts come from the recording; no live tail).

Examples:
  autoplay demo
  autoplay demo --keep ./demo       keep the recording, config and report in ./demo
  autoplay demo --format json | jq -c 'select(.step == \"triggers\")'
  autoplay demo --duration 30s";

#[derive(Debug, Clone, Args)]
#[command(after_help = DEMO_AFTER_HELP)]
pub(crate) struct DemoArgs {
    /// The longest the demo tails its stream (it stops earlier once the recording is done)
    #[arg(long, default_value = "10s", value_parser = parse_duration)]
    pub(crate) duration: std::time::Duration,
    /// Where to write the HTML report of the demo recording (default: demo-report.html in
    /// the demo's folder)
    #[arg(long, value_name = "FILE")]
    pub(crate) report: Option<std::path::PathBuf>,
    /// Write the demo's files (recording, config, key, report) to DIR and keep them there
    #[arg(long, value_name = "DIR")]
    pub(crate) keep: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay generate > rec.jsonl\n  autoplay generate --sessions 200 --seed 7 --product acme > rec.jsonl\n  autoplay generate --sessions 20000 --actions 1000000 > big.jsonl"
)]
pub(crate) struct GenerateArgs {
    /// Number of sessions
    #[arg(long, default_value_t = 10)]
    pub(crate) sessions: u32,
    /// Seed; the same seed gives the same recording
    #[arg(long, default_value_t = 1)]
    pub(crate) seed: u64,
    /// Product id written into the events
    #[arg(long, default_value = "demo")]
    pub(crate) product: String,
    /// Total actions to generate (default: about 25 per session)
    #[arg(long)]
    pub(crate) actions: Option<u64>,
    /// Write the recording to this file instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}
