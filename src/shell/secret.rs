//! Secrets: a process-wide list of values that must never be printed, and the redaction
//! applied to every log line, warning and error message before it reaches a terminal.

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

/// A short, safe rendering of a secret: its first 8 characters and last 4 (`uk_live_…abcd`),
/// or `***` when it is too short to show any of it.
pub(crate) fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 16 {
        return "***".to_string();
    }
    let head: String = chars[..8].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail}")
}

/// Replaces every registered secret, and anything after `Bearer `, with a mask.
pub(crate) fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(secrets) = registry().lock() {
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), &mask(secret));
            }
        }
    }
    redact_bearer(&out)
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
}
