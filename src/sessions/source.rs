//! Where `sessions` reads from: a recording file (parsed in parallel chunks), stdin, a Redis
//! buffer (read without consuming) or the live stream for a while; and `--at` / `--since`.

use crate::shell::output::count;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::event::line::{LineFields, LineScratch, LineView, Reach};
use crate::recording::{LineText, ReadError};
use crate::sessions::feed::Prefilter;
use crate::settings::SourceSettings;
use crate::shell::exit::UserError;
use crate::stream::client::{DataFrame, StreamHandler, StreamWarning};

/// The lines to read, and a label for messages.
pub(crate) enum Input {
    /// A recording on disk: read in blocks, lines parsed in parallel.
    File(PathBuf),
    /// Standard input, read once, in blocks like a file.
    Stdin,
    /// Lines already in memory (Redis, live, a buffered stdin).
    Memory { label: String, lines: Vec<String> },
}

/// What the source knows about the time reference.
pub(crate) struct Opened {
    pub(crate) input: Input,
    /// The wall clock for live data (the default `--at` there).
    pub(crate) wall_clock: Option<f64>,
}

impl Input {
    pub(crate) fn label(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_string(),
            Input::Memory { label, .. } => label.clone(),
        }
    }

    /// Reads stdin into memory so it can be read twice.
    pub(crate) fn replayable(self) -> anyhow::Result<Input> {
        match self {
            Input::Stdin => {
                let mut lines = Vec::new();
                let mut reader = crate::recording::open(std::path::Path::new("-"))?;
                crate::recording::for_each_line(&mut reader, "<stdin>", |_, line| {
                    lines.push(line.to_string());
                    Ok(())
                })?;
                Ok(Input::Memory { label: "<stdin>".into(), lines })
            }
            other => Ok(other),
        }
    }

    /// Folds every non-blank line into per-run accumulators (in parallel for files and stdin)
    /// and merges them in line order. `fold` gets the 1-based line number and the line's
    /// `LineView` (its `source` is the text). Every line is read first by the one line reader, so a line it
    /// refuses is exit 2 in every `sessions` command, whether that command uses the line or not.
    pub(crate) fn fold<T, I, F, M>(&self, init: I, fold: F, merge: M) -> anyhow::Result<T>
    where
        T: Send,
        I: Fn() -> T + Sync,
        F: for<'l, 's> Fn(&mut T, usize, &LineView<'l, 's>) -> anyhow::Result<()> + Sync,
        M: Fn(&mut T, T) + Sync,
    {
        self.fold_lines(None, Reach::Everything, init, fold, merge)
    }

    /// [`Input::fold`] for a question that needs only each line's top-level fields (and the
    /// whole text, `source`): the reader checks every line as [`Input::fold`]'s does, so the
    /// verdicts are the same, but does not pick out the items of `actions`.
    pub(crate) fn fold_fields<T, I, F, M>(&self, init: I, fold: F, merge: M) -> anyhow::Result<T>
    where
        T: Send,
        I: Fn() -> T + Sync,
        F: for<'l> Fn(&mut T, usize, &LineFields<'l>) -> anyhow::Result<()> + Sync,
        M: Fn(&mut T, T) + Sync,
    {
        self.fold_lines(None, Reach::TopLevel, init, fields_only(fold), merge)
    }

    /// [`Input::fold_fields`] over the lines whose text `wanted` says may mention one of its
    /// ids (found by one search over each run of lines, before they are read): for a second
    /// pass over an input a whole fold has already read, so that the lines it skips have had
    /// their verdict.
    pub(crate) fn fold_fields_where<T, I, F, M>(
        &self,
        wanted: &Prefilter,
        init: I,
        fold: F,
        merge: M,
    ) -> anyhow::Result<T>
    where
        T: Send,
        I: Fn() -> T + Sync,
        F: for<'l> Fn(&mut T, usize, &LineFields<'l>) -> anyhow::Result<()> + Sync,
        M: Fn(&mut T, T) + Sync,
    {
        self.fold_lines(Some(wanted), Reach::TopLevel, init, fields_only(fold), merge)
    }

    /// The folds: over the lines `wanted` may mention (all when `None`), each read to `reach`.
    fn fold_lines<T, I, F, M>(
        &self,
        wanted: Option<&Prefilter>,
        reach: Reach,
        init: I,
        fold: F,
        merge: M,
    ) -> anyhow::Result<T>
    where
        T: Send,
        I: Fn() -> T + Sync,
        F: for<'l, 's> Fn(&mut T, usize, &LineView<'l, 's>) -> anyhow::Result<()> + Sync,
        M: Fn(&mut T, T) + Sync,
    {
        let mut progress = None;
        let reader: Box<dyn Read + Send> = match self {
            Input::Memory { lines, label } => {
                let mut acc = init();
                let mut scratch = LineScratch::new();
                for (i, line) in lines.iter().enumerate() {
                    if !line.trim().is_empty() && wanted.is_none_or(|w| w.may_match(line)) {
                        let view = checked(label, i + 1, line, reach, &mut scratch)?;
                        fold(&mut acc, i + 1, &view)?;
                    }
                }
                return Ok(acc);
            }
            Input::Stdin => crate::recording::open(std::path::Path::new("-"))?,
            Input::File(path) => {
                progress = crate::shell::ui::read_progress(path, "Reading");
                crate::recording::open_observed(path, progress.as_ref().map(|(_, observer)| observer.clone()))?
            }
        };
        let mut acc = init();
        let label = self.label();
        let read = crate::recording::fold_blocks(
            reader,
            &label,
            BLOCK,
            |lines| {
                let mut part = init();
                match wanted {
                    None => fold_run(&label, lines, reach, &mut part, &fold)?,
                    Some(wanted) => {
                        let mut search = wanted.search();
                        let lines = lines.holding(|bytes, from| search.next_match(bytes, from));
                        fold_run(&label, lines, reach, &mut part, &fold)?
                    }
                }
                Ok(part)
            },
            |part| {
                merge(&mut acc, part);
                Ok(())
            },
        );
        if let Some((bar, _)) = progress {
            bar.finish_and_clear();
        }
        read?;
        Ok(acc)
    }
}

/// A fold over lines' top-level fields as a fold over views (read to [`Reach::TopLevel`]):
/// such a view's `actions` was not read, so only its fields are passed on.
fn fields_only<T, F>(fold: F) -> impl for<'l, 's> Fn(&mut T, usize, &LineView<'l, 's>) -> anyhow::Result<()> + Sync
where
    F: for<'l> Fn(&mut T, usize, &LineFields<'l>) -> anyhow::Result<()> + Sync,
{
    move |part: &mut T, number: usize, view: &LineView<'_, '_>| fold(part, number, view)
}

/// Folds one run of a block's lines into `part`, each read by the one reader.
fn fold_run<'l, T, F>(
    label: &str,
    lines: impl Iterator<Item = (usize, LineText<'l>)>,
    reach: Reach,
    part: &mut T,
    fold: &F,
) -> anyhow::Result<()>
where
    F: for<'s> Fn(&mut T, usize, &LineView<'l, 's>) -> anyhow::Result<()>,
{
    let mut scratch = LineScratch::new();
    for (number, text) in lines {
        let text = text.map_err(|_| ReadError::NotUtf8 { line: number }.in_file(label))?;
        let view = checked(label, number, text, reach, &mut scratch)?;
        fold(part, number, &view)?;
    }
    Ok(())
}

/// The one reader's verdict on a line: exit 2 naming the source and the line when it is not
/// a JSON object that decodes whole.
fn checked<'l, 's>(
    label: &str,
    number: usize,
    line: &'l str,
    reach: Reach,
    scratch: &'s mut LineScratch<'l>,
) -> anyhow::Result<LineView<'l, 's>> {
    crate::event::line::read_reaching(line, scratch, reach).map_err(|e| {
        UserError::usage(format!("{label}:{number}: {e}"))
            .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
            .into()
    })
}

/// Bytes of a recording read and folded together.
const BLOCK: usize = 16 << 20;

/// Opens the source named by the flags.
pub(crate) fn open(source: &SourceSettings) -> anyhow::Result<Opened> {
    if source.live {
        return open_live(source);
    }
    let Some(from) = source.from.as_deref() else {
        return Err(UserError::usage(
            "no session data: give --from FILE, --from - (stdin), --from redis://… or --live",
        )
        .with_hint("record some with `autoplay tail --record rec.jsonl`, or try `autoplay demo`")
        .into());
    };
    if from.starts_with("redis://") || from.starts_with("rediss://") || from.starts_with("unix://") {
        let lines = read_redis(from, &source.prefix)?;
        return Ok(Opened {
            input: Input::Memory {
                label: format!("{} (prefix {})", crate::stream::redis::redact_url(from), source.prefix),
                lines,
            },
            wall_clock: None,
        });
    }
    if from == "-" {
        return Ok(Opened { input: Input::Stdin, wall_clock: None });
    }
    let path = PathBuf::from(from);
    if !path.exists() {
        return Err(UserError::usage(format!("no such recording: {from}"))
            .with_hint("record one with `autoplay tail --record FILE`, or use --from - for stdin")
            .into());
    }
    Ok(Opened { input: Input::File(path), wall_clock: None })
}

fn read_redis(url: &str, prefix: &str) -> anyhow::Result<Vec<String>> {
    let runtime = crate::stream::runtime()?;
    let contents = runtime.block_on(async {
        let mut buffer = crate::stream::redis::RedisEventBuffer::connect(url, prefix, 120.0).await?;
        buffer.read().await
    });
    let contents = contents.map_err(redis_error)?;
    report_skipped(&contents);
    Ok(contents.entries.into_iter().map(|e| e.body).collect())
}

/// A Redis failure: exit 1 with a hint.
pub(crate) fn redis_error(err: crate::stream::redis::RedisBufferError) -> anyhow::Error {
    let hint = err.hint();
    UserError::failure(err.to_string()).with_hint(hint).into()
}

/// Warns about members that were left out.
pub(crate) fn report_skipped(contents: &crate::stream::redis::BufferContents) {
    if contents.corrupt > 0 {
        crate::shell::ui::warn(format!(
            "skipped {} (not JSON, or a payload the SDK would reject)",
            count(contents.corrupt, "corrupt Redis buffer member", "corrupt Redis buffer members")
        ));
    }
    if contents.other_types > 0 {
        crate::shell::ui::warn(format!(
            "skipped {} of another type",
            count(contents.other_types, "Redis buffer member", "Redis buffer members")
        ));
    }
}

struct Collector {
    lines: Vec<String>,
    warnings: u64,
}

impl StreamHandler for Collector {
    fn on_frame(&mut self, frame: DataFrame<'_>) -> ControlFlow<()> {
        self.lines.push(frame.data.to_string());
        ControlFlow::Continue(())
    }

    fn on_warning(&mut self, warning: StreamWarning) {
        self.warnings += 1;
        crate::shell::ui::warn(warning.to_string());
    }

    fn on_reconnect(&mut self, failures: u32, wait: std::time::Duration, reason: &str) {
        crate::stream::follow::announce_reconnect(failures, wait, reason);
    }
}

fn open_live(source: &SourceSettings) -> anyhow::Result<Opened> {
    let resolved = crate::connector::credentials::resolve_stream(&source.live_stream.source)?;
    let mut config = crate::stream::client::StreamConfig::new(resolved.url.clone());
    config.token = resolved.token.map(|t| t.value);
    config.max_retries = source.live_stream.max_retries;
    config.idle_timeout = source.live_stream.idle_timeout;
    config.connect_timeout = source.live_stream.connect_timeout;
    crate::shell::ui::info(format!("listening to {} for {:.0?}…", resolved.url, source.duration));
    let mut collector = Collector { lines: Vec::new(), warnings: 0 };
    let runtime = crate::stream::runtime()?;
    let mut interrupted = false;
    let outcome = runtime.block_on(async {
        tokio::select! {
            result = crate::stream::client::run(&config, &mut collector) => Some(result),
            _ = tokio::time::sleep(source.duration) => None,
            _ = tokio::signal::ctrl_c() => {
                interrupted = true;
                None
            }
        }
    });
    if interrupted {
        // Ctrl-C stops the command (exit 130), as everywhere else; nothing is printed.
        return Err(UserError::new(crate::shell::exit::ExitStatus::Interrupted, "interrupted").into());
    }
    if let Some(Err(err)) = outcome {
        let status = err.exit_status();
        let mut user_error = UserError::new(status, err.to_string());
        if let Some(hint) = err.hint() {
            user_error = user_error.with_hint(hint);
        }
        return Err(user_error.into());
    }
    crate::shell::ui::info(format!("received {}", count(collector.lines.len(), "event", "events")));
    Ok(Opened {
        input: Input::Memory { label: "the live stream".into(), lines: collector.lines },
        wall_clock: Some(now()),
    })
}

/// The wall clock, in Unix seconds.
pub(crate) fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0)
}

/// `--at`: unix seconds or RFC 3339.
pub(crate) fn parse_time(text: &str, flag: &str) -> anyhow::Result<f64> {
    let trimmed = text.trim();
    if let Ok(seconds) = trimmed.parse::<f64>()
        && seconds.is_finite()
    {
        return Ok(seconds);
    }
    match chrono::DateTime::parse_from_rfc3339(trimmed) {
        Ok(time) => Ok(time.timestamp() as f64 + f64::from(time.timestamp_subsec_nanos()) / 1e9),
        Err(_) => Err(crate::usage_error!(
            "{flag} `{text}` is neither unix seconds nor an RFC 3339 time (e.g. 2024-05-01T23:40:00Z)"
        )),
    }
}

/// `--since`: a duration before `at` (`10m`, `90s`), unix seconds or RFC 3339.
pub(crate) fn parse_since(text: &str, at: f64) -> anyhow::Result<f64> {
    let trimmed = text.trim();
    if trimmed.ends_with(|c: char| c.is_ascii_alphabetic()) && !trimmed.contains('T') {
        let duration = crate::shell::duration::parse(trimmed).map_err(|e| crate::usage_error!("--since: {e}"))?;
        return Ok(at - duration.as_secs_f64());
    }
    parse_time(trimmed, "--since")
}

/// Renders a Unix time as RFC 3339 (UTC, seconds).
pub(crate) fn format_time(seconds: f64) -> String {
    chrono::DateTime::from_timestamp(seconds.floor() as i64, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| crate::py::float_repr(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse() {
        assert_eq!(parse_time("1714606800.5", "--at").unwrap(), 1714606800.5);
        assert_eq!(parse_time("2024-05-01T23:40:00Z", "--at").unwrap(), 1714606800.0);
        assert!(parse_time("yesterday", "--at").is_err());
        assert_eq!(parse_since("10m", 1000.0).unwrap(), 400.0);
        assert_eq!(parse_since("900", 1000.0).unwrap(), 900.0);
        assert_eq!(format_time(1714606800.9), "2024-05-01T23:40:00Z");
    }
}
