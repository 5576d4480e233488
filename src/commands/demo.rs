//! `autoplay demo`: the main job on built-in data, with no account and no network. A local
//! connector replays the embedded demo recording on 127.0.0.1; the real stream client tails
//! it in pretty form; then the demo says what it saw, lists the sessions with one session's
//! LLM context, and shows which proactive triggers the starting config fires.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use console::Style;

use crate::server::{Faults, ServeConfig, Server, Source, Speed, registry};
use crate::settings::DemoSettings;
use crate::shell::exit::ExitStatus;
use crate::shell::output::{Format, LineWriter, count};
use crate::shell::ui;
use crate::stream::client::{DataFrame, StreamConfig};
use crate::stream::filter::Filter;
use crate::stream::follow::{Ending, FollowOptions, follow};
use crate::templates::{DEMO_RECORDING, PRODUCTS_JSON};
use crate::triggers::engine::{FireRecord, RecordKind, SimOutput};

/// The demo's product id.
const PRODUCT: &str = "demo";

/// Fires listed before "… and N more".
const MAX_FIRES_SHOWN: usize = 8;

/// Replay pace: the recording spans about three minutes of activity.
const SPEED: f64 = 90.0;

pub(crate) fn run(args: DemoSettings) -> anyhow::Result<ExitStatus> {
    let events = crate::server::replay_events("the demo recording", &mut DEMO_RECORDING.as_bytes())?;
    let key = format!("demo_{}", registry::random_token(24));
    let config = ServeConfig {
        products: vec![PRODUCT.into()],
        keys: vec![key.clone()],
        heartbeat: Duration::from_secs(5),
        source: Source::Replay { events: Arc::new(events), speed: Speed::Factor(SPEED), repeat: false },
        any_product: false,
        faults: Faults::default(),
        retry_ms: None,
        request_log: None,
        keep: None,
    };
    crate::shell::secret::register(&key);
    let heading = |text: &str| ui::paint_stdout(&format!("▶ {text}"), &Style::new().bold());
    let mut out = LineWriter::new();
    let runtime = super::runtime()?;
    let tally = runtime.block_on(async {
        let server = Server::bind("127.0.0.1", 0, config).await?;
        let base = format!("http://{}", server.local_addr()?);
        tokio::spawn(server.run());
        out.line(&heading(&format!("A local connector is serving the demo recording on {base}")))?;
        let url = crate::stream::client::stream_url(&base, PRODUCT);
        out.line(&heading(&format!("Tailing {url} (what `autoplay tail` shows)")))?;
        out.flush()?;
        let mut stream = StreamConfig::new(url);
        stream.token = Some(key);
        stream.max_retries = Some(3);
        let options = FollowOptions {
            format: Format::Pretty,
            show_raw: false,
            filter: Filter::default(),
            recorder: None,
            forwarder: None,
            sink: None,
            stop_after: None,
            duration: Some(args.duration),
            exit_when_idle: Some(Duration::from_millis(1500).min(args.duration)),
        };
        let mut tally = Tally::default();
        let outcome = follow(&stream, options, |frame| tally.add(frame)).await?;
        match outcome.ending {
            Ending::Failed(err) => Err(anyhow::Error::from(err)),
            Ending::Interrupted => Ok(None),
            _ => Ok(Some(tally)),
        }
    })?;
    let Some(tally) = tally else { return Ok(ExitStatus::Interrupted) };
    out.line("")?;
    out.line(&heading("What the stream showed"))?;
    for line in tally.report() {
        out.line(&format!("  {line}"))?;
    }
    out.line("")?;
    out.line(&heading("Sessions and the context an LLM gets (`autoplay sessions list` and `sessions context`)"))?;
    for line in crate::sessions::demo_summary(DEMO_RECORDING)? {
        out.line(if line.is_empty() { String::new() } else { format!("  {line}") }.as_str())?;
    }
    out.line("")?;
    out.line(&heading(
        "Proactive triggers that fire (`autoplay triggers simulate` with the `autoplay triggers init` config)",
    ))?;
    let run = crate::triggers::simulate_recording(PRODUCTS_JSON, DEMO_RECORDING)?;
    let fires = fire_lines(&run);
    for line in fires.iter().take(MAX_FIRES_SHOWN) {
        out.line(&format!("  {line}"))?;
    }
    if fires.len() > MAX_FIRES_SHOWN {
        out.line(&format!("  … and {} more", fires.len() - MAX_FIRES_SHOWN))?;
    }
    out.line("")?;
    if !watch_live(&mut out, &heading)? {
        return Ok(ExitStatus::Interrupted);
    }
    write_report(&args.report, &run)?;
    out.line(&heading("The same run as a visual report (`autoplay triggers simulate --report`)"))?;
    out.line(&format!("  {}    open it in a browser", file_url(&args.report)))?;
    out.line("")?;
    out.line(&heading("Next steps"))?;
    for line in [
        "autoplay generate --sessions 50 > rec.jsonl        make a bigger recording",
        "autoplay triggers init && autoplay triggers simulate --config products.json --events rec.jsonl",
        "autoplay serve --replay rec.jsonl --key dev_key    serve it like the real connector",
        "autoplay onboard --save                            register your product and save its key",
        "autoplay tail                                      then follow your real stream",
    ] {
        out.line(&format!("  {line}"))?;
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// The demo step of `autoplay triggers watch`: a second local connector replays the demo
/// recording, and the live trigger engine (the starting config, on the stream's clock) prints
/// each fire as its frame arrives, for a few seconds. Returns false on Ctrl-C.
fn watch_live(out: &mut LineWriter, heading: &dyn Fn(&str) -> String) -> anyhow::Result<bool> {
    use crate::triggers::live::{Clock, Live, LiveOptions};
    use crate::triggers::{config, engine};
    let parsed = config::parse_products_str(PRODUCTS_JSON)?;
    // The engine's sessions borrow their config for as long as they live.
    let parsed: &'static config::ParsedConfig = Box::leak(Box::new(parsed));
    let opts: &'static engine::SimOptions = Box::leak(Box::new(engine::SimOptions::default()));
    let mut live = Live::new(parsed, opts, LiveOptions { clock: Clock::Event, max_sessions: 1000, linger: 0.0 })?;
    let events = crate::server::replay_events("the demo recording", &mut DEMO_RECORDING.as_bytes())?;
    let key = format!("demo_{}", registry::random_token(24));
    crate::shell::secret::register(&key);
    let config = ServeConfig {
        products: vec![PRODUCT.into()],
        keys: vec![key.clone()],
        heartbeat: Duration::from_secs(5),
        source: Source::Replay { events: Arc::new(events), speed: Speed::Factor(SPEED), repeat: false },
        any_product: false,
        faults: Faults::default(),
        retry_ms: None,
        request_log: None,
        keep: None,
    };
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let server = Server::bind("127.0.0.1", 0, config).await?;
        let base = format!("http://{}", server.local_addr()?);
        tokio::spawn(server.run());
        let url = crate::stream::client::stream_url(&base, PRODUCT);
        out.line(&heading("Triggers firing live as the users act (`autoplay triggers watch`)"))?;
        out.flush()?;
        let mut stream = StreamConfig::new(url);
        stream.token = Some(key);
        stream.max_retries = Some(3);
        let options = FollowOptions {
            format: Format::Json,
            show_raw: false,
            filter: Filter::default(),
            recorder: None,
            forwarder: None,
            sink: None,
            stop_after: None,
            duration: Some(Duration::from_secs(4)),
            exit_when_idle: Some(Duration::from_millis(1500)),
        };
        let mut number = 0;
        let mut failed = None;
        let mut show = |records: std::vec::IntoIter<engine::Record>, out: &mut LineWriter| {
            for r in records {
                if let RecordKind::Fire(fire) = &r.kind
                    && let Err(err) =
                        out.line(&format!("  {}/{}  {}  {:?}", r.product_id, r.session_id, fire.trigger_id, fire.body))
                {
                    failed = Some(err);
                }
            }
        };
        let outcome = crate::stream::follow::follow_with(&stream, options, false, |frame| {
            number += 1;
            if let Ok(engine::LineOutcome::Event(ev)) = engine::parse_line(number, frame.data) {
                live.push(ev, 0.0);
                show(live.take_records(), out);
            }
            std::ops::ControlFlow::Continue(())
        })
        .await?;
        live.flush();
        show(live.take_records(), out);
        if let Some(err) = failed {
            return Err(err.into());
        }
        out.line("")?;
        Ok(!matches!(outcome.ending, Ending::Interrupted))
    })
}

/// Writes the report of the demo's run (the records just listed) to `path`.
fn write_report(path: &std::path::Path, run: &SimOutput) -> anyhow::Result<()> {
    use anyhow::Context;
    let options = crate::triggers::engine::SimOptions::default();
    let header = crate::report::Header::of_run(
        "demo",
        std::path::Path::new("(the `autoplay triggers init` config)"),
        std::path::Path::new("(the embedded demo recording)"),
        &options,
    );
    let report = crate::report::build(header, run, &crate::report::Marks::of_text(DEMO_RECORDING));
    crate::report::html::write(path, &report).with_context(|| format!("could not write the report {}", path.display()))
}

/// `file://` and the absolute path (what a browser's address bar takes).
fn file_url(path: &std::path::Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", absolute.display())
}

/// One line per fire: session, seconds since the session's first event, trigger, body, chips,
/// and the reason it fired.
fn fire_lines(out: &SimOutput) -> Vec<String> {
    let mut lines = Vec::new();
    for r in &out.records {
        if let RecordKind::Fire(fire) = &r.kind {
            let FireRecord { trigger_id, body, chips, metadata, why, .. } = &**fire;
            let start = out.sessions.get(r.session_index).map(|s| s.first_ts).unwrap_or(r.ts);
            let mut line = format!("{}/{}  +{:.1}s  {trigger_id}  {body:?}", r.product_id, r.session_id, r.ts - start);
            if !chips.is_empty() {
                let labels: Vec<String> = chips.iter().map(crate::py::str_of).collect();
                line.push_str(&format!("  [{}]", labels.join(" | ")));
            }
            line.push_str(&format!(
                "  because: {}",
                crate::triggers::why::fire_reason(trigger_id, metadata, why.as_deref())
            ));
            lines.push(line);
        }
    }
    lines
}

/// The recording's lines as replay events (every line of the embedded recording is valid).
/// Counts of what went by.
#[derive(Default)]
struct Tally {
    types: BTreeMap<String, u64>,
    sessions: BTreeSet<String>,
    users: BTreeSet<String>,
    pages: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, frame: &DataFrame<'_>) {
        let view = &frame.view;
        *self.types.entry(view.event_type().unwrap_or("(none)").to_string()).or_default() += 1;
        if let Some(session) = &view.session_id {
            self.sessions.insert(session.to_string());
        }
        if let Some(user) = &view.user_id {
            self.users.insert(user.to_string());
        }
        let parsed = serde_json::from_str(frame.data)
            .ok()
            .and_then(|v| crate::event::model::ActionsPayload::from_value(&v).ok());
        for action in parsed.iter().flat_map(|payload| payload.actions.iter()) {
            let url = action.canonical_url.as_str();
            let path = url.split_once("://").map_or(url, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
            *self.pages.entry(path.to_string()).or_default() += 1;
        }
    }

    fn report(&self) -> Vec<String> {
        let total: u64 = self.types.values().sum();
        let types: Vec<String> = self
            .types
            .iter()
            .map(|(t, n)| if t == "summary" { count(*n, "summary", "summaries") } else { format!("{n} {t}") })
            .collect();
        let mut pages: Vec<(&String, &u64)> = self.pages.iter().collect();
        pages.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let top: Vec<String> = pages.iter().take(4).map(|(p, n)| format!("{p} ({n})")).collect();
        vec![
            format!("{}: {}", count(total, "event", "events"), types.join(", ")),
            format!(
                "{} from {}",
                count(self.sessions.len() as u64, "session", "sessions"),
                count(self.users.len() as u64, "user", "users")
            ),
            format!("busiest pages: {}", top.join(", ")),
        ]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn fire_lines_prints_one_line_per_fire() {
        let config = r#"{"product_id": "demo", "integration_config": {"proactive_triggers": {"builtins": [
            {"id": "canonical_url_ping_pong", "name": "n", "description": "d", "triggering_type": "instant_trigger"}]}}}"#;
        let recording =
            r#"{"type": "actions", "product_id": "demo", "session_id": "s1", "forwarded_at": 100, "actions": [
            {"canonical_url": "/a"}, {"canonical_url": "/b"}, {"canonical_url": "/a"}]}"#
                .replace('\n', " ");
        let lines = super::fire_lines(&crate::triggers::simulate_recording(config, &recording).unwrap());
        // Fires at once, times out after 20 s, cools down 60 s, fires again while the
        // cycle is still inside the 120 s lookback.
        assert_eq!(
            lines,
            vec![
                "demo/s1  +0.0s  canonical_url_ping_pong  \"Need my expert help?\"  because: ping-pong /a → /b → /a"
                    .to_string(),
                "demo/s1  +90.0s  canonical_url_ping_pong  \"Need my expert help?\"  because: ping-pong /a → /b → /a"
                    .to_string()
            ]
        );
    }
}
