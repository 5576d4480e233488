//! `stream_sample`: the first N data frames of a stream, within a time limit.

use std::ops::ControlFlow;
use std::time::Duration;

use super::tools::Progress;
use crate::connector::credentials::{self, StreamSource};
use crate::shell::exit::UserError;
use crate::stream::client::{DataFrame, StreamConfig, StreamHandler};

struct Sampler {
    events: Vec<String>,
    count: usize,
    received: tokio::sync::mpsc::UnboundedSender<usize>,
}

impl StreamHandler for Sampler {
    fn on_frame(&mut self, frame: DataFrame<'_>) -> ControlFlow<()> {
        self.events.push(frame.data.to_string());
        let _ = self.received.send(self.events.len());
        if self.events.len() >= self.count { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
    }
}

/// Up to `count` events from the stream `source` names, for at most `limit`.
pub(crate) async fn sample(
    source: &StreamSource,
    count: usize,
    limit: Duration,
    progress: Progress,
) -> anyhow::Result<Vec<String>> {
    let resolved = credentials::resolve_stream(source)?;
    let mut config = StreamConfig::new(resolved.url.clone());
    config.token = resolved.token.map(|t| t.value);
    config.max_retries = Some(2);
    let (received, mut counts) = tokio::sync::mpsc::unbounded_channel();
    let mut sampler = Sampler { events: Vec::new(), count, received };
    let reporter = async {
        while let Some(n) = counts.recv().await {
            progress.report(n as f64, Some(count as f64), "events received").await;
        }
    };
    let outcome = tokio::select! {
        result = crate::stream::client::run(&config, &mut sampler) => Some(result),
        _ = tokio::time::sleep(limit) => None,
        _ = reporter => None,
    };
    if let Some(Err(err)) = outcome {
        let mut error = UserError::new(err.exit_status(), err.to_string());
        if let Some(hint) = err.hint() {
            error = error.with_hint(hint);
        }
        return Err(error.into());
    }
    Ok(sampler.events)
}
