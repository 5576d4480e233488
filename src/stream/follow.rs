/*!
Following a stream until an ending condition: every frame is recorded, sent to the Redis
sink, filtered, printed to stdout (in the chosen format), forwarded and counted. `autoplay
tail` and `autoplay demo` follow their stream with [`follow`], `triggers watch` with
[`follow_with`].
*/

use std::cell::Cell;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::time::Duration;

use anyhow::Context;
use tokio::time::Instant;

use crate::event::line::Reach;
use crate::event::model;
use crate::recording::RecordingWriter;
use crate::shell::output::{Format, LineWriter};
use crate::shell::ui;
use crate::stream::client::{self, DataFrame, StreamConfig, StreamHandler, StreamWarning};
use crate::stream::filter::Filter;
use crate::stream::forward::Forwarder;
use crate::stream::pretty;
use crate::stream::redis::SinkWriter;

/// How to follow a stream and when to stop.
pub(crate) struct FollowOptions<'a> {
    pub(crate) format: Format,
    pub(crate) show_raw: bool,
    pub(crate) filter: Filter,
    pub(crate) recorder: Option<RecordingWriter>,
    pub(crate) forwarder: Option<&'a Forwarder>,
    /// Every received frame also goes to this Redis event buffer.
    pub(crate) sink: Option<&'a SinkWriter>,
    /// Stop once this many events were shown.
    pub(crate) stop_after: Option<u64>,
    pub(crate) duration: Option<Duration>,
    pub(crate) exit_when_idle: Option<Duration>,
}

/// How following ended and what went by.
pub(crate) struct FollowOutcome {
    pub(crate) ending: Ending,
    pub(crate) received: u64,
    pub(crate) shown: u64,
}

/// Follows the stream, printing what passes the filter to stdout, until an ending condition.
/// `observe` sees every shown frame. Output errors (a broken pipe) come back as `Err`.
pub(crate) async fn follow(
    config: &StreamConfig,
    options: FollowOptions<'_>,
    mut observe: impl FnMut(&DataFrame<'_>),
) -> anyhow::Result<FollowOutcome> {
    follow_with(
        config,
        options,
        true,
        each_frame(|frame| {
            observe(frame);
            ControlFlow::Continue(())
        }),
    )
    .await
}

/// What [`follow_with`] hands every shown frame to. A closure sees the frames one by one; an
/// observer that batches them (`triggers watch`) also hears when the frames of one network
/// read are done.
pub(crate) trait Observe {
    /// One shown frame; `Break` stops the stream.
    fn frame(&mut self, frame: &DataFrame<'_>) -> ControlFlow<()>;
    /// Every frame of one network read has been seen.
    fn chunk_end(&mut self) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }
    /// Whether the observer reads the frames' actions (their items in `line` and `view`).
    fn needs_actions(&self) -> bool {
        true
    }
}

/// An [`Observe`] that looks at nothing: `tail`, which only prints, records and forwards.
pub(crate) struct NoObserver;

impl Observe for NoObserver {
    fn frame(&mut self, _frame: &DataFrame<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn needs_actions(&self) -> bool {
        false
    }
}

/// An [`Observe`] that hands each frame to a closure ([`each_frame`]).
pub(crate) struct EachFrame<F>(F);

/// Observes the frames one by one with `f`.
pub(crate) fn each_frame<F: FnMut(&DataFrame<'_>) -> ControlFlow<()>>(f: F) -> EachFrame<F> {
    EachFrame(f)
}

impl<F: FnMut(&DataFrame<'_>) -> ControlFlow<()>> Observe for EachFrame<F> {
    fn frame(&mut self, frame: &DataFrame<'_>) -> ControlFlow<()> {
        (self.0)(frame)
    }
}

/// [`follow`], printing the frames only with `echo`; `observe` sees every shown frame and
/// can stop the stream (`triggers watch` hands the frames to its engine instead).
pub(crate) async fn follow_with(
    config: &StreamConfig,
    options: FollowOptions<'_>,
    echo: bool,
    observe: impl Observe,
) -> anyhow::Result<FollowOutcome> {
    let last_shown = Rc::new(Cell::new(Instant::now()));
    let mut handler = FollowHandler {
        format: options.format,
        pretty: pretty::Pretty::new(ui::terminal_width().unwrap_or(100), ui::colors_stdout(), options.show_raw),
        echo,
        filter: options.filter,
        out: LineWriter::block_buffered(),
        recorder: options.recorder,
        forwarder: options.forwarder,
        sink: options.sink,
        received: 0,
        shown: 0,
        stop_after: options.stop_after,
        last_shown: last_shown.clone(),
        shown_in_chunk: false,
        failure: None,
        line: String::new(),
        observe,
    };
    let ending = {
        let stream = client::run(config, &mut handler);
        tokio::pin!(stream);
        tokio::select! {
            result = &mut stream => match result {
                Ok(client::StreamEnd::NoContent) => {
                    ui::info(format!(
                        "the connector answered 204 No Content at {}: it asks clients to stop reconnecting",
                        crate::shell::secret::redact_url(&config.url)
                    ));
                    Ending::Stopped
                }
                Ok(client::StreamEnd::Stopped) => Ending::Stopped,
                Err(err) => Ending::Failed(err),
            },
            _ = sleep_for(options.duration) => Ending::Deadline,
            _ = idle(last_shown.clone(), options.exit_when_idle) => Ending::Idle,
            _ = tokio::signal::ctrl_c() => Ending::Interrupted,
        }
    };
    // What the observer still holds (the last read may have ended in a stop) goes now.
    let _ = handler.observe.chunk_end();
    let flushed = handler.out.flush();
    if let Some(failure) = handler.failure.take() {
        return Err(failure);
    }
    flushed.context("could not write to stdout")?;
    Ok(FollowOutcome { ending, received: handler.received, shown: handler.shown })
}

/// Why following stopped.
pub(crate) enum Ending {
    Stopped,
    Deadline,
    Idle,
    Interrupted,
    Failed(client::StreamError),
}

async fn sleep_for(duration: Option<Duration>) {
    match duration {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}

/// Resolves when no event has been shown for `limit`.
async fn idle(last_shown: Rc<Cell<Instant>>, limit: Option<Duration>) {
    let Some(limit) = limit else { return std::future::pending().await };
    loop {
        let deadline = last_shown.get() + limit;
        if Instant::now() >= deadline {
            return;
        }
        tokio::time::sleep_until(deadline).await;
    }
}

struct FollowHandler<'a, F> {
    format: Format,
    pretty: pretty::Pretty,
    /// Print the frames (off: only `observe` sees them).
    echo: bool,
    filter: Filter,
    out: LineWriter,
    recorder: Option<RecordingWriter>,
    forwarder: Option<&'a Forwarder>,
    sink: Option<&'a SinkWriter>,
    received: u64,
    shown: u64,
    /// Stop once this many events were shown (`--max-events`, `--expect-events`).
    stop_after: Option<u64>,
    last_shown: Rc<Cell<Instant>>,
    /// An event was shown since the last chunk ended.
    shown_in_chunk: bool,
    /// An output error that ended the stream (a broken pipe ends quietly).
    failure: Option<anyhow::Error>,
    line: String,
    observe: F,
}

impl<F: Observe> FollowHandler<'_, F> {
    fn print(&mut self, frame: &DataFrame<'_>) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                if memchr::memchr2(b'\n', b'\r', frame.data.as_bytes()).is_some() {
                    // Multi-line SSE data: re-encode so the output stays one object per line.
                    let value: serde_json::Value = serde_json::from_str(frame.data).map_err(std::io::Error::other)?;
                    self.line.clear();
                    self.line.push_str(&value.to_string());
                    self.out.line(&self.line)
                } else {
                    self.out.line(frame.data)
                }
            }
            Format::Text | Format::Pretty => {
                let value: serde_json::Value = serde_json::from_str(frame.data).map_err(std::io::Error::other)?;
                let parsed =
                    value.as_object().ok_or(model::ModelError::NotAnObject).and_then(model::Event::from_object_checked);
                let text = match parsed {
                    Ok((event, mismatch)) => {
                        if let (Some(mismatch), model::Event::Actions(payload)) = (mismatch, &event) {
                            ui::warn(mismatch.warning(payload.session_id.as_deref()));
                        }
                        if self.format == Format::Text {
                            event.to_text()
                        } else {
                            self.pretty.render(&event, frame.data)
                        }
                    }
                    Err(err) => {
                        ui::warn(format!("skipped an event the SDK cannot read: {err}"));
                        return Ok(());
                    }
                };
                self.out.line(&text)
            }
        }
    }
}

impl<F: Observe> StreamHandler for FollowHandler<'_, F> {
    fn on_connected(&mut self, url: &str, attempt: u64) {
        if attempt == 1 {
            ui::info(format!("Listening on {url} (Ctrl-C to stop)"));
        } else {
            ui::info(format!("Reconnected to {url}"));
        }
    }

    fn on_frame(&mut self, frame: DataFrame<'_>) -> ControlFlow<()> {
        self.received += 1;
        if let Some(recorder) = &mut self.recorder
            && let Err(err) = recorder.write_data(frame.data)
        {
            self.failure = Some(err);
            return ControlFlow::Break(());
        }
        if let Some(sink) = self.sink
            && let Ok(data) = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(frame.data)
            && !sink.send(data)
        {
            // The writer stopped on a Redis error; `finish` reports it.
            return ControlFlow::Break(());
        }
        if !self.filter.matches(&frame.view) {
            return ControlFlow::Continue(());
        }
        if self.echo
            && let Err(err) = self.print(&frame)
        {
            self.failure = Some(anyhow::Error::from(err).context("could not write to stdout"));
            return ControlFlow::Break(());
        }
        if let Some(forwarder) = self.forwarder {
            forwarder.offer(frame.data);
        }
        let flow = self.observe.frame(&frame);
        self.shown += 1;
        self.shown_in_chunk = true;
        if flow.is_break() || self.stop_after.is_some_and(|limit| self.shown >= limit) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn on_warning(&mut self, warning: StreamWarning) {
        ui::warn(warning.to_string());
    }

    fn on_reconnect(&mut self, failures: u32, wait: Duration, reason: &str) {
        let _ = self.out.flush();
        announce_reconnect(failures, wait, reason);
    }

    /// Printing, recording, forwarding and the Redis sink read the frame's data (the pretty
    /// and text formats decode it whole); only a URL filter and an observer read its actions,
    /// so without them each frame is read to its top level only.
    fn reach(&self) -> Reach {
        if self.filter.reads_actions() || self.observe.needs_actions() { Reach::Everything } else { Reach::TopLevel }
    }

    fn on_chunk_end(&mut self) -> ControlFlow<()> {
        // The idle clock is read once per network read, not per event.
        if std::mem::take(&mut self.shown_in_chunk) {
            self.last_shown.set(Instant::now());
        }
        if self.observe.chunk_end().is_break() {
            let _ = self.out.flush();
            return ControlFlow::Break(());
        }
        // Everything that arrived together is written together: one flush per network read
        // keeps latency at zero without a system call per event.
        if let Err(err) = self.out.flush() {
            self.failure = Some(anyhow::Error::from(err).context("could not write to stdout"));
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

/// The one line every live reader prints when its stream reconnects, written for people: what
/// happened and when the next try is. `failures` is 0 after a healthy connection ended (a
/// notice), else the number of failed attempts in a row (a warning).
pub(crate) fn announce_reconnect(failures: u32, wait: Duration, reason: &str) {
    if failures == 0 {
        ui::info(format!("{reason}; reconnecting in {:.1} s (attempt 1)", wait.as_secs_f64()));
    } else {
        ui::warn(format!("{reason}; retrying in {:.1} s (attempt {failures})", wait.as_secs_f64()));
    }
}
