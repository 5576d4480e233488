/*!
Saved profiles: non-secret settings in `config.toml`, secrets in `credentials.toml` beside it.

The folder is `$AUTOPLAY_CONFIG_DIR`, else `$XDG_CONFIG_HOME/autoplay`, else
`~/.config/autoplay`. Each file holds one table per profile:

```toml
[profiles.default]
connector = "https://connector.example.com"
product = "acme"
```

Writes are atomic (a temporary file in the same folder, then a rename) so a crash never leaves
half a file, and `credentials.toml` is created with mode 0600 (the folder with 0700). Other
profiles, and keys added by hand that this version does not know, are kept on every rewrite.
*/

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::fs::Access;
use crate::shell::env_vars;

/// The profile used when none is named.
pub(crate) const DEFAULT_PROFILE: &str = "default";
/// Non-secret settings.
pub(crate) const CONFIG_FILE: &str = "config.toml";
/// Secrets (mode 0600).
pub(crate) const CREDENTIALS_FILE: &str = "credentials.toml";

/// Which connector API a profile was registered with.
pub(crate) const API_LEGACY: &str = "legacy";
/// The newer connector API (provider + provider project id, connector-issued product id).
pub(crate) const API_PROVIDER: &str = "provider";

/// One saved profile. Every field is optional: a profile may be partly hand-written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Profile {
    pub(crate) name: String,
    // --- config.toml (not secret) ---
    /// `legacy` or `provider` (see [`API_LEGACY`], [`API_PROVIDER`]).
    pub(crate) api: Option<String>,
    pub(crate) connector: Option<String>,
    pub(crate) product: Option<String>,
    pub(crate) stream_url: Option<String>,
    pub(crate) webhook_url: Option<String>,
    pub(crate) provider: Option<String>,
    pub(crate) provider_project_id: Option<String>,
    pub(crate) ingest_url: Option<String>,
    pub(crate) mcp_url: Option<String>,
    // --- credentials.toml (secret) ---
    /// The stream bearer token (Unkey key).
    pub(crate) token: Option<String>,
    pub(crate) token_id: Option<String>,
    pub(crate) webhook_secret: Option<String>,
    pub(crate) ingest_secret: Option<String>,
    pub(crate) mcp_key: Option<String>,
    pub(crate) owner_token: Option<String>,
    /// The file the settings were read from.
    pub(crate) config_path: PathBuf,
    /// The file the token was read from.
    pub(crate) credentials_path: PathBuf,
}

const CONFIG_KEYS: &[&str] = &[
    "api",
    "connector",
    "product",
    "stream_url",
    "webhook_url",
    "provider",
    "provider_project_id",
    "ingest_url",
    "mcp_url",
];
const SECRET_KEYS: &[&str] = &["token", "token_id", "webhook_secret", "ingest_secret", "mcp_key", "owner_token"];

impl Profile {
    /// An empty profile called `name`, with the file paths of the current config folder.
    pub(crate) fn new(name: &str) -> Result<Profile, ProfileError> {
        validate_name(name)?;
        let dir = config_dir()?;
        Ok(Profile {
            name: name.to_string(),
            config_path: dir.join(CONFIG_FILE),
            credentials_path: dir.join(CREDENTIALS_FILE),
            ..Profile::default()
        })
    }

    fn field(&self, key: &str) -> Option<&String> {
        match key {
            "api" => self.api.as_ref(),
            "connector" => self.connector.as_ref(),
            "product" => self.product.as_ref(),
            "stream_url" => self.stream_url.as_ref(),
            "webhook_url" => self.webhook_url.as_ref(),
            "provider" => self.provider.as_ref(),
            "provider_project_id" => self.provider_project_id.as_ref(),
            "ingest_url" => self.ingest_url.as_ref(),
            "mcp_url" => self.mcp_url.as_ref(),
            "token" => self.token.as_ref(),
            "token_id" => self.token_id.as_ref(),
            "webhook_secret" => self.webhook_secret.as_ref(),
            "ingest_secret" => self.ingest_secret.as_ref(),
            "mcp_key" => self.mcp_key.as_ref(),
            "owner_token" => self.owner_token.as_ref(),
            _ => None,
        }
    }

    fn set_field(&mut self, key: &str, value: String) {
        let slot = match key {
            "api" => &mut self.api,
            "connector" => &mut self.connector,
            "product" => &mut self.product,
            "stream_url" => &mut self.stream_url,
            "webhook_url" => &mut self.webhook_url,
            "provider" => &mut self.provider,
            "provider_project_id" => &mut self.provider_project_id,
            "ingest_url" => &mut self.ingest_url,
            "mcp_url" => &mut self.mcp_url,
            "token" => &mut self.token,
            "token_id" => &mut self.token_id,
            "webhook_secret" => &mut self.webhook_secret,
            "ingest_secret" => &mut self.ingest_secret,
            "mcp_key" => &mut self.mcp_key,
            "owner_token" => &mut self.owner_token,
            _ => return,
        };
        *slot = Some(value);
    }

    /// Every secret the profile holds, for registering with [`crate::shell::secret`].
    pub(crate) fn secrets(&self) -> Vec<&str> {
        SECRET_KEYS.iter().filter_map(|key| self.field(key).map(String::as_str)).collect()
    }
}

/// What can go wrong with the profile files. Messages never quote the content of
/// `credentials.toml`.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ProfileError {
    #[error("no config folder: set AUTOPLAY_CONFIG_DIR, XDG_CONFIG_HOME or HOME")]
    NoConfigDir,
    #[error("`{0}` is not a valid profile name (use letters, digits, `-`, `_` and `.`)")]
    InvalidName(String),
    #[error("could not read {path}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is not valid TOML: {detail}")]
    Parse { path: PathBuf, detail: String },
    #[error("could not write {path}")]
    Write { path: PathBuf, source: std::io::Error },
}

/// The folder holding `config.toml` and `credentials.toml`.
pub(crate) fn config_dir() -> Result<PathBuf, ProfileError> {
    if let Some(dir) = env_vars::read(env_vars::CONFIG_DIR) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(xdg) = env_vars::read("XDG_CONFIG_HOME").filter(|d| Path::new(d).is_absolute()) {
        return Ok(PathBuf::from(xdg).join("autoplay"));
    }
    match env_vars::read("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".config").join("autoplay")),
        None => Err(ProfileError::NoConfigDir),
    }
}

/// Profile names end up as TOML keys and in messages; keep them simple.
pub(crate) fn validate_name(name: &str) -> Result<(), ProfileError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok { Ok(()) } else { Err(ProfileError::InvalidName(name.to_string())) }
}

/// Loads a profile by name; `Ok(None)` when neither file has it.
pub(crate) fn load(name: &str) -> Result<Option<Profile>, ProfileError> {
    validate_name(name)?;
    let dir = config_dir()?;
    let config_path = dir.join(CONFIG_FILE);
    let credentials_path = dir.join(CREDENTIALS_FILE);
    let config = read_table(&config_path, false)?;
    let credentials = read_table(&credentials_path, true)?;
    let config_entry = profile_table(&config, name);
    let secret_entry = profile_table(&credentials, name);
    if config_entry.is_none() && secret_entry.is_none() {
        return Ok(None);
    }
    let mut profile = Profile { name: name.to_string(), config_path, credentials_path, ..Profile::default() };
    for (table, keys) in [(config_entry, CONFIG_KEYS), (secret_entry, SECRET_KEYS)] {
        let Some(table) = table else { continue };
        for key in keys {
            if let Some(value) = table.get(*key).and_then(toml::Value::as_str) {
                let value = value.trim();
                if !value.is_empty() {
                    profile.set_field(key, value.to_string());
                }
            }
        }
    }
    Ok(Some(profile))
}

/// Writes `profile` (replacing a profile of the same name, keeping other profiles and any
/// keys this version does not know). Both files are replaced as one unit: both or neither.
/// Returns the files written.
pub(crate) fn save(profile: &Profile) -> Result<Vec<PathBuf>, ProfileError> {
    validate_name(&profile.name)?;
    let dir = config_dir()?;
    create_private_dir(&dir)?;
    let mut texts = Vec::new();
    for (file, keys, secret) in [(CONFIG_FILE, CONFIG_KEYS, false), (CREDENTIALS_FILE, SECRET_KEYS, true)] {
        let path = dir.join(file);
        let mut document = read_table(&path, secret)?;
        let profiles = profiles_table_mut(&mut document);
        let mut entry = profiles.get(&profile.name).and_then(toml::Value::as_table).cloned().unwrap_or_default();
        for key in keys {
            match profile.field(key) {
                Some(value) => entry.insert((*key).to_string(), toml::Value::String(value.clone())),
                None => entry.remove(*key),
            };
        }
        if entry.is_empty() {
            profiles.remove(&profile.name);
        } else {
            profiles.insert(profile.name.clone(), toml::Value::Table(entry));
        }
        let access = if secret { Access::OwnerOnly } else { Access::Keep };
        texts.push((path.clone(), render_table(&path, &document, secret)?, access));
    }
    let files: Vec<(&Path, &[u8], Access)> = texts.iter().map(|(p, t, a)| (p.as_path(), t.as_bytes(), *a)).collect();
    crate::fs::write_atomic_all(&files).map_err(|source| ProfileError::Write { path: dir.clone(), source })?;
    Ok(texts.into_iter().map(|(path, _, _)| path).collect())
}

/// Checks, without changing anything that exists, that [`save`] can work: the folder can be
/// created and written to, and both files, if present, are readable and parse.
pub(crate) fn check_can_save() -> Result<PathBuf, ProfileError> {
    let dir = config_dir()?;
    create_private_dir(&dir)?;
    if !dir.is_dir() {
        return Err(ProfileError::Write {
            path: dir.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    tempfile::Builder::new()
        .prefix(".autoplay-check-")
        .tempfile_in(&dir)
        .map_err(|source| ProfileError::Write { path: dir.clone(), source })?;
    for (file, secret) in [(CONFIG_FILE, false), (CREDENTIALS_FILE, true)] {
        let path = dir.join(file);
        if path.exists() && !path.is_file() {
            return Err(ProfileError::Read {
                path,
                source: std::io::Error::new(std::io::ErrorKind::IsADirectory, "not a regular file"),
            });
        }
        read_table(&path, secret)?;
    }
    Ok(dir)
}

/// Removes a profile from both files. Returns whether it existed.
pub(crate) fn remove(name: &str) -> Result<bool, ProfileError> {
    validate_name(name)?;
    let dir = config_dir()?;
    let mut found = false;
    for (file, secret) in [(CONFIG_FILE, false), (CREDENTIALS_FILE, true)] {
        let path = dir.join(file);
        if !path.exists() {
            continue;
        }
        let mut document = read_table(&path, secret)?;
        if profiles_table_mut(&mut document).remove(name).is_some() {
            found = true;
            write_table(&path, &document, secret)?;
        }
    }
    Ok(found)
}

/// The names of every saved profile, sorted.
pub(crate) fn list() -> Result<Vec<String>, ProfileError> {
    let dir = config_dir()?;
    let mut names = BTreeSet::new();
    for (file, secret) in [(CONFIG_FILE, false), (CREDENTIALS_FILE, true)] {
        let document = read_table(&dir.join(file), secret)?;
        if let Some(profiles) = document.get("profiles").and_then(toml::Value::as_table) {
            names.extend(profiles.keys().cloned());
        }
    }
    Ok(names.into_iter().collect())
}

/// Whether a file holding secrets can be read or written by other users (mode wider than 0600).
pub(crate) fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

fn profile_table<'a>(document: &'a toml::Table, name: &str) -> Option<&'a toml::Table> {
    document.get("profiles")?.as_table()?.get(name)?.as_table()
}

fn profiles_table_mut(document: &mut toml::Table) -> &mut toml::Table {
    let needs_reset = !matches!(document.get("profiles"), Some(toml::Value::Table(_)));
    if needs_reset {
        document.insert("profiles".to_string(), toml::Value::Table(toml::Table::new()));
    }
    match document.get_mut("profiles") {
        Some(toml::Value::Table(table)) => table,
        _ => unreachable!("the profiles table was just inserted"),
    }
}

/// Reads a TOML file; a missing file is an empty document. A parse error in a secret file
/// names only the position, since the TOML error would quote the offending line.
fn read_table(path: &Path, secret: bool) -> Result<toml::Table, ProfileError> {
    let text = match crate::fs::read_text_limited(path, crate::fs::MAX_PROFILE_BYTES) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(toml::Table::new()),
        Err(source) => return Err(ProfileError::Read { path: path.to_path_buf(), source }),
    };
    text.parse::<toml::Table>().map_err(|err| {
        let detail = if secret {
            match err.span() {
                Some(span) => {
                    let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
                    format!("syntax error on line {line}")
                }
                None => "syntax error".to_string(),
            }
        } else {
            err.message().to_string()
        };
        ProfileError::Parse { path: path.to_path_buf(), detail }
    })
}

fn render_table(path: &Path, document: &toml::Table, secret: bool) -> Result<String, ProfileError> {
    let header = if secret {
        "# autoplay credentials: secrets, keep this file private (mode 0600).\n"
    } else {
        "# autoplay settings (secrets live in credentials.toml beside this file).\n"
    };
    let body = toml::to_string(document).map_err(|err| ProfileError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, err.to_string()),
    })?;
    Ok(format!("{header}{body}"))
}

fn write_table(path: &Path, document: &toml::Table, secret: bool) -> Result<(), ProfileError> {
    let access = if secret { Access::OwnerOnly } else { Access::Keep };
    crate::fs::write_atomic(path, render_table(path, document, secret)?.as_bytes(), access)
        .map_err(|source| ProfileError::Write { path: path.to_path_buf(), source })
}

/// Creates `dir` (and parents); a folder created here is private to the user.
pub(crate) fn create_private_dir(dir: &Path) -> Result<(), ProfileError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| ProfileError::Write { path: dir.to_path_buf(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_checked() {
        assert!(validate_name("default").is_ok());
        assert!(validate_name("staging-2.eu_west").is_ok());
        assert!(validate_name("").is_err());
        assert!(validate_name("a b").is_err());
        assert!(validate_name("x/y").is_err());
    }

    #[test]
    fn secret_parse_errors_do_not_quote_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        std::fs::write(&path, "[profiles.default]\ntoken = uk_live_secretvalue\n").unwrap();
        let err = read_table(&path, true).unwrap_err().to_string();
        assert!(!err.contains("uk_live_secretvalue"), "{err}");
        assert!(err.contains("line 2"), "{err}");
    }
}
