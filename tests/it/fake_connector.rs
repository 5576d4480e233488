//! A scripted connector for the onboarding tests: `POST /products` answers with the next
//! canned response (the last one repeats) and records every request's headers and body.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// One canned answer.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: String,
    pub delay: Duration,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub(crate) fn json(status: u16, body: serde_json::Value) -> Reply {
        Reply { status, body: body.to_string(), delay: Duration::ZERO, headers: Vec::new() }
    }

    pub(crate) fn text(status: u16, body: &str) -> Reply {
        Reply { status, body: body.to_string(), delay: Duration::ZERO, headers: Vec::new() }
    }

    /// A redirect to `location`.
    pub(crate) fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            body: String::new(),
            delay: Duration::ZERO,
            headers: vec![("location".into(), location.into())],
        }
    }

    pub(crate) fn slow(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// A request the fake connector received.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub headers: HeaderMap,
    pub body: serde_json::Value,
}

#[derive(Clone)]
struct Shared {
    replies: Arc<Vec<Reply>>,
    received: Arc<Mutex<Vec<Received>>>,
}

/// The running fake; it lives until the test process ends.
pub(crate) struct FakeConnector {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeConnector {
    pub(crate) fn start(replies: Vec<Reply>) -> FakeConnector {
        assert!(!replies.is_empty());
        let received = Arc::new(Mutex::new(Vec::new()));
        let shared = Shared { replies: Arc::new(replies), received: received.clone() };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                tx.send(listener.local_addr().expect("address")).expect("report address");
                let app = axum::Router::new().route("/products", post(register)).with_state(shared);
                axum::serve(listener, app).await.expect("serve");
            });
        });
        let address = rx.recv().expect("fake connector started");
        FakeConnector { url: format!("http://{address}"), received }
    }

    /// Every request so far.
    pub(crate) fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn register(State(shared): State<Shared>, headers: HeaderMap, body: String) -> axum::response::Response {
    use axum::response::IntoResponse;
    let index = {
        let mut received = shared.received.lock().unwrap();
        let body = serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body));
        received.push(Received { headers, body });
        received.len() - 1
    };
    let reply = shared.replies[index.min(shared.replies.len() - 1)].clone();
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = (StatusCode::from_u16(reply.status).expect("valid status"), reply.body).into_response();
    for (name, value) in &reply.headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            axum::http::HeaderValue::from_str(value).expect("header value"),
        );
    }
    response
}

/// An address nothing listens on.
pub(crate) fn dead_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}
