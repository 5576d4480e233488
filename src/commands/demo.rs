//! `autoplay demo`: the main job on built-in data, with no account and no network. A local
//! connector replays the embedded demo recording on 127.0.0.1; the real stream client tails
//! it in pretty form; then the demo says what it saw, lists the sessions with one session's
//! LLM context, and shows which proactive triggers the starting config fires.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;

use console::Style;

use crate::server::{Faults, ServeConfig, Server, Source, Speed};
use crate::settings::{DemoSettings, GlobalSettings};
use crate::shell::exit::ExitStatus;
use crate::shell::output::{Format, LineWriter, count, shell_word};
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

/// One step of the demo: what it shows, the command that does the same by hand (runnable as
/// printed: every file it names is in the demo's folder), and its lines. Pretty output prints
/// `▶ title`, `  $ command` and the lines; `--format json` prints each step as one NDJSON
/// object. A new step is one more [`Step`] pushed in [`run`].
struct Step {
    /// A stable name for scripts (`serve`, `tail`, `sessions`, `triggers`, `report`, `next`).
    id: &'static str,
    title: String,
    commands: Vec<String>,
    lines: Vec<String>,
    /// Step-specific data for `--format json`.
    data: serde_json::Value,
}

impl Step {
    fn new(id: &'static str, title: impl Into<String>) -> Step {
        Step { id, title: title.into(), commands: Vec::new(), lines: Vec::new(), data: serde_json::json!({}) }
    }

    fn command(mut self, command: impl Into<String>) -> Step {
        self.commands.push(command.into());
        self
    }

    fn to_json(&self) -> serde_json::Value {
        let mut value = serde_json::json!({
            "step": self.id, "title": self.title, "commands": self.commands, "lines": self.lines,
        });
        if let (Some(object), serde_json::Value::Object(data)) = (value.as_object_mut(), &self.data) {
            object.extend(data.clone());
        }
        value
    }
}

/// Prints steps as they come: pretty for people, NDJSON for scripts.
struct Printer {
    out: LineWriter,
    json: bool,
}

impl Printer {
    fn heading(&mut self, step: &Step) -> anyhow::Result<()> {
        if self.json {
            return Ok(());
        }
        self.out.line(&ui::paint_stdout(&format!("▶ {}", step.title), &Style::new().bold()))?;
        for command in &step.commands {
            self.out.line(&format!("  $ {command}"))?;
        }
        self.out.flush()?;
        Ok(())
    }

    fn body(&mut self, step: &Step) -> anyhow::Result<()> {
        if self.json {
            self.out.line(&step.to_json().to_string())?;
        } else {
            for line in &step.lines {
                self.out.line(if line.is_empty() { String::new() } else { format!("  {line}") }.as_str())?;
            }
            self.out.line("")?;
        }
        self.out.flush()?;
        Ok(())
    }

    fn step(&mut self, step: &Step) -> anyhow::Result<()> {
        self.heading(step)?;
        self.body(step)
    }
}

/// The demo's files, in the folder it names (or `--keep DIR`).
struct Files {
    dir: std::path::PathBuf,
    recording: std::path::PathBuf,
    config: std::path::PathBuf,
    key: std::path::PathBuf,
}

impl Files {
    fn write(dir: &std::path::Path) -> anyhow::Result<Files> {
        use anyhow::Context;
        std::fs::create_dir_all(dir).with_context(|| format!("could not create the demo folder {}", dir.display()))?;
        let files = Files {
            dir: dir.to_path_buf(),
            recording: dir.join("demo-recording.jsonl"),
            config: dir.join("products.json"),
            key: dir.join("demo.key"),
        };
        let write = |path: &std::path::Path, text: &str| {
            std::fs::write(path, text).with_context(|| format!("could not write {}", path.display()))
        };
        write(&files.recording, DEMO_RECORDING)?;
        write(&files.config, PRODUCTS_JSON)?;
        write(&files.key, &format!("{LOCAL_KEY}\n"))?;
        Ok(files)
    }
}

/// The key of the demo's local connector (and of the `serve` command it suggests): a local
/// development key on 127.0.0.1, not a secret.
const LOCAL_KEY: &str = "demo_local_key";

/// A path as one shell word.
fn arg(path: &std::path::Path) -> String {
    shell_word(&path.display().to_string())
}

pub(crate) fn run(global: &GlobalSettings, args: DemoSettings) -> anyhow::Result<ExitStatus> {
    let format = global.format.unwrap_or(Format::Pretty);
    crate::shell::output::ensure_supported(format, "demo")?;
    let json = format == Format::Json;
    let files = Files::write(&args.dir)?;
    let report = args.report.clone().unwrap_or_else(|| files.dir.join("demo-report.html"));
    let mut printer = Printer { out: LineWriter::new(), json };
    let recording = arg(&files.recording);

    let tally = if json {
        // Scripts get the same counts from the recording the connector would serve.
        let mut tally = Tally::default();
        for line in DEMO_RECORDING.lines().filter(|l| !l.trim().is_empty()) {
            tally.add_json(&serde_json::from_str(line)?);
        }
        let serve = Step::new("serve", "A local connector serves the demo recording")
            .command(format!("autoplay serve --replay {recording} --speed {SPEED} --key {LOCAL_KEY}"));
        printer.step(&serve)?;
        let mut tail = Step::new("tail", "Tailing its stream (what `autoplay tail` shows)").command(format!(
            "autoplay tail --url http://127.0.0.1:8787/stream/{PRODUCT} --token-file {}",
            arg(&files.key)
        ));
        tail.lines = tally.report();
        tail.data = tally.to_json();
        printer.step(&tail)?;
        tally
    } else {
        let Some(tally) = live_tail(&mut printer, &files, args.duration)? else { return Ok(ExitStatus::Interrupted) };
        let mut seen = Step::new("tail", "What the stream showed");
        seen.lines = tally.report();
        printer.step(&seen)?;
        tally
    };

    let mut sessions = Step::new("sessions", "Sessions and the context an LLM gets")
        .command(format!("autoplay sessions list --from {recording}"));
    if let Some(newest) = &tally.newest_session {
        sessions = sessions
            .command(format!("autoplay sessions context {} --from {recording} --max-actions 10", shell_word(newest)));
    }
    sessions.lines = crate::sessions::demo_summary(DEMO_RECORDING)?;
    printer.step(&sessions)?;

    let run = crate::triggers::simulate_recording(PRODUCTS_JSON, DEMO_RECORDING)?;
    let mut triggers = Step::new("triggers", "Proactive triggers that fire with the `autoplay triggers init` config")
        .command(format!("autoplay triggers simulate --config {} --events {recording}", arg(&files.config)));
    let fires = fire_lines(&run);
    triggers.lines = fires.iter().take(MAX_FIRES_SHOWN).cloned().collect();
    if fires.len() > MAX_FIRES_SHOWN {
        triggers.lines.push(format!("… and {} more", fires.len() - MAX_FIRES_SHOWN));
    }
    triggers.data = serde_json::json!({"fires": fires.len()});
    printer.step(&triggers)?;
    // The live engine runs only where a person watches; scripts have the fires above.
    if !json && !watch_live(&mut printer, &files)? {
        return Ok(ExitStatus::Interrupted);
    }

    write_report(&report, &run)?;
    let mut visual = Step::new("report", "The same run as a visual report").command(format!(
        "autoplay triggers simulate --config {} --events {recording} --report {}",
        arg(&files.config),
        arg(&report)
    ));
    visual.lines = vec![format!("{}    open it in a browser", file_url(&report))];
    visual.data = serde_json::json!({"report": file_url(&report)});
    printer.step(&visual)?;

    let mut next = Step::new("next", "Next steps (run them in order)")
        .command("autoplay generate --sessions 50 -o rec.jsonl")
        .command(format!("autoplay triggers simulate --config {} --events rec.jsonl", arg(&files.config)))
        .command("autoplay serve --replay rec.jsonl --key dev_key")
        .command("autoplay onboard --save")
        .command("autoplay tail");
    next.lines = vec![format!("the demo's files are in {}", files.dir.display())];
    next.data = serde_json::json!({"dir": files.dir.display().to_string()});
    printer.step(&next)?;
    printer.out.flush()?;
    Ok(ExitStatus::Success)
}

/// The demo's local connector: the embedded recording replayed at [`SPEED`] to
/// [`LOCAL_KEY`] (each step that streams binds one of its own on a free port).
fn demo_connector() -> anyhow::Result<ServeConfig> {
    let events = crate::server::replay_events("the demo recording", &mut DEMO_RECORDING.as_bytes())?;
    Ok(ServeConfig {
        products: vec![PRODUCT.into()],
        keys: vec![LOCAL_KEY.into()],
        heartbeat: Duration::from_secs(5),
        source: Source::Replay { events: Arc::new(events), speed: Speed::Factor(SPEED), repeat: false },
        any_product: false,
        faults: Faults::default(),
        retry_ms: None,
        request_log: None,
        keep: None,
    })
}

/// How a demo step follows its local connector at `url`: with the local key, for at most
/// `duration`, ending once the replay has been quiet for 1.5 s.
fn demo_follow(url: String, format: Format, duration: Duration) -> (StreamConfig, FollowOptions<'static>) {
    let mut stream = StreamConfig::new(url);
    stream.token = Some(LOCAL_KEY.into());
    stream.max_retries = Some(3);
    let options = FollowOptions {
        format,
        show_raw: false,
        filter: Filter::default(),
        recorder: None,
        forwarder: None,
        sink: None,
        stop_after: None,
        duration: Some(duration),
        exit_when_idle: Some(Duration::from_millis(1500).min(duration)),
    };
    (stream, options)
}

/// Serves the demo recording on 127.0.0.1 and tails it in pretty form; `None` on Ctrl-C.
fn live_tail(printer: &mut Printer, files: &Files, duration: Duration) -> anyhow::Result<Option<Tally>> {
    let config = demo_connector()?;
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let server = Server::bind("127.0.0.1", 0, config).await?;
        let base = format!("http://{}", server.local_addr()?);
        tokio::spawn(server.run());
        let recording = arg(&files.recording);
        let serve = Step::new("serve", format!("A local connector is serving the demo recording on {base}"))
            .command(format!("autoplay serve --replay {recording} --speed {SPEED} --key {LOCAL_KEY}"));
        printer.heading(&serve)?;
        let url = crate::stream::client::stream_url(&base, PRODUCT);
        let tail = Step::new("tail", format!("Tailing {url} (what `autoplay tail` shows)")).command(format!(
            "autoplay tail --url http://127.0.0.1:8787/stream/{PRODUCT} --token-file {}",
            arg(&files.key)
        ));
        printer.heading(&tail)?;
        let (stream, options) = demo_follow(url, Format::Pretty, duration);
        let mut tally = Tally::default();
        let outcome = follow(&stream, options, |frame| tally.add(frame)).await?;
        printer.out.line("")?;
        match outcome.ending {
            Ending::Failed(err) => Err(anyhow::Error::from(err)),
            Ending::Interrupted => Ok(None),
            _ => Ok(Some(tally)),
        }
    })
}

/// The demo step of `autoplay triggers watch`: a second local connector replays the demo
/// recording, and the live trigger engine (the starting config, on the stream's clock) prints
/// each fire as its frame arrives, for a few seconds. Returns false on Ctrl-C.
fn watch_live(printer: &mut Printer, files: &Files) -> anyhow::Result<bool> {
    use crate::triggers::live::{Clock, Live, LiveOptions};
    use crate::triggers::{config, engine};
    let parsed = config::parse_products_str(PRODUCTS_JSON)?;
    // The engine's sessions borrow their config for as long as they live.
    let parsed: &'static config::ParsedConfig = Box::leak(Box::new(parsed));
    let opts: &'static engine::SimOptions = Box::leak(Box::new(engine::SimOptions::default()));
    let mut live = Live::new(parsed, opts, LiveOptions { clock: Clock::Event, max_sessions: 1000, linger: 0.0 })?;
    let config = demo_connector()?;
    let runtime = super::runtime()?;
    runtime.block_on(async {
        let server = Server::bind("127.0.0.1", 0, config).await?;
        let base = format!("http://{}", server.local_addr()?);
        tokio::spawn(server.run());
        let url = crate::stream::client::stream_url(&base, PRODUCT);
        let step = Step::new("watch", "Triggers firing live as the users act").command(format!(
            "autoplay triggers watch --config {} --url http://127.0.0.1:8787/stream/{PRODUCT} --token-file {}",
            arg(&files.config),
            arg(&files.key)
        ));
        printer.heading(&step)?;
        let out = &mut printer.out;
        let (stream, options) = demo_follow(url, Format::Json, Duration::from_secs(4));
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
        let observe = crate::stream::follow::each_frame(|frame| {
            number += 1;
            if let Ok(engine::LineOutcome::Event(ev)) = engine::parse_line(number, frame.data) {
                live.push(ev, 0.0);
                show(live.take_records(), out);
            }
            std::ops::ControlFlow::Continue(())
        });
        let outcome = crate::stream::follow::follow_with(&stream, options, false, observe).await?;
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
    let options = crate::triggers::engine::SimOptions::default();
    let header = crate::report::Header::of_run(
        "demo",
        std::path::Path::new("(the `autoplay triggers init` config)"),
        std::path::Path::new("(the embedded demo recording)"),
        &options,
    );
    let report = crate::report::build(header, run, &crate::report::Marks::of_text(DEMO_RECORDING));
    Ok(crate::report::html::write(path, &report)?)
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

/// Counts of what went by.
#[derive(Default)]
struct Tally {
    types: BTreeMap<String, u64>,
    sessions: BTreeSet<String>,
    users: BTreeSet<String>,
    pages: BTreeMap<String, u64>,
    /// The session of the latest event (by `forwarded_at`): the one `sessions context` shows.
    newest_session: Option<String>,
    newest_at: f64,
}

impl Tally {
    fn add(&mut self, frame: &DataFrame<'_>) {
        if let Ok(value) = serde_json::from_str(frame.data) {
            self.add_json(&value);
        }
    }

    fn add_json(&mut self, value: &serde_json::Value) {
        let text = |key: &str| value.get(key).and_then(serde_json::Value::as_str);
        *self.types.entry(text("type").unwrap_or("(none)").to_string()).or_default() += 1;
        if let Some(session) = text("session_id") {
            self.sessions.insert(session.to_string());
            let at = value.get("forwarded_at").and_then(serde_json::Value::as_f64).unwrap_or(0.0);
            if self.newest_session.is_none() || at >= self.newest_at {
                self.newest_session = Some(session.to_string());
                self.newest_at = at;
            }
        }
        if let Some(user) = text("user_id") {
            self.users.insert(user.to_string());
        }
        let parsed = crate::event::model::ActionsPayload::from_value(value).ok();
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
            .map(|(t, n)| match t.as_str() {
                "summary" => count(*n, "summary", "summaries"),
                "actions" => count(*n, "actions payload", "actions payloads"),
                _ => format!("{n} × {t}"),
            })
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

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "events": self.types.values().sum::<u64>(),
            "types": self.types,
            "sessions": self.sessions.len(),
            "users": self.users.len(),
            "pages": self.pages,
        })
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
