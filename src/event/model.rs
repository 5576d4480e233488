/*!
The event model: the payloads the connector streams, parsed exactly as leniently as the SDK's
`from_dict` (autoplay-sdk 0.7.3, `autoplay_sdk.models`).

The SDK reads each field as `data.get(key) or default`: a missing key and any falsy value
(`null`, `""`, `0`, `0.0`, `false`, `[]`, `{}`) both give the default, unknown keys are
ignored, and nothing is type-checked. We accept ints for floats; a truthy value of the wrong
type for a text field is kept as its Python `str()` form, which is what the SDK would print.
The only hard errors are the SDK's: top-level data that is not an object, and an `actions`
value that is truthy but not a list of objects.
*/

use serde_json::{Map, Value};

use crate::py::{is_truthy, str_of as py_str};

/// Why a payload could not be built. The SDK raises in exactly these cases.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The data is not a JSON object.
    #[error("event data is not a JSON object")]
    NotAnObject,
    /// `actions` is truthy but not a list (the kind of value it is).
    #[error("`actions` must be a list of objects, got {0}")]
    ActionsNotAList(&'static str),
    /// An item of `actions` is not an object: its index and the kind of value it is.
    #[error("`actions[{index}]` must be an object, got {got}")]
    ActionNotAnObject {
        /// The item's index.
        index: usize,
        /// The kind of value it is.
        got: &'static str,
    },
}

/// One user action (a page view, a click, …).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SlimAction {
    /// A short title (`Page Load: Billing`).
    pub title: String,
    /// What the user did, in words.
    pub description: String,
    /// The page, with ids replaced by placeholders.
    pub canonical_url: String,
    /// The action's position in its batch.
    pub index: i64,
    /// `type`: `click`, `pageview`, …
    pub action_type: String,
    /// When the action started (Unix seconds).
    pub timestamp_start: f64,
    /// When the action ended (Unix seconds).
    pub timestamp_end: f64,
    /// The page as visited.
    pub raw_url: String,
    /// Kept exactly as sent (`""` stays `Some("")`), not inherited from the batch.
    pub session_id: Option<String>,
    /// The action's own `user_id`, as sent.
    pub user_id: Option<String>,
    /// The action's own `email`, as sent.
    pub email: Option<String>,
    /// The action's own `conversation_id`, as sent.
    pub conversation_id: Option<String>,
}

/// A batch of actions of one session (`"type": "actions"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionsPayload {
    /// The product the session belongs to (`""` when none).
    pub product_id: String,
    /// `None` for missing or `""`.
    pub session_id: Option<String>,
    /// The identified user (`None` for missing or `""`).
    pub user_id: Option<String>,
    /// The user's e-mail (`None` for missing or `""`).
    pub email: Option<String>,
    /// The actions, in order.
    pub actions: Vec<SlimAction>,
    /// Always `actions.len()` after construction (the SDK reconciles it).
    pub count: usize,
    /// When the connector forwarded the batch (Unix seconds; 0 when missing).
    pub forwarded_at: f64,
    /// Unlike `session_id`, `""` stays `Some("")`.
    pub conversation_id: Option<String>,
}

/// A rolling LLM summary of a session (`"type": "summary"`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryPayload {
    /// The product the session belongs to (`""` when none).
    pub product_id: String,
    /// The session (`None` for missing or `""`).
    pub session_id: Option<String>,
    /// The summary text.
    pub summary: String,
    /// How many actions the summary replaces.
    pub replaces: i64,
    /// When the connector forwarded the summary (Unix seconds; 0 when missing).
    pub forwarded_at: f64,
}

/// A request to start a product tour (`"type": "usertour_trigger"`). SDK clients drop it;
/// browser recipes and the simulator read it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UsertourTrigger {
    /// The product the tour belongs to (`""` when none).
    pub product_id: String,
    /// The tour (flow) to start.
    pub flow_id: String,
    /// Why the tour is offered.
    pub reason: String,
    /// The user (`None` for missing or `""`).
    pub user_id: Option<String>,
    /// The session (`None` for missing or `""`).
    pub session_id: Option<String>,
    /// `ts` when present and numeric.
    pub ts: Option<f64>,
    /// `forwarded_at` when present and numeric.
    pub forwarded_at: Option<f64>,
}

/// One frame's data, by its JSON `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `"type": "actions"`.
    Actions(ActionsPayload),
    /// `"type": "summary"`.
    Summary(SummaryPayload),
    /// `"type": "usertour_trigger"`.
    UsertourTrigger(UsertourTrigger),
    /// Any other `type` (or none): kept raw so it can still be shown or recorded.
    Other {
        /// The `type`, when it is a string.
        event_type: Option<String>,
        /// The whole object.
        data: Map<String, Value>,
    },
}

/// What [`ActionsPayload::from_value`] noticed while reconciling (the SDK logs a WARNING).
#[derive(Debug, Clone, PartialEq)]
pub struct CountMismatch {
    /// The declared `count`, as Python prints it.
    pub declared: String,
    /// How many actions there were.
    pub actual: usize,
}

impl CountMismatch {
    /// The SDK's warning for it, word for word, about `session_id`'s batch.
    pub fn warning(&self, session_id: Option<&str>) -> String {
        format!(
            "ActionsPayload.count={} does not match len(actions)={} for session={} — using len(actions) as the authoritative value",
            self.declared,
            self.actual,
            session_id.unwrap_or("None")
        )
    }
}

/// The `type` of an actions batch.
pub const ACTIONS: &str = "actions";
/// The `type` of a summary.
pub const SUMMARY: &str = "summary";
/// The `type` of a tour trigger.
pub const USERTOUR_TRIGGER: &str = "usertour_trigger";

impl Event {
    /// Parses a frame's data object by its `type`.
    pub fn from_value(value: &Value) -> Result<Event, ModelError> {
        let object = value.as_object().ok_or(ModelError::NotAnObject)?;
        Event::from_object(object)
    }

    /// [`Event::from_value`] for an object already parsed.
    pub fn from_object(object: &Map<String, Value>) -> Result<Event, ModelError> {
        Ok(Event::from_object_checked(object)?.0)
    }

    /// [`Event::from_object`], with the `count` mismatch an actions batch was reconciled from
    /// (the SDK logs a warning for it; see [`CountMismatch::warning`]).
    pub fn from_object_checked(object: &Map<String, Value>) -> Result<(Event, Option<CountMismatch>), ModelError> {
        Ok(match object.get("type").and_then(Value::as_str) {
            Some(ACTIONS) => {
                let (payload, mismatch) = ActionsPayload::from_object(object)?;
                (Event::Actions(payload), mismatch)
            }
            Some(SUMMARY) => (Event::Summary(SummaryPayload::from_object(object)), None),
            Some(USERTOUR_TRIGGER) => (Event::UsertourTrigger(UsertourTrigger::from_object(object)), None),
            other => (Event::Other { event_type: other.map(str::to_string), data: object.clone() }, None),
        })
    }

    /// The JSON `type` of this event.
    pub fn type_name(&self) -> Option<&str> {
        match self {
            Event::Actions(_) => Some(ACTIONS),
            Event::Summary(_) => Some(SUMMARY),
            Event::UsertourTrigger(_) => Some(USERTOUR_TRIGGER),
            Event::Other { event_type, .. } => event_type.as_deref(),
        }
    }

    /// The event's `session_id`, when it has one.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Event::Actions(p) => p.session_id.as_deref(),
            Event::Summary(p) => p.session_id.as_deref(),
            Event::UsertourTrigger(p) => p.session_id.as_deref(),
            Event::Other { data, .. } => data.get("session_id").and_then(Value::as_str),
        }
    }

    /// The event's `product_id` (`""` when none).
    pub fn product_id(&self) -> &str {
        match self {
            Event::Actions(p) => &p.product_id,
            Event::Summary(p) => &p.product_id,
            Event::UsertourTrigger(p) => &p.product_id,
            Event::Other { data, .. } => data.get("product_id").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The SDK's `to_text()` for actions and summaries; other events have no text form in the
    /// SDK, so their compact JSON is used.
    pub fn to_text(&self) -> String {
        match self {
            Event::Actions(p) => p.to_text(),
            Event::Summary(p) => p.to_text(),
            Event::UsertourTrigger(p) => {
                format!(
                    "Tour trigger {} — flow {} ({})",
                    p.session_id.as_deref().unwrap_or("unknown"),
                    p.flow_id,
                    p.reason
                )
            }
            Event::Other { data, .. } => Value::Object(data.clone()).to_string(),
        }
    }
}

impl SlimAction {
    /// `SlimAction.from_dict`.
    pub fn from_object(data: &Map<String, Value>) -> SlimAction {
        SlimAction {
            title: text_or_default(data.get("title")),
            description: text_or_default(data.get("description")),
            canonical_url: text_or_default(data.get("canonical_url")),
            index: int_or_default(data.get("index")),
            action_type: text_or_default(data.get("type")),
            timestamp_start: float_or_default(data.get("timestamp_start")),
            timestamp_end: float_or_default(data.get("timestamp_end")),
            raw_url: text_or_default(data.get("raw_url")),
            session_id: raw_text(data.get("session_id")),
            user_id: raw_text(data.get("user_id")),
            email: raw_text(data.get("email")),
            conversation_id: raw_text(data.get("conversation_id")),
        }
    }

    /// `[{index}] {type}: {description} — {canonical_url}` (the title is left out).
    pub fn to_text(&self) -> String {
        format!("[{}] {}: {} — {}", self.index, self.action_type, self.description, self.canonical_url)
    }
}

impl ActionsPayload {
    /// `ActionsPayload.from_dict`: returns the payload and, when the declared `count`
    /// disagreed with the number of actions, what it said (the caller decides how to warn).
    pub fn from_object(data: &Map<String, Value>) -> Result<(ActionsPayload, Option<CountMismatch>), ModelError> {
        let actions = match data.get("actions") {
            Some(value) if is_truthy(value) => match value {
                Value::Array(items) => items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| match item {
                        Value::Object(object) => Ok(SlimAction::from_object(object)),
                        other => Err(ModelError::ActionNotAnObject { index, got: json_kind(other) }),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                other => return Err(ModelError::ActionsNotAList(json_kind(other))),
            },
            _ => Vec::new(),
        };
        let declared = data.get("count").filter(|v| is_truthy(v));
        let mismatch = match declared {
            None if actions.is_empty() => None,
            None => Some(CountMismatch { declared: "0".into(), actual: actions.len() }),
            Some(Value::Number(n)) if n.as_u64() == Some(actions.len() as u64) => None,
            Some(Value::Number(n)) if n.as_f64() == Some(actions.len() as f64) => None,
            Some(other) => Some(CountMismatch { declared: py_str(other), actual: actions.len() }),
        };
        let payload = ActionsPayload {
            product_id: text_or_default(data.get("product_id")),
            session_id: text_or_none(data.get("session_id")),
            user_id: text_or_none(data.get("user_id")),
            email: text_or_none(data.get("email")),
            count: actions.len(),
            actions,
            forwarded_at: float_or_default(data.get("forwarded_at")),
            conversation_id: raw_text(data.get("conversation_id")),
        };
        Ok((payload, mismatch))
    }

    /// `ActionsPayload.from_dict` for any JSON value (only an object is one).
    pub fn from_value(value: &Value) -> Result<ActionsPayload, ModelError> {
        let object = value.as_object().ok_or(ModelError::NotAnObject)?;
        Ok(Self::from_object(object)?.0)
    }

    /// A header line `Session {id|unknown} — {n} actions`, then one line per action,
    /// joined with `\n`, no trailing newline. The word is always "actions".
    pub fn to_text(&self) -> String {
        let mut text =
            format!("Session {} — {} actions", self.session_id.as_deref().unwrap_or("unknown"), self.actions.len());
        for action in &self.actions {
            text.push('\n');
            text.push_str(&action.to_text());
        }
        text
    }

    /// `ActionsPayload.merge`: concatenates batches, renumbering the copied actions 0..n-1.
    /// Identity fields come from the first truthy value; product and session from the first
    /// payload; `forwarded_at` is the maximum.
    pub fn merge(payloads: &[ActionsPayload]) -> Result<ActionsPayload, MergeError> {
        let first = payloads.first().ok_or(MergeError)?;
        let actions: Vec<SlimAction> = payloads
            .iter()
            .flat_map(|p| p.actions.iter())
            .enumerate()
            .map(|(index, action)| SlimAction { index: index as i64, ..action.clone() })
            .collect();
        let first_truthy = |get: fn(&ActionsPayload) -> &Option<String>| {
            payloads.iter().filter_map(|p| get(p).as_ref()).find(|v| !v.is_empty()).cloned()
        };
        Ok(ActionsPayload {
            product_id: first.product_id.clone(),
            session_id: first.session_id.clone(),
            user_id: first_truthy(|p| &p.user_id),
            email: first_truthy(|p| &p.email),
            conversation_id: first_truthy(|p| &p.conversation_id),
            count: actions.len(),
            actions,
            forwarded_at: payloads.iter().map(|p| p.forwarded_at).fold(f64::NEG_INFINITY, f64::max),
        })
    }
}

/// `ActionsPayload.merge([])`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("ActionsPayload.merge() requires at least one payload")]
pub struct MergeError;

impl SummaryPayload {
    /// `SummaryPayload.from_dict`.
    pub fn from_object(data: &Map<String, Value>) -> SummaryPayload {
        SummaryPayload {
            product_id: text_or_default(data.get("product_id")),
            session_id: text_or_none(data.get("session_id")),
            summary: text_or_default(data.get("summary")),
            replaces: int_or_default(data.get("replaces")),
            forwarded_at: float_or_default(data.get("forwarded_at")),
        }
    }

    /// `SummaryPayload.from_dict` for any JSON value (only an object is one).
    pub fn from_value(value: &Value) -> Result<SummaryPayload, ModelError> {
        Ok(Self::from_object(value.as_object().ok_or(ModelError::NotAnObject)?))
    }

    /// The summary, verbatim.
    pub fn to_text(&self) -> String {
        self.summary.clone()
    }
}

impl UsertourTrigger {
    /// Reads a tour trigger as leniently as the SDK's models read payloads.
    pub fn from_object(data: &Map<String, Value>) -> UsertourTrigger {
        let number = |key: &str| data.get(key).and_then(Value::as_f64);
        UsertourTrigger {
            product_id: text_or_default(data.get("product_id")),
            flow_id: text_or_default(data.get("flow_id")),
            reason: text_or_default(data.get("reason")),
            user_id: text_or_none(data.get("user_id")),
            session_id: text_or_none(data.get("session_id")),
            ts: number("ts"),
            forwarded_at: number("forwarded_at"),
        }
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// `get(key) or ""`.
fn text_or_default(value: Option<&Value>) -> String {
    match value {
        Some(v) if is_truthy(v) => py_str(v),
        _ => String::new(),
    }
}

/// `get(key) or None`.
fn text_or_none(value: Option<&Value>) -> Option<String> {
    value.filter(|v| is_truthy(v)).map(py_str)
}

/// `get(key)`: the raw value, `null` as `None`, everything else kept (even `""`).
fn raw_text(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(v) => Some(py_str(v)),
    }
}

/// `get(key) or 0.0`, accepting ints; a non-numeric truthy value counts as 0.
fn float_or_default(value: Option<&Value>) -> f64 {
    value.and_then(Value::as_f64).unwrap_or(0.0)
}

/// `get(key) or 0`; a float keeps its integer part.
fn int_or_default(value: Option<&Value>) -> i64 {
    match value {
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).unwrap_or(0),
        Some(Value::String(s)) => s.trim().parse().unwrap_or(0),
        Some(Value::Bool(true)) => 1,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn actions(value: Value) -> ActionsPayload {
        ActionsPayload::from_value(&value).expect("parses")
    }

    #[test]
    fn slim_action_from_empty_object_has_empty_strings_and_no_identity() {
        let action = SlimAction::from_object(&Map::new());
        assert_eq!(action.title, "");
        assert_eq!(action.description, "");
        assert_eq!(action.canonical_url, "");
        assert_eq!(action.session_id, None);
        assert_eq!(action.user_id, None);
        assert_eq!(action.email, None);
        assert_eq!(action.conversation_id, None);
    }

    #[test]
    fn slim_action_keeps_identity_fields_verbatim() {
        let value = json!({"session_id": "", "user_id": "u", "email": "e@x", "conversation_id": "c"});
        let action = SlimAction::from_object(value.as_object().unwrap());
        assert_eq!(action.session_id.as_deref(), Some(""));
        assert_eq!(action.user_id.as_deref(), Some("u"));
        assert_eq!(action.conversation_id.as_deref(), Some("c"));
    }

    #[test]
    fn slim_action_text_leaves_out_the_title() {
        let value = json!({"index": 0, "type": "click", "title": "T", "description": "desc", "canonical_url": "/url"});
        let action = SlimAction::from_object(value.as_object().unwrap());
        assert_eq!(action.to_text(), "[0] click: desc — /url");
        let empty_type =
            SlimAction::from_object(json!({"description": "desc", "canonical_url": "/url"}).as_object().unwrap());
        assert_eq!(empty_type.to_text(), "[0] : desc — /url");
    }

    #[test]
    fn actions_payload_from_empty_object() {
        let payload = actions(json!({}));
        assert_eq!(payload.product_id, "");
        assert_eq!(payload.count, 0);
        assert_eq!(payload.forwarded_at, 0.0);
        assert!(payload.actions.is_empty());
        assert_eq!(payload.session_id, None);
        assert_eq!(payload.user_id, None);
        assert_eq!(payload.email, None);
        assert_eq!(payload.conversation_id, None);
    }

    #[test]
    fn falsy_values_take_defaults_and_ints_are_floats() {
        let payload =
            actions(json!({"session_id": "", "user_id": null, "email": 0, "forwarded_at": 17, "conversation_id": ""}));
        assert_eq!(payload.session_id, None);
        assert_eq!(payload.user_id, None);
        assert_eq!(payload.email, None);
        assert_eq!(payload.forwarded_at, 17.0);
        assert_eq!(payload.conversation_id.as_deref(), Some(""));
    }

    #[test]
    fn count_is_reconciled_to_the_number_of_actions() {
        let (payload, mismatch) =
            ActionsPayload::from_object(json!({"count": 5, "actions": [{}, {}]}).as_object().unwrap()).unwrap();
        assert_eq!(payload.count, 2);
        assert_eq!(mismatch, Some(CountMismatch { declared: "5".into(), actual: 2 }));
        let (_, agreed) =
            ActionsPayload::from_object(json!({"count": 1, "actions": [{}]}).as_object().unwrap()).unwrap();
        assert_eq!(agreed, None);
        let (_, string_count) =
            ActionsPayload::from_object(json!({"count": "1", "actions": [{}]}).as_object().unwrap()).unwrap();
        assert!(string_count.is_some(), "a non-integer count still mismatches");
    }

    #[test]
    fn hard_errors_only_where_the_sdk_raises() {
        assert_eq!(ActionsPayload::from_value(&json!({"actions": "ab"})), Err(ModelError::ActionsNotAList("a string")));
        assert_eq!(
            ActionsPayload::from_value(&json!({"actions": [null]})),
            Err(ModelError::ActionNotAnObject { index: 0, got: "null" })
        );
        assert_eq!(Event::from_value(&json!([1, 2])), Err(ModelError::NotAnObject));
        assert!(ActionsPayload::from_value(&json!({"actions": ""})).unwrap().actions.is_empty());
    }

    #[test]
    fn actions_text_header_and_lines() {
        let payload =
            actions(json!({"actions": [{"index": 0, "type": "click", "description": "d", "canonical_url": "/u"}]}));
        assert_eq!(payload.to_text(), "Session unknown — 1 actions\n[0] click: d — /u");
        assert_eq!(actions(json!({})).to_text(), "Session unknown — 0 actions");
        let named = actions(
            json!({"session_id": "ps_1", "actions": [{"description": "a", "canonical_url": "/a"}, {"index": 1, "description": "b", "canonical_url": "/b"}]}),
        );
        let text = named.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Session ps_1 — 2 actions");
        assert!(lines[1].contains('a') && lines[1].contains("/a"));
        assert!(lines[2].contains('b') && lines[2].contains("/b"));
    }

    #[test]
    fn merge_follows_the_sdk() {
        assert_eq!(ActionsPayload::merge(&[]), Err(MergeError));
        assert_eq!(MergeError.to_string(), "ActionsPayload.merge() requires at least one payload");
        let a = actions(json!({"product_id": "p", "session_id": "s", "email": "", "forwarded_at": 5.0,
            "actions": [{"index": 7, "description": "a"}]}));
        let b = actions(
            json!({"product_id": "q", "session_id": "t", "user_id": "u", "email": "e", "conversation_id": "c", "forwarded_at": 9.0,
            "actions": [{"index": 3, "description": "b"}, {"index": 4, "description": "c"}]}),
        );
        let merged = ActionsPayload::merge(&[a.clone(), b]).unwrap();
        assert_eq!(merged.product_id, "p");
        assert_eq!(merged.session_id.as_deref(), Some("s"));
        assert_eq!(merged.user_id.as_deref(), Some("u"));
        assert_eq!(merged.email.as_deref(), Some("e"));
        assert_eq!(merged.conversation_id.as_deref(), Some("c"));
        assert_eq!(merged.count, 3);
        assert_eq!(merged.actions.iter().map(|x| x.index).collect::<Vec<_>>(), vec![0, 1, 2]);
        assert_eq!(merged.forwarded_at, 9.0);
        assert_eq!(a.actions[0].index, 7, "inputs are not mutated");
        let single = ActionsPayload::merge(std::slice::from_ref(&a)).unwrap();
        assert_eq!(single.actions[0].description, "a");
        assert_eq!(single.user_id, None, "all-null stays null");
    }

    #[test]
    fn summary_payload_rules() {
        let summary =
            SummaryPayload::from_value(&json!({"product_id": "p", "summary": "S", "replaces": 3, "forwarded_at": 2.0}))
                .unwrap();
        assert_eq!(summary.session_id, None);
        assert_eq!(summary.to_text(), "S");
        let empty = SummaryPayload::from_value(&json!({})).unwrap();
        assert_eq!(
            (empty.product_id.as_str(), empty.replaces, empty.forwarded_at, empty.to_text()),
            ("", 0, 0.0, String::new())
        );
    }

    #[test]
    fn events_route_on_type_and_keep_others_raw() {
        assert!(matches!(Event::from_value(&json!({"type": "actions"})).unwrap(), Event::Actions(_)));
        assert!(matches!(Event::from_value(&json!({"type": "summary"})).unwrap(), Event::Summary(_)));
        let tour = Event::from_value(&json!({"type": "usertour_trigger", "flow_id": "f", "ts": 3})).unwrap();
        assert!(matches!(tour, Event::UsertourTrigger(UsertourTrigger { ts: Some(3.0), .. })));
        let other = Event::from_value(&json!({"type": "identify", "x": 1})).unwrap();
        assert_eq!(other.type_name(), Some("identify"));
    }
}
