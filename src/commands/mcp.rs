//! `autoplay mcp`: starts the MCP server of [`crate::mcp`] in the current folder.

use anyhow::Context;

use crate::mcp::ServerOptions;
use crate::settings::McpSettings;
use crate::shell::exit::ExitStatus;

pub(crate) fn run(settings: McpSettings) -> anyhow::Result<ExitStatus> {
    let root = std::env::current_dir().context("could not read the current folder")?;
    let options = ServerOptions { root, allow: settings.allow, http: settings.http };
    super::runtime()?.block_on(crate::mcp::serve(options))?;
    Ok(ExitStatus::Success)
}
