/*!
Recording lines for `autoplay triggers simulate`: one line in, a [`SimEvent`] out, or the
reason the line cannot be used.

The line itself is read by the toolkit's one reader ([`crate::event::line`]); this module
holds what the simulator makes of the view: which types it uses, which timestamp each type
is timed by, and how the SDK's trigger engine reads ids, URLs and timestamps (its
`or default` rules, and the values it raises on).
*/

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use rustc_hash::FxHasher;
use serde_json::Value;

use super::detectors::{self, Action, Raw};
use crate::event::line::{self, ActionView, Actions, LineView, NumberField, ReadPath};
use crate::py;

/// The input types of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A batch of actions.
    Actions,
    /// A session summary.
    Summary,
    /// A request to start a tour.
    UsertourTrigger,
    /// The user opened the chat.
    ChatOpened,
    /// The user wrote in the chat.
    ChatMessage,
    /// The user clicked a reply chip.
    ChipClick,
    /// The user reacted to a message.
    Reaction,
    /// A tour started.
    TourStarted,
    /// A tour moved on a step.
    TourStep,
    /// A tour ended.
    TourEnded,
}

impl EventType {
    /// The type a line's `type` names; `None` for types the simulator does not use.
    pub fn from_name(name: &str) -> Option<EventType> {
        Some(match name {
            "actions" => EventType::Actions,
            "summary" => EventType::Summary,
            "usertour_trigger" => EventType::UsertourTrigger,
            "chat_opened" => EventType::ChatOpened,
            "chat_message" => EventType::ChatMessage,
            "chip_click" => EventType::ChipClick,
            "reaction" => EventType::Reaction,
            "tour_started" => EventType::TourStarted,
            "tour_step" => EventType::TourStep,
            "tour_ended" => EventType::TourEnded,
            _ => return None,
        })
    }

    /// The `type` as written in a line.
    pub fn name(self) -> &'static str {
        match self {
            EventType::Actions => "actions",
            EventType::Summary => "summary",
            EventType::UsertourTrigger => "usertour_trigger",
            EventType::ChatOpened => "chat_opened",
            EventType::ChatMessage => "chat_message",
            EventType::ChipClick => "chip_click",
            EventType::Reaction => "reaction",
            EventType::TourStarted => "tour_started",
            EventType::TourStep => "tour_step",
            EventType::TourEnded => "tour_ended",
        }
    }
}

/// One usable recording line. The ids borrow from the line when they hold no escapes.
#[derive(Debug, Clone, PartialEq)]
pub struct SimEvent<'a> {
    /// 1-based line number in the recording.
    pub line: usize,
    /// The line's type.
    pub event_type: EventType,
    /// When it happened: `forwarded_at` or `ts` by type (Unix seconds).
    pub t: f64,
    /// `product_id` (`""` when missing).
    pub product_id: Cow<'a, str>,
    /// `session_id` (`unknown` when missing or `""`).
    pub session_id: Cow<'a, str>,
    /// `user_id`, when it is a non-empty string (only focus filters read it; a session's
    /// lines share one allocation of it).
    pub user_id: Option<Arc<str>>,
    /// `actions`: the parsed batch.
    pub actions: Vec<Action>,
    /// `chat_message.text`, `chip_click.label` or the flow id of tour events, as written.
    pub value: Option<Value>,
}

/// What one line holds.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome<'a> {
    /// A line of a type the simulator uses.
    Event(SimEvent<'a>),
    /// A type the simulator does not use (counted, otherwise ignored).
    Ignored,
}

impl LineOutcome<'_> {
    /// The same outcome, owning its text (so the line's buffer can be reused).
    pub fn into_owned(self) -> LineOutcome<'static> {
        match self {
            LineOutcome::Event(e) => LineOutcome::Event(SimEvent {
                product_id: Cow::Owned(e.product_id.into_owned()),
                session_id: Cow::Owned(e.session_id.into_owned()),
                user_id: e.user_id,
                line: e.line,
                event_type: e.event_type,
                t: e.t,
                actions: e.actions,
                value: e.value,
            }),
            LineOutcome::Ignored => LineOutcome::Ignored,
        }
    }
}

/// Why a line cannot be used (exit 2, or a warning with `--skip-bad-lines`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct BadLine {
    /// 1-based line number in the recording.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

/// Shares the text of repeated URLs: recordings repeat the same few URLs a million times.
/// Each parsing thread keeps its own table (in its [`LineScratch`]), so threads never wait
/// for a lock or bounce a shared reference count between cores.
#[derive(Debug, Default)]
pub struct UrlTable {
    strings: HashMap<Box<str>, Arc<str>, BuildHasherDefault<FxHasher>>,
}

/// Distinct texts kept per table; beyond that, new texts are not shared (bounded memory).
const URL_TABLE_CAP: usize = 4096;

impl UrlTable {
    /// The shared text of `text`.
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        if self.strings.len() < URL_TABLE_CAP {
            self.strings.insert(Box::from(text), shared.clone());
        }
        shared
    }
}

/// Reusable space for reading lines (one per thread at a time). The URL table outlives the
/// scratch: it goes back to its thread when the scratch is dropped, and the next scratch made
/// on that thread takes it up, so a recording's repeated URLs share one allocation per thread
/// however many pieces the recording is read in.
#[derive(Debug)]
pub struct LineScratch<'a> {
    line: line::LineScratch<'a>,
    urls: UrlTable,
}

thread_local! {
    static THREAD_URLS: std::cell::Cell<UrlTable> = std::cell::Cell::new(UrlTable::default());
}

impl<'a> LineScratch<'a> {
    /// The view of the line parsed last (after a parse that gave an event).
    pub fn last_line(&self) -> line::LineView<'a, '_> {
        self.line.last_view()
    }
}

impl LineScratch<'_> {
    /// An empty scratch that takes up this thread's URL table.
    pub fn new() -> Self {
        LineScratch { line: line::LineScratch::new(), urls: THREAD_URLS.take() }
    }
}

impl Default for LineScratch<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for LineScratch<'_> {
    fn drop(&mut self) {
        let urls = std::mem::take(&mut self.urls);
        // During thread teardown the slot may be gone; the table is then simply dropped.
        let _ = THREAD_URLS.try_with(|slot| slot.set(urls));
    }
}

/// Parses one non-blank recording line.
pub fn parse_line(line: usize, text: &str) -> Result<LineOutcome<'_>, BadLine> {
    parse_line_with(line, text, &mut LineScratch::new())
}

/// [`parse_line`], reusing `scratch` (and sharing URL text through it).
pub fn parse_line_with<'a>(
    line: usize,
    text: &'a str,
    scratch: &mut LineScratch<'a>,
) -> Result<LineOutcome<'a>, BadLine> {
    match parse_line_by(line, text, scratch, ReadPath::Fast) {
        Some(outcome) => outcome,
        None => unreachable!("the fast path always answers"),
    }
}

/// [`parse_line_with`] by one reading path (benchmarks and tests compare them); `None` when
/// [`ReadPath::ScannerOnly`] leaves the line.
#[doc(hidden)]
pub fn parse_line_by<'a>(
    line: usize,
    text: &'a str,
    scratch: &mut LineScratch<'a>,
    path: ReadPath,
) -> Option<Result<LineOutcome<'a>, BadLine>> {
    Some(match line::read_by(text, &mut scratch.line, path)? {
        Ok(view) => sim_event(line, &view, &mut scratch.urls),
        Err(err) => Err(BadLine { line, message: err.to_string() }),
    })
}

/// [`parse_line`] of a line the one reader has already read (a live frame, read once by the
/// stream client): the same outcome, sharing URL text through `urls`.
pub fn parse_view<'a>(line: usize, view: &LineView<'a, '_>, urls: &mut UrlTable) -> Result<LineOutcome<'a>, BadLine> {
    sim_event(line, view, urls)
}

/// The raw JSON of a value, parsed (`null` when it cannot be).
fn raw_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

/// `canonical_url` as the SDK keeps it (`or ""`), from raw JSON.
fn url_from_raw(raw: Option<&str>, urls: &mut UrlTable) -> Raw<Arc<str>> {
    match raw {
        None => Raw::Ok(urls.get("")),
        Some(u) => match line::string_of(u) {
            Some(text) => Raw::Ok(urls.get(&text)),
            None => {
                let value = raw_value(u);
                if py::is_truthy(&value) { detectors::raw_text_bad(&value) } else { Raw::Ok(urls.get("")) }
            }
        },
    }
}

/// `value or 0.0` for a timestamp the detectors do arithmetic on (`0` and `-0.0` are falsy).
fn timestamp(field: Option<NumberField>) -> Raw<f64> {
    match field {
        Some(NumberField::Finite(v)) if v != 0.0 => Raw::Ok(v),
        Some(NumberField::Other(raw)) => detectors::raw_number(Some(&raw_value(raw))),
        _ => Raw::Ok(0.0),
    }
}

fn action_from_view(a: &ActionView, urls: &mut UrlTable) -> Action {
    Action {
        canonical_url: url_from_raw(a.canonical_url, urls),
        timestamp_start: timestamp(a.timestamp_start),
        timestamp_end: timestamp(a.timestamp_end),
    }
}

/// What the simulator makes of one line's view.
fn sim_event<'a>(line: usize, view: &LineView<'a, '_>, urls: &mut UrlTable) -> Result<LineOutcome<'a>, BadLine> {
    let bad = |message: String| BadLine { line, message };
    // The simulator decodes every number it reads; one out of range makes the line unreadable.
    let out_of_range = |n: &Option<NumberField>| n.as_ref().is_some_and(NumberField::is_out_of_range);
    if out_of_range(&view.forwarded_at)
        || out_of_range(&view.ts)
        || view.action_items().iter().any(|a| out_of_range(&a.timestamp_start) || out_of_range(&a.timestamp_end))
    {
        return Err(bad(line::LineError::of(view.source).to_string()));
    }
    let event_type = match view.event_type {
        None => return Err(bad("no 'type' field".into())),
        Some(t) => match line::string_of(t).as_deref().and_then(EventType::from_name) {
            Some(t) => t,
            None => return Ok(LineOutcome::Ignored),
        },
    };
    let (key, time) = match event_type {
        EventType::Actions | EventType::Summary => ("forwarded_at", &view.forwarded_at),
        EventType::UsertourTrigger if view.ts.is_none() => ("forwarded_at", &view.forwarded_at),
        _ => ("ts", &view.ts),
    };
    let Some(t) = time.as_ref().and_then(NumberField::finite) else {
        return Err(bad(format!("{} line needs a numeric '{key}' (unix seconds)", event_type.name())));
    };
    let product_id = match view.product_id {
        None => Cow::Borrowed(""),
        Some(v) => match line::string_of(v) {
            Some(s) => s,
            None => return Err(bad("'product_id' must be a string".into())),
        },
    };
    let session_id = match view.session_id {
        None => Cow::Borrowed("unknown"),
        Some(v) => match line::string_of(v) {
            Some(s) if s.is_empty() => Cow::Borrowed("unknown"),
            Some(s) => s,
            None => return Err(bad("'session_id' must be a string".into())),
        },
    };
    let mut actions = Vec::new();
    if event_type == EventType::Actions {
        match view.actions() {
            Actions::Absent => {}
            Actions::List { items, non_objects: false } => {
                // Fresh exact-size vectors: a million of them are held until the sessions run.
                actions = Vec::with_capacity(items.len());
                actions.extend(items.iter().map(|a| action_from_view(a, urls)));
            }
            Actions::List { non_objects: true, .. } => {
                return Err(bad(
                    "actions payload cannot be parsed by the SDK ('actions' is list with non-object items)".into(),
                ));
            }
            Actions::Other(value) => {
                if py::is_truthy(value) {
                    return Err(bad(format!(
                        "actions payload cannot be parsed by the SDK ('actions' is {} with non-object items)",
                        py::type_name(value)
                    )));
                }
            }
        }
    }
    let value = match event_type {
        EventType::ChatMessage => view.text,
        EventType::ChipClick => view.label,
        EventType::TourStarted | EventType::UsertourTrigger => view.flow_id,
        _ => None,
    };
    let value = value.map(raw_value);
    let user_id = view.user_id.and_then(line::string_of).filter(|u| !u.is_empty()).map(|u| urls.get(&u));
    Ok(LineOutcome::Event(SimEvent { line, event_type, t, product_id, session_id, user_id, actions, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde_json path alone, for every line the scanner leaves alone.
    fn parse_line_serde<'a>(line: usize, text: &'a str, urls: &mut UrlTable) -> Result<LineOutcome<'a>, BadLine> {
        let mut scratch = LineScratch::new();
        scratch.urls = std::mem::take(urls);
        parse_line_by(line, text, &mut scratch, ReadPath::Reference).expect("the reference path always answers")
    }

    /// Whether the scanner takes the line on its own.
    fn scanner_takes(text: &str) -> bool {
        parse_line_by(1, text, &mut LineScratch::new(), ReadPath::ScannerOnly).is_some()
    }

    #[test]
    fn bad_lines_follow_the_oracle() {
        assert!(parse_line(1, "[1]").is_err());
        assert!(parse_line(1, "{\"x\": 1}").is_err());
        assert!(parse_line(1, "{\"type\": null}").is_err());
        assert_eq!(parse_line(1, "{\"type\": \"heartbeat\"}"), Ok(LineOutcome::Ignored));
        assert_eq!(parse_line(1, "{\"type\": 5}"), Ok(LineOutcome::Ignored));
        assert!(parse_line(1, "{\"type\": \"actions\"}").is_err());
        assert!(parse_line(1, "{\"type\": \"actions\", \"forwarded_at\": true}").is_err());
        assert!(parse_line(1, "{\"type\": \"actions\", \"forwarded_at\": 1, \"actions\": \"ab\"}").is_err());
        assert!(parse_line(1, "{\"type\": \"actions\", \"forwarded_at\": 1, \"actions\": [null]}").is_err());
        assert!(parse_line(1, "{\"type\": \"actions\", \"forwarded_at\": 1, \"session_id\": 5}").is_err());
        // A key written twice keeps its last value, as Python's json does.
        match parse_line(
            1,
            r#"{"type": "summary", "type": "actions", "forwarded_at": 1, "forwarded_at": 2, "actions": [{"canonical_url": "/x", "canonical_url": "/a"}]}"#,
        ) {
            Ok(LineOutcome::Event(e)) => {
                assert_eq!((e.event_type, e.t), (EventType::Actions, 2.0));
                assert_eq!(e.actions[0].canonical_url, Raw::Ok(Arc::from("/a")));
            }
            other => panic!("{other:?}"),
        }
        match parse_line(
            1,
            r#"{"type": "actions", "forwarded_at": 1, "actions": [{"canonical_url": "/x", "canonical_url": "/a"}]}"#,
        ) {
            Ok(LineOutcome::Event(e)) => assert_eq!(e.actions[0].canonical_url, Raw::Ok(Arc::from("/a"))),
            other => panic!("{other:?}"),
        }
        let ok = parse_line(1, "{\"type\": \"actions\", \"forwarded_at\": 1, \"actions\": {}, \"session_id\": \"\"}");
        match ok {
            Ok(LineOutcome::Event(e)) => assert_eq!((&*e.session_id, e.actions.len()), ("unknown", 0)),
            other => panic!("{other:?}"),
        }
        match parse_line(2, "{\"type\": \"usertour_trigger\", \"ts\": null, \"forwarded_at\": 5, \"flow_id\": \"f\"}") {
            Ok(LineOutcome::Event(e)) => assert_eq!(e.t, 5.0),
            other => panic!("{other:?}"),
        }
    }

    /// Lines that are each a small change away from the plain shape: the scanner's answer
    /// (when it gives one) must be the serde path's answer.
    #[test]
    fn the_fast_path_agrees_with_serde() {
        let base = r#"{"type":"actions","product_id":"p","session_id":"s","actions":[{"index":0,"title":"Page \"A\"","canonical_url":"https://a/b","timestamp_start":1767225600.6,"timestamp_end":1767225601}],"forwarded_at":1767225601.718}"#;
        let mut lines = vec![base.to_string()];
        let edits: &[(&str, &str)] = &[
            ("\"p\"", "null"),
            ("\"p\"", "\"p\\u00e9\""),
            ("\"s\"", "\"\""),
            ("\"s\"", "null"),
            ("\"s\"", "7"),
            ("\"https://a/b\"", "null"),
            ("\"https://a/b\"", "\"\""),
            ("\"https://a/b\"", "\"  https://a/b \""),
            ("\"https://a/b\"", "\"https:\\/\\/a\\/b\""),
            ("\"https://a/b\"", "0"),
            ("\"https://a/b\"", "[1]"),
            ("1767225600.6", "0"),
            ("1767225600.6", "-0.0"),
            ("1767225600.6", "null"),
            ("1767225600.6", "true"),
            ("1767225600.6", "\"1\""),
            ("1767225601.718", "1767225601"),
            ("1767225601.718", "-0"),
            ("1767225601.718", "null"),
            ("1767225601.718", "1e400"),
            ("1767225601.718", "\"now\""),
            ("\"actions\",", "\"summary\","),
            ("\"actions\",", "\"chat_message\",\"ts\":5,\"text\":\"yes\","),
            ("\"actions\",", "\"usertour_trigger\",\"ts\":null,\"flow_id\":{\"a\":[1]},"),
            ("\"actions\",", "\"reaction\",\"ts\":-0,"),
            ("\"actions\",", "\"heartbeat\","),
            ("\"actions\",", "5,"),
            ("[{", "[null,{"),
            ("}],", "},{}],"),
            ("}],", "}]  ,"),
            ("\"index\":0,", "\"index\":0,\"index\":1,"),
            ("\"index\":0,", "\"canonical_url\":\"x\","),
            ("\"index\":0,", "\"x\":\"\\ud800\","),
            ("\"p\"", "\"\\ud800\""),
            ("\"title\"", "\"t\\u0069tle\""),
            ("\"session_id\"", "\"session\\u005fid\""),
            ("\"type\":\"actions\",", "\"type\":\"actions\",\"type\":\"actions\","),
            ("\"type\":\"actions\",", ""),
            ("\"forwarded_at\"", "\"forwarded_at\":1,\"forwarded_at\""),
        ];
        for (from, to) in edits {
            assert!(base.contains(from), "{from}");
            lines.push(base.replacen(from, to, 1));
        }
        let mut fast_taken = 0;
        for line in &lines {
            let serde = parse_line_serde(1, line, &mut UrlTable::default());
            let mut scratch = LineScratch::new();
            if scanner_takes(line) {
                fast_taken += 1;
            }
            let either = parse_line_with(1, line, &mut scratch);
            assert_eq!(format!("{either:?}"), format!("{serde:?}"), "{line}");
        }
        assert!(fast_taken > 20, "the scanner should take most of these lines ({fast_taken})");
    }

    /// Random small edits of plain lines (bytes that matter to JSON): whatever the scanner
    /// accepts, it must read exactly as serde does.
    #[test]
    fn random_edits_read_the_same_both_ways() {
        use rand::{Rng, SeedableRng};
        let bases = [
            r#"{"type":"actions","product_id":"p","session_id":"s","actions":[{"index":0,"title":"A b","canonical_url":"https://a/b","timestamp_start":1767225600.6,"timestamp_end":1767225601}],"count":1,"forwarded_at":1767225601.718}"#,
            r#"{"type": "chat_message", "product_id": "p", "session_id": "s", "ts": 12.5, "text": "yes please", "meta": {"a": [1, -2.5e3, true, null]}}"#,
            r#"{"type":"usertour_trigger","session_id":"s","forwarded_at":3,"flow_id":"f_1","x":"\u00e9\n"}"#,
        ];
        let pieces = [
            "\"", "\\", "{", "}", "[", "]", ",", ":", " ", "0", "-", "1e5", ".", "null", "true", "é", "\u{1}", "\\u00",
            "x", "\"type\"", "\"ts\"",
        ];
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let (mut fast_taken, mut tried) = (0, 0);
        for _ in 0..4000 {
            let mut line = bases[rng.random_range(0..bases.len())].to_string();
            crate::event::line::edit_randomly(&mut line, &pieces, &mut rng);
            tried += 1;
            let mut scratch = LineScratch::new();
            if scanner_takes(&line) {
                fast_taken += 1;
            }
            let either = parse_line_with(1, &line, &mut scratch);
            let serde = parse_line_serde(1, &line, &mut UrlTable::default());
            assert_eq!(format!("{either:?}"), format!("{serde:?}"), "{line}");
        }
        assert!(fast_taken > tried / 10, "the scanner should still read many edited lines ({fast_taken}/{tried})");
    }
}
