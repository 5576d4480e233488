//! `autoplay sessions`: list, show, context, user, stats and drain over a recording, stdin,
//! a Redis event buffer or the live stream. The SDK logic lives in [`crate::sessions`];
//! this module reads the source, picks the lines that matter and prints.

mod source;

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::event::line::{self as event_line, LineScratch};
use crate::event::model::Event;
use crate::sessions::aggregate::{SessionTable, percentile, sort_rows, top_counts};
use crate::sessions::context::Fallback;
use crate::sessions::feed::Prefilter;
use crate::sessions::line::LightLine;
use crate::sessions::timeline::{TimelineItem, Timelines};
use crate::sessions::user_index::user_activity;
use crate::sessions::{ContextOptions, SessionFeed, UserSessionIndex};
use crate::settings::{
    GlobalSettings, SessionsContextSettings, SessionsDrainSettings, SessionsListSettings, SessionsSettings,
    SessionsShowSettings, SessionsStatsSettings, SessionsUserSettings,
};
use crate::shell::exit::{ExitStatus, UserError};
use crate::shell::output::Format;
use crate::shell::output::LineWriter;

use source::Input;

pub(crate) fn run(global: &GlobalSettings, command: SessionsSettings) -> anyhow::Result<ExitStatus> {
    match command {
        SessionsSettings::List(args) => list(global, args),
        SessionsSettings::Show(args) => show(global, args),
        SessionsSettings::Context(args) => context(global, args),
        SessionsSettings::User(args) => user(global, args),
        SessionsSettings::Stats(args) => stats(global, args),
        SessionsSettings::Drain(args) => drain(global, args),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading lines
// ---------------------------------------------------------------------------------------------

fn line_error(label: &str, number: usize, message: impl std::fmt::Display) -> anyhow::Error {
    UserError::usage(format!("{label}:{number}: {message}"))
        .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
        .into()
}

/// Reads a line as the SDK's `from_dict` would, every field. An actions batch whose `count`
/// is not the number of its actions is reconciled as the SDK does, with the SDK's warning.
fn parse_full<'l>(label: &str, number: usize, line: &'l str, scratch: &mut LineScratch<'l>) -> anyhow::Result<Event> {
    let view = event_line::read(line, scratch).map_err(|e| line_error(label, number, e))?;
    let object = view.object().map_err(|e| line_error(label, number, e))?;
    let rejects = |e| line_error(label, number, format!("the SDK rejects this actions line ({e})"));
    if object.get("type").and_then(Value::as_str) == Some(crate::event::model::ACTIONS) {
        let (payload, mismatch) = crate::event::model::ActionsPayload::from_object(&object).map_err(rejects)?;
        if let Some(mismatch) = mismatch {
            crate::shell::ui::warn(format!(
                "{label}:{number}: ActionsPayload.count={} does not match len(actions)={} for session={} — using len(actions) as the authoritative value",
                mismatch.declared,
                mismatch.actual,
                payload.session_id.as_deref().unwrap_or("None")
            ));
        }
        return Ok(Event::Actions(payload));
    }
    Event::from_object(&object).map_err(rejects)
}

/// The numeric `forwarded_at` of an actions or summary line.
fn line_forwarded_at<'l>(
    label: &str,
    number: usize,
    line: &'l str,
    scratch: &mut LineScratch<'l>,
) -> anyhow::Result<Option<f64>> {
    let view = event_line::read(line, scratch).map_err(|e| line_error(label, number, e))?;
    crate::sessions::line::payload_time(&view).map_err(|e| line_error(label, number, e))
}

fn max_time(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn session_table(input: &Input, details: bool) -> anyhow::Result<SessionTable> {
    let label = input.label();
    input.fold(
        || if details { SessionTable::new() } else { SessionTable::rows_only() },
        |table, number, line, scratch| {
            let view = event_line::read(line, scratch).map_err(|e| line_error(&label, number, e))?;
            let parsed = LightLine::from_view(&view).map_err(|e| line_error(&label, number, e))?;
            table.add(&parsed).map_err(|e| line_error(&label, number, format!("the SDK rejects this line: {e}")))
        },
        SessionTable::merge,
    )
}

/// `--at`, else the data's latest `forwarded_at` (0 when none), else the wall clock for live.
fn reference_time(at: Option<&str>, wall_clock: Option<f64>, latest: Option<f64>) -> anyhow::Result<f64> {
    match (at, wall_clock) {
        (Some(text), _) => source::parse_time(text, "--at"),
        (None, Some(clock)) => Ok(clock),
        (None, None) => Ok(latest.unwrap_or(0.0)),
    }
}

fn text_format(global: &GlobalSettings, command: &str) -> anyhow::Result<Format> {
    let format = global.format.unwrap_or(Format::Text);
    crate::shell::output::ensure_supported(format, &[Format::Text, Format::Pretty, Format::Json], command)?;
    Ok(format)
}

fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = LineWriter::block_buffered();
    if !text.is_empty() {
        out.line(text)?;
    }
    out.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// context
// ---------------------------------------------------------------------------------------------

struct ContextScan {
    feed: SessionFeed,
    latest: Option<f64>,
}

fn context(global: &GlobalSettings, args: SessionsContextSettings) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions context")?;
    let options = ContextOptions::new(!args.no_summary, !args.no_actions, args.lookback, args.max_actions)
        .map_err(|e| UserError::usage(e.to_string()))?;
    let opened = source::open(&args.source)?;
    let label = opened.input.label();
    let session = args.session.as_str();
    let needs_latest = options.lookback_seconds.is_some() && args.source.at.is_none() && opened.wall_clock.is_none();
    let scan = opened.input.fold(
        || ContextScan { feed: SessionFeed::for_sessions([session]), latest: None },
        |scan, number, line, scratch| {
            if needs_latest {
                scan.latest = max_time(scan.latest, line_forwarded_at(&label, number, line, scratch)?);
            }
            if scan.feed.may_concern(line) {
                scan.feed.add(parse_full(&label, number, line, scratch)?);
            }
            Ok(())
        },
        |scan, later| {
            scan.feed.merge(later.feed);
            scan.latest = max_time(scan.latest, later.latest);
        },
    )?;
    let store = &scan.feed.store;
    let at = reference_time(args.source.at.as_deref(), opened.wall_clock, scan.latest)?;
    if !store.knows(session) {
        return Err(UserError::not_found(format!("no session `{session}` in {label}"))
            .with_hint("list the session ids with `autoplay sessions list` (same --from); ids are per product and browser session")
            .into());
    }
    let product = args.product.as_deref();
    let result = match &args.query {
        Some(query) => store.enrich(session, query, product, &options, at),
        None => store.get(session, product, &options, at),
    };
    match &result.fallback {
        Some(Fallback::Used { bucket }) => crate::shell::ui::warn(format!(
            "no --product given: read the only product-scoped bucket of `{session}` (product `{}`), as the SDK does",
            Fallback::product_of(bucket)
        )),
        Some(Fallback::Ambiguous { buckets }) => {
            let products: Vec<&str> = buckets.iter().map(|b| Fallback::product_of(b)).collect();
            crate::shell::ui::warn(format!(
                "session `{session}` exists under several products ({}): without --product the SDK returns no actions",
                products.join(", ")
            ));
            crate::shell::ui::hint(format!("pass --product {}", products.first().copied().unwrap_or("ID")));
        }
        None => {}
    }
    if result.text.is_empty() {
        crate::shell::ui::info(format!(
            "no context for `{session}` at {} (everything is outside the lookback, or both parts are off)",
            source::format_time(at)
        ));
    }
    if format == Format::Json {
        let record =
            json!({"session_id": session, "product_id": product, "at": at, "query": args.query, "text": result.text});
        print_text(&record.to_string())?;
    } else {
        print_text(&result.text)?;
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// user
// ---------------------------------------------------------------------------------------------

fn user(global: &GlobalSettings, args: SessionsUserSettings) -> anyhow::Result<ExitStatus> {
    let format = text_format(global, "sessions user")?;
    let mut index =
        UserSessionIndex::new(args.lookback, args.max_sessions).map_err(|e| UserError::usage(e.to_string()))?;
    let opened = source::open(&args.source)?;
    let input = opened.input.replayable()?;
    let label = input.label();
    let user_id = args.user.as_str();
    let needs_latest = args.source.at.is_none() && opened.wall_clock.is_none();
    // Pass 1: this user's batches, in order (the index ignores everyone else's).
    let (mine, latest) = input.fold(
        || (SessionFeed::for_user(user_id), None::<f64>),
        |(mine, latest), number, line, scratch| {
            if needs_latest {
                *latest = max_time(*latest, line_forwarded_at(&label, number, line, scratch)?);
            }
            if mine.may_concern(line) {
                mine.add(parse_full(&label, number, line, scratch)?);
            }
            Ok(())
        },
        |(mine, latest), (theirs, their_latest)| {
            mine.merge(theirs);
            *latest = max_time(*latest, their_latest);
        },
    )?;
    let at = reference_time(args.source.at.as_deref(), opened.wall_clock, latest)?;
    mine.index(&mut index, at);
    let refs = index.recent_sessions(user_id, at);
    let not_found = || -> anyhow::Error {
        UserError::not_found(format!("no recent activity for user `{user_id}` in {label}"))
            .with_hint(format!(
                "the user id must be the one passed to identify() (not an email or a session id); ids can drift \
                 between anonymous and identified sessions. The lookback is {}s before {}: try --lookback or --at, \
                 and `autoplay sessions list --user ID` to see which ids are there",
                crate::py::float_repr(args.lookback).trim_end_matches(".0"),
                source::format_time(at)
            ))
            .into()
    };
    if refs.is_empty() {
        return Err(not_found());
    }
    // Pass 2: the store, for those sessions only.
    let feed = input.fold(
        || SessionFeed::for_sessions(refs.iter().map(|r| r.session_id.as_str())),
        |feed, number, line, scratch| {
            if feed.may_concern(line) {
                feed.add(parse_full(&label, number, line, scratch)?);
            }
            Ok(())
        },
        SessionFeed::merge,
    )?;
    let store = feed.store;
    let text = user_activity(&refs, &store, at);
    if text.is_empty() {
        return Err(not_found());
    }
    if format == Format::Json {
        let sessions: Vec<Value> = refs
            .iter()
            .map(|r| json!({"session_id": r.session_id, "product_id": r.product_id, "last_seen_at": r.last_seen_at}))
            .collect();
        let record =
            json!({"user_id": user_id, "email": index.email(user_id), "at": at, "sessions": sessions, "text": text});
        print_text(&record.to_string())?;
    } else {
        print_text(&text)?;
    }
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

fn list(global: &GlobalSettings, args: SessionsListSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions list")?;
    let opened = source::open(&args.source)?;
    let table = session_table(&opened.input, false)?;
    let at = reference_time(args.source.at.as_deref(), opened.wall_clock, table.latest_forwarded_at)?;
    let since = args.since.as_deref().map(|s| source::parse_since(s, at)).transpose()?;
    let mut rows: Vec<_> = table
        .into_rows()
        .into_iter()
        .filter(|r| args.user.as_deref().is_none_or(|u| r.user_id.as_deref() == Some(u)))
        .filter(|r| args.product.as_deref().is_none_or(|p| r.product_id == p))
        .filter(|r| since.is_none_or(|s| r.last_seen.is_some_and(|seen| seen >= s)))
        .collect();
    let order = args.sort;
    sort_rows(&mut rows, order);
    let total = rows.len();
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    let mut out = LineWriter::block_buffered();
    if format == Format::Json {
        for row in &rows {
            let record = json!({
                "product_id": row.product_id, "session_id": row.session_id, "user_id": row.user_id,
                "email": row.email, "actions": row.actions, "batches": row.batches, "summaries": row.summaries,
                "first_seen": row.first_seen, "last_seen": row.last_seen, "last_url": row.last_url,
            });
            out.line(&record.to_string())?;
        }
    } else {
        let time = |t: Option<f64>| t.map(source::format_time).unwrap_or_else(|| "-".into());
        let mut cells: Vec<[String; 9]> = vec![[
            "PRODUCT".into(),
            "SESSION".into(),
            "USER".into(),
            "EMAIL".into(),
            "ACTIONS".into(),
            "SUMMARIES".into(),
            "FIRST SEEN".into(),
            "LAST SEEN".into(),
            "LAST URL".into(),
        ]];
        for row in &rows {
            cells.push([
                if row.product_id.is_empty() { "-".into() } else { row.product_id.clone() },
                row.session_id.clone(),
                row.user_id.clone().unwrap_or_else(|| "-".into()),
                row.email.clone().unwrap_or_else(|| "-".into()),
                row.actions.to_string(),
                row.summaries.to_string(),
                time(row.first_seen),
                time(row.last_seen),
                row.last_url.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        for line in render_table(&cells) {
            out.line(&line)?;
        }
    }
    out.flush()?;
    if rows.len() < total {
        crate::shell::ui::info(format!("showing {} of {total} sessions (--limit {})", rows.len(), rows.len()));
    } else if total == 0 {
        crate::shell::ui::info("no sessions match");
    }
    Ok(ExitStatus::Success)
}

/// Left-aligned columns, two spaces apart; the header bold on a terminal.
fn render_table<const N: usize>(cells: &[[String; N]]) -> Vec<String> {
    let mut widths = [0usize; N];
    for row in cells {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(console::measure_text_width(cell));
        }
    }
    cells
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i + 1 == N {
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(widths[i] - console::measure_text_width(cell) + 2));
                }
            }
            let line = line.trim_end().to_string();
            if n == 0 { crate::shell::ui::paint_stdout(&line, &console::Style::new().bold()) } else { line }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------------------------

fn show(global: &GlobalSettings, args: SessionsShowSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions show")?;
    let opened = source::open(&args.source)?;
    let label = opened.input.label();
    let session = args.session.trim().to_string();
    let prefilter = Prefilter::new([session.as_str()]);
    let timelines = opened.input.fold(
        || Timelines::new(&session),
        |timelines, number, line, scratch| {
            if !prefilter.may_match(line) {
                return Ok(());
            }
            match parse_full(&label, number, line, scratch)? {
                Event::Actions(payload) => timelines.add_actions(&payload),
                Event::Summary(summary) => timelines.add_summary(&summary),
                _ => {}
            }
            Ok(())
        },
        |timelines, later| {
            for (product, items) in later.by_product {
                timelines.by_product.entry(product).or_default().extend(items);
            }
        },
    )?;
    let products: Vec<String> = timelines.products().into_iter().map(str::to_string).collect();
    let shown = |p: &str| if p.is_empty() { "(none)".to_string() } else { p.to_string() };
    let product = match (&args.product, products.len()) {
        (_, 0) => {
            return Err(UserError::not_found(format!("no session `{session}` in {label}"))
                .with_hint("list the session ids with `autoplay sessions list` (same --from)")
                .into());
        }
        (Some(wanted), _) => {
            if !products.iter().any(|p| p == wanted.trim()) {
                return Err(UserError::not_found(format!(
                    "session `{session}` has no events for product `{wanted}` (it has: {})",
                    products.iter().map(|p| shown(p)).collect::<Vec<_>>().join(", ")
                ))
                .into());
            }
            wanted.trim().to_string()
        }
        (None, 1) => products[0].clone(),
        (None, _) => {
            return Err(UserError::usage(format!(
                "session `{session}` exists under several products: {}",
                products.iter().map(|p| shown(p)).collect::<Vec<_>>().join(", ")
            ))
            .with_hint(format!(
                "pass --product {}",
                products.iter().find(|p| !p.is_empty()).map(String::as_str).unwrap_or("ID")
            ))
            .into());
        }
    };
    let items = timelines.by_product.get(&product).map(Vec::as_slice).unwrap_or(&[]);
    let mut out = LineWriter::block_buffered();
    if format == Format::Json {
        for item in items {
            out.line(&item.to_json(&product, &session).to_string())?;
        }
    } else {
        let actions = items.iter().filter(|i| matches!(i, TimelineItem::Action { .. })).count();
        let summaries = items.len() - actions;
        let header =
            format!("Session {session} (product {}) — {actions} actions, {summaries} summaries", shown(&product));
        out.line(&crate::shell::ui::paint_stdout(&header, &console::Style::new().bold()))?;
        for item in items {
            let when = source::format_time(item.forwarded_at());
            let line = match item {
                TimelineItem::Action { action, .. } => format!("{when}  {}", action.to_text()),
                TimelineItem::Summary { summary, replaces, .. } => {
                    format!("{when}  summary (replaces {replaces}): {summary}")
                }
            };
            out.line(&line)?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

fn stats(global: &GlobalSettings, args: SessionsStatsSettings) -> anyhow::Result<ExitStatus> {
    let format = crate::shell::output::resolve_format(global.format);
    crate::shell::output::ensure_supported(format, &[Format::Pretty, Format::Json], "sessions stats")?;
    let opened = source::open(&args.source)?;
    let table = session_table(&opened.input, true)?;
    let mut per_session: Vec<u64> = table.rows().map(|r| r.actions).collect();
    per_session.sort_unstable();
    let total_actions: u64 = per_session.iter().sum();
    let summaries: u64 = table.rows().map(|r| r.summaries).sum();
    let first =
        table.rows().filter_map(|r| r.first_seen).fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.min(b))));
    let last = table.rows().filter_map(|r| r.last_seen).fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
    let products: HashSet<&str> = table.rows().map(|r| r.product_id.as_str()).collect();
    let top_urls = top_counts(&table.urls, args.top);
    let action_types = top_counts(&table.action_types, usize::MAX);
    let mean = if per_session.is_empty() { 0.0 } else { total_actions as f64 / per_session.len() as f64 };
    let document = json!({
        "lines": table.lines,
        "sessions": table.session_count(),
        "users": table.user_count(),
        "products": products.len(),
        "actions": total_actions,
        "summaries": summaries,
        "first_seen": first,
        "last_seen": last,
        "actions_per_session": {
            "min": per_session.first().copied().unwrap_or(0),
            "p50": percentile(&per_session, 50.0),
            "p90": percentile(&per_session, 90.0),
            "p99": percentile(&per_session, 99.0),
            "max": per_session.last().copied().unwrap_or(0),
            "mean": (mean * 100.0).round() / 100.0,
        },
        "event_types": table.event_types,
        "action_types": action_types.iter().map(|(k, v)| json!({"type": k, "count": v})).collect::<Vec<_>>(),
        "top_urls": top_urls.iter().map(|(k, v)| json!({"url": k, "count": v})).collect::<Vec<_>>(),
    });
    let mut out = LineWriter::block_buffered();
    if format == Format::Json {
        out.line(&document.to_string())?;
    } else {
        let bold = console::Style::new().bold();
        let time = |t: Option<f64>| t.map(source::format_time).unwrap_or_else(|| "-".into());
        out.line(&format!(
            "{} sessions, {} users, {} products; {total_actions} actions, {summaries} summaries in {} lines",
            table.session_count(),
            table.user_count(),
            products.len(),
            table.lines
        ))?;
        out.line(&format!("from {} to {}", time(first), time(last)))?;
        out.line(&crate::shell::ui::paint_stdout("Actions per session", &bold))?;
        let aps = &document["actions_per_session"];
        out.line(&format!(
            "  min {}  p50 {}  p90 {}  p99 {}  max {}  mean {}",
            aps["min"], aps["p50"], aps["p90"], aps["p99"], aps["max"], aps["mean"]
        ))?;
        out.line(&crate::shell::ui::paint_stdout("Event types", &bold))?;
        for (kind, count) in &table.event_types {
            out.line(&format!("  {count:>10}  {kind}"))?;
        }
        out.line(&crate::shell::ui::paint_stdout("Action types", &bold))?;
        for (kind, count) in &action_types {
            out.line(&format!("  {count:>10}  {}", if kind.is_empty() { "(none)" } else { kind }))?;
        }
        out.line(&crate::shell::ui::paint_stdout("Top URLs", &bold))?;
        for (url, count) in &top_urls {
            out.line(&format!("  {count:>10}  {}", if url.is_empty() { "(none)" } else { url }))?;
        }
    }
    out.flush()?;
    Ok(ExitStatus::Success)
}

// ---------------------------------------------------------------------------------------------
// drain
// ---------------------------------------------------------------------------------------------

fn drain(global: &GlobalSettings, args: SessionsDrainSettings) -> anyhow::Result<ExitStatus> {
    let format = global.format.unwrap_or(Format::Json);
    crate::shell::output::ensure_supported(format, &[Format::Json], "sessions drain")?;
    if !(args.from.starts_with("redis://") || args.from.starts_with("rediss://") || args.from.starts_with("unix://")) {
        return Err(crate::usage_error!("`sessions drain` reads a Redis buffer: --from redis://host:port[/db]"));
    }
    let runtime = super::runtime()?;
    let contents = runtime
        .block_on(async {
            let mut buffer = crate::stream::redis::RedisEventBuffer::connect(&args.from, &args.prefix, 120.0).await?;
            buffer.drain().await
        })
        .map_err(source::redis_error)?;
    source::report_skipped(&contents);
    let mut out = LineWriter::block_buffered();
    for entry in &contents.entries {
        out.line(&entry.body)?;
    }
    out.flush()?;
    crate::shell::ui::info(format!(
        "drained {} payload(s) from {} session(s) of prefix `{}`",
        contents.entries.len(),
        contents.sessions,
        args.prefix
    ));
    Ok(ExitStatus::Success)
}
