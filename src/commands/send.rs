//! `autoplay send`: post PostHog-style test events to a product's webhook (or ingest URL),
//! like `stripe trigger`: with `tail` in another terminal it proves the whole pipeline.

use std::time::Duration;

use anyhow::Context;
use serde_json::{Value, json};

use crate::connector::credentials::{self, InboundAuth, ResolvedInbound};
use crate::posthog::{TestEvent, TestKind, destination_body};
use crate::settings::{GlobalSettings, SendSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;

/// The site a bare `--url /path` is on.
const DEFAULT_SITE: &str = "https://app.example.com";

pub(crate) fn run(global: &GlobalSettings, args: SendSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "send")?;
    if args.count == 0 {
        return Err(crate::usage_error!("--count must be at least 1"));
    }
    let url = page_url(&args.url)?;
    let target = credentials::resolve_inbound(&args.target)?;
    tracing::debug!(url = %target.url, secret = %target.secret_source, "sending test events");
    let session = args
        .session
        .clone()
        .unwrap_or_else(|| format!("ps_send_{}", crate::server::registry::random_token(8).to_lowercase()));
    let client = reqwest::Client::builder()
        .timeout(args.timeout.max(Duration::from_millis(100)))
        .user_agent(concat!("autoplay/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("could not set up the HTTP client")?;
    let runtime = super::runtime()?;
    let mut out = LineWriter::new();
    runtime.block_on(async {
        for number in 1..=args.count {
            if number > 1 {
                tokio::time::sleep(args.interval).await;
            }
            let event = TestEvent {
                kind: args.kind,
                url: url.clone(),
                distinct_id: args.user.clone(),
                session_id: session.clone(),
                email: args.email.clone(),
                label: args.label.clone(),
                timestamp: crate::server::feed::unix_now(),
                uuid: uuid_like(),
            };
            let body = destination_body(&event).to_string();
            let (status, reply) = post(&client, &target, body).await?;
            let reply_json: Value = serde_json::from_str(&reply).unwrap_or(Value::Null);
            if !(200..300).contains(&status) {
                return Err(rejected(status, &reply, &target));
            }
            let kind = match args.kind {
                TestKind::Pageview => "pageview",
                TestKind::Click => "click",
            };
            match format {
                Format::Json => out.line(
                    &json!({
                        "n": number,
                        "event": kind,
                        "url": url,
                        "session_id": session,
                        "user_id": args.user,
                        "status": status,
                        "response": reply_json,
                    })
                    .to_string(),
                )?,
                _ => {
                    let mut line = format!("✓ {kind} {url} → {status}  session {session}  user {}", args.user);
                    if let Some(n) = reply_json.get("subscribers").and_then(Value::as_u64) {
                        line.push_str(&format!("  ({})", output::count(n, "subscriber", "subscribers")));
                    }
                    out.line(&line)?
                }
            }
        }
        Ok::<_, anyhow::Error>(())
    })?;
    if args.count > 1 {
        ui::info(format!("sent {} to {}", output::count(args.count, "event", "events"), target.url));
    }
    Ok(ExitStatus::Success)
}

/// A bare path is put on [`DEFAULT_SITE`]; a full URL is kept.
fn page_url(url: &str) -> anyhow::Result<String> {
    let url = url.trim();
    if url.starts_with("http://") || url.starts_with("https://") {
        return Ok(url.to_string());
    }
    if url.starts_with('/') {
        return Ok(format!("{DEFAULT_SITE}{url}"));
    }
    Err(crate::usage_error!("--url must be a path starting with `/` or a full http(s) URL, got `{url}`"))
}

async fn post(client: &reqwest::Client, target: &ResolvedInbound, body: String) -> anyhow::Result<(u16, String)> {
    let mut request = client.post(&target.url).header(reqwest::header::CONTENT_TYPE, "application/json");
    request = match target.auth {
        InboundAuth::Webhook => request.header("X-PostHog-Secret", &target.secret),
        InboundAuth::Ingest => request.bearer_auth(&target.secret),
    };
    let outcome = async {
        let response = request.body(body).send().await?;
        let status = response.status().as_u16();
        let text = crate::connector::read_body_limited(response).await?;
        Ok::<_, reqwest::Error>((status, text))
    }
    .await;
    outcome.map_err(|err| {
        let mut detail = err.to_string();
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            detail = cause.to_string();
            source = cause.source();
        }
        let what = if err.is_timeout() { "did not answer in time".to_string() } else { format!("({detail})") };
        UserError::failure(format!("could not reach the webhook at '{}' {what}", target.url))
            .with_hint("check --connector / --webhook-url, and that the connector (or `autoplay serve`) is running")
            .into()
    })
}

/// The error for a non-2xx answer, with its exit status.
fn rejected(status: u16, reply: &str, target: &ResolvedInbound) -> anyhow::Error {
    let detail = serde_json::from_str::<Value>(reply)
        .ok()
        .and_then(|v| v.get("detail").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| reply.chars().take(300).collect());
    let message = format!("the webhook at '{}' answered HTTP {status}: {detail}", target.url);
    match status {
        401 | 403 => UserError::auth(message)
            .with_hint(format!(
                "the secret from {} was refused; re-run `autoplay onboard --save` or pass --secret-file",
                target.secret_source
            ))
            .into(),
        404 => UserError::not_found(message)
            .with_hint("the product is not registered on this connector: check --product, or run `autoplay onboard`")
            .into(),
        400..=499 => UserError::usage(message).into(),
        _ => UserError::failure(message).into(),
    }
}

/// A random id in the 8-4-4-4-12 hex layout of the uuids PostHog gives events.
fn uuid_like() -> String {
    let hex: String = (0..32).map(|_| format!("{:x}", rand::random::<u8>() & 0xf)).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
