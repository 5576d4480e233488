/*!
Which stream to read and with which token, from flags, the environment and saved profiles.

Precedence for each value: flag > environment > `--profile`/`AUTOPLAY_PROFILE` profile >
the `default` profile. The token: `--token-file`, `--token -` (stdin) or a literal `--token`
(with a warning), then `AUTOPLAY_APP_UNKEY_TOKEN`, then `AUTOPLAY_UNKEY_TOKEN`, then the
profile. Every token found is registered for redaction before anything can print it.
*/

use std::path::PathBuf;

use crate::connector::profile::{self, Profile};
use crate::shell::env_vars;
use crate::shell::exit::UserError;

/// Where the stream is and which token to use, as the flags give it; every field is optional
/// and [`resolve_stream`] fills the gaps from the environment and the profiles.
#[derive(Debug, Clone, Default)]
pub(crate) struct StreamSource {
    /// The full stream URL (wins over `connector` and `product`).
    pub(crate) url: Option<String>,
    /// The connector base URL; the stream is `{connector}/stream/{product}`.
    pub(crate) connector: Option<String>,
    pub(crate) product: Option<String>,
    pub(crate) token_file: Option<PathBuf>,
    /// A literal token, or `-` to read it from stdin.
    pub(crate) token: Option<String>,
    /// The saved profile to read.
    pub(crate) profile: Option<String>,
}

/// Where the token came from (for `auth status` and error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenSource {
    Flag,
    File(PathBuf),
    Stdin,
    Env(&'static str),
    Profile { name: String, path: PathBuf },
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenSource::Flag => f.write_str("the --token flag"),
            TokenSource::File(path) => write!(f, "the file {}", path.display()),
            TokenSource::Stdin => f.write_str("standard input"),
            TokenSource::Env(name) => write!(f, "the environment variable {name}"),
            TokenSource::Profile { name, path } => write!(f, "profile `{name}` in {}", path.display()),
        }
    }
}

/// A token and where it came from.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) value: String,
    pub(crate) source: TokenSource,
}

/// The stream to read, resolved.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedStream {
    pub(crate) url: String,
    pub(crate) token: Option<Token>,
}

/// Everything the flags, the environment and the profile say, without requiring any of it
/// (for `auth status`).
#[derive(Debug, Clone)]
pub(crate) struct ActiveCredentials {
    /// The profile in use (`--profile`, `AUTOPLAY_PROFILE`, or `default` when it exists).
    pub(crate) profile: Option<Profile>,
    pub(crate) connector: Option<String>,
    pub(crate) product: Option<String>,
    /// The stream URL, when it can be worked out.
    pub(crate) stream_url: Option<String>,
    pub(crate) token: Option<Token>,
}

/// The client settings for a followed stream (`tail`, `triggers watch`): the resolved URL and
/// token, the retry flags, and timeouts of at least 100 ms. Warns when no token was found.
pub(crate) fn stream_config(
    connection: &crate::settings::ConnectionSettings,
) -> anyhow::Result<crate::stream::client::StreamConfig> {
    let resolved = resolve_stream(&connection.source)?;
    let mut config = crate::stream::client::StreamConfig::new(resolved.url.clone());
    config.token = resolved.token.as_ref().map(|t| t.value.clone());
    config.max_retries = connection.max_retries;
    config.idle_timeout = connection.idle_timeout.max(std::time::Duration::from_millis(100));
    config.connect_timeout = connection.connect_timeout.max(std::time::Duration::from_millis(100));
    if config.token.is_none() {
        crate::shell::ui::warn(
            "no token found: connecting without `Authorization` (set AUTOPLAY_APP_UNKEY_TOKEN or use --token-file)",
        );
    }
    Ok(config)
}

/// Resolves the stream URL and token. A missing URL is a usage error naming the flags.
pub(crate) fn resolve_stream(args: &StreamSource) -> anyhow::Result<ResolvedStream> {
    let profile = load_profile(args)?;
    let url = resolve_url(args, profile.as_ref())?;
    let token = resolve_token(args, profile.as_ref())?;
    Ok(ResolvedStream { url, token })
}

/// A short machine-readable name for a token source.
fn source_kind(source: &TokenSource) -> &'static str {
    match source {
        TokenSource::Flag => "flag",
        TokenSource::File(_) => "file",
        TokenSource::Stdin => "stdin",
        TokenSource::Env(_) => "env",
        TokenSource::Profile { .. } => "profile",
    }
}

/// The active credentials as the JSON document of `auth status` (and the MCP `auth_status`
/// tool): which profile, connector, product and stream, and where the token comes from.
/// `secret` decides what stands for a token or key (a mask, or only that one is set).
pub(crate) fn status_document(
    active: &ActiveCredentials,
    profiles: &[String],
    secret: &dyn Fn(&str) -> serde_json::Value,
) -> serde_json::Value {
    let profile = active.profile.as_ref();
    let token = active.token.as_ref().map(|token| {
        let detail = match &token.source {
            TokenSource::File(path) => Some(path.display().to_string()),
            TokenSource::Env(name) => Some((*name).to_string()),
            TokenSource::Profile { path, .. } => Some(path.display().to_string()),
            TokenSource::Flag | TokenSource::Stdin => None,
        };
        serde_json::json!({"redacted": secret(&token.value), "source": source_kind(&token.source), "detail": detail})
    });
    serde_json::json!({
        "profile": profile.map(|p| p.name.clone()),
        "config_path": profile.map(|p| p.config_path.display().to_string()),
        "api": profile.and_then(|p| p.api.clone()),
        "connector": active.connector.as_deref().map(crate::shell::secret::redact_url),
        "product": active.product,
        "stream_url": active.stream_url.as_deref().map(crate::shell::secret::redact_url),
        "token": token,
        "mcp_key": profile.and_then(|p| p.mcp_key.as_deref()).map(secret),
        "profiles": profiles,
    })
}

/// Resolves what is known about the active credentials; nothing is required.
pub(crate) fn resolve_active(args: &StreamSource) -> anyhow::Result<ActiveCredentials> {
    let profile = load_profile(args)?;
    let connector = non_blank(&args.connector).or_else(|| profile.as_ref().and_then(|p| p.connector.clone()));
    let product = non_blank(&args.product).or_else(|| profile.as_ref().and_then(|p| p.product.clone()));
    let stream_url = resolve_url(args, profile.as_ref()).ok();
    let token = resolve_token(args, profile.as_ref())?;
    Ok(ActiveCredentials { profile, connector, product, stream_url, token })
}

fn non_blank(value: &Option<String>) -> Option<String> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// Turns a profile-file problem into an error with the right exit status: a file that cannot
/// be parsed or a bad name is a config error (2), an I/O failure is a plain failure (1).
pub(crate) fn profile_error(err: profile::ProfileError) -> anyhow::Error {
    use profile::ProfileError;
    match &err {
        ProfileError::Parse { .. } | ProfileError::InvalidName(_) | ProfileError::NoConfigDir => {
            UserError::usage(err.to_string()).into()
        }
        ProfileError::Read { .. } | ProfileError::Write { .. } => err.into(),
    }
}

fn load_profile(args: &StreamSource) -> anyhow::Result<Option<Profile>> {
    let explicit = non_blank(&args.profile).or_else(|| env_vars::read(env_vars::PROFILE));
    let profile = match explicit {
        Some(name) => match profile::load(&name).map_err(profile_error)? {
            Some(profile) => Some(profile),
            None => {
                return Err(UserError::usage(format!("no saved profile named `{name}`"))
                    .with_hint("save one with `autoplay onboard --save NAME`; `autoplay auth status` lists them")
                    .into());
            }
        },
        None => profile::load(profile::DEFAULT_PROFILE).map_err(profile_error)?,
    };
    if let Some(profile) = &profile {
        for secret in profile.secrets() {
            crate::shell::secret::register(secret);
        }
    }
    Ok(profile)
}

fn resolve_url(args: &StreamSource, profile: Option<&Profile>) -> anyhow::Result<String> {
    if let Some(url) = non_blank(&args.url) {
        return Ok(url);
    }
    let connector = non_blank(&args.connector).or_else(|| profile.and_then(|p| p.connector.clone()));
    let product = non_blank(&args.product).or_else(|| profile.and_then(|p| p.product.clone()));
    match (connector, product) {
        (Some(connector), Some(product)) => Ok(crate::stream::client::stream_url(&connector, &product)),
        (_, _) if profile.and_then(|p| p.stream_url.as_ref()).is_some() => {
            Ok(profile.and_then(|p| p.stream_url.clone()).unwrap_or_default())
        }
        (None, _) => Err(UserError::usage("no stream to read: give --url, or --connector and --product")
            .with_hint("`autoplay onboard --save` stores them; `autoplay demo` shows the whole loop with no account")
            .into()),
        (Some(_), None) => Err(UserError::usage("--connector needs --product (or AUTOPLAY_PRODUCT_ID)").into()),
    }
}

fn resolve_token(args: &StreamSource, profile: Option<&Profile>) -> anyhow::Result<Option<Token>> {
    let token = if let Some(path) = &args.token_file {
        let text = crate::fs::read_text_limited(path, crate::fs::MAX_SECRET_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the token file {}: {e}", path.display())))?;
        Some(Token { value: text.trim().to_string(), source: TokenSource::File(path.clone()) })
    } else if args.token.as_deref() == Some("-") {
        let text = crate::fs::read_stdin_limited(crate::fs::MAX_SECRET_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the token from standard input: {e}")))?;
        Some(Token { value: text.trim().to_string(), source: TokenSource::Stdin })
    } else if let Some(value) = &args.token {
        crate::shell::secret::register(value);
        crate::shell::ui::warn(
            "a token given on the command line is visible to other processes; prefer --token-file, `--token -` or AUTOPLAY_APP_UNKEY_TOKEN",
        );
        Some(Token { value: value.trim().to_string(), source: TokenSource::Flag })
    } else if let Some(value) = env_vars::read(env_vars::APP_UNKEY_TOKEN) {
        Some(Token { value, source: TokenSource::Env(env_vars::APP_UNKEY_TOKEN) })
    } else if let Some(value) = env_vars::read(env_vars::UNKEY_TOKEN) {
        Some(Token { value, source: TokenSource::Env(env_vars::UNKEY_TOKEN) })
    } else {
        profile.and_then(|p| {
            p.token.clone().map(|value| Token {
                value,
                source: TokenSource::Profile { name: p.name.clone(), path: p.credentials_path.clone() },
            })
        })
    };
    if let Some(token) = &token {
        crate::shell::secret::register(&token.value);
        check_token(token)?;
    }
    // A profile without a token is a profile without a token; anywhere else, empty is a mistake.
    Ok(token.filter(|t| !t.value.is_empty()))
}

/// A token must fit in an `Authorization` header: exit 2 naming where it came from (never
/// the token itself) when it is empty or holds a line break or another character a header
/// cannot carry.
fn check_token(token: &Token) -> anyhow::Result<()> {
    if token.value.is_empty() {
        if matches!(token.source, TokenSource::Profile { .. }) {
            return Ok(());
        }
        return Err(UserError::usage(format!("the token from {} is empty", token.source))
            .with_hint("put the stream key (uk_…) there, or pass it another way: --token-file, `--token -` or AUTOPLAY_APP_UNKEY_TOKEN")
            .into());
    }
    if let Some((at, c)) = token.value.chars().enumerate().find(|(_, c)| !(c.is_ascii_graphic() || *c == ' ')) {
        let what = match c {
            '\r' | '\n' => "a line break".to_string(),
            c if c.is_control() => format!("a control character (U+{:04X})", u32::from(c)),
            _ => "a character outside printable ASCII".to_string(),
        };
        return Err(UserError::usage(format!(
            "the token from {} holds {what} at character {}, which cannot be sent in an HTTP header",
            token.source,
            at + 1
        ))
        .with_hint("a stream key is one line of printable ASCII; check the file or variable for stray characters")
        .into());
    }
    Ok(())
}

/// Where test events go (`autoplay send`), as the flags give it; [`resolve_inbound`] fills the
/// gaps from the environment and the profile.
#[derive(Debug, Clone, Default)]
pub(crate) struct InboundSource {
    /// The full webhook URL (wins over `connector` and `product`).
    pub(crate) webhook_url: Option<String>,
    pub(crate) connector: Option<String>,
    pub(crate) product: Option<String>,
    /// The webhook (or ingest) secret, from this file.
    pub(crate) secret_file: Option<PathBuf>,
    pub(crate) profile: Option<String>,
}

/// How an inbound route authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InboundAuth {
    /// `POST /webhook/{product}` with `X-PostHog-Secret`.
    Webhook,
    /// `POST /ingest/{product}` with `Authorization: Bearer <ingest secret>` (provider API).
    Ingest,
}

/// Where to post events and the secret that opens it.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedInbound {
    pub(crate) url: String,
    pub(crate) auth: InboundAuth,
    pub(crate) secret: String,
    /// Where the secret came from (for messages; never the secret itself).
    pub(crate) secret_source: String,
}

/// Resolves the webhook (or, for a provider-API profile, the ingest URL) and its secret:
/// flags, then the environment (`AUTOPLAY_CONNECTOR_URL`, `AUTOPLAY_PRODUCT_ID`,
/// `AUTOPLAY_WEBHOOK_SECRET`), then the profile.
pub(crate) fn resolve_inbound(args: &InboundSource) -> anyhow::Result<ResolvedInbound> {
    let profile = load_profile(&StreamSource { profile: args.profile.clone(), ..StreamSource::default() })?;
    let profile = profile.as_ref();
    let flagged = non_blank(&args.webhook_url).is_some() || non_blank(&args.connector).is_some();
    let connector = non_blank(&args.connector).or_else(|| profile.and_then(|p| p.connector.clone()));
    let product = non_blank(&args.product).or_else(|| profile.and_then(|p| p.product.clone()));
    let provider_profile = !flagged
        && non_blank(&args.product).is_none()
        && profile.is_some_and(|p| p.api.as_deref() == Some(profile::API_PROVIDER) && p.ingest_url.is_some());
    let (url, auth) = if let Some(url) = non_blank(&args.webhook_url) {
        (url, InboundAuth::Webhook)
    } else if provider_profile {
        let ingest = profile.and_then(|p| p.ingest_url.clone()).unwrap_or_default();
        let url = match (&connector, ingest.starts_with('/')) {
            (Some(base), true) => format!("{}{ingest}", base.trim_end_matches('/')),
            _ => ingest,
        };
        (url, InboundAuth::Ingest)
    } else {
        match (connector, product) {
            (Some(connector), Some(product)) => {
                (format!("{}/webhook/{product}", connector.trim_end_matches('/')), InboundAuth::Webhook)
            }
            _ => match profile.and_then(|p| p.webhook_url.clone()) {
                Some(url) if !flagged => (url, InboundAuth::Webhook),
                _ => {
                    return Err(UserError::usage(
                        "no webhook to send to: give --webhook-url, or --connector and --product",
                    )
                    .with_hint("`autoplay onboard --save` stores them; `autoplay serve` prints a ready command")
                    .into());
                }
            },
        }
    };
    let (secret, secret_source) = if let Some(path) = &args.secret_file {
        let text = crate::fs::read_text_limited(path, crate::fs::MAX_SECRET_BYTES)
            .map_err(|e| UserError::usage(format!("could not read the secret file {}: {e}", path.display())))?;
        (text.trim().to_string(), format!("the file {}", path.display()))
    } else if let Some(value) = env_vars::read(env_vars::WEBHOOK_SECRET) {
        (value, format!("the environment variable {}", env_vars::WEBHOOK_SECRET))
    } else {
        let saved = profile.and_then(|p| match auth {
            InboundAuth::Webhook => p.webhook_secret.clone(),
            InboundAuth::Ingest => p.ingest_secret.clone(),
        });
        match (saved, profile) {
            (Some(secret), Some(p)) => (secret, format!("profile `{}` in {}", p.name, p.credentials_path.display())),
            _ => (String::new(), String::new()),
        }
    };
    if secret.is_empty() {
        return Err(UserError::auth("no webhook secret to send with")
            .with_hint(format!(
                "give --secret-file PATH or set {}; `autoplay onboard --save` stores the product's secret",
                env_vars::WEBHOOK_SECRET
            ))
            .into());
    }
    crate::shell::secret::register(&secret);
    Ok(ResolvedInbound { url, auth, secret, secret_source })
}
