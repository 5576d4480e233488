//! `autoplay auth status` (which credentials `tail` would use, and where they come from) and
//! `autoplay auth logout` (remove a saved profile).

use std::time::Duration;

use anyhow::Context;
use serde_json::json;

use crate::stream::check::CheckOutcome;
use crate::stream::client::StreamError;

use crate::connector::credentials::{self, StreamSource};
use crate::connector::profile;
use crate::settings::{AuthSettings, GlobalSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::{env_vars, output, secret, ui};

pub(crate) fn run(global: &GlobalSettings, settings: AuthSettings) -> anyhow::Result<ExitStatus> {
    match settings {
        AuthSettings::Status { stream, check } => status(global, &stream, check),
        AuthSettings::Logout { profile } => logout(&profile),
    }
}

fn status(global: &GlobalSettings, stream: &StreamSource, check: Option<Duration>) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "auth status")?;
    let active = credentials::resolve_active(stream)?;
    let profiles = profile::list().map_err(credentials::profile_error)?;
    let profile = active.profile.as_ref();
    let mcp_key = profile.and_then(|p| p.mcp_key.as_deref());
    if let Some(profile) = profile
        && profile::readable_by_others(&profile.credentials_path)
    {
        ui::warn(format!(
            "{} can be read by other users; restrict it with `chmod 600 {}`",
            profile.credentials_path.display(),
            profile.credentials_path.display()
        ));
    }

    let checked = match (check, &active.stream_url) {
        (Some(wait), Some(url)) => {
            let token = active.token.as_ref().map(|t| t.value.clone());
            let runtime = super::runtime()?;
            Some(runtime.block_on(crate::stream::check::check(url, token, wait)))
        }
        (Some(_), None) => {
            return Err(UserError::usage("--check needs a stream: give --url, or --connector and --product")
                .with_hint("`autoplay onboard --save` stores them")
                .into());
        }
        (None, _) => None,
    };
    let mut out = output::LineWriter::new();
    match format {
        Format::Json => {
            let mut document = credentials::status_document(&active, &profiles, &|s| json!(secret::mask(s)));
            document["check"] = json!(checked.as_ref().map(check_json));
            out.line(&serde_json::to_string_pretty(&document).context("could not encode the status")?)?;
        }
        _ => {
            let dim = console::Style::new().dim();
            let none = ui::paint_stdout("(none)", &dim);
            let row =
                |label: &str, value: Option<String>| format!("{label:<11}{}", value.unwrap_or_else(|| none.clone()));
            out.line(&row(
                "Profile:",
                profile
                    .map(|p| format!("{}  {}", p.name, ui::paint_stdout(&p.config_path.display().to_string(), &dim))),
            ))?;
            // URLs lose their user info and secret query values, like every line printed.
            out.line(&row("Connector:", active.connector.as_deref().map(secret::redact_url)))?;
            out.line(&row("Product:", active.product.clone()))?;
            out.line(&row("Stream:", active.stream_url.as_deref().map(secret::redact_url)))?;
            let token = active.token.as_ref().map(|token| {
                format!(
                    "{}  {}",
                    secret::mask(&token.value),
                    ui::paint_stdout(&format!("(from {})", token.source), &dim)
                )
            });
            out.line(&row("Token:", token))?;
            if let Some(key) = mcp_key {
                out.line(&row("MCP key:", Some(secret::mask(key))))?;
            }
            let listed = if profiles.is_empty() { None } else { Some(profiles.join(", ")) };
            out.line(&row("Profiles:", listed))?;
            if let Some(checked) = &checked {
                out.line(&row("Check:", Some(check_line(checked))))?;
            }
        }
    }
    if let Some(Err(err)) = checked {
        let status = err.exit_status();
        let mut error = UserError::new(status, format!("stream check failed: {err}"));
        if let Some(hint) = err.hint() {
            error = error.with_hint(hint);
        }
        return Err(error.into());
    }
    if active.token.is_none() && mcp_key.is_none() {
        return Err(UserError::auth("no credentials found")
            .with_hint(
                "run `autoplay onboard --save`, set AUTOPLAY_APP_UNKEY_TOKEN, or pass --token-file (or --profile NAME)",
            )
            .into());
    }
    Ok(ExitStatus::Success)
}

/// One line for a check's result.
fn check_line(checked: &Result<CheckOutcome, StreamError>) -> String {
    match checked {
        Ok(CheckOutcome::Accepted { first_bytes_after }) => format!(
            "✓ accepted: HTTP 2xx, text/event-stream, first bytes after {:.2} s",
            first_bytes_after.as_secs_f64()
        ),
        Ok(CheckOutcome::AcceptedSilent { waited }) => format!(
            "✓ accepted, but no heartbeat or event within {:.0} s (connectors send a heartbeat every 30 s; raise --wait)",
            waited.as_secs_f64()
        ),
        Err(err) => format!("✗ {err}"),
    }
}

fn check_json(checked: &Result<CheckOutcome, StreamError>) -> serde_json::Value {
    match checked {
        Ok(CheckOutcome::Accepted { first_bytes_after }) => json!({
            "ok": true, "accepted": true, "first_bytes_ms": first_bytes_after.as_millis() as u64,
        }),
        Ok(CheckOutcome::AcceptedSilent { waited }) => json!({
            "ok": true, "accepted": true, "first_bytes_ms": null, "waited_ms": waited.as_millis() as u64,
        }),
        Err(err) => json!({
            "ok": false, "accepted": false, "error": err.to_string(), "exit_code": err.exit_status().code(),
        }),
    }
}

fn logout(name: &str) -> anyhow::Result<ExitStatus> {
    let removed = profile::remove(name).map_err(credentials::profile_error)?;
    let dir = profile::config_dir().map_err(credentials::profile_error)?;
    if removed {
        ui::info(format!("removed profile `{name}` from {}", dir.display()));
    } else {
        ui::warn(format!("no saved profile named `{name}` in {}; nothing removed", dir.display()));
    }
    for name in [env_vars::APP_UNKEY_TOKEN, env_vars::UNKEY_TOKEN] {
        if env_vars::read(name).is_some() {
            ui::hint(format!("{name} is still set in the environment and still provides a token"));
        }
    }
    Ok(ExitStatus::Success)
}
