//! `autoplay tail`: follow the live stream, print, record and forward events.

use std::path::Path;
use std::time::Duration;

use crate::connector::credentials;
use crate::recording::RecordingWriter;
use crate::settings::{GlobalSettings, TailSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::{env_vars, output, ui};
use crate::stream::client::StreamConfig;
use crate::stream::filter::Filter;
use crate::stream::follow::{Ending, FollowOptions, follow};
use crate::stream::forward::{ForwardNotice, Forwarder};
use crate::stream::redis::{RedisSink, redact_url};

pub(crate) fn run(global: &GlobalSettings, args: TailSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    let connection = &args.connection;
    let resolved = credentials::resolve_stream(&connection.source)?;
    let mut config = StreamConfig::new(resolved.url.clone());
    config.token = resolved.token.as_ref().map(|t| t.value.clone());
    config.max_retries = connection.max_retries;
    config.idle_timeout = connection.idle_timeout.max(Duration::from_millis(100));
    config.connect_timeout = connection.connect_timeout.max(Duration::from_millis(100));
    if config.token.is_none() {
        ui::warn(
            "no token found: connecting without `Authorization` (set AUTOPLAY_APP_UNKEY_TOKEN or use --token-file)",
        );
    }
    for doubt in args.filter.doubts() {
        ui::warn(doubt);
    }
    let recorder = args.record.as_deref().map(RecordingWriter::append).transpose()?;
    let forward_secret = read_forward_secret(args.forward_secret_file.as_deref())?;
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
            Some(sink) => {
                let buffer = RedisSink::connect(&sink.url, &sink.prefix, sink.window)
                    .await
                    .map_err(|err| UserError::failure(err.to_string()).with_hint(err.hint()))?;
                ui::info(format!("Writing actions and summaries to the Redis buffer `{}`", redact_url(&sink.url)));
                Some(buffer.spawn_writer())
            }
            None => None,
        };
        let options = FollowOptions {
            format,
            show_raw: args.show_raw,
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
                format!("forwarded {} ({failed} failed, {dropped} dropped because the queue was full)", output::count(delivered, "event", "events"));
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
                ui::info(format!("interrupted: {} shown ({received} received)", output::count(shown, "event", "events")));
                return Ok(ExitStatus::Interrupted);
            }
            Ending::Stopped | Ending::Deadline | Ending::Idle => {
                ui::info(format!("{} shown ({received} received)", output::count(shown, "event", "events")));
            }
        }
        if let Some(expected) = args.expect_events
            && shown < expected
        {
            return Err(UserError::expectation(format!(
                "expected at least {}, {shown} arrived",
                output::count(expected, "event", "events")
            ))
                .with_hint("check the filters, or give the stream more time with --duration")
                .into());
        }
        Ok(ExitStatus::Success)
    })
}

/// The `--forward-secret-file` secret, else AUTOPLAY_FORWARD_SECRET; registered for redaction.
fn read_forward_secret(file: Option<&Path>) -> anyhow::Result<Option<String>> {
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
        None => env_vars::read(env_vars::FORWARD_SECRET),
    };
    let secret = secret.filter(|s| !s.is_empty());
    if let Some(secret) = &secret {
        crate::shell::secret::register(secret);
    }
    Ok(secret)
}
