//! The questions `autoplay sessions` and the MCP session tools ask of a source: the session
//! rows, one session's timeline, its context text, a user's activity and the totals. Each is
//! computed here once; the callers only print (or wrap) the result.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::event::line::LineFields;
use crate::event::model::Event;
use crate::sessions::aggregate::{RowOrder, SessionRow, SessionTable, percentile, sort_rows, top_counts};
use crate::sessions::context::{ContextText, Fallback};
use crate::sessions::feed::Prefilter;
use crate::sessions::line::LightLine;
use crate::sessions::source::{self, Input, Opened};
use crate::sessions::timeline::{TimelineItem, Timelines};
use crate::sessions::user_index::user_activity;
use crate::sessions::{ContextOptions, SessionFeed, SessionRef, UserSessionIndex};
use crate::shell::exit::UserError;
use crate::shell::output::count;

/// Styles a piece of text (colour on a terminal, or nothing).
pub(crate) type Paint<'p> = &'p dyn Fn(&str, &console::Style) -> String;

/// Leaves text as it is.
pub(crate) fn plain(text: &str, _: &console::Style) -> String {
    text.to_string()
}

fn line_error(label: &str, number: usize, message: impl std::fmt::Display) -> anyhow::Error {
    UserError::usage(format!("{label}:{number}: {message}"))
        .with_hint("a recording has one JSON object per line, as `autoplay tail --record` writes them")
        .into()
}

/// Reads a line as the SDK's `from_dict` would, every field. An actions batch whose `count`
/// is not the number of its actions is reconciled as the SDK does, with the SDK's warning.
fn parse_full(label: &str, number: usize, view: &LineFields<'_>) -> anyhow::Result<Event> {
    let object = view.object().map_err(|e| line_error(label, number, e))?;
    let (event, mismatch) = Event::from_object_checked(&object)
        .map_err(|e| line_error(label, number, format!("the SDK rejects this actions line ({e})")))?;
    if let (Some(mismatch), Event::Actions(payload)) = (mismatch, &event) {
        crate::shell::ui::warn(format!("{label}:{number}: {}", mismatch.warning(payload.session_id.as_deref())));
    }
    Ok(event)
}

/// The numeric `forwarded_at` of an actions or summary line.
fn line_forwarded_at(label: &str, number: usize, view: &LineFields<'_>) -> anyhow::Result<Option<f64>> {
    crate::sessions::line::payload_time(view).map_err(|e| line_error(label, number, e))
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
        |table, number, view| {
            let parsed = LightLine::from_view(view).map_err(|e| line_error(&label, number, e))?;
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

// ---------------------------------------------------------------------------------------------
// context
// ---------------------------------------------------------------------------------------------

/// What `sessions context` asks: one session, its product, the options and an optional query.
#[derive(Debug, Clone)]
pub(crate) struct ContextQuery<'a> {
    pub(crate) session: &'a str,
    pub(crate) product: Option<&'a str>,
    pub(crate) query: Option<&'a str>,
    pub(crate) options: ContextOptions,
}

/// The SDK's context text for a session, and the reference time it was taken at.
pub(crate) struct ContextAnswer {
    pub(crate) text: ContextText,
    pub(crate) at: f64,
}

impl ContextAnswer {
    /// The JSON record of `sessions context --format json`.
    pub(crate) fn to_json(&self, q: &ContextQuery<'_>) -> Value {
        json!({"session_id": q.session, "product_id": q.product, "at": self.at, "query": q.query, "text": self.text.text})
    }

    /// Notes on how the SDK picked the bucket (no `--product`), as warning and hint.
    pub(crate) fn fallback_notes(&self, session: &str) -> Vec<(String, Option<String>)> {
        match &self.text.fallback {
            Some(Fallback::Used { bucket }) => vec![(
                format!(
                    "no --product given: read the only product-scoped bucket of `{session}` (product `{}`), as the SDK does",
                    Fallback::product_of(bucket)
                ),
                None,
            )],
            Some(Fallback::Ambiguous { buckets }) => {
                let products: Vec<&str> = buckets.iter().map(|b| Fallback::product_of(b)).collect();
                vec![(
                    format!(
                        "session `{session}` exists under several products ({}): without --product the SDK returns no actions",
                        products.join(", ")
                    ),
                    Some(format!("pass --product {}", products.first().copied().unwrap_or("ID"))),
                )]
            }
            None => Vec::new(),
        }
    }
}

struct ContextScan {
    feed: SessionFeed,
    latest: Option<f64>,
}

/// The context text the SDK would give an LLM for `q.session` (its `enrich` text with a query).
pub(crate) fn context(opened: &Opened, at_flag: Option<&str>, q: &ContextQuery<'_>) -> anyhow::Result<ContextAnswer> {
    let label = opened.input.label();
    let session = q.session;
    let needs_latest = q.options.lookback_seconds.is_some() && at_flag.is_none() && opened.wall_clock.is_none();
    let scan = opened.input.fold_fields(
        || ContextScan { feed: SessionFeed::for_sessions([session]), latest: None },
        |scan, number, view| {
            if needs_latest {
                scan.latest = max_time(scan.latest, line_forwarded_at(&label, number, view)?);
            }
            if scan.feed.may_concern(view) {
                scan.feed.add(parse_full(&label, number, view)?);
            }
            Ok(())
        },
        |scan, later| {
            scan.feed.merge(later.feed);
            scan.latest = max_time(scan.latest, later.latest);
        },
    )?;
    let store = &scan.feed.store;
    let at = reference_time(at_flag, opened.wall_clock, scan.latest)?;
    if !store.knows(session) {
        return Err(UserError::not_found(format!("no session `{session}` in {label}"))
            .with_hint("list the session ids with `autoplay sessions list` (same --from); ids are per product and browser session")
            .into());
    }
    let text = match q.query {
        Some(query) => store.enrich(session, query, q.product, &q.options, at),
        None => store.get(session, q.product, &q.options, at),
    };
    Ok(ContextAnswer { text, at })
}

// ---------------------------------------------------------------------------------------------
// user
// ---------------------------------------------------------------------------------------------

/// A user's recent sessions and the SDK's activity text for them.
pub(crate) struct UserAnswer {
    pub(crate) user_id: String,
    pub(crate) email: Option<String>,
    pub(crate) at: f64,
    pub(crate) sessions: Vec<SessionRef>,
    pub(crate) text: String,
}

impl UserAnswer {
    /// The JSON record of `sessions user --format json`.
    pub(crate) fn to_json(&self) -> Value {
        let sessions: Vec<Value> = self
            .sessions
            .iter()
            .map(|r| json!({"session_id": r.session_id, "product_id": r.product_id, "last_seen_at": r.last_seen_at}))
            .collect();
        json!({"user_id": self.user_id, "email": self.email, "at": self.at, "sessions": sessions, "text": self.text})
    }
}

/// The SDK `UserSessionIndex` activity of `user_id`: sessions within `lookback` seconds of
/// the reference time, at most `max_sessions` of them remembered.
pub(crate) fn user(
    opened: Opened,
    at_flag: Option<&str>,
    user_id: &str,
    lookback: f64,
    max_sessions: i64,
) -> anyhow::Result<UserAnswer> {
    let mut index = UserSessionIndex::new(lookback, max_sessions).map_err(|e| UserError::usage(e.to_string()))?;
    let input = opened.input.replayable()?;
    let label = input.label();
    let needs_latest = at_flag.is_none() && opened.wall_clock.is_none();
    // Pass 1: this user's batches, in order (the index ignores everyone else's).
    let (mine, latest) = input.fold_fields(
        || (SessionFeed::for_user(user_id), None::<f64>),
        |(mine, latest), number, view| {
            if needs_latest {
                *latest = max_time(*latest, line_forwarded_at(&label, number, view)?);
            }
            if mine.may_concern(view) {
                mine.add(parse_full(&label, number, view)?);
            }
            Ok(())
        },
        |(mine, latest), (theirs, their_latest)| {
            mine.merge(theirs);
            *latest = max_time(*latest, their_latest);
        },
    )?;
    let at = reference_time(at_flag, opened.wall_clock, latest)?;
    mine.index(&mut index, at);
    let refs = index.recent_sessions(user_id, at);
    let not_found = || -> anyhow::Error {
        UserError::not_found(format!("no recent activity for user `{user_id}` in {label}"))
            .with_hint(format!(
                "the user id must be the one passed to identify() (not an email or a session id); ids can drift \
                 between anonymous and identified sessions. The lookback is {}s before {}: try --lookback or --at, \
                 and `autoplay sessions list --user ID` to see which ids are there",
                crate::py::float_repr(lookback).trim_end_matches(".0"),
                source::format_time(at)
            ))
            .into()
    };
    if refs.is_empty() {
        return Err(not_found());
    }
    // Pass 2: the store, for those sessions only. Pass 1 read every line, so this one reads
    // only those whose text can name one of them.
    let prefilter = Prefilter::new(refs.iter().map(|r| r.session_id.as_str()));
    let feed = input.fold_fields_where(
        &prefilter,
        || SessionFeed::for_sessions(refs.iter().map(|r| r.session_id.as_str())),
        |feed, number, view| {
            feed.add(parse_full(&label, number, view)?);
            Ok(())
        },
        SessionFeed::merge,
    )?;
    let text = user_activity(&refs, &feed.store, at);
    if text.is_empty() {
        return Err(not_found());
    }
    let email = index.email(user_id).map(str::to_string);
    Ok(UserAnswer { user_id: user_id.to_string(), email, at, sessions: refs, text })
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

/// The filters and order of `sessions list`.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery<'a> {
    pub(crate) user: Option<&'a str>,
    pub(crate) product: Option<&'a str>,
    /// A duration before the reference time (`10m`), unix seconds or RFC 3339.
    pub(crate) since: Option<&'a str>,
    pub(crate) order: RowOrder,
    pub(crate) limit: Option<usize>,
}

/// The rows shown, and how many matched before `limit`.
pub(crate) struct Listed {
    pub(crate) rows: Vec<SessionRow>,
    pub(crate) total: usize,
}

/// One row per session, filtered and sorted.
pub(crate) fn list(opened: &Opened, at_flag: Option<&str>, q: &ListQuery<'_>) -> anyhow::Result<Listed> {
    let table = session_table(&opened.input, false)?;
    let at = reference_time(at_flag, opened.wall_clock, table.latest_forwarded_at)?;
    let since = q.since.map(|s| source::parse_since(s, at)).transpose()?;
    let mut rows: Vec<_> = table
        .into_rows()
        .into_iter()
        .filter(|r| q.user.is_none_or(|u| r.user_id.as_deref() == Some(u)))
        .filter(|r| q.product.is_none_or(|p| r.product_id == p))
        .filter(|r| since.is_none_or(|s| r.last_seen.is_some_and(|seen| seen >= s)))
        .collect();
    sort_rows(&mut rows, q.order);
    let total = rows.len();
    if let Some(limit) = q.limit {
        rows.truncate(limit);
    }
    Ok(Listed { rows, total })
}

/// A row as `sessions list --format json` prints it.
pub(crate) fn row_json(row: &SessionRow) -> Value {
    json!({
        "product_id": row.product_id, "session_id": row.session_id, "user_id": row.user_id,
        "email": row.email, "actions": row.actions, "batches": row.batches, "summaries": row.summaries,
        "first_seen": row.first_seen, "last_seen": row.last_seen, "last_url": row.last_url,
    })
}

/// The rows as the table of `sessions list`, header first.
pub(crate) fn list_table(rows: &[SessionRow], paint: Paint<'_>) -> Vec<String> {
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
    for row in rows {
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
    render_table(&cells, paint)
}

/// Left-aligned columns, two spaces apart; the header bold.
fn render_table<const N: usize>(cells: &[[String; N]], paint: Paint<'_>) -> Vec<String> {
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
            if n == 0 { paint(&line, &console::Style::new().bold()) } else { line }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------------------------

/// One session's timeline under one product.
pub(crate) struct Shown {
    pub(crate) session: String,
    pub(crate) product: String,
    pub(crate) items: Vec<TimelineItem>,
}

impl Shown {
    /// The JSON records of `sessions show --format json`, one per item.
    pub(crate) fn records(&self) -> impl Iterator<Item = Value> + '_ {
        self.items.iter().map(|item| item.to_json(&self.product, &self.session))
    }

    /// The timeline for people: a header line, then one line per item.
    pub(crate) fn lines(&self, paint: Paint<'_>) -> Vec<String> {
        let actions = self.items.iter().filter(|i| matches!(i, TimelineItem::Action { .. })).count();
        let summaries = self.items.len() - actions;
        let header = format!(
            "Session {} (product {}) — {}, {}",
            self.session,
            shown_product(&self.product),
            count(actions, "action", "actions"),
            count(summaries, "summary", "summaries")
        );
        let mut lines = vec![paint(&header, &console::Style::new().bold())];
        for item in &self.items {
            let when = source::format_time(item.forwarded_at());
            lines.push(match item {
                TimelineItem::Action { action, .. } => format!("{when}  {}", action.to_text()),
                TimelineItem::Summary { summary, replaces, .. } => {
                    format!("{when}  summary (replaces {replaces}): {summary}")
                }
            });
        }
        lines
    }
}

fn shown_product(p: &str) -> String {
    if p.is_empty() { "(none)".to_string() } else { p.to_string() }
}

/// The timeline of `session` (under `product`, which is required when there are several).
pub(crate) fn show(opened: &Opened, session: &str, product: Option<&str>) -> anyhow::Result<Shown> {
    let label = opened.input.label();
    let session = session.trim().to_string();
    let prefilter = Prefilter::new([session.as_str()]);
    let mut timelines = opened.input.fold_fields(
        || Timelines::new(&session),
        |timelines, number, view| {
            if !prefilter.may_match_field(view.session_id) {
                return Ok(());
            }
            match parse_full(&label, number, view)? {
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
    let product = match (product, products.len()) {
        (_, 0) => {
            return Err(UserError::not_found(format!("no session `{session}` in {label}"))
                .with_hint("list the session ids with `autoplay sessions list` (same --from)")
                .into());
        }
        (Some(wanted), _) => {
            if !products.iter().any(|p| p == wanted.trim()) {
                return Err(UserError::not_found(format!(
                    "session `{session}` has no events for product `{wanted}` (it has: {})",
                    products.iter().map(|p| shown_product(p)).collect::<Vec<_>>().join(", ")
                ))
                .into());
            }
            wanted.trim().to_string()
        }
        (None, 1) => products[0].clone(),
        (None, _) => {
            return Err(UserError::usage(format!(
                "session `{session}` exists under several products: {}",
                products.iter().map(|p| shown_product(p)).collect::<Vec<_>>().join(", ")
            ))
            .with_hint(format!(
                "pass --product {}",
                products.iter().find(|p| !p.is_empty()).map(String::as_str).unwrap_or("ID")
            ))
            .into());
        }
    };
    let items = timelines.by_product.remove(&product).unwrap_or_default();
    Ok(Shown { session, product, items })
}

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

/// Totals over the source: sessions, users, actions per session, event and action types and
/// the `top` most visited URLs, as the JSON document of `sessions stats --format json`.
pub(crate) fn stats(opened: &Opened, top: usize) -> anyhow::Result<Value> {
    let table = session_table(&opened.input, true)?;
    let mut per_session: Vec<u64> = table.rows().map(|r| r.actions).collect();
    per_session.sort_unstable();
    let total_actions: u64 = per_session.iter().sum();
    let summaries: u64 = table.rows().map(|r| r.summaries).sum();
    let first =
        table.rows().filter_map(|r| r.first_seen).fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.min(b))));
    let last = table.rows().filter_map(|r| r.last_seen).fold(None, |a: Option<f64>, b| Some(a.map_or(b, |a| a.max(b))));
    let products: HashSet<&str> = table.rows().map(|r| r.product_id.as_str()).collect();
    let top_urls = top_counts(&table.urls, top);
    let action_types = top_counts(&table.action_types, usize::MAX);
    let mean = if per_session.is_empty() { 0.0 } else { total_actions as f64 / per_session.len() as f64 };
    Ok(json!({
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
    }))
}

/// "N things" for a count held in a JSON document.
fn count_of(n: &Value, one: &str, many: &str) -> String {
    count(n.as_u64().unwrap_or(0), one, many)
}

/// The stats document for people.
pub(crate) fn stats_lines(document: &Value, paint: Paint<'_>) -> Vec<String> {
    let bold = console::Style::new().bold();
    let time = |t: &Value| t.as_f64().map(source::format_time).unwrap_or_else(|| "-".into());
    let none = |s: &str| if s.is_empty() { "(none)".to_string() } else { s.to_string() };
    let mut lines = vec![
        format!(
            "{}, {}, {}; {}, {} in {}",
            count_of(&document["sessions"], "session", "sessions"),
            count_of(&document["users"], "user", "users"),
            count_of(&document["products"], "product", "products"),
            count_of(&document["actions"], "action", "actions"),
            count_of(&document["summaries"], "summary", "summaries"),
            count_of(&document["lines"], "line", "lines")
        ),
        format!("from {} to {}", time(&document["first_seen"]), time(&document["last_seen"])),
        paint("Actions per session", &bold),
    ];
    let aps = &document["actions_per_session"];
    lines.push(format!(
        "  min {}  p50 {}  p90 {}  p99 {}  max {}  mean {}",
        aps["min"], aps["p50"], aps["p90"], aps["p99"], aps["max"], aps["mean"]
    ));
    lines.push(paint("Event types", &bold));
    for (kind, count) in document["event_types"].as_object().into_iter().flatten() {
        lines.push(format!("  {:>10}  {kind}", count.to_string()));
    }
    lines.push(paint("Action types", &bold));
    for entry in document["action_types"].as_array().into_iter().flatten() {
        lines.push(format!("  {:>10}  {}", entry["count"].to_string(), none(entry["type"].as_str().unwrap_or(""))));
    }
    lines.push(paint("Top URLs", &bold));
    for entry in document["top_urls"].as_array().into_iter().flatten() {
        lines.push(format!("  {:>10}  {}", entry["count"].to_string(), none(entry["url"].as_str().unwrap_or(""))));
    }
    lines
}
