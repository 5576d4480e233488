/*!
Product registration on the event connector, as data in and data out (no I/O here).

Two connector APIs are supported:

- the **legacy** API (`POST /products` with a caller-chosen `product_id`, answered with an
  Unkey stream key `unkey_key` / `unkey_key_id`), and
- the **provider** API of newer connectors (`provider` + `provider_project_id`, answered with a
  connector-issued `product_id` and nested `credentials` / `setup` objects; re-registering
  needs the `owner_token` of the first registration).

This module builds request bodies, interprets responses (status first, then the body), redacts
secret fields from error bodies before anything can print them, renders the operator summary,
and computes the new text of `.env` and `.gitignore` files. The command in
`commands/onboard.rs` does the prompting, the HTTP call and the file writes.
*/

use std::path::{Component, Path};
use std::time::Duration;

use base64::Engine;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The legacy connector's public origin.
pub(crate) const LEGACY_DEFAULT_CONNECTOR: &str = "https://event-connector-luda.onrender.com";
/// The newer (provider API) connector's public origin.
pub(crate) const PROVIDER_DEFAULT_CONNECTOR: &str = "https://connector.autoplay.ai";
/// Request timeout when neither the flag nor the environment sets one.
pub(crate) const DEFAULT_TIMEOUT_SECS: f64 = 15.0;
/// The only integration type the toolkit registers (the stream).
pub(crate) const INTEGRATION_TYPE: &str = "event_stream";
/// Error bodies longer than this are shortened in messages.
pub(crate) const MAX_REASON_CHARS: usize = 800;
/// Non-JSON error bodies longer than this are not shown at all.
const MAX_NON_JSON_BODY_CHARS: usize = 4096;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// The timeout: the flag, else the environment value, else 15 s; clamped to 1–120 s. A value
/// that is not a finite number falls back to the default.
pub(crate) fn timeout(flag: Option<f64>, env: Option<&str>) -> Duration {
    let seconds = flag
        .or_else(|| env.and_then(|v| v.trim().parse::<f64>().ok()))
        .filter(|s| s.is_finite())
        .unwrap_or(DEFAULT_TIMEOUT_SECS);
    Duration::from_secs_f64(seconds.clamp(1.0, 120.0))
}

/// A fresh webhook secret: 32 random bytes, URL-safe base64 without padding (43 characters).
pub(crate) fn generate_webhook_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The connector base URL: trimmed, without trailing slashes; blank gives `default`.
pub(crate) fn normalize_connector(url: Option<&str>, default: &str) -> String {
    let url = url.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(default);
    url.trim_end_matches('/').to_string()
}

/// Checks a connector URL is an absolute http(s) URL.
pub(crate) fn check_connector_url(url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') => Ok(()),
        _ => Err(format!("`{url}` is not an http(s) URL")),
    }
}

/// The longest product id, in bytes.
pub(crate) const MAX_PRODUCT_ID_BYTES: usize = 128;

/// Checks a product id. URLs and file names are built from it, so anything that would change
/// their meaning is refused rather than silently mangled: `/`, `\\`, `..`, NUL and other
/// control characters, white space, `?`, `#`, `%`, and more than 128 bytes. The local
/// connector (`serve`) applies the same rule to `POST /products`.
pub(crate) fn check_product_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the product id is empty".to_string());
    }
    if id.len() > MAX_PRODUCT_ID_BYTES {
        return Err(format!("the product id is {} bytes long; the limit is {MAX_PRODUCT_ID_BYTES}", id.len()));
    }
    if let Some(bad) =
        id.chars().find(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        return Err(format!("the product id may not contain {bad:?}"));
    }
    if id.contains("..") {
        return Err("the product id may not contain `..`".to_string());
    }
    Ok(())
}

/// A light email check (the connector does the real one): one `@`, something before it, a dot
/// in the domain, no spaces.
pub(crate) fn check_email(email: &str) -> Result<(), String> {
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid { Ok(()) } else { Err(format!("`{email}` does not look like an email address")) }
}

/// The activity providers of the provider API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Provider {
    Posthog,
    Amplitude,
}

impl Provider {
    pub(crate) const ALL: [Provider; 2] = [Provider::Posthog, Provider::Amplitude];

    /// Parses a slug, trimmed and case-insensitively.
    pub(crate) fn parse(slug: &str) -> Result<Provider, String> {
        match slug.trim().to_ascii_lowercase().as_str() {
            "posthog" => Ok(Provider::Posthog),
            "amplitude" => Ok(Provider::Amplitude),
            other => Err(format!("unknown provider `{other}`; expected `posthog` or `amplitude`")),
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Provider::Posthog => "posthog",
            Provider::Amplitude => "amplitude",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

/// A legacy `POST /products` registration.
#[derive(Debug, Clone, Default)]
pub(crate) struct LegacyRegistration {
    pub(crate) product_id: String,
    pub(crate) contact_email: String,
    pub(crate) webhook_secret: String,
    /// Push mode: the connector POSTs events here instead of serving the stream.
    pub(crate) forward_url: String,
    pub(crate) forward_secret: String,
    pub(crate) force_reregister: bool,
}

impl LegacyRegistration {
    /// The JSON body, fields in the order the SDK sends them.
    pub(crate) fn body(&self) -> Value {
        let integration_config = if self.forward_url.is_empty() {
            json!({"mode": "sse"})
        } else {
            json!({"mode": "push", "url": self.forward_url, "secret": self.forward_secret})
        };
        json!({
            "product_id": self.product_id,
            "contact_email": self.contact_email,
            "webhook_secret": self.webhook_secret,
            "integration_type": INTEGRATION_TYPE,
            "integration_config": integration_config,
            "forward_url": self.forward_url,
            "forward_secret": self.forward_secret,
            "force_reregister": self.force_reregister,
        })
    }
}

/// A provider-API `POST /products` registration.
#[derive(Debug, Clone)]
pub(crate) struct ProviderRegistration {
    pub(crate) provider: Provider,
    pub(crate) provider_project_id: String,
    pub(crate) contact_email: String,
    pub(crate) ingest_secret: Option<String>,
    pub(crate) owner_token: Option<String>,
    pub(crate) name: Option<String>,
}

impl ProviderRegistration {
    /// The JSON body; optional keys only when non-empty.
    pub(crate) fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("provider".into(), json!(self.provider.as_str()));
        body.insert("provider_project_id".into(), json!(self.provider_project_id));
        body.insert("contact_email".into(), json!(self.contact_email));
        for (key, value) in
            [("ingest_secret", &self.ingest_secret), ("owner_token", &self.owner_token), ("name", &self.name)]
        {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                body.insert(key.into(), json!(value));
            }
        }
        Value::Object(body)
    }
}

// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

/// Why a registration did not succeed, after the connector answered. Bodies are redacted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum RegistrationError {
    #[error("the connector says this product is already registered (HTTP 409){}", reason_suffix(.body))]
    AlreadyRegistered { body: String },
    #[error("the connector refused to re-register this project (HTTP 403){}", reason_suffix(.body))]
    Forbidden { body: String },
    #[error("the connector returned HTTP {status}{}", reason_suffix(.body))]
    Http { status: u16, body: String },
    #[error("the connector answered HTTP {status} but its body is not a JSON object")]
    NotJson { status: u16 },
    #[error(
        "the connector's response has no unkey_key / unkey_key_id, so there is no stream key; the connector must be a version that creates Unkey keys on POST /products"
    )]
    MissingUnkeyKey,
    #[error("the connector's response is missing required fields: {}", .0.join("; "))]
    MissingFields(Vec<&'static str>),
}

fn reason_suffix(body: &str) -> String {
    if body.is_empty() { String::new() } else { format!(": {}", shorten(body, MAX_REASON_CHARS)) }
}

/// Cuts `text` to `max` characters plus `…`.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The result of a legacy registration (the SDK's result object).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct LegacyResult {
    pub(crate) product_id: String,
    pub(crate) webhook_url: String,
    pub(crate) stream_url: String,
    pub(crate) webhook_secret: String,
    pub(crate) integration_type: String,
    pub(crate) render_sync_performed: bool,
    pub(crate) connector_response: Value,
    pub(crate) unkey_key: String,
    pub(crate) unkey_key_id: String,
}

/// The result of a provider-API registration.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct ProviderResult {
    pub(crate) product_id: String,
    pub(crate) provider: String,
    pub(crate) provider_project_id: String,
    pub(crate) ingest_url: String,
    pub(crate) ingest_secret: String,
    pub(crate) mcp_url: Option<String>,
    pub(crate) mcp_key: String,
    /// Returned on the first registration only; needed to re-register later.
    pub(crate) owner_token: Option<String>,
    pub(crate) connector_response: Value,
}

/// Maps a non-success status to its error (the body redacted).
fn status_error(status: u16, body: &str) -> RegistrationError {
    let body = redact_body(body);
    match status {
        409 => RegistrationError::AlreadyRegistered { body },
        403 => RegistrationError::Forbidden { body },
        _ => RegistrationError::Http { status, body },
    }
}

fn parse_object(status: u16, body: &str) -> Result<Map<String, Value>, RegistrationError> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(RegistrationError::NotJson { status }),
    }
}

fn non_empty_str(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// Interprets the legacy connector's answer. Any 2xx with the stream key is a success (the SDK
/// insists on 201; a 200 with the same body is no reason to fail).
pub(crate) fn interpret_legacy(
    status: u16,
    body: &str,
    request: &LegacyRegistration,
    connector: &str,
) -> Result<LegacyResult, RegistrationError> {
    if !(200..300).contains(&status) {
        return Err(status_error(status, body));
    }
    let map = parse_object(status, body)?;
    let unkey_key = non_empty_str(map.get("unkey_key"));
    let unkey_key_id = non_empty_str(map.get("unkey_key_id"));
    let (Some(unkey_key), Some(unkey_key_id)) = (unkey_key, unkey_key_id) else {
        return Err(RegistrationError::MissingUnkeyKey);
    };
    let webhook_secret = non_empty_str(map.get("webhook_secret")).unwrap_or_else(|| request.webhook_secret.clone());
    if webhook_secret.is_empty() {
        return Err(RegistrationError::MissingFields(vec!["webhook_secret (X-PostHog-Secret value)"]));
    }
    let render_sync_performed = map.get("dual_write").is_some_and(crate::py::is_truthy);
    let pid = &request.product_id;
    Ok(LegacyResult {
        product_id: pid.clone(),
        webhook_url: format!("{connector}/webhook/{pid}"),
        stream_url: format!("{connector}/stream/{pid}"),
        webhook_secret,
        integration_type: INTEGRATION_TYPE.to_string(),
        render_sync_performed,
        connector_response: Value::Object(map),
        unkey_key,
        unkey_key_id,
    })
}

/// Interprets the provider API's answer (nested `credentials` and `setup`).
pub(crate) fn interpret_provider(
    status: u16,
    body: &str,
    request: &ProviderRegistration,
) -> Result<ProviderResult, RegistrationError> {
    if !(200..300).contains(&status) {
        return Err(status_error(status, body));
    }
    let map = parse_object(status, body)?;
    let nested = |section: &str, key: &str| non_empty_str(map.get(section).and_then(|s| s.get(key)));
    let product_id = non_empty_str(map.get("product_id"));
    let ingest_url = nested("setup", "ingest_url");
    let ingest_secret = nested("credentials", "ingest_secret");
    let mcp_key = nested("credentials", "mcp_key");
    let mut missing = Vec::new();
    if product_id.is_none() {
        missing.push("product_id");
    }
    if ingest_url.is_none() {
        missing.push("setup.ingest_url");
    }
    if ingest_secret.is_none() {
        missing.push("credentials.ingest_secret");
    }
    if mcp_key.is_none() {
        missing.push("credentials.mcp_key");
    }
    let (Some(product_id), Some(ingest_url), Some(ingest_secret), Some(mcp_key)) =
        (product_id, ingest_url, ingest_secret, mcp_key)
    else {
        return Err(RegistrationError::MissingFields(missing));
    };
    Ok(ProviderResult {
        product_id,
        provider: non_empty_str(map.get("provider")).unwrap_or_else(|| request.provider.as_str().to_string()),
        provider_project_id: non_empty_str(map.get("provider_project_id"))
            .unwrap_or_else(|| request.provider_project_id.clone()),
        ingest_url,
        ingest_secret,
        mcp_url: nested("setup", "mcp_url"),
        mcp_key,
        owner_token: nested("credentials", "owner_token"),
        connector_response: Value::Object(map),
    })
}

// ---------------------------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------------------------

/// Redacts an error body before it is shown, the same way for both APIs: in a JSON body every
/// value under a key that looks secret ([`crate::shell::secret::is_secret_name`]: the name,
/// compared case- and separator-insensitively, contains secret, token, key, password, private
/// or credential), at any depth, becomes `"[REDACTED]"` unless it is null or empty, and the
/// result is compact, ASCII-escaped JSON. A non-JSON body is shown as is up to 4096
/// characters (registered secrets still masked), and replaced by a note when longer.
pub(crate) fn redact_body(body: &str) -> String {
    if body.is_empty() {
        return String::new();
    }
    match serde_json::from_str::<Value>(body) {
        Ok(mut value) => {
            redact_value(&mut value);
            ascii_json(&value)
        }
        Err(_) => {
            let chars = body.chars().count();
            if chars <= MAX_NON_JSON_BODY_CHARS {
                body.to_string()
            } else {
                format!("<non-JSON response omitted ({chars} chars)>")
            }
        }
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if crate::shell::secret::is_secret_name(key) && !is_empty_value(child) {
                    *child = Value::String("[REDACTED]".to_string());
                } else {
                    redact_value(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Compact JSON with every non-ASCII character escaped as `\uXXXX` (surrogate pairs above the
/// BMP), the way Python's `json.dumps` writes it by default.
pub(crate) fn ascii_json(value: &Value) -> String {
    let compact = value.to_string();
    if compact.is_ascii() {
        return compact;
    }
    let mut out = String::with_capacity(compact.len() + 16);
    for c in compact.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Operator summary
// ---------------------------------------------------------------------------------------------

const RULE_WIDTH: usize = 60;

fn heading(out: &mut String, title: &str) {
    out.push_str(&format!("  {title}\n  {}\n", "-".repeat(title.chars().count())));
}

/// The copy-paste block shown after a legacy registration: where PostHog must send events, the
/// stream key, and the next steps. It contains secrets: print it to stdout only.
pub(crate) fn legacy_summary(result: &LegacyResult) -> String {
    let base = result.webhook_url.rsplit_once("/webhook/").map(|(base, _)| base).unwrap_or(&result.webhook_url);
    let rule = "=".repeat(RULE_WIDTH);
    let mut out = String::new();
    out.push_str(&format!("\n{rule}\n  Product registered: {}\n{rule}\n\n", result.product_id));
    heading(&mut out, "PostHog destination config");
    out.push_str(&format!("  Webhook URL      :  {}\n", result.webhook_url));
    out.push_str(&format!("  X-PostHog-Secret :  {}\n\n", result.webhook_secret));
    heading(&mut out, "Unkey API key (share with customer — shown once)");
    out.push_str(&format!("  key    :  {}\n", result.unkey_key));
    out.push_str(&format!("  key_id :  {}\n\n", result.unkey_key_id));
    out.push_str("  The customer authenticates SSE connections with:\n");
    out.push_str(&format!("    Authorization: Bearer {}\n", result.unkey_key));
    out.push_str(&format!("    GET {base}/stream/{}\n\n", result.product_id));
    heading(&mut out, "Next steps");
    out.push_str("  1. In PostHog → Data pipelines → Destinations, add a webhook:\n");
    out.push_str(&format!("       URL    : {}\n", result.webhook_url));
    out.push_str(&format!("       Header : X-PostHog-Secret: {}\n", result.webhook_secret));
    out.push_str("  2. Share the Unkey key above with the customer.\n");
    out.push_str("     They pass it as 'Authorization: Bearer <key>' on the SSE endpoint.\n");
    out
}

/// The copy-paste block shown after a provider-API registration.
pub(crate) fn provider_summary(result: &ProviderResult) -> String {
    let rule = "=".repeat(RULE_WIDTH);
    let mut out = String::new();
    out.push_str(&format!(
        "\n{rule}\n  Product registered: {}  (provider: {})\n{rule}\n\n",
        result.product_id, result.provider
    ));
    heading(&mut out, "Inbound events — configure your activity provider");
    out.push_str(&format!("  Ingest URL    :  {}\n", result.ingest_url));
    out.push_str("  Auth          :  Authorization: Bearer <ingest_secret>\n");
    out.push_str(&format!("  ingest_secret :  {}\n\n", result.ingest_secret));
    heading(&mut out, "Agent reads activity — MCP endpoint");
    if let Some(mcp_url) = &result.mcp_url {
        out.push_str(&format!("  MCP URL :  {mcp_url}\n"));
    }
    out.push_str("  Auth    :  Authorization: Bearer <mcp_key>\n");
    out.push_str(&format!("  mcp_key :  {}\n\n", result.mcp_key));
    if let Some(owner_token) = &result.owner_token {
        heading(&mut out, "Ownership — SAVE THIS to re-register or rotate later");
        out.push_str(&format!("  owner_token :  {owner_token}\n\n"));
    }
    out.push_str("  Secrets above are shown once and cannot be retrieved later.\n");
    out
}

// ---------------------------------------------------------------------------------------------
// .env and .gitignore
// ---------------------------------------------------------------------------------------------

/// The variables `--env-file` writes after a legacy registration. Both token names are
/// written: the SDK reads `AUTOPLAY_APP_UNKEY_TOKEN`, `autoplay-setup` writes
/// `AUTOPLAY_UNKEY_TOKEN`.
pub(crate) fn legacy_env_entries(result: &LegacyResult, connector: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AUTOPLAY_PRODUCT_ID", result.product_id.clone()),
        ("AUTOPLAY_CONNECTOR_URL", connector.to_string()),
        ("AUTOPLAY_STREAM_URL", result.stream_url.clone()),
        ("AUTOPLAY_WEBHOOK_SECRET", result.webhook_secret.clone()),
        ("AUTOPLAY_APP_UNKEY_TOKEN", result.unkey_key.clone()),
        ("AUTOPLAY_UNKEY_TOKEN", result.unkey_key.clone()),
    ]
}

/// The variables `--env-file` writes after a provider-API registration.
pub(crate) fn provider_env_entries(result: &ProviderResult, connector: &str) -> Vec<(&'static str, String)> {
    let mut entries = vec![
        ("AUTOPLAY_PRODUCT_ID", result.product_id.clone()),
        ("AUTOPLAY_CONNECTOR_URL", connector.to_string()),
        ("AUTOPLAY_INGEST_URL", result.ingest_url.clone()),
        ("AUTOPLAY_INGEST_SECRET", result.ingest_secret.clone()),
        ("AUTOPLAY_MCP_KEY", result.mcp_key.clone()),
    ];
    if let Some(url) = &result.mcp_url {
        entries.push(("AUTOPLAY_MCP_URL", url.clone()));
    }
    if let Some(token) = &result.owner_token {
        entries.push(("AUTOPLAY_OWNER_TOKEN", token.clone()));
    }
    entries
}

/// A `.env` value that sourcing the file can never run or expand: single-quoted (inside
/// single quotes `$`, backticks and `\` are plain characters), a `'` written as `'\''`.
/// Values with a line break or another control character are refused: no quoting keeps
/// every reader of `.env` files and a line-based rewrite in agreement about them.
pub(crate) fn quote_env_value(key: &str, value: &str) -> Result<String, String> {
    if let Some(bad) = value.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the value of {key} holds the control character {bad:?}, which a .env file cannot hold safely"
        ));
    }
    Ok(format!("'{}'", value.replace('\'', "'\\''")))
}

/// The variable a `.env` line assigns (`KEY=…` or `export KEY=…`), if any.
fn env_line_key(line: &str) -> Option<&str> {
    let line = line.trim_start();
    if line.starts_with('#') {
        return None;
    }
    let line = line.strip_prefix("export ").map(str::trim_start).unwrap_or(line);
    let (key, _) = line.split_once('=')?;
    let key = key.trim_end();
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(key)
}

/// The new text of a `.env` file: lines assigning one of `entries` are replaced in place (a
/// repeated assignment is dropped), every other line is kept as it was, and variables not yet
/// present are appended under a comment.
/// A value that cannot be written safely is an error naming its variable.
pub(crate) fn update_env_file(existing: &str, entries: &[(&str, String)]) -> Result<String, String> {
    let mut written: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(existing.len() + 512);
    for line in existing.lines() {
        match env_line_key(line).and_then(|key| entries.iter().find(|(k, _)| *k == key)) {
            Some((key, value)) => {
                if !written.contains(key) {
                    out.push_str(&format!("{key}={}\n", quote_env_value(key, value)?));
                    written.push(key);
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let missing: Vec<&(&str, String)> = entries.iter().filter(|(k, _)| !written.contains(k)).collect();
    if !missing.is_empty() {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push('\n');
        }
        out.push_str("# Written by autoplay onboard\n");
        for (key, value) in missing {
            out.push_str(&format!("{key}={}\n", quote_env_value(key, value)?));
        }
    }
    Ok(out)
}

/// What to list in `project_root/.gitignore` to keep `env_file` out of git: its folder
/// (`.autoplay/`) when it lives in a subfolder, else its own name, escaped so that git reads
/// it literally (`*`, `?`, `[`, `\`, a leading `#` or `!`, trailing spaces). `Ok(None)` when
/// the file is outside the project root; an error when a name holds a line break, which no
/// `.gitignore` line can express.
pub(crate) fn gitignore_entry(env_file: &Path, project_root: &Path) -> Result<Option<String>, String> {
    let relative = if env_file.is_absolute() {
        match env_file.strip_prefix(project_root) {
            Ok(relative) => relative,
            Err(_) => return Ok(None),
        }
    } else {
        env_file
    };
    let Some(parts) = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
    else {
        return Ok(None);
    };
    if parts.iter().any(|p| p.contains(['\n', '\r'])) {
        return Err(format!("{} has a line break in its name", env_file.display()));
    }
    let escaped: Vec<String> = parts.iter().map(|p| escape_gitignore(p)).collect();
    Ok(match escaped.as_slice() {
        [] => None,
        [file] => Some(file.clone()),
        [dirs @ .., _file] => Some(format!("{}/", dirs.join("/"))),
    })
}

/// One path component, escaped for a `.gitignore` line.
fn escape_gitignore(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    for (i, c) in part.chars().enumerate() {
        if matches!(c, '*' | '?' | '[' | '\\') || (i == 0 && matches!(c, '#' | '!')) {
            out.push('\\');
        }
        out.push(c);
    }
    let trimmed = out.trim_end_matches(' ').len();
    if trimmed < out.len() {
        let spaces = out.len() - trimmed;
        out.truncate(trimmed);
        out.push_str(&"\\ ".repeat(spaces));
    }
    out
}

/// Whether `.gitignore` text already lists `entry` (with or without a leading or trailing `/`).
pub(crate) fn gitignore_lists(existing: &str, entry: &str) -> bool {
    let bare = entry.trim_matches('/');
    existing.lines().map(str::trim).any(|line| line.trim_matches('/') == bare)
}

/// `.gitignore` text with `entry` appended (a newline first when the file does not end in one).
pub(crate) fn gitignore_append(existing: &str, entry: &str) -> String {
    let mut out = existing.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(entry);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn legacy_request() -> LegacyRegistration {
        LegacyRegistration {
            product_id: "acme".into(),
            contact_email: "ops@acme.com".into(),
            webhook_secret: "sent-secret".into(),
            ..LegacyRegistration::default()
        }
    }

    #[test]
    fn timeout_defaults_clamps_and_ignores_garbage() {
        assert_eq!(timeout(None, None), Duration::from_secs(15));
        assert_eq!(timeout(None, Some("abc")), Duration::from_secs(15));
        assert_eq!(timeout(None, Some(" 30 ")), Duration::from_secs(30));
        assert_eq!(timeout(Some(0.1), Some("30")), Duration::from_secs(1));
        assert_eq!(timeout(Some(500.0), None), Duration::from_secs(120));
        assert_eq!(timeout(Some(f64::NAN), None), Duration::from_secs(15));
    }

    #[test]
    fn generated_secrets_are_43_url_safe_characters() {
        let secret = generate_webhook_secret();
        assert_eq!(secret.len(), 43);
        assert!(secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(secret, generate_webhook_secret());
    }

    #[test]
    fn connector_urls_are_normalised() {
        assert_eq!(normalize_connector(Some(" http://x:1/// "), "d"), "http://x:1");
        assert_eq!(normalize_connector(Some("  "), "https://d/"), "https://d");
        assert!(check_connector_url("http://127.0.0.1:1").is_ok());
        assert!(check_connector_url("ftp://x").is_err());
        assert!(check_connector_url("https://").is_err());
    }

    #[test]
    fn product_ids_and_emails_are_checked() {
        assert!(check_product_id("acme-1").is_ok());
        assert!(check_product_id("a/b").is_err());
        assert!(check_product_id("a b").is_err());
        assert!(check_product_id("a..b").is_err());
        assert!(check_product_id("a\0b").is_err());
        assert!(check_product_id("a\\b").is_err());
        assert!(check_product_id(&"x".repeat(128)).is_ok());
        assert!(check_product_id(&"x".repeat(129)).is_err());
        assert!(check_product_id("v1.2_prod-é").is_ok());
        assert!(check_email("ops@acme.com").is_ok());
        assert!(check_email("ops@acme").is_err());
        assert!(check_email("@acme.com").is_err());
        assert!(check_email("a b@acme.com").is_err());
    }

    #[test]
    fn legacy_body_has_the_sdk_field_order() {
        let body = legacy_request().body().to_string();
        assert_eq!(
            body,
            r#"{"product_id":"acme","contact_email":"ops@acme.com","webhook_secret":"sent-secret","integration_type":"event_stream","integration_config":{"mode":"sse"},"forward_url":"","forward_secret":"","force_reregister":false}"#
        );
        let push =
            LegacyRegistration { forward_url: "https://h/e".into(), forward_secret: "s".into(), ..legacy_request() };
        assert_eq!(push.body()["integration_config"], json!({"mode":"push","url":"https://h/e","secret":"s"}));
    }

    #[test]
    fn provider_body_omits_empty_optionals() {
        let request = ProviderRegistration {
            provider: Provider::parse(" PostHog ").unwrap(),
            provider_project_id: "12345".into(),
            contact_email: "ops@acme.com".into(),
            ingest_secret: None,
            owner_token: Some("own".into()),
            name: Some(" ".into()),
        };
        assert_eq!(
            request.body().to_string(),
            r#"{"provider":"posthog","provider_project_id":"12345","contact_email":"ops@acme.com","owner_token":"own"}"#
        );
        assert!(Provider::parse("mixpanel").is_err());
    }

    #[test]
    fn redaction_is_by_rule_at_any_depth() {
        let body = r#"{"detail":"bad","webhook_secret":"s3cr3t","nested":[{"API_KEY":"k","password":""}],"secret":null,"x":{"Secret":{}}}"#;
        assert_eq!(
            redact_body(body),
            r#"{"detail":"bad","webhook_secret":"[REDACTED]","nested":[{"API_KEY":"[REDACTED]","password":""}],"secret":null,"x":{"Secret":{}}}"#
        );
        let body = r#"{"unkey_key":"u","webhookSecret":"w","apiKey":"a","private_key":"p","owner_token":"o","deep":{"list":[{"Client-Credential":"c","mcp_key":"m","ingest_secret":"i"}]},"detail":"keep"}"#;
        assert_eq!(
            redact_body(body),
            r#"{"unkey_key":"[REDACTED]","webhookSecret":"[REDACTED]","apiKey":"[REDACTED]","private_key":"[REDACTED]","owner_token":"[REDACTED]","deep":{"list":[{"Client-Credential":"[REDACTED]","mcp_key":"[REDACTED]","ingest_secret":"[REDACTED]"}]},"detail":"keep"}"#
        );
        assert_eq!(redact_body(r#"{"msg":"é😀"}"#), r#"{"msg":"\u00e9\ud83d\ude00"}"#);
        assert_eq!(redact_body(""), "");
        assert_eq!(redact_body("plain text"), "plain text");
        assert_eq!(redact_body(&"x".repeat(5000)), "<non-JSON response omitted (5000 chars)>");
    }

    #[test]
    fn legacy_success_computes_urls_and_prefers_the_server_secret() {
        let body = r#"{"product_id":"acme","unkey_key":" uk_live_abc ","unkey_key_id":"key_1","dual_write":true,"webhook_secret":"server"}"#;
        let result = interpret_legacy(201, body, &legacy_request(), "http://c").unwrap();
        assert_eq!(result.webhook_url, "http://c/webhook/acme");
        assert_eq!(result.stream_url, "http://c/stream/acme");
        assert_eq!(result.webhook_secret, "server");
        assert_eq!(result.unkey_key, "uk_live_abc");
        assert!(result.render_sync_performed);
        let body = r#"{"unkey_key":"uk","unkey_key_id":"id"}"#;
        let result = interpret_legacy(201, body, &legacy_request(), "http://c").unwrap();
        assert_eq!(result.webhook_secret, "sent-secret");
        assert!(!result.render_sync_performed);
    }

    #[test]
    fn legacy_failures_are_classified() {
        let request = legacy_request();
        assert_eq!(
            interpret_legacy(409, r#"{"detail":"exists","webhook_secret":"x"}"#, &request, "c"),
            Err(RegistrationError::AlreadyRegistered {
                body: r#"{"detail":"exists","webhook_secret":"[REDACTED]"}"#.into()
            })
        );
        assert_eq!(
            interpret_legacy(500, "boom", &request, "c"),
            Err(RegistrationError::Http { status: 500, body: "boom".into() })
        );
        assert_eq!(interpret_legacy(201, "not json", &request, "c"), Err(RegistrationError::NotJson { status: 201 }));
        assert_eq!(
            interpret_legacy(201, r#"{"unkey_key":"uk","unkey_key_id":" "}"#, &request, "c"),
            Err(RegistrationError::MissingUnkeyKey)
        );
    }

    #[test]
    fn provider_responses_are_read_from_nested_objects() {
        let request = ProviderRegistration {
            provider: Provider::Posthog,
            provider_project_id: "12345".into(),
            contact_email: "ops@acme.com".into(),
            ingest_secret: None,
            owner_token: None,
            name: None,
        };
        let body = r#"{"product_id":"prod_1","provider":"posthog","provider_project_id":"12345",
            "credentials":{"ingest_secret":"is","mcp_key":"mk","owner_token":"ot"},
            "setup":{"ingest_url":"https://c/ingest/prod_1","mcp_url":"https://m/mcp"}}"#;
        let result = interpret_provider(201, body, &request).unwrap();
        assert_eq!(result.product_id, "prod_1");
        assert_eq!(result.owner_token.as_deref(), Some("ot"));
        assert_eq!(result.mcp_url.as_deref(), Some("https://m/mcp"));
        assert!(provider_summary(&result).contains("owner_token :  ot"));
        assert_eq!(
            interpret_provider(201, r#"{"product_id":"p","credentials":{}}"#, &request),
            Err(RegistrationError::MissingFields(vec![
                "setup.ingest_url",
                "credentials.ingest_secret",
                "credentials.mcp_key"
            ]))
        );
        assert_eq!(
            interpret_provider(403, r#"{"owner_token":"x"}"#, &request),
            Err(RegistrationError::Forbidden { body: r#"{"owner_token":"[REDACTED]"}"#.into() })
        );
    }

    #[test]
    fn legacy_summary_has_every_copy_paste_value() {
        let body = r#"{"unkey_key":"uk_live_abc","unkey_key_id":"key_1"}"#;
        let result = interpret_legacy(201, body, &legacy_request(), "http://c").unwrap();
        let summary = legacy_summary(&result);
        assert!(summary.starts_with(&format!("\n{}\n  Product registered: acme\n", "=".repeat(60))));
        for needle in [
            "  Webhook URL      :  http://c/webhook/acme",
            "  X-PostHog-Secret :  sent-secret",
            "  key    :  uk_live_abc",
            "  key_id :  key_1",
            "    Authorization: Bearer uk_live_abc",
            "    GET http://c/stream/acme",
            "       Header : X-PostHog-Secret: sent-secret",
        ] {
            assert!(summary.contains(needle), "missing {needle:?} in\n{summary}");
        }
    }

    #[test]
    fn env_files_keep_unrelated_lines() {
        let existing = "# mine\nFOO=bar\nexport AUTOPLAY_PRODUCT_ID=old\nAUTOPLAY_PRODUCT_ID=older\nBAZ=\"q\"";
        let entries = vec![("AUTOPLAY_PRODUCT_ID", "acme".to_string()), ("AUTOPLAY_UNKEY_TOKEN", "a'b\\c".to_string())];
        assert_eq!(
            update_env_file(existing, &entries).unwrap(),
            "# mine\nFOO=bar\nAUTOPLAY_PRODUCT_ID='acme'\nBAZ=\"q\"\n\n# Written by autoplay onboard\nAUTOPLAY_UNKEY_TOKEN='a'\\''b\\c'\n"
        );
        assert_eq!(
            update_env_file("", &entries[..1]).unwrap(),
            "# Written by autoplay onboard\nAUTOPLAY_PRODUCT_ID='acme'\n"
        );
        let bad = vec![("AUTOPLAY_X", "a\nb".to_string())];
        assert!(update_env_file("", &bad).unwrap_err().contains("AUTOPLAY_X"));
    }

    #[cfg(unix)]
    #[test]
    fn sourcing_an_env_file_runs_and_expands_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("ran");
        let value = format!("$(touch {m}) `touch {m}` $HOME \\ ' \" ${{X:-y}} !x", m = marker.display());
        let text = update_env_file("", &[("AUTOPLAY_V", value.clone())]).unwrap();
        let path = dir.path().join(".env");
        std::fs::write(&path, text).unwrap();
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(". '{}'; printf %s \"$AUTOPLAY_V\"", path.display()))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(String::from_utf8_lossy(&output.stdout), value);
        assert!(!marker.exists(), "nothing ran");
    }

    #[test]
    fn gitignore_entries() {
        let root = Path::new("/p");
        let entry = |p: &str| gitignore_entry(Path::new(p), root).unwrap();
        assert_eq!(entry(".autoplay/.env").as_deref(), Some(".autoplay/"));
        assert_eq!(entry("./.env").as_deref(), Some(".env"));
        assert_eq!(entry("/p/a/b/.env").as_deref(), Some("a/b/"));
        assert_eq!(entry("/elsewhere/.env"), None);
        assert_eq!(entry("../x/.env"), None);
        assert_eq!(entry("my*[env]?.txt").as_deref(), Some("my\\*\\[env]\\?.txt"));
        assert_eq!(entry("#x").as_deref(), Some("\\#x"));
        assert_eq!(entry("!x").as_deref(), Some("\\!x"));
        assert_eq!(entry("a\\b ").as_deref(), Some("a\\\\b\\ "));
        assert!(gitignore_entry(Path::new("a\nb/.env"), root).is_err());
        assert!(gitignore_lists("target\n/.autoplay\n", ".autoplay/"));
        assert!(!gitignore_lists("target\n", ".autoplay/"));
        assert_eq!(gitignore_append("target", ".autoplay/"), "target\n.autoplay/\n");
        assert_eq!(gitignore_append("", ".autoplay/"), ".autoplay/\n");
    }
}
