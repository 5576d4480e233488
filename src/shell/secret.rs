//! Secrets: a process-wide list of values that must never be printed, and the redaction
//! applied to every log line, warning and error message before it reaches a terminal:
//! registered secrets, anything after `Bearer `, the user info of a URL and the values of
//! secret-looking query parameters.
//!
//! What counts as a secret name ([`is_secret_name`]) is one rule, shared with the redaction
//! of connector error bodies: a name that, compared case- and separator-insensitively,
//! contains `secret`, `token`, `key`, `password`, `private` or `credential`.

use std::sync::{Mutex, OnceLock};

fn registry() -> &'static Mutex<Vec<String>> {
    static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Remembers a secret so that [`redact`] masks it wherever it shows up. Values shorter than
/// 4 characters are ignored: masking them would mangle ordinary text.
pub(crate) fn register(secret: &str) {
    let secret = secret.trim();
    if secret.len() < 4 {
        return;
    }
    if let Ok(mut secrets) = registry().lock()
        && !secrets.iter().any(|s| s == secret)
    {
        secrets.push(secret.to_string());
    }
}

/// Prefixes that say what kind of key follows and are not themselves secret.
const PUBLIC_PREFIXES: &[&str] = &["uk_live_", "uk_test_", "dev_"];
/// Secrets (after a public prefix) shorter than this show nothing of themselves.
const MIN_SHOWN_LEN: usize = 12;

/// A short, safe rendering of a secret: a known public prefix and the last 4 characters
/// (`uk_live_…abcd`); `***` (after the prefix) when the rest is shorter than 12 characters.
pub(crate) fn mask(secret: &str) -> String {
    let prefix = PUBLIC_PREFIXES.iter().copied().find(|p| secret.starts_with(p)).unwrap_or("");
    let chars: Vec<char> = secret[prefix.len()..].chars().collect();
    if chars.len() < MIN_SHOWN_LEN {
        return format!("{prefix}***");
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}…{tail}")
}

/// Whether a key or parameter name looks like it holds a secret: lower-cased and with every
/// character that is not a letter or digit removed, it contains `secret`, `token`, `key`,
/// `password`, `private` or `credential` (`webhookSecret`, `unkey_key`, `API-KEY`, …).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let folded: String = name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
    ["secret", "token", "key", "password", "private", "credential"].iter().any(|word| folded.contains(word))
}

/// Query parameter names that carry secrets besides those of [`is_secret_name`].
fn is_secret_parameter(name: &str) -> bool {
    let folded = name.to_ascii_lowercase();
    is_secret_name(name) || matches!(folded.as_str(), "auth" | "sig" | "signature" | "pass" | "pwd")
}

/// Replaces every registered secret, anything after `Bearer `, URL user info and secret
/// query values with a mask.
pub(crate) fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(secrets) = registry().lock() {
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &mask(secret));
            }
        }
    }
    redact_bearer(&redact_urls(&out))
}

/// Masks the user info (`https://***@host/`) and secret query values (`?token=***`) of one URL.
pub(crate) fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else { return url.to_string() };
    let (head, rest) = url.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let mut out = String::with_capacity(url.len());
    out.push_str(head);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("***");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let (before_fragment, fragment) = match path.find('#') {
        Some(at) => path.split_at(at),
        None => (path, ""),
    };
    match before_fragment.split_once('?') {
        Some((path, query)) => {
            out.push_str(path);
            out.push('?');
            let parts: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, value)) if is_secret_parameter(name) && !value.is_empty() => format!("{name}=***"),
                    _ => pair.to_string(),
                })
                .collect();
            out.push_str(&parts.join("&"));
        }
        None => out.push_str(before_fragment),
    }
    out.push_str(fragment);
    out
}

/// [`redact_url`] applied to every `scheme://…` in a text.
fn redact_urls(text: &str) -> String {
    if !text.contains("://") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
        let end = rest[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .map_or(rest.len(), |i| at + i);
        out.push_str(&rest[..start]);
        out.push_str(&redact_url(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn redact_bearer(text: &str) -> String {
    const MARK: &str = "Bearer ";
    if !text.contains(MARK) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at + MARK.len()]);
        rest = &rest[at + MARK.len()..];
        let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '\'').unwrap_or(rest.len());
        if end > 0 {
            out.push_str("***");
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_registered_secrets_and_bearer_values() {
        register("uk_live_0123456789abcdef");
        assert_eq!(redact("token uk_live_0123456789abcdef here"), "token uk_live_…cdef here");
        assert_eq!(redact("Authorization: Bearer abc.def"), "Authorization: Bearer ***");
        assert_eq!(mask("short"), "***");
    }

    #[test]
    fn masks_show_at_most_a_known_prefix_and_the_last_four() {
        assert_eq!(mask("uk_live_0123456789abcdef"), "uk_live_…cdef");
        assert_eq!(mask("uk_live_0123"), "uk_live_***");
        assert_eq!(mask("sk-0123456789abcdef"), "…cdef");
        assert_eq!(mask("elevenchars"), "***");
        assert_eq!(mask("twelve_chars"), "…hars");
        assert_eq!(mask(""), "***");
    }

    #[test]
    fn secret_names_follow_one_rule() {
        for name in [
            "unkey_key",
            "webhookSecret",
            "apiKey",
            "private_key",
            "owner_token",
            "API-KEY",
            "Client.Credentials",
            "PASSWORD",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["detail", "product_id", "message", "status"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn urls_lose_user_info_and_secret_query_values() {
        assert_eq!(
            redact_url("https://u:p@h:1/x?a=1&token=abc&Api-Key=z#f"),
            "https://***@h:1/x?a=1&token=***&Api-Key=***#f"
        );
        assert_eq!(redact_url("http://127.0.0.1:8787/stream/demo"), "http://127.0.0.1:8787/stream/demo");
        assert_eq!(
            redact("Listening on http://me:hunter2@c.test/stream/p?sig=s (x) and https://ok.test/?q=1"),
            "Listening on http://***@c.test/stream/p?sig=*** (x) and https://ok.test/?q=1"
        );
        assert_eq!(redact("`https://a@b/`"), "`https://***@b/`");
        assert_eq!(redact("no urls here"), "no urls here");
    }
}
