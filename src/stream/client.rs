/*!
The live stream client: connect to `GET {connector}/stream/{product}`, parse SSE, hand each
data frame to a [`StreamHandler`], and reconnect the way the SDK's stream client
(autoplay-sdk 0.7.3, `autoplay_sdk.client`) does:

- 401/403 and 404 are fatal ([`StreamError::Unauthorized`], [`StreamError::NotFound`]);
- any other failure (network error, other status, wrong content type, idle timeout, a
  dropped connection) is retried after 1, 2, 4, … s capped at 30 s, plus 0–10 % jitter;
- backoff and the failure count reset only after a healthy response: a 2xx with a
  `text/event-stream` content type;
- `max_retries = N` gives up after N+1 failed attempts in a row ([`StreamError::RetriesExhausted`]);
- a server `retry:` sets the delay before reconnecting after that connection ends;
- the last `id:` seen is sent back as `Last-Event-ID`.

Frame handling: heartbeats count as liveness and are dropped; data that is not JSON, or JSON
that is not an object, is skipped with a warning and the stream goes on: one bad frame does
not end the stream.
*/

use std::ops::ControlFlow;
use std::time::Duration;

use futures_util::StreamExt;

use crate::event::frame::{FrameError, FrameView};
use crate::shell::exit::ExitStatus;
use crate::stream::sse::{SseIssue, SseItem, SseParser};

/// How to reach the stream.
#[derive(Debug, Clone)]
pub struct StreamConfig {
    /// The full stream URL (`{connector}/stream/{product}`).
    pub url: String,
    /// The bearer token; `None` sends no `Authorization` header.
    pub token: Option<String>,
    /// Give up after this many failed attempts beyond the first (`None`: never).
    pub max_retries: Option<u32>,
    /// Reconnect when no bytes arrive for this long.
    pub idle_timeout: Duration,
    /// The longest one connection attempt may take.
    pub connect_timeout: Duration,
    /// The first reconnect delay; each failure in a row doubles it.
    pub initial_backoff: Duration,
    /// The longest reconnect delay.
    pub max_backoff: Duration,
}

impl StreamConfig {
    /// The SDK's defaults: retry forever, 90 s idle timeout, 10 s connect timeout, backoff
    /// from 1 s to 30 s, no token.
    pub fn new(url: impl Into<String>) -> Self {
        StreamConfig {
            url: url.into(),
            token: None,
            max_retries: None,
            idle_timeout: Duration::from_secs(90),
            connect_timeout: Duration::from_secs(10),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// `{connector}/stream/{product}`, the way the SDK builds it.
pub fn stream_url(connector: &str, product: &str) -> String {
    format!("{}/stream/{}", connector.trim_end_matches('/'), product)
}

/// Why the stream stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// HTTP 401 or 403: the token is missing, wrong or for another product.
    #[error("the connector refused the token (HTTP {status}) for {url}")]
    Unauthorized {
        /// 401 or 403.
        status: u16,
        /// The stream URL.
        url: String,
    },
    /// HTTP 404: no such product on this connector.
    #[error("the connector has no stream at {url} (HTTP 404)")]
    NotFound {
        /// The stream URL.
        url: String,
    },
    /// `max_retries` failed attempts in a row.
    #[error("gave up after {attempts} failed connection attempts to {url}; last error: {last_error}")]
    RetriesExhausted {
        /// Failed attempts in a row.
        attempts: u32,
        /// The stream URL.
        url: String,
        /// Why the last attempt failed.
        last_error: String,
    },
    /// The URL cannot be requested at all.
    #[error("invalid stream URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl StreamError {
    /// The exit status the toolkit ends with for this error.
    pub fn exit_status(&self) -> ExitStatus {
        match self {
            StreamError::Unauthorized { .. } => ExitStatus::Auth,
            StreamError::NotFound { .. } => ExitStatus::NotFound,
            StreamError::RetriesExhausted { .. } => ExitStatus::Failure,
            StreamError::InvalidUrl { .. } => ExitStatus::Usage,
        }
    }

    /// What to try next, for the error renderer's `hint:` line.
    pub fn hint(&self) -> Option<String> {
        match self {
            StreamError::Unauthorized { .. } => Some(
                "check the token: `autoplay auth status` shows which one is used and where it comes from; \
                 the key must belong to this product"
                    .into(),
            ),
            StreamError::NotFound { .. } => Some(
                "check the product id and the connector URL; a product must be registered first (`autoplay onboard`)"
                    .into(),
            ),
            StreamError::RetriesExhausted { .. } => {
                Some("is the connector up? raise --max-retries or leave it out to retry forever".into())
            }
            StreamError::InvalidUrl { .. } => Some("the URL looks like https://host/stream/<product_id>".into()),
        }
    }
}

/// One data frame, already checked to be a JSON object.
#[derive(Debug)]
pub struct DataFrame<'a> {
    /// The frame's data exactly as received.
    pub data: &'a str,
    /// Routing and filtering keys.
    pub view: FrameView<'a>,
    /// The SSE event id, when the server sends them.
    pub id: Option<&'a str>,
}

/// Something skipped that a person should hear about.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamWarning {
    /// Data that is not valid JSON (first 200 characters).
    InvalidJson {
        /// The start of the data.
        snippet: String,
        /// The JSON parser's message.
        error: String,
    },
    /// Valid JSON that is not an object.
    NotAnObject {
        /// The start of the data.
        snippet: String,
    },
    /// A line over the 1 MiB limit was discarded with its frame.
    LineTooLong {
        /// The length of the discarded line.
        bytes: usize,
    },
    /// A frame that was not UTF-8.
    InvalidUtf8,
}

impl std::fmt::Display for StreamWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamWarning::InvalidJson { snippet, error } => {
                write!(f, "skipped a frame whose data is not valid JSON ({error}): {snippet}")
            }
            StreamWarning::NotAnObject { snippet } => {
                write!(f, "skipped a frame whose data is JSON but not an object: {snippet}")
            }
            StreamWarning::LineTooLong { bytes } => {
                write!(f, "skipped a frame with a line of {bytes} bytes (the limit is 1 MiB)")
            }
            StreamWarning::InvalidUtf8 => f.write_str("skipped a frame that is not valid UTF-8"),
        }
    }
}

/// What the stream tells its consumer. Every method but `on_frame` has a no-op default.
pub trait StreamHandler {
    /// A healthy response arrived; `attempt` counts connections made so far (1 for the first).
    fn on_connected(&mut self, _url: &str, _attempt: u64) {}
    /// A data frame. Return `Break` to stop the stream.
    fn on_frame(&mut self, frame: DataFrame<'_>) -> ControlFlow<()>;
    /// A frame was skipped.
    fn on_warning(&mut self, _warning: StreamWarning) {}
    /// A connection ended (cleanly or not); a reconnect follows after `wait`.
    fn on_reconnect(&mut self, _failures: u32, _wait: Duration, _reason: &str) {}
    /// Every frame of one network read has been handled: the moment to flush output.
    /// Return `Break` to stop.
    fn on_chunk_end(&mut self) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
}

/// How the stream ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// The handler asked to stop.
    Stopped,
}

enum Attempt {
    /// The handler asked to stop.
    Stopped,
    /// The connection was healthy and then ended; the reason, for the log line.
    Ended(String),
    /// The attempt failed before or while streaming.
    Failed(String),
}

/// Runs the stream until the handler stops it or a fatal error occurs. Cancel it by dropping
/// the future (e.g. in `tokio::select!` with Ctrl-C or a deadline).
pub async fn run(config: &StreamConfig, handler: &mut impl StreamHandler) -> Result<StreamEnd, StreamError> {
    let client = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("autoplay/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| StreamError::InvalidUrl { url: config.url.clone(), reason: err.to_string() })?;
    let url = reqwest::Url::parse(&config.url)
        .map_err(|err| StreamError::InvalidUrl { url: config.url.clone(), reason: err.to_string() })?;
    if let Some(token) = &config.token {
        crate::shell::secret::register(token);
    }

    let mut backoff = config.initial_backoff;
    let mut failures: u32 = 0;
    let mut connections: u64 = 0;
    let mut parser = SseParser::new();
    let mut server_retry: Option<Duration> = None;
    loop {
        let outcome = attempt(&client, &url, config, handler, &mut parser, &mut server_retry, &mut connections).await?;
        let reason = match outcome {
            Attempt::Stopped => return Ok(StreamEnd::Stopped),
            Attempt::Ended(reason) => {
                // A healthy connection reset the schedule; a clean end is not a failure.
                backoff = config.initial_backoff;
                failures = 0;
                reason
            }
            Attempt::Failed(reason) => {
                failures += 1;
                reason
            }
        };
        if let Some(max) = config.max_retries
            && failures > max
        {
            return Err(StreamError::RetriesExhausted {
                attempts: failures,
                url: config.url.clone(),
                last_error: reason,
            });
        }
        let base = match server_retry {
            Some(retry) if failures <= 1 => retry,
            _ => backoff,
        };
        let wait = base + base.mul_f64(rand::random::<f64>() * 0.1);
        handler.on_reconnect(failures, wait, &reason);
        tracing::warn!(target: "autoplay::stream::client", %reason, failures, wait_ms = wait.as_millis() as u64, "reconnecting");
        tokio::time::sleep(wait).await;
        backoff = (backoff * 2).min(config.max_backoff);
    }
}

async fn attempt(
    client: &reqwest::Client,
    url: &reqwest::Url,
    config: &StreamConfig,
    handler: &mut impl StreamHandler,
    parser: &mut SseParser,
    server_retry: &mut Option<Duration>,
    connections: &mut u64,
) -> Result<Attempt, StreamError> {
    let mut request = client
        .get(url.clone())
        .header(reqwest::header::ACCEPT, "text/event-stream")
        .header(reqwest::header::CACHE_CONTROL, "no-store");
    if let Some(token) = &config.token {
        request = request.bearer_auth(token);
    }
    if let Some(id) = parser.last_event_id() {
        request = request.header("Last-Event-ID", id);
    }
    tracing::info!(target: "autoplay::stream::client", url = %config.url, "connecting");
    let response = match tokio::time::timeout(config.connect_timeout + config.idle_timeout, request.send()).await {
        Err(_) => return Ok(Attempt::Failed("no response in time".into())),
        Ok(Err(err)) => return Ok(Attempt::Failed(describe_reqwest_error(&err))),
        Ok(Ok(response)) => response,
    };
    let status = response.status();
    match status.as_u16() {
        401 | 403 => return Err(StreamError::Unauthorized { status: status.as_u16(), url: config.url.clone() }),
        404 => return Err(StreamError::NotFound { url: config.url.clone() }),
        _ => {}
    }
    if !status.is_success() {
        return Ok(Attempt::Failed(format!("HTTP {}", status.as_u16())));
    }
    let content_type =
        response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !content_type.split(';').next().unwrap_or("").contains("text/event-stream") {
        return Ok(Attempt::Failed(format!(
            "expected Content-Type text/event-stream, got `{}`",
            if content_type.is_empty() { "(none)" } else { &content_type }
        )));
    }
    *connections += 1;
    tracing::info!(target: "autoplay::stream::client", url = %config.url, "connected");
    handler.on_connected(&config.url, *connections);

    // A fresh parser per connection, keeping only the last event id.
    let last_id = parser.last_event_id().map(str::to_string);
    *parser = SseParser::new();
    parser.set_last_event_id(last_id);
    let mut body = response.bytes_stream();
    loop {
        let chunk = match tokio::time::timeout(config.idle_timeout, body.next()).await {
            Err(_) => {
                return Ok(Attempt::Failed(format!(
                    "no data for {}s (idle timeout)",
                    config.idle_timeout.as_secs_f64()
                )));
            }
            Ok(None) => return Ok(Attempt::Ended("the server closed the stream".into())),
            Ok(Some(Err(err))) => return Ok(Attempt::Failed(describe_reqwest_error(&err))),
            Ok(Some(Ok(chunk))) => chunk,
        };
        let flow = parser.feed(&chunk, |item| match item {
            SseItem::Retry(ms) => {
                *server_retry = Some(Duration::from_millis(ms));
                ControlFlow::Continue(())
            }
            SseItem::Issue(SseIssue::LineTooLong { bytes }) => {
                handler.on_warning(StreamWarning::LineTooLong { bytes });
                ControlFlow::Continue(())
            }
            SseItem::Issue(SseIssue::InvalidUtf8) => {
                handler.on_warning(StreamWarning::InvalidUtf8);
                ControlFlow::Continue(())
            }
            SseItem::Frame(frame) if frame.is_heartbeat() => ControlFlow::Continue(()),
            SseItem::Frame(frame) => match FrameView::parse(frame.data) {
                Ok(view) => handler.on_frame(DataFrame { data: frame.data, view, id: frame.id }),
                Err(FrameError::NotAnObject) => {
                    handler.on_warning(StreamWarning::NotAnObject { snippet: snippet(frame.data) });
                    ControlFlow::Continue(())
                }
                Err(FrameError::InvalidJson(error)) => {
                    handler.on_warning(StreamWarning::InvalidJson { snippet: snippet(frame.data), error });
                    ControlFlow::Continue(())
                }
            },
        });
        if flow.is_break() || handler.on_chunk_end().is_break() {
            return Ok(Attempt::Stopped);
        }
    }
}

/// The first 200 characters, as the SDK logs them.
fn snippet(data: &str) -> String {
    data.chars().take(200).collect()
}

fn describe_reqwest_error(err: &reqwest::Error) -> String {
    use std::error::Error;
    let mut text = if err.is_connect() {
        "could not connect".to_string()
    } else if err.is_timeout() {
        "timed out".to_string()
    } else if err.is_body() || err.is_decode() {
        "the connection broke".to_string()
    } else {
        err.to_string()
    };
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    // URLs in reqwest errors never carry the token (it is a header), but redact anyway.
    crate::shell::secret::redact(&text)
}
