//! `autoplay tail`: follow the live stream, print, record and forward events.

use std::time::Duration;

use crate::connector::credentials;
use crate::recording::RecordingWriter;
use crate::settings::{GlobalSettings, TailSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::{output, ui};
use crate::stream::filter::Filter;
use crate::stream::follow::{Ending, FollowOptions, NoObserver, follow_with};
use crate::stream::forward::{ForwardNotice, Forwarder};
use crate::stream::redis::{RedisSink, redact_url};

pub(crate) fn run(global: &GlobalSettings, args: TailSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    let connection = &args.connection;
    let config = credentials::stream_config(connection)?;
    for doubt in args.filter.doubts() {
        ui::warn(doubt);
    }
    let recorder = args.record.as_deref().map(RecordingWriter::append).transpose()?;
    let forward_secret = crate::stream::forward::read_secret(args.forward_secret_file.as_deref())?;
    if args.forward_to.is_some() && forward_secret.is_none() {
        ui::warn("forwarding unsigned: no --forward-secret-file or AUTOPLAY_FORWARD_SECRET");
    }

    let runtime = crate::stream::runtime()?;
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
        let outcome = follow_with(&config, options, true, NoObserver).await;
        if let Some(forwarder) = forwarder {
            let stats = forwarder.finish(Duration::from_secs(5)).await;
            use std::sync::atomic::Ordering::Relaxed;
            let (delivered, failed, dropped, unsent) =
                (stats.delivered.load(Relaxed), stats.failed.load(Relaxed), stats.dropped.load(Relaxed), stats.unsent.load(Relaxed));
            let line = format!(
                "forwarded {}; {} not delivered ({failed} failed, {dropped} dropped because the queue was full, {unsent} still queued or in flight at the end)",
                output::count(delivered, "event", "events"),
                stats.undelivered()
            );
            if stats.undelivered() > 0 { ui::warn(line) } else { ui::info(line) }
        }
        if let Some(sink) = sink {
            let report = sink.finish().await.map_err(|err| UserError::failure(err.to_string()).with_hint(err.hint()))?;
            let line = format!(
                "Redis buffer: {} written ({} of other types left out, {} rejected, {} dropped because Redis fell behind)",
                output::count(report.written, "payload", "payloads"), report.other_types, report.rejected, report.dropped
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
