//! `send`: a test event to a product's webhook.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::parse_duration;
use crate::shell::env_vars;

const SEND_AFTER_HELP: &str = "\
The body is what PostHog's webhook destination sends (`{\"event\": {...}, \"person\": {...}}`),
with the secret in `X-PostHog-Secret`; a provider-API profile posts to its ingest URL with the
ingest secret as Bearer token instead. The connector streams it as an `actions` frame.

Examples:
  autoplay send pageview --url /billing
      uses the saved profile (autoplay onboard --save)
  autoplay send click --url /billing --label 'Upgrade plan' --user u_42
  autoplay send pageview --url /pricing --count 5 --interval 1s
      a small session: five page views, one a second
  autoplay send pageview --url /billing --connector http://127.0.0.1:8787 \\
      --product demo --secret-file ~/.config/autoplay/serve.key

Exit codes:
  0 sent · 1 connector error or unreachable · 2 bad input · 4 no secret or HTTP 401/403
  5 HTTP 404 (unknown product)";

/// The kind of test event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SendKind {
    /// A `$pageview`
    Pageview,
    /// An autocaptured click (`$autocapture`, `$event_type: click`)
    Click,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = SEND_AFTER_HELP)]
pub(crate) struct SendArgs {
    /// What to send
    #[arg(value_enum)]
    pub(crate) kind: SendKind,
    /// The page: a path (on https://app.example.com) or a full URL
    #[arg(long, value_name = "URL", default_value = "/")]
    pub(crate) url: String,
    /// Session id (`$session_id`); default: a new one for this run
    #[arg(long, value_name = "ID")]
    pub(crate) session: Option<String>,
    /// User id (`distinct_id`)
    #[arg(long, value_name = "ID", default_value = "u_test")]
    pub(crate) user: String,
    /// The user's email (person property)
    #[arg(long, value_name = "EMAIL")]
    pub(crate) email: Option<String>,
    /// The clicked element's text (click only)
    #[arg(long, value_name = "TEXT", default_value = "Test button")]
    pub(crate) label: String,
    /// Events to send, one session
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) count: u32,
    /// Time between events (30s, 500ms, 2m or bare seconds)
    #[arg(long, value_name = "DURATION", default_value = "1s", value_parser = parse_duration)]
    pub(crate) interval: std::time::Duration,
    /// Full webhook URL (wins over --connector/--product)
    #[arg(long, value_name = "URL", help_heading = "Connection")]
    pub(crate) webhook_url: Option<String>,
    /// Connector base URL; the webhook is `{connector}/webhook/{product}`
    #[arg(long, value_name = "URL", env = env_vars::CONNECTOR_URL, help_heading = "Connection")]
    pub(crate) connector: Option<String>,
    /// Product id
    #[arg(long, value_name = "ID", env = env_vars::PRODUCT_ID, help_heading = "Connection")]
    pub(crate) product: Option<String>,
    /// File holding the webhook secret [env: AUTOPLAY_WEBHOOK_SECRET] (default: the profile's)
    #[arg(long, value_name = "PATH", help_heading = "Connection")]
    pub(crate) secret_file: Option<PathBuf>,
    /// Saved credentials profile to use
    #[arg(long, env = env_vars::PROFILE, help_heading = "Connection")]
    pub(crate) profile: Option<String>,
    /// Request timeout
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_duration, help_heading = "Connection")]
    pub(crate) timeout: std::time::Duration,
}
