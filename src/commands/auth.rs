//! `autoplay auth status` (which credentials `tail` would use, and where they come from) and
//! `autoplay auth logout` (remove a saved profile).

use anyhow::Context;
use serde_json::json;

use crate::connector::credentials::{self, StreamSource};
use crate::connector::profile;
use crate::settings::{AuthSettings, GlobalSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::{env_vars, output, secret, ui};

pub(crate) fn run(global: &GlobalSettings, settings: AuthSettings) -> anyhow::Result<ExitStatus> {
    match settings {
        AuthSettings::Status { stream } => status(global, &stream),
        AuthSettings::Logout { profile } => logout(&profile),
    }
}

fn status(global: &GlobalSettings, stream: &StreamSource) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, &[Format::Pretty, Format::Json], "auth status")?;
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

    let mut out = output::LineWriter::new();
    match format {
        Format::Json => {
            let document = credentials::status_document(&active, &profiles, &|s| json!(secret::mask(s)));
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
            out.line(&row("Connector:", active.connector.clone()))?;
            out.line(&row("Product:", active.product.clone()))?;
            out.line(&row("Stream:", active.stream_url.clone()))?;
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
        }
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
