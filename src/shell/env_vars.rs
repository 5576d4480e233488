//! Every environment variable the toolkit reads, in one place (documented in the README).

/// The stream bearer token (the name the SDK reads).
pub const APP_UNKEY_TOKEN: &str = "AUTOPLAY_APP_UNKEY_TOKEN";
/// The stream bearer token (the name `autoplay-setup` writes); read after `APP_UNKEY_TOKEN`.
pub const UNKEY_TOKEN: &str = "AUTOPLAY_UNKEY_TOKEN";
/// Full stream URL.
pub const STREAM_URL: &str = "AUTOPLAY_STREAM_URL";
/// Connector base URL.
pub const CONNECTOR_URL: &str = "AUTOPLAY_CONNECTOR_URL";
/// Product id.
pub const PRODUCT_ID: &str = "AUTOPLAY_PRODUCT_ID";
/// Webhook secret written by `onboard --env-file`.
pub const WEBHOOK_SECRET: &str = "AUTOPLAY_WEBHOOK_SECRET";
/// HMAC secret for `tail --forward-to`.
pub const FORWARD_SECRET: &str = "AUTOPLAY_FORWARD_SECRET";
/// Saved credentials profile.
pub const PROFILE: &str = "AUTOPLAY_PROFILE";
/// Folder of `config.toml` and `credentials.toml` (default `$XDG_CONFIG_HOME/autoplay`).
pub const CONFIG_DIR: &str = "AUTOPLAY_CONFIG_DIR";
/// Admin key sent as `X-Admin-Key` by `onboard`.
pub const ADMIN_KEY: &str = "AUTOPLAY_ADMIN_KEY";
/// Request timeout of `onboard`, in seconds.
pub const ONBOARD_TIMEOUT: &str = "ONBOARD_CONNECTOR_TIMEOUT_SECONDS";
/// Output format (`pretty`, `json`, `text`).
pub const FORMAT: &str = "AUTOPLAY_FORMAT";
/// Never prompt.
pub const NO_INPUT: &str = "AUTOPLAY_NO_INPUT";
/// Log filter (tracing `EnvFilter` syntax), like `RUST_LOG`.
pub const LOG: &str = "AUTOPLAY_LOG";

/// Reads a variable, trimmed; unset and blank are both `None`.
pub fn read(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}
