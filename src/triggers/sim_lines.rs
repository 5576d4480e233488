/*!
Recording lines for `autoplay triggers simulate` (oracle decisions 1–4): one JSON line in, a
[`SimEvent`] out, or the reason the line cannot be used.

Most lines take the fast path of [`line_scan`](crate::event::scan), which reads the plain shape
in one pass; the rest are read with serde_json. Both end in [`finish_line`], so they judge a
line by the same rules.
*/

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::Arc;

use rustc_hash::FxHasher;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::detectors::{self, Action, Raw};
use crate::event::scan::{self as line_scan, ScannedAction};
use crate::py;
use crate::py::json;

/// The input types of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    Actions,
    Summary,
    UsertourTrigger,
    ChatOpened,
    ChatMessage,
    ChipClick,
    Reaction,
    TourStarted,
    TourStep,
    TourEnded,
}

impl EventType {
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
    pub event_type: EventType,
    pub t: f64,
    pub product_id: Cow<'a, str>,
    pub session_id: Cow<'a, str>,
    /// `actions`: the parsed batch.
    pub actions: Vec<Action>,
    /// `chat_message.text`, `chip_click.label` or the flow id of tour events, as written.
    pub value: Option<Value>,
}

/// What one line holds.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome<'a> {
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
    pub line: usize,
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

/// Reusable space for reading lines (one per thread).
#[derive(Debug, Default)]
pub struct LineScratch<'a> {
    actions: Vec<ScannedAction<'a>>,
    urls: UrlTable,
}

impl LineScratch<'_> {
    pub fn new() -> Self {
        LineScratch::default()
    }
}

/// Parses one non-blank recording line (oracle decisions 1–4).
pub fn parse_line(line: usize, text: &str) -> Result<LineOutcome<'_>, BadLine> {
    parse_line_with(line, text, &mut LineScratch::new())
}

/// [`parse_line`], reusing `scratch` (and sharing URL text through it).
pub fn parse_line_with<'a>(
    line: usize,
    text: &'a str,
    scratch: &mut LineScratch<'a>,
) -> Result<LineOutcome<'a>, BadLine> {
    if let Some(scanned) = line_scan::scan(text, &mut scratch.actions) {
        let parts = LineParts {
            event_type: scanned.event_type,
            forwarded_at: scanned.forwarded_at.map(Some),
            ts: scanned.ts.map(Some),
            product_id: scanned.product_id,
            session_id: scanned.session_id,
            text: scanned.text,
            label: scanned.label,
            flow_id: scanned.flow_id,
        };
        let actions = ActionsInput::Scanned(scanned.has_actions.then_some(&scratch.actions[..]));
        return finish_line(line, parts, actions, &mut scratch.urls);
    }
    parse_line_serde(line, text, &mut scratch.urls)
}

/// One line's fields as serde reads them. `A` is how `actions` is read: straight into
/// [`RawAction`]s (taken when that succeeds) or as raw JSON judged by the SDK's rules.
#[derive(Deserialize)]
#[serde(bound(deserialize = "A: Deserialize<'de>"))]
struct RawLine<'a, A> {
    #[serde(rename = "type", default, borrow)]
    event_type: Option<&'a RawValue>,
    #[serde(default)]
    forwarded_at: Option<Value>,
    #[serde(default)]
    ts: Option<Value>,
    #[serde(default, borrow)]
    product_id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    session_id: Option<&'a RawValue>,
    #[serde(default)]
    actions: Option<A>,
    #[serde(default, borrow)]
    text: Option<&'a RawValue>,
    #[serde(default, borrow)]
    label: Option<&'a RawValue>,
    #[serde(default, borrow)]
    flow_id: Option<&'a RawValue>,
}

impl<'a, A> RawLine<'a, A> {
    /// Splits the line into its `actions` and the other fields.
    fn into_parts(self) -> (Option<A>, LineParts<'a>) {
        let time = |v: Option<Value>| {
            v.map(|v| match v {
                Value::Number(n) => n.as_f64().filter(|f| f.is_finite()),
                _ => None,
            })
        };
        let parts = LineParts {
            event_type: self.event_type.map(RawValue::get),
            forwarded_at: time(self.forwarded_at),
            ts: time(self.ts),
            product_id: self.product_id.map(RawValue::get),
            session_id: self.session_id.map(RawValue::get),
            text: self.text.map(RawValue::get),
            label: self.label.map(RawValue::get),
            flow_id: self.flow_id.map(RawValue::get),
        };
        (self.actions, parts)
    }
}

#[derive(Deserialize)]
struct RawAction<'a> {
    #[serde(default, borrow)]
    canonical_url: Option<&'a RawValue>,
    #[serde(default)]
    timestamp_start: Option<Value>,
    #[serde(default)]
    timestamp_end: Option<Value>,
}

/// The fields [`finish_line`] judges, whichever path read them. Text fields are raw JSON;
/// absent and `null` are both `None`.
struct LineParts<'a> {
    event_type: Option<&'a str>,
    /// `Some(None)`: present but not a finite number.
    forwarded_at: Option<Option<f64>>,
    ts: Option<Option<f64>>,
    product_id: Option<&'a str>,
    session_id: Option<&'a str>,
    text: Option<&'a str>,
    label: Option<&'a str>,
    flow_id: Option<&'a str>,
}

/// How the `actions` field arrived.
enum ActionsInput<'s, 'a> {
    Scanned(Option<&'s [ScannedAction<'a>]>),
    Parsed(Option<Vec<RawAction<'a>>>),
    Raw(Option<&'a RawValue>),
}

/// The scanner alone: whether it reads the line (benchmarks).
#[doc(hidden)]
pub fn scan_for_bench<'a>(text: &'a str, scratch: &mut LineScratch<'a>) -> bool {
    line_scan::scan(text, &mut scratch.actions).is_some()
}

/// The serde path alone (benchmarks compare it with the scanner's).
#[doc(hidden)]
pub fn parse_line_serde_for_bench<'a>(
    line: usize,
    text: &'a str,
    urls: &mut UrlTable,
) -> Result<LineOutcome<'a>, BadLine> {
    parse_line_serde(line, text, urls)
}

/// The serde path, for every line the scanner leaves alone.
fn parse_line_serde<'a>(line: usize, text: &'a str, urls: &mut UrlTable) -> Result<LineOutcome<'a>, BadLine> {
    let bad = |message: String| BadLine { line, message };
    if !text.trim_start().starts_with('{') {
        // serde would read a JSON array into the struct by position.
        return Err(match serde_json::from_str::<Value>(text) {
            Ok(_) => bad("not a JSON object".into()),
            Err(e) => bad(format!("not valid JSON ({e})")),
        });
    }
    // `actions` (when present) as a list of objects, read in the same pass.
    if let Ok(raw) = serde_json::from_str::<RawLine<Vec<RawAction>>>(text) {
        let (actions, parts) = raw.into_parts();
        return finish_line(line, parts, ActionsInput::Parsed(actions), urls);
    }
    let raw: RawLine<&RawValue> = match serde_json::from_str(text) {
        Ok(raw) => raw,
        // The text is an object (checked above): a key written twice, read as Python does.
        Err(e) => {
            return match json::last_values(text) {
                Ok(Some(rewritten)) => parse_line_serde(line, &rewritten, urls).map(LineOutcome::into_owned),
                Ok(None) => Err(bad(format!("cannot read this line ({e})"))),
                Err(e) => Err(bad(format!("not valid JSON ({e})"))),
            };
        }
    };
    let (actions, parts) = raw.into_parts();
    finish_line(line, parts, ActionsInput::Raw(actions), urls)
}

/// The text of a JSON string without copying when it has no escapes; `None` for other types.
fn raw_str(raw: &str) -> Option<Cow<'_, str>> {
    // A plain loop: ids and URLs are short, too short for `memchr` to pay for its setup.
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') && raw.bytes().all(|b| b != b'\\') {
        return Some(Cow::Borrowed(&raw[1..raw.len() - 1]));
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw).ok().map(Cow::Owned);
    }
    None
}

fn raw_value(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

/// `canonical_url` as the SDK keeps it (`or ""`), from raw JSON.
fn url_from_raw(raw: Option<&str>, urls: &mut UrlTable) -> Raw<Arc<str>> {
    match raw {
        None => Raw::Ok(urls.get("")),
        Some(u) => match raw_str(u) {
            Some(text) => Raw::Ok(urls.get(&text)),
            None => {
                let value = raw_value(u);
                if py::is_truthy(&value) { detectors::raw_text_bad(&value) } else { Raw::Ok(urls.get("")) }
            }
        },
    }
}

fn action_from_raw(a: RawAction, urls: &mut UrlTable) -> Action {
    Action {
        canonical_url: url_from_raw(a.canonical_url.map(RawValue::get), urls),
        timestamp_start: detectors::raw_number(a.timestamp_start.as_ref()),
        timestamp_end: detectors::raw_number(a.timestamp_end.as_ref()),
    }
}

/// `value or 0.0` for a number the scanner read (`0` and `-0.0` are falsy).
fn scanned_number(value: Option<f64>) -> Raw<f64> {
    match value {
        Some(v) if v != 0.0 => Raw::Ok(v),
        _ => Raw::Ok(0.0),
    }
}

fn action_from_scanned(a: &ScannedAction, urls: &mut UrlTable) -> Action {
    Action {
        canonical_url: url_from_raw(a.canonical_url, urls),
        timestamp_start: scanned_number(a.timestamp_start),
        timestamp_end: scanned_number(a.timestamp_end),
    }
}

fn finish_line<'a>(
    line: usize,
    raw: LineParts<'a>,
    actions_input: ActionsInput<'_, 'a>,
    urls: &mut UrlTable,
) -> Result<LineOutcome<'a>, BadLine> {
    let bad = |message: String| BadLine { line, message };
    let event_type = match raw.event_type {
        None => return Err(bad("no 'type' field".into())),
        Some(t) => match raw_str(t) {
            Some(name) => match EventType::from_name(&name) {
                Some(t) => t,
                None => return Ok(LineOutcome::Ignored),
            },
            None => return Ok(LineOutcome::Ignored),
        },
    };
    let (key, time) = match event_type {
        EventType::Actions | EventType::Summary => ("forwarded_at", raw.forwarded_at),
        EventType::UsertourTrigger if raw.ts.is_none() => ("forwarded_at", raw.forwarded_at),
        _ => ("ts", raw.ts),
    };
    let Some(Some(t)) = time else {
        return Err(bad(format!("{} line needs a numeric '{key}' (unix seconds)", event_type.name())));
    };
    let product_id = match raw.product_id {
        None => Cow::Borrowed(""),
        Some(v) => match raw_str(v) {
            Some(s) => s,
            None => return Err(bad("'product_id' must be a string".into())),
        },
    };
    let session_id = match raw.session_id {
        None => Cow::Borrowed("unknown"),
        Some(v) => match raw_str(v) {
            Some(s) if s.is_empty() => Cow::Borrowed("unknown"),
            Some(s) => s,
            None => return Err(bad("'session_id' must be a string".into())),
        },
    };
    let mut actions = Vec::new();
    if event_type == EventType::Actions {
        // Fresh exact-size vectors: a million of them are held until the sessions run.
        match actions_input {
            ActionsInput::Scanned(None) | ActionsInput::Parsed(None) | ActionsInput::Raw(None) => {}
            ActionsInput::Scanned(Some(list)) => {
                actions = Vec::with_capacity(list.len());
                actions.extend(list.iter().map(|a| action_from_scanned(a, urls)));
            }
            ActionsInput::Parsed(Some(list)) => {
                actions = Vec::with_capacity(list.len());
                actions.extend(list.into_iter().map(|a| action_from_raw(a, urls)));
            }
            ActionsInput::Raw(Some(raw_actions)) => match serde_json::from_str::<Vec<RawAction>>(raw_actions.get()) {
                Ok(list) => {
                    actions = Vec::with_capacity(list.len());
                    actions.extend(list.into_iter().map(|a| action_from_raw(a, urls)));
                }
                Err(_) => {
                    let value: Value = serde_json::from_str(raw_actions.get()).unwrap_or(Value::Bool(true));
                    // Objects with a key written twice keep the last value, as in Python.
                    let canonical = value.to_string();
                    if let Value::Array(_) = value
                        && let Ok(list) = serde_json::from_str::<Vec<RawAction>>(&canonical)
                    {
                        actions = Vec::with_capacity(list.len());
                        actions.extend(list.into_iter().map(|a| action_from_raw(a, urls)));
                    } else if py::is_truthy(&value) {
                        return Err(bad(format!(
                            "actions payload cannot be parsed by the SDK ('actions' is {} with non-object items)",
                            py::type_name(&value)
                        )));
                    }
                }
            },
        }
    }
    let value = match event_type {
        EventType::ChatMessage => raw.text,
        EventType::ChipClick => raw.label,
        EventType::TourStarted | EventType::UsertourTrigger => raw.flow_id,
        _ => None,
    };
    let value = value.map(raw_value);
    Ok(LineOutcome::Event(SimEvent { line, event_type, t, product_id, session_id, actions, value }))
}

#[cfg(test)]
mod tests {
    use super::*;

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
            if line_scan::scan(line, &mut scratch.actions).is_some() {
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
            for _ in 0..rng.random_range(1..3) {
                let mut at = rng.random_range(0..=line.len());
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                let end = (at + 1..=line.len()).find(|&e| line.is_char_boundary(e)).unwrap_or(line.len());
                let piece = pieces[rng.random_range(0..pieces.len())];
                match rng.random_range(0..3) {
                    0 => line.insert_str(at, piece),
                    1 => line.replace_range(at..end, ""),
                    _ => line.replace_range(at..end, piece),
                }
            }
            tried += 1;
            let mut scratch = LineScratch::new();
            if line_scan::scan(&line, &mut scratch.actions).is_some() {
                fast_taken += 1;
            }
            let either = parse_line_with(1, &line, &mut scratch);
            let serde = parse_line_serde(1, &line, &mut UrlTable::default());
            assert_eq!(format!("{either:?}"), format!("{serde:?}"), "{line}");
        }
        assert!(fast_taken > tried / 10, "the scanner should still read many edited lines ({fast_taken}/{tried})");
    }
}
