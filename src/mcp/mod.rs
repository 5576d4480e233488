//! `autoplay mcp`: the toolkit as a Model Context Protocol server (the official Rust SDK,
//! `rmcp`), so a coding agent can list sessions, read the context the LLM gets, validate and
//! simulate trigger configs and read the skills itself.
//!
//! - `tools`: the tools and resources, thin calls into the library the commands use;
//! - `sandbox`: the folders the tools may read;
//! - `bound`: the size bound of every result;
//! - `resources`: the embedded skills and the `products.json` template;
//! - `sample`: the first events of a stream.
//!
//! Transports: stdio (what agents start), or the streamable HTTP transport on a loopback
//! address.

mod bound;
mod resources;
mod sample;
mod sandbox;
mod tools;

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use rmcp::ServiceExt;

use crate::shell::exit::UserError;
pub(crate) use sandbox::Sandbox;
use tools::AutoplayServer;

/// Where the server reads and how it is reached.
#[derive(Debug, Clone)]
pub(crate) struct ServerOptions {
    /// Relative paths start here; files outside it (and `allow`) are refused.
    pub(crate) root: PathBuf,
    pub(crate) allow: Vec<PathBuf>,
    /// Serve the streamable HTTP transport here instead of stdio (loopback only).
    pub(crate) http: Option<SocketAddr>,
}

/// Serves until the client goes away (stdio) or Ctrl-C (HTTP).
pub(crate) async fn serve(options: ServerOptions) -> anyhow::Result<()> {
    let sandbox = Sandbox::new(&options.root, &options.allow)?;
    match options.http {
        None => {
            crate::shell::ui::info(format!("MCP server on stdio, reading under {}", sandbox.root().display()));
            let service = AutoplayServer::new(sandbox)
                .serve(rmcp::transport::stdio())
                .await
                .context("the MCP handshake on stdio failed")?;
            service.waiting().await.context("the MCP server stopped")?;
            Ok(())
        }
        Some(addr) => serve_http(sandbox, addr).await,
    }
}

async fn serve_http(sandbox: Sandbox, addr: SocketAddr) -> anyhow::Result<()> {
    use rmcp::transport::streamable_http_server::{
        StreamableHttpServerConfig, StreamableHttpService, session::local::LocalSessionManager,
    };
    if !addr.ip().is_loopback() {
        return Err(UserError::usage(format!("--http {addr}: the MCP server listens on loopback only"))
            .with_hint("use 127.0.0.1:PORT (or [::1]:PORT)")
            .into());
    }
    let service = StreamableHttpService::new(
        move || Ok(AutoplayServer::new(sandbox.clone())),
        LocalSessionManager::default().into(),
        StreamableHttpServerConfig::default(),
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("could not listen on {addr}"))?;
    let bound = listener.local_addr().context("could not read the listening address")?;
    crate::shell::ui::info(format!("MCP server on http://{bound}/mcp (streamable HTTP)"));
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the MCP HTTP server failed")
}
