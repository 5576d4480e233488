/*!
Saved profiles: non-secret settings in `config.toml`, secrets in `credentials.toml` (mode
0600), both in `$AUTOPLAY_CONFIG_DIR` or `$XDG_CONFIG_HOME/autoplay`.

(Reading and writing is completed by the onboarding work; until then no profile exists.)
*/

use std::path::PathBuf;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";

/// One saved profile.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub name: String,
    pub connector: Option<String>,
    pub product: Option<String>,
    pub stream_url: Option<String>,
    pub token: Option<String>,
    /// The file the token was read from.
    pub credentials_path: PathBuf,
}

/// Loads a profile by name; `Ok(None)` when it does not exist.
pub fn load(_name: &str) -> anyhow::Result<Option<Profile>> {
    Ok(None)
}
