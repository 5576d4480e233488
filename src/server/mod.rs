/*!
A local connector: the same HTTP surface as the real event connector, for development, demos
and our own tests.

- `GET /stream/{product_id}`: `text/event-stream` with `id:` lines and `event: heartbeat`
  frames, Bearer key checked (401 without a valid key, 404 for an unknown product).
- `POST /products`: the registration API ([`registry`]).
- `POST /webhook/{product_id}` (`X-PostHog-Secret`, plain or `sha256=<hex HMAC>`) and
  `POST /ingest/{product_id}` (Bearer ingest secret): PostHog events, turned into `actions`
  frames on the product's stream by [`crate::posthog`].
- `GET /users/{product_id}/{user_id}/live-activity?limit=N` (Bearer key): the user's recent
  actions from the live feed, oldest first.
- `GET /health`.

Events come from a recording replayed to each connection (from its start, or after the
`Last-Event-ID` the client sends) and from the live feed every subscriber of a product
shares: synthetic traffic (for every product known at the moment, registered ones included)
and the events posted to the inbound routes. Each request can be reported to a
[`RequestLog`] once answered.
Fault injection (`fail_status`, `drop_after`, `stall_after`) lets tests exercise the client's
reconnect logic.
*/

pub(crate) mod feed;
pub(crate) mod registry;
pub(crate) mod synthetic;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};
use tokio::sync::{broadcast, mpsc};

pub(crate) use feed::{Source, Speed, load_recording, replay_events};
use registry::{Access, Registry};

/// Injected faults.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Faults {
    /// Answer every stream request with this status.
    pub(crate) fail_status: Option<u16>,
    /// Close each connection after this many events.
    pub(crate) drop_after: Option<u64>,
    /// Go silent (no events, no heartbeats) after this many events.
    pub(crate) stall_after: Option<u64>,
}

/// Everything the server needs to run.
#[derive(Debug, Clone)]
pub(crate) struct ServeConfig {
    pub(crate) products: Vec<String>,
    pub(crate) keys: Vec<String>,
    pub(crate) heartbeat: Duration,
    pub(crate) source: Source,
    /// Send every event to every product's stream.
    pub(crate) any_product: bool,
    pub(crate) faults: Faults,
    /// A `retry:` (milliseconds) sent at the start of each stream.
    pub(crate) retry_ms: Option<u64>,
    /// Hears about every answered request.
    pub(crate) request_log: Option<RequestLog>,
    /// Registrations kept across restarts.
    pub(crate) keep: Option<Keep>,
}

/// Registrations kept across restarts: what to start from ([`Registry::registrations`]'s
/// JSON) and where each new registration goes.
#[derive(Clone)]
pub(crate) struct Keep {
    pub(crate) saved: Option<Value>,
    pub(crate) save: Arc<dyn Fn(&Value) + Send + Sync>,
}

impl std::fmt::Debug for Keep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keep")
    }
}

/// One answered request, for the request log (never a header or a body, so no secret).
#[derive(Debug, Clone)]
pub(crate) struct RequestRecord {
    pub(crate) method: String,
    /// The path without the query.
    pub(crate) path: String,
    /// The product the request was about, when it names one.
    pub(crate) product: Option<String>,
    pub(crate) status: u16,
    /// Open streams of that product after the request.
    pub(crate) subscribers: Option<usize>,
    /// Until the response head (a stream goes on after it).
    pub(crate) duration: Duration,
}

/// A callback that receives each [`RequestRecord`].
#[derive(Clone)]
pub(crate) struct RequestLog(pub(crate) Arc<dyn Fn(&RequestRecord) + Send + Sync>);

impl std::fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RequestLog")
    }
}

/// The most recent actions kept per user for `live-activity`.
const ACTIVITY_PER_USER: usize = 500;

/// What every request shares: products and keys, the live feed, what users did, who listens.
pub(crate) struct Hub {
    registry: Mutex<Registry>,
    live: broadcast::Sender<Arc<feed::LiveEvent>>,
    next_id: AtomicU64,
    /// (product, user) → recent actions, oldest first.
    activity: Mutex<HashMap<(String, String), VecDeque<Value>>>,
    /// (product, session) → the index the session's next action gets.
    action_index: Mutex<HashMap<(String, String), i64>>,
    /// product → open streams.
    subscribers: Mutex<HashMap<String, usize>>,
}

impl Hub {
    /// Every product the server knows now.
    pub(crate) fn product_ids(&self) -> Vec<String> {
        self.registry.lock().map(|r| r.product_ids()).unwrap_or_default()
    }

    /// Sends a frame to the live subscribers of its product and remembers its actions.
    pub(crate) fn publish(&self, product_id: &str, data: Map<String, Value>) {
        if data.get("type").and_then(Value::as_str) == Some("actions")
            && let Ok(mut activity) = self.activity.lock()
        {
            let batch_user = data.get("user_id").and_then(Value::as_str);
            for action in data.get("actions").and_then(Value::as_array).into_iter().flatten() {
                let user = action.get("user_id").and_then(Value::as_str).or(batch_user);
                if let Some(user) = user.filter(|u| !u.is_empty()) {
                    let actions = activity.entry((product_id.to_string(), user.to_string())).or_default();
                    if actions.len() == ACTIVITY_PER_USER {
                        actions.pop_front();
                    }
                    actions.push_back(action.clone());
                }
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let event = feed::LiveEvent { id, product_id: product_id.to_string(), data: Value::Object(data).to_string() };
        // No subscribers is fine: the feed is live, events are not kept.
        let _ = self.live.send(Arc::new(event));
    }

    /// The index of a session's next action (each session counts from 0).
    fn next_action_index(&self, product_id: &str, session_id: Option<&str>) -> i64 {
        let Ok(mut indexes) = self.action_index.lock() else { return 0 };
        let next = indexes.entry((product_id.to_string(), session_id.unwrap_or("").to_string())).or_insert(0);
        *next += 1;
        *next - 1
    }

    fn subscribe(self: &Arc<Self>, product_id: &str) -> (usize, Subscription) {
        let count = match self.subscribers.lock() {
            Ok(mut subscribers) => {
                let count = subscribers.entry(product_id.to_string()).or_insert(0);
                *count += 1;
                *count
            }
            Err(_) => 0,
        };
        (count, Subscription { hub: self.clone(), product_id: product_id.to_string() })
    }

    fn subscriber_count(&self, product_id: &str) -> usize {
        self.subscribers.lock().ok().and_then(|s| s.get(product_id).copied()).unwrap_or(0)
    }
}

/// An open stream; counted until dropped.
struct Subscription {
    hub: Arc<Hub>,
    product_id: String,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Ok(mut subscribers) = self.hub.subscribers.lock()
            && let Some(count) = subscribers.get_mut(&self.product_id)
        {
            *count = count.saturating_sub(1);
        }
    }
}

struct AppState {
    hub: Arc<Hub>,
    config: ServeConfig,
}

/// What a handler tells the request log (a response extension).
#[derive(Debug, Clone)]
struct LogNote {
    product: Option<String>,
    subscribers: Option<usize>,
}

/// A bound server, ready to run.
pub(crate) struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
}

/// What one client may take from the server.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// A request head (request line and headers) must arrive within this time of the
    /// connection opening, or the connection is closed (slowloris).
    pub(crate) header_timeout: Duration,
    /// Connections open at once; one more is answered `503 Service Unavailable` and closed.
    pub(crate) max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { header_timeout: Duration::from_secs(10), max_connections: 1024 }
    }
}

impl Server {
    /// Binds the address and prepares the routes. The synthetic feed, if any, starts here.
    pub(crate) async fn bind(address: &str, port: u16, config: ServeConfig) -> anyhow::Result<Server> {
        use anyhow::Context;
        let listener = tokio::net::TcpListener::bind((address, port))
            .await
            .with_context(|| format!("could not listen on {address}:{port}"))?;
        let registry = initial_registry(&config);
        let (live, _) = broadcast::channel(1024);
        let hub = Arc::new(Hub {
            registry: Mutex::new(registry),
            live,
            next_id: AtomicU64::new(0),
            activity: Mutex::new(HashMap::new()),
            action_index: Mutex::new(HashMap::new()),
            subscribers: Mutex::new(HashMap::new()),
        });
        if let Source::Synthetic(options) = &config.source {
            feed::start_synthetic(options.clone(), hub.clone());
        }
        let state = Arc::new(AppState { hub, config });
        let router = Router::new()
            .route("/stream/{product_id}", get(stream))
            .route("/products", post(register))
            .route("/webhook/{product_id}", post(webhook))
            .route("/ingest/{product_id}", post(ingest))
            .route("/users/{product_id}/{user_id}/live-activity", get(live_activity))
            .route("/health", get(health))
            .layer(axum::middleware::from_fn_with_state(state.clone(), log_request))
            .with_state(state);
        Ok(Server { listener, router, limits: Limits::default() })
    }

    /// Replaces the default [`Limits`].
    pub(crate) fn with_limits(mut self, limits: Limits) -> Server {
        self.limits = limits;
        self
    }

    pub(crate) fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the future is dropped.
    pub(crate) async fn run(self) -> std::io::Result<()> {
        let limits = self.limits;
        let listener = guard::Guarded {
            listener: self.listener,
            permits: Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1))),
            header_timeout: limits.header_timeout,
        };
        axum::serve(listener, self.router).await
    }
}

/// The listener behind [`Server::run`]: a connection cap and a deadline for request heads.
mod guard {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
    use tokio::net::{TcpListener, TcpStream};
    use tokio::sync::{OwnedSemaphorePermit, Semaphore};

    const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\nContent-Length: 44\r\nConnection: close\r\n\r\n{\"detail\":\"too many connections, try again\"}";

    pub(super) struct Guarded {
        pub(super) listener: TcpListener,
        pub(super) permits: Arc<Semaphore>,
        pub(super) header_timeout: Duration,
    }

    impl axum::serve::Listener for Guarded {
        type Io = GuardedStream;
        type Addr = std::net::SocketAddr;

        async fn accept(&mut self) -> (Self::Io, Self::Addr) {
            loop {
                let (mut stream, address) = match self.listener.accept().await {
                    Ok(accepted) => accepted,
                    Err(err) => {
                        tracing::debug!(target: "autoplay::server", %err, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                match self.permits.clone().try_acquire_owned() {
                    Ok(permit) => {
                        let deadline = Box::pin(tokio::time::sleep(self.header_timeout));
                        return (
                            GuardedStream { inner: stream, _permit: permit, deadline, matched: 0, head_done: false },
                            address,
                        );
                    }
                    Err(_) => {
                        tokio::spawn(async move {
                            let _ = tokio::time::timeout(Duration::from_secs(2), async {
                                let _ = stream.write_all(BUSY).await;
                                let _ = stream.shutdown().await;
                            })
                            .await;
                        });
                    }
                }
            }
        }

        fn local_addr(&self) -> std::io::Result<Self::Addr> {
            self.listener.local_addr()
        }
    }

    /// A connection that holds one permit and fails its reads once the first request head
    /// has taken longer than the deadline.
    pub(super) struct GuardedStream {
        inner: TcpStream,
        _permit: OwnedSemaphorePermit,
        deadline: Pin<Box<tokio::time::Sleep>>,
        /// How much of `\r\n\r\n` the bytes so far end with.
        matched: usize,
        head_done: bool,
    }

    impl AsyncRead for GuardedStream {
        fn poll_read(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let this = &mut *self;
            if !this.head_done && this.deadline.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "the request head took too long",
                )));
            }
            let before = buf.filled().len();
            let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
            if !this.head_done {
                for &byte in &buf.filled()[before..] {
                    this.matched = match (this.matched, byte) {
                        (0 | 2, b'\r') => this.matched + 1,
                        (1 | 3, b'\n') => this.matched + 1,
                        (_, b'\r') => 1,
                        _ => 0,
                    };
                    if this.matched == 4 {
                        this.head_done = true;
                        break;
                    }
                }
            }
            polled
        }
    }

    impl AsyncWrite for GuardedStream {
        fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
            Pin::new(&mut self.inner).poll_write(cx, data)
        }

        fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.inner).poll_flush(cx)
        }

        fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Pin::new(&mut self.inner).poll_shutdown(cx)
        }

        fn poll_write_vectored(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            bufs: &[std::io::IoSlice<'_>],
        ) -> Poll<std::io::Result<usize>> {
            Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
        }

        fn is_write_vectored(&self) -> bool {
            self.inner.is_write_vectored()
        }
    }
}

/// The products a server config will serve (configured, kept from an earlier run, and those
/// named in the recording).
pub(crate) fn served_products(config: &ServeConfig) -> Vec<String> {
    initial_registry(config).product_ids()
}

/// The registry a server starts with: its keys, the kept registrations, `--product` products
/// and every product a recording names.
fn initial_registry(config: &ServeConfig) -> Registry {
    let mut registry = Registry::new(config.keys.iter().cloned());
    if let Some(saved) = config.keep.as_ref().and_then(|k| k.saved.as_ref()) {
        registry.restore(saved);
    }
    for product in &config.products {
        registry.ensure_product(product);
    }
    if let Source::Replay { events, .. } = &config.source {
        for event in events.iter().filter(|e| !e.product_id.is_empty()) {
            registry.ensure_product(&event.product_id);
        }
    }
    registry
}

async fn health() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

fn json_error(status: StatusCode, detail: &str) -> Response {
    (status, axum::Json(json!({ "detail": detail }))).into_response()
}

async fn register(State(state): State<Arc<AppState>>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "request body is not valid JSON");
    };
    let (reply, registrations) = match state.hub.registry.lock() {
        Ok(mut registry) => {
            let reply = registry.register(&value);
            let registrations = (reply.status == 201 && state.config.keep.is_some()).then(|| registry.registrations());
            (reply, registrations)
        }
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "registry unavailable"),
    };
    if let (Some(keep), Some(registrations)) = (&state.config.keep, registrations) {
        (keep.save)(&registrations);
    }
    let mut reply = reply;
    // The setup URLs are absolute on the real connector: on this server's own address.
    if let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok())
        && let Some(setup) = reply.body.get_mut("setup").and_then(Value::as_object_mut)
        && let Some(Value::String(ingest)) = setup.get_mut("ingest_url")
        && ingest.starts_with('/')
    {
        *ingest = format!("http://{host}{ingest}");
    }
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let product = reply.body.get("product_id").and_then(Value::as_str).map(str::to_string);
    noted((status, axum::Json(reply.body)).into_response(), product, None)
}

fn noted(mut response: Response, product: Option<String>, subscribers: Option<usize>) -> Response {
    response.extensions_mut().insert(LogNote { product, subscribers });
    response
}

/// Reports each request to the request log once its response head is ready.
async fn log_request(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(log) = state.config.request_log.clone() else {
        return next.run(request).await;
    };
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let note = response.extensions().get::<LogNote>().cloned();
    let product = note.as_ref().and_then(|n| n.product.clone()).or_else(|| product_in_path(&path));
    let subscribers =
        note.and_then(|n| n.subscribers).or_else(|| product.as_deref().map(|p| state.hub.subscriber_count(p)));
    let record = RequestRecord {
        method,
        path,
        product,
        status: response.status().as_u16(),
        subscribers,
        duration: started.elapsed(),
    };
    (log.0)(&record);
    response
}

/// The product a route's path names (`/stream/{p}`, `/webhook/{p}`, `/ingest/{p}`, `/users/{p}/…`).
fn product_in_path(path: &str) -> Option<String> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("stream" | "webhook" | "ingest" | "users"), Some(product)) if !product.is_empty() => {
            Some(product.to_string())
        }
        _ => None,
    }
}

/// `POST /webhook/{product_id}`: PostHog's webhook destination, `X-PostHog-Secret` checked.
async fn webhook(
    State(state): State<Arc<AppState>>,
    Path(product_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let header = headers.get("x-posthog-secret").and_then(|v| v.to_str().ok()).unwrap_or("");
    inbound(&state, &product_id, false, |secret| crate::posthog::secret_matches(secret, header, &body), &body)
}

/// `POST /ingest/{product_id}`: the provider API's ingest route, Bearer ingest secret checked.
async fn ingest(
    State(state): State<Arc<AppState>>,
    Path(product_id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let token = bearer(&headers).unwrap_or_default();
    inbound(
        &state,
        &product_id,
        true,
        |secret| crate::posthog::constant_time_eq(secret.as_bytes(), token.as_bytes()),
        &body,
    )
}

/// Checks an inbound request's secret, maps its events and publishes the frames.
fn inbound(state: &AppState, product_id: &str, ingest: bool, proves: impl Fn(&str) -> bool, body: &[u8]) -> Response {
    let secrets = match state.hub.registry.lock() {
        Ok(registry) => registry.inbound_secrets(product_id, ingest),
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "registry unavailable"),
    };
    let Some(secrets) = secrets else {
        return json_error(StatusCode::NOT_FOUND, "Product not registered");
    };
    if !secrets.iter().any(|secret| proves(secret)) {
        let detail = if ingest { "Missing or invalid ingest secret" } else { "Invalid X-PostHog-Secret" };
        return json_error(StatusCode::UNAUTHORIZED, detail);
    }
    let hub = &state.hub;
    let mapped = match crate::posthog::map_body(product_id, body, feed::unix_now(), |session| {
        hub.next_action_index(product_id, session)
    }) {
        Ok(mapped) => mapped,
        Err(err) => return json_error(StatusCode::BAD_REQUEST, &err.to_string()),
    };
    let frames = mapped.frames.len();
    let actions: usize =
        mapped.frames.iter().filter_map(|f| f.get("count").and_then(Value::as_u64)).sum::<u64>() as usize;
    for frame in mapped.frames {
        hub.publish(product_id, frame);
    }
    let subscribers = hub.subscriber_count(product_id);
    let body = json!({ "status": "ok", "frames": frames, "actions": actions, "skipped": mapped.skipped, "subscribers": subscribers });
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// `?limit=N` of `live-activity`.
#[derive(Debug, serde::Deserialize)]
struct ActivityQuery {
    limit: Option<String>,
}

/// `GET /users/{product_id}/{user_id}/live-activity?limit=N`: the user's last N actions,
/// oldest first (default 20, at most 500).
async fn live_activity(
    State(state): State<Arc<AppState>>,
    Path((product_id, user_id)): Path<(String, String)>,
    Query(query): Query<ActivityQuery>,
    headers: HeaderMap,
) -> Response {
    if let Some(refused) = refusal(&state, &product_id, &headers) {
        return refused;
    }
    let limit = match query.limit.as_deref().map(str::trim) {
        None | Some("") => 20,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=ACTIVITY_PER_USER).contains(&n) => n,
            _ => {
                return json_error(
                    StatusCode::BAD_REQUEST,
                    &format!("limit must be a whole number from 1 to {ACTIVITY_PER_USER}, got '{text}'"),
                );
            }
        },
    };
    let actions: Vec<Value> = match state.hub.activity.lock() {
        Ok(activity) => activity
            .get(&(product_id.clone(), user_id.clone()))
            .map(|all| all.iter().skip(all.len().saturating_sub(limit)).cloned().collect())
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let count = actions.len();
    (
        StatusCode::OK,
        axum::Json(json!({ "product_id": product_id, "user_id": user_id, "actions": actions, "count": count })),
    )
        .into_response()
}

/// Checks the request's Bearer key for a product; the answer when it is refused: 401 for a
/// missing or wrong key, 404 for an unknown product (told only to a caller with a known key).
fn refusal(state: &AppState, product_id: &str, headers: &HeaderMap) -> Option<Response> {
    let access = match state.hub.registry.lock() {
        Ok(registry) => registry.check(product_id, bearer(headers).as_deref()),
        Err(_) => return Some(json_error(StatusCode::INTERNAL_SERVER_ERROR, "registry unavailable")),
    };
    match access {
        Access::Granted => None,
        Access::Unauthorized => Some(json_error(StatusCode::UNAUTHORIZED, "Missing or invalid Bearer token")),
        Access::UnknownProduct => Some(json_error(StatusCode::NOT_FOUND, "Product not registered")),
    }
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer "))?.trim();
    (!token.is_empty()).then(|| token.to_string())
}

async fn stream(State(state): State<Arc<AppState>>, Path(product_id): Path<String>, headers: HeaderMap) -> Response {
    if let Some(code) = state.config.faults.fail_status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return json_error(status, "injected failure (serve --fail-status)");
    }
    if let Some(refused) = refusal(&state, &product_id, &headers) {
        return refused;
    }
    let last_event_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let feed = match &state.config.source {
        Source::Replay { events, speed, repeat } => {
            feed::Feed::replay(events.clone(), &product_id, state.config.any_product, *speed, *repeat, last_event_id)
        }
        Source::Synthetic(_) | Source::Idle => feed::Feed::idle(),
    };
    let live = feed::LiveShare { receiver: state.hub.live.subscribe(), product_id: product_id.clone() };
    let (subscribers, subscription) = state.hub.subscribe(&product_id);
    // The connector keeps a queue of 256 items per subscriber.
    let (sender, receiver) = mpsc::channel::<bytes::Bytes>(256);
    let settings = feed::ConnectionSettings {
        heartbeat: state.config.heartbeat,
        faults: state.config.faults,
        retry_ms: state.config.retry_ms,
    };
    tokio::spawn(async move {
        feed::pump(feed, live, settings, sender).await;
        drop(subscription);
    });
    let body = Body::from_stream(futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), receiver))
    }));
    let response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "could not build the response"));
    noted(response, Some(product_id), Some(subscribers))
}
