//! `autoplay tail`: follow the live stream, print, record and forward events.

use std::cell::Cell;
use std::ops::ControlFlow;
use std::rc::Rc;
use std::time::Duration;

use anyhow::Context;
use tokio::time::Instant;

use crate::cli::{Format, GlobalArgs, TailArgs};
use crate::connector::credentials;
use crate::event::model;
use crate::recording::RecordingWriter;
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, LineWriter};
use crate::shell::{env_vars, ui};
use crate::stream::client::{self, DataFrame, StreamConfig, StreamHandler, StreamWarning};
use crate::stream::filter::Filter;
use crate::stream::forward::{ForwardNotice, Forwarder};
use crate::stream::pretty;
use crate::stream::redis::{RedisSink, SinkWriter, redact_url};

pub fn run(global: &GlobalArgs, args: TailArgs) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    let resolved = credentials::resolve_stream(&args.stream)?;
    let mut config = StreamConfig::new(resolved.url.clone());
    config.token = resolved.token.as_ref().map(|t| t.value.clone());
    config.max_retries = args.stream.max_retries;
    config.idle_timeout = args.stream.idle_timeout.max(Duration::from_millis(100));
    config.connect_timeout = args.stream.connect_timeout.max(Duration::from_millis(100));
    if config.token.is_none() {
        ui::warn(
            "no token found: connecting without `Authorization` (set AUTOPLAY_APP_UNKEY_TOKEN or use --token-file)",
        );
    }
    let recorder = args.record.as_deref().map(RecordingWriter::append).transpose()?;
    let forward_secret = read_forward_secret(&args)?;
    if args.forward_to.is_some() && forward_secret.is_none() {
        ui::warn("forwarding unsigned: no --forward-secret-file or AUTOPLAY_FORWARD_SECRET");
    }

    let runtime = super::runtime()?;
    runtime.block_on(async {
        let forwarder = match &args.forward_to {
            Some(url) => Some(Forwarder::spawn(url.clone(), forward_secret, |notice| match notice {
                ForwardNotice::Retrying { attempt, reason } => {
                    ui::warn(format!("forwarding failed ({reason}); retrying (attempt {attempt})"))
                }
                ForwardNotice::GaveUp { reason } => ui::warn(format!("forwarding gave up on an event ({reason})")),
            })?),
            None => None,
        };
        let sink = match &args.sink {
            Some(url) => {
                let buffer = RedisSink::connect(url, &args.prefix, args.window)
                    .await
                    .map_err(|err| UserError::failure(err.to_string()).with_hint(err.hint()))?;
                ui::info(format!("Writing actions and summaries to the Redis buffer `{}`", redact_url(url)));
                Some(buffer.spawn_writer())
            }
            None => None,
        };
        let options = FollowOptions {
            format,
            show_raw: args.all,
            filter: Filter::new(&args.filter),
            recorder,
            forwarder: forwarder.as_ref(),
            sink: sink.as_ref(),
            stop_after: [args.max_events, args.expect_events].into_iter().flatten().min(),
            duration: args.duration,
            exit_when_idle: args.exit_when_idle,
        };
        let outcome = follow(&config, options, |_| {}).await;
        if let Some(forwarder) = forwarder {
            let stats = forwarder.finish(Duration::from_secs(5)).await;
            use std::sync::atomic::Ordering::Relaxed;
            let (delivered, failed, dropped) =
                (stats.delivered.load(Relaxed), stats.failed.load(Relaxed), stats.dropped.load(Relaxed));
            let line =
                format!("forwarded {delivered} events ({failed} failed, {dropped} dropped because the queue was full)");
            if failed + dropped > 0 { ui::warn(line) } else { ui::info(line) }
        }
        if let Some(sink) = sink {
            let report = sink.finish().await.map_err(|err| UserError::failure(err.to_string()).with_hint(err.hint()))?;
            let line = format!(
                "Redis buffer: {} payloads written ({} of other types left out, {} rejected, {} dropped because Redis fell behind)",
                report.written, report.other_types, report.rejected, report.dropped
            );
            if report.rejected + report.dropped > 0 { ui::warn(line) } else { ui::info(line) }
        }
        let outcome = outcome?;
        let (received, shown) = (outcome.received, outcome.shown);
        match outcome.ending {
            Ending::Failed(err) => return Err(err.into()),
            Ending::Interrupted => {
                ui::info(format!("interrupted: {shown} events shown ({received} received)"));
                return Ok(ExitStatus::Interrupted);
            }
            Ending::Stopped | Ending::Deadline | Ending::Idle => {
                ui::info(format!("{shown} events shown ({received} received)"));
            }
        }
        if let Some(expected) = args.expect_events
            && shown < expected
        {
            return Err(UserError::expectation(format!("expected at least {expected} events, {shown} arrived"))
                .with_hint("check the filters, or give the stream more time with --duration")
                .into());
        }
        Ok(ExitStatus::Success)
    })
}

/// How to follow a stream (the parts of `tail` that `demo` reuses).
pub struct FollowOptions<'a> {
    pub format: Format,
    pub show_raw: bool,
    pub filter: Filter,
    pub recorder: Option<RecordingWriter>,
    pub forwarder: Option<&'a Forwarder>,
    /// Every received frame also goes to this Redis event buffer.
    pub sink: Option<&'a SinkWriter>,
    /// Stop once this many events were shown.
    pub stop_after: Option<u64>,
    pub duration: Option<Duration>,
    pub exit_when_idle: Option<Duration>,
}

/// How following ended and what went by.
pub struct FollowOutcome {
    pub ending: Ending,
    pub received: u64,
    pub shown: u64,
}

/// Follows the stream, printing what passes the filter to stdout, until an ending condition.
/// `observe` sees every shown frame. Output errors (a broken pipe) come back as `Err`.
pub async fn follow(
    config: &StreamConfig,
    options: FollowOptions<'_>,
    observe: impl FnMut(&DataFrame<'_>),
) -> anyhow::Result<FollowOutcome> {
    let last_shown = Rc::new(Cell::new(Instant::now()));
    let mut handler = TailHandler {
        format: options.format,
        show_raw: options.show_raw,
        color: ui::colors_stdout(),
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
                Ok(_) => Ending::Stopped,
                Err(err) => Ending::Failed(err),
            },
            _ = sleep_for(options.duration) => Ending::Deadline,
            _ = idle(last_shown.clone(), options.exit_when_idle) => Ending::Idle,
            _ = tokio::signal::ctrl_c() => Ending::Interrupted,
        }
    };
    let flushed = handler.out.flush();
    if let Some(failure) = handler.failure.take() {
        return Err(failure);
    }
    flushed.context("could not write to stdout")?;
    Ok(FollowOutcome { ending, received: handler.received, shown: handler.shown })
}

/// Why following stopped.
pub enum Ending {
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

fn read_forward_secret(args: &TailArgs) -> anyhow::Result<Option<String>> {
    let secret = match &args.forward_secret_file {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("could not read the forward secret file {}", path.display()))?
                .trim()
                .to_string(),
        ),
        None => env_vars::read(env_vars::FORWARD_SECRET),
    };
    let secret = secret.filter(|s| !s.is_empty());
    if let Some(secret) = &secret {
        crate::shell::secret::register(secret);
    }
    Ok(secret)
}

struct TailHandler<'a, F> {
    format: Format,
    show_raw: bool,
    color: bool,
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

impl<F: FnMut(&DataFrame<'_>)> TailHandler<'_, F> {
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
                let text = match model::Event::from_value(&value) {
                    Ok(event) if self.format == Format::Text => event.to_text(),
                    Ok(event) => pretty::render_event(&event, frame.data, self.show_raw, self.color),
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

impl<F: FnMut(&DataFrame<'_>)> StreamHandler for TailHandler<'_, F> {
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
        if let Err(err) = self.print(&frame) {
            self.failure = Some(anyhow::Error::from(err).context("could not write to stdout"));
            return ControlFlow::Break(());
        }
        if let Some(forwarder) = self.forwarder {
            forwarder.offer(frame.data);
        }
        (self.observe)(&frame);
        self.shown += 1;
        self.shown_in_chunk = true;
        if self.stop_after.is_some_and(|limit| self.shown >= limit) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn on_warning(&mut self, warning: StreamWarning) {
        ui::warn(warning.to_string());
    }

    fn on_reconnect(&mut self, failures: u32, wait: Duration, reason: &str) {
        let _ = self.out.flush();
        if failures == 0 {
            ui::info(format!("{reason}; reconnecting in {:.1}s", wait.as_secs_f64()));
        } else {
            ui::warn(format!(
                "connection lost ({reason}); reconnecting in {:.1}s (attempt {failures})",
                wait.as_secs_f64()
            ));
        }
    }

    fn on_chunk_end(&mut self) -> ControlFlow<()> {
        // The idle clock is read once per network read, not per event.
        if std::mem::take(&mut self.shown_in_chunk) {
            self.last_shown.set(Instant::now());
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
