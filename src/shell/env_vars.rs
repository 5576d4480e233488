//! Every environment variable the toolkit reads, in one place (documented in the README).

/// The stream bearer token (the name the SDK reads).
pub(crate) const APP_UNKEY_TOKEN: &str = "AUTOPLAY_APP_UNKEY_TOKEN";
/// The stream bearer token (the name `autoplay-setup` writes); read after `APP_UNKEY_TOKEN`.
pub(crate) const UNKEY_TOKEN: &str = "AUTOPLAY_UNKEY_TOKEN";
/// Full stream URL.
pub(crate) const STREAM_URL: &str = "AUTOPLAY_STREAM_URL";
/// Connector base URL.
pub(crate) const CONNECTOR_URL: &str = "AUTOPLAY_CONNECTOR_URL";
/// Product id.
pub(crate) const PRODUCT_ID: &str = "AUTOPLAY_PRODUCT_ID";
/// HMAC secret for `tail --forward-to`.
pub(crate) const FORWARD_SECRET: &str = "AUTOPLAY_FORWARD_SECRET";
/// Webhook secret for `autoplay send`.
pub(crate) const WEBHOOK_SECRET: &str = "AUTOPLAY_WEBHOOK_SECRET";
/// Saved credentials profile.
pub(crate) const PROFILE: &str = "AUTOPLAY_PROFILE";
/// Folder of `config.toml` and `credentials.toml` (default `$XDG_CONFIG_HOME/autoplay`).
pub(crate) const CONFIG_DIR: &str = "AUTOPLAY_CONFIG_DIR";
/// Admin key sent as `X-Admin-Key` by `onboard`.
pub(crate) const ADMIN_KEY: &str = "AUTOPLAY_ADMIN_KEY";
/// Request timeout of `onboard`, in seconds.
pub(crate) const ONBOARD_TIMEOUT: &str = "ONBOARD_CONNECTOR_TIMEOUT_SECONDS";
/// Output format (`pretty`, `json`, `text`).
pub(crate) const FORMAT: &str = "AUTOPLAY_FORMAT";
/// Never draw progress bars.
pub(crate) const NO_PROGRESS: &str = "AUTOPLAY_NO_PROGRESS";
/// Never prompt.
pub(crate) const NO_INPUT: &str = "AUTOPLAY_NO_INPUT";
/// Log filter (tracing `EnvFilter` syntax), like `RUST_LOG`.
pub(crate) const LOG: &str = "AUTOPLAY_LOG";

/// Reads a variable, trimmed; unset and blank are both `None`.
pub(crate) fn read(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The parser of every boolean variable (and of the flags they stand for): `1/0`,
/// `true/false`, `yes/no` (also `on/off`, `y/n`, `t/f`), any case; anything else is a usage
/// error naming the variable's flag.
pub(crate) fn boolean() -> clap::builder::BoolishValueParser {
    clap::builder::BoolishValueParser::new()
}
