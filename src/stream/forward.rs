/*!
Forwarding events to a local webhook the way the connector's push mode does:
one POST per event, `Content-Type: application/json`, and
`X-Connector-Signature: sha256=<lowercase hex HMAC-SHA256(secret, body)>`.

The stream must never wait on the webhook: events go through a bounded queue; when it is
full the event is dropped and counted. A failed delivery (non-2xx or unreachable) is retried
with backoff, then counted as failed.
*/

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::mpsc;

/// Deliveries tried per event (the first try and the retries).
const ATTEMPTS: u32 = 4;
/// Events waiting for delivery before new ones are dropped.
pub(crate) const QUEUE: usize = 1024;

/// `sha256=<hex>` of the body under the secret.
pub(crate) fn signature(secret: &str, body: &[u8]) -> String {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Delivery counters.
#[derive(Debug, Default)]
pub(crate) struct ForwardStats {
    /// Events taken into the queue.
    pub(crate) queued: AtomicU64,
    pub(crate) delivered: AtomicU64,
    /// Every try failed.
    pub(crate) failed: AtomicU64,
    /// Refused because the queue was full.
    pub(crate) dropped: AtomicU64,
    /// Still queued or being delivered when [`Forwarder::finish`] gave up waiting.
    pub(crate) unsent: AtomicU64,
}

impl ForwardStats {
    /// Every event offered that did not reach the webhook: failed, dropped or unsent.
    pub(crate) fn undelivered(&self) -> u64 {
        self.failed.load(Ordering::Relaxed) + self.dropped.load(Ordering::Relaxed) + self.unsent.load(Ordering::Relaxed)
    }
}

/// What happened to one delivery that did not succeed at once.
#[derive(Debug, Clone)]
pub(crate) enum ForwardNotice {
    /// A try failed; another follows.
    Retrying { attempt: u32, reason: String },
    /// Every try failed; the event is given up.
    GaveUp { reason: String },
}

/// The sending side of a forwarder.
pub(crate) struct Forwarder {
    sender: Option<mpsc::Sender<String>>,
    pub(crate) stats: Arc<ForwardStats>,
    worker: tokio::task::JoinHandle<()>,
}

impl Forwarder {
    /// Starts the delivery task. `notify` hears about retries and failures.
    pub(crate) fn spawn(
        url: String,
        secret: Option<String>,
        notify: impl Fn(ForwardNotice) + Send + 'static,
    ) -> anyhow::Result<Forwarder> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("autoplay/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let (sender, mut receiver) = mpsc::channel::<String>(QUEUE);
        let stats = Arc::new(ForwardStats::default());
        let worker_stats = stats.clone();
        let worker = tokio::spawn(async move {
            while let Some(body) = receiver.recv().await {
                let mut backoff = Duration::from_millis(250);
                for attempt in 1..=ATTEMPTS {
                    let mut request =
                        client.post(&url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
                    if let Some(secret) = secret.as_deref().filter(|s| !s.is_empty()) {
                        request = request.header("X-Connector-Signature", signature(secret, body.as_bytes()));
                    }
                    crate::shell::logging::http_request("POST", &url);
                    let started = std::time::Instant::now();
                    let sent = request.send().await;
                    match &sent {
                        Ok(response) => crate::shell::logging::http_response(
                            "POST",
                            &url,
                            response.status().as_u16(),
                            started.elapsed(),
                            response.headers(),
                        ),
                        Err(err) => {
                            crate::shell::logging::http_failure("POST", &url, started.elapsed(), &err.to_string())
                        }
                    }
                    let reason = match sent {
                        Ok(response) if response.status().is_success() => {
                            worker_stats.delivered.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                        Ok(response) => format!("HTTP {}", response.status().as_u16()),
                        Err(err) if err.is_connect() => "could not connect".to_string(),
                        Err(err) if err.is_timeout() => "timed out".to_string(),
                        Err(err) => crate::shell::secret::redact(&err.to_string()),
                    };
                    if attempt == ATTEMPTS {
                        worker_stats.failed.fetch_add(1, Ordering::Relaxed);
                        notify(ForwardNotice::GaveUp { reason });
                    } else {
                        notify(ForwardNotice::Retrying { attempt, reason });
                        tokio::time::sleep(backoff).await;
                        backoff *= 2;
                    }
                }
            }
        });
        Ok(Forwarder { sender: Some(sender), stats, worker })
    }

    /// Queues an event without waiting; a full queue drops it. Returns whether it was queued.
    pub(crate) fn offer(&self, body: &str) -> bool {
        let queued = self.sender.as_ref().is_some_and(|s| s.try_send(body.to_string()).is_ok());
        if queued {
            self.stats.queued.fetch_add(1, Ordering::Relaxed);
        } else {
            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
        }
        queued
    }

    /// Stops accepting events and waits up to `grace` for the queue to drain. Events still
    /// queued or in flight then are counted as unsent.
    pub(crate) async fn finish(mut self, grace: Duration) -> Arc<ForwardStats> {
        self.sender = None;
        if tokio::time::timeout(grace, &mut self.worker).await.is_err() {
            self.worker.abort();
            // Wait for the abort, so no delivery is counted after the totals are read.
            let _ = (&mut self.worker).await;
        }
        let stats = &self.stats;
        let settled = stats.delivered.load(Ordering::Relaxed) + stats.failed.load(Ordering::Relaxed);
        stats.unsent.store(stats.queued.load(Ordering::Relaxed).saturating_sub(settled), Ordering::Relaxed);
        self.stats
    }
}

/// The `--forward-secret-file` secret, else AUTOPLAY_FORWARD_SECRET; registered for redaction
/// (`tail` and `triggers watch`).
pub(crate) fn read_secret(file: Option<&std::path::Path>) -> anyhow::Result<Option<String>> {
    let secret = match file {
        Some(path) => Some(
            crate::fs::read_text_limited(path, crate::fs::MAX_SECRET_BYTES)
                .map_err(|e| {
                    crate::shell::exit::UserError::usage(format!(
                        "could not read the forward secret file {}: {e}",
                        path.display()
                    ))
                })?
                .trim()
                .to_string(),
        ),
        None => crate::shell::env_vars::read(crate::shell::env_vars::FORWARD_SECRET),
    };
    let secret = secret.filter(|s| !s.is_empty());
    if let Some(secret) = &secret {
        crate::shell::secret::register(secret);
    }
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks a signature header the way the SDK's `WebhookReceiver.verify` does: an empty secret
    /// accepts anything; otherwise the exact `sha256=` prefix and the lowercase hex digest.
    fn verify(secret: &str, body: &[u8], header: Option<&str>) -> bool {
        if secret.is_empty() {
            return true;
        }
        let Some(digest) = header.and_then(|h| h.strip_prefix("sha256=")) else {
            return false;
        };
        let Ok(bytes) = hex::decode(digest) else { return false };
        if digest.chars().any(|c| c.is_ascii_uppercase()) {
            return false;
        }
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
        mac.update(body);
        mac.verify_slice(&bytes).is_ok()
    }

    #[test]
    fn signature_matches_a_known_vector_and_verifies() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        let body = b"The quick brown fox jumps over the lazy dog";
        let expected = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        assert_eq!(signature("key", body), expected);
        assert!(verify("key", body, Some(expected)));
        assert!(!verify("key", body, Some(&expected.to_uppercase().replace("SHA256=", "sha256="))));
        assert!(!verify("key", body, None));
        assert!(!verify("other", body, Some(expected)));
        assert!(verify("", body, Some("garbage")));
    }
}
