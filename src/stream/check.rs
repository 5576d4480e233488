//! One connection to a stream to see whether it works (`auth status --check`, `doctor`): the
//! real client ([`super::client::run`]) with no retry, stopped at the first bytes after the
//! connector accepted the request.

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use super::client::{DataFrame, StreamConfig, StreamError, StreamHandler, run};

/// What one check found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum CheckOutcome {
    /// 2xx with `text/event-stream`, then a heartbeat, an event or a comment after this long.
    Accepted { first_bytes_after: Duration },
    /// Accepted, but nothing arrived within the wait.
    AcceptedSilent { waited: Duration },
}

struct Probe {
    started: Instant,
    connected: bool,
    first: Option<Duration>,
}

impl StreamHandler for Probe {
    fn on_connected(&mut self, _url: &str, _attempt: u64) {
        self.connected = true;
    }

    fn on_frame(&mut self, _frame: DataFrame<'_>) -> ControlFlow<()> {
        self.first.get_or_insert(self.started.elapsed());
        ControlFlow::Break(())
    }

    fn on_chunk_end(&mut self) -> ControlFlow<()> {
        if self.connected {
            self.first.get_or_insert(self.started.elapsed());
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

/// Connects once with `token` and waits up to `wait` for the first bytes. A refused token,
/// an unknown product and a failed attempt (DNS, TLS, refused, another status, a wrong
/// content type) are the client's own [`StreamError`]s.
pub(crate) async fn check(url: &str, token: Option<String>, wait: Duration) -> Result<CheckOutcome, StreamError> {
    let mut config = StreamConfig::new(url.to_string());
    config.token = token;
    config.max_retries = Some(0);
    config.idle_timeout = wait.max(Duration::from_millis(100));
    config.connect_timeout = wait.clamp(Duration::from_millis(100), Duration::from_secs(10));
    let mut probe = Probe { started: Instant::now(), connected: false, first: None };
    match run(&config, &mut probe).await {
        Ok(super::client::StreamEnd::NoContent) => Err(StreamError::RetriesExhausted {
            attempts: 1,
            url: url.to_string(),
            last_error: "the connector answered 204 No Content (stop reconnecting)".into(),
        }),
        Ok(super::client::StreamEnd::Stopped) => {
            Ok(CheckOutcome::Accepted { first_bytes_after: probe.first.unwrap_or_default() })
        }
        Err(StreamError::RetriesExhausted { .. }) if probe.connected => {
            Ok(CheckOutcome::AcceptedSilent { waited: config.idle_timeout })
        }
        Err(err) => Err(err),
    }
}
