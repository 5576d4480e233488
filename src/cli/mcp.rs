//! `autoplay mcp`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

const MCP_AFTER_HELP: &str = "\
Tools read files only under the current folder and each --allow DIR.

Examples:
  autoplay mcp                          stdio, as coding agents start it
  autoplay mcp --allow ../recordings    also read recordings from there
  autoplay mcp --http 127.0.0.1:8765    streamable HTTP, path /mcp
  autoplay install-skills --mcp         add it to .mcp.json and .cursor/mcp.json";

/// `autoplay mcp`: the toolkit as an MCP server for coding agents.
#[derive(Debug, Clone, Args)]
#[command(after_help = MCP_AFTER_HELP)]
pub(crate) struct McpArgs {
    /// Serve the streamable HTTP transport on this loopback address, not stdio
    #[arg(long, value_name = "127.0.0.1:PORT")]
    pub(crate) http: Option<SocketAddr>,
    /// Also let the tools read files under this folder (repeatable)
    #[arg(long, value_name = "DIR")]
    pub(crate) allow: Vec<PathBuf>,
}
