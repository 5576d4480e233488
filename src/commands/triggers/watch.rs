//! `autoplay triggers watch`: the trigger engine of `triggers simulate` on the live stream
//! (or a growing recording), printing each decision as it is made.
//!
//! Two threads: the input (the stream followed by [`crate::stream::follow`], or a file read
//! as it grows) reads the lines of each network read (or of what the file had) into events
//! and hands them to the engine thread as one batch; the engine thread owns the [`Live`]
//! engine, pulses it by the clock, writes the records (into one buffer, flushed whenever the
//! input is drained), forwards them and reloads the config when its file changes.

use std::io::{BufRead, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use crate::connector::credentials;
use crate::recording::{MAX_LINE_BYTES, RecordingWriter};
use crate::report;
use crate::settings::{GlobalSettings, WatchInput, WatchSettings};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::{self, Format, LineWriter};
use crate::shell::ui;
use crate::simulate::{load_config, sim_error};
use crate::stream::client::DataFrame;
use crate::stream::filter::{Filter, FilterSpec};
use crate::stream::follow::{Ending, FollowOptions, Observe, follow_with};
use crate::stream::forward::{self, ForwardNotice, Forwarder};
use crate::triggers::config::ParsedConfig;
use crate::triggers::engine::{self, BadLine, LineOutcome, Record, RecordKind, SimOptions, UrlTable, WhyMode};
use crate::triggers::live::{Clock, Live};
use crate::triggers::why;

/// What the input hands the engine thread.
enum Input {
    /// The lines (frames' data) of one read of the input, and when they arrived.
    Lines(Batch),
    /// The input ended (or the run was stopped).
    End,
}

/// The lines of one read of the socket (or of the file), already read into events on the
/// input's thread (the engine thread only decides): one channel message for all of them, so
/// that a busy stream costs a message per read, not per frame.
#[derive(Default)]
struct Batch {
    /// Each line as the simulator reads it.
    lines: Vec<Result<LineOutcome<'static>, BadLine>>,
    /// With `--report`: what the report keeps of each line (one per line), else empty.
    marks: Vec<report::LineMarks>,
    /// The bytes of the lines (a batch is handed over past [`BATCH_BYTES`]).
    bytes: usize,
    /// When the read arrived (Unix seconds).
    arrived: f64,
}

/// The most bytes one batch holds before it is handed over anyway.
const BATCH_BYTES: usize = 256 * 1024;

impl Batch {
    /// Reads one line (`number`: its place in the input, for messages) into the batch, and
    /// with `marks` what the report keeps of it.
    fn push(&mut self, number: usize, line: &str, marks: Option<&mut report::LineMarksReader>) {
        let mut scratch = engine::LineScratch::new();
        let read = engine::parse_line_with(number, line, &mut scratch);
        if let Some(reader) = marks {
            self.marks.push(match &read {
                Ok(LineOutcome::Event(_)) => reader.of_view(&scratch.last_line()),
                _ => report::LineMarks::default(),
            });
        }
        self.push_read(line.len(), read);
    }

    /// Adds a line already read (`bytes` long) to the batch.
    fn push_read(&mut self, bytes: usize, read: Result<LineOutcome<'_>, BadLine>) {
        if self.lines.is_empty() {
            self.arrived = unix_now();
        }
        self.bytes += bytes;
        self.lines.push(read.map(LineOutcome::into_owned));
    }

    fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Hands the frames of each network read to the engine as one [`Batch`].
struct Batcher {
    sender: mpsc::SyncSender<Input>,
    batch: Batch,
    /// Frames seen so far.
    frames: usize,
    /// The input thread's shared URL texts.
    urls: UrlTable,
    /// With `--report`: reads what the report keeps of each frame.
    marks: Option<report::LineMarksReader>,
}

impl Batcher {
    fn send(&mut self) -> ControlFlow<()> {
        if self.batch.is_empty() {
            return ControlFlow::Continue(());
        }
        match self.sender.send(Input::Lines(std::mem::take(&mut self.batch))) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }
}

impl Observe for Batcher {
    fn frame(&mut self, frame: &DataFrame<'_>) -> ControlFlow<()> {
        self.frames += 1;
        // The stream client has read the frame once; the simulator (and the report) take the
        // event from that same reading.
        if let Some(reader) = &mut self.marks {
            self.batch.marks.push(reader.of_view(&frame.line));
        }
        self.batch.push_read(frame.data.len(), engine::parse_view(self.frames, &frame.line, &mut self.urls));
        if self.batch.bytes >= BATCH_BYTES {
            return self.send();
        }
        ControlFlow::Continue(())
    }

    fn chunk_end(&mut self) -> ControlFlow<()> {
        self.send()
    }
}

/// How often the config file is looked at.
const CONFIG_POLL: Duration = Duration::from_millis(500);

pub(crate) fn run(global: &GlobalSettings, args: WatchSettings) -> anyhow::Result<ExitStatus> {
    let format = output::resolve_format(global.format);
    output::ensure_supported(format, "triggers watch")?;
    let mut options = args.options.clone();
    if format == Format::Pretty && options.why == WhyMode::Off {
        // Every fire line shows its reason.
        options.why = WhyMode::Fires;
    }
    options.validate().map_err(UserError::usage)?;
    if let Some(kind) = args.focus.unknown_kind() {
        return Err(UserError::usage(format!("--kind {kind:?}: not a record kind"))
            .with_hint(format!("the kinds are {}", crate::triggers::focus::KINDS.join(", ")))
            .into());
    }
    let parsed = load_config(&args.config)?;
    // The engine's sessions borrow their config for their whole life; a reload adds one.
    let config: &'static ParsedConfig = Box::leak(Box::new(parsed));
    let opts: &'static SimOptions = Box::leak(Box::new(options));
    let mut live = Live::new(config, opts, args.live).map_err(|err| sim_error(err, &args.config))?;
    // The focus chooses what is printed; forwarding and the summary see every decision.
    live.set_focus(args.focus.clone());
    let forward_secret = forward::read_secret(args.forward_secret_file.as_deref())?;
    if args.forward_to.is_some() && forward_secret.is_none() {
        ui::warn("forwarding unsigned: no --forward-secret-file or AUTOPLAY_FORWARD_SECRET");
    }
    let stream = match &args.input {
        WatchInput::Stream(connection) => Some(credentials::stream_config(connection)?),
        WatchInput::File(_) => None,
    };
    let recorder = args.record.as_deref().map(RecordingWriter::append).transpose()?;
    let with_report = args.report.is_some();
    if let Some(path) = &args.report {
        // The report is written when the run ends, maybe hours from now: a folder that is not
        // there is said now.
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !folder.is_dir() {
            return Err(UserError::usage(format!(
                "--report {}: the folder {} does not exist",
                path.display(),
                folder.display()
            ))
            .into());
        }
    }
    if with_report {
        live.keep_ended();
    }

    let runtime = crate::stream::runtime()?;
    runtime.block_on(async {
        let forwarder = match &args.forward_to {
            Some(url) => Some(Arc::new(Forwarder::spawn(url.clone(), forward_secret, |notice| match notice {
                ForwardNotice::Retrying { attempt, reason } => {
                    ui::warn(format!("forwarding failed ({reason}); retrying (attempt {attempt})"))
                }
                ForwardNotice::GaveUp { reason } => ui::warn(format!("forwarding gave up on a record ({reason})")),
            })?)),
            None => None,
        };
        // A bounded backlog: at most 64 reads (of at most BATCH_BYTES each) wait for the engine.
        let (sender, receiver) = mpsc::sync_channel::<Input>(64);
        let engine = {
            let forwarder = forwarder.clone();
            let config_path = args.config.clone();
            let connected = stream.is_some();
            std::thread::spawn(move || {
                let report = with_report.then(|| report::LiveReport::new(report::Limits::default()));
                EngineLoop::new(live, format, forwarder, config_path, connected, report).run(receiver)
            })
        };
        let ending = match (&stream, &args.input) {
            (Some(stream), _) => {
                let options = FollowOptions {
                    format,
                    show_raw: false,
                    filter: Filter::new(&FilterSpec::default()),
                    recorder,
                    forwarder: None,
                    sink: None,
                    stop_after: args.max_events,
                    duration: args.duration,
                    exit_when_idle: args.exit_when_idle,
                };
                let batcher = Batcher {
                    sender: sender.clone(),
                    batch: Batch::default(),
                    frames: 0,
                    urls: UrlTable::default(),
                    marks: with_report.then(report::LineMarksReader::new),
                };
                let outcome = follow_with(stream, options, false, batcher).await;
                let _ = sender.send(Input::End);
                outcome.map(|o| o.ending)
            }
            (None, WatchInput::File(path)) => {
                let stop = Arc::new(AtomicBool::new(false));
                let (done, finished) = tokio::sync::oneshot::channel();
                {
                    // A thread of its own: a read from stdin cannot be interrupted, and the
                    // process must be able to end without it.
                    let (path, stop, limits) = (path.clone(), stop.clone(), (args.max_events, args.exit_when_idle));
                    let sender = sender.clone();
                    std::thread::spawn(move || {
                        let _ = done.send(read_file(&path, sender, recorder, &stop, limits, with_report));
                    });
                }
                let deadline = async {
                    match args.duration {
                        Some(d) => tokio::time::sleep(d).await,
                        None => std::future::pending().await,
                    }
                };
                let ending = tokio::select! {
                    done = finished => match done {
                        Ok(result) => result.map(|()| Ending::Stopped),
                        Err(_) => Err(anyhow::anyhow!("the reader stopped")),
                    },
                    _ = deadline => Ok(Ending::Deadline),
                    _ = tokio::signal::ctrl_c() => Ok(Ending::Interrupted),
                };
                stop.store(true, Ordering::Relaxed);
                let _ = sender.send(Input::End);
                ending
            }
            (None, WatchInput::Stream(_)) => Err(anyhow::anyhow!("no stream to follow")),
        };
        let (summary, gathered) = engine.join().map_err(|_| anyhow::anyhow!("the engine thread panicked"))?;
        if let (Some(path), Some(gathered)) = (&args.report, gathered) {
            // Whatever ended the run, what it decided is kept.
            let input = match (&stream, &args.input) {
                (Some(stream), _) => crate::shell::secret::redact_url(&stream.url),
                (None, WatchInput::File(path)) if path == Path::new("-") => "(stdin)".to_string(),
                (None, WatchInput::File(path)) => path.display().to_string(),
                (None, WatchInput::Stream(_)) => String::new(),
            };
            write_report(path, &args, &input, gathered)?;
        }
        if let Some(forwarder) = forwarder.and_then(|f| Arc::try_unwrap(f).ok()) {
            let stats = forwarder.finish(Duration::from_secs(5)).await;
            use std::sync::atomic::Ordering::Relaxed;
            let (delivered, failed, dropped) =
                (stats.delivered.load(Relaxed), stats.failed.load(Relaxed), stats.dropped.load(Relaxed));
            let line = format!(
                "forwarded {} ({failed} failed, {dropped} dropped because the queue was full)",
                output::count(delivered, "record", "records")
            );
            if failed + dropped > 0 { ui::warn(line) } else { ui::info(line) }
        }
        let summary = summary?;
        for line in summary {
            ui::info(line);
        }
        match ending? {
            Ending::Failed(err) => Err(err.into()),
            Ending::Interrupted => Ok(ExitStatus::Interrupted),
            Ending::Stopped | Ending::Deadline | Ending::Idle => Ok(ExitStatus::Success),
        }
    })
}

/// Writes the report of what the run decided (on exit) and says where it is.
/// `input` names what was read (the stream's URL, its secrets masked, or the file).
fn write_report(path: &Path, args: &WatchSettings, input: &str, gathered: report::LiveReport) -> anyhow::Result<()> {
    let mut header = report::Header::of_run("triggers watch", &args.config, Path::new(input), &args.options);
    header.options.push(("--clock".into(), args.live.clock.name().into()));
    let built = gathered.finish(header);
    report::html::write(path, &built)?;
    ui::info(format!("report written to {}", path.display()));
    Ok(())
}

fn unix_now() -> f64 {
    SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// Reads `path` (or stdin for `-`) line by line into the engine; a file is followed as it
/// grows until `stop`, `--max-events` or `--exit-when-idle`.
fn read_file(
    path: &Path,
    sender: mpsc::SyncSender<Input>,
    mut recorder: Option<RecordingWriter>,
    stop: &AtomicBool,
    (max_events, idle): (Option<u64>, Option<Duration>),
    with_marks: bool,
) -> anyhow::Result<()> {
    let stdin = path == Path::new("-");
    let source: Box<dyn std::io::Read> = if stdin {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|err| UserError::usage(format!("could not open {}: {err}", path.display())))?;
        Box::new(file)
    };
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, source);
    // The line read so far (a line still being written waits here for its end).
    let mut pending: Vec<u8> = Vec::new();
    // Inside a line past the limit: its bytes are dropped up to its end.
    let mut skipping = false;
    let mut batch = Batch::default();
    let mut marks = with_marks.then(report::LineMarksReader::new);
    let mut count = 0u64;
    let mut last = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        // Never more than the limit of a recording line is held.
        let room = (MAX_LINE_BYTES + 1).saturating_sub(pending.len()).max(1) as u64;
        let n = reader.by_ref().take(room).read_until(b'\n', &mut pending)?;
        if n == 0 {
            if stdin {
                break;
            }
            if idle.is_some_and(|idle| last.elapsed() >= idle) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
            continue;
        }
        let complete = pending.last() == Some(&b'\n');
        if !complete && pending.len() > MAX_LINE_BYTES {
            if !skipping {
                ui::warn(format!(
                    "skipped a line longer than {} MiB, the limit of a recording line",
                    MAX_LINE_BYTES >> 20
                ));
            }
            skipping = true;
            pending.clear();
            continue;
        }
        if !complete && !stdin {
            // A line still being written: wait for its end.
            continue;
        }
        if std::mem::take(&mut skipping) {
            // The end of a line that was too long.
            pending.clear();
            continue;
        }
        let text = match String::from_utf8(std::mem::take(&mut pending)) {
            Ok(text) => text,
            Err(_) => {
                ui::warn("skipped a line that is not UTF-8");
                continue;
            }
        };
        let text = text.trim_end_matches(['\n', '\r']).to_string();
        if text.trim().is_empty() {
            continue;
        }
        last = Instant::now();
        if let Some(recorder) = &mut recorder {
            recorder.write_data(&text)?;
        }
        count += 1;
        batch.push(count as usize, &text, marks.as_mut());
        let limit = max_events.is_some_and(|m| count >= m);
        // What is already read goes together; a line never waits for more input.
        if (limit || reader.buffer().is_empty() || batch.bytes >= BATCH_BYTES)
            && sender.send(Input::Lines(std::mem::take(&mut batch))).is_err()
        {
            return Ok(());
        }
        if limit {
            break;
        }
    }
    if !batch.is_empty() {
        let _ = sender.send(Input::Lines(batch));
    }
    Ok(())
}

/// The engine thread: the live engine, its output and the watched config.
struct EngineLoop {
    live: Live,
    clock: Clock,
    format: Format,
    color: bool,
    out: LineWriter,
    forwarder: Option<Arc<Forwarder>>,
    config_path: PathBuf,
    config_stamp: Option<SystemTime>,
    last_poll: Instant,
    bad_lines: u64,
    /// Per session (product id, session id): the last user id seen.
    users: engine::FxMap<(Box<str>, Box<str>), Box<str>>,
    text: String,
    /// The status line on stderr (a terminal only, pretty output).
    status: Option<indicatif::ProgressBar>,
    connected: bool,
    last_status: Instant,
    /// With `--report`: everything decided, for the report written at exit.
    report: Option<report::LiveReport>,
}

impl EngineLoop {
    fn new(
        live: Live,
        format: Format,
        forwarder: Option<Arc<Forwarder>>,
        config_path: PathBuf,
        connected: bool,
        report: Option<report::LiveReport>,
    ) -> Self {
        let config_stamp = modified(&config_path);
        EngineLoop {
            clock: live_clock(&live),
            live,
            format,
            color: ui::colors_stdout(),
            // Flushed when the input is drained (see `run`), not per record.
            out: LineWriter::block_buffered(),
            forwarder,
            config_path,
            config_stamp,
            last_poll: Instant::now(),
            bad_lines: 0,
            users: Default::default(),
            text: String::new(),
            status: if format == Format::Pretty && ui::stdout_is_terminal() { ui::status_line() } else { None },
            connected,
            last_status: Instant::now(),
            report,
        }
    }

    /// Runs until the input ends, then ends every session; returns the summary lines and,
    /// with `--report`, what the report holds.
    fn run(mut self, receiver: mpsc::Receiver<Input>) -> (anyhow::Result<Vec<String>>, Option<report::LiveReport>) {
        let summary = self.run_until_end(receiver);
        (summary, self.report.take())
    }

    fn run_until_end(&mut self, receiver: mpsc::Receiver<Input>) -> anyhow::Result<Vec<String>> {
        let mut next = None;
        loop {
            let input = match next.take() {
                Some(input) => Ok(input),
                None => {
                    // Nothing more is waiting: what was written reaches stdout before the
                    // engine waits (a record is never held behind a quiet input).
                    if let Err(err) = self.out.flush() {
                        return self.broken(err);
                    }
                    let wait = match (self.clock, self.live.next_due()) {
                        (Clock::Wall, Some(due)) => Duration::from_secs_f64((due - unix_now()).clamp(0.0, 0.5)),
                        _ => CONFIG_POLL,
                    };
                    receiver.recv_timeout(wait)
                }
            };
            match input {
                Ok(Input::Lines(batch)) => {
                    let mut marks = batch.marks.into_iter();
                    for line in batch.lines {
                        self.take(line, batch.arrived, marks.next());
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Ok(Input::End) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            match receiver.try_recv() {
                Ok(input) => next = Some(input),
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => next = Some(Input::End),
            }
            if self.clock == Clock::Wall {
                self.live.advance(unix_now());
            }
            if let Err(err) = self.write_records() {
                return self.broken(err);
            }
            if self.last_poll.elapsed() >= CONFIG_POLL {
                self.last_poll = Instant::now();
                self.reload();
            }
            self.show_status();
        }
        match self.clock {
            Clock::Event => self.live.flush(),
            Clock::Wall => {
                self.live.advance(unix_now());
                self.live.flush_now();
            }
        }
        if let Err(err) = self.write_records().and_then(|()| self.out.flush()) {
            return self.broken(err);
        }
        self.clear_status();
        let stats = self.live.stats().clone();
        let mut lines = self.live.tally().lines();
        if self.bad_lines > 0 {
            lines.push(format!("{} skipped (not a readable event)", output::count(self.bad_lines, "line", "lines")));
        }
        if stats.evicted > 0 {
            ui::warn(format!(
                "{} ended early: more than --max-sessions were live (the least recently active went first)",
                output::count(stats.evicted, "session", "sessions")
            ));
        }
        if stats.late > 0 {
            ui::warn(format!(
                "{} older than their session's clock, taken at the session's clock",
                output::count(stats.late, "event", "events")
            ));
        }
        for (pid, n) in &stats.unrouted {
            ui::warn(format!("no product row for product_id {pid:?}; {n} event(s) skipped"));
        }
        for err in &stats.failed {
            ui::warn(format!("a session was dropped: {err}"));
        }
        Ok(lines)
    }

    /// A closed stdout ends the run quietly.
    fn broken(&mut self, err: std::io::Error) -> anyhow::Result<Vec<String>> {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return Ok(Vec::new());
        }
        Err(anyhow::Error::from(err).context("could not write to stdout"))
    }

    fn take(&mut self, line: Result<LineOutcome<'static>, BadLine>, arrived: f64, marks: Option<report::LineMarks>) {
        match line {
            Ok(LineOutcome::Event(mut ev)) => {
                if let (Some(report), Some(marks)) = (&mut self.report, marks)
                    && self.live.routes(&ev.product_id)
                {
                    if self.clock == Clock::Wall {
                        // The engine takes the event when it arrived; the lane shows it there.
                        ev.t = arrived;
                    }
                    report.event(&ev, marks);
                }
                if self.format == Format::Pretty
                    && let Some(user) = &ev.user_id
                {
                    // The session's last user id (pretty lines show it).
                    let key = (Box::from(&*ev.product_id), Box::from(&*ev.session_id));
                    self.users.insert(key, Box::from(&**user));
                }
                self.live.push(ev, arrived);
            }
            Ok(LineOutcome::Ignored) => {}
            Err(bad) => {
                self.bad_lines += 1;
                ui::warn(format!("skipped an event the engine cannot read: {bad}"));
            }
        }
    }

    fn write_records(&mut self) -> std::io::Result<()> {
        let records: Vec<(Record, bool)> = self.live.take_marked().collect();
        if records.is_empty() {
            return Ok(());
        }
        self.clear_status();
        for (r, shown) in records {
            let forward = self.forwarder.is_some() && !matches!(r.kind, RecordKind::Evaluation { .. });
            if forward || (shown && self.format == Format::Json) || self.report.is_some() {
                self.text.clear();
                r.write_json(&mut self.text);
            }
            if let Some(report) = &mut self.report {
                // Before the record is written: a closed stdout loses nothing of the report.
                report.record(&r, &self.text);
            }
            if forward && let Some(forwarder) = &self.forwarder {
                forwarder.offer(&self.text);
            }
            match self.format {
                Format::Json if shown => self.out.line(&self.text)?,
                Format::Json => {}
                _ => {
                    if shown {
                        let line = self.pretty(&r);
                        self.out.line(&line)?;
                    }
                    if let RecordKind::SessionEnd { .. } = r.kind {
                        self.users.remove(&(Box::from(&*r.product_id), Box::from(&*r.session_id)));
                    }
                }
            }
        }
        if let Some(report) = &mut self.report {
            for (index, summary) in self.live.take_ended() {
                report.ended(index, summary);
            }
        }
        Ok(())
    }

    /// One line per decision: time, what, session, user, page, reason.
    fn pretty(&self, r: &Record) -> String {
        let paint = |text: &str, style: console::Style| {
            if self.color { style.force_styling(true).apply_to(text).to_string() } else { text.to_string() }
        };
        let time = chrono::DateTime::from_timestamp_millis((r.ts * 1000.0) as i64)
            .map(|d| d.format("%H:%M:%S%.3f").to_string())
            .unwrap_or_default();
        let user = self
            .users
            .get(&(Box::from(&*r.product_id), Box::from(&*r.session_id)))
            .map_or("-".to_string(), |u| u.to_string());
        let who = format!("{}/{} user {user}", r.product_id, r.session_id);
        let (kind, style) = match r.kind {
            RecordKind::Fire(_) => ("fire", console::Style::new().green().bold()),
            RecordKind::Timeout { .. } => ("timeout", console::Style::new().yellow()),
            RecordKind::Evaluation { .. } => ("eval", console::Style::new().dim()),
            RecordKind::InvalidTransition { .. } => ("invalid", console::Style::new().red()),
            _ => (r.kind.name(), console::Style::new().cyan()),
        };
        let detail = match &r.kind {
            RecordKind::Fire(fire) => {
                let page = fire.why.as_ref().and_then(|w| w.window.page.clone()).unwrap_or_else(|| "-".into());
                let reason = why::fire_reason(fire.trigger_id, &fire.metadata, fire.why.as_deref());
                let chips = if fire.chips.is_empty() {
                    String::new()
                } else {
                    let labels: Vec<String> =
                        fire.chips.iter().map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string)).collect();
                    format!(" [{}]", labels.join(" | "))
                };
                format!("{} on {page}: {reason} ({}) {:?}{chips}", fire.trigger_id, fire.judge, fire.body)
            }
            RecordKind::Timeout { from, .. } => format!("{} went unanswered; cooling down", from.as_str()),
            RecordKind::CooldownCleared => "cooldown over".into(),
            RecordKind::Reactive { via } => format!("the user reached out ({via})"),
            RecordKind::TourOffer { flow_id, .. } => format!("offers tour {flow_id}"),
            RecordKind::TourStarted { flow_id, via } => format!("tour {flow_id} started ({via})"),
            RecordKind::TourDeclined { flow_id } => format!("tour {flow_id} declined"),
            RecordKind::InvalidTransition { event, error } => format!("{event}: {error}"),
            RecordKind::SessionEnd { state, fires, .. } => {
                format!("ended in {} after {}", state.as_str(), output::count(*fires, "fire", "fires"))
            }
            RecordKind::Evaluation { point, decision, .. } => format!("{point}: {}", decision.as_string()),
        };
        format!("{}  {:<16} {}  {}", paint(&time, console::Style::new().dim()), paint(kind, style), who, detail)
    }

    /// Looks at the config file; a valid change applies from the next evaluation, to new
    /// sessions and live ones alike ([`Live::set_config`]); an invalid one is reported and the
    /// previous config kept.
    fn reload(&mut self) {
        let stamp = modified(&self.config_path);
        if stamp == self.config_stamp || stamp.is_none() {
            return;
        }
        self.config_stamp = stamp;
        let path = self.config_path.display().to_string();
        match load_config(&self.config_path) {
            Ok(parsed) => {
                let config: &'static ParsedConfig = Box::leak(Box::new(parsed));
                match self.live.set_config(config) {
                    Ok((moved, kept)) => {
                        self.clear_status();
                        let kept = if kept == 0 {
                            String::new()
                        } else {
                            format!(
                                "; {} whose product has no row in it keep the previous one",
                                output::count(kept as u64, "live session", "live sessions")
                            )
                        };
                        ui::info(format!(
                            "{path} changed: reloaded; it applies from the next evaluation, to new sessions and to {} \
                             (their state and history kept){kept}",
                            output::count(moved as u64, "live session", "live sessions")
                        ))
                    }
                    Err(err) => {
                        ui::warn(format!("{path} changed but cannot be used ({err}); keeping the previous config"))
                    }
                }
            }
            Err(err) => {
                self.clear_status();
                ui::warn(format!("{path} changed but is not valid ({err:#}); keeping the previous config"))
            }
        }
    }

    fn show_status(&mut self) {
        let Some(bar) = &self.status else { return };
        if self.last_status.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last_status = Instant::now();
        bar.set_message(format!(
            "{} · {} live · {} so far · {} received",
            if self.connected { "connected" } else { "reading" },
            output::count(self.live.live_sessions() as u64, "session", "sessions"),
            output::count(self.live.tally().fires(), "fire", "fires"),
            output::count(self.live.stats().events, "event", "events"),
        ));
    }

    fn clear_status(&mut self) {
        if let Some(bar) = &self.status {
            bar.set_message("");
        }
    }
}

fn live_clock(live: &Live) -> Clock {
    live.clock()
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}
