/*!
The live stream client: connect to `GET {connector}/stream/{product}`, parse SSE, hand each
data frame to a [`StreamHandler`], and reconnect the way the SDK's stream client
(autoplay-sdk 0.7.3, `autoplay_sdk.client`) does, with the EventSource rules of the HTML
Living Standard where the SDK is silent or wrong:

- requests carry `Accept: text/event-stream` and `Cache-Control: no-cache`, the bearer token,
  and `Last-Event-ID` once an event with an id was dispatched (an id that cannot go in a
  header is dropped with one warning, and the stream goes on);
- 401/403 and 404 are fatal ([`StreamError::Unauthorized`], [`StreamError::NotFound`]);
  `204 No Content` means "stop reconnecting" ([`StreamEnd::NoContent`]);
- a redirect (301, 302, 303, 307, 308) to the same origin is followed, at most 10 in a row,
  with the token; a redirect to another origin is never followed with it
  ([`StreamError::CrossOriginRedirect`]);
- a healthy response is a 2xx whose content type has the essence `text/event-stream`
  (compared case-insensitively, parameters allowed);
- any other failure (network error, other status, wrong content type, idle timeout, a
  dropped connection) is retried after 1, 2, 4, … s capped at 30 s, plus 0–10 % jitter;
  `Retry-After` on 429 and 503 (seconds or an HTTP date) sets that wait instead;
- backoff and the failure count reset after a healthy response that delivered at least one
  frame (an event or a heartbeat), however that connection ends; a healthy response that
  ends before any frame is a failed attempt, so a server that closes at once cannot be hammered;
- a server `retry:` sets the delay before reconnecting after that connection ends;
  it and `Retry-After` are clamped to 100 ms .. 1 h;
- `max_retries = N` gives up after N+1 failed attempts in a row ([`StreamError::RetriesExhausted`]).

Frame handling: heartbeats count as liveness and are dropped; data that is not JSON, or JSON
that is not an object, is skipped with a warning and the stream goes on: one bad frame does
not end the stream.
*/

use std::ops::ControlFlow;
use std::time::Duration;

use futures_util::{FutureExt, StreamExt};

use crate::event::frame::{FrameError, FrameView};
use crate::event::line::{self, LineScratch, LineView, Reach};
use crate::shell::exit::ExitStatus;
use crate::stream::handover::{self, Entry, FrameBatch, Message, Relay};
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
    /// A redirect to another origin, which is never followed with the token.
    #[error("the connector at {url} redirects to another origin: {location}")]
    CrossOriginRedirect {
        /// The stream URL.
        url: String,
        /// Where the redirect points (masked).
        location: String,
    },
    /// More than 10 redirects in a row.
    #[error("more than {MAX_REDIRECTS} redirects in a row from {url}")]
    TooManyRedirects {
        /// The stream URL.
        url: String,
    },
    /// The connection's thread or its runtime could not be started (the system is out of
    /// threads or memory).
    #[error("could not start the stream's connection thread: {reason}")]
    NoThread {
        /// The system's answer.
        reason: String,
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
            StreamError::RetriesExhausted { .. }
            | StreamError::CrossOriginRedirect { .. }
            | StreamError::TooManyRedirects { .. }
            | StreamError::NoThread { .. } => ExitStatus::Failure,
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
            StreamError::CrossOriginRedirect { location, .. } => Some(format!(
                "the token is only sent to the origin you named; if you trust the new location, use it directly: --url {location}"
            )),
            StreamError::TooManyRedirects { .. } => Some("check the URL: the connector keeps redirecting".into()),
            StreamError::NoThread { .. } => None,
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
    /// The frame's data as the one line reader read it (every field a consumer may need, so
    /// that no consumer reads the data again).
    pub line: LineView<'a, 'a>,
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
    /// The server's last event id cannot be sent in an HTTP header (said once per stream).
    UnsendableEventId {
        /// The id, escaped for printing.
        id: String,
    },
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
            StreamWarning::UnsendableEventId { id } => write!(
                f,
                "the stream's last event id \"{id}\" cannot be sent in an HTTP header; reconnecting without Last-Event-ID"
            ),
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
    /// A connection ended; a reconnect follows after `wait`. `failures` counts failed
    /// attempts in a row; 0 means a healthy connection ended (`reason` says how).
    fn on_reconnect(&mut self, _failures: u32, _wait: Duration, _reason: &str) {}
    /// Every frame that has arrived has been handled and no more input is waiting: the
    /// moment to flush output. Return `Break` to stop.
    fn on_chunk_end(&mut self) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    /// How much of each frame's data the client reads for this handler. With
    /// [`Reach::TopLevel`] the handler promises to use only the top-level fields of a
    /// frame's `line` and `view` (their actions are left unread); the verdict on the data (the
    /// warnings for frames that are not JSON objects) is the same.
    fn reach(&self) -> Reach {
        Reach::Everything
    }
}

/// How the stream ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// The handler asked to stop.
    Stopped,
    /// The server answered `204 No Content`: it asks clients to stop reconnecting.
    NoContent,
}

/// The most redirects followed in a row.
pub const MAX_REDIRECTS: usize = 10;
/// The shortest wait a server may ask for (`retry:`, `Retry-After`).
pub const MIN_SERVER_WAIT: Duration = Duration::from_millis(100);
/// The longest wait a server may ask for.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(3600);

enum Attempt {
    /// The handler asked to stop.
    Stopped,
    /// `204 No Content`.
    NoContent,
    /// The connection delivered at least one frame and then ended; the reason, for the log line.
    Ended(String),
    /// The attempt failed before or while streaming; `retry_after` is the server's
    /// `Retry-After` on a 429 or 503.
    Failed { reason: String, retry_after: Option<Duration> },
}

fn failed(reason: impl Into<String>) -> Attempt {
    Attempt::Failed { reason: reason.into(), retry_after: None }
}

/// Runs the stream until the handler stops it or a fatal error occurs. Cancel it by dropping
/// the future (e.g. in `tokio::select!` with Ctrl-C or a deadline).
///
/// The connection runs on a thread of its own with its own runtime; the frames' JSON is read
/// and the handler called here, on the caller's task, so the two halves of the work share
/// two cores. The handler hears everything in stream order, as if it were one thread.
pub async fn run(config: &StreamConfig, handler: &mut impl StreamHandler) -> Result<StreamEnd, StreamError> {
    let client = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        // Redirects are followed by hand: only within the origin, with the token.
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("autoplay/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|err| StreamError::InvalidUrl { url: config.url.clone(), reason: err.to_string() })?;
    let url = reqwest::Url::parse(&config.url)
        .map_err(|err| StreamError::InvalidUrl { url: config.url.clone(), reason: err.to_string() })?;
    if let Some(token) = &config.token {
        crate::shell::secret::register(token);
    }
    let no_thread = |err: std::io::Error| StreamError::NoThread { reason: err.to_string() };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(no_thread)?;
    let (relay, mut receiver) = handover::channel();
    let connection = Connection { client, url, config: config.clone(), relay };
    let thread = std::thread::Builder::new()
        .name("autoplay-stream".into())
        .spawn(move || connection.run_on(runtime))
        .map_err(no_thread)?;

    let mut spare = Some(LineScratch::new());
    while let Some(message) = receiver.next().await {
        match message {
            Message::Connected { attempt } => handler.on_connected(&config.url, attempt),
            Message::Frames(batch) => {
                let flow = read_batch(&batch, &mut spare, handler);
                receiver.give_back(batch);
                if flow.is_break() {
                    // Dropping the receiver tells the connection to stop.
                    return Ok(StreamEnd::Stopped);
                }
            }
            Message::Reconnect { failures, wait, reason } => handler.on_reconnect(failures, wait, &reason),
            Message::End(result) => return result,
        }
    }
    // The connection's thread went away without saying how the stream ended: it panicked, and
    // the panic goes on here, as it would have on one thread.
    match thread.join() {
        Err(panic) => std::panic::resume_unwind(panic),
        Ok(()) => Ok(StreamEnd::Stopped),
    }
}

/// Reads each frame of a batch and hands it to the handler, in order; `Break` when the
/// handler stops.
fn read_batch(
    batch: &FrameBatch,
    spare: &mut Option<LineScratch<'static>>,
    handler: &mut impl StreamHandler,
) -> ControlFlow<()> {
    let mut scratch = spare.take().unwrap_or_default().recycle();
    let mut flow = ControlFlow::Continue(());
    for entry in batch.entries() {
        flow = match entry {
            Entry::Warning(warning) => {
                handler.on_warning(warning.clone());
                ControlFlow::Continue(())
            }
            Entry::Frame { data, id } => {
                let read = line::read_reaching(data, &mut scratch, handler.reach())
                    .map_err(FrameError::from)
                    .and_then(|line| FrameView::of_line(&line).map(|view| (line, view)));
                match read {
                    Ok((line, view)) => handler.on_frame(DataFrame { data, view, line, id }),
                    Err(FrameError::NotAnObject) => {
                        handler.on_warning(StreamWarning::NotAnObject { snippet: snippet(data) });
                        ControlFlow::Continue(())
                    }
                    Err(FrameError::InvalidJson(error)) => {
                        handler.on_warning(StreamWarning::InvalidJson { snippet: snippet(data), error });
                        ControlFlow::Continue(())
                    }
                }
            }
        };
        if flow.is_break() {
            break;
        }
    }
    if flow.is_continue() && batch.drained() {
        flow = handler.on_chunk_end();
    }
    *spare = Some(scratch.recycle());
    flow
}

/// The connection's half: connecting, decoding SSE and reconnecting, on its own thread.
struct Connection {
    client: reqwest::Client,
    url: reqwest::Url,
    config: StreamConfig,
    relay: Relay,
}

impl Connection {
    fn run_on(mut self, runtime: tokio::runtime::Runtime) {
        runtime.block_on(async move {
            let reader_gone = self.relay.reader_gone();
            let ended = tokio::select! {
                () = reader_gone => None,
                result = connect(&self.client, &self.url, &self.config, &mut self.relay) => Some(result),
            };
            if let Some(result) = ended {
                let _ = self.relay.say(Message::End(result)).await;
            }
        });
    }
}

/// Connects and reconnects until the stream ends for good.
async fn connect(
    client: &reqwest::Client,
    url: &reqwest::Url,
    config: &StreamConfig,
    relay: &mut Relay,
) -> Result<StreamEnd, StreamError> {
    let mut state = State { parser: SseParser::new(), server_retry: None, connections: 0, warned_id: false };
    let mut backoff = config.initial_backoff;
    let mut failures: u32 = 0;
    loop {
        let outcome = attempt(client, url, config, relay, &mut state).await?;
        let (reason, wait) = match outcome {
            Attempt::Stopped => return Ok(StreamEnd::Stopped),
            Attempt::NoContent => return Ok(StreamEnd::NoContent),
            Attempt::Ended(reason) => {
                // A healthy connection resets the schedule, however it ended.
                backoff = config.initial_backoff;
                failures = 0;
                (reason, state.server_retry.unwrap_or(config.initial_backoff))
            }
            Attempt::Failed { reason, retry_after } => {
                failures += 1;
                if let Some(max) = config.max_retries
                    && failures > max
                {
                    return Err(StreamError::RetriesExhausted {
                        attempts: failures,
                        url: config.url.clone(),
                        last_error: reason,
                    });
                }
                let wait = match (retry_after, state.server_retry) {
                    (Some(wait), _) => wait,
                    (None, Some(retry)) if failures <= 1 => retry,
                    _ => backoff,
                };
                backoff = (backoff * 2).min(config.max_backoff);
                (reason, wait)
            }
        };
        let wait = wait + wait.mul_f64(rand::random::<f64>() * 0.1);
        if relay.say(Message::Reconnect { failures, wait, reason: reason.clone() }).await.is_break() {
            return Ok(StreamEnd::Stopped);
        }
        tracing::info!(target: "autoplay::stream::client", %reason, failures, wait_ms = wait.as_millis() as u64, "reconnecting");
        tokio::time::sleep(wait).await;
    }
}

/// What survives from one connection to the next.
struct State {
    parser: SseParser,
    /// The server's `retry:`, clamped.
    server_retry: Option<Duration>,
    /// Healthy responses so far.
    connections: u64,
    /// The unsendable-id warning was given.
    warned_id: bool,
}

/// A server-chosen wait, clamped to 100 ms .. 1 h.
pub(crate) fn clamp_server_wait(wait: Duration) -> Duration {
    wait.clamp(MIN_SERVER_WAIT, MAX_SERVER_WAIT)
}

/// A `Retry-After` value: delay seconds or an HTTP date, clamped; `None` when unreadable.
pub(crate) fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(clamp_server_wait(Duration::from_secs(seconds.min(MAX_SERVER_WAIT.as_secs()))));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = std::time::UNIX_EPOCH + Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    Some(clamp_server_wait(at.duration_since(now).unwrap_or_default()))
}

/// Whether a `Content-Type` value is an event stream: its MIME essence, compared
/// case-insensitively, is `text/event-stream`; parameters are allowed.
pub(crate) fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim_matches([' ', '\t']);
    essence.eq_ignore_ascii_case("text/event-stream")
}

fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme() && a.host_str() == b.host_str() && a.port_or_known_default() == b.port_or_known_default()
}

/// `host:port` of a URL, for messages.
fn authority(url: &reqwest::Url) -> String {
    match (url.host_str(), url.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => url.as_str().to_string(),
    }
}

fn status_text(status: reqwest::StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

/// Sends the request, following same-origin redirects. Returns the final response.
async fn send(
    client: &reqwest::Client,
    url: &reqwest::Url,
    config: &StreamConfig,
    relay: &mut Relay,
    state: &mut State,
) -> Result<Result<reqwest::Response, Attempt>, StreamError> {
    let mut target = url.clone();
    let mut redirects = 0usize;
    loop {
        let mut request = client
            .get(target.clone())
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .header(reqwest::header::CACHE_CONTROL, "no-cache");
        if let Some(token) = &config.token {
            request = request.bearer_auth(token);
        }
        if let Some(id) = state.parser.last_event_id() {
            match reqwest::header::HeaderValue::from_bytes(id.as_bytes()) {
                Ok(value) => request = request.header("Last-Event-ID", value),
                Err(_) => {
                    if !std::mem::replace(&mut state.warned_id, true) {
                        relay.warning(StreamWarning::UnsendableEventId { id: id.escape_debug().to_string() });
                    }
                }
            }
        }
        let request = request
            .build()
            .map_err(|err| StreamError::InvalidUrl { url: config.url.clone(), reason: err.to_string() })?;
        crate::shell::logging::http_request_headers("GET", target.as_str(), request.headers());
        let started = std::time::Instant::now();
        let sent = tokio::time::timeout(config.connect_timeout + config.idle_timeout, client.execute(request)).await;
        let response = match sent {
            Err(_) => {
                let reason = format!("the connector at {} did not answer in time", authority(&target));
                crate::shell::logging::http_failure("GET", target.as_str(), started.elapsed(), &reason);
                return Ok(Err(failed(reason)));
            }
            Ok(Err(err)) => {
                let reason = describe_reqwest_error(&err, &target);
                crate::shell::logging::http_failure("GET", target.as_str(), started.elapsed(), &reason);
                return Ok(Err(failed(reason)));
            }
            Ok(Ok(response)) => response,
        };
        crate::shell::logging::http_response(
            "GET",
            target.as_str(),
            response.status().as_u16(),
            started.elapsed(),
            response.headers(),
        );
        if !response.status().is_redirection() || response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Ok(response));
        }
        let status = response.status();
        let location = response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok());
        let Some(next) = location.and_then(|l| target.join(l).ok()) else {
            return Ok(Err(failed(format!(
                "the connector answered {} without a usable Location",
                status_text(status)
            ))));
        };
        if !same_origin(&target, &next) {
            return Err(StreamError::CrossOriginRedirect {
                url: config.url.clone(),
                location: crate::shell::secret::redact_url(next.as_str()),
            });
        }
        redirects += 1;
        if redirects > MAX_REDIRECTS {
            return Err(StreamError::TooManyRedirects { url: config.url.clone() });
        }
        tracing::debug!(target: "autoplay::http", from = %target, to = %next, "following a same-origin redirect");
        target = next;
    }
}

async fn attempt(
    client: &reqwest::Client,
    url: &reqwest::Url,
    config: &StreamConfig,
    relay: &mut Relay,
    state: &mut State,
) -> Result<Attempt, StreamError> {
    tracing::info!(target: "autoplay::stream::client", url = %config.url, "connecting");
    let response = match send(client, url, config, relay, state).await? {
        Ok(response) => response,
        Err(failure) => return Ok(failure),
    };
    let status = response.status();
    match status.as_u16() {
        401 | 403 => return Err(StreamError::Unauthorized { status: status.as_u16(), url: config.url.clone() }),
        404 => return Err(StreamError::NotFound { url: config.url.clone() }),
        204 => return Ok(Attempt::NoContent),
        _ => {}
    }
    if !status.is_success() {
        let retry_after = matches!(status.as_u16(), 429 | 503)
            .then(|| response.headers().get(reqwest::header::RETRY_AFTER))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        return Ok(Attempt::Failed { reason: format!("the connector answered {}", status_text(status)), retry_after });
    }
    let content_type =
        response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if !is_event_stream(&content_type) {
        return Ok(failed(format!(
            "the connector answered with Content-Type `{}`, expected text/event-stream",
            if content_type.is_empty() { "(none)" } else { &content_type }
        )));
    }
    state.connections += 1;
    tracing::info!(target: "autoplay::stream::client", url = %config.url, "connected");
    if relay.say(Message::Connected { attempt: state.connections }).await.is_break() {
        return Ok(Attempt::Stopped);
    }

    // A fresh parser per connection, keeping only the last event id.
    let last_id = state.parser.last_event_id().map(str::to_string);
    state.parser = SseParser::new();
    state.parser.set_last_event_id(last_id);
    let mut frames: u64 = 0;
    let mut body = response.bytes_stream();
    let host = authority(url);
    // Whether a chunk was handed over in the last turn (every turn but the first: each turn
    // ends with one, and the handler hears "drained" before any wait).
    let mut undrained = false;
    loop {
        // The connection hands the body over in pieces of a few KB, however much one read of
        // the socket brought. The handler hears "drained" (and flushes its output) only when no
        // piece is waiting: after one yield, so that the connection's task can hand over what
        // it already holds. Under a busy stream a flush covers a whole read, not 8 KB; when the
        // network goes quiet it comes at once, before any wait.
        let waiting = if undrained {
            tokio::task::yield_now().await;
            body.next().now_or_never()
        } else {
            None
        };
        if undrained && !matches!(waiting, Some(Some(Ok(_)))) && relay.send_batch(true).await.is_break() {
            return Ok(Attempt::Stopped);
        }
        let next = match waiting {
            Some(item) => Ok(item),
            None => tokio::time::timeout(config.idle_timeout, body.next()).await,
        };
        let chunk = match next {
            Err(_) => {
                let reason = format!("no data for {:.1} s (idle timeout)", config.idle_timeout.as_secs_f64());
                return Ok(if frames > 0 { Attempt::Ended(reason) } else { failed(reason) });
            }
            Ok(None) if frames > 0 => return Ok(Attempt::Ended("the connector closed the stream".into())),
            Ok(None) => return Ok(failed("the connector closed the stream before sending an event or a heartbeat")),
            Ok(Some(Err(err))) => {
                let reason = format!("the connection to {host} broke ({})", innermost(&err));
                return Ok(if frames > 0 { Attempt::Ended(reason) } else { failed(reason) });
            }
            Ok(Some(Ok(chunk))) => chunk,
        };
        let server_retry = &mut state.server_retry;
        // Every item is kept (the reader decides what to do with a frame), so this never breaks.
        let _ = state.parser.feed(&chunk, |item| {
            match item {
                SseItem::Retry(ms) => *server_retry = Some(clamp_server_wait(Duration::from_millis(ms))),
                SseItem::Issue(SseIssue::LineTooLong { bytes }) => relay.warning(StreamWarning::LineTooLong { bytes }),
                SseItem::Issue(SseIssue::InvalidUtf8) => relay.warning(StreamWarning::InvalidUtf8),
                SseItem::Frame(frame) => {
                    frames += 1;
                    if !frame.is_heartbeat() {
                        relay.frame(frame.data, frame.id);
                    }
                }
            }
            ControlFlow::Continue(())
        });
        // A read that brought more than a batch holds goes over in pieces, so the reader
        // starts on it while the rest is decoded.
        if relay.is_full() && relay.send_batch(false).await.is_break() {
            return Ok(Attempt::Stopped);
        }
        undrained = true;
    }
}

/// The first 200 characters, as the SDK logs them.
fn snippet(data: &str) -> String {
    data.chars().take(200).collect()
}

/// What a person needs to hear about a failed request: where and why, not an error chain.
fn describe_reqwest_error(err: &reqwest::Error, url: &reqwest::Url) -> String {
    let host = authority(url);
    if err.is_timeout() {
        return format!("the connector at {host} did not answer in time");
    }
    if err.is_connect() {
        return format!("connector unreachable at {host} ({})", innermost(err));
    }
    format!("the request to {host} failed ({})", innermost(err))
}

/// The innermost cause of an error, in lower case and without the OS error number
/// (`connection refused`, `connection reset by peer`).
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &(dyn std::error::Error + 'static) = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    if let Some(io) = cause.downcast_ref::<std::io::Error>() {
        match io.kind() {
            std::io::ErrorKind::ConnectionRefused => return "connection refused".into(),
            std::io::ErrorKind::ConnectionReset => return "connection reset".into(),
            std::io::ErrorKind::TimedOut => return "timed out".into(),
            std::io::ErrorKind::UnexpectedEof => return "the connection closed mid-response".into(),
            _ => {}
        }
    }
    let mut text = cause.to_string();
    if let Some(at) = text.find(" (os error") {
        text.truncate(at);
    }
    if text.contains("failed to lookup address") || text.contains("Name or service not known") {
        text = "the host name could not be resolved".into();
    }
    if let Some(first) = text.get(..1)
        && !text.get(1..2).is_some_and(|c| c.chars().all(|c| c.is_ascii_uppercase()))
    {
        text = first.to_lowercase() + &text[1..];
    }
    // URLs in reqwest errors never carry the token (it is a header), but redact anyway.
    crate::shell::secret::redact(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_are_compared_by_mime_essence() {
        for good in
            ["text/event-stream", "Text/Event-Stream; charset=utf-8", " text/event-stream ;x=y", "TEXT/EVENT-STREAM"]
        {
            assert!(is_event_stream(good), "{good}");
        }
        for bad in
            ["text/event-streamx", "text/plain", "", "application/json; text/event-stream", "text/event-stream-x;"]
        {
            assert!(!is_event_stream(bad), "{bad}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_clamped() {
        let now = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("0", now), Some(MIN_SERVER_WAIT));
        assert_eq!(parse_retry_after("99999999999999999999", now), Some(MAX_SERVER_WAIT));
        // 1_700_000_030 is Tue, 14 Nov 2023 22:13:50 GMT.
        assert_eq!(parse_retry_after("Tue, 14 Nov 2023 22:13:50 GMT", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after("Tue, 14 Nov 2000 22:13:50 GMT", now), Some(MIN_SERVER_WAIT));
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }

    /// One response on 127.0.0.1: the head, then `body`; the connection stays open until the
    /// client closes it. The returned receiver hears once the client has hung up.
    fn one_stream(body: &'static str) -> (String, std::sync::mpsc::Receiver<()>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}/stream/demo", listener.local_addr().expect("address"));
        let (closed, hung_up) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().expect("the client connects");
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && socket.read(&mut byte).expect("request") == 1 {
                head.push(byte[0]);
            }
            let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n{body}");
            socket.write_all(reply.as_bytes()).expect("reply");
            // Nothing more is sent: a read ends only when the client closes its side.
            let mut rest = [0u8; 64];
            while matches!(socket.read(&mut rest), Ok(n) if n > 0) {}
            let _ = closed.send(());
        });
        (url, hung_up)
    }

    /// Writes down what it hears, and stops after `stop_after` frames.
    struct Journal {
        heard: Vec<String>,
        stop_after: usize,
    }

    impl StreamHandler for Journal {
        fn on_connected(&mut self, _url: &str, attempt: u64) {
            self.heard.push(format!("connected {attempt}"));
        }
        fn on_frame(&mut self, frame: DataFrame<'_>) -> ControlFlow<()> {
            self.heard.push(format!("frame {} {}", frame.id.unwrap_or("-"), frame.view.session_id.unwrap_or_default()));
            let frames = self.heard.iter().filter(|h| h.starts_with("frame")).count();
            if frames >= self.stop_after { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        }
        fn on_warning(&mut self, warning: StreamWarning) {
            self.heard.push(match warning {
                StreamWarning::InvalidJson { .. } => "warning invalid json".into(),
                other => format!("warning {other}"),
            });
        }
        fn on_chunk_end(&mut self) -> ControlFlow<()> {
            if self.heard.last().is_none_or(|last| last != "drained") {
                self.heard.push("drained".into());
            }
            ControlFlow::Continue(())
        }
    }

    #[tokio::test]
    async fn the_handler_hears_the_stream_in_order_and_a_stop_closes_the_connection() {
        let (url, hung_up) = one_stream(
            "id: 1\ndata: {\"session_id\":\"s1\"}\n\ndata: not json\n\n: heartbeat\n\n\
             id: 2\ndata: {\"session_id\":\"s2\"}\n\nid: 3\ndata: {\"session_id\":\"s3\"}\n\n",
        );
        let mut journal = Journal { heard: Vec::new(), stop_after: 2 };
        let config = StreamConfig::new(url);
        let end = tokio::time::timeout(Duration::from_secs(20), run(&config, &mut journal)).await;
        assert!(matches!(end, Ok(Ok(StreamEnd::Stopped))), "{end:?}");
        // However the body's bytes were split by the network ("drained" falls between reads).
        journal.heard.retain(|heard| heard != "drained");
        assert_eq!(journal.heard, ["connected 1", "frame 1 s1", "warning invalid json", "frame 2 s2"]);
        // The connection's thread hangs up once the reader has stopped.
        assert_eq!(hung_up.recv_timeout(Duration::from_secs(10)), Ok(()));
    }

    #[tokio::test]
    async fn a_quiet_stream_is_drained_and_dropping_the_future_closes_the_connection() {
        let (url, hung_up) = one_stream("id: 1\ndata: {\"session_id\":\"s1\"}\n\n");
        let mut journal = Journal { heard: Vec::new(), stop_after: usize::MAX };
        let config = StreamConfig::new(url);
        let end = tokio::time::timeout(Duration::from_millis(1500), run(&config, &mut journal)).await;
        assert!(end.is_err(), "the stream is open until the deadline: {end:?}");
        // The frame was handed over and the reader heard "drained" without waiting for more.
        assert_eq!(journal.heard, ["connected 1", "frame 1 s1", "drained"]);
        assert_eq!(hung_up.recv_timeout(Duration::from_secs(10)), Ok(()));
    }

    #[test]
    fn server_waits_are_clamped() {
        assert_eq!(clamp_server_wait(Duration::ZERO), MIN_SERVER_WAIT);
        assert_eq!(clamp_server_wait(Duration::from_secs(7200)), MAX_SERVER_WAIT);
        assert_eq!(clamp_server_wait(Duration::from_secs(2)), Duration::from_secs(2));
    }
}
