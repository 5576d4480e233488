//! `onboard` and `auth`: registering a product and the saved credentials.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::stream::StatusStreamArgs;
use crate::shell::env_vars;

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
pub(crate) struct OnboardArgs {
    /// Product id to register (legacy API; the provider API issues one)
    #[arg(long, value_name = "ID")]
    pub(crate) product: Option<String>,
    /// Contact email of the product's owner
    #[arg(long, value_name = "EMAIL")]
    pub(crate) email: Option<String>,
    /// Connector base URL [default: https://event-connector-luda.onrender.com, or
    /// https://connector.autoplay.ai with --provider]
    #[arg(long, value_name = "URL", env = env_vars::CONNECTOR_URL)]
    pub(crate) connector: Option<String>,
    /// File holding the webhook secret (default: 32 random bytes, URL-safe base64)
    #[arg(long, value_name = "PATH")]
    pub(crate) webhook_secret_file: Option<PathBuf>,
    /// Push mode: the connector POSTs events to this URL instead of serving the stream
    #[arg(long, value_name = "URL")]
    pub(crate) forward_url: Option<String>,
    /// File holding the push-mode forward secret
    #[arg(long, value_name = "PATH", requires = "forward_url")]
    pub(crate) forward_secret_file: Option<PathBuf>,
    /// Re-register an existing product (rotates its webhook secret)
    #[arg(long)]
    pub(crate) force_reregister: bool,
    /// Answer yes to confirmations (including re-registering after HTTP 409)
    #[arg(short, long)]
    pub(crate) yes: bool,
    /// File holding the admin key sent as `X-Admin-Key` (or set AUTOPLAY_ADMIN_KEY)
    #[arg(long, value_name = "PATH")]
    pub(crate) admin_key_file: Option<PathBuf>,
    /// Request timeout, 1–120 s (`30s`, `1m` or bare seconds) [env: ONBOARD_CONNECTOR_TIMEOUT_SECONDS] [default: 15]
    #[arg(long, value_name = "DURATION", value_parser = super::parse_seconds)]
    pub(crate) timeout: Option<f64>,
    /// Save the credentials under this profile (`autoplay tail` then needs no flags); on a
    /// terminal without this flag or --env-file, you are offered to save them as `default`
    #[arg(long, value_name = "PROFILE", num_args = 0..=1, default_missing_value = "default")]
    pub(crate) save: Option<String>,
    /// Also write the credentials to this .env file (0600; other lines are kept)
    #[arg(long, value_name = "PATH")]
    pub(crate) env_file: Option<PathBuf>,
    /// Add the env file's folder to ./.gitignore without asking
    #[arg(long, conflicts_with = "no_gitignore", requires = "env_file")]
    pub(crate) gitignore: bool,
    /// Leave .gitignore alone
    #[arg(long)]
    pub(crate) no_gitignore: bool,
    /// Activity provider: selects the newer connector API
    #[arg(long, value_name = "posthog|amplitude", help_heading = "Provider API")]
    pub(crate) provider: Option<String>,
    /// Project id at the activity provider
    #[arg(long, value_name = "ID", help_heading = "Provider API")]
    pub(crate) provider_project_id: Option<String>,
    /// File holding the owner token of the first registration (needed to re-register)
    #[arg(long, value_name = "PATH", help_heading = "Provider API")]
    pub(crate) owner_token_file: Option<PathBuf>,
    /// File holding the ingest secret to use (default: the connector issues one)
    #[arg(long, value_name = "PATH", help_heading = "Provider API")]
    pub(crate) ingest_secret_file: Option<PathBuf>,
    /// Display name of the product
    #[arg(long, value_name = "NAME", help_heading = "Provider API")]
    pub(crate) name: Option<String>,
}

#[derive(Debug, Subcommand)]
#[command(
    after_help = "Examples:\n  autoplay auth status\n  autoplay auth status --check\n  autoplay auth logout staging"
)]
pub(crate) enum AuthCommand {
    /// Show the active connector, product and where the token comes from
    Status(AuthStatusArgs),
    /// Remove a saved profile
    Logout(AuthLogoutArgs),
}

const AUTH_STATUS_AFTER_HELP: &str = "\
The token is looked up as `tail` does: --token-file / --token, then AUTOPLAY_APP_UNKEY_TOKEN,
then AUTOPLAY_UNKEY_TOKEN, then the profile (--profile, AUTOPLAY_PROFILE, else `default`).
It is shown redacted. Exit 4 when no token is found.

With --check it also connects to the stream once with that token and says whether the
connector accepted it (and the first heartbeat or event came within --wait), or exactly what
went wrong; the exit code is then tail's (4 refused, 5 unknown product, 1 unreachable).

Examples:
  autoplay auth status
  autoplay auth status --check
  autoplay auth status --check --wait 35s --profile staging
  autoplay auth status --profile staging --format json";

#[derive(Debug, Clone, Args)]
#[command(after_help = AUTH_STATUS_AFTER_HELP)]
pub(crate) struct AuthStatusArgs {
    #[command(flatten)]
    pub(crate) stream: StatusStreamArgs,
    /// Connect to the stream once and report whether the token is accepted
    #[arg(long)]
    pub(crate) check: bool,
    /// With --check: how long to wait for the first heartbeat or event
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = super::parse_duration, requires = "check")]
    pub(crate) wait: std::time::Duration,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  autoplay auth logout   removes the `default` profile\n  autoplay auth logout staging"
)]
pub(crate) struct AuthLogoutArgs {
    /// Profile to remove (both its settings and its secrets)
    #[arg(default_value = "default")]
    pub(crate) profile: String,
}
