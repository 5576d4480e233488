/*!
A local connector: the same HTTP surface as the real event connector, for development, demos
and our own tests.

- `GET /stream/{product_id}`: `text/event-stream` with `id:` lines and `event: heartbeat`
  frames, Bearer key checked (401 without a valid key, 404 for an unknown product).
- `POST /products`: the registration API ([`registry`]).
- `GET /health`.

Events come from a recording replayed to each connection (from its start, or after the
`Last-Event-ID` the client sends) or from a live synthetic feed every subscriber shares.
Fault injection (`fail_status`, `drop_after`, `stall_after`) lets tests exercise the client's
reconnect logic.
*/

pub(crate) mod feed;
pub(crate) mod registry;
pub(crate) mod synthetic;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::sync::mpsc;

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
}

struct AppState {
    registry: Mutex<Registry>,
    config: ServeConfig,
    live: Option<tokio::sync::broadcast::Sender<Arc<feed::LiveEvent>>>,
}

/// A bound server, ready to run.
pub(crate) struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl Server {
    /// Binds the address and prepares the routes. The synthetic feed, if any, starts here.
    pub(crate) async fn bind(address: &str, port: u16, config: ServeConfig) -> anyhow::Result<Server> {
        use anyhow::Context;
        let listener = tokio::net::TcpListener::bind((address, port))
            .await
            .with_context(|| format!("could not listen on {address}:{port}"))?;
        let mut registry = Registry::new(config.keys.iter().cloned());
        for product in &config.products {
            registry.ensure_product(product);
        }
        if let Source::Replay { events, .. } = &config.source {
            for event in events.iter() {
                if !event.product_id.is_empty() {
                    registry.ensure_product(&event.product_id);
                }
            }
        }
        let live = match &config.source {
            Source::Synthetic(options) => Some(feed::start_synthetic(options.clone(), config.products.clone())),
            _ => None,
        };
        let state = Arc::new(AppState { registry: Mutex::new(registry), config, live });
        let router = Router::new()
            .route("/stream/{product_id}", get(stream))
            .route("/products", post(register))
            .route("/health", get(health))
            .with_state(state);
        Ok(Server { listener, router })
    }

    pub(crate) fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the future is dropped.
    pub(crate) async fn run(self) -> std::io::Result<()> {
        axum::serve(self.listener, self.router).await
    }
}

/// The products a server config will serve (configured plus those named in the recording).
pub(crate) fn served_products(config: &ServeConfig) -> Vec<String> {
    let mut registry = Registry::new([]);
    for product in &config.products {
        registry.ensure_product(product);
    }
    if let Source::Replay { events, .. } = &config.source {
        for event in events.iter().filter(|e| !e.product_id.is_empty()) {
            registry.ensure_product(&event.product_id);
        }
    }
    registry.product_ids()
}

async fn health() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

fn json_error(status: StatusCode, detail: &str) -> Response {
    (status, axum::Json(json!({ "detail": detail }))).into_response()
}

async fn register(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Response {
    let Ok(value) = serde_json::from_slice::<Value>(&body) else {
        return json_error(StatusCode::BAD_REQUEST, "request body is not valid JSON");
    };
    let reply = match state.registry.lock() {
        Ok(mut registry) => registry.register(&value),
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "registry unavailable"),
    };
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(reply.body)).into_response()
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
    let access = match state.registry.lock() {
        Ok(registry) => registry.check(&product_id, bearer(&headers).as_deref()),
        Err(_) => return json_error(StatusCode::INTERNAL_SERVER_ERROR, "registry unavailable"),
    };
    match access {
        Access::Granted => {}
        Access::Unauthorized => return json_error(StatusCode::UNAUTHORIZED, "Missing or invalid Bearer token"),
        Access::UnknownProduct => return json_error(StatusCode::NOT_FOUND, "Product not registered"),
    }
    let last_event_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    let feed = match &state.config.source {
        Source::Replay { events, speed, repeat } => {
            feed::Feed::replay(events.clone(), &product_id, state.config.any_product, *speed, *repeat, last_event_id)
        }
        Source::Synthetic(_) => match &state.live {
            Some(live) => feed::Feed::live(live.subscribe(), &product_id, state.config.any_product),
            None => feed::Feed::idle(),
        },
        Source::Idle => feed::Feed::idle(),
    };
    // The connector keeps a queue of 256 items per subscriber.
    let (sender, receiver) = mpsc::channel::<bytes::Bytes>(256);
    let settings = feed::ConnectionSettings {
        heartbeat: state.config.heartbeat,
        faults: state.config.faults,
        retry_ms: state.config.retry_ms,
    };
    tokio::spawn(feed::pump(feed, settings, sender));
    let body = Body::from_stream(futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), receiver))
    }));
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "could not build the response"))
}
